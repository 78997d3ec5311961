"""kmodsim --real, kmodsim record --real and kmodsim compare."""
from __future__ import annotations

import argparse
import re
import signal
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from kmodgui.lessons.model import Lesson, LessonError
from kmodgui.realkernel import machine, plan, transcript

EX_USAGE = 64
EX_UNAVAILABLE = 69
#: kmodsim's status for a bad argument (argparse's too)
EX_BAD_INPUT = 2


def _check(version_wanted: str | None, err: TextIO) -> str | None:
    version = machine.pick_version(version_wanted)
    if version is None:
        want = version_wanted or machine.DEFAULT_VERSION
        err.write(f"kmodsim: no installed kernel {want} with its headers; install it with:\n"
                  f"  {machine.install_hint([f'linux-image-{want}', f'linux-headers-{want}'])}\n")
        return None
    missing = machine.missing_packages(version)
    if missing:
        err.write("kmodsim: the real-kernel backend needs: " + " ".join(missing) + "\n"
                  f"  install them with: {machine.install_hint(missing)}\n")
        return None
    return version


def _split(text: str, per_command: bool) -> list[str]:
    """One step per line; in a recording, also one per `;` outside quotes."""
    lines = [ln.strip() for ln in text.splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    if not per_command:
        return lines
    steps: list[str] = []
    for ln in lines:
        parts = re.split(r";(?=(?:[^'\"]|'[^']*'|\"[^\"]*\")*$)", ln)
        steps += [p.strip() for p in parts if p.strip()]
    return steps


def _commands(line: str) -> list[str]:
    """A line as the real machine runs it: whole (one shell), unless a
    part of its `;` list is one the real machine does not run."""
    parts = _split(line, True)
    return parts if any(plan.not_run(p) for p in parts) else [line]


def run_real(folder: Path, text: str, version_wanted: str | None,
             out: TextIO, err: TextIO) -> int:
    """Print what the real machine printed, command by command."""
    version = _check(version_wanted, err)
    if version is None:
        return EX_UNAVAILABLE
    items = [plan.Item(c, folder) for line in _split(text, False) for c in _commands(line)]
    session = plan.record(items, version, record_state=False)
    if session.build_status != 0:
        err.write(session.build_output)
    status = 0
    for step in session.steps:
        if step.not_run:
            err.write(f"kmodsim: {step.command}: not run on the real machine: {step.not_run}\n")
            continue
        for line in step.stdout:
            out.write(line + "\n")
        out.flush()                    # the steps' outputs in their order
        for line in step.stderr:
            err.write(line + "\n")
        err.flush()
        status = 124 if step.status is None else step.status
    if session.note:
        err.write(f"kmodsim: {session.note}\n")
        for step in session.steps[-1:]:
            for line in step.dmesg:
                out.write(re.sub(r"^<\d>", "", line) + "\n")
    out.flush()
    return status


def _say(text: str) -> None:
    sys.stderr.write(f"kmodsim: {text}\n")
    sys.stderr.flush()


def _stop(_signum: int, _frame: object) -> None:
    """SIGTERM (a cancelled recording): unwind, so the VM is stopped and
    the temp folder removed on the way out."""
    raise SystemExit(143)


def _lesson(name: str) -> Lesson | None:
    """A lesson file, else the bundled lesson of that name."""
    from kmodgui import LESSONS_DIR
    from kmodgui.lessons.loader import load_lesson
    path = Path(name)
    if not path.is_file():
        path = LESSONS_DIR / f"{Path(name).stem}.toml"
    try:
        return load_lesson(path)
    except (OSError, LessonError) as e:
        sys.stderr.write(f"kmodsim: {name}: {getattr(e, 'strerror', None) or e}\n")
        return None


def record_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="kmodsim record",
                                description="record a session on a real kernel as a transcript")
    p.add_argument("--real", action="store_true", required=True,
                   help="run on the real kernel (the only recorder there is)")
    p.add_argument("-C", dest="cwd", type=Path, default=Path("."), help="the module folder")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("-c", dest="command", help="the commands")
    what.add_argument("--lesson", metavar="NAME",
                      help="the commands of a lesson (a file, or a name in the bundled "
                           "lessons such as 02-init-failure), its edits and Kconfig changes")
    p.add_argument("-o", dest="output", type=Path, required=True, help="the transcript file")
    p.add_argument("--real-kernel", dest="version", default=None,
                   help=f"installed kernel version (default {machine.DEFAULT_VERSION})")
    p.add_argument("--progress", action="store_true",
                   help="say on stderr what the recorder is doing (building, booting, "
                        "running command k of n)")
    p.add_argument("--command-seconds", dest="seconds", type=int,
                   default=machine.COMMAND_SECONDS,
                   help="how long one command may run on the real machine (default "
                        f"{machine.COMMAND_SECONDS}; 300 to see khungtaskd's first report)")
    args = p.parse_args(argv)
    version = _check(args.version, sys.stderr)
    if version is None:
        return EX_UNAVAILABLE
    # this process records one session: the limit is the machine's setting
    machine.COMMAND_SECONDS = max(1, args.seconds)
    signal.signal(signal.SIGTERM, _stop)
    progress = _say if args.progress else None
    with tempfile.TemporaryDirectory(prefix="kmodgui-lesson-") as tmp:
        if args.lesson:
            lesson = _lesson(args.lesson)
            if lesson is None:
                return EX_BAD_INPUT
            items = plan.lesson_items(lesson, Path(tmp))
        else:
            items = [plan.Item(c, args.cwd) for c in _split(args.command, True)]
        session = plan.record(items, version, record_state=True, progress=progress)
    if session.build_status != 0:
        sys.stderr.write(session.build_output)
    name = Path(args.lesson).stem if args.lesson else ""
    args.output.write_text(transcript.render(session, lesson=name))
    print(f"kmodsim: recorded {len(session.steps)} steps on {version} into {args.output}")
    return 0 if not session.note else 1


def compare_main(argv: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """kmodsim compare FILE [-C DIR]: replay a real recording in the
    simulator; 0 when every step matches, 1 when one differs."""
    from kmodgui.realkernel.compare import TranscriptError, compare_file, render
    out, err = out or sys.stdout, err or sys.stderr
    p = argparse.ArgumentParser(prog="kmodsim compare",
                                description="replay a real-kernel recording in the simulator "
                                "and diff it step by step (exit 0 only when all steps match)")
    p.add_argument("file", type=Path, help="the recorded transcript (kmodsim record --real)")
    p.add_argument("-C", dest="cwd", metavar="DIR", type=Path, default=None,
                   help="the module folder the recording was made from (default: the samples)")
    args = p.parse_args(argv)
    if args.cwd is not None and not args.cwd.is_dir():
        err.write(f"kmodsim: {args.cwd}: not a folder\n")
        return EX_BAD_INPUT
    try:
        comparison = compare_file(args.file, folder=args.cwd)
    except TranscriptError as e:
        err.write(f"kmodsim: {e}\n")
        return EX_BAD_INPUT
    out.write(render(comparison))
    return 0 if comparison.ok else 1
