"""Positions that follow the text while it is edited.

A build's diagnostics and the user's breakpoints belong to a piece of
text, not to a line number: when a line is inserted above them they must
move down with it.  A QTextCursor does exactly that -- the document
shifts every cursor past an edit -- so each anchor is a cursor.
"""
from __future__ import annotations

from PySide6.QtGui import QTextCursor, QTextDocument


def anchor(doc: QTextDocument, line: int, col: int = 1) -> QTextCursor | None:
    """A cursor at 1-based (line, col), or None past the end of the text."""
    block = doc.findBlockByNumber(line - 1)
    if not block.isValid():
        return None
    cursor = QTextCursor(doc)
    cursor.setPosition(block.position() + max(0, min(col - 1, block.length() - 1)))
    return cursor


def where(cursor: QTextCursor) -> tuple[int, int]:
    """1-based (line, col) of an anchor now."""
    return cursor.blockNumber() + 1, cursor.positionInBlock() + 1
