"""Which calls on a source line fault injection can make fail, and the
errnos worth offering for them (the "Make this call fail with" menu).

A kernel function is fault-injectable when the simulated kernel's registry
says how an injected failure is returned (`kapi.REGISTRY[name].fail`): an
allocator returns NULL, a registration returns -ERRNO, a constructor
returns ERR_PTR(-ERRNO) -- the ways the real fail_function/failslab
hooks make them fail.  No Qt here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kmodgui.userspace.errnos import ERRNOS, errno_name, strerror

#: what a beginner's module meets most when a kernel call fails
COMMON_ERRNOS = ("ENOMEM", "EBUSY", "EINVAL", "EEXIST", "EIO", "ENODEV", "EFAULT")

#: how each kind of function reports the injected failure to its caller
HOW_IT_FAILS = {"null": "returns NULL", "errno": "returns -ERRNO",
                "errptr": "returns ERR_PTR(-ERRNO)"}


@dataclass(frozen=True)
class ErrnoChoice:
    name: str           # "ENOMEM"
    number: int         # 12 (positive, as the debugger's fail() takes it)
    text: str           # glibc's strerror: "Cannot allocate memory"

    @property
    def label(self) -> str:
        return f"-{self.name}   {self.text}"


@lru_cache(maxsize=1)
def _registry() -> dict:
    from kmodgui.kernel.kapi import load_all
    return load_all()


@lru_cache(maxsize=1)
def injectable_names() -> frozenset[str]:
    return frozenset(n for n, f in _registry().items() if f.fail)


@lru_cache(maxsize=1)
def _call_pattern() -> re.Pattern:
    names = sorted(injectable_names(), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\s*\(")


def _code_only(line: str, in_comment: bool) -> str:
    """The line with comments and literals blanked (columns kept)."""
    out, i, n = [], 0, len(line)
    while i < n:
        if in_comment or line.startswith("/*", i):
            end = line.find("*/", i if in_comment else i + 2)
            stop = n if end < 0 else end + 2
            out.append(" " * (stop - i))
            in_comment, i = end < 0, stop
        elif line.startswith("//", i):
            out.append(" " * (n - i))
            break
        elif line[i] in "\"'":
            quote, j = line[i], i + 1
            while j < n and line[j] != quote:
                j += 2 if line[j] == "\\" else 1
            out.append(" " * (min(j, n - 1) + 1 - i))
            i = j + 1
        else:
            out.append(line[i])
            i += 1
    return "".join(out)


def injectable_calls(line: str, in_comment: bool = False) -> list[str]:
    """Fault-injectable kernel functions called on `line`, in order, once
    each.  `in_comment`: the line starts inside a /* */ comment."""
    seen: dict[str, None] = {}
    for m in _call_pattern().finditer(_code_only(line, in_comment)):
        seen.setdefault(m.group(1))
    return list(seen)


def how_it_fails(func: str) -> str:
    return HOW_IT_FAILS.get(_registry()[func].fail or "", "fails")


def errno_choices(func: str) -> list[ErrnoChoice]:
    """The function's usual errno first, then the common ones."""
    usual = errno_name(_registry()[func].errno)
    out: list[ErrnoChoice] = []
    for name in (usual, *COMMON_ERRNOS):
        if name in ERRNOS and all(c.name != name for c in out):
            number = ERRNOS[name][0]
            out.append(ErrnoChoice(name, number, strerror(number)))
    return out
