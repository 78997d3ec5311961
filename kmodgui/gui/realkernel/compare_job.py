"""The replay of a recording in the simulator, beside the window.

kmodgui.realkernel.compare boots a fresh simulated machine and runs the
recording's commands on it: a second or so for a few commands, longer for
a module that spins.  It runs in a process of its own (in its own process
group, so Cancel ends it), reads the recording on stdin and writes the
Comparison back pickled on stdout; the window keeps working meanwhile.
"""
from __future__ import annotations

import os
import pickle
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal

import kmodgui

#: the message of a replay the user cancelled
CANCELLED = "cancelled"
#: what the child runs: argv[1] the modules' folder, argv[2] the source's name
_SCRIPT = """\
import pickle, sys
from pathlib import Path
from kmodgui.realkernel.compare import TranscriptError, compare_transcript
try:
    c = compare_transcript(sys.stdin.read(), folder=Path(sys.argv[1]), source=sys.argv[2])
except TranscriptError as e:
    sys.stderr.write(str(e))
    sys.exit(2)
sys.stdout.buffer.write(pickle.dumps(c))
"""


class CompareJob(QObject):
    """One replay at a time."""

    #: (Comparison or None, message): the replay ended; None with the
    #: reason when it failed or was cancelled
    finished = Signal(object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._proc: QProcess | None = None
        self._cancelled = False
        self.destroyed.connect(_Reaper(self).reap)

    @property
    def running(self) -> bool:
        return self._proc is not None

    def start(self, transcript: str, folder: Path, source: str) -> None:
        if self._proc is not None:
            return
        self._cancelled = False
        proc = QProcess(self)
        params = QProcess.UnixProcessParameters()
        params.flags = QProcess.UnixProcessFlag.CreateNewSession
        proc.setUnixProcessParameters(params)
        env = QProcessEnvironment.systemEnvironment()
        here = str(Path(kmodgui.__file__).resolve().parents[1])
        env.insert("PYTHONPATH", os.pathsep.join(p for p in (here, env.value("PYTHONPATH")) if p))
        proc.setProcessEnvironment(env)
        proc.finished.connect(self._done)
        proc.errorOccurred.connect(self._error)
        self._proc = proc
        proc.start(sys.executable, ["-c", _SCRIPT, str(folder), source])
        proc.write(transcript.encode("utf-8"))
        proc.closeWriteChannel()

    def cancel(self) -> None:
        if self._proc is None:
            return
        self._cancelled = True
        self.kill()

    def kill(self) -> None:
        proc = self._proc
        if proc is None:
            return
        if proc.processId() <= 0:           # still starting: its group exists once it runs
            proc.waitForStarted(5000)
        if proc.processId() > 0:
            try:
                os.killpg(int(proc.processId()), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        else:
            proc.kill()
        proc.waitForFinished(5000)

    def _done(self, code: int, _status: QProcess.ExitStatus) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        out = bytes(proc.readAllStandardOutput().data())
        err = bytes(proc.readAllStandardError().data()).decode("utf-8", "replace").strip()
        proc.deleteLater()
        if self._cancelled:
            self.finished.emit(None, CANCELLED)
        elif code == 0 and out:
            # the child is this program's own code, run on the user's files
            self.finished.emit(pickle.loads(out), "")
        else:
            self.finished.emit(None, err.splitlines()[-1] if err else
                               f"the simulator's replay ended with status {code}")

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and self._proc is not None:
            proc, self._proc = self._proc, None
            proc.deleteLater()
            self.finished.emit(None, f"could not start the replay: {proc.errorString()}")


class _Reaper:
    """Kills a replay still running when its job goes away (plain Python:
    called from `destroyed`, when the job's own methods are gone)."""

    def __init__(self, job: CompareJob) -> None:
        self._job = job

    def reap(self, *_args: object) -> None:
        try:
            self._job.kill()
        except RuntimeError:
            pass
