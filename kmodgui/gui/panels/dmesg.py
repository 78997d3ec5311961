"""The dmesg pane: the kernel ring buffer as `dmesg` shows it, live.

Lines arrive in batches from the bridge and are buffered; a timer flushes
them every ~40 ms with one QTextCursor edit block (per-line appends of
100,000 lines would take seconds), as many lines per turn of the event
loop as fit in about CHUNK_MS (tuned as it goes) so a flood never freezes the window.  Lines that the cap would
push out before they are ever shown are not inserted at all.  The view
keeps at most MAX_LINES blocks (setMaximumBlockCount), like a terminal's
scrollback.
"""
from __future__ import annotations

import bisect
import time
from collections import deque
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kmodgui.gui.panels.dmesg_format import LAYOUTS, LEVEL_NAMES
from kmodgui.gui.panels.dmesg_view import DmesgView, Record
from kmodgui.gui.theme import LIGHT, Theme
from kmodgui.gui.zoom import mono_font, ui_font
from kmodgui.kernel.events import Booted, Printk

MAX_LINES = 20_000
FLUSH_MS = 40
CHUNK_MS = 8           # target time of one insertion turn
MIN_CHUNK, MAX_CHUNK = 100, 5000
LAYOUT_TITLES = {"columns": "Columns", "dmesg": "As dmesg prints"}


class DmesgPanel(QWidget):
    #: the user moved to a line: its timestamp (ns).
    lineActivated = Signal("qint64")   # ns since boot

    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dmesgPanel")
        self.theme: Theme = LIGHT
        self.levels: set[int] = set(range(8))
        self._records: deque[Record] = deque(maxlen=MAX_LINES)   # everything, for re-filtering
        self._pending: list[Record] = []
        self._chunk = 500               # lines per turn, tuned to CHUNK_MS
        # boots the trace already holds (the first one gets no banner)
        self._boots = sum(isinstance(e, Booted) for e in bridge.all_events())
        self._build_ui()
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_MS)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._flush_chunk)
        bridge.events.connect(self.on_events)
        if hasattr(bridge, "rewound"):          # (test stubs may lack it)
            bridge.rewound.connect(lambda: self.rebuild(bridge.all_events()))

    # -- widgets -------------------------------------------------------------
    def _build_ui(self) -> None:
        self.view = DmesgView(MAX_LINES, self)
        self.view.cursorPositionChanged.connect(self._on_cursor)
        self.level_button = QPushButton(self)
        self.level_button.setToolTip("Show only these levels, like dmesg -l")
        menu = QMenu(self)
        self._level_actions: list[QAction] = []
        for n, name in enumerate(LEVEL_NAMES):
            act = menu.addAction(f"{n}  {name}")
            act.setCheckable(True)
            act.setChecked(True)
            act.toggled.connect(self._levels_from_menu)
            self._level_actions.append(act)
        self.level_button.setMenu(menu)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search (Enter: next match)")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.find_next)
        self.search.setMinimumWidth(40)
        self.follow = QCheckBox("Follow", self)
        self.follow.setChecked(True)
        self.follow.setToolTip("Keep the newest line in view")
        self.follow.toggled.connect(lambda on: on and self._scroll_to_end())
        self.clear_button = QToolButton(self)
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Clear this view (the kernel's ring buffer is kept: dmesg -C clears it)")
        self.clear_button.clicked.connect(self.clear)
        self.layout_box = QComboBox(self)
        for name in LAYOUTS:
            self.layout_box.addItem(LAYOUT_TITLES[name], name)
        # a narrow pane keeps its bar: the box shows the start of its choice
        self.layout_box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.layout_box.setMinimumContentsLength(5)
        self.layout_box.setToolTip("Level and time in narrow columns, or the time in the text as dmesg prints it")
        self.layout_box.currentIndexChanged.connect(
            lambda i: self.set_layout(self.layout_box.itemData(i)))
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        for w in self._bar_widgets():
            bar.addWidget(w)
        bar.setStretch(1, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(bar)
        lay.addWidget(self.view)
        self._update_level_label()

    def _bar_widgets(self) -> tuple[QWidget, ...]:
        return (self.level_button, self.search, self.layout_box, self.follow, self.clear_button)

    # -- data in ---------------------------------------------------------------
    def on_events(self, events: list) -> None:
        new = [e for e in events if isinstance(e, Printk) or self._is_reboot(e)]
        if new:
            self._pending.extend(new)
            if not self._timer.isActive():
                self._timer.start()

    def rebuild(self, events: list) -> None:
        """The debugger stepped back: show the replayed ring buffer."""
        self._pending.clear()
        self._records.clear()
        self._boots = 0
        self.on_events(events)
        self._rerender()

    def _is_reboot(self, ev: object) -> bool:
        """Booted events after the first one get a banner line."""
        if not isinstance(ev, Booted):
            return False
        self._boots += 1
        return self._boots > 1

    def flush(self) -> None:
        """Append every buffered line now (tests, screenshots, queries)."""
        while self._pending:
            self._flush_chunk()

    def _flush_chunk(self) -> None:
        """Append up to CHUNK buffered lines in one edit block; the rest
        follow on the next turns of the event loop."""
        self._drop_unseeable()
        n = self._chunk
        batch, self._pending = self._pending[:n], self._pending[n:]
        self._records.extend(batch)
        t0 = time.perf_counter()
        self.view.append_records([r for r in batch if self._visible(r)])
        if len(batch) == n:
            self._tune((time.perf_counter() - t0) * 1000)
        if self.follow.isChecked():
            self._scroll_to_end()
        if self._pending and not self._timer.isActive():
            self._timer.start(0)
        elif not self._pending:
            self._timer.setInterval(FLUSH_MS)

    def _tune(self, spent_ms: float) -> None:
        """Keep one insertion near CHUNK_MS: a full document (the cap
        removing old blocks) costs several times an empty one."""
        if spent_ms < CHUNK_MS / 2:
            self._chunk = min(MAX_CHUNK, self._chunk * 2)
        elif spent_ms > CHUNK_MS * 1.5:
            self._chunk = max(MIN_CHUNK, int(self._chunk * CHUNK_MS / spent_ms))

    def _drop_unseeable(self) -> None:
        """Buffered lines the cap would scroll out before they are seen
        go straight to the record list (kept for re-filtering)."""
        excess = len(self._pending) - MAX_LINES
        if excess > 0:
            self._records.extend(self._pending[:excess])
            del self._pending[:excess]

    def _visible(self, rec: Record) -> bool:
        return isinstance(rec, Booted) or rec.level in self.levels

    # -- view controls ---------------------------------------------------------
    def set_levels(self, levels: set[int]) -> None:
        """Show only these printk levels (dmesg -l)."""
        for n, act in enumerate(self._level_actions):
            act.blockSignals(True)
            act.setChecked(n in levels)
            act.blockSignals(False)
        self.levels = set(levels)
        self._update_level_label()
        self._rerender()

    def set_layout(self, layout: str) -> None:
        """"columns" (level and time in the gutter) or "dmesg" (time in the text)."""
        self.layout_box.blockSignals(True)
        self.layout_box.setCurrentIndex(LAYOUTS.index(layout))
        self.layout_box.blockSignals(False)
        self.view.layout_mode = layout
        self.view.refresh_margins()
        self._rerender()

    def _levels_from_menu(self) -> None:
        self.set_levels({n for n, a in enumerate(self._level_actions) if a.isChecked()})

    def _update_level_label(self) -> None:
        if self.levels == set(range(8)):
            self.level_button.setText("Levels: all")
        else:
            names = ",".join(LEVEL_NAMES[n] for n in sorted(self.levels)) or "none"
            self.level_button.setText(f"-l {names}")

    def _rerender(self) -> None:
        self.flush()
        self.view.clear_records()
        self.view.append_records([r for r in self._records if self._visible(r)])
        if self.follow.isChecked():
            self._scroll_to_end()

    def clear(self) -> None:
        self._pending.clear()
        self._records.clear()
        self.view.clear_records()

    def find_next(self) -> bool:
        text = self.search.text()
        if not text:
            return False
        found = self.view.find(text)
        if not found:                               # wrap around
            self.view.moveCursor(QTextCursor.Start)
            found = self.view.find(text)
        if found:
            self.follow.setChecked(False)
        self.search.setStyleSheet("" if found else f"color: {self.theme.error};")
        return found

    def select_time(self, ts: int) -> int:
        """Select the last line printed at or before `ts`; returns its row."""
        self.flush()
        times = [r.ts for r in self.view.records]
        if not times:
            return -1
        row = max(0, bisect.bisect_right(times, ts) - 1)
        cursor = QTextCursor(self.view.document().findBlockByNumber(row))
        cursor.movePosition(QTextCursor.EndOfBlock, QTextCursor.KeepAnchor)
        self.follow.setChecked(False)
        self.view.setTextCursor(cursor)
        self.view.centerCursor()
        return row

    def line_texts(self) -> list[str]:
        """The visible lines as `dmesg -x` would print them."""
        return [self.view.line(i) for i in range(len(self.view.records))]

    def _on_cursor(self) -> None:
        rec = self.view.record(self.view.textCursor().blockNumber())
        if rec is not None and self.view.hasFocus():
            self.lineActivated.emit(rec.ts)

    def _scroll_to_end(self) -> None:
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.maximum())

    # -- appearance --------------------------------------------------------------
    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.view.theme = theme
        self._rerender()

    def set_zoom(self, factor: float) -> None:
        self.view.setFont(mono_font(factor))
        self.view.refresh_margins()
        for w in self._bar_widgets():
            w.setFont(ui_font(factor))
