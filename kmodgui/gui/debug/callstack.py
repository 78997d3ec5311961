"""The Call stack pane: where the debugged task stands.

Frames innermost first, as gdb's `where` prints them ("#0 my_cleanup ()
at skull_cleanup.c:44"), and the locals of the selected frame with gdb's
rendering of values (`err = -12`, `item1 = 0xffff888003a1c000`, NULL
pointers as `0x0 (NULL)`).  A value that changed since the previous stop is
bold and marked "changed" (not colour only).  The line below evaluates a C
expression in the innermost frame, like gdb's `print`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QLabel, QLineEdit, QSplitter, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from kmodgui.gui.workbench.widgets import HintTree
from kmodgui.gui.theme import LIGHT, Theme
from kmodgui.gui.zoom import mono_font, ui_font

if TYPE_CHECKING:
    from kmodgui.debugger import FrameInfo

IDLE_HINT = ("Not debugging.\nF5 runs insmod of the open module under the debugger, "
             "Ctrl+F5 its rmmod; F10 / F11 step.")


class CallStackPanel(QWidget):
    #: the user picked frame N (0 = innermost): show its locals and line.
    frameSelected = Signal(int)
    #: a C expression typed in the print line
    evaluateRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callStackPanel")
        self.theme: Theme = LIGHT
        self.zoom = 1.0
        self.on_zoom = None             # the controller follows the window's zoom here
        self.on_theme = None
        self._previous: dict[tuple[str, str], str] = {}
        self.status = QLabel("", self)
        self.status.setObjectName("callStackStatus")
        self.status.setWordWrap(True)
        self.frames = HintTree(IDLE_HINT, self)
        self.frames.setObjectName("callStackFrames")
        self.frames.setHeaderLabels(("#", "Function", "Where"))
        self.frames.setRootIsDecorated(False)
        self.frames.setUniformRowHeights(True)
        self.frames.currentItemChanged.connect(self._picked)
        self.locals = HintTree("", self)
        self.locals.setObjectName("callStackLocals")
        self.locals.setHeaderLabels(("Local", "Value"))
        self.locals.setRootIsDecorated(False)
        self.locals.setUniformRowHeights(True)
        self.print_line = QLineEdit(self)
        self.print_line.setObjectName("callStackPrint")
        self.print_line.setPlaceholderText("print EXPR  (a C expression in the current frame)")
        self.print_line.returnPressed.connect(
            lambda: self.evaluateRequested.emit(self.print_line.text().strip()))
        self.print_result = QLabel("", self)
        self.print_result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        split = QSplitter(Qt.Vertical, self)
        split.addWidget(self.frames)
        split.addWidget(self.locals)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.status)
        lay.addWidget(split, 1)
        lay.addWidget(self.print_line)
        lay.addWidget(self.print_result)
        self.clear()

    # -- content -------------------------------------------------------------------
    def clear(self, status: str = "") -> None:
        self.frames.clear()
        self.locals.clear()
        self._previous = {}
        self.status.setText(status)
        self.status.setVisible(bool(status))
        self.print_result.clear()

    def show_frames(self, frames: list["FrameInfo"], status: str) -> None:
        """A new stop: the frames, innermost selected (its locals follow)."""
        self.status.setText(status)
        self.status.setVisible(bool(status))
        self.frames.blockSignals(True)
        self.frames.clear()
        for i, f in enumerate(frames):
            item = QTreeWidgetItem([f"#{i}", f"{f.func} ()", f"{f.file}:{f.line}"])
            item.setToolTip(2, f"module {f.module}")
            self.frames.addTopLevelItem(item)
        if frames:
            self.frames.setCurrentItem(self.frames.topLevelItem(0))
        self.frames.blockSignals(False)
        for col in range(3):
            self.frames.resizeColumnToContents(col)

    def show_locals(self, frame: str, values: dict[str, str]) -> None:
        """gdb-style values; changed ones (same frame function) in bold."""
        self.locals.clear()
        bold = QFont(self.locals.font())
        bold.setBold(True)
        now: dict[tuple[str, str], str] = {}
        for name, value in values.items():
            key = (frame, name)
            now[key] = value
            changed = key in self._previous and self._previous[key] != value
            item = QTreeWidgetItem([name, value + ("   ◀ changed" if changed else "")])
            if changed:
                item.setFont(0, bold)
                item.setFont(1, bold)
                item.setToolTip(1, f"was {self._previous[key]}")
            self.locals.addTopLevelItem(item)
        self._previous.update(now)
        if not values:
            self.locals.hint = "No locals."
        for col in range(2):
            self.locals.resizeColumnToContents(col)

    def show_result(self, text: str, error: bool = False) -> None:
        colour = self.theme.error if error else self.theme.text
        self.print_result.setStyleSheet(f"color: {colour};")
        self.print_result.setText(text)

    def frame_rows(self) -> list[list[str]]:
        return [[self.frames.topLevelItem(i).text(c) for c in range(3)]
                for i in range(self.frames.topLevelItemCount())]

    def local_rows(self) -> list[tuple[str, str]]:
        return [(self.locals.topLevelItem(i).text(0), self.locals.topLevelItem(i).text(1))
                for i in range(self.locals.topLevelItemCount())]

    def _picked(self, item: QTreeWidgetItem | None, _old) -> None:
        if item is not None:
            self.frameSelected.emit(self.frames.indexOfTopLevelItem(item))

    # -- appearance --------------------------------------------------------------------
    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        if self.on_theme:
            self.on_theme(theme)

    def set_zoom(self, factor: float) -> None:
        self.zoom = factor
        for w in (self.frames, self.locals, self.frames.header(), self.locals.header(),
                  self.status):
            w.setFont(ui_font(factor))
        self.locals.setFont(mono_font(factor))
        for w in (self.print_line, self.print_result):
            w.setFont(mono_font(factor))
        if self.on_zoom:
            self.on_zoom(factor)
