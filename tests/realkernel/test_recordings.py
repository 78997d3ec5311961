"""Real recordings of the sample modules and lessons, replayed in the simulator.

Each tests/reference/real/*.txt was recorded with `kmodsim record --real`
on Debian's linux-image-6.1.0-56-amd64 booted in QEMU (tools/record-real.sh
re-records them all).  This test runs on every CI run and boots nothing:
`kmodsim compare` replays the recorded commands on a fresh simulated
machine working on a copy of the bundled samples and compares each step
(timestamps, sizes, addresses, PIDs and stack-dump bodies normalised).

Every step must match, except the differences listed in DELIBERATE (each
one explained in the README, "The real kernel beside the simulator"):
there the test asserts that the step differs, so a listed difference that
goes away is noticed too.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kmodgui import SAMPLES_DIR
from kmodgui.realkernel.compare import compare_file

REAL = Path(__file__).resolve().parents[1] / "reference" / "real"
RECORDINGS = sorted(p.name for p in REAL.glob("*.txt"))

#: recording -> {step number (from 1): why it differs on purpose}
DELIBERATE: dict[str, dict[int, str]] = {}


def _samples(tmp: Path) -> Path:
    for src in SAMPLES_DIR.iterdir():
        if src.is_file():
            shutil.copy(src, tmp / src.name)
    return tmp


def test_there_are_recordings() -> None:
    assert len(RECORDINGS) >= 3


def test_deliberate_differences_name_recorded_steps() -> None:
    for name, steps in DELIBERATE.items():
        assert name in RECORDINGS, name
        assert all(why for why in steps.values()), name


@pytest.mark.parametrize("name", RECORDINGS)
def test_recording_replays_in_the_simulator(name: str, tmp_path: Path) -> None:
    c = compare_file(REAL / name, folder=_samples(tmp_path))
    expected = DELIBERATE.get(name, {})
    for i, step in enumerate(c.steps, 1):
        where = f"{name} step {i}: {step.command}"
        if i in expected:
            assert not step.matches, f"{where}: listed as differing, but matches"
        else:
            assert step.real == step.sim, where
            assert step.matches, f"{where}: {step.note}"
