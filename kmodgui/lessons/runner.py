"""Playing lessons: headless (run_lesson) and step by step for the GUI.

run_lesson() plays a lesson where the GUI does, in the student's own
folder (student_folder(): it outlives the run, so the files and the
progress are there next time, for kmodsim and the app alike): the
samples' sources are copied in unless the student's are there already
(the bundled modules/ folder is never written to), a fresh Session boots
there and, for each step, its edits and Kconfig changes are applied, its
commands run and its expectations checked; the steps that pass are saved
as done.  An edit already made (by the student or an earlier run) is not
made twice.  Grading a given file (module_override) plays in a temporary
folder instead: that file is not the student's lesson folder.

The GUI uses the pieces one at a time:
    since = mark(session)                      # when the step becomes current
    results = do_step(step, session)           # "do it for me"
    check_step(step, session, results, since)  # tick it when it passes
    check_step(step, session, None, since)     # ... or after the user's own commands
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from kmodgui import SAMPLES_DIR
from kmodgui.kernel import events
from kmodgui.kernel.kconfig import Kconfig
from kmodgui.lessons.expect import CheckResult, Observed, check
from kmodgui.lessons.model import Lesson, LessonError, Step
from kmodgui.session import CommandResult, Session

_SOURCE_SUFFIXES = (".c", ".h")
_SOURCE_NAMES = ("Makefile", "Kbuild")


@dataclass
class StepResult:
    step: Step
    checks: list[CheckResult] = field(default_factory=list)
    results: list[CommandResult] = field(default_factory=list)
    error: str | None = None          # the step could not be played (edit failed)

    @property
    def passed(self) -> bool:
        return self.error is None and all(c.passed for c in self.checks)


@dataclass
class LessonReport:
    lesson: Lesson
    steps: list[StepResult]
    graded: Path | None = None        # the student's file, when one was graded
    folder: Path | None = None        # the student's lesson folder it was played in

    @property
    def passed(self) -> bool:
        return all(s.passed for s in self.steps)

    @property
    def first_failure(self) -> StepResult | None:
        return next((s for s in self.steps if not s.passed), None)

    def text(self, verbose: bool = False) -> str:
        from kmodgui.lessons.report import format_report
        return format_report(self, verbose)


# -- the GUI's API -----------------------------------------------------------------
def mark(session: Session) -> int:
    """A point in the session's trace: pass it to check_step as `since` so
    that log lines and gotos from before the step do not count."""
    return len(session.trace.events)


def check_step(step: Step, session: Session,
               results: Sequence[CommandResult] | None = None,
               since: int = 0) -> StepResult:
    """Check every expectation of `step` against `results` (the commands
    the user or do_step ran for it; None: every command run since `since`,
    read from the trace) and the machine's state now."""
    if results is None:
        results = commands_since(session, since)
    observed = Observed(session, results, since)
    return StepResult(step, [check(e, observed) for e in step.expect], list(results))


def commands_since(session: Session, since: int = 0) -> list[CommandResult]:
    """The commands run since the mark, one result per command even when
    the user typed a `;` list (the trace records each one)."""
    evs = session.trace.events[min(since, len(session.trace.events)):]
    return [CommandResult(e.argv, e.status, e.stdout, e.stderr)
            for e in evs if isinstance(e, events.CommandRun)]


def do_step(step: Step, session: Session, *, edit: bool = True) -> list[CommandResult]:
    """Do the step for the user: edit the source in session.cwd (unless
    edit=False, e.g. when the GUI applies the edit in its editor), change
    Kconfig (which reboots, as a new kernel would), run the commands."""
    if edit:
        apply_edits(step, session.cwd)
    if step.config:
        session.set_config(dict(step.config))
    return [session.run(line) for line in step.commands]


def apply_edits(step: Step, folder: Path) -> None:
    """Apply the step's find/replace edits to the sources in `folder`."""
    if step.edits and _inside_samples(folder):
        raise LessonError(f"{step.label}: refusing to edit the bundled samples in "
                          f"{folder}; work on a copy")
    for ed in step.edits:
        path = folder / ed.file
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise LessonError(f"{step.label}: edit: cannot read {ed.file}: "
                              f"{e.strerror or e}") from None
        if ed.replace in text and _changed(path, text):
            continue                    # made already: by the student, or an earlier run
        if ed.find not in text:
            raise LessonError(f"{step.label}: edit: {ed.find!r} not found in {ed.file}")
        path.write_text(text.replace(ed.find, ed.replace, 1), encoding="utf-8")


def _changed(path: Path, text: str) -> bool:
    """The file is no longer the bundled sample it was copied from."""
    sample = SAMPLES_DIR / path.name
    try:
        return sample.read_text(encoding="utf-8") != text
    except OSError:
        return True


def _inside_samples(folder: Path) -> bool:
    real, samples = folder.resolve(), SAMPLES_DIR.resolve()
    return real == samples or samples in real.parents


# -- headless -----------------------------------------------------------------------
def run_lesson(lesson: Lesson, module_override: Path | None = None) -> LessonReport:
    """Play every step on a fresh machine and check it.  With module_override
    the student's file replaces the sample as it is: the lesson's edits are
    not applied (the student made them)."""
    if module_override is not None and not Path(module_override).is_file():
        raise LessonError(f"{module_override}: no such file")
    with _lesson_folder(lesson, module_override) as folder:
        session = new_session(lesson, folder)
        steps = [_play(step, session, edit=module_override is None)
                 for step in lesson.steps]
        if module_override is None:
            _save_progress(folder, steps)
    return LessonReport(lesson, steps, Path(module_override) if module_override else None,
                        folder=folder if module_override is None else None)


@contextlib.contextmanager
def _lesson_folder(lesson: Lesson, module_override: Path | None) -> Iterator[Path]:
    """The student's folder for the lesson, prepared as the GUI prepares it
    (their files kept); for grading a given file, a temporary one."""
    if module_override is not None:
        with tempfile.TemporaryDirectory(prefix="kmodgui-lesson-") as tmp:
            yield prepare_folder(lesson, Path(tmp), module_override)
        return
    folder = student_folder(lesson)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        prepared = prepare_folder(lesson, folder, None, keep_existing=True)
    except OSError as e:
        raise LessonError(f"cannot prepare {folder}: {e.strerror or e}") from None
    yield prepared


def _save_progress(folder: Path, steps: list[StepResult]) -> None:
    """What passed is done (added to what was done before, as the GUI
    keeps it); the current step is the first one not done."""
    from kmodgui.lessons.progress import Progress
    saved = Progress.load(folder, len(steps))
    done = saved.done | {i for i, s in enumerate(steps) if s.passed}
    current = next((i for i in range(len(steps)) if i not in done), max(0, len(steps) - 1))
    with contextlib.suppress(OSError):      # the report still says what happened
        Progress(done, current).save(folder)


def prepare_folder(lesson: Lesson, folder: Path, module_override: Path | None,
                   *, keep_existing: bool = False) -> Path:
    """Copy the samples' sources (not subfolders) into `folder`; a student's
    file takes the place of the lesson's module, with its own headers.
    keep_existing: a file already there is the student's: left as it is."""
    for src in SAMPLES_DIR.iterdir():
        if src.is_file() and (src.suffix in _SOURCE_SUFFIXES or src.name in _SOURCE_NAMES):
            if not (keep_existing and (folder / src.name).exists()):
                shutil.copy(src, folder / src.name)
    if module_override is not None:
        override = Path(module_override)
        for header in override.parent.glob("*.h"):
            shutil.copy(header, folder / header.name)
        shutil.copy(override, folder / lesson.source)
    return folder


def student_folder(lesson: Lesson) -> Path:
    """Where a student's files for `lesson` live from one session to the
    next: lessons/<lesson file's stem> in the folder the window keeps the
    student's own modules in (KMODGUI_MODULES_DIR, else ~/kmodgui-modules)."""
    env = os.environ.get("KMODGUI_MODULES_DIR")
    base = Path(env) if env else Path.home() / "kmodgui-modules"
    return base / "lessons" / lesson.path.stem


def new_session(lesson: Lesson, folder: Path) -> Session:
    """A freshly booted machine with the lesson's profile and Kconfig."""
    kc = Kconfig.load(lesson.profile)
    return Session(lesson.profile, kc.apply(kc.defaults(), dict(lesson.config)), folder)


def _play(step: Step, session: Session, edit: bool) -> StepResult:
    since = mark(session)
    try:
        results = do_step(step, session, edit=edit)
    except LessonError as e:
        return StepResult(step, error=str(e))
    return check_step(step, session, results, since)
