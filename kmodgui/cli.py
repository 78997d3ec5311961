"""kmodsim: the headless face of kmodgui, a shell on a simulated kernel.

    kmodsim [--profile NAME] [--config SYMBOL=y|n]... [-C DIR] [--echo]
            [-c 'CMD; CMD; ...' | SCRIPT]

Without -c or SCRIPT, commands are read from standard input (with a "# "
prompt when it is a terminal).  Each command's stdout and stderr go to the
real stdout and stderr in the order they were written; the exit status is
the last command's.  `help` lists the commands.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Iterable, TextIO

from kmodgui.kernel import profile
from kmodgui.kernel.kconfig import Kconfig
from kmodgui.session import CommandResult, Session
from kmodgui.userspace.base import ERR

EX_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kmodsim", description="A shell on a simulated Linux kernel: build, "
        "insmod and rmmod modules and see what a real kernel and its tools print.")
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
    return p


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
        interactive = sys.stdin.isatty()
        while True:
            if interactive:
                sys.stdout.write("# ")
                sys.stdout.flush()
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
    if argv[:1] == ["lesson"]:      # kmodsim lesson FILE [--module STUDENT.c] [-v]
        from kmodgui.lessons import lesson_main
        return lesson_main(argv[1:])
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
    session = Session(args.profile, config, args.cwd)
    try:
        return run_lines(session, _lines(args), args.echo, sys.stdout, sys.stderr)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
