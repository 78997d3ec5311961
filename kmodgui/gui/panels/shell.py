"""The Shell pane: a root shell on the simulated machine.

It runs the same command lines as `kmodsim` (insmod, rmmod, lsmod, dmesg,
modinfo, cat, kconfig, inject, ...) through the session and prints their
stdout and stderr unchanged.  Commands sent by buttons and menus appear
here too, as if typed, so the pane is the transcript of the whole session.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QFont, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QVBoxLayout, QWidget)

from kmodgui.gui.theme import LIGHT, Theme
from kmodgui.gui.zoom import mono_font

PROMPT = "# "
MAX_LINES = 5000
IDLE_HINT = "type a command: insmod hi.ko, lsmod, dmesg, rmmod hi, help"
BUSY_HINT = "running... (Ctrl+C interrupts; new lines wait their turn)"


class ShellPanel(QWidget):
    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shellPanel")
        self.bridge = bridge
        self.theme: Theme = LIGHT
        self.history: list[str] = []
        self._hpos = 0
        self.output = QPlainTextEdit(self)
        self.output.setObjectName("shellOutput")
        self.output.setReadOnly(True)
        self.output.setUndoRedoEnabled(False)
        self.output.setMaximumBlockCount(MAX_LINES)
        self.output.setFocusPolicy(Qt.ClickFocus)
        self.prompt = QLabel(PROMPT, self)
        self.input = QLineEdit(self)
        self.input.setObjectName("shellInput")
        self.input.setPlaceholderText(IDLE_HINT)
        self.input.setFrame(False)
        self.input.returnPressed.connect(self._submit)
        self.input.installEventFilter(self)
        row = QHBoxLayout()
        row.setContentsMargins(6, 2, 6, 4)
        row.setSpacing(0)
        row.addWidget(self.prompt)
        row.addWidget(self.input, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.output, 1)
        lay.addLayout(row)
        self.setFocusProxy(self.input)
        bridge.commandStarted.connect(self._started)
        bridge.commandFinished.connect(self._finished)
        bridge.busyChanged.connect(self._busy)

    # -- input -----------------------------------------------------------------
    def run(self, line: str) -> None:
        """Run a line as if typed (also used by --run and tests)."""
        line = line.strip()
        if not line:
            self._write(PROMPT + "\n", self.theme.dim)
            return
        if not self.history or self.history[-1] != line:
            self.history.append(line)
        self._hpos = len(self.history)
        if line == "clear":
            self.output.clear()
            return
        self.bridge.run_line(line, "shell")

    def _submit(self) -> None:
        line = self.input.text()
        self.input.clear()
        self.run(line)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.input and event.type() == QEvent.ShortcutOverride:
            return self._override(event)
        if obj is self.input and event.type() == QEvent.KeyPress:
            return self._key(event)
        return super().eventFilter(obj, event)

    def _override(self, event) -> bool:
        """Which keys the input keeps from the window's shortcuts.  Ctrl+U
        is a terminal's 'erase the line before the cursor' while there is
        something to erase; on an empty line it is the window's rmmod."""
        if _is_ctrl(event, Qt.Key_U):
            if self.input.text() and self.input.cursorPosition() > 0:
                event.accept()                # ours: erase (see _key)
            else:
                event.ignore()                # the window's rmmod
            return True
        return False

    def _key(self, event) -> bool:
        if event.key() == Qt.Key_Up:
            self._recall(-1)
            return True
        if event.key() == Qt.Key_Down:
            self._recall(1)
            return True
        if event.matches(QKeySequence.Copy) and not self.input.hasSelectedText():
            self.bridge.cancel()                     # Ctrl+C: interrupt
            return True
        if event.key() == Qt.Key_L and event.modifiers() & Qt.ControlModifier:
            self.output.clear()
            return True
        if _is_ctrl(event, Qt.Key_U):         # readline's unix-line-discard
            self.input.setText(self.input.text()[self.input.cursorPosition():])
            self.input.setCursorPosition(0)
            return True
        return False

    def _recall(self, direction: int) -> None:
        """Shell history: Up goes back, Down forward, past the end is empty."""
        if not self.history:
            return
        self._hpos = max(0, min(len(self.history), self._hpos + direction))
        self.input.setText(self.history[self._hpos] if self._hpos < len(self.history) else "")

    # -- output ----------------------------------------------------------------
    def _started(self, line: str, origin: str) -> None:
        self._write(PROMPT, self.theme.accent, bold=True)
        self._write(line + "\n", self.theme.text, bold=True)

    def _finished(self, line: str, origin: str, result: Any) -> None:
        if result is None:
            self._write("^C\n", self.theme.dim)
            return
        # (fd, text) chunks keep stdout and stderr interleaved as written
        chunks = getattr(result, "chunks", None) or [(1, result.stdout), (2, result.stderr)]
        for fd, text in chunks:
            if text:
                self._write(text, self.theme.error if fd == 2 else self.theme.text)

    def show_text(self, text: str, colour: str | None = None) -> None:
        """Print something that is not a command's output (build logs)."""
        self._write(text if text.endswith("\n") else text + "\n", colour or self.theme.dim)

    def _write(self, text: str, colour: str, bold: bool = False) -> None:
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(colour))
        fmt.setFontWeight(QFont.Bold if bold else QFont.Normal)
        cursor = QTextCursor(self.output.document())
        cursor.movePosition(QTextCursor.End)
        cursor.insertText(text, fmt)
        bar = self.output.verticalScrollBar()
        bar.setValue(bar.maximum())

    def text(self) -> str:
        return self.output.toPlainText()

    def _busy(self, busy: bool) -> None:
        self.input.setPlaceholderText(BUSY_HINT if busy else IDLE_HINT)
        self.prompt.setStyleSheet(f"color: {self.theme.dim if busy else self.theme.accent}; font-weight: bold;")

    # -- appearance --------------------------------------------------------------
    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._busy(self.bridge.busy)

    def set_zoom(self, factor: float) -> None:
        for w in (self.output, self.prompt, self.input):
            w.setFont(mono_font(factor))
        # a small slot (stacked under Modules on a projector) may leave it two
        # lines of output above the input, not the scroll area's default 70 px
        frame = 2 * self.output.frameWidth() + 2 * self.output.document().documentMargin()
        self.output.setMinimumHeight(int(2 * self.output.fontMetrics().lineSpacing() + frame))


def _is_ctrl(event, key: int) -> bool:
    mods = event.modifiers() & ~Qt.KeypadModifier
    return event.key() == key and mods == Qt.ControlModifier
