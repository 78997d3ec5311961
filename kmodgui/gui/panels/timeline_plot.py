"""The Timeline's pyqtgraph plot (imported lazily: pyqtgraph costs ~200 ms
and the first frame must not wait for it).

Bars are drawn with one BarGraphItem per style and points with one
ScatterPlotItem per kind, so 100,000 events are a handful of items.
Every style differs by pattern or shape, not only by colour.
"""
from __future__ import annotations

import bisect

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QCursor, QFont, QFontMetrics, QPen
from PySide6.QtWidgets import QToolTip

from kmodgui.gui.panels.dmesg_format import timestamp
from kmodgui.gui.panels.timeline_model import (
    POINT_KINDS,
    STYLES,
    Bar,
    Point,
    TimelineModel,
)
from kmodgui.gui.theme import Theme
from kmodgui.gui.zoom import UI_POINTS

NS = 1e9
MAX_MARKER_LABELS = 40
LABEL_ROWS = (-0.9, -1.9, -2.9)      # y of the label rows above the lanes, one lane apart
LABEL_GAP_PX = 6                     # between two labels of one row
MIN_LABEL_PX = 44                    # narrower than this, a label is left out
Y_TOP = -3.5                         # top of the fitted view (above the label rows)
MIN_BAR_PX = 5                   # narrowest bar on screen
MANY_BARS = 5000                 # above this, bar outlines are drawn 1 px wide
MAX_ROWS = 24                    # lanes in view at once; the rest by panning      # alternate heights so neighbours do not overlap
SYMBOLS = {"failed": "x", "injected": "star", "problem": "d", "oops": "t"}
# Marker lines are thin bars (one batched drawRects per kind: dashed pen
# paths cost seconds with thousands of lines); the dash is a fill pattern.
MARKER_STYLE = {"insmod": ("ok", Qt.SolidPattern), "rmmod": ("exit_mark", Qt.Dense3Pattern),
                "init-failed": ("error", Qt.Dense2Pattern), "reboot": ("reboot", Qt.Dense4Pattern)}
MARKER_PX = {"insmod": 1.5, "rmmod": 1.5, "init-failed": 1.5, "reboot": 2.5}


def bar_look(style: str, t: Theme, zoom: float) -> tuple[QPen, QBrush]:
    """Pen and brush of a bar style: solid, hatched or cross-hatched."""
    solid, hatch, cross = Qt.SolidPattern, Qt.BDiagPattern, Qt.DiagCrossPattern
    colour, pattern, alpha, dash = {
        "loading": (t.init_mark, hatch, 255, Qt.SolidLine),
        "live": (t.accent, solid, 110, Qt.SolidLine),
        "going": (t.exit_mark, hatch, 255, Qt.SolidLine),
        "held": (t.ok, solid, 150, Qt.SolidLine),
        "released": (t.dim, solid, 120, Qt.SolidLine),
        "out-of-order": (t.warning, cross, 255, Qt.DashLine),
        "leak": (t.leak, cross, 255, Qt.SolidLine),
        "running": (t.type_, solid, 170, Qt.SolidLine),
        "asleep": (t.dim, solid, 140, Qt.SolidLine),
        "holding": (t.keyword, cross, 255, Qt.SolidLine),
    }[style]
    fill = QColor(colour)
    fill.setAlpha(alpha)
    # whole pixels: Qt strokes fractional widths on a much slower path
    pen = QPen(QColor(colour), max(1, round((2 if style == "leak" else 1) * zoom)), dash)
    pen.setCosmetic(True)
    return pen, QBrush(fill, pattern)


#: (height, offset from the lane's middle) of the bars of a style, in lanes:
#: a context's run is a thick bar, its sleep a thin line through the
#: middle, a lock it holds a strip along the top of the bar
BAR_SHAPE = {"running": (0.5, 0.0), "asleep": (0.12, 0.0), "holding": (0.24, -0.13)}
MODULE_BAR, RESOURCE_BAR = 0.72, 0.5


def thin(pen: QPen) -> QPen:
    """The same pen one pixel wide: wide pens cost ~20x on 50,000 bars."""
    out = QPen(pen)
    out.setWidth(1)
    return out


#: what an open bar of a style is doing still
OPEN_WORD = {"live": "", "loading": "", "going": "", "running": "  (still running)",
             "asleep": "  (still asleep)"}


class TimeViewBox(pg.ViewBox):
    """The wheel zooms the time axis only; lanes keep their height."""

    def wheelEvent(self, ev, axis=None) -> None:
        super().wheelEvent(ev, axis=0)


def stack_labels(spans: list[tuple[float, float]], rows: int, gap: float,
                 min_width: float) -> list[tuple[int, float]]:
    """Labels [(left px, width px)], sorted by left and anchored there, go
    into `rows` rows so that none overlaps: each takes the first row whose
    last label ends before it; with none free, the row whose last label
    starts earliest, that label being cut (elided) short.  Returns (row,
    width) per label; width 0: no room at all (left out)."""
    widths = [w for _, w in spans]
    last: list[int | None] = [None] * rows
    out: list[tuple[int, float]] = []
    for i, (left, _) in enumerate(spans):
        ends = [spans[j][0] + widths[j] if j is not None else float("-inf") for j in last]
        row = next((r for r in range(rows) if ends[r] + gap <= left), None)
        if row is None:
            row = min(range(rows), key=lambda r: spans[last[r]][0])
            prev = last[row]
            cut = left - gap - spans[prev][0]
            if cut < min_width:
                out.append((0, 0.0))
                continue
            widths[prev] = cut
        last[row] = i
        out.append((row, -1.0))
    return [(row, widths[i] if w < 0 else 0.0) for i, (row, w) in enumerate(out)]


class TimelinePlot(pg.PlotWidget):
    #: (dmesg timestamp ns, file, line): the user clicked an event.
    eventActivated = Signal("qint64", str, int)   # ns timestamps exceed 32 bits

    def __init__(self, model: TimelineModel, theme: Theme, zoom: float, parent=None) -> None:
        super().__init__(parent, background=theme.base, viewBox=TimeViewBox())
        self.setObjectName("timelinePlot")
        self.model = model
        self.theme = theme
        self.zoom = zoom
        self._lane_bars: dict[int, list[Bar]] = {}
        self._rows: list[int] = []
        self._marker_labels: list[pg.TextItem] = []
        self._fitted_lanes = -1
        self._drawn_version = -1
        self.rebuilds = 0                # full rebuilds of the items (tests count them)
        self._arrays: dict[str, tuple[np.ndarray, ...]] = {}
        self._rescale = QTimer(self)
        self._rescale.setSingleShot(True)
        self._rescale.setInterval(30)
        self._rescale.timeout.connect(self._rescale_bars)
        item = self.getPlotItem()
        item.invertY(True)
        item.showGrid(x=True, y=False, alpha=0.25)
        item.setMenuEnabled(False)
        item.hideButtons()
        # pyqtgraph's "Plot Options" menu has no parent and its actions hold the
        # PlotItem: a cycle through Qt connections that outlives the window.
        # Parent it to this widget so it goes with it.
        item.ctrlMenu.setParent(self, item.ctrlMenu.windowFlags())
        self.setLabel("bottom", "time (s), idle stretches shortened; hover for the dmesg time")
        self._bars = {s: pg.BarGraphItem(x0=[], width=[], y=[], height=[]) for s in STYLES}
        self._points = {k: pg.ScatterPlotItem(symbol=SYMBOLS[k]) for k in POINT_KINDS}
        self._markers = {k: pg.BarGraphItem(x0=[], width=[], y0=[], y1=[], pen=None)
                         for k in MARKER_STYLE}
        self._marker_xs: dict[str, np.ndarray] = {}
        for it in (*self._markers.values(), *self._bars.values(), *self._points.values()):
            self.addItem(it)
        self.getPlotItem().vb.sigXRangeChanged.connect(lambda *_: self._rescale.start())
        self.scene().sigMouseMoved.connect(self._hover)
        self.scene().sigMouseClicked.connect(self._click)
        self.apply_look()

    # -- look --------------------------------------------------------------------
    def apply_look(self) -> None:
        t, z = self.theme, self.zoom
        self.setBackground(t.base)
        font = QFont()
        font.setPointSizeF(UI_POINTS * 0.95 * z)
        for name in ("left", "bottom"):
            axis = self.getAxis(name)
            axis.setPen(pg.mkPen(t.dim, width=max(1, round(z))))
            axis.setTextPen(pg.mkPen(t.text))
            axis.setTickFont(font)
            axis.label.setFont(font)
        self.getAxis("bottom").setLabel(color=t.dim)
        self._looks = {s: bar_look(s, t, z) for s in STYLES}
        for kind, item in self._points.items():
            colour = {"failed": t.error, "injected": t.injected, "problem": t.leak, "oops": t.error}[kind]
            item.setPen(pg.mkPen(colour, width=max(1, round(1.5 * z))))
            item.setBrush(pg.mkBrush(colour))
            item.setSize(13 * z)
        for kind, item in self._markers.items():
            attr, pattern = MARKER_STYLE[kind]
            item.setOpts(pen=None, brush=QBrush(QColor(getattr(t, attr)), pattern))
        self.redraw(force=True)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.apply_look()

    def set_zoom(self, zoom: float) -> None:
        self.zoom = zoom
        self.apply_look()

    # -- data ----------------------------------------------------------------------
    def redraw(self, force: bool = False) -> None:
        """Rebuild the items from the model, unless nothing changed."""
        if not force and self.model.version == self._drawn_version:
            return
        self._drawn_version = self.model.version
        self.rebuilds += 1
        m = self.model
        self._rows = m.lane_order()
        self._lane_bars = {}
        per_style: dict[str, list[Bar]] = {s: [] for s in STYLES}
        for bar in m.bars:
            per_style[bar.style].append(bar)
            self._lane_bars.setdefault(bar.lane, []).append(bar)
        for style, bars in per_style.items():
            self._set_bars(style, bars)
        for kind, item in self._points.items():
            pts = [p for p in m.points if p.kind == kind]
            item.setData(x=[p.x / NS for p in pts], y=[self._rows[p.lane] for p in pts])
        self._draw_markers()
        self._draw_lane_ticks()

    def _set_bars(self, style: str, bars: list[Bar]) -> None:
        pen, brush = self._looks[style]
        n = len(bars)
        start = np.fromiter((b.start for b in bars), float, n) / NS
        end = np.fromiter((self._end_x(b) for b in bars), float, n) / NS
        rows = np.fromiter((self._rows[b.lane] for b in bars), float, n)
        if style in BAR_SHAPE:
            height, offset = BAR_SHAPE[style]
            self._arrays[style] = (start, end, rows + offset, np.full(n, height))
        else:
            modules = np.fromiter((self.model.lanes[b.lane].is_module for b in bars), bool, n)
            self._arrays[style] = (start, end, rows, np.where(modules, MODULE_BAR, RESOURCE_BAR))
        self._bars[style].setOpts(pen=pen if n <= MANY_BARS else thin(pen), brush=brush)
        self._apply_widths(style)

    def _apply_widths(self, style: str) -> None:
        """Bars at least MIN_BAR_PX wide at the current scale: a failed
        init lasts microseconds and must still be seen on a minutes-long
        timeline."""
        start, end, rows, heights = self._arrays[style]
        px = self.getPlotItem().vb.viewPixelSize()[0]
        width = np.maximum(end - start, MIN_BAR_PX * px)
        self._bars[style].setOpts(x0=start, width=width, y=rows, height=heights)

    def _marker_widths(self) -> None:
        """Marker lines keep their pixel width at every zoom."""
        px = self.getPlotItem().vb.viewPixelSize()[0]
        y0, y1 = self._marker_span
        for kind, item in self._markers.items():
            xs = self._marker_xs.get(kind, np.zeros(0))
            w = MARKER_PX[kind] * self.zoom * px
            item.setOpts(x0=xs - w / 2, width=np.full(len(xs), w), y0=y0, y1=y1)

    def _rescale_bars(self) -> None:
        if self.getPlotItem() is None:          # closed while the timer ran
            return
        if self._marker_xs:
            self._marker_widths()
        for style in STYLES:
            if style in self._arrays:
                self._apply_widths(style)
        self._place_labels()

    def _end_x(self, bar: Bar) -> float:
        """Open bars (still held, still live) run a little past the last
        event, so they read as continuing rather than ending there."""
        if bar.end is not None:
            return bar.end
        first = self.model.bars[0].start if self.model.bars else 0.0
        return self.model.now + max(1e6, 0.03 * (self.model.now - first))

    def _draw_markers(self) -> None:
        n = max(1, len(self.model.lanes))
        for kind in self._markers:
            self._marker_xs[kind] = np.array([mk.x / NS for mk in self.model.markers
                                              if mk.kind == kind], float)
        self._marker_span = (LABEL_ROWS[-1], n - 0.3)
        self._marker_widths()
        for label in self._marker_labels:
            self.removeItem(label)
        self._marker_labels = []
        font = QFont()
        font.setPointSizeF(UI_POINTS * 0.85 * self.zoom)
        for mk in self.model.markers[-MAX_MARKER_LABELS:]:
            label = pg.TextItem(mk.label, color=getattr(self.theme, MARKER_STYLE[mk.kind][0]),
                                anchor=(0, 0.5))
            label.setFont(font)
            label.full_text = mk.label
            label.setToolTip(mk.label)
            label.setPos(mk.x / NS, LABEL_ROWS[0])
            self.addItem(label)
            self._marker_labels.append(label)
        self._place_labels()

    def _place_labels(self) -> None:
        """Stack the marker labels into rows at the current scale so that
        none overlaps another; a label without room is elided (its full
        text stays in its tooltip)."""
        if not self._marker_labels:
            return
        vb = self.getPlotItem().vb
        px = vb.viewPixelSize()[0] or 1.0
        first = self._marker_labels[0]
        fm = QFontMetrics(first.textItem.font())
        first.setText(first.full_text)          # TextItem's own margins, measured
        pad = first.boundingRect().width() - fm.horizontalAdvance(first.full_text)
        spans = [(label.pos().x() / px, fm.horizontalAdvance(label.full_text) + pad)
                 for label in self._marker_labels]
        placed = stack_labels(spans, len(LABEL_ROWS), LABEL_GAP_PX, MIN_LABEL_PX)
        for label, (row, width) in zip(self._marker_labels, placed):
            label.setText(fm.elidedText(label.full_text, Qt.ElideRight, int(width - pad)))
            # an elided text never gets narrower than its first letters
            label.setVisible(MIN_LABEL_PX <= width and label.boundingRect().width() <= width + 0.5)
            label.setPos(label.pos().x(), LABEL_ROWS[row])
            label.row = row

    def label_rects(self) -> list[tuple[float, float, float, float]]:
        """Scene rectangles (x, y, w, h) of the visible marker labels."""
        out = []
        for label in self._marker_labels:
            if label.isVisible():
                r = label.mapRectToScene(label.boundingRect())
                out.append((r.x(), r.y(), r.width(), r.height()))
        return out

    def _draw_lane_ticks(self) -> None:
        ticks = []
        for lane in self.model.lanes:
            text = f"▸ {lane.label}" if lane.is_module else \
                f"  ⚙ {lane.label}" if lane.is_context else f"    {lane.label}"
            ticks.append((self._rows[lane.index], text))
        axis = self.getAxis("left")
        axis.setTicks([sorted(ticks), []])
        metrics = QFontMetrics(axis.style["tickFont"] or QFont())
        width = max([metrics.horizontalAdvance(t) for _, t in ticks] + [40])
        axis.setWidth(width + int(16 * self.zoom))
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Show the first MAX_ROWS lanes; more are reached by panning."""
        vb = self.getPlotItem().vb
        vb.setLimits(yMin=Y_TOP - 0.5, yMax=max(3, len(self.model.lanes)) + 0.5)
        if len(self.model.lanes) != self._fitted_lanes:
            self._fitted_lanes = len(self.model.lanes)
            self.fit_rows()

    def fit_rows(self) -> None:
        """The label rows and the lanes from the top: as many as keep a
        lane at least a label's height (so lane names and stacked labels
        never overlap), at most MAX_ROWS; the rest by panning."""
        font = QFont()
        font.setPointSizeF(UI_POINTS * 0.95 * self.zoom)
        row_px = QFontMetrics(font).height() + 4
        height = self.getPlotItem().vb.height()
        fit = int(height / row_px + Y_TOP - 0.3) if height > 0 else MAX_ROWS
        rows = min(MAX_ROWS, len(self.model.lanes), max(3, fit))
        self.getPlotItem().setYRange(Y_TOP, max(3, rows) - 0.3, padding=0)

    def fit(self) -> None:
        """Both axes back to the whole timeline and the first lanes."""
        self.getPlotItem().enableAutoRange(x=True)
        self.fit_rows()
        self.redraw(force=True)

    # -- hover and click ----------------------------------------------------------------
    def hit(self, scene_pos: QPointF) -> Bar | Point | None:
        """The point (preferred) or bar under a scene position."""
        vb = self.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(scene_pos):
            return None
        pos = vb.mapSceneToView(scene_pos)
        px, py = vb.viewPixelSize()
        best, best_d = None, 6.0
        for p in self.model.points:
            d = max(abs(p.x / NS - pos.x()) / px, abs(self._rows[p.lane] - pos.y()) / py)
            if d < best_d:
                best, best_d = p, d
        if best is not None:
            return best
        return self._bar_at(pos.x() * NS, pos.y())

    def _bar_at(self, x: float, y: float) -> Bar | None:
        row = round(y)
        if abs(y - row) > 0.4 or not self._rows:
            return None
        lane = self._rows.index(row) if row in self._rows else None
        bars = self._lane_bars.get(lane, []) if lane is not None else []
        starts = [b.start for b in bars]
        i = bisect.bisect_right(starts, x) - 1
        # a lock strip lies over its context's bar: the latest bar that
        # covers x, looking back a few (a run and the strips inside it)
        for j in range(i, max(i - 8, -1), -1):
            if x <= self._end_x(bars[j]):
                return bars[j]
        return None

    def describe(self, hit: Bar | Point) -> str:
        if isinstance(hit, Point):
            where = f"\nat {hit.site}" if hit.site else ""
            return f"{timestamp(hit.boot_ts)}  {hit.title}{where}"
        end = self.model.end_of(hit)
        held = (end - hit.start) / NS
        status = "" if hit.end is not None else OPEN_WORD.get(hit.style, "  (still held)")
        return f"{timestamp(hit.boot_ts)}  {hit.title}\nlasted {held:.6f} s{status}"

    def _hover(self, scene_pos: QPointF) -> None:
        hit = self.hit(scene_pos)
        if hit is None:
            QToolTip.hideText()
            return
        QToolTip.showText(QCursor.pos(), self.describe(hit), self)

    def _click(self, event) -> None:
        hit = self.hit(event.scenePos())
        if hit is None:
            return
        site = hit.site
        self.eventActivated.emit(hit.boot_ts, site.file if site else "", site.line if site else 0)
