"""kmod 30 tools/modinfo.c: the .modinfo strings of a module file.

A name that is an existing regular file ending in .ko is read as a path
(filename: shows its absolute path); anything else is looked up as an
alias in /lib/modules/$(uname -r), where out-of-tree modules are not
installed, so `modinfo hi` says "Module hi not found.".
"""
from __future__ import annotations

from kmodgui.userspace import errnos, fs
from kmodgui.userspace.base import ToolContext, ToolResult
from kmodgui.userspace.dialect import Dialect, dialect
from kmodgui.userspace.getopt import GetoptError, getopt_long
from kmodgui.userspace.kmod import log_err, path_to_modname, prog_name, version

_LONG = {"author": ("a", False), "description": ("d", False),
         "license": ("l", False), "parameters": ("p", False),
         "filename": ("n", False), "null": ("0", False), "field": ("F", True),
         "set-version": ("k", True), "basedir": ("b", True),
         "version": ("V", False), "help": ("h", False)}
_FIELD_OPTS = {"a": "author", "d": "description", "l": "license", "p": "parm",
               "n": "filename"}
_KMOD_EXTS = (".ko", ".ko.gz", ".ko.xz", ".ko.zst")


def modinfo(ctx: ToolContext, argv: list[str]) -> ToolResult:
    d, prog, res = dialect(ctx), prog_name(argv[0]), ToolResult()
    try:
        parsed = getopt_long(prog, argv[1:], "adlpn0F:k:b:Vh", _LONG)
    except GetoptError as e:
        return res.errln(str(e)).done(1)
    field, sep = None, "\n"
    for c, arg in parsed.opts:
        if c in _FIELD_OPTS:
            field = _FIELD_OPTS[c]
        elif c == "F":
            field = arg
        elif c == "0":
            sep = "\0"
        elif c == "V":
            return version(res, d)
        elif c == "h":
            return res.outln(f"Usage:\n\t{prog} [options] filename [args]").done(0)
    if not parsed.operands:
        log_err(res, d, prog, d.text("modinfo.missing"))
        return res.done(1)
    failed = False
    for name in parsed.operands:
        failed |= not _one(ctx, res, d, prog, name, field, sep)
    return res.done(1 if failed else 0)


def _one(ctx: ToolContext, res: ToolResult, d: Dialect, prog: str, name: str,
         field: str | None, sep: str) -> bool:
    image = fs.module_image(ctx, name) if name.endswith(_KMOD_EXTS) else None
    if image is None or image.err or image.build is not None:
        log_err(res, d, prog, d.text("modinfo.not_found", name=name))
        return False
    filename = fs.absolute(ctx, name)
    if field == "filename":
        res.out(filename + sep)
        return True
    if field is None:
        res.out(f"{'filename:':<16}{filename}{sep}")
    if image.ko is None:      # not ELF: kmod_elf_new() fails with ENOEXEC
        log_err(res, d, prog, d.text("modinfo.could_not_get", name=path_to_modname(name),
                                     error=errnos.strerror(errnos.ENOEXEC)))
        return False
    _print_info(res, list(image.ko.modinfo), field, sep)
    return True


def _print_info(res: ToolResult, info: list[tuple[str, str]], field: str | None,
                sep: str) -> None:
    """modinfo_do(): keys in .modinfo order, parameters gathered at the end."""
    if field == "parm":
        _print_params(res, info, sep, prefix="")
        return
    for key, value in info:
        if field is not None:
            if key == field:
                res.out(value + sep)
        elif key in ("parm", "parmtype"):
            continue
        elif sep == "\0":
            res.out(f"{key}={value}{sep}")
        else:
            # "%s:%-*s%s": a negative width (key over 15 chars) pads too
            res.out(f"{key}:{'':<{abs(15 - len(key))}}{value}{sep}")
    if field is None:
        _print_params(res, info, sep, prefix=f"{'parm:':<16}")


def _print_params(res: ToolResult, info: list[tuple[str, str]], sep: str,
                  prefix: str) -> None:
    """add_param() pushes each new name on the front of a list, so the
    parameters come out in reverse order of their first .modinfo entry."""
    params: dict[str, dict[str, str]] = {}
    for key, value in info:
        if key not in ("parm", "parmtype") or ":" not in value:
            continue
        pname, _, rest = value.partition(":")
        params.setdefault(pname, {})["desc" if key == "parm" else "type"] = rest
    for pname in reversed(list(params)):
        p = params[pname]
        if "desc" not in p:
            body = f"{pname}: ({p['type']})" if not prefix else f"{pname}:{p['type']}"
        elif "type" in p:
            body = f"{pname}:{p['desc']} ({p['type']})"
        else:
            body = f"{pname}:{p['desc']}"
        res.out(prefix + body + sep)
