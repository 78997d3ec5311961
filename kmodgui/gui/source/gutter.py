"""The source view's left margin, left to right:

    section band | line numbers | diagnostic icon | goto arrows | text

The band is blue beside __init functions and amber beside __exit ones (the
overlay on the text names them too: colour is not the only cue).  Errors
are a filled circle with "!", warnings a triangle.  Each goto is drawn as
an arrow from the `goto` line to its label, nested arrows in separate
lanes, the way objdump/IDA draw jumps.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QToolTip, QWidget

if TYPE_CHECKING:
    from kmodgui.gui.source.view import SourceView

LANE = 0.85     # width of one arrow lane, in digit widths


class SourceGutter(QWidget):
    def __init__(self, view: "SourceView") -> None:
        super().__init__(view)
        self.view = view
        self.setObjectName("sourceGutter")
        self.setMouseTracking(True)

    # -- geometry ------------------------------------------------------------
    def _char(self) -> float:
        return self.view.fontMetrics().horizontalAdvance("9")

    def band_width(self) -> float:
        return max(4.0, self._char() * 0.55)

    def numbers_width(self) -> float:
        digits = max(3, len(str(self.view.blockCount())))
        return self._char() * (digits + 1.2)

    def icon_width(self) -> float:
        return self._char() * 1.5

    def arrows_width(self) -> float:
        return self._char() * (0.9 + LANE * self.view.arrow_lane_count())

    def total_width(self) -> int:
        return int(self.band_width() + self.numbers_width() + self.icon_width()
                   + self.arrows_width())

    def sizeHint(self) -> QSize:
        return QSize(self.total_width(), 0)

    # -- painting --------------------------------------------------------------
    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        t = self.view.theme
        p.fillRect(event.rect(), QColor(t.gutter))
        p.setFont(self.view.font())
        first, last = self.view.visible_lines()
        self._paint_bands(p, first, last)
        self._paint_numbers(p, first, last)
        self._paint_icons(p, first, last)
        self._paint_arrows(p)
        p.end()

    def _paint_bands(self, p: QPainter, first: int, last: int) -> None:
        w = self.band_width()
        h = self.view.line_height()
        for f in self.view.outline.functions:
            if f.section == "text" or f.last < first or f.first > last:
                continue
            colour = QColor(self.view.theme.init_mark if f.section == "init"
                            else self.view.theme.exit_mark)
            top = self.view.line_top(f.first)
            p.fillRect(QRectF(1, top, w - 2, (f.last - f.first + 1) * h), colour)

    def _paint_numbers(self, p: QPainter, first: int, last: int) -> None:
        t = self.view.theme
        x0 = self.band_width()
        w = self.numbers_width() - self._char() * 0.6
        h = self.view.line_height()
        error_lines = {m.line for m in self.view.marks}
        for n in range(first, last + 1):
            colour = t.text if n == self.view.selected_line or n in error_lines else t.dim
            p.setPen(QColor(colour))
            p.drawText(QRectF(x0, self.view.line_top(n), w, h),
                       Qt.AlignRight | Qt.AlignVCenter, str(n))

    def _paint_icons(self, p: QPainter, first: int, last: int) -> None:
        x = self.band_width() + self.numbers_width()
        h = self.view.line_height()
        size = min(h * 0.8, self.icon_width() * 0.8)
        for m in self.view.marks:
            if first <= m.line <= last:
                cy = self.view.line_top(m.line) + h / 2
                self._icon(p, QPointF(x + self.icon_width() / 2, cy), size, m.is_error)

    def _icon(self, p: QPainter, c: QPointF, size: float, error: bool) -> None:
        t = self.view.theme
        p.setPen(Qt.NoPen)
        if error:
            p.setBrush(QColor(t.error))
            p.drawEllipse(c, size / 2, size / 2)
        else:
            p.setBrush(QColor(t.warning))
            p.drawPolygon(QPolygonF([QPointF(c.x(), c.y() - size / 2),
                                     QPointF(c.x() + size / 2, c.y() + size / 2),
                                     QPointF(c.x() - size / 2, c.y() + size / 2)]))
        p.setPen(QColor("#ffffff"))
        font = p.font()
        font.setBold(True)
        font.setPointSizeF(max(4.0, font.pointSizeF() * 0.75))
        p.setFont(font)
        p.drawText(QRectF(c.x() - size / 2, c.y() - size / 2 + (0 if error else size * 0.12),
                          size, size), Qt.AlignCenter, "!")
        p.setFont(self.view.font())

    def _paint_arrows(self, p: QPainter) -> None:
        """goto line -> label line; the arrowhead points at the label."""
        t = self.view.theme
        right = self.width() - 2
        step = self._char() * LANE
        h = self.view.line_height()
        pen = QPen(QColor(t.label), max(1.2, self.view.zoom * 1.6))
        pen.setCapStyle(Qt.RoundCap)
        pen.setJoinStyle(Qt.RoundJoin)
        for arrow, lane in zip(self.view.outline.gotos, self.view.arrow_lanes):
            y0 = self.view.line_top(arrow.goto_line) + h / 2
            y1 = self.view.line_top(arrow.label_line) + h / 2
            x = right - self._char() * 0.7 - lane * step
            path = QPainterPath(QPointF(right, y0))
            path.lineTo(x, y0)
            path.lineTo(x, y1)
            path.lineTo(right - 1, y1)
            p.setPen(pen)
            p.setBrush(Qt.NoBrush)
            p.drawPath(path)
            p.setBrush(QColor(t.label))
            p.drawEllipse(QPointF(right - 1, y0), pen.widthF() * 1.1, pen.widthF() * 1.1)
            head = pen.widthF() * 2.6
            p.drawPolygon(QPolygonF([QPointF(right, y1), QPointF(right - head, y1 - head * 0.8),
                                     QPointF(right - head, y1 + head * 0.8)]))

    # -- hover ---------------------------------------------------------------
    def mouseMoveEvent(self, event) -> None:
        line = self.view.line_at(event.position().y())
        text = self.view.describe_line(line)
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()
