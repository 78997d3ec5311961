"""module-init-tools 3.9 insmod.c: insmod FILENAME [ARGS...].

Old options -p, -s and -f in front of the file name are silently ignored
("for backwards compat"): this insmod cannot force anything.  Every
argument gets a trailing space and init_module(2)'s libc return value (-1)
is printed in front of the error text.
"""
from __future__ import annotations

from kmodgui.userspace import errnos, fs
from kmodgui.userspace.base import ToolContext, ToolResult
from kmodgui.userspace.build_report import report_failed_build
from kmodgui.userspace.dialect import dialect


def insmod(ctx: ToolContext, argv: list[str]) -> ToolResult:
    d, res = dialect(ctx), ToolResult()
    args = argv[1:]
    if args and args[0] in ("--version", "-V"):
        return res.outln(d.raw("version_lines")[0]).done(0)
    while args and args[0] in ("-p", "-s", "-f"):
        args = args[1:]
    if not args:
        return res.errln(d.text("insmod.usage", prog=argv[0])).done(1)
    filename = args[0]
    options = "".join(a + " " for a in args[1:])
    image = fs.module_image(ctx, filename)
    if image.build is not None:
        return report_failed_build(ctx, res, image.build, filename)
    if image.err:   # grab_file() failed
        res.errln(d.text("insmod.cant_read", filename=filename,
                         error=errnos.strerror(image.err)))
        return res.done(1)
    obj = image.ko if image.ko is not None else image.data or b""
    err = ctx.kernel.init_module(obj, options, 0, comm="insmod")
    if err < 0:
        res.errln(d.text("insmod.error_inserting", filename=filename, ret=-1,
                         error=d.moderror(err)))
        return res.done(1)
    return res.done(0)
