"""The debugger's cursor on the Timeline: a dashed vertical line labelled
"step 12" at the paused moment (the dmesg clock of the statement about to
run).  Dragging it and letting go goes to the statement that was running
at that time -- the scrubber, on the time axis.  While dragged it snaps
from step to step; when a session starts the Timeline zooms to it (a
session is a few milliseconds of a long timeline), and follows the cursor
when it walks out of view.  Fit shows everything again.

The Timeline's plot (pyqtgraph) exists only after the first frame; the
cursor is added to it on first use.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, Signal

from kmodgui.gui.theme import LIGHT, Theme

NS = 1e9
#: the least time span a zoomed session shows (an insmod's init takes a few ms)
SESSION_SPAN_NS = 4_000_000


class TimelineCursor(QObject):
    #: the user dropped the cursor at this time (ns on this boot's clock).
    dropped = Signal("qint64")   # ns timestamps exceed 32 bits

    def __init__(self, timeline: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeline = timeline
        self.theme: Theme = LIGHT
        self.zoom = 1.0
        self.line: Any = None
        self.label: Any = None
        self._moving = False
        self._session_start: int | None = None
        self._last = 0
        #: the times (this boot's clock) of the session's steps, for snapping
        self.step_times: Callable[[], list[int]] = self._controller_steps

    def _controller_steps(self) -> list[int]:
        dbg = getattr(self.parent(), "dbg", None)
        return sorted(t.ns for t in getattr(dbg, "log", []) or [])

    def _ensure(self) -> bool:
        plot = getattr(self.timeline, "plot", None)
        if plot is None:
            return False
        if self.line is None:
            import pyqtgraph as pg          # already loaded: the plot exists
            self.line = pg.InfiniteLine(angle=90, movable=True)
            self.line.setZValue(50)
            self.line.setToolTip("The paused moment: drag it to go to another step")
            self.label = pg.InfLineLabel(self.line, text="", position=0.06, movable=False)
            self.line.sigPositionChangeFinished.connect(self._finished)
            self.line.sigPositionChanged.connect(self._snap)
            plot.addItem(self.line, ignoreBounds=True)
            self.apply_look()
        return True

    def show_at(self, ns: int, text: str) -> None:
        """Put the cursor at `ns` (this boot's clock) with its label."""
        if not self._ensure():
            return
        starting = self._session_start is None
        if starting:
            self._session_start = ns
        self._last = ns
        x = self.timeline.model.x_of(ns) / NS
        self._moving = True
        self.line.setValue(x)
        self._moving = False
        self.label.setFormat(text)
        self.line.show()
        self._follow(x, zoom=starting)

    def hide(self) -> None:
        """The session ended."""
        self._session_start = None
        if self.line is not None:
            self.line.hide()

    # -- the session's span on the time axis ----------------------------------------
    def session_range(self) -> tuple[float, float] | None:
        """(first, last) x in seconds of the session so far, padded."""
        if self._session_start is None:
            return None
        model = self.timeline.model
        steps = self.step_times() or [self._session_start, self._last]
        a = model.x_of(min(steps[0], self._session_start)) / NS
        b = model.x_of(max(steps[-1], self._last)) / NS
        b = max(b, a + SESSION_SPAN_NS / NS)
        pad = (b - a) * 0.08
        return a - pad, b + pad

    def zoom_to_session(self) -> None:
        span = self.session_range()
        plot = getattr(self.timeline, "plot", None)
        if span is None or plot is None:
            return
        plot.getPlotItem().setXRange(span[0], span[1], padding=0)

    def _follow(self, x: float, zoom: bool) -> None:
        plot = self.timeline.plot
        lo, hi = plot.getPlotItem().vb.viewRange()[0]
        if zoom or not lo <= x <= hi:
            self.zoom_to_session()

    def _snap(self) -> None:
        """While dragged: to the nearest step's time."""
        if self._moving or self.line is None:
            return
        steps = self.step_times()
        if not steps:
            return
        model = self.timeline.model
        xs = [model.x_of(t) / NS for t in steps]
        x = self.line.value()
        i = bisect_left(xs, x)
        near = min((j for j in (i - 1, i) if 0 <= j < len(xs)), key=lambda j: abs(xs[j] - x))
        self._moving = True
        self.line.setValue(xs[near])
        self._moving = False

    def set_movable(self, on: bool, why: str = "") -> None:
        """Draggable while a step back can reach the session; else fixed,
        its tooltip saying why."""
        if self.line is None:
            return
        self.line.setMovable(on)
        self.line.setToolTip("The paused moment: drag it to go to another step" if on
                             else f"Step back is off: {why}.")

    @property
    def visible(self) -> bool:
        return self.line is not None and self.line.isVisible()

    def value_ns(self) -> int:
        return self.timeline.model.ts_of(self.line.value() * NS)

    def _finished(self) -> None:
        if not self._moving:
            self.dropped.emit(self.value_ns())

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.apply_look()

    def set_zoom(self, zoom: float) -> None:
        self.zoom = zoom
        self.apply_look()

    def apply_look(self) -> None:
        if self.line is None:
            return
        import pyqtgraph as pg
        from PySide6.QtGui import QColor, QFont
        colour = QColor(self.theme.accent)
        self.line.setPen(pg.mkPen(colour, width=max(1.5, 2 * self.zoom), style=Qt.DashLine))
        self.line.setHoverPen(pg.mkPen(colour, width=max(3, 4 * self.zoom)))
        font = QFont()
        font.setPointSizeF(9.5 * self.zoom)
        font.setBold(True)
        self.label.setFont(font)
        self.label.setColor(colour)
        self.label.fill = pg.mkBrush(self.theme.base)
