"""kmod 30 tools/rmmod.c: rmmod [-f] MODULE...

Unless forced, check_module_inuse() first asks sysfs, as libkmod does:
/sys/module/<m>/initstate (absent: not loaded), holders/ (other modules
using it), refcnt (in use; absent: no CONFIG_MODULE_UNLOAD).  Then
kmod_module_remove_module() calls delete_module(name, O_NONBLOCK [|O_TRUNC])
and, on failure, both libkmod and rmmod log an error: two lines.
"""
from __future__ import annotations

from kmodgui.userspace import errnos, fs
from kmodgui.userspace.base import ToolContext, ToolResult
from kmodgui.userspace.dialect import Dialect, dialect
from kmodgui.userspace.getopt import GetoptError, getopt_long
from kmodgui.userspace.kmod import (libkmod_err, log_err, modname_normalize,
                                    path_to_modname, prog_name, version)

O_NONBLOCK, O_TRUNC = 0o4000, 0o1000
KMOD_REMOVE_FORCE = O_TRUNC

_LONG = {"force": ("f", False), "syslog": ("s", False), "verbose": ("v", False),
         "version": ("V", False), "wait": ("w", False), "help": ("h", False)}


def rmmod(ctx: ToolContext, argv: list[str]) -> ToolResult:
    d, prog, res = dialect(ctx), prog_name(argv[0]), ToolResult()
    try:
        parsed = getopt_long(prog, argv[1:], "fsvVwh", _LONG)
    except GetoptError as e:
        return res.errln(str(e)).done(1)
    flags = 0
    for c, _ in parsed.opts:
        if c == "f":
            flags |= KMOD_REMOVE_FORCE
        elif c == "h":
            return res.out(d.text("rmmod.help", prog=prog)).done(0)
        elif c == "V":
            return version(res, d)
        elif c == "w":
            # kmod 30 still lists --wait in its option table but no longer
            # handles it: the switch falls through to its default case
            log_err(res, d, prog, d.text("kmod.unexpected_option", c=c))
            return res.done(1)
    if not parsed.operands:
        log_err(res, d, prog, d.text("rmmod.missing_name"))
        return res.done(1)
    failures = sum(_remove_one(ctx, res, d, prog, arg, flags)
                   for arg in parsed.operands)
    return res.done(0 if failures == 0 else 1)


def _remove_one(ctx: ToolContext, res: ToolResult, d: Dialect, prog: str,
                arg: str, flags: int) -> int:
    """One iteration of do_rmmod()'s loop; returns 1 on failure."""
    if fs.exists(ctx, arg):
        name = path_to_modname(arg)           # kmod_module_new_from_path
    else:
        name = modname_normalize(arg)         # kmod_module_new_from_name
    if not flags & KMOD_REMOVE_FORCE and _check_module_inuse(ctx, res, d, prog, name) < 0:
        return 1
    # kmod_module_remove_module(): "Filter out other flags and force ONONBLOCK"
    err = ctx.kernel.delete_module(name, (flags & KMOD_REMOVE_FORCE) | O_NONBLOCK)
    if err < 0:
        text = errnos.strerror(err)
        libkmod_err(res, d, prog, "kmod.remove_module_site",
                    d.text("rmmod.libkmod_could_not_remove", name=name, error=text))
        log_err(res, d, prog, d.text("rmmod.could_not_remove", arg=arg, error=text))
        return 1
    return 0


def _initstate(ctx: ToolContext, name: str) -> str | None:
    """kmod_module_get_initstate(): None when the module is not loaded."""
    err, text = ctx.kernel.read_file(f"/sys/module/{name}/initstate")
    if err == 0:
        state = text.strip()
        return state if state in ("live", "coming", "going") else None
    derr, _ = ctx.kernel.list_dir(f"/sys/module/{name}")
    return "coming" if derr == 0 else None   # directory without initstate


def _check_module_inuse(ctx: ToolContext, res: ToolResult, d: Dialect,
                        prog: str, name: str) -> int:
    if _initstate(ctx, name) is None:
        log_err(res, d, prog, d.text("rmmod.not_loaded", name=name))
        return -errnos.ENOENT
    err, holders = ctx.kernel.list_dir(f"/sys/module/{name}/holders")
    if err == 0 and holders:
        head = d.text("kmod.log", prog=prog, prio="ERROR",
                      text=d.text("rmmod.in_use_by", name=name))
        res.errln(head + "".join(f" {h}" for h in holders))
        return -errnos.EBUSY
    err, text = ctx.kernel.read_file(f"/sys/module/{name}/refcnt")
    if err == -errnos.ENOENT:
        log_err(res, d, prog, d.text("rmmod.no_unload"))
        return err
    if err == 0 and int(text.strip() or 0) > 0:
        log_err(res, d, prog, d.text("rmmod.in_use", name=name))
        return -errnos.EBUSY
    return 0
