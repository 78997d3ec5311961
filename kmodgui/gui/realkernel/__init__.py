"""The real kernel beside the simulator, in the app.

Kernel → Run this session on a real kernel: the commands the user ran
since the simulated kernel booted go to the recorder (`kmodsim record
--real`, a process of its own: the window keeps working, a Cancel stops
it), which builds the modules with the real kbuild and runs them on
Debian's 6.1 kernel in QEMU; the recording is then replayed in the
simulator (kmodgui.realkernel.compare) and the "Real kernel" pane shows
both, step by step.  Kernel → Compare a real-kernel recording… does the
same for a recording made earlier.

  session_log.py  the session's commands, as a real machine runs them
  runner.py       the recorder as a QProcess: progress, cancel, clean-up
  compare_job.py  the replay in the simulator, in a process of its own
  report.py       a comparison as rows, HTML and text
  pane.py         the dock
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow

from kmodgui import SAMPLES_DIR
from kmodgui.gui.realkernel import report as reports
from kmodgui.gui.realkernel.compare_job import CANCELLED, CompareJob
from kmodgui.gui.realkernel.pane import RealKernelPane
from kmodgui.gui.realkernel.runner import Outcome, Phase, RealRun, missing
from kmodgui.gui.realkernel.session_log import SessionLog
from kmodgui.gui.workbench import ActionSpec, DockSpec, MenuId, Workbench
from kmodgui.realkernel.machine import install_hint

if TYPE_CHECKING:
    from kmodgui.gui.bridge import Bridge

DOCK = "dockRealKernel"
RUN_TEXT = "Run this session on a real kernel"
#: the share of the window's height the pane takes when a comparison arrives
SHOWN_HEIGHT = 0.55


class RealKernel(QObject):
    """The feature: the session's log, the recorder, the pane."""

    def __init__(self, bench: Workbench) -> None:
        super().__init__(bench)
        self.bench = bench
        self.log = SessionLog()
        self.runner = RealRun(self)
        self.comparer = CompareJob(self)
        self._title = ""                    # what the running replay compares
        self.pane: RealKernelPane | None = None
        self.presenting = False
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        bridge = bench.bridge
        bridge.booted.connect(lambda _ev: self.log.clear())
        bridge.commandStarted.connect(lambda line, _origin: self.log.add_line(line))
        self.runner.progress.connect(self._progress)
        self.runner.finished.connect(self._recorded)
        self.comparer.finished.connect(self._compared)
        bench.presentationChanged.connect(self._presentation)

    def make_pane(self, _bridge: "Bridge") -> RealKernelPane:
        self.pane = RealKernelPane()
        self.pane.cancelRequested.connect(self.cancel)
        self.pane.open_recording = self.compare_recording
        return self.pane

    # -- the folder the session works in -------------------------------------------
    def folder(self) -> Path:
        cwd = self.bench.bridge.cwd
        return Path(cwd) if cwd is not None else SAMPLES_DIR

    # -- Kernel → Run this session on a real kernel -----------------------------------
    @property
    def busy(self) -> bool:
        return self.runner.running or self.comparer.running

    def cancel(self) -> None:
        self.runner.cancel()
        self.comparer.cancel()

    def run_session(self) -> None:
        pane = self._show_pane()
        if self.busy:
            return
        lacking = missing()
        if lacking:
            pane.show_message(f"The real-kernel backend needs: {' '.join(lacking)}\n"
                              f"Install them with: {install_hint(lacking)}")
            return
        commands = self.log.commands
        if not commands:
            pane.show_message("Nothing to run yet: run some commands in the Shell (insmod, "
                              "rmmod, lsmod, dmesg…), then run the session on a real kernel.")
            return
        pane.show_running(commands)
        self.runner.start(self.folder(), commands)
        self._ticker.start()

    def _tick(self) -> None:
        if self.pane is not None and self.runner.running:
            self.pane.tick(self.runner.elapsed())

    def _progress(self, phase: Phase) -> None:
        if self.pane is not None:
            self.pane.set_phase(phase)
            self.pane.tick(self.runner.elapsed())

    def _recorded(self, outcome: Outcome) -> None:
        self._ticker.stop()
        pane = self._show_pane()
        if outcome.cancelled or not outcome.transcript:
            title = "Cancelled" if outcome.cancelled else "The real run failed"
            pane.show_message(f"{title}: {outcome.message}")
            return
        self._compare(outcome.transcript, self.runner.folder or self.folder(),
                      "this session", "This session on a real kernel")

    def _compare(self, text: str, folder: Path, source: str, title: str) -> None:
        """Replay `text` in the simulator (a process of its own), then show it."""
        assert self.pane is not None
        self._title = title
        self.pane.show_running((), "comparing with the simulator")
        self.comparer.start(text, folder, source)

    def _compared(self, comparison: reports.ComparisonLike | None, message: str) -> None:
        pane = self._show_pane()
        if comparison is None and message == CANCELLED:
            pane.show_message("Cancelled: the replay in the simulator was stopped.")
        elif comparison is None:
            pane.show_message(f"Cannot compare {self._title}: {message}")
        else:
            pane.show_report(reports.build(comparison, self._title))
            self._make_room()

    # -- Kernel → Compare a real-kernel recording… --------------------------------------
    def compare_recording(self, path: Path | None = None) -> None:
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                None, "Compare a real-kernel recording", str(self.folder()),
                "Recordings (*.txt);;All files (*)")
            if not name:
                return
            path = Path(name)
        pane = self._show_pane()
        if self.busy:
            return
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            pane.show_message(f"Cannot compare {path}: {getattr(e, 'strerror', None) or e}")
            return
        self._compare(text, self.folder(), str(path), Path(path).name)

    # -- where the pane is ---------------------------------------------------------------
    def _dock(self) -> QDockWidget | None:
        parent = self.pane.parentWidget() if self.pane is not None else None
        return parent if isinstance(parent, QDockWidget) else None

    def _show_pane(self) -> RealKernelPane:
        if self.pane is None:               # no window drew the dock (headless use)
            self.make_pane(self.bench.bridge)
        assert self.pane is not None
        dock = self._dock()
        if dock is not None:
            main = dock.parentWidget()
            if self.presenting and isinstance(main, QMainWindow):
                self._place_for_presentation(main, dock)
            dock.show()
            dock.raise_()
        return self.pane

    def _make_room(self) -> None:
        """A comparison needs height: the pane takes about half the window."""
        dock = self._dock()
        main = dock.parentWidget() if dock is not None else None
        if dock is not None and isinstance(main, QMainWindow) and not dock.isFloating():
            main.resizeDocks([dock], [int(main.height() * SHOWN_HEIGHT)], Qt.Vertical)

    def _presentation(self, entered: bool) -> None:
        """In presentation mode the pane stays only once it has something to show."""
        self.presenting = entered
        dock = self._dock()
        if entered and dock is not None and self.pane is not None and (
                self.pane.report is not None or self.busy):
            main = dock.parentWidget()
            if isinstance(main, QMainWindow):
                self._place_for_presentation(main, dock)
                dock.show()
                dock.raise_()

    @staticmethod
    def _place_for_presentation(main: QMainWindow, dock: QDockWidget) -> None:
        """Tabbed with the dock it sits behind in the default layout."""
        front = main.findChild(QDockWidget, "dockTimeline")
        if front is not None and front is not dock and front.isVisible():
            main.tabifyDockWidget(front, dock)
        elif main.dockWidgetArea(dock) == Qt.NoDockWidgetArea:
            main.addDockWidget(Qt.BottomDockWidgetArea, dock)


def run_action_text() -> tuple[str, str, bool]:
    """(text, tip, enabled) of Kernel → Run this session on a real kernel."""
    lacking = missing()
    if not lacking:
        return (RUN_TEXT, "Run the commands of this session on Debian's 6.1 kernel in QEMU "
                "and compare, step by step, with the simulator", True)
    return (f"{RUN_TEXT} (needs {', '.join(lacking)})",
            f"Install them with: {install_hint(lacking)}", False)


def install(bench: Workbench) -> None:
    feature = RealKernel(bench)
    bench.add_dock(DockSpec(DOCK, "Real kernel", Qt.BottomDockWidgetArea, feature.make_pane,
                            tab_with="dockTimeline"))
    text, tip, enabled = run_action_text()
    bench.add_action(ActionSpec("actionRealKernelRun", text, feature.run_session,
                                MenuId.KERNEL, tip=tip, separator_before=True,
                                enabled=enabled))
    bench.add_action(ActionSpec("actionRealKernelCompare", "Compare a real-kernel recording…",
                                lambda: feature.compare_recording(), MenuId.KERNEL,
                                tip="Replay a recording of kmodsim record --real in the "
                                    "simulator and show both side by side"))
