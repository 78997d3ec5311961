"""GUI tests run offscreen, with an isolated settings file each."""
from __future__ import annotations

import os

# Must happen before any QApplication exists: without a display Qt would
# abort the whole pytest process.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("KMODGUI_SETTINGS", None)

from pathlib import Path  # noqa: E402
from typing import Callable  # noqa: E402

import pytest  # noqa: E402



@pytest.fixture(autouse=True)
def _own_modules_dir(tmp_path: Path, monkeypatch) -> None:
    """A student's folders (copies of samples, lesson folders) per test, never ~."""
    monkeypatch.setenv("KMODGUI_MODULES_DIR", str(tmp_path / "kmodgui-modules"))


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "kmodgui-settings.ini"


def wait_idle(qtbot, win, timeout: int = 10_000) -> None:
    """Until no command runs and every batched pane has caught up."""
    qtbot.waitUntil(lambda: not win.bridge.busy, timeout=timeout)
    win.bridge.flush()
    win.dmesg.flush()
    win.timeline.redraw()


@pytest.fixture
def make_window(qtbot, settings_path) -> Callable:
    """A MainWindow over the real engine, cwd = the bundled samples."""
    from kmodgui import SAMPLES_DIR
    from kmodgui.gui.mainwindow import MainWindow
    from kmodgui.gui.settings import open_settings
    from kmodgui.session import Session

    def make(source: str = "hi.c", show: bool = True, profile: str = "6.1") -> MainWindow:
        win = MainWindow(Session(profile=profile), open_settings(settings_path),
                         follow_system_theme=False)
        win.confirm = lambda title, text: True
        qtbot.addWidget(win)
        win.open_source(SAMPLES_DIR / source)
        if show:
            win.resize(1400, 900)
            win.show()
            qtbot.waitExposed(win)
            qtbot.waitUntil(lambda: win.timeline.plot is not None)   # after the first frame
        return win
    return make
