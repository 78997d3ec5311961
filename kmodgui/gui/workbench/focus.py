"""Focus comes back to the window after a dialog.

When a modal dialog closes, X gives the keyboard to whatever the window
manager says: most give it back to the dialog's parent, but without one
(or with a window manager that does not track transients) it goes to the
root window, and the main window's shortcuts (Ctrl+B, Ctrl+I) are dead
until a click.  So every dialog of the app hands the focus back itself.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer
from shiboken6 import isValid
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QApplication, QDialog, QWidget


def return_focus(window: QWidget | None) -> None:
    """Make `window` the active window again, now and once the event loop
    has run (a window manager may still be closing the dialog)."""
    if window is None or not isValid(window):
        return
    window = window.window()

    def activate() -> None:
        if isValid(window) and window.isVisible() and QApplication.activeModalWidget() is None:
            window.activateWindow()
    activate()
    QTimer.singleShot(0, window, activate)
    QTimer.singleShot(100, window, activate)


@contextmanager
def dialog_of(parent: QWidget | None) -> Iterator[None]:
    """`with dialog_of(win): QFileDialog.getOpenFileName(win, ...)`."""
    try:
        yield
    finally:
        return_focus(parent)


class FocusKeeper(QObject):
    """For dialogs the app did not open through dialog_of(): once a dialog
    that had the keyboard has closed and no window of the app has it, give
    it back to `window`.  A dialog still open (the user went to another
    application) is left alone.  A child of the window: Qt drops its
    connection to the application with it."""

    POLL_MS = 100

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self._poll = QTimer(self, interval=self.POLL_MS)
        self._poll.timeout.connect(self._check)
        self._dialog: QWindow | None = None
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.connect(self._changed)

    def _changed(self, now: QWindow | None) -> None:
        if not isValid(self.window) or not isValid(self._poll):
            return
        if now is not None and isValid(now) and _is_dialog(now):
            self._dialog = now
            self._poll.start()                  # watch it until it has gone

    def _check(self) -> None:
        if not isValid(self.window):
            return
        dialog = self._dialog
        if QApplication.activeModalWidget() is not None or (
                dialog is not None and isValid(dialog) and dialog.isVisible()):
            return
        self._poll.stop()
        self._dialog = None
        if QGuiApplication.focusWindow() is None:
            return_focus(self.window)


def _is_dialog(handle: QWindow) -> bool:
    return any(isinstance(w, QDialog) and w.windowHandle() is handle
               for w in QApplication.topLevelWidgets())
