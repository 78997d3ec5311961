"""The Paths pane: before running anything, every error path of init.

For each fault point -- the N-th fault-injectable call init makes -- the
unwind audit (kmodgui.audit) boots a fresh kernel, makes that call fail and
records the path the code took: the gotos (which labels), the releases in
order, and what was left behind.  One row per point:

    ✖ register_those() line 42 → -EBUSY │ goto fail_those 44→49 │ unregister_that@51, unregister_this@54 │ ✔ unwinds cleanly

so a label placed one rung too low (a leak) or a ladder in the wrong order
shows at a glance.  A shared cleanup() routine shows the same way: its
releases are listed whichever function makes them.  Selecting a row
previews the path on the source (the jump arrow and the traced lines);
Enter, a double click or "Replay" runs it in the debugger.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from kmodgui.gui.debug.captions import errno_text
from kmodgui.gui.workbench.widgets import HintTree
from kmodgui.gui.theme import LIGHT, Theme
from kmodgui.gui.zoom import ui_font

COLUMNS = ("Fails", "Path taken", "Releases, in order", "Verdict")
HINT = "Open and build a module: its error paths appear here."


def verdict(run: Any) -> tuple[str, str]:
    """(text with its symbol, theme colour attribute) for one audit run."""
    if run.crash:
        return f"✖ crash: {run.crash}", "error"
    problems = [f"leaks {x}" for x in run.leaks]
    problems += [f"releases twice {x}" for x in run.double]
    problems += [f"releases never-acquired {x}" for x in run.never]
    if problems:
        return "✖ " + "; ".join(problems), "leak"
    if run.out_of_order:
        return "⚠ out of reverse order: " + "; ".join(run.out_of_order), "warning"
    if run.next_insmod:
        return f"✖ the next insmod fails ({errno_text(run.next_insmod)})", "error"
    if run.point == 0:
        return ("✔ loads; exit releases in reverse order" if run.loaded
                else f"✖ init returns {run.init_ret}"), "ok" if run.loaded else "error"
    return "✔ unwinds cleanly", "ok"


def row_texts(run: Any) -> list[str]:
    if run.point == 0:
        fails = "nothing fails"
        path = "init returns 0" if run.loaded else f"init returns {run.init_ret}"
        return [fails, path, "(none in init)", verdict(run)[0]]
    line = run.site.rpartition(":")[2] if run.site else "?"
    fails = f"#{run.point} {run.api}() line {line} → {errno_text(run.errno)}"
    jumps = [f"goto {label} {a}→{b}" for a, b, label in run.jumps]
    path = " ⟶ ".join(jumps) or "no goto"
    if run.init_ret is not None:
        path += f" ⟶ return {run.init_ret}"
    return [fails, path, ", ".join(run.unwind) or "nothing released", verdict(run)[0]]


def preview_lines(run: Any) -> list[int]:
    """Source lines a path touches: the failing call, the labels, the releases."""
    lines: list[int] = []
    if run.site:
        lines.append(int(run.site.rpartition(":")[2]))
    for a, b, _label in run.jumps:
        lines += [a, b]
    for rel in run.unwind:
        at = rel.rpartition("@")[2]
        if at.isdigit():
            lines.append(int(at))
    return lines


class PathsPanel(QWidget):
    #: (point, api, errno): replay this fault point in the debugger.
    replayRequested = Signal(int, str, int)
    #: the selected run (or None): preview its path on the source.
    previewRequested = Signal(object)
    #: the user asked for a fresh audit.
    refreshRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pathsPanel")
        self.theme: Theme = LIGHT
        self.report: Any = None
        self.title = QLabel(HINT, self)
        self.title.setWordWrap(True)
        self.tree = HintTree(HINT, self)
        self.tree.setObjectName("pathsTree")
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.currentItemChanged.connect(self._selected)
        self.tree.itemActivated.connect(lambda item, _c: self._replay(item))
        self.findings = QLabel("", self)
        self.findings.setWordWrap(True)
        self.findings.setTextFormat(Qt.RichText)
        self.replay_button = QPushButton("Replay in debugger", self)
        self.replay_button.setToolTip("Run insmod under the debugger with this call failing "
                                      "(Enter or double click on a row)")
        self.replay_button.clicked.connect(lambda: self._replay(self.tree.currentItem()))
        self.refresh_button = QPushButton("Re-run audit", self)
        self.refresh_button.clicked.connect(self.refreshRequested)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.addWidget(self.title, 1)
        bar.addWidget(self.replay_button)
        bar.addWidget(self.refresh_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(bar)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.findings)
        self.findings.hide()

    # -- content -------------------------------------------------------------------
    def set_message(self, text: str) -> None:
        """No report (no module, build failed, audit running)."""
        self.report = None
        self.tree.clear()
        self.tree.hint = text
        self.title.setText(text)
        self.findings.hide()
        self.tree.viewport().update()

    def set_report(self, report: Any, init: str = "init") -> None:
        self.report = report
        self.tree.clear()
        n = len(report.runs) - 1
        self.title.setText(f"{n} fault point{'s' if n != 1 else ''} in {init}(): "
                           "what each failing call unwinds")
        for run in report.runs:
            item = QTreeWidgetItem(row_texts(run))
            item.setData(0, Qt.UserRole, run.point)
            _, colour = verdict(run)
            item.setForeground(3, QColor(getattr(self.theme, colour)))
            if not run.clean:
                bold = QFont(self.tree.font())
                bold.setBold(True)
                item.setFont(3, bold)
            for col, text in enumerate(row_texts(run)):
                item.setToolTip(col, text)
            self.tree.addTopLevelItem(item)
        for col in range(len(COLUMNS)):
            self.tree.resizeColumnToContents(col)
        self._show_findings(report.findings)

    def _show_findings(self, findings: list) -> None:
        if not findings:
            self.findings.hide()
            return
        rows = [f"⚠ <b>{f.file}:{f.line}</b> {f.message}" for f in findings]
        self.findings.setText(f"<span style='color:{self.theme.warning}'>"
                              + "<br>".join(rows) + "</span>")
        self.findings.show()

    def run_of(self, point: int) -> Any:
        if self.report is None:
            return None
        return next((r for r in self.report.runs if r.point == point), None)

    def rows(self) -> list[list[str]]:
        return [[self.tree.topLevelItem(i).text(c) for c in range(len(COLUMNS))]
                for i in range(self.tree.topLevelItemCount())]

    def select_point(self, point: int) -> None:
        for i in range(self.tree.topLevelItemCount()):
            if self.tree.topLevelItem(i).data(0, Qt.UserRole) == point:
                self.tree.setCurrentItem(self.tree.topLevelItem(i))

    # -- user -------------------------------------------------------------------------
    def _selected(self, item: QTreeWidgetItem | None, _old) -> None:
        run = self.run_of(item.data(0, Qt.UserRole)) if item is not None else None
        self.previewRequested.emit(run)

    def _replay(self, item: QTreeWidgetItem | None) -> None:
        run = self.run_of(item.data(0, Qt.UserRole)) if item is not None else None
        if run is not None:
            self.replayRequested.emit(run.point, run.api, run.errno)

    # -- appearance --------------------------------------------------------------------
    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        if self.report is not None:
            self.set_report(self.report)

    def set_zoom(self, factor: float) -> None:
        for w in (self.tree, self.tree.header(), self.title, self.findings,
                  self.replay_button, self.refresh_button):
            w.setFont(ui_font(factor))
        if self.report is not None:
            for col in range(len(COLUMNS)):
                self.tree.resizeColumnToContents(col)
