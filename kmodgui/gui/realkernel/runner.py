"""Runs the recorder (`kmodsim record --real`) beside the window.

A QProcess in a session of its own (its own process group): the window
never waits for it, reads its progress lines as they come (building,
booting, running command k of n), and a cancel signals the whole group
(the recorder, make and gcc, QEMU) and removes the temp folder it worked
in: TMPDIR points there, so nothing the recorder makes lives elsewhere.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QTimer, Signal

import kmodgui
from kmodgui.realkernel import machine, plan

#: SIGTERM first (the recorder stops the VM and cleans up), SIGKILL after this
KILL_AFTER_MS = 3000
_COMMAND_K = re.compile(r"running command (\d+) of (\d+)")


def missing() -> list[str]:
    """What the real-kernel backend lacks on this machine ([] = ready):
    the kernel image and headers of the 6.1 profile, QEMU, busybox, kmod."""
    version = machine.pick_version(None)
    if version is None:
        want = machine.DEFAULT_VERSION
        return [f"linux-image-{want}", f"linux-headers-{want}"]
    return machine.missing_packages(version)


@dataclass(frozen=True)
class Phase:
    """What the recorder says it does, and how far it got."""
    text: str
    step: int = 0               # running command `step` of `steps` (0: not yet)
    steps: int = 0


def parse_progress(line: str) -> Phase | None:
    """A line of the recorder's stderr, if it is a progress line."""
    if not line.startswith("kmodsim: "):
        return None
    text = line[len("kmodsim: "):].strip()
    m = _COMMAND_K.match(text)
    if m:
        return Phase(text, int(m.group(1)), int(m.group(2)))
    if text.startswith(("building", "booting")):
        return Phase(text)
    return None


class _Leftovers:
    """The running recording's process group and temp folder, as plain
    values: reaped when the runner goes away (the window closed mid-run),
    when no Qt object is left to ask."""

    def __init__(self) -> None:
        self.pgid = 0
        self.folder: Path | None = None
        self.process: QProcess | None = None

    def reap(self, *_args: object) -> None:
        if self.pgid > 0:
            _kill_group(self.pgid, signal.SIGKILL)
            self.pgid = 0
        proc, self.process = self.process, None
        if proc is not None:
            try:                     # collect it, so Qt does not find it still running
                proc.waitForFinished(2000)
            except RuntimeError:     # already gone with its parent
                pass
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


@dataclass(frozen=True)
class Outcome:
    """How a run ended: the transcript text it recorded ("" if none), and
    the recorder's own words when it failed or was cancelled."""
    transcript: str
    message: str
    cancelled: bool = False


class RealRun(QObject):
    """One recording at a time."""

    #: Phase: the recorder reported progress
    progress = Signal(object)
    #: Outcome: the run ended (recorded, failed or cancelled)
    finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._proc: QProcess | None = None
        self._tmp: Path | None = None
        self._stderr = ""
        self._cancelled = False
        self._pid = 0
        self._partial, self._ran, self._runnable = "", 0, 0
        self.started_at = 0.0
        self.commands: tuple[str, ...] = ()
        self.folder: Path | None = None
        self._leftovers = _Leftovers()
        self.destroyed.connect(self._leftovers.reap)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._leftovers.reap)
        #: the recorder's command line; tests point it at a stand-in
        self.program: list[str] = [sys.executable, "-m", "kmodgui.cli", "record", "--real",
                                   "--progress"]

    @property
    def running(self) -> bool:
        return self._proc is not None

    @property
    def workdir(self) -> Path | None:
        """The temp folder of the running recording (removed when it ends)."""
        return self._tmp

    def pid(self) -> int:
        """The recorder's process id, which is also its process group's."""
        return self._pid

    def start(self, folder: Path, commands: tuple[str, ...]) -> None:
        if self.running:
            return
        self._tmp = Path(tempfile.mkdtemp(prefix="kmodgui-realrun-"))
        self._stderr, self._cancelled, self._pid = "", False, 0
        self._partial, self._ran = "", 0
        # the recorder boots afresh after a reboot and skips what a real
        # machine cannot run (inject): count across boots, of what runs
        self._runnable = sum(1 for c in commands if not plan.not_run(c))
        self.folder, self.commands = Path(folder), commands
        proc = QProcess(self)
        params = QProcess.UnixProcessParameters()
        params.flags = QProcess.UnixProcessFlag.CreateNewSession
        proc.setUnixProcessParameters(params)
        env = proc.processEnvironment()
        if env.isEmpty():
            from PySide6.QtCore import QProcessEnvironment
            env = QProcessEnvironment.systemEnvironment()
        env.insert("TMPDIR", str(self._tmp))
        # the recorder imports this same kmodgui
        here = str(Path(kmodgui.__file__).resolve().parents[1])
        env.insert("PYTHONPATH", os.pathsep.join(p for p in (here, env.value("PYTHONPATH")) if p))
        proc.setProcessEnvironment(env)
        proc.readyReadStandardError.connect(self._read_progress)
        # bound slots only: a lambda holding `proc`, connected to proc's own
        # signal, crashed PySide when the runner was deleted right after a run
        proc.started.connect(self._started)
        proc.errorOccurred.connect(self._error)
        proc.finished.connect(self._done)
        self._proc = proc
        self.started_at = time.monotonic()
        proc.start(self.program[0], self.program[1:] + [
            "-C", str(self.folder), "-c", "\n".join(commands),
            "-o", str(self._tmp / "session.txt")])

    def _started(self) -> None:
        proc = self._proc
        if proc is None:
            return
        self._pid = int(proc.processId())
        self._leftovers.pgid, self._leftovers.folder = self._pid, self._tmp
        self._leftovers.process = proc

    def shutdown(self) -> None:
        """Stop at once whatever runs (the window is closing)."""
        self._leftovers.reap()

    def elapsed(self) -> float:
        return time.monotonic() - self.started_at if self.running else 0.0

    def _read_progress(self) -> None:
        if self._proc is None:
            return
        text = bytes(self._proc.readAllStandardError().data()).decode("utf-8", "replace")
        self._stderr += text
        *lines, self._partial = (self._partial + text).split("\n")
        for line in lines:
            phase = parse_progress(line)
            if phase is None:
                continue
            if phase.steps:
                self._ran += 1
                command = phase.text.split(": ", 1)[-1]
                total = max(self._runnable, self._ran)
                phase = Phase(f"running command {self._ran} of {total}: {command}",
                              self._ran, total)
            self.progress.emit(phase)

    def cancel(self) -> None:
        """Stop the recorder, its make and its QEMU; `finished` follows."""
        if self._proc is None:
            return
        self._cancelled = True
        pid = self._pid
        if pid <= 0:                 # not started yet
            self._proc.kill()
            return
        _kill_group(pid, signal.SIGTERM)
        QTimer.singleShot(KILL_AFTER_MS, self, lambda: self._force(pid))

    def _force(self, pid: int) -> None:
        if self._proc is not None and self._pid == pid:
            _kill_group(pid, signal.SIGKILL)

    def _done(self, code: int, _status: QProcess.ExitStatus) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        self._read_rest(proc)
        if self._pid > 0:            # whatever the recorder left running in its group
            _kill_group(self._pid, signal.SIGKILL)
        self._pid = 0
        self._leftovers.pgid, self._leftovers.folder, self._leftovers.process = 0, None, None
        out = self._tmp / "session.txt" if self._tmp else None
        transcript = out.read_text(errors="replace") if out and out.is_file() else ""
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        proc.deleteLater()
        if self._cancelled:
            self.finished.emit(Outcome("", "cancelled: the real machine was stopped", True))
            return
        # a recording that ends in a note (a runaway init) is still a recording
        message = "" if transcript else self._failure(code)
        self.finished.emit(Outcome(transcript, message))

    def _error(self, error: QProcess.ProcessError) -> None:
        """The recorder could not even start (FailedToStart gives no finished)."""
        if error == QProcess.ProcessError.FailedToStart and self._proc is not None:
            proc, self._proc = self._proc, None
            if self._tmp is not None:
                shutil.rmtree(self._tmp, ignore_errors=True)
                self._tmp = None
            proc.deleteLater()
            self.finished.emit(Outcome("", f"could not start the recorder: {proc.errorString()}"))

    def _read_rest(self, proc: QProcess) -> None:
        rest = bytes(proc.readAllStandardError().data()).decode("utf-8", "replace")
        self._stderr += rest

    def _failure(self, code: int) -> str:
        lines = [ln for ln in self._stderr.splitlines() if parse_progress(ln) is None]
        return "\n".join(lines).strip() or f"the recorder ended with status {code}"


def _kill_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass
