"""Small widgets shared by every feature's panels."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QTreeWidget


class HintTree(QTreeWidget):
    """A tree that shows a grey hint in its empty viewport."""

    def __init__(self, hint: str, parent=None) -> None:
        super().__init__(parent)
        self.hint = hint

    def fit_minimum(self) -> None:
        """Its least height: the header and one row (after a font change),
        not a scroll area's 70 px, so a small slot of a projector's layout
        can hold it."""
        row = self.fontMetrics().lineSpacing() + 8
        self.setMinimumHeight(self.header().sizeHint().height() + row + 2 * self.frameWidth())

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.topLevelItemCount() == 0 and self.hint:
            p = QPainter(self.viewport())
            p.setPen(QColor(self.palette().placeholderText().color()))
            rect = self.viewport().rect().adjusted(12, 12, -12, -12)
            p.drawText(rect, Qt.AlignHCenter | Qt.AlignTop | Qt.TextWordWrap, self.hint)
            p.end()
