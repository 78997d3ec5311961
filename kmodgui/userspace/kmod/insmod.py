"""kmod 30 tools/insmod.c: insmod [-f] FILENAME [ARGS...].

The arguments after the file name are joined with single spaces and passed
to finit_module(2) (kmod_module_insert_module); -f adds
MODULE_INIT_IGNORE_MODVERSIONS | MODULE_INIT_IGNORE_VERMAGIC.
"""
from __future__ import annotations

from kmodgui.userspace import errnos, fs
from kmodgui.userspace.base import ToolContext, ToolResult
from kmodgui.userspace.build_report import report_failed_build
from kmodgui.userspace.dialect import dialect
from kmodgui.userspace.getopt import GetoptError, getopt_long
from kmodgui.userspace.kmod import log_err, prog_name, version

MODULE_INIT_IGNORE_MODVERSIONS = 1
MODULE_INIT_IGNORE_VERMAGIC = 2

_LONG = {"version": ("V", False), "help": ("h", False)}


def insmod(ctx: ToolContext, argv: list[str]) -> ToolResult:
    d, prog, res = dialect(ctx), prog_name(argv[0]), ToolResult()
    try:
        parsed = getopt_long(prog, argv[1:], "psfVh", _LONG)
    except GetoptError as e:
        return res.errln(str(e)).done(1)
    flags = 0
    for c, _ in parsed.opts:
        if c == "f":
            flags |= MODULE_INIT_IGNORE_MODVERSIONS | MODULE_INIT_IGNORE_VERMAGIC
        elif c == "h":
            return res.out(d.text("insmod.help", prog=prog)).done(0)
        elif c == "V":
            return version(res, d)
    if not parsed.operands:
        log_err(res, d, prog, d.text("insmod.missing_filename"))
        return res.done(1)
    filename, params = parsed.operands[0], " ".join(parsed.operands[1:])
    if filename == "-":
        log_err(res, d, prog, d.text("insmod.stdin"))
        return res.done(1)
    return _insert(ctx, res, prog, filename, params, flags)


def _insert(ctx: ToolContext, res: ToolResult, prog: str, filename: str,
            params: str, flags: int) -> ToolResult:
    d = dialect(ctx)
    image = fs.module_image(ctx, filename)
    if image.build is not None:
        return report_failed_build(ctx, res, image.build, filename)
    if image.err:
        # kmod_module_new_from_path(): stat() failed
        log_err(res, d, prog, d.text("insmod.could_not_load", filename=filename,
                                     error=errnos.strerror(image.err)))
        return res.done(1)
    obj = image.ko if image.ko is not None else image.data or b""
    err = ctx.kernel.init_module(obj, params, flags, comm=prog)
    if err < 0:
        log_err(res, d, prog, d.text("insmod.could_not_insert", filename=filename,
                                     error=d.moderror(err)))
        return res.done(1)
    return res.done(0)
