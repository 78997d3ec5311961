"""BUG() and WARN*() as the headers expand them (include/asm-generic/bug.h).

The simulator's headers turn `BUG()` into `__kmodsim_bug(__FILE__,
__LINE__)` and `WARN_ON(c)` into `__kmodsim_warn_on(c, __FILE__,
__LINE__)`; `WARN(c, fmt, ...)` into `__kmodsim_warn(c, __FILE__,
__LINE__, fmt, ...)`.  BUG raises KernelBug: the CPU prints
`kernel BUG at <file>:<line>!`, `invalid opcode: 0000 [#1] ...` and kills
the task.  WARN prints the report through the CPU (k.warn) and carries on.
"""
from __future__ import annotations

from kmodgui.kernel import vsprintf
from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.panic import KernelBug   # re-exported for the other kapi modules
from kmodgui.kernel.services import KCall

__all__ = ["KernelBug"]


def _site(k: KCall, file: int, line: int) -> tuple[str, str]:
    func = k.site.func if k.site is not None else ""
    return f"{k.cstr(file)}:{line}", func


@kapi("__kmodsim_bug")
def __kmodsim_bug(k: KCall, file: int, line: int) -> int:
    """BUG(): never returns."""
    raise KernelBug(*_site(k, file, line))


@kapi("__kmodsim_warn_on")
def __kmodsim_warn_on(k: KCall, cond: int, file: int, line: int) -> int:
    """WARN_ON(cond): report if cond is true; returns !!cond."""
    if cond:
        k.warn(*_site(k, file, line))
    return 1 if cond else 0


@kapi("__kmodsim_warn_on_once")
def __kmodsim_warn_on_once(k: KCall, cond: int, file: int, line: int) -> int:
    """WARN_ON_ONCE(cond): only the first true evaluation per site reports."""
    if cond:
        where, func = _site(k, file, line)
        seen = k.kernel.names.setdefault("warned_once", {})
        if where not in seen:
            seen[where] = True
            k.warn(where, func)
    return 1 if cond else 0


@kapi("__kmodsim_warn", variadic=True)
def __kmodsim_warn(k: KCall, cond: int, file: int, line: int, fmt: int,
                   *args: int) -> int:
    """WARN(cond, fmt, ...): the formatted message goes with the report."""
    if cond:
        msg = vsprintf.format(k, k.mem.read_cstring(fmt), list(args))
        k.warn(*_site(k, file, line), msg=msg.decode("latin-1").rstrip("\n"))
    return 1 if cond else 0
