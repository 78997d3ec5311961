"""module-init-tools 3.9 rmmod.c: rmmod [-fw] MODULE...

Default flags O_NONBLOCK|O_EXCL ("O_EXCL so kernels can spot old rmmod
versions"); -f adds O_TRUNC, -w clears O_NONBLOCK (the 2.6.30 kernel then
waits, uninterruptibly, for the use count to drop).  A non-blocking,
unforced removal first checks /proc/modules (check_usage).
"""
from __future__ import annotations

from kmodgui.userspace import errnos
from kmodgui.userspace.base import ToolContext, ToolResult
from kmodgui.userspace.dialect import Dialect, dialect
from kmodgui.userspace.getopt import GetoptError, getopt_long
from kmodgui.userspace.mit import Fatal, filename2modname, next_field

O_EXCL, O_TRUNC, O_NONBLOCK = 0o200, 0o1000, 0o4000

_LONG = {"all": ("a", False), "force": ("f", False), "help": ("h", False),
         "syslog": ("s", False), "verbose": ("v", False),
         "version": ("V", False), "wait": ("w", False)}


def rmmod(ctx: ToolContext, argv: list[str]) -> ToolResult:
    d, res = dialect(ctx), ToolResult()
    usage = d.text("rmmod.usage", prog=argv[0])
    try:
        parsed = getopt_long(argv[0], argv[1:], "afh?swvV", _LONG)
    except GetoptError as e:
        return res.errln(str(e)).err(usage).done(1)
    flags, all_, verbose = O_NONBLOCK | O_EXCL, False, False
    for c, _ in parsed.opts:
        if c == "a":
            all_ = True
        elif c == "f":
            flags |= O_TRUNC
        elif c == "w":
            flags &= ~O_NONBLOCK
        elif c == "v":
            verbose = True
        elif c == "V":
            return res.outln(d.raw("version_lines")[0]).done(0)
        elif c in "h?":
            return res.err(usage).done(1)
    if not parsed.operands:
        if all_:
            return res.done(1)        # "FIXME implement"
        return res.errln(d.text("rmmod.no_names")).err(usage).done(1)
    status = 0
    try:
        for arg in parsed.operands:
            if _rmmod(ctx, res, d, arg, flags, verbose) != 0:
                status = 1
    except Fatal as e:
        res.errln(str(e))
        return res.done(1)
    return res.done(status)


def _rmmod(ctx: ToolContext, res: ToolResult, d: Dialect, path: str,
           flags: int, verbose: bool) -> int:
    name = filename2modname(path)
    if flags & O_NONBLOCK and not flags & O_TRUNC:
        if _check_usage(ctx, res, d, name) != 0:
            return 1
    if verbose:
        res.errln(d.text("rmmod.verbose", name=name,
                         wait="no" if flags & O_NONBLOCK else "yes",
                         force=" force" if flags & O_TRUNC else ""))
    err = ctx.kernel.delete_module(name, flags)
    if err < 0:
        res.errln(d.text("rmmod.removing", name=name, error=errnos.strerror(err)))
        return 1
    return 0


def _check_usage(ctx: ToolContext, res: ToolResult, d: Dialect, name: str) -> int:
    """check_usage(): 0 if the module may go, else report why not."""
    err, text = ctx.kernel.read_file("/proc/modules")
    if err == -errnos.ENOENT:
        return 0                          # "/proc may not be mounted."
    if err < 0:
        raise Fatal(d.text("rmmod.cant_open", error=errnos.strerror(err)))
    for line in text.splitlines(keepends=True):
        fields = line.split()
        if not fields or fields[0] != name:
            continue
        if len(fields) < 3 or not fields[2].isdigit():    # sscanf() read 2 fields
            raise Fatal(d.text("rmmod.no_unload"))
        if int(fields[2]) != 0:
            _mod_in_use(res, d, name, next_field(next_field(next_field(line))))
            return -errnos.EINVAL
        return 0
    res.errln(d.text("rmmod.not_exist", name=name))
    return -errnos.EINVAL


def _mod_in_use(res: ToolResult, d: Dialect, name: str, usedby: str) -> None:
    """mod_in_use(): the deps field, trailing comma "blatted" for neatness."""
    if usedby.startswith("-") or usedby == "":
        res.errln(d.text("rmmod.in_use", name=name))
        return
    if "," in usedby:
        usedby = usedby[:_strcspn(usedby, " \n") - 1]
    else:
        usedby = usedby[:-1]
    res.errln(d.text("rmmod.in_use_by", name=name, users=usedby))


def _strcspn(s: str, reject: str) -> int:
    for i, ch in enumerate(s):
        if ch in reject:
            return i
    return len(s)
