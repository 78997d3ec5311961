"""Keys reach the window after every dialog, and from the Shell input.

When a modal dialog closes, the offscreen platform (like X without a window
manager) gives the keyboard to nobody: without the window taking it back,
Ctrl+B and Ctrl+I would do nothing until a click.  Each test closes a real
dialog of the app, then types into whatever has the keyboard focus.  The
last one repeats the newcomer's sequence on a real X server (Xvfb) with a
window manager (openbox), driven by xdotool; skipped without them."""
from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import wait_idle
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from kmodgui import SAMPLES_DIR


def answer_dialog(qtbot, how) -> list[str]:
    """Once a modal dialog is up, `how(dialog)` closes it; returns what was seen."""
    seen: list[str] = []
    answered: dict[int, float] = {}     # id(dialog) -> when first answered
    deadline = time.monotonic() + 10

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        now = time.monotonic()
        if dialog is not None:
            first = answered.setdefault(id(dialog), now)
            if first == now:
                seen.append(dialog.windowTitle())
            if now - first < 3:
                how(dialog)            # again until it takes (a file dialog may still be loading)
            else:
                dialog.reject()        # it never closed: fail the test, never hang
        if now < deadline and (dialog is not None or not answered):
            QTimer.singleShot(50, poll)
    QTimer.singleShot(20, poll)
    return seen


def type_keys(qtbot, key, modifier=Qt.ControlModifier) -> None:
    """A key as the keyboard sends it: to the focus window's focus widget."""
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is not None, timeout=3000)
    target = QApplication.focusWidget() or QApplication.activeWindow()
    QTest.keyClick(target, key, modifier)


def fired(win, name: str) -> list[int]:
    calls: list[int] = []
    win.acts[name].triggered.connect(lambda _c=False: calls.append(1))
    return calls


def test_shortcuts_work_after_saving_your_copy(qtbot, make_window, tmp_path, monkeypatch):
    from kmodgui.gui.editing import dialogs
    monkeypatch.setattr(dialogs, "headless", lambda _q, _a: False)   # the real dialog
    monkeypatch.setenv("KMODGUI_MODULES_DIR", str(tmp_path / "mine"))
    win = make_window("hi.c")
    win.activateWindow()
    win.source.setFocus()
    dest = tmp_path / "mine" / "hi.c"

    def save(dialog: QFileDialog) -> None:
        dialog.selectFile(str(dest))
        dialog.accept()
    seen = answer_dialog(qtbot, save)
    QTest.keyClick(win.source, Qt.Key_Space)              # the first key asks for the copy
    assert seen and "save your own copy" in seen[0]
    assert win.source_path == dest
    builds, loads = fired(win, "build"), fired(win, "insmod")
    type_keys(qtbot, Qt.Key_B)
    type_keys(qtbot, Qt.Key_I)
    assert builds == [1] and loads == [1]
    wait_idle(qtbot, win)
    assert [r[0] for r in win.modules_panel.rows()] == ["hi"]


def test_shortcuts_work_after_file_open(qtbot, make_window):
    """File → Open, then Cancel (picking a file through the offscreen dialog
    depends on its directory model having loaded, which races): the
    keyboard must come back all the same."""
    win = make_window("hi.c")
    win.activateWindow()
    seen = answer_dialog(qtbot, lambda dialog: dialog.reject())
    type_keys(qtbot, Qt.Key_O)                            # Ctrl+O: File → Open
    assert seen == ["Open module source"]
    assert win.source_path == SAMPLES_DIR / "hi.c"
    loads = fired(win, "insmod")
    type_keys(qtbot, Qt.Key_I)
    assert loads == [1]


@pytest.mark.parametrize("wrapped", [True, False])
def test_focus_comes_back_after_a_message_box(qtbot, make_window, wrapped):
    """The window's own questions, and any other feature's dialog."""
    win = make_window("hi.c")
    win.activateWindow()
    answer_dialog(qtbot, lambda box: (box.button(QMessageBox.Yes)
                                      or box.button(QMessageBox.Ok)).click())
    if wrapped:
        assert win._confirm_dialog("Reboot", "Reboot the simulated kernel?")
    else:
        QMessageBox.information(win, "Some feature", "a dialog not opened by the window")
    builds = fired(win, "build")
    type_keys(qtbot, Qt.Key_B)
    assert builds == [1]
    assert QApplication.activeWindow() is win


def test_window_shortcuts_work_from_the_shell_input(qtbot, make_window):
    win = make_window("hi.c")
    win.activateWindow()
    win.shell.input.setFocus()
    builds, loads, unloads = fired(win, "build"), fired(win, "insmod"), fired(win, "rmmod")
    QTest.keyClick(win.shell.input, Qt.Key_B, Qt.ControlModifier)
    QTest.keyClick(win.shell.input, Qt.Key_I, Qt.ControlModifier)
    wait_idle(qtbot, win)
    assert builds == [1] and loads == [1]
    # Ctrl+U with a half-typed line erases it, as in a terminal; no rmmod
    QTest.keyClicks(win.shell.input, "lsmod -x")
    QTest.keyClick(win.shell.input, Qt.Key_U, Qt.ControlModifier)
    assert win.shell.input.text() == "" and unloads == []
    # on an empty line there is nothing to erase: Ctrl+U is the window's rmmod
    QTest.keyClick(win.shell.input, Qt.Key_U, Qt.ControlModifier)
    wait_idle(qtbot, win)
    assert unloads == [1] and win.modules_panel.rows() == []
    assert "# rmmod hi\n" in win.shell.text()
    # the shell keeps its own keys: Ctrl+C interrupts, Ctrl+L clears
    QTest.keyClick(win.shell.input, Qt.Key_L, Qt.ControlModifier)
    assert win.shell.text() == ""


def test_ctrl_u_erases_only_before_the_cursor(qtbot, make_window):
    win = make_window("hi.c")
    win.activateWindow()
    win.shell.input.setFocus()
    QTest.keyClicks(win.shell.input, "insmod hi.ko")
    win.shell.input.setCursorPosition(len("insmod "))
    QTest.keyClick(win.shell.input, Qt.Key_U, Qt.ControlModifier)
    assert win.shell.input.text() == "hi.ko" and win.shell.input.cursorPosition() == 0


def test_the_dialog_helpers_give_the_focus_back(qtbot, make_window):
    win = make_window("hi.c")
    win.activateWindow()
    answer_dialog(qtbot, lambda dialog: dialog.reject())
    win.open_dialog()                                     # cancelled: nothing opened
    assert win.source_path == SAMPLES_DIR / "hi.c"
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=3000)
    assert Path(win.source_path).name == "hi.c"


# -- under a real X server and window manager ---------------------------------------------
XTOOLS = {name: shutil.which(name) for name in ("Xvfb", "openbox", "xdotool")}
ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).parent / "data" / "focus_probe.py"


class App:
    """The probe app on DISPLAY, its stdout lines gathered by a thread."""

    def __init__(self, env: dict[str, str], tmp: Path, source: Path) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.proc = subprocess.Popen([sys.executable, str(PROBE), str(tmp / "s.ini"), str(source)],
                                     cwd=tmp, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.seen):
            left = deadline - time.monotonic()
            assert left > 0, f"no {text!r} from the app; it said {self.seen}"
            try:
                self.seen.append(self.lines.get(timeout=left))
            except queue.Empty:
                pass

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture
def x_session(tmp_path: Path) -> Iterator[tuple[dict[str, str], Callable[..., None]]]:
    """Xvfb at 1366x768 with openbox; yields the environment and xdotool."""
    if not all(XTOOLS.values()):
        pytest.skip("needs " + ", ".join(n for n, p in XTOOLS.items() if p is None))
    read, write = os.pipe()
    server = subprocess.Popen([XTOOLS["Xvfb"] or "Xvfb", "-displayfd", str(write), "-screen", "0",
                               "1366x768x24", "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT),
               XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path),
               KMODGUI_MODULES_DIR=str(tmp_path / "mine"),
               KMODGUI_DATA_DIR=str(tmp_path / "data"))
    wm = _start([XTOOLS["openbox"] or "openbox", "--sm-disable"], env)

    def xdotool(*args: str) -> None:
        subprocess.run([XTOOLS["xdotool"] or "xdotool", *args], env=env, check=True,
                       timeout=60, stdout=subprocess.DEVNULL)
    try:
        yield env, xdotool
    finally:
        for proc in (wm, server):
            proc.terminate()
            proc.wait(timeout=30)


def test_dialog_then_shortcut_under_x_and_openbox(x_session, tmp_path: Path) -> None:
    env, xdotool = x_session
    app = App(env, tmp_path, SAMPLES_DIR / "hi.c")
    try:
        app.wait_for("READY", timeout=120)
        xdotool("search", "--sync", "--name", "hi.c — kmodgui", "windowactivate", "--sync")
        xdotool("key", "--delay", "100", "Right", "space")          # the first key in a sample
        xdotool("search", "--sync", "--name", "bundled sample")     # asks for the copy
        xdotool("key", "Return")                                    # ~/kmodgui-modules/hi.c
        app.wait_for(f"SAVED {tmp_path / 'mine' / 'hi.c'}")
        xdotool("key", "ctrl+b")
        app.wait_for("ACTION build")
        xdotool("key", "ctrl+i")
        app.wait_for("ACTION insmod")
        xdotool("key", "ctrl+o")                                    # File → Open
        xdotool("search", "--sync", "--name", "Open module source")
        xdotool("type", "--delay", "20", str(SAMPLES_DIR / "skull.c"))
        xdotool("key", "Return")
        app.wait_for(f"BUILT {SAMPLES_DIR / 'skull.c'}")
        app.seen.clear()
        xdotool("key", "ctrl+b")
        app.wait_for("ACTION build")
        xdotool("key", "ctrl+i")
        app.wait_for("ACTION insmod")
    finally:
        app.stop()
