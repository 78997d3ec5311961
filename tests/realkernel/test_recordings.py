"""Real recordings of the sample modules and lessons, replayed in the simulator.

Each tests/reference/real/*.txt was recorded with `kmodsim record --real`
on Debian's linux-image-6.1.0-56-amd64 booted in QEMU (tools/record-real.sh
re-records them all).  This test runs on every CI run and boots nothing:
`kmodsim compare` replays the recorded commands on a fresh simulated
machine working on a copy of the bundled samples and compares each step
(timestamps, sizes, addresses, PIDs, register values and stack-dump
bodies normalised).

Every step must match, except the differences listed in DELIBERATE, each
explained in the README ("The real kernel beside the simulator").  For a
listed step the test asserts both that the step differs (a difference that
goes away is noticed) and that nothing else differs: `hide` maps each line
of both sides to what must still be equal (None drops the line).
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from kmodgui.realkernel import transcript
from kmodgui.realkernel.compare import compare_file, samples_for

REAL = Path(__file__).resolve().parents[1] / "reference" / "real"
RECORDINGS = sorted(p.name for p in REAL.glob("*.txt"))


@dataclass(frozen=True)
class Deliberate:
    steps: tuple[int, ...]                   # step numbers, from 1
    why: str
    hide: Callable[[str], str | None]        # a line as it must still match


def _drop(pattern: str) -> Callable[[str], str | None]:
    return lambda line: None if re.search(pattern, line) else line


def _ticker(line: str) -> str | None:
    """The kthread wakes every 40 ms of wall-clock time: how many passes
    fall between two commands is timing, not behaviour."""
    if re.search(r"ticker: worker pass \d+", line):
        return None
    return re.sub(r"(after|returned) \d+", r"\1 N", line)


def _stall(line: str) -> str | None:
    """Up to the first report: which report comes first is timing."""
    return None if line.startswith("<") and "[TIME]" in line and not re.search(
        r"(taints kernel|verification failed|being loaded)", line) else \
        re.sub(r"tainted\] \d+", "tainted] N", line)


def _nothing(line: str) -> str | None:
    """Nothing of the step can be compared (the two machines are in
    different states: see `why`)."""
    return None


def _unload_off(line: str) -> str | None:
    """With MODULE_UNLOAD=n a module has no refcount ('-' in /proc/modules,
    -2 in lsmod) and no .exit.text (a smaller coresize); the real kernel
    keeps MODULE_UNLOAD=y.  Everything else (the load's log) still matches."""
    return None if re.match(r"^(hi |1\| )", line) else line


NO_FAULTS = "fault injection is not available"
FIXED_CONFIG = "configuration is fixed when it is built"
OWN = "a command of kmodsim's own"
NOT_RUN = (NO_FAULTS, FIXED_CONFIG, OWN)
SKULL = ("skull*.c include <linux/skull.h>, a header only the simulator has (register_this() "
         "and friends are simulated kernel functions): the real kbuild cannot build them, "
         "every insmod fails with 'No such file or directory'")

#: recording -> the listed differences
DELIBERATE: dict[str, list[Deliberate]] = {
    "module-ticker.txt": [Deliberate(
        (1, 2, 3, 4, 6), "the worker's passes between commands follow the real clock", _ticker)],
    "lesson-04-goto-unwind.txt": [
        Deliberate((3, 5, 7), NO_FAULTS, _nothing),
        Deliberate((1, 2, 4, 6, 8, 9, 10), SKULL, _nothing)],
    "lesson-05-cleanup-function.txt": [
        Deliberate((3, 5), NO_FAULTS, _nothing),
        Deliberate((1, 2, 4, 6, 7), SKULL, _nothing)],
    "lesson-06-init-exit-sections.txt": [
        Deliberate((4,), FIXED_CONFIG, _nothing),
        Deliberate((5, 6, 7), "kmodsim rebooted with MODULE_UNLOAD=n", _unload_off),
        Deliberate((8,), "rmmod on a kernel without MODULE_UNLOAD", _nothing)],
    "lesson-07-kconfig.txt": [
        Deliberate((1,), OWN, _nothing),
        Deliberate((2, 6), FIXED_CONFIG, _nothing),
        Deliberate((3,), "kmodsim rebooted with MODULE_UNLOAD=n", _unload_off),
        Deliberate((4, 5), "rmmod and rmmod -f on a kernel without MODULE_UNLOAD", _nothing)],
    "lesson-09-permanent.txt": [
        Deliberate((6,), FIXED_CONFIG, _nothing),
        Deliberate((8,), "rmmod -f on a kernel without MODULE_FORCE_UNLOAD", _nothing)],
    "module-spin.txt": [Deliberate(
        (1,), "within the 30 s the recorder waits the real kernel may report an RCU "
        "stall first; kmodsim reports the soft lockup", _stall)],
}


def _folder_for(name: str, tmp: Path) -> Path:
    """A copy of the bundled folder the recording's modules come from."""
    for f in samples_for((REAL / name).read_text()).iterdir():
        if f.is_file():
            shutil.copy(f, tmp / f.name)
    return tmp


def _listed(name: str, step: int) -> Deliberate | None:
    return next((d for d in DELIBERATE.get(name, []) if step in d.steps), None)


def _kept(hide: Callable[[str], str | None], lines: tuple[str, ...]) -> list[str]:
    return [x for x in (hide(line) for line in lines) if x is not None]


def test_there_are_recordings() -> None:
    assert len(RECORDINGS) >= 3


def test_deliberate_differences_name_recorded_steps() -> None:
    for name, listed in DELIBERATE.items():
        assert name in RECORDINGS, name
        steps = len(transcript.parse((REAL / name).read_text()).steps)
        assert all(d.why and all(1 <= s <= steps for s in d.steps) for d in listed), name


def test_the_real_side_does_not_pretend() -> None:
    """A step the real machine cannot run is recorded as not run, with the
    reason; a module the real kbuild cannot build keeps gcc's error."""
    for name, listed in DELIBERATE.items():
        steps = transcript.parse((REAL / name).read_text()).steps
        for d in listed:
            if d.why in NOT_RUN:
                assert all(d.why in steps[i - 1].not_run for i in d.steps), name
    for name in ("lesson-04-goto-unwind.txt", "lesson-05-cleanup-function.txt"):
        session = transcript.parse((REAL / name).read_text())
        assert "fatal error: linux/skull.h: No such file or directory" in session.build_output
        assert all(s.not_run or "No such file or directory" in " ".join(s.stderr)
                   for s in session.steps if s.command.startswith("insmod")), name


@pytest.mark.parametrize("name", RECORDINGS)
def test_recording_replays_in_the_simulator(name: str, tmp_path: Path) -> None:
    c = compare_file(REAL / name, folder=_folder_for(name, tmp_path))
    for i, step in enumerate(c.steps, 1):
        where = f"{name} step {i}: {step.command}"
        listed = _listed(name, i)
        if listed is None:
            assert step.real == step.sim, where
            assert step.matches, f"{where}: {step.note}"
            continue
        assert not step.matches, f"{where}: listed as differing ({listed.why}), but matches"
        if listed.why in NOT_RUN:
            assert step.note.startswith("not run on the real machine"), where
        assert _kept(listed.hide, step.real) == _kept(listed.hide, step.sim), \
            f"{where}: differs beyond the listed difference ({listed.why})"
