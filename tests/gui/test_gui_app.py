"""The entry point: screenshots, and pyqtgraph staying out of the first frame."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from kmodgui.gui.app import main
from kmodgui.gui.screenshot import split_commands

ROOT = Path(__file__).resolve().parents[2]


def test_split_commands_respects_quotes():
    assert split_commands("insmod a.ko; insmod b.ko x='1;2' ;") == ["insmod a.ko", "insmod b.ko x='1;2'"]


def test_screenshot_renders_the_window(qtbot, tmp_path):
    out = tmp_path / "shot.png"
    status = main(["--screenshot", str(out), "--size", "1280x800", "--run", "insmod hi.ko; lsmod"])
    assert status == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    assert len({image.pixel(x, y) for x in range(0, 1280, 8)
                for y in (150, 300, 600)}) > 5                     # not blank


def test_pyqtgraph_is_not_imported_before_the_first_frame(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               KMODGUI_SETTINGS=str(tmp_path / "s.ini"), PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "kmodgui", "--exit-after-first-frame"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("first-frame")]
    assert lines and lines[0].endswith("pyqtgraph=False"), proc.stdout + proc.stderr
