"""cat, echo, ls, uname, true, false, cd, pwd, sleep, clear, mknod, dd:
enough of coreutils (and the shell's builtins) to look at /proc/modules,
/sys/module/<m>/..., the module sources and the scratch /tmp."""
from __future__ import annotations

import os

from kmodgui.kernel.kapi.reads import Reader
from kmodgui.userspace import errnos, fs
from kmodgui.userspace.base import ToolContext, ToolResult, tool
from kmodgui.userspace.dialect import dialect


def _error(ctx: ToolContext, res: ToolResult, prog: str, path: str, err: int) -> None:
    res.errln(dialect(ctx).text("coreutils.error", prog=prog, path=path,
                                error=errnos.strerror(err)))


@tool("cat", "cat [-n] [FILE...]                       print files (/proc, /sys, sources, stdin)")
def cat(ctx: ToolContext, argv: list[str]) -> ToolResult:
    res = ToolResult()
    number = "-n" in argv[1:]
    files = [a for a in argv[1:] if a != "-n"]
    line_no = 0
    for path in files or ["-"]:
        if path == "-":
            err, text = 0, getattr(ctx, "stdin", "")
        else:
            err, text = fs.read_text(ctx, path)
        if err < 0:
            _error(ctx, res, "cat", path, err)
            res.status = 1
            continue
        if number:             # cat -n: "%6d\t" before each line
            lines = text.split("\n")
            done = [f"{line_no + i + 1:6d}\t{ln}" for i, ln in enumerate(lines[:-1])]
            line_no += len(done)
            tail = lines[-1]
            if tail:
                line_no += 1
                done.append(f"{line_no:6d}\t{tail}")
                text = "\n".join(done)
            else:
                text = "".join(d + "\n" for d in done)
        res.out(text)
    return res


def _echo_escapes(text: str) -> tuple[str, bool]:
    """echo -e: backslash escapes; \\c stops the output (and the newline)."""
    table = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "b": "\b",
             "e": "\x1b", "f": "\f", "r": "\r", "v": "\v"}
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            c = text[i + 1]
            if c == "c":
                return "".join(out), False
            out.append(table.get(c, "\\" + c))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out), True


@tool("echo", "echo [-n] [-e] TEXT...                  print text ($? is the last status)")
def echo(ctx: ToolContext, argv: list[str]) -> ToolResult:
    args, newline, escapes = argv[1:], True, False
    while args and args[0] in ("-n", "-e", "-E", "-ne", "-en"):
        newline &= "n" not in args[0]
        escapes = "e" in args[0] or (escapes and args[0] != "-E")
        args = args[1:]
    text = " ".join(args)
    if escapes:
        text, keep = _echo_escapes(text)
        newline &= keep
    return ToolResult(0, text + ("\n" if newline else ""))


@tool("ls", "ls [DIR|FILE...]                        list the folder (built .ko too), /sys, /proc")
def ls(ctx: ToolContext, argv: list[str]) -> ToolResult:
    res = ToolResult()
    paths = [a for a in argv[1:] if not a.startswith("-")] or ["."]
    for path in paths:
        err, names = fs.list_dir(ctx, path)
        if err == -errnos.ENOTDIR:
            res.outln(path)
        elif err < 0:
            res.errln(f"ls: cannot access '{path}': {errnos.strerror(err)}")
            res.status = 2
        else:
            if len(paths) > 1:
                res.outln(f"{path}:")
            for name in names:
                res.outln(name)
    return res


@tool("uname", "uname [-r]                              kernel release")
def uname(ctx: ToolContext, argv: list[str]) -> ToolResult:
    if argv[1:] == ["-r"]:
        return ToolResult(0, ctx.profile.release + "\n")
    if argv[1:] in ([], ["-s"]):
        return ToolResult(0, "Linux\n")
    return ToolResult(1, "", "uname: only -r and -s are simulated\n")


@tool("true", "true                                    do nothing, successfully")
def true(ctx: ToolContext, argv: list[str]) -> ToolResult:
    return ToolResult(0)


@tool("false", "false                                   do nothing, unsuccessfully")
def false(ctx: ToolContext, argv: list[str]) -> ToolResult:
    return ToolResult(1)


@tool("cd", "cd [DIR]                                change directory (/proc, /sys, /dev, /tmp, ~)")
def cd(ctx: ToolContext, argv: list[str]) -> ToolResult:
    """dash's cd: `can't cd to DIR` when it is not a directory.  Without an
    argument (or `~`, or the module folder itself) it goes back to the folder."""
    target = argv[1] if len(argv) > 1 else "~"
    home = fs.absolute(ctx, ".")
    path = fs.resolve(ctx, target)
    if target in ("~", "/root") or path == home:
        setattr(ctx, "vcwd", None)
        return ToolResult(0)
    if fs.is_virtual(path) and fs.list_dir(ctx, path)[0] == 0:
        setattr(ctx, "vcwd", path)
        return ToolResult(0)
    return ToolResult(2, "", f"sh: 1: cd: can't cd to {target}\n")


@tool("pwd", "pwd                                     print the current directory")
def pwd(ctx: ToolContext, argv: list[str]) -> ToolResult:
    return ToolResult(0, (getattr(ctx, "vcwd", None) or fs.absolute(ctx, ".")) + "\n")


@tool("clear", "clear                                   clear the terminal")
def clear(ctx: ToolContext, argv: list[str]) -> ToolResult:
    # what ncurses' clear writes for TERM=xterm: home, erase, erase scrollback
    return ToolResult(0, "\x1b[H\x1b[2J\x1b[3J")


SLEEP_CAP_S = 60


@tool("sleep", "sleep SECONDS                           let simulated time pass (60 s at most)")
def sleep(ctx: ToolContext, argv: list[str]) -> ToolResult:
    if len(argv) < 2:
        return ToolResult(1, "", "sleep: missing operand\nTry 'sleep --help' for more "
                          "information.\n")
    total = 0.0
    for arg in argv[1:]:
        unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(arg[-1:], None)
        try:
            total += float(arg[:-1] if unit else arg) * (unit or 1)
        except ValueError:
            return ToolResult(1, "", f"sleep: invalid time interval '{arg}'\nTry 'sleep "
                              "--help' for more information.\n")
    # the kernel's timers and kthreads run while we sleep; capped at a
    # minute of simulated time (a module's periodic timer would otherwise
    # make a long sleep cost minutes of real time)
    ctx.kernel.idle(int(min(total, SLEEP_CAP_S) * 1_000_000_000))
    return ToolResult(0)


@tool("mknod", "mknod NAME c|b MAJOR MINOR              make a device node (/dev or /tmp)")
def mknod(ctx: ToolContext, argv: list[str]) -> ToolResult:
    args = [a for a in argv[1:] if not a.startswith("-m")]
    if len(args) != 4 or args[1] not in ("c", "b", "u", "p"):
        return ToolResult(1, "", "mknod: missing operand\nTry 'mknod --help' for more "
                          "information.\n")
    path = fs.resolve(ctx, args[0])
    if path.startswith("/dev/") and args[1] in ("c", "u"):
        return _mknod_dev(ctx, args[0], path, int(args[2], 0), int(args[3], 0))
    err = fs.open_for_write(ctx, args[0])
    if err < 0 and not (path.startswith("/dev/") and err == -errnos.ENOENT):
        return ToolResult(1, "", f"mknod: {args[0]}: {errnos.strerror(err)}\n")
    nodes = getattr(ctx, "device_nodes", None)
    if nodes is None:
        nodes = {}
        setattr(ctx, "device_nodes", nodes)
    if path in nodes:
        return ToolResult(1, "", f"mknod: {args[0]}: File exists\n")
    nodes[path] = (args[1], int(args[2], 0), int(args[3], 0))
    return ToolResult(0)


def _mknod_dev(ctx: ToolContext, name: str, path: str, major: int, minor: int) -> ToolResult:
    """mknod(2) of a character node in /dev (a devtmpfs, writable by root)."""
    if fs.exists(ctx, path):
        return ToolResult(1, "", f"mknod: {name}: File exists\n")
    if os.path.dirname(path) != "/dev":
        return ToolResult(1, "", f"mknod: {name}: No such file or directory\n")
    ctx.kernel.mknod(path, major, minor)
    return ToolResult(0)


@tool("dd", "dd if=FILE [of=FILE] [bs=N] [count=N]   copy a file in blocks")
def dd(ctx: ToolContext, argv: list[str]) -> ToolResult:
    """dd: read(2) of bs bytes at a time (count times), a write(2) of each
    block read; the records line counts full and partial blocks."""
    ops = dict(a.split("=", 1) for a in argv[1:] if "=" in a)
    src = ops.get("if", "-")
    bs = int(ops.get("bs", "512"))
    count = int(ops["count"]) if "count" in ops else None
    reader = Reader(chunk=bs, calls=count)
    if src == "-":
        err, text = 0, getattr(ctx, "stdin", "")
        data = text.encode("utf-8", "surrogateescape")
        data = data if count is None else data[:bs * count]
        sizes = [len(data[i:i + bs]) for i in range(0, len(data), bs)]
    else:
        err, text = fs.read_text(ctx, src, reader)
        data = text.encode("latin-1" if fs.is_virtual(fs.resolve(ctx, src)) else "utf-8",
                           "surrogateescape")
        if not reader.sizes and count is not None:   # a file of the kernel's own text
            data = data[:bs * count]
        sizes = [n for n in reader.sizes if n > 0] or \
            [len(data[i:i + bs]) for i in range(0, len(data), bs)]
    if err < 0:
        return ToolResult(1, "", f"dd: failed to open '{src}': {errnos.strerror(err)}\n")
    res = ToolResult()
    dst = ops.get("of")
    if dst is None:
        res.out(data.decode("utf-8", "replace"))
    else:
        err = fs.open_for_write(ctx, dst)
        err = err or fs.write_file(ctx, dst, data.decode("utf-8", "surrogateescape"),
                                   block=bs)
        if err < 0:
            return res.errln(f"dd: failed to open '{dst}': {errnos.strerror(err)}").done(1)
    full = sum(1 for n in sizes if n >= bs)      # a read of bs or more is a full record
    part = len(sizes) - full
    out_full = sum(1 for n in sizes if n == bs)  # each block is written as read
    res.errln(f"{full}+{part} records in")
    res.errln(f"{out_full}+{len(sizes) - out_full} records out")
    res.errln(f"{len(data)} bytes copied")
    return res
