"""The Timeline pane: every execution context a module's code ran in and
every resource it held, from acquisition to release, on the dmesg clock; insmod/rmmod/reboot markers; failures,
injected faults and leaks marked by shape.

pyqtgraph is imported only by `ensure_plot()`, which the window calls
after its first frame; until then the model collects events.
"""
from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from kmodgui.gui.panels.timeline_model import TimelineModel
from kmodgui.gui.theme import LIGHT, Theme
from kmodgui.gui.zoom import ui_font

REDRAW_MS = 100
LEGEND_MAX_ZOOM = 1.4       # from this zoom on, the legend is behind the Key button
LEGEND_MIN_WIDTH = 1000     # narrower (px at zoom 1), it would take 3-4 lines: same


def legend_html(t: Theme) -> str:
    """Legend: each entry has its own glyph or pattern, so colour is not needed."""
    groups = [
        ("module", [(t.init_mark, "▨", "init running"), (t.accent, "■", "live"),
                    (t.exit_mark, "▨", "exit running")]),
        ("context", [(t.type_, "■", "running"), (t.dim, "━", "asleep"),
                     (t.keyword, "▦", "holding a lock")]),
        ("resource", [(t.ok, "■", "held"), (t.dim, "■", "released"),
                      (t.warning, "▦", "released out of order"), (t.leak, "▩", "leaked")]),
        ("event", [(t.error, "✕", "call failed"), (t.injected, "★", "injected fault"),
                   (t.leak, "◆", "bad release"), (t.ok, "│", "insmod"),
                   (t.exit_mark, "┆", "rmmod"), (t.reboot, "┊", "reboot")]),
    ]
    out = []
    for title, items in groups:
        entries = "&nbsp;&nbsp;".join(f"<span style='color:{c}'>{g}</span>&nbsp;{w}" for c, g, w in items)
        out.append(f"<span style='color:{t.dim}'>{title}:</span>&nbsp;{entries}")
    return "&nbsp;&nbsp;&nbsp;&nbsp;".join(out)


class TimelinePanel(QWidget):
    #: (dmesg timestamp ns, file, line) of a clicked bar or point.
    eventActivated = Signal("qint64", str, int)   # ns timestamps exceed 32 bits

    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelinePanel")
        self.bridge = bridge
        self.theme: Theme = LIGHT
        self.zoom = 1.0
        self.model = TimelineModel()
        self.model.feed(bridge.all_events())
        self.plot: Any = None
        self._placeholder: QLabel | None = QLabel("Timeline", self)
        self._placeholder.setAlignment(Qt.AlignCenter)
        self.legend = QLabel(self)
        self.legend.setTextFormat(Qt.RichText)
        self.legend.setWordWrap(True)         # never widens the window
        self.key_button = QToolButton(self)
        self.key_button.setText("Key")
        self.key_button.setToolTip("What the bars, shapes and lines mean")
        self.key_button.setVisible(False)
        self.fit_button = QToolButton(self)
        self.fit_button.setText("Fit")
        self.fit_button.setToolTip("Show the whole timeline (the wheel zooms time only)")
        self.fit_button.clicked.connect(self.fit)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        bar.addWidget(self.legend, 1)
        bar.addStretch(0)
        bar.addWidget(self.key_button)
        bar.addWidget(self.fit_button)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addLayout(bar)
        self._layout.addWidget(self._placeholder, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        bridge.events.connect(self.on_events)
        if hasattr(bridge, "rewound"):          # (test stubs may lack it)
            bridge.rewound.connect(self.rebuild)
        self.set_theme(self.theme)

    def on_events(self, events: list) -> None:
        self.model.feed(events)
        if self.plot is not None and not self._timer.isActive():
            self._timer.start()

    def rebuild(self) -> None:
        """The debugger stepped back: redraw from the (replayed) trace."""
        self.model.reset(self.bridge.all_events())
        self.redraw()

    def ensure_plot(self) -> None:
        """Build the pyqtgraph plot (first import of pyqtgraph)."""
        if self.plot is not None:
            return
        from kmodgui.gui.panels.timeline_plot import TimelinePlot
        self.plot = TimelinePlot(self.model, self.theme, self.zoom, self)
        self.plot.eventActivated.connect(self.eventActivated)
        self._layout.replaceWidget(self._placeholder, self.plot)
        self._placeholder.deleteLater()
        self._placeholder = None
        self.plot.redraw()

    def redraw(self) -> None:
        """Rebuild the plot; with many events, redraw less often so the
        rebuild never takes more than about a quarter of the time."""
        if self.plot is not None:
            t0 = time.perf_counter()
            self.plot.redraw()
            spent_ms = (time.perf_counter() - t0) * 1000
            self._timer.setInterval(max(REDRAW_MS, int(spent_ms * 4)))

    def fit(self) -> None:
        """Both axes back: the whole time range and the lanes from the top."""
        if self.plot is not None:
            self.plot.fit()

    def _place_legend(self) -> None:
        """The legend in the bar when it fits in about two lines, else
        behind the Key button (its tooltip)."""
        inline = self.zoom < LEGEND_MAX_ZOOM and self.width() >= LEGEND_MIN_WIDTH * self.zoom
        self.legend.setVisible(inline)
        self.key_button.setVisible(not inline)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_legend()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.legend.setText(legend_html(theme))
        self.key_button.setToolTip(legend_html(theme).replace("&nbsp;&nbsp;&nbsp;&nbsp;", "<br>"))
        if self.plot is not None:
            self.plot.set_theme(theme)

    def set_zoom(self, factor: float) -> None:
        """At projector sizes the legend would eat the plot: it moves into
        the Key button's tooltip."""
        self.zoom = factor
        self._place_legend()
        for w in (self.legend, self.key_button, self.fit_button, self._placeholder):
            if w is not None:
                w.setFont(ui_font(factor))
        if self.plot is not None:
            self.plot.set_zoom(factor)
