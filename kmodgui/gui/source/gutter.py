"""The source view's left margin, left to right:

    section band | debug marks | line numbers | diagnostic icon | goto arrows | trace | text

The band is blue beside __init functions and amber beside __exit ones (the
overlay on the text names them too: colour is not the only cue).  Debug
marks: a breakpoint is a red disc with a white centre, the paused line a
yellow arrow outlined in the text colour.  Errors are a filled circle with
"!", warnings a triangle.  Each goto is drawn as an arrow from the `goto`
line to its label, nested arrows in separate lanes, the way objdump/IDA
draw jumps; the goto the debugger took is thick and the others dim, and
while it is being taken a head travels along it.  The lines an unwind ran
get a dashed bar in the trace strip, right against the text.

Clicking the margin left of the arrows toggles a breakpoint.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QToolTip, QWidget

from kmodgui.gui.source.debugview import EXEC_ARROW
from kmodgui.gui.source.outline import GotoArrow

if TYPE_CHECKING:
    from kmodgui.gui.source.view import SourceView

LANE = 0.85     # width of one arrow lane, in digit widths
DIM_ALPHA = 70  # the gotos not taken, while one is shown taken


class SourceGutter(QWidget):
    def __init__(self, view: "SourceView") -> None:
        super().__init__(view)
        self.view = view
        self.setObjectName("sourceGutter")
        self.setMouseTracking(True)
        self.setCursor(Qt.PointingHandCursor)
        self.hover_line = 0

    # -- geometry ------------------------------------------------------------
    def _char(self) -> float:
        return self.view.fontMetrics().horizontalAdvance("9")

    def band_width(self) -> float:
        return max(4.0, self._char() * 0.55)

    def marker_width(self) -> float:
        return self._char() * 1.9

    def numbers_width(self) -> float:
        digits = max(3, len(str(self.view.blockCount())))
        return self._char() * (digits + 1.2)

    def icon_width(self) -> float:
        return self._char() * 1.5

    def arrows_x(self) -> float:
        """Where the arrow lanes begin (clicks left of it toggle breakpoints)."""
        return self.band_width() + self.marker_width() + self.numbers_width() + self.icon_width()

    def arrows_width(self) -> float:
        return self._char() * (0.9 + LANE * self.view.arrow_lane_count())

    def trace_width(self) -> float:
        return self.view.trace_bar_width() + 2

    def total_width(self) -> int:
        return int(self.arrows_x() + self.arrows_width() + self.trace_width())

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
        self._paint_debug_marks(p, first, last)
        self._paint_numbers(p, first, last)
        self._paint_icons(p, first, last)
        self._paint_arrows(p)
        self._paint_trace(p, first, last)
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

    def _marker_centre(self, line: int) -> QPointF:
        return QPointF(self.band_width() + self.marker_width() / 2,
                       self.view.line_top(line) + self.view.line_height() / 2)

    def _paint_debug_marks(self, p: QPainter, first: int, last: int) -> None:
        h = self.view.line_height()
        r = min(h, self.marker_width()) * 0.42
        bps = self.view.breakpoints()
        for line in sorted(bps):
            if first <= line <= last:
                self._breakpoint(p, self._marker_centre(line), r, 255)
        if self.hover_line and self.hover_line not in bps and first <= self.hover_line <= last:
            self._breakpoint(p, self._marker_centre(self.hover_line), r, 60)   # click to add
        line = self.view.exec_line
        if line and first <= line <= last:
            self._exec_arrow(p, self._marker_centre(line), h)

    def _breakpoint(self, p: QPainter, c: QPointF, r: float, alpha: int) -> None:
        fill = QColor(self.view.theme.error)
        fill.setAlpha(alpha)
        p.setPen(Qt.NoPen)
        p.setBrush(fill)
        p.drawEllipse(c, r, r)
        inner = QColor("#ffffff")
        inner.setAlpha(alpha)
        p.setBrush(inner)
        p.drawEllipse(c, r * 0.3, r * 0.3)

    def _exec_arrow(self, p: QPainter, c: QPointF, h: float) -> None:
        """A block arrow pointing at the paused line."""
        w = self.marker_width() * 0.9
        half = h * 0.34
        x0, x1 = c.x() - w / 2, c.x() + w / 2
        mid = x0 + w * 0.45
        shape = QPolygonF([QPointF(x0, c.y() - half * 0.5), QPointF(mid, c.y() - half * 0.5),
                           QPointF(mid, c.y() - half), QPointF(x1, c.y()),
                           QPointF(mid, c.y() + half), QPointF(mid, c.y() + half * 0.5),
                           QPointF(x0, c.y() + half * 0.5)])
        p.setPen(QPen(QColor(self.view.theme.text), max(1.0, self.view.zoom * 1.2)))
        p.setBrush(QColor(EXEC_ARROW))
        p.drawPolygon(shape)

    def _paint_numbers(self, p: QPainter, first: int, last: int) -> None:
        t = self.view.theme
        x0 = self.band_width() + self.marker_width()
        w = self.numbers_width() - self._char() * 0.6
        h = self.view.line_height()
        strong = {m.line for m in self.view.marks} | {self.view.selected_line, self.view.exec_line}
        for n in range(first, last + 1):
            p.setPen(QColor(t.text if n in strong else t.dim))
            font = self.view.font()
            font.setBold(n == self.view.exec_line)
            p.setFont(font)
            p.drawText(QRectF(x0, self.view.line_top(n), w, h),
                       Qt.AlignRight | Qt.AlignVCenter, str(n))
        p.setFont(self.view.font())

    def _paint_icons(self, p: QPainter, first: int, last: int) -> None:
        x = self.band_width() + self.marker_width() + self.numbers_width()
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

    # -- goto arrows -------------------------------------------------------------------
    def _arrow_points(self, arrow: GotoArrow, lane: int) -> list[QPointF]:
        """goto line -> out to its lane -> down/up -> in to the label line."""
        right = self.width() - self.trace_width() - 1
        h = self.view.line_height()
        y0 = self.view.line_top(arrow.goto_line) + h / 2
        y1 = self.view.line_top(arrow.label_line) + h / 2
        x = right - self._char() * 0.7 - lane * self._char() * LANE
        return [QPointF(right, y0), QPointF(x, y0), QPointF(x, y1), QPointF(right - 1, y1)]

    def _pen_width(self) -> float:
        return max(1.2, self.view.zoom * 1.6)

    def _paint_arrows(self, p: QPainter) -> None:
        """Every goto; the one taken (view.jump) thick, the rest dim then."""
        colour = QColor(self.view.theme.label)
        jump = self.view.jump
        taken = self.view.taken_goto()
        dim = QColor(colour)
        if jump is not None:
            dim.setAlpha(DIM_ALPHA)
        for arrow, lane in zip(self.view.outline.gotos, self.view.arrow_lanes):
            if arrow is not taken:
                self._draw_arrow(p, self._arrow_points(arrow, lane), dim, self._pen_width(), 1.0)
        if jump is None:
            return
        if taken is not None:
            lane = self.view.arrow_lanes[self.view.outline.gotos.index(taken)]
        else:                                   # not in the outline: its own lane
            taken = GotoArrow("", jump.from_line, jump.to_line, jump.label)
            lane = self.view.arrow_lane_count() - 1
        points = self._arrow_points(taken, lane)
        faint = QColor(colour)
        faint.setAlpha(DIM_ALPHA)
        self._draw_arrow(p, points, faint, self._pen_width(), 1.0)
        self._draw_arrow(p, points, colour, self._pen_width() * 2.4, jump.progress)

    def _draw_arrow(self, p: QPainter, points: list[QPointF], colour: QColor,
                    width: float, progress: float) -> None:
        """The polyline up to `progress` of its length; a dot at the goto,
        an arrowhead at the label, or a travelling head while in flight."""
        pen = QPen(colour, width)
        pen.setCapStyle(Qt.RoundCap)
        pen.setJoinStyle(Qt.RoundJoin)
        partial = _partial(points, progress)
        path = QPainterPath(partial[0])
        for pt in partial[1:]:
            path.lineTo(pt)
        p.setPen(pen)
        p.setBrush(Qt.NoBrush)
        p.drawPath(path)
        p.setPen(Qt.NoPen)
        p.setBrush(colour)
        p.drawEllipse(points[0] + QPointF(-1, 0), width * 1.1, width * 1.1)
        end = partial[-1]
        if progress >= 1.0:
            head = width * 2.6 if width <= self._pen_width() else width * 1.9
            tip = points[-1] + QPointF(1, 0)
            p.drawPolygon(QPolygonF([tip, QPointF(tip.x() - head, tip.y() - head * 0.8),
                                     QPointF(tip.x() - head, tip.y() + head * 0.8)]))
        else:
            p.drawEllipse(end, width * 1.3, width * 1.3)

    def _paint_trace(self, p: QPainter, first: int, last: int) -> None:
        """One dashed bar per run of consecutive traced lines."""
        if not self.view.trace_lines:
            return
        w = self.view.trace_bar_width()
        p.setPen(QPen(QColor(self.view.theme.label), w, Qt.DashLine, Qt.FlatCap))
        h = self.view.line_height()
        runs: list[list[int]] = []
        for n in self.view.trace_lines:
            if first - 1 <= n <= last + 1:
                if runs and runs[-1][-1] == n - 1:
                    runs[-1].append(n)
                else:
                    runs.append([n])
        x = self.width() - w / 2 - 1
        for run in runs:
            p.drawLine(QPointF(x, self.view.line_top(run[0]) + h * 0.08),
                       QPointF(x, self.view.line_top(run[-1]) + h * 0.92))

    # -- mouse ---------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.LeftButton and event.position().x() < self.arrows_x():
            self.view.toggle_breakpoint(self.view.line_at(event.position().y()))
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        event.accept()                  # the press did the work

    def mouseMoveEvent(self, event) -> None:
        line = self.view.line_at(event.position().y())
        hover = line if event.position().x() < self.arrows_x() and line <= self.view.blockCount() else 0
        if hover != self.hover_line:
            self.hover_line = hover
            self.update()
        text = self.view.describe_line(line)
        if hover and line not in self.view.breakpoints():
            text = "\n".join(t for t in (text, "click: add a breakpoint (F9)") if t)
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()

    def leaveEvent(self, event) -> None:
        self.hover_line = 0
        self.update()
        super().leaveEvent(event)


def _partial(points: list[QPointF], progress: float) -> list[QPointF]:
    """The polyline cut at `progress` (0..1) of its total length."""
    if progress >= 1.0:
        return points
    lengths = [_dist(a, b) for a, b in zip(points, points[1:])]
    left = max(0.0, progress) * sum(lengths)
    out = [points[0]]
    for (a, b), seg in zip(zip(points, points[1:]), lengths):
        if left >= seg:
            out.append(b)
            left -= seg
            continue
        f = left / seg if seg else 0.0
        out.append(QPointF(a.x() + (b.x() - a.x()) * f, a.y() + (b.y() - a.y()) * f))
        break
    return out


def _dist(a: QPointF, b: QPointF) -> float:
    return ((a.x() - b.x()) ** 2 + (a.y() - b.y()) ** 2) ** 0.5
