"""Running a parsed shell line: lists, pipelines, redirections (as dash does).

A pipeline's commands run one after the other (the simulated machine has one
CPU and the tools read their whole input): each command's stdout text is the
next one's stdin.  Redirections are applied left to right before the command
runs, on a table of where each descriptor goes, so `> f 2>&1` sends both to
f and `2>&1 > f` sends only stdout there.  A redirection that fails (dash's
"cannot create" / "cannot open") skips the command with status 2.  Writes
reach files when the command is done: one write() of everything it printed,
which is what echo and printf do.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

from kmodgui.kernel.panic import TaskKilled
from kmodgui.userspace import errnos, fs
from kmodgui.userspace.base import ERR, OUT, ToolContext, ToolResult
from kmodgui.userspace.shell import Command, Redirect, ShellSyntaxError, parse, pipelines

#: what dash puts before its own messages when run as `sh` (its $0 and line)
PREFIX = "sh: 1: "
#: commands dash runs itself (its own output code, not coreutils')
DASH_BUILTINS = ("echo", "printf")
EX_REDIRECT = 2


class ShellHost(ToolContext, Protocol):
    last_status: int
    stdin: str


Runner = Callable[[list[str]], ToolResult]


@dataclass
class _Sink:
    """An open file a descriptor writes to."""
    path: str
    append: bool
    data: list[str] = field(default_factory=list)


_TERM_OUT, _TERM_ERR, _PIPE = "stdout", "stderr", "pipe"
Dest = str | _Sink


def _open_error(err: int, create: bool) -> str:
    """dash's errmsg(): ENOENT/ENOTDIR read as the action's own words."""
    if abs(err) in (errnos.ENOENT, errnos.ENOTDIR):
        return "Directory nonexistent" if create else "No such file"
    return errnos.strerror(err)


@dataclass
class _Setup:
    fds: dict[int, Dest]
    stdin: str
    sinks: list[_Sink]
    error: str = ""


def _redirect(ctx: ToolContext, setup: _Setup, r: Redirect) -> bool:
    if r.op == ">&":
        src = int(r.target)
        if src not in setup.fds:
            setup.error = f"{PREFIX}{src}: Bad file descriptor\n"
            return False
        setup.fds[r.fd] = setup.fds[src]
        return True
    if r.op == "<":
        err, text = fs.read_text(ctx, r.target)
        if err < 0:
            setup.error = f"{PREFIX}cannot open {r.target}: {_open_error(err, False)}\n"
            return False
        if r.fd == 0:
            setup.stdin = text
        return True
    err = fs.open_for_write(ctx, r.target)
    if err < 0:
        setup.error = f"{PREFIX}cannot create {r.target}: {_open_error(err, True)}\n"
        return False
    sink = _Sink(r.target, r.op == ">>")
    setup.sinks.append(sink)
    setup.fds[r.fd] = sink
    return True


def _route(chunks: list[tuple[int, str]], fds: dict[int, Dest],
           term: list[tuple[int, str]], piped: list[str]) -> None:
    for fd, text in chunks:
        dest = fds.get(fd, _TERM_ERR if fd == ERR else _TERM_OUT)
        if isinstance(dest, _Sink):
            dest.data.append(text)
        elif dest == _PIPE:
            piped.append(text)
        else:
            term.append((ERR if dest == _TERM_ERR else OUT, text))


def _flush(ctx: ToolContext, prog: str, sinks: list[_Sink],
           term: list[tuple[int, str]]) -> bool:
    ok = True
    for sink in sinks:
        err = fs.write_file(ctx, sink.path, "".join(sink.data), sink.append)
        if err < 0 and prog in DASH_BUILTINS:
            # dash's evalbltin(): a builtin's failed output is only
            # "I/O error" (outerr(out1)), after the shell's prefix
            term.append((ERR, f"{PREFIX}{prog}: {prog}: I/O error\n"))
            ok = False
        elif err < 0:     # the tool's write() failed: coreutils' "write error"
            term.append((ERR, f"{prog}: write error: {errnos.strerror(err)}\n"))
            ok = False
    return ok


def run_command(ctx: ShellHost, cmd: Command, stdin: str, piped_out: bool,
                run: Runner, term: list[tuple[int, str]]) -> tuple[int, str]:
    """One simple command: (status, what it wrote into the pipe).  The
    shell's own open() or write() of a redirection can reach module code
    (a /dev node): an oops there kills the process that made the call."""
    try:
        return _run_command(ctx, cmd, stdin, piped_out, run, term)
    except TaskKilled as e:
        term.append((ERR, errnos.strsignal(e.signal) + "\n"))
        return 128 + e.signal, ""


def _run_command(ctx: ShellHost, cmd: Command, stdin: str, piped_out: bool,
                 run: Runner, term: list[tuple[int, str]]) -> tuple[int, str]:
    status = ctx.last_status
    fds: dict[int, Dest] = {1: _PIPE if piped_out else _TERM_OUT, 2: _TERM_ERR}
    setup = _Setup(fds, stdin, [])
    for r in cmd.redirects:
        if not _redirect(ctx, setup, r.expanded(status)):
            term.append((ERR, setup.error))
            _close_sinks(ctx, setup.sinks)
            return EX_REDIRECT, ""
    argv = cmd.argv(status)
    piped: list[str] = []
    if argv:
        ctx.stdin = setup.stdin
        try:
            res = run(argv)
        except BaseException:          # the process died: its files are closed
            _close_sinks(ctx, setup.sinks)
            raise
        finally:
            ctx.stdin = ""
        _route(res.chunks, setup.fds, term, piped)
        result = res.status
    else:
        result = 0
    if not _flush(ctx, argv[0] if argv else "sh", setup.sinks, term) and result == 0:
        result = 1
    return result, "".join(piped)


def _close_sinks(ctx: ToolContext, sinks: list[_Sink]) -> None:
    for sink in sinks:
        fs.close_unwritten(ctx, sink.path)


def run_line(ctx: ShellHost, line: str, env: dict[str, str],
             run: Runner) -> tuple[list[str], int, list[tuple[int, str]]]:
    """Run a whole line: (last argv, $?, the terminal's chunks in order)."""
    try:
        commands = parse(line, env)
    except ShellSyntaxError as e:
        ctx.last_status = 2
        return [], 2, [(ERR, f"{PREFIX}{e}\n")]
    term: list[tuple[int, str]] = []
    argv: list[str] = []
    for pipe in pipelines(commands):
        op = pipe[0].op
        if (op == "&&" and ctx.last_status != 0) or (op == "||" and ctx.last_status == 0):
            continue
        data, before = "", ctx.last_status
        for i, cmd in enumerate(pipe):
            ctx.last_status = before      # every command of a pipeline sees the same $?
            argv = cmd.argv(before) or argv
            status, data = run_command(ctx, cmd, data if i else "", i < len(pipe) - 1,
                                       run, term)
            ctx.last_status = status
    return argv, ctx.last_status, term
