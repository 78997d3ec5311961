"""Runs shell lines on the engine in slices from a Qt timer.

The engine never blocks its caller: `Session.start(line)` returns a Job and
`job.advance(budget)` runs at most `budget` C statements of module code.
A zero-interval timer advances the current job once per event-loop turn,
so a module whose init spins forever (as a real one would hang insmod in
`do_one_initcall`) leaves the window responsive and cancellable.
"""
from __future__ import annotations

import time
import traceback
from collections import deque
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

SLICE_SECONDS = 0.008      # target wall time per slice: ~120 slices/s
MIN_BUDGET, MAX_BUDGET = 200, 200_000


@dataclass
class Failure:
    """What the shell shows when the engine raised instead of returning
    (kmodsim prints the same `internal error` line, status 70)."""
    argv: tuple[str, ...]
    status: int
    stdout: str
    stderr: str


class JobRunner(QObject):
    """A FIFO of lines; one runs at a time, a slice per timer tick."""

    started = Signal(str, str)             # line, origin
    finished = Signal(str, str, object)    # line, origin, result (None: cancelled)
    busyChanged = Signal(bool)

    def __init__(self, session: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._queue: deque[tuple[str, str]] = deque()
        self._job: Any = None
        self._line = ("", "")
        self._budget = 2000
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)

    @property
    def busy(self) -> bool:
        return self._job is not None or bool(self._queue)

    def attach(self, session: Any) -> None:
        """The engine started: run what was typed while it booted."""
        self.session = session
        if self._queue and not self._timer.isActive():
            self._timer.start()

    def submit(self, line: str, origin: str) -> None:
        was_busy = self.busy
        self._queue.append((line, origin))
        if not was_busy:
            self.busyChanged.emit(True)
        if self.session is not None and not self._timer.isActive():
            self._timer.start()

    def cancel(self) -> None:
        """Ctrl+C: abandon the running job and everything queued."""
        self._queue.clear()
        if self._job is not None:
            job, (line, origin) = self._job, self._line
            self._job = None
            try:
                job.cancel()
            finally:
                self.finished.emit(line, origin, None)
        self._idle_check()

    def _tick(self) -> None:
        if self._job is None and not self._start_next():
            return
        t0 = time.perf_counter()
        try:
            done = self._job.advance(self._budget)
        except Exception as exc:            # engine bug: report, keep going
            self._finish(self._internal_error(exc))
            return
        self._tune(time.perf_counter() - t0)
        if done:
            self._finish(self._job.result)

    def _start_next(self) -> bool:
        if not self._queue:
            self._idle_check()
            return False
        self._line = self._queue.popleft()
        self.started.emit(*self._line)
        try:
            self._job = self.session.start(self._line[0])
        except Exception as exc:
            self._job = None
            self.finished.emit(*self._line, self._internal_error(exc))
            return False
        return True

    def _finish(self, result: Any) -> None:
        self._job = None
        self.finished.emit(*self._line, result)
        self._idle_check()

    def _idle_check(self) -> None:
        if not self.busy and self._timer.isActive():
            self._timer.stop()
            self.busyChanged.emit(False)

    def _tune(self, seconds: float) -> None:
        """Keep a slice near SLICE_SECONDS whatever the CPU's speed and
        whatever the statements cost (a printk costs a hundred additions):
        shrink in proportion at once, grow at most twofold a slice."""
        if seconds > SLICE_SECONDS * 1.25:
            scaled = int(self._budget * SLICE_SECONDS / seconds)
            self._budget = max(MIN_BUDGET, scaled)
        elif seconds < SLICE_SECONDS / 2:
            self._budget = min(MAX_BUDGET, self._budget * 2)

    def _internal_error(self, exc: BaseException) -> Failure:
        last = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return Failure(tuple(self._line[0].split()), 70, "",
                       f"kmodgui: internal error: {last}\n")
