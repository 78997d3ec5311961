"""Runs the unwind audit (kmodgui.audit) off the GUI thread.

The sweep boots a fresh simulated kernel per fault point, so it never
touches the session the window shows: it builds its own copy of the module
and its own Kernel objects, all pure Python.  That makes a worker QThread
safe here: the worker object lives in the thread, touches no widget, and
reports through signals, which Qt delivers to the panel's thread queued.
The window stays responsive (the interpreter switches threads every few
milliseconds) and a cancel takes effect at the next fault point.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot


@dataclass(frozen=True)
class AuditJob:
    """What to audit: the module's folder and name, on which kernel."""
    folder: Path
    modname: str
    profile: str
    config: dict[str, bool]


class _Cancelled(Exception):
    """Raised inside the sweep's progress callback to stop it early."""


class _Worker(QObject):
    """Lives in the worker thread; only pure-Python engine code runs here."""

    # each signal starts with the sweep's serial number: the runner drops
    # what a cancelled sweep still reports (QObject.sender() is not reliable
    # for slots PySide connects across threads)
    progress = Signal(int, int, int)    # serial, fault points done, fault points in all
    done = Signal(int, object)          # serial, kmodgui.audit.Report
    failed = Signal(int, str)           # serial, build output or an internal error
    cancelled = Signal(int)

    def __init__(self, job: AuditJob, stop: threading.Event, serial: int) -> None:
        super().__init__()
        self.job = job
        self.stop = stop
        self.serial = serial
        self.ended = False              # run() returned (read by the GUI thread)

    @Slot()
    def run(self) -> None:
        try:
            self._sweep()
        finally:
            self.ended = True

    def _sweep(self) -> None:
        from kmodgui.audit import audit
        from kmodgui.userspace.makefile import folder_exports
        job = self.job

        def progress(done: int, total: int) -> None:
            if self.stop.is_set():
                raise _Cancelled
            # `done` is the point about to run: the base run and done-1 points are finished
            self.progress.emit(self.serial, done - 1, total)
        try:
            report = audit(job.folder, job.modname, job.profile, dict(job.config),
                           folder_exports(job.folder, job.modname), progress=progress)
        except _Cancelled:
            self.cancelled.emit(self.serial)
            return
        except ValueError as exc:          # the module does not build: make's output
            self.failed.emit(self.serial, str(exc) or "the module does not build")
            return
        except Exception as exc:           # an engine bug must not kill the app
            self.failed.emit(self.serial, f"internal error: {type(exc).__name__}: {exc}")
            return
        total = len(report.runs) - 1
        self.progress.emit(self.serial, total, total)
        self.done.emit(self.serial, report)


class AuditRunner(QObject):
    """Starts sweeps in a worker thread, one at a time; a new start cancels
    the running one (its result is dropped)."""

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
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._stop = threading.Event()
        # threads still finishing (a cancelled one ends after its current
        # point), with their workers: Python keeps both alive until then
        self._ending: list[tuple[QThread, _Worker]] = []
        self.job: AuditJob | None = None
        self._serial = 0

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, job: AuditJob) -> None:
        self.cancel()
        from kmodgui.kernel.kapi import load_all
        load_all()                  # import the kapi once, here, not racing in the thread
        self.job = job
        self._stop = threading.Event()
        thread = QThread(self)
        self._serial += 1
        worker = _Worker(job, self._stop, self._serial)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # bound methods of this GUI-thread object: Qt queues these calls
        worker.progress.connect(self._on_progress)
        worker.done.connect(self._on_done)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        self._thread, self._worker = thread, worker
        thread.start()
        self.runningChanged.emit(True)

    def cancel(self) -> None:
        """Stop at the next fault point; the result of that sweep is dropped."""
        if self._thread is None:
            return
        self._stop.set()
        self._finish_thread()
        self.runningChanged.emit(False)

    def shutdown(self, ms: int = 30_000) -> None:
        """Cancel and wait for every thread (the window is closing)."""
        self.cancel()
        for thread, _worker in list(self._ending):
            thread.wait(ms)

    def wait(self, ms: int = 30_000) -> bool:
        """Block until the current sweep's thread has ended (tests)."""
        return self._thread.wait(ms) if self._thread is not None else True

    # -- the worker's reports, on the GUI thread ----------------------------------
    def _current(self, serial: int) -> bool:
        return self._worker is not None and serial == self._serial

    @Slot(int, int, int)
    def _on_progress(self, serial: int, done: int, total: int) -> None:
        if self._current(serial):
            self.progress.emit(done, total)

    @Slot(int, object)
    def _on_done(self, serial: int, report: Any) -> None:
        if self._current(serial):
            job = self.job
            self._end()
            self.finished.emit(job, report)

    @Slot(int, str)
    def _on_failed(self, serial: int, message: str) -> None:
        if self._current(serial):
            job = self.job
            self._end()
            self.failed.emit(job, message)

    @Slot(int)
    def _on_cancelled(self, serial: int) -> None:
        if self._current(serial):
            self._end()

    def _end(self) -> None:
        self._finish_thread()
        self.runningChanged.emit(False)

    def _finish_thread(self) -> None:
        thread, worker = self._thread, self._worker
        self._thread = self._worker = None
        if thread is None:
            return
        self._ending.append((thread, worker))
        # the thread ends once run() returns; both objects go then
        thread.finished.connect(self._on_thread_finished)
        thread.quit()

    @Slot()
    def _on_thread_finished(self) -> None:
        for thread, worker in list(self._ending):
            if worker.ended and thread.wait(1000):
                self._ending.remove((thread, worker))   # the worker's last reference
                thread.deleteLater()
