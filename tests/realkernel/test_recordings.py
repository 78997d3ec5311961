"""Real recordings of the sample modules, replayed in the simulator.

Each tests/reference/real/*.txt was recorded with
`kmodsim record --real -C modules -c '...' -o FILE` on Debian's
linux-image-6.1.0-56-amd64 booted in QEMU (tools/record-real.sh re-records
them all).  This test runs on every CI run and boots nothing: it replays
the recorded commands on a fresh simulated machine working on a copy of
the bundled samples and compares each step as the fresh-boot transcripts
are compared (timestamps, sizes and addresses normalised).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kmodgui import SAMPLES_DIR
from kmodgui.session import Session
import re

from tests.test_golden import _check, _lines, _norm_dmesg, parse_transcript

REAL = Path(__file__).resolve().parents[1] / "reference" / "real"
RECORDINGS = sorted(p.name for p in REAL.glob("*.txt"))


def _samples(tmp: Path) -> Path:
    for src in SAMPLES_DIR.iterdir():
        if src.is_file():
            shutil.copy(src, tmp / src.name)
    return tmp


def _norm_pid(line: str) -> str:
    """The recorder's /init starts more processes than a login shell, so
    PIDs are higher; the reference README lets PIDs differ."""
    return re.sub(r"(PID: |\[insmod:|\[rmmod:)\d+", r"\1N", line)


def test_there_are_recordings() -> None:
    assert len(RECORDINGS) >= 3


@pytest.mark.parametrize("name", RECORDINGS)
def test_recording_replays_in_the_simulator(name: str, tmp_path: Path) -> None:
    uname, steps = parse_transcript((REAL / name).read_text())
    session = Session("6.1", cwd=_samples(tmp_path))
    assert session.run("uname -r").stdout == uname + "\n"
    session.run("dmesg -C")          # the recorder starts each session with an empty log
    for i, step in enumerate(steps[1:], 1):
        where = f"{name} step {i}: {step.cmd}"
        r = session.run(step.cmd)
        norm = _norm_dmesg if step.cmd.startswith("dmesg") else (lambda s: s)
        assert ([norm(x) for x in _lines(r.stdout)], _lines(r.stderr), r.status) == \
            ([norm(x) for x in step.out], step.err, step.exit), where
        for cmd, expected in step.checks:
            _check(session, where, cmd, expected, [], also=_norm_pid)
