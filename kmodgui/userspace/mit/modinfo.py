"""module-init-tools 3.9 modinfo.c.

A name with a '.' or '/' is a file, read as given (filename: shows it as
typed); any other name is searched in /lib/modules/`uname -r`/modules.dep,
where out-of-tree modules are not.  A file that is not ELF prints nothing.
"""
from __future__ import annotations

from kmodgui.userspace import errnos, fs
from kmodgui.userspace.base import ToolContext, ToolResult
from kmodgui.userspace.dialect import dialect
from kmodgui.userspace.getopt import GetoptError, getopt_long

_LONG = {"author": ("a", False), "description": ("d", False),
         "license": ("l", False), "parameters": ("p", False),
         "filename": ("n", False), "version": ("V", False), "help": ("h", False),
         "null": ("0", False), "field": ("F", True)}
_FIELD_OPTS = {"a": "author", "d": "description", "l": "license", "p": "parm",
               "n": "filename"}


def modinfo(ctx: ToolContext, argv: list[str]) -> ToolResult:
    d, res = dialect(ctx), ToolResult()
    usage = d.text("modinfo.usage", prog=argv[0])
    try:
        parsed = getopt_long(argv[0], argv[1:], "adlpVhn0F:k:b:", _LONG)
    except GetoptError as e:
        return res.errln(str(e)).err(usage).done(1)
    field, sep = None, "\n"
    for c, arg in parsed.opts:
        if c in _FIELD_OPTS:
            field = _FIELD_OPTS[c]
        elif c == "F":
            field = arg
        elif c == "0":
            sep = "\0"
        elif c == "V":
            return res.outln(d.raw("version_lines")[0]).done(0)
        elif c == "h":
            return res.err(usage).done(0)
    if not parsed.operands:
        return res.err(usage).done(1)
    status = 0
    for name in parsed.operands:
        if not _one(ctx, res, name, field, sep):
            status = 1
    return res.done(status)


def _one(ctx: ToolContext, res: ToolResult, name: str, field: str | None,
         sep: str) -> bool:
    d = dialect(ctx)
    if "." not in name and "/" not in name:
        res.errln(d.text("modinfo.could_not_find", name=name))
        return False
    image = fs.module_image(ctx, name)
    if image.build is not None or image.err:
        err = image.err or -errnos.ENOENT
        res.errln(d.text("modinfo.could_not_open", name=name, error=errnos.strerror(err)))
        return False
    if image.ko is None:         # get_section(): not ELF, no .modinfo
        return True
    info = list(image.ko.modinfo)
    if field is not None:
        _print_tag(res, info, field, name, sep)
    else:
        _print_all(res, info, name, sep)
    return True


def _print_tag(res: ToolResult, info: list[tuple[str, str]], tag: str,
               filename: str, sep: str) -> None:
    if tag == "filename":
        res.out(filename + sep)
        return
    for key, value in info:
        if key == tag:
            res.out(value + sep)


def _print_all(res: ToolResult, info: list[tuple[str, str]], filename: str,
               sep: str) -> None:
    res.out(f"{'filename:':<16}{filename}{sep}")
    params: dict[str, dict[str, str]] = {}
    for key, value in info:
        if key in ("parm", "parmtype") and ":" in value:
            pname, _, rest = value.partition(":")
            params.setdefault(pname + ":", {})["param" if key == "parm" else "type"] = rest
        elif sep == "\0":
            res.out(f"{key}={value}{sep}")
        else:
            res.out(f"{key + ':':<16}{value}{sep}")
    # add_param() prepends: parameters come out in reverse order
    for pname in reversed(list(params)):
        p = params[pname]
        if "param" not in p:
            res.out(f"{'parm:':<16}{pname}{p['type']}{sep}")
        elif "type" in p:
            res.out(f"{'parm:':<16}{pname}{p['param']} ({p['type']}){sep}")
        else:
            res.out(f"{'parm:':<16}{pname}{p['param']}{sep}")
