"""kmodsim: the headless face of kmodgui, a shell on a simulated kernel.

    kmodsim [--profile NAME] [--config SYMBOL=y|n]... [-C DIR] [--echo]
            [-c 'CMD; CMD; ...' | SCRIPT]
    kmodsim audit FILE.c|NAME.ko [--json]     (the shell's `audit`, same output)
    kmodsim lesson FILE [--module STUDENT.c] [-v]
    kmodsim record --real [-C DIR] -c CMDS -o FILE   (a session on a real kernel)
    kmodsim compare FILE [-C DIR]             (a real recording against the simulator)
    kmodsim help [SUBCOMMAND]

Without -c or SCRIPT, commands are read from standard input; at a terminal
with a "# " prompt, line editing, history and Tab completion (terminal.py).  Each command's stdout and stderr go to the
real stdout and stderr in the order they were written; the exit status is
the last command's.  `help` lists the commands.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Iterable, TextIO

from kmodgui import SAMPLES_DIR, __version__
from kmodgui.kernel import profile
from kmodgui.kernel.kconfig import Kconfig
from kmodgui.session import CommandResult, Session
from kmodgui.userspace.base import ERR

EX_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kmodsim", description="A shell on a simulated Linux kernel: build, "
        "insmod and rmmod modules and see what a real kernel and its tools print.")
    p.add_argument("--version", action="version", version=f"kmodsim {__version__}")
    p.add_argument("--profile", choices=profile.available(), default=profile.DEFAULT_PROFILE,
                   help="kernel and tools: " + "; ".join(
                       f"{n}: {profile.load_profile(n).title}" for n in profile.available()))
    p.add_argument("--config", action="append", default=[], metavar="SYMBOL=y|n",
                   help="a Kconfig option of 'Enable loadable module support' (repeatable)")
    p.add_argument("-C", dest="cwd", metavar="DIR", type=Path,
                   help="the folder holding the module sources (default: the samples)")
    p.add_argument("--echo", action="store_true", help="print each command as '# CMD' first")
    p.add_argument("-c", dest="command", metavar="CMDS", help="run these commands and exit")
    p.add_argument("script", nargs="?", type=Path, help="a file of commands, one per line")
    p.add_argument("--real", action="store_true",
                   help="run the commands on a real kernel in QEMU instead of the simulator")
    p.add_argument("--real-kernel", metavar="VERSION", default=None,
                   help="with --real: the installed kernel to boot (default: the 6.1 "
                        "profile's, else the newest with headers)")
    p.epilog = ("subcommands: audit FILE.c|NAME.ko [--json], lesson FILE, record --real, "
                "compare FILE, help "
                "(each takes --help); `kmodsim -c help` lists the shell's commands")
    return p


def _audit_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kmodsim audit", description="Make each fallible call of the module's init "
        "fail in turn, on a fresh kernel each time, and judge the unwind.  Exit status: "
        "0 every path clean, 1 a bug was found, 2 usage error or a module that does "
        "not build.")
    p.add_argument("file", metavar="FILE.c|NAME.ko", help="the module: a path, or a "
                   "name in the samples when no such file is here")
    p.add_argument("--json", action="store_true", help="the report as JSON")
    p.add_argument("--profile", choices=profile.available(), default=profile.DEFAULT_PROFILE,
                   help="kernel profile")
    return p


def _audit_main(argv: list[str]) -> int:
    """The shell's `audit` command run from the command line: the file is
    taken from the current folder, else from the samples."""
    args = _audit_parser().parse_args(argv)
    target = Path(args.file)
    if not (target.exists() or target.with_suffix(".c").exists()) and \
            (SAMPLES_DIR / target.name).with_suffix(".c").exists():
        target = SAMPLES_DIR / target.name
    session = Session(args.profile, None, target.resolve().parent)
    result = session.run_argv(["audit", target.name] + (["--json"] if args.json else []))
    _write(result, sys.stdout, sys.stderr)
    return result.status


def _lesson_main(argv: list[str]) -> int:
    from kmodgui.lessons import lesson_main
    return lesson_main(argv)


def _help_main(argv: list[str]) -> int:
    if argv and argv[0] in SUBCOMMANDS and argv[0] != "help":
        return SUBCOMMANDS[argv[0]](["--help"])
    _parser().print_help()
    print("\ncommands of the shell (kmodsim -c 'CMD' or at the prompt):")
    result = Session().run_argv(["help"])
    _write(result, sys.stdout, sys.stderr)
    return 0


#: `kmodsim WORD ...` where WORD is one of these runs it instead of the shell
def _record_main(argv: list[str]) -> int:
    from kmodgui.realkernel.cli import record_main
    return record_main(argv)


def _compare_main(argv: list[str]) -> int:
    from kmodgui.realkernel.cli import compare_main
    return compare_main(argv)


SUBCOMMANDS = {"audit": _audit_main, "lesson": _lesson_main, "help": _help_main,
               "record": _record_main, "compare": _compare_main}


def _config(profile: str, items: list[str]) -> dict[str, bool]:
    kc = Kconfig.load(profile)
    changes: dict[str, bool] = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or value.lower() not in ("y", "n"):
            raise ValueError(f"--config expects SYMBOL=y or SYMBOL=n, not '{item}'")
        changes[kc.symbol(name).name] = value.lower() == "y"
    return kc.apply(kc.defaults(), changes)


def _write(result: CommandResult, out: TextIO, err: TextIO) -> None:
    for fd, text in result.chunks:
        stream = err if fd == ERR else out
        stream.write(text)
        stream.flush()


def _lines(args: argparse.Namespace) -> Iterable[str]:
    if args.command is not None:
        yield from args.command.splitlines()
    elif args.script is not None:
        yield from args.script.read_text().splitlines()
    else:
        while True:
            line = sys.stdin.readline()
            if not line:
                return
            yield line.rstrip("\n")


def run_lines(session: Session, lines: Iterable[str], echo: bool,
              out: TextIO, err: TextIO) -> int:
    status = 0
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if echo:
            out.write(f"# {line}\n")
            out.flush()
        result = session.run(line)
        _write(result, out, err)
        status = result.status
    return status


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] and argv[0] in SUBCOMMANDS:
        return SUBCOMMANDS[argv[0]](argv[1:])
    args = _parser().parse_args(argv)
    try:
        config = _config(args.profile, args.config)
    except ValueError as e:
        print(f"kmodsim: {e}", file=sys.stderr)
        return EX_USAGE
    if args.cwd is not None and not args.cwd.is_dir():
        print(f"kmodsim: {args.cwd}: not a folder", file=sys.stderr)
        return EX_USAGE
    if args.script is not None and not args.script.is_file():
        print(f"kmodsim: {args.script}: no such file", file=sys.stderr)
        return EX_USAGE
    if args.real:
        from kmodgui.realkernel.cli import run_real
        text = args.command if args.command is not None else (
            args.script.read_text() if args.script is not None else sys.stdin.read())
        return run_real(args.cwd or Path("."), text, args.real_kernel, sys.stdout, sys.stderr)
    session = Session(args.profile, config, args.cwd)
    if args.command is None and args.script is None and sys.stdin.isatty():
        from kmodgui.terminal import interactive
        return interactive(session, args.echo, sys.stdout, sys.stderr)
    try:
        return run_lines(session, _lines(args), args.echo, sys.stdout, sys.stderr)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
