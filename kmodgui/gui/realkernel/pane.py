"""The "Real kernel" pane: a run's progress, then the real machine's and
the simulator's output side by side, step by step."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEventLoop, Qt, Signal
from PySide6.QtWidgets import (QApplication, QFileDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton,
                               QSizePolicy, QTextBrowser, QVBoxLayout, QWidget)

from kmodgui.gui.realkernel.report import SAME, Colours, Report, anchor, to_html, to_text
from kmodgui.gui.realkernel.runner import Phase
from kmodgui.gui.zoom import UI_POINTS, ui_font

HINT = ("Kernel → Run this session on a real kernel: the commands you ran in this session, "
        "on Debian's 6.1 kernel in QEMU, shown beside what the simulator printed.  "
        "Kernel → Compare a real-kernel recording… opens a file made by "
        "kmodsim record --real.")
BASE_POINTS = 10.0


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 60}:{s % 60:02d}"


class RealKernelPane(QWidget):
    """Progress while the real machine runs; the comparison when it is done."""

    #: the user pressed Cancel
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("realKernelPane")
        self.report: Report | None = None
        self.phase: Phase | None = None
        #: a run or a replay is under way
        self.working = False
        self.commands: tuple[str, ...] = ()
        self._zoom = 1.0
        self._colours = Colours()
        #: where Export writes (a file dialog; tests replace it)
        self.ask_export_path: Callable[[], Path | None] = self._export_dialog
        #: compare a recording file and show it here (the feature sets it)
        self.open_recording: Callable[[Path], None] = lambda _path: None
        self.status = QLabel(HINT, self)
        self.status.setObjectName("realKernelStatus")
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("realKernelProgress")
        self.bar.setTextVisible(True)
        self.bar.hide()
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("realKernelCancel")
        self.cancel_button.setToolTip("Stop the real machine (nothing is left behind)")
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.cancel_button.hide()
        self.export_button = QPushButton("Export…", self)
        self.export_button.setObjectName("realKernelExport")
        self.export_button.setToolTip("Save the comparison as HTML or text")
        self.export_button.clicked.connect(self._export_clicked)
        self.export_button.setEnabled(False)
        self.view = QTextBrowser(self)
        self.view.setObjectName("realKernelView")
        self.view.setOpenLinks(False)
        top = QHBoxLayout()
        top.setContentsMargins(6, 4, 6, 0)
        top.addWidget(self.status, 1)
        top.addWidget(self.bar)
        top.addWidget(self.cancel_button)
        top.addWidget(self.export_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)

    # -- states ------------------------------------------------------------------
    def show_running(self, commands: tuple[str, ...],
                     phase: str = "starting the recorder") -> None:
        """A run (or a replay) is under way; `commands` are listed meanwhile."""
        self.phase = Phase(phase)
        self.working = True
        self.bar.setRange(0, 0)             # busy until a command count is known
        self.bar.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        if commands:
            self.commands = commands
            self.view.setPlainText("\n".join(f"{i}. {c}" for i, c in enumerate(commands, 1)))
        self.tick(0.0)

    def set_phase(self, phase: Phase) -> None:
        self.phase = phase
        if phase.steps:
            self.bar.setRange(0, phase.steps)
            self.bar.setValue(phase.step - 1)

    def tick(self, elapsed: float) -> None:
        phase = self.phase.text if self.phase else ""
        self.status.setText(f"Real kernel: {phase[:1].upper()}{phase[1:]}… ({_clock(elapsed)})")
        self.bar.setFormat(f"{self.phase.step} of {self.phase.steps}"
                           if self.phase and self.phase.steps else _clock(elapsed))

    def show_message(self, text: str) -> None:
        """The run ended without a comparison (cancelled, nothing to run, failed)."""
        self._stop_progress()
        self.status.setText(text.splitlines()[0] if text else "")
        self.view.setPlainText(text)

    def show_report(self, report: Report) -> None:
        self._stop_progress()
        self.report = report
        self.export_button.setEnabled(True)
        self.status.setText(f"{report.title}: {report.summary()}.")
        self._render()
        first = next((r.number for r in report.rows if r.verdict != SAME), None)
        if first is not None and first > 1:     # the first difference is what the user wants
            self.view.scrollToAnchor(anchor(first))
        else:
            self.view.verticalScrollBar().setValue(0)

    def _stop_progress(self) -> None:
        self.working = False
        self.bar.hide()
        self.cancel_button.hide()
        self.phase = None

    def _render(self) -> None:
        if self.report is None:
            return
        bar = self.view.verticalScrollBar().value()
        self.view.setHtml(to_html(self.report, self._colours, BASE_POINTS * self._zoom,
                                  UI_POINTS * self._zoom))
        self.view.verticalScrollBar().setValue(bar)

    def settle(self, seconds: float = 120.0) -> bool:
        """Headless use (--screenshot): process events until the run or
        replay under way has ended; False if it took longer."""
        app = QApplication.instance()
        deadline = time.monotonic() + seconds
        while self.working and time.monotonic() < deadline:
            app.processEvents(QEventLoop.AllEvents, 50)
        return not self.working

    # -- export --------------------------------------------------------------------
    def export(self, path: Path) -> Path:
        """Write the comparison: HTML for .html/.htm, text otherwise."""
        assert self.report is not None
        if path.suffix.lower() in (".html", ".htm"):
            path.write_text(to_html(self.report, self._colours, BASE_POINTS, standalone=True),
                            encoding="utf-8")
        else:
            path.write_text(to_text(self.report) + "\n", encoding="utf-8")
        return path

    def _export_clicked(self) -> None:
        if self.report is None:
            return
        path = self.ask_export_path()
        if path is not None:
            try:
                self.export(path)
            except OSError as e:
                self.status.setText(f"Could not write {path}: {e.strerror}")
                return
            self.status.setText(f"Saved {path}")

    def _export_dialog(self) -> Path | None:
        name, chosen = QFileDialog.getSaveFileName(
            self, "Export the comparison", "real-vs-sim.html",
            "HTML (*.html);;Text (*.txt)")
        if not name:
            return None
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(".txt" if chosen.startswith("Text") else ".html")
        return path

    # -- zoom and theme ---------------------------------------------------------------
    def set_zoom(self, factor: float) -> None:
        self._zoom = factor
        font = ui_font(factor)
        for w in (self, self.status, self.bar, self.cancel_button, self.export_button, self.view):
            w.setFont(font)
        self._render()

    def set_theme(self, theme: object) -> None:
        get = lambda name, default: str(getattr(theme, name, default))   # noqa: E731
        dark = bool(getattr(theme, "dark", False))
        self._colours = Colours(
            text=get("text", Colours.text), dim=get("dim", Colours.dim),
            base=get("base", Colours.base), head=get("window", Colours.head),
            ok=get("ok", Colours.ok), bad=get("error", Colours.bad),
            warn=get("injected", Colours.warn),
            real_mark="#5b2427" if dark else Colours.real_mark,
            sim_mark="#4d3b12" if dark else Colours.sim_mark)
        self._render()
