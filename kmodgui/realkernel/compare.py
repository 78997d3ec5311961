"""A real recording replayed in the simulator, step by step.

The recording is the ground truth: each of its commands runs, in order, on
a freshly booted simulated machine of the recording's kernel, and after
each one the simulator's state is read back exactly as the recorder read
the real machine's (the new `dmesg -r` lines, lsmod, /proc/modules, the
taint mask).  Both sides are then normalised by the one normaliser
(normalise.py) and compared line for line.
"""
from __future__ import annotations

import difflib
import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from kmodgui import SAMPLES_DIR
from kmodgui.kernel import profile
from kmodgui.realkernel import machine, normalise, plan, transcript
from kmodgui.realkernel.machine import Step
from kmodgui.realkernel.transcript import TranscriptError
from kmodgui.session import Session

__all__ = ["Comparison", "StepResult", "TranscriptError", "compare_file",
           "compare_transcript", "render"]

#: timeout(1)'s status, which kmodsim gives a command it stopped waiting for
_EX_STUCK = 124


@dataclass(frozen=True)
class StepResult:
    command: str
    real: tuple[str, ...]      # the real machine's lines of this step (normalised)
    sim: tuple[str, ...]       # the simulator's lines of this step (normalised)
    matches: bool
    note: str = ""             # why a step is not comparable, when it is not


@dataclass(frozen=True)
class Comparison:
    source: str                # the recording's path or name
    steps: tuple[StepResult, ...]
    kernel: str = ""           # the real kernel's `uname -r`
    note: str = ""             # the real kbuild's errors; how the real machine ended

    @property
    def matched(self) -> int:
        return sum(1 for s in self.steps if s.matches)

    @property
    def ok(self) -> bool:
        return all(s.matches for s in self.steps)


def _profile_for(release: str) -> str:
    """The simulator's profile of the recorded kernel: the one whose
    `uname -r` it is."""
    for name in profile.available():
        if profile.load_profile(name).release == release:
            return name
    raise TranscriptError(f"recorded on kernel {release}, which no simulator "
                          f"profile models ({', '.join(profile.available())})")


def normalised(step: Step) -> tuple[str, ...]:
    """A step's transcript lines with what may differ hidden."""
    out = normalise.for_command(step.command)
    stdout = (normalise.dmesg(step.stdout) if step.command.split()[:1] == ["dmesg"]
              else [normalise.pid(out(x)) for x in step.stdout])
    clean = replace(step, stdout=stdout,
                    stderr=[normalise.pid(x) for x in step.stderr],
                    dmesg=normalise.dmesg(step.dmesg),
                    lsmod=[normalise.lsmod_line(x) for x in step.lsmod],
                    proc_modules=[normalise.proc_modules_line(x) for x in step.proc_modules])
    return tuple(transcript.step_lines(clean))


class _Simulated:
    """The simulated machine, read back as the recorder reads the real one."""

    def __init__(self, release: str, folder: Path) -> None:
        self.session = Session(_profile_for(release), cwd=folder)
        self.session.run("dmesg -C")      # the recorder starts with an empty log
        self.seen: list[str] = []

    def _lines(self, command: str) -> list[str]:
        return self.session.run(command).stdout.splitlines()

    def run(self, command: str) -> Step:
        r = self.session.run(command)
        if plan.reboots(command):
            # the real machine booted afresh here: its log starts empty
            self.session.run("dmesg -C")
            self.seen = []
        step = Step(command, r.stdout.splitlines(), r.stderr.splitlines(), r.status)
        if r.status == _EX_STUCK and step.stderr and step.stderr[-1].startswith("kmodsim: ") \
                and step.stderr[-1].endswith("gave up waiting"):
            # kmodsim's own words for a system call that never returns:
            # the recorder's `exit=running`
            step.stderr.pop()
            step.status = None
        # the recorder's `dmesg -r | tail -n +N`: lines past those seen before
        now = self._lines("dmesg -r")
        step.dmesg, self.seen = now[len(self.seen):], now
        step.lsmod = self._lines("lsmod")
        step.proc_modules = self._lines("cat /proc/modules")
        step.tainted = " ".join(self._lines("cat /proc/sys/kernel/tainted"))
        return step


def _edit(folder: Path, edits: list[tuple[str, str, str]]) -> str:
    """Make the recorded edits on the copy of the sources; what failed."""
    for name, find, new in edits:
        path = folder / Path(name).name
        text = path.read_text() if path.is_file() else ""
        if find not in text:
            return f"the recorded edit of {name} cannot be made here: {find!r} not found"
        path.write_text(text.replace(find, new, 1))
    return ""


def _copy_sources(folder: Path, into: Path) -> Path:
    for src in Path(folder).iterdir():
        if src.is_file() and (src.suffix in (".c", ".h") or src.name in ("Makefile", "Kbuild")):
            shutil.copy(src, into / src.name)
    return into


def _replay(recorded: machine.Session, folder: Path) -> list[StepResult]:
    sim = _Simulated(recorded.version, folder)
    results = []
    for real_step in recorded.steps:
        trouble = _edit(folder, real_step.edits)
        sim_step = sim.run(real_step.command)
        real, simulated = normalised(real_step), normalised(sim_step)
        note = trouble or (f"not run on the real machine: {real_step.not_run}"
                           if real_step.not_run else "")
        results.append(StepResult(real_step.command, real, simulated,
                                  real == simulated and not note, note))
    return results


def compare_transcript(text: str, *, folder: Path, source: str = "") -> Comparison:
    """Replay a recording's commands in the simulator (modules from
    `folder`; a recording with edits works on a copy of it) and compare
    each step with the recorded one."""
    recorded = transcript.parse(text)
    notes = [f"the real kbuild failed: {line}" for line in recorded.build_output.splitlines()]
    notes += [recorded.note] if recorded.note else []
    if any(step.edits for step in recorded.steps):
        with tempfile.TemporaryDirectory(prefix="kmodgui-compare-") as tmp:
            results = _replay(recorded, _copy_sources(folder, Path(tmp)))
    else:
        results = _replay(recorded, folder)
    return Comparison(source, tuple(results), recorded.version, "; ".join(notes))


def samples_for(text: str) -> Path:
    """The bundled folder a recording's modules come from: the samples, or
    samples/broken when it loads a module only that folder has."""
    broken = SAMPLES_DIR / "broken"
    used = re.findall(r"^### \$ .*?([\w-]+)\.ko\b", text, re.M)
    if any(not (SAMPLES_DIR / f"{u}.c").exists() and (broken / f"{u}.c").exists() for u in used):
        return broken
    return SAMPLES_DIR


def compare_file(path: Path, *, folder: Path | None = None) -> Comparison:
    """compare_transcript() of a recording file; the modules default to
    the bundled samples the recording uses (samples_for)."""
    try:
        text = Path(path).read_text()
    except (OSError, UnicodeDecodeError) as e:
        raise TranscriptError(f"{path}: {getattr(e, 'strerror', None) or e}") from None
    try:
        return compare_transcript(text, folder=folder or samples_for(text), source=str(path))
    except TranscriptError as e:
        raise TranscriptError(f"{path}: {e}") from None


def render(c: Comparison) -> str:
    """Each step's verdict, a unified diff (real against simulator) for
    each step that differs, and the match count."""
    out = [f"real kernel {c.kernel or '?'} against the simulator: {c.source}"]
    width = len(str(len(c.steps)))
    for i, s in enumerate(c.steps, 1):
        out.append(f"step {i:>{width}}  {'match ' if s.matches else 'DIFFER'}  $ {s.command}")
        if s.note:
            out.append(f"    {s.note}")
        if not s.matches:
            out += difflib.unified_diff(s.real, s.sim, "real", "simulator", lineterm="", n=2)
    if c.note:
        out.append(f"note: {c.note}")
    out.append(f"{c.matched} of {len(c.steps)} steps match")
    return "\n".join(out) + "\n"
