"""The text a teacher reads after `kmodsim lesson FILE`: one line per step,
one per expectation, and for a failed one what was seen instead."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kmodgui.lessons.runner import LessonReport, StepResult


def format_report(report: "LessonReport", verbose: bool = False) -> str:
    lesson = report.lesson
    lines = [f"lesson: {lesson.title} ({lesson.path.name})"]
    if report.graded is not None:
        lines.append(f"module: {report.graded} as {lesson.source} "
                     "(graded as given: the lesson's edits are not applied)")
    elif report.folder is not None:
        lines.append(f"module: {report.folder / lesson.source} (your lesson folder: "
                     "files and progress stay there, as in the app)")
    else:
        lines.append(f"module: {lesson.source} (bundled sample)")
    for sr in report.steps:
        lines += _step_lines(sr, len(report.steps), verbose)
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _step_lines(sr: "StepResult", total: int, verbose: bool) -> list[str]:
    step = sr.step
    out = [f"step {step.number}/{total} ({step.title}): "
           + ("passed" if sr.passed else "FAILED")]
    if verbose:
        for r in sr.results:
            out.append(f"    # {' '.join(r.argv)}")
            out += [f"    {line}" for line in (r.stdout + r.stderr).splitlines()]
    if sr.error is not None:
        out.append(f"  error: {sr.error}")
    for c in sr.checks:
        out.append(f"  {'ok  ' if c.passed else 'FAIL'} {c.expected}")
        if not c.passed or verbose:
            out.append(f"       seen: {c.seen}")
    return out


def _summary(report: "LessonReport") -> str:
    n = len(report.steps)
    ok = sum(s.passed for s in report.steps)
    checks = sum(len(s.checks) for s in report.steps)
    if report.passed:
        return f"PASSED: {n} of {n} steps, {checks} expectations"
    first = report.first_failure
    assert first is not None
    return (f"FAILED at step {first.step.number} ({first.step.title}): "
            f"{ok} of {n} steps passed")
