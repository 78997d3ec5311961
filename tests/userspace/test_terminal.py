"""kmodsim at a terminal, driven through a pseudo-terminal: readline keys,
the history file, Tab completion, Ctrl-C and Ctrl-D."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from kmodgui import SAMPLES_DIR

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parents[2]
UP, CTRL_C, CTRL_D = "\x1b[A", "\x03", "\x04"


def _spawn(folder: Path, state: Path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_STATE_HOME": str(state),
           "TERM": "xterm", "INPUTRC": "/dev/null"}
    child = pexpect.spawn(sys.executable, ["-m", "kmodgui.cli", "-C", str(folder)],
                          env=env, encoding="utf-8", timeout=60, dimensions=(24, 200))
    child.expect_exact("# ")
    return child


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(SAMPLES_DIR / "hi.c", work / "hi.c")
    return work


def test_up_tab_ctrl_c_ctrl_d_and_history_across_sessions(folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    child = _spawn(folder, state)
    child.sendline("echo first-$?")
    child.expect_exact("first-0")
    child.expect_exact("# ")
    child.send(UP + "\r")                       # Up recalls the last command
    child.expect_exact("first-0")
    child.expect_exact("# ")
    child.send("insmod h\t")                    # Tab completes the module file
    child.expect_exact("insmod hi.ko ")
    child.send("\r")
    child.expect_exact("# ")
    child.sendline("lsmod")
    child.expect(r"hi\s+\d+\s+0")
    child.expect_exact("# ")
    child.send("echo never" + CTRL_C)           # Ctrl-C drops the line
    child.expect_exact("# ")
    child.sendline("echo status-$?")
    child.expect_exact("status-130")
    child.expect_exact("# ")
    child.send(CTRL_D)                          # Ctrl-D ends the session
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0               # the last command's status, as bash
    history = (state / "kmodsim" / "history").read_text()
    assert "echo first-$?" in history and "insmod hi.ko" in history
    assert "echo never" not in history

    again = _spawn(folder, state)               # the next session remembers
    again.send(UP + "\r")
    again.expect_exact("status-0")
    again.expect_exact("# ")
    again.send(CTRL_D)
    again.expect(pexpect.EOF)


def test_completion_candidates(folder: Path) -> None:
    from kmodgui.session import Session
    from kmodgui.terminal import candidates
    s = Session("6.1", cwd=folder)
    assert candidates(s, "ins", "ins") == ["insmod"]
    assert candidates(s, "dmesg | ta", "ta") == ["tail"]
    assert "-v" in candidates(s, "grep -", "-") and "-n" in candidates(s, "head -", "-")
    assert candidates(s, "insmod h", "h") == ["hi.ko"]
    assert candidates(s, "cat h", "h") == ["hi.c", "hi.ko"]
    assert candidates(s, "cat /sys/mo", "/sys/mo") == ["/sys/module/"]
    assert candidates(s, "rmmod ", "") == []
    s.run("insmod hi.ko")
    assert candidates(s, "rmmod ", "") == ["hi"]
    assert candidates(s, "cat /sys/module/h", "/sys/module/h") == ["/sys/module/hi/"]
    assert "/proc/modules" in candidates(s, "cat /proc/mo", "/proc/mo")
