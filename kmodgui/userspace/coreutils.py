"""cat, echo, ls, uname, true, false: enough of coreutils to look at
/proc/modules, /sys/module/<m>/... and the module sources."""
from __future__ import annotations

from kmodgui.userspace import errnos, fs
from kmodgui.userspace.base import ToolContext, ToolResult, tool
from kmodgui.userspace.dialect import dialect


def _error(ctx: ToolContext, res: ToolResult, prog: str, path: str, err: int) -> None:
    res.errln(dialect(ctx).text("coreutils.error", prog=prog, path=path,
                                error=errnos.strerror(err)))


@tool("cat", "cat FILE...                             print files (/proc, /sys, sources)")
def cat(ctx: ToolContext, argv: list[str]) -> ToolResult:
    res = ToolResult()
    for path in argv[1:]:
        err, text = fs.read_text(ctx, path)
        if err < 0:
            _error(ctx, res, "cat", path, err)
            res.status = 1
        else:
            res.out(text)
    return res


def _echo_escapes(text: str) -> tuple[str, bool]:
    """echo -e: backslash escapes; \\c stops the output (and the newline)."""
    table = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "b": "\b",
             "e": "\x1b", "f": "\f", "r": "\r", "v": "\v"}
    out, i = [], 0
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
