"""`kmodsim lesson FILE [--module STUDENT.c] [-v]`: run a lesson headless.

Exit status: 0 when every expectation of every step holds, 1 when one does
not (the report names the step), 2 when the lesson file is malformed or
the student's file is missing.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from kmodgui.lessons.loader import load_lesson
from kmodgui.lessons.model import LessonError
from kmodgui.lessons.runner import run_lesson

EX_FAILED, EX_USAGE = 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kmodsim lesson",
        description="Run a lesson's steps on a fresh simulated kernel and check each "
        "expectation; with --module, grade a student's module instead of the sample.")
    p.add_argument("file", type=Path, help="a lesson file (resources/lessons/*.toml)")
    p.add_argument("--module", "-m", type=Path, metavar="FILE.c",
                   help="the student's module source, used as given (no lesson edits)")
    p.add_argument("--verbose", "-v", action="store_true",
                   help="show every command's output and what each check saw")
    return p


def lesson_main(argv: list[str], out: TextIO | None = None,
                err: TextIO | None = None) -> int:
    """Entry point for `kmodsim lesson ...` (argv without the word 'lesson')."""
    out, err = out or sys.stdout, err or sys.stderr
    args = _parser().parse_args(argv)
    try:
        report = run_lesson(load_lesson(args.file), args.module)
    except LessonError as e:
        err.write(f"kmodsim lesson: {e}\n")
        return EX_USAGE
    out.write(report.text(verbose=args.verbose))
    return 0 if report.passed else EX_FAILED
