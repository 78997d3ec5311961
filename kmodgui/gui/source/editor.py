"""Typing in the source view (a mixin of SourceView): kernel-style
auto-indent (see indent.py), Tab/Shift+Tab on selected lines, and the
read-only sample's "make your own copy first" hand-off.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextCursor

from kmodgui.gui.source import indent

_EDIT_KEYS = {Qt.Key_Backspace, Qt.Key_Delete, Qt.Key_Return, Qt.Key_Enter, Qt.Key_Tab,
              Qt.Key_Backtab}
_EDIT_SEQUENCES = (QKeySequence.Paste, QKeySequence.Cut, QKeySequence.DeleteEndOfWord,
                   QKeySequence.DeleteStartOfWord, QKeySequence.DeleteEndOfLine)


def is_edit_key(event: QKeyEvent) -> bool:
    """Would this key change the text of a writable editor?"""
    if event.key() in _EDIT_KEYS or any(event.matches(s) for s in _EDIT_SEQUENCES):
        return True
    mods = event.modifiers() & ~(Qt.ShiftModifier | Qt.KeypadModifier)
    text = event.text()
    return bool(text) and text.isprintable() and mods == Qt.NoModifier


class EditorKeysMixin:
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.isReadOnly():
            if self.edit_attempt is not None and is_edit_key(event):
                if self.edit_attempt() and not self.isReadOnly():
                    self._edit_key(event)        # the key lands in the copy
                return
            super().keyPressEvent(event)
            return
        self._edit_key(event)

    def _edit_key(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers() & ~Qt.KeypadModifier
        if key in (Qt.Key_Return, Qt.Key_Enter) and mods in (Qt.NoModifier, Qt.ShiftModifier):
            self._newline()
        elif key == Qt.Key_Tab and mods == Qt.NoModifier and self._multiline_selection():
            self._indent_selection(+1)
        elif key == Qt.Key_Backtab:
            self._indent_selection(-1)
        else:
            super().keyPressEvent(event)
            if event.text() == "}":
                self._align_closing_brace()
            elif event.text() == ":":
                self._outdent_label()

    # -- Enter ---------------------------------------------------------------
    def _newline(self) -> None:
        """A new line indented as the kernel's style wants; between `{` and
        `}` the brace goes down a line and the cursor sits in between."""
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        block = cursor.block()
        before = block.text()[:cursor.positionInBlock()]
        after = block.text()[cursor.positionInBlock():]
        previous = block.previous().text() if block.previous().isValid() else None
        new_indent = indent.newline_indent(before, previous)
        # the blanks after the cursor would only push the text right
        strip = len(after) - len(after.lstrip(" \t"))
        cursor.movePosition(QTextCursor.Right, QTextCursor.KeepAnchor, strip)
        cursor.removeSelectedText()
        if before.rstrip().endswith("{") and after.strip().startswith("}"):
            cursor.insertText("\n" + new_indent)
            keep = cursor.position()
            cursor.insertText("\n" + indent.leading(before))
            cursor.setPosition(keep)
        else:
            cursor.insertText("\n" + new_indent)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    # -- } and labels --------------------------------------------------------
    def _align_closing_brace(self) -> None:
        """`}` typed as the first thing on a line goes to its `{`'s column."""
        cursor = self.textCursor()
        block = cursor.block()
        line = block.text()
        if line.strip() != "}":
            return
        text = self.document().toPlainText()[:cursor.position() - 1]
        want = indent.closing_indent(text)
        if want is None or indent.leading(line) == want:
            return
        self._replace_line(block, want + line.lstrip(" \t"))

    def _outdent_label(self) -> None:
        """`\\tfail_this:` -> `fail_this:` in column 0 (kernel style)."""
        block = self.textCursor().block()
        if self.textCursor().positionInBlock() != len(block.text()):
            return
        new = indent.label_outdent(block.text())
        if new is not None:
            self._replace_line(block, new)

    def _replace_line(self, block, text: str) -> None:
        cursor = QTextCursor(block)
        cursor.joinPreviousEditBlock()          # one undo step with the key
        cursor.movePosition(QTextCursor.EndOfBlock, QTextCursor.KeepAnchor)
        cursor.insertText(text)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    # -- Tab / Shift+Tab on lines -------------------------------------------------
    def _multiline_selection(self) -> bool:
        c = self.textCursor()
        doc = self.document()
        return c.hasSelection() and (doc.findBlock(c.selectionStart()).blockNumber()
                                     != doc.findBlock(c.selectionEnd()).blockNumber())

    def _indent_selection(self, direction: int) -> None:
        c = self.textCursor()
        doc = self.document()
        first = doc.findBlock(c.selectionStart())
        last = doc.findBlock(c.selectionEnd() - (1 if c.hasSelection() else 0))
        edit = QTextCursor(doc)
        edit.beginEditBlock()
        block = first
        while block.isValid() and block.blockNumber() <= last.blockNumber():
            edit.setPosition(block.position())
            if direction > 0:
                if block.text().strip():
                    edit.insertText(indent.TAB)
            else:
                text = block.text()
                n = 1 if text.startswith("\t") else len(text[:8]) - len(text[:8].lstrip(" "))
                edit.movePosition(QTextCursor.Right, QTextCursor.KeepAnchor, n)
                edit.removeSelectedText()
            block = block.next()
        edit.endEditBlock()
