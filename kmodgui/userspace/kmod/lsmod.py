"""kmod 30 tools/lsmod.c: the module list.

Names come from /proc/modules (kmod_module_new_from_loaded, newest first);
the rest from sysfs: size from /sys/module/<m>/coresize (falling back to
/proc/modules), "Used by" count from refcnt, names from holders/.  kmod
never parses the deps field, so it never prints "[permanent]".
"""
from __future__ import annotations

from kmodgui.userspace import errnos
from kmodgui.userspace.base import ToolContext, ToolResult
from kmodgui.userspace.dialect import dialect
from kmodgui.userspace.getopt import GetoptError, getopt_long
from kmodgui.userspace.kmod import log_err, prog_name, version

_LONG = {"syslog": ("s", False), "verbose": ("v", False),
         "version": ("V", False), "help": ("h", False)}


def _read_int(ctx: ToolContext, path: str) -> int | None:
    err, text = ctx.kernel.read_file(path)
    if err < 0:
        return err
    try:
        return int(text.strip())
    except ValueError:
        return None


def _size(ctx: ToolContext, name: str, proc_line: list[str]) -> int:
    """kmod_module_get_size()."""
    err, _ = ctx.kernel.list_dir(f"/sys/module/{name}")
    if err < 0:
        return err
    size = _read_int(ctx, f"/sys/module/{name}/coresize")
    if size is not None and size >= 0:
        return size
    return int(proc_line[1]) if len(proc_line) > 1 and proc_line[1].isdigit() else 0


def lsmod(ctx: ToolContext, argv: list[str]) -> ToolResult:
    d, prog, res = dialect(ctx), prog_name(argv[0]), ToolResult()
    try:
        parsed = getopt_long(prog, argv[1:], "svVh", _LONG)
    except GetoptError as e:
        return res.errln(str(e)).done(1)
    for c, _ in parsed.opts:
        if c == "V":
            return version(res, d)
        if c == "h":
            return res.outln(f"Usage:\n\t{prog} [options]").done(0)
    if parsed.operands:
        log_err(res, d, prog, d.text("lsmod.too_many"))
        return res.done(1)
    err, text = ctx.kernel.read_file("/proc/modules")
    if err < 0:
        error = errnos.strerror(err)
        log_err(res, d, prog, d.text("lsmod.could_not_open", error=error))
        log_err(res, d, prog, d.text("lsmod.could_not_list", error=error))
        return res.done(1)
    res.outln(d.text("lsmod.header"))
    for fields in (line.split() for line in text.splitlines() if line.strip()):
        res.outln(_row(ctx, fields))
    return res.done(0)


def _row(ctx: ToolContext, fields: list[str]) -> str:
    name = fields[0]
    use_count = _read_int(ctx, f"/sys/module/{name}/refcnt")
    size = _size(ctx, name, fields)
    line = f"{name:<19} {size:>8}  {use_count if use_count is not None else 0}"
    err, holders = ctx.kernel.list_dir(f"/sys/module/{name}/holders")
    if err == 0 and holders:
        line += " " + ",".join(holders)
    return line
