"""kmod 30, the module tools of the 6.1 profile (Debian 12).

insmod, rmmod, lsmod and modinfo are one program (kmod) under four names;
each talks to the kernel through libkmod, which reads /proc/modules and
/sys/module/<name>/... and calls finit_module/delete_module.  Messages go
through tools/log.c: "<prog>: <PRIORITY>: <text>".
"""
from __future__ import annotations

import os

from kmodgui.userspace.base import ToolResult
from kmodgui.userspace.dialect import Dialect


def log_err(res: ToolResult, d: Dialect, prog: str, text: str) -> None:
    """The tools' ERR(): tools/log.c log_printf(LOG_ERR, ...)."""
    res.errln(d.text("kmod.log", prog=prog, prio="ERROR", text=text))


def libkmod_err(res: ToolResult, d: Dialect, prog: str, site: str, text: str) -> None:
    """libkmod's ERR(ctx, ...) routed to the tool's log (log_kmod), which in
    Debian's build carries libkmod's source location."""
    file, line, func = d.raw(site)
    res.errln(d.text("kmod.libkmod_log", prog=prog, prio="ERROR", file=file,
                     line=line, func=func, text=text))


def version(res: ToolResult, d: Dialect) -> ToolResult:
    """-V: puts(PACKAGE " version " VERSION); puts(KMOD_FEATURES)."""
    for line in d.raw("version_lines"):
        res.outln(line)
    return res.done(0)


def prog_name(argv0: str) -> str:
    """program_invocation_short_name."""
    return os.path.basename(argv0)


def modname_normalize(name: str) -> str:
    """libkmod modname_normalize(): '-' becomes '_', stop at the first '.'."""
    return name.split(".", 1)[0].replace("-", "_")


def path_to_modname(path: str) -> str:
    """libkmod path_to_modname(): the file's basename, normalized."""
    return modname_normalize(os.path.basename(path))
