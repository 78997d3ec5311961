"""Runs the unwind audit (kmodgui.audit) without blocking the window.

The sweep boots a fresh simulated kernel per fault point, so it never
touches the session the window shows.  It runs in a greenlet on the GUI
thread: the audit calls `pause()` every few thousand simulated statements
and between fault points, which switches back here; a zero-delay QTimer
resumes it after Qt has handled its events.  No thread is involved, so
nothing can deadlock between Python and Qt, and a cancel takes effect at
the next pause.  (An earlier version used a worker QThread; a full test
run could then hang, blocked between the GIL and Qt's event queue.)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from greenlet import getcurrent, greenlet
from PySide6.QtCore import QObject, QTimer, Signal


@dataclass(frozen=True)
class AuditJob:
    """What to audit: the module's folder and name, on which kernel."""
    folder: Path
    modname: str
    profile: str
    config: dict[str, bool]


class _Cancelled(BaseException):
    """Thrown into the sweep's greenlet to stop it (BaseException: no
    `except Exception` in the engine may swallow it)."""


class AuditRunner(QObject):
    """Runs sweeps one at a time, in slices; a new start cancels the running one."""

    #: (fault points done, total): total is 0 until the base run has counted them.
    progress = Signal(int, int)
    #: (AuditJob, Report): a sweep finished.
    finished = Signal(object, object)
    #: (AuditJob, message): the module did not build, or the engine failed.
    failed = Signal(object, str)
    #: True while a sweep runs.
    runningChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._glet: greenlet | None = None
        self._hub: greenlet | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)
        self.job: AuditJob | None = None

    @property
    def running(self) -> bool:
        return self._glet is not None

    def start(self, job: AuditJob) -> None:
        self.cancel()
        self.job = job
        self._glet = greenlet(lambda: self._sweep(job))
        self._timer.start()
        self.runningChanged.emit(True)

    def cancel(self) -> None:
        """Stop the sweep where it stands; its result is dropped."""
        g, self._glet = self._glet, None
        self._timer.stop()
        if g is not None and not g.dead:
            g.parent = getcurrent()
            try:
                g.throw(_Cancelled())
            except _Cancelled:
                pass
        if g is not None:
            self.runningChanged.emit(False)

    def shutdown(self, ms: int = 30_000) -> None:
        """The window is closing: stop at once."""
        self.cancel()

    def wait(self, ms: int = 30_000) -> bool:
        """Run the current sweep to its end (tests)."""
        while self._glet is not None:
            self._slice()
        return True

    # -- the sweep, in its greenlet ---------------------------------------------
    def _slice(self) -> None:
        g = self._glet
        if g is None:
            self._timer.stop()
            return
        self._hub = getcurrent()
        g.parent = self._hub
        g.switch()

    def _pause(self) -> None:
        self._hub.switch()

    def _sweep(self, job: AuditJob) -> None:
        from kmodgui.audit import audit
        from kmodgui.userspace.makefile import folder_exports

        def progress(done: int, total: int) -> None:
            # `done` is the point about to run: the base run and done-1 points are finished
            self.progress.emit(done - 1, total)
        try:
            report = audit(job.folder, job.modname, job.profile, dict(job.config),
                           folder_exports(job.folder, job.modname), progress=progress,
                           pause=self._pause)
        except ValueError as exc:          # the module does not build: make's output
            self._end()
            self.failed.emit(job, str(exc) or "the module does not build")
            return
        except Exception as exc:           # an engine bug must not kill the app
            self._end()
            self.failed.emit(job, f"internal error: {type(exc).__name__}: {exc}")
            return
        total = len(report.runs) - 1
        self._end()
        self.progress.emit(total, total)
        self.finished.emit(job, report)

    def _end(self) -> None:
        self._glet = None
        self._timer.stop()
        self.runningChanged.emit(False)
