"""The debugger's cursor on the Timeline: a dashed vertical line labelled
"step 12" at the paused moment (the dmesg clock of the statement about to
run).  Dragging it and letting go goes to the statement that was running
at that time -- the scrubber, on the time axis.

The Timeline's plot (pyqtgraph) exists only after the first frame; the
cursor is added to it on first use.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from kmodgui.gui.theme import LIGHT, Theme

NS = 1e9


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
            plot.addItem(self.line, ignoreBounds=True)
            self.apply_look()
        return True

    def show_at(self, ns: int, text: str) -> None:
        """Put the cursor at `ns` (this boot's clock) with its label."""
        if not self._ensure():
            return
        x = (ns + self.timeline.model.offset) / NS
        self._moving = True
        self.line.setValue(x)
        self._moving = False
        self.label.setFormat(text)
        self.line.show()

    def hide(self) -> None:
        if self.line is not None:
            self.line.hide()

    @property
    def visible(self) -> bool:
        return self.line is not None and self.line.isVisible()

    def value_ns(self) -> int:
        return int(round(self.line.value() * NS)) - self.timeline.model.offset

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
