"""module-init-tools 3.9 lsmod.c: /proc/modules, reformatted.

The deps field is cut at its first blank ("user," of "user, Live ..."), the
trailing comma stripped and a lone "-" dropped, so 2009's lsmod shows
"[permanent]" -- and a trailing blank after an empty "Used by".
"""
from __future__ import annotations

from kmodgui.userspace import errnos
from kmodgui.userspace.base import ToolContext, ToolResult
from kmodgui.userspace.dialect import dialect


def lsmod(ctx: ToolContext, argv: list[str]) -> ToolResult:
    d, res = dialect(ctx), ToolResult()
    if len(argv) != 1:
        return res.errln(d.text("lsmod.usage")).done(1)
    err, text = ctx.kernel.read_file("/proc/modules")
    if err < 0:   # perror("Opening /proc/modules")
        return res.errln(d.text("lsmod.open_failed", error=errnos.strerror(err))).done(1)
    res.outln(d.text("lsmod.header"))
    for line in text.splitlines():
        res.outln(_format(line))
    return res.done(0)


def _format(line: str) -> str:
    name, _, rest = line.partition(" ")
    out = f"{name:<19}"
    size, _, rest = rest.lstrip(" \t").partition(" ")
    out += f" {size:>8}"
    refs, _, rest = rest.lstrip(" \t").partition(" ")
    if not refs:      # "Null if no module unloading support."
        return out
    out += f"  {refs}"
    if not rest:
        used = ""
    elif "," in rest:
        used = rest.split()[0]
        used = used[:-1] if used.endswith(",") else used
    elif rest[0] == "-" and (len(rest) == 1 or rest[1].isspace()):
        used = ""
    else:
        used = rest
    return out + f" {used}"
