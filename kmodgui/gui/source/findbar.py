"""Find in the source (Ctrl+F): a bar under the editor.

Typing searches from the cursor as you type; Enter / F3 finds the next
match, Shift+Enter / Shift+F3 the previous one (both wrap around); Esc
closes the bar and gives the editor back its focus.  Every match is
tinted and underlined, the current one selected; "3 of 7" says where you
are.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QLineEdit,
                               QToolButton, QWidget)

from kmodgui.gui.zoom import px, ui_font

if TYPE_CHECKING:
    from kmodgui.gui.source.view import SourceView


class FindBar(QWidget):
    def __init__(self, view: "SourceView", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setObjectName("findBar")
        self.field = QLineEdit(self)
        self.field.setObjectName("findField")
        self.field.setPlaceholderText("Find in source")
        self.field.setClearButtonEnabled(True)
        self.case = QCheckBox("Match case", self)
        self.prev_button = self._button("▲ Previous", "Previous match  (Shift+Enter, Shift+F3)",
                                        lambda: self.find(backward=True))
        self.next_button = self._button("▼ Next", "Next match  (Enter, F3)", lambda: self.find())
        self.status = QLabel(self)
        self.close_button = self._button("✕", "Close  (Esc)", self.close_bar)
        lay = QHBoxLayout(self)
        for w in (QLabel("Find:", self), self.field, self.prev_button, self.next_button,
                  self.case, self.status):
            lay.addWidget(w)
        lay.addStretch(1)
        lay.addWidget(self.close_button)
        self.field.textChanged.connect(lambda _t: self._incremental())
        self.case.toggled.connect(lambda _on: self._incremental())
        self.field.installEventFilter(self)
        self.set_zoom(1.0)
        self.hide()

    def _button(self, text: str, tip: str, slot) -> QToolButton:
        b = QToolButton(self)
        b.setText(text)
        b.setToolTip(tip)
        b.setAutoRaise(True)
        b.clicked.connect(lambda _c=False: slot())
        return b

    def set_zoom(self, factor: float) -> None:
        font = ui_font(factor)
        for w in (self, *self.findChildren(QWidget)):
            w.setFont(font)
        self.layout().setContentsMargins(px(6, factor), px(3, factor), px(6, factor), px(3, factor))
        self.field.setMinimumWidth(px(260, factor))

    # -- opening and closing ---------------------------------------------------
    def open_bar(self) -> None:
        """Show, seeded with the selected word if it is on one line."""
        picked = self.view.textCursor().selectedText()
        if picked and "\u2029" not in picked:
            self.field.setText(picked)
        self.show()
        self.field.setFocus(Qt.ShortcutFocusReason)
        self.field.selectAll()
        self._highlight()

    def close_bar(self) -> None:
        self.hide()
        self.view.set_find_highlights([])
        self.view.setFocus(Qt.OtherFocusReason)

    # -- searching ----------------------------------------------------------------
    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self.case.isChecked():
            flags |= QTextDocument.FindCaseSensitively
        if backward:
            flags |= QTextDocument.FindBackward
        return flags

    def matches(self) -> list[QTextCursor]:
        text = self.field.text()
        doc = self.view.document()
        out: list[QTextCursor] = []
        if not text:
            return out
        c = doc.find(text, 0, self._flags())
        while not c.isNull():
            out.append(c)
            c = doc.find(text, c, self._flags())
        return out

    def find(self, backward: bool = False, from_start_of_selection: bool = False) -> bool:
        """Select the next (previous) match after the cursor, wrapping."""
        text = self.field.text()
        if not text:
            self._highlight()
            return False
        doc = self.view.document()
        here = self.view.textCursor()
        start = QTextCursor(here)
        if from_start_of_selection:
            start.setPosition(here.selectionStart())
        found = doc.find(text, start, self._flags(backward))
        if found.isNull():                       # wrap around
            edge = QTextCursor(doc)
            edge.movePosition(QTextCursor.End if backward else QTextCursor.Start)
            found = doc.find(text, edge, self._flags(backward))
        if not found.isNull():
            self.view.setTextCursor(found)
            if not self._visible(found):
                self.view.centerCursor()
        self._highlight()
        return not found.isNull()

    def _visible(self, c: QTextCursor) -> bool:
        first, last = self.view.visible_lines()
        return first <= c.blockNumber() + 1 <= last - 2

    def _incremental(self) -> None:
        self.find(from_start_of_selection=True)

    def _highlight(self) -> None:
        found = self.matches()
        self.view.set_find_highlights(found)
        current = self.view.textCursor()
        index = next((i for i, c in enumerate(found)
                      if (c.selectionStart(), c.selectionEnd())
                      == (current.selectionStart(), current.selectionEnd())), None)
        if not self.field.text():
            self.status.setText("")
        elif not found:
            self.status.setText("✖ not found")
        else:
            self.status.setText(f"{index + 1 if index is not None else '–'} of {len(found)}")

    # -- keys in the field ----------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.field and event.type() == QEvent.ShortcutOverride:
            if event.key() in (Qt.Key_Escape, Qt.Key_Return, Qt.Key_Enter):
                event.accept()                   # ours, not the window's (presentation Esc)
                return True
        if obj is self.field and event.type() == QEvent.KeyPress:
            return self._field_key(event)
        return False

    def _field_key(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key_Escape:
            self.close_bar()
            return True
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.find(backward=bool(event.modifiers() & Qt.ShiftModifier))
            return True
        return False
