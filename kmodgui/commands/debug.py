"""kmodsim's debugger commands, gdb-like: debug, step, next, finish, continue,
back, break, delete, list, where, print, locals, fail, quit.

`debug insmod X.ko [params]` (or `debug rmmod NAME`) runs the command under
kmodgui.debugger.Debugger and pauses before the first statement of init
(exit).  Every stop prints the line about to run as `FILE:LINE: source`.
When the debugged command ends, its own output and exit status appear, as
if it had been typed without the debugger.
"""
from __future__ import annotations

from kmodgui.debugger import Debugger, Stop
from kmodgui.debug_eval import EvalError
from kmodgui.userspace.base import ToolResult, tool
from kmodgui.userspace.errnos import parse_errno


def debugger(ctx) -> Debugger:
    d = getattr(ctx, "debugger", None)
    if d is None or d.session is not ctx:
        d = Debugger(ctx)
        ctx.debugger = d
    return d


def _source(ctx, file: str) -> list[str]:
    """The lines of a loaded module's source file, as it was built."""
    for mod in ctx.kernel.modules.values():
        if file in mod.ko.source_text:
            return mod.ko.source_text[file].splitlines()
    return []


def source_line(ctx, stop: Stop) -> str:
    """`skull.c:42: 	err = register_those(...);` for a paused stop."""
    lines = _source(ctx, stop.site.file)
    text = lines[stop.site.line - 1] if 0 < stop.site.line <= len(lines) else ""
    return f"{stop.site.file}:{stop.site.line}: {text}"


def report(ctx, stop: Stop, prefix: str = "") -> ToolResult:
    """What a stop looks like in the terminal."""
    if stop is None:
        return ToolResult(1, "", "The program is not being run.\n")
    if stop.finished:
        res = stop.result
        out = ToolResult(res.status if res else 0)
        for fd, text in (res.chunks if res else []):
            (out.out if fd == 1 else out.err)(text)
        out.outln(f"[{' '.join(res.argv) if res else 'command'} exited with status "
                  f"{res.status if res else 0}]")
        return out
    where = "Breakpoint, " if stop.reason == "breakpoint" else prefix
    return ToolResult(0, f"{where}{source_line(ctx, stop)}\n")


def _needs_pause(ctx) -> ToolResult | None:
    d = debugger(ctx)
    if not d.active:
        return ToolResult(1, "", "The program is not being run.  "
                                 "Start one with: debug insmod FILE.ko\n")
    return None


@tool("debug", "debug insmod FILE.ko [p=v..] | debug rmmod NAME   run under the debugger")
def debug_cmd(ctx, argv: list[str]) -> ToolResult:
    if len(argv) < 2 or argv[1] not in ("insmod", "rmmod"):
        return ToolResult(2, "", "usage: debug insmod FILE.ko [param=value ...] | "
                                 "debug rmmod NAME\n")
    d = debugger(ctx)
    if d.active:
        return ToolResult(1, "", "a command is already being debugged: "
                                 "continue or quit it first\n")
    line = " ".join(_quote(a) for a in argv[1:])
    return report(ctx, d.start(line))


def _quote(arg: str) -> str:
    return arg if arg and all(c.isalnum() or c in "._-=/,:" for c in arg) else repr(arg)


def _motion(name: str, summary: str, method: str) -> None:
    def cmd(ctx, argv: list[str]) -> ToolResult:
        bad = _needs_pause(ctx)
        if bad is not None and method not in ("back", "back_over"):
            return bad
        d = debugger(ctx)
        if method == "back":
            return _back(ctx, d, argv[1:] == ["next"])
        return report(ctx, getattr(d, method)())
    tool(name, summary)(cmd)


def _back(ctx, d: Debugger, over: bool) -> ToolResult:
    """back [next]: refused, with the reason, when the replay could not
    rebuild the machine that was (a reboot since, a later command, ...)."""
    why = d.why_no_back()
    if not why:
        stop = d.back_over() if over else d.back()
        why = d.refusal
        if not why:
            return report(ctx, stop)
    return ToolResult(1, "", f"cannot step back: {why}\n")


_motion("step", "step                 debugger: run one statement, entering calls", "step")
_motion("next", "next                 debugger: run one statement, over calls", "next")
_motion("finish", "finish               debugger: run until the current function returns",
        "finish")
_motion("continue", "continue             debugger: run to a breakpoint or the end", "cont")
_motion("back", "back [next]          debugger: step back one statement (over calls)", "back")


@tool("break", "break FILE:LINE|FUNC  debugger: set a breakpoint")
def break_cmd(ctx, argv: list[str]) -> ToolResult:
    d = debugger(ctx)
    if len(argv) != 2:
        return ToolResult(2, "", "usage: break FILE:LINE | break FUNCTION\n")
    spec = argv[1]
    file, sep, line = spec.rpartition(":")
    if sep and line.isdigit():
        d.breaks.lines.add((file, int(line)))
        return ToolResult(0, f"Breakpoint at {file}:{line}\n")
    d.breaks.funcs.add(spec)
    return ToolResult(0, f"Breakpoint at {spec}()\n")


@tool("delete", "delete               debugger: remove all breakpoints")
def delete_cmd(ctx, argv: list[str]) -> ToolResult:
    d = debugger(ctx)
    d.breaks.lines.clear()
    d.breaks.funcs.clear()
    return ToolResult(0)


@tool("where", "where                debugger: the call stack")
def where_cmd(ctx, argv: list[str]) -> ToolResult:
    bad = _needs_pause(ctx)
    if bad:
        return bad
    out = ToolResult(0)
    for i, f in enumerate(debugger(ctx).frames()):
        out.outln(f"#{i}  {f.func} () at {f.file}:{f.line} [{f.module}]")
    return out


@tool("locals", "locals               debugger: the current function's variables")
def locals_cmd(ctx, argv: list[str]) -> ToolResult:
    bad = _needs_pause(ctx)
    if bad:
        return bad
    values = debugger(ctx).locals()
    if not values:
        return ToolResult(0, "No locals.\n")
    return ToolResult(0, "".join(f"{k} = {v}\n" for k, v in values.items()))


@tool("print", "print EXPR           debugger: a C expression in the current frame")
def print_cmd(ctx, argv: list[str]) -> ToolResult:
    bad = _needs_pause(ctx)
    if bad:
        return bad
    expr = " ".join(argv[1:])
    if not expr:
        return ToolResult(2, "", "usage: print EXPR\n")
    try:
        value = debugger(ctx).evaluate(expr)
    except EvalError as e:
        return ToolResult(1, "", f"{e}\n")
    n = getattr(ctx, "_print_count", 0) + 1
    ctx._print_count = n
    return ToolResult(0, f"${n} = {value}\n")


@tool("list", "list                 debugger: source around the current line")
def list_cmd(ctx, argv: list[str]) -> ToolResult:
    bad = _needs_pause(ctx)
    if bad:
        return bad
    stop = debugger(ctx).stop
    lines = _source(ctx, stop.site.file)
    lo, hi = max(1, stop.site.line - 5), min(len(lines), stop.site.line + 4)
    out = ToolResult(0)
    for n in range(lo, hi + 1):
        mark = "=>" if n == stop.site.line else "  "
        out.outln(f"{mark}{n:4}\t{lines[n - 1]}")
    return out


@tool("fail", "fail [FUNC] ERRNO    debugger: make the next call (of FUNC) fail")
def fail_cmd(ctx, argv: list[str]) -> ToolResult:
    bad = _needs_pause(ctx)
    if bad:
        return bad
    if len(argv) not in (2, 3):
        return ToolResult(2, "", "usage: fail [FUNCTION] ERRNO   (ENOMEM, -ENOMEM or -12)\n")
    try:
        errno = parse_errno(argv[-1])
    except ValueError as e:
        return ToolResult(2, "", f"fail: {e}\n")
    func = argv[1] if len(argv) == 3 else None
    debugger(ctx).fail(func, errno)
    what = f"the next call of {func}()" if func else "the next fault-injectable call"
    return ToolResult(0, f"{what} will fail with -{_name(errno)} (-{errno})\n")


def _name(errno: int) -> str:
    from kmodgui.userspace.errnos import errno_name
    return errno_name(errno)


@tool("quit", "quit                 debugger: stop debugging, let the command finish")
def quit_cmd(ctx, argv: list[str]) -> ToolResult:
    d = debugger(ctx)
    if not d.active:
        return ToolResult(0)
    d.quit()
    return report(ctx, d.stop)
