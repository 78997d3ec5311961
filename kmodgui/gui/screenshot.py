"""`kmodgui --screenshot OUT.png`: render the window to a PNG and exit.

Used for the README and for looking at the GUI without a display: opens the
module, runs the given shell lines to completion (in slices, as usual),
waits for every pane to catch up, grabs the whole window.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from kmodgui.gui import docks

if TYPE_CHECKING:
    from kmodgui.gui.mainwindow import MainWindow

COMMAND_TIMEOUT_S = 20.0


def parse_size(text: str) -> tuple[int, int]:
    w, _, h = text.lower().partition("x")
    return int(w), int(h)


def split_commands(text: str) -> list[str]:
    """'insmod a.ko; insmod b.ko x="1;2"' -> the lines, quotes respected."""
    out, cur, quote = [], [], ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == ";":
            out.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur).strip())
    return [c for c in out if c]


def settle(win: "MainWindow", timeout: float = COMMAND_TIMEOUT_S) -> bool:
    """Process events until no command runs; a runaway is interrupted."""
    app = QApplication.instance()
    deadline = time.monotonic() + timeout
    while win.bridge.busy:
        app.processEvents()
        if time.monotonic() > deadline:
            win.bridge.cancel()
            return False
    for _ in range(3):
        app.processEvents()
    return True


def render(win: "MainWindow", out: Path, size: str | None, commands: str | None,
           zoom: float | None, presentation: bool) -> int:
    w, h = parse_size(size or "1600x1000")
    win.resize(w, h)
    if zoom:
        win.set_zoom(zoom, persist=False)
    win.show()
    QApplication.instance().processEvents()
    docks.default_layout(win)           # proportions for this size and zoom
    if presentation:
        win.enter_presentation()
    win.finish_startup()
    for line in split_commands(commands or ""):
        win.shell.run(line)
        settle(win)
    for hook in getattr(win, "screenshot_hooks", ()):     # e.g. --lecture
        hook()
    finish_panes(win)
    image = win.grab()
    saved = image.save(str(out))
    win.close()
    return 0 if saved else 1


def finish_panes(win: "MainWindow") -> None:
    """Flush every batched pane so the picture shows the final state."""
    app = QApplication.instance()
    win.bridge.flush()
    debug = getattr(win, "debug", None)
    if debug is not None:                   # arrows landed, fades done
        app.processEvents()
        debug.finish_animations()
    win.dmesg.flush()
    win.timeline.redraw()
    if win.timeline.plot is not None:
        win.timeline.fit()
    for _ in range(5):
        app.processEvents()
