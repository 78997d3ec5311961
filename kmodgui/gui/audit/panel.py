"""The Audit pane: every error path of the open module's init, tried and judged.

kmodgui.audit runs insmod once with no fault, then once per fault point
(the N-th fault-injectable call of init fails, like the kernel's fail-nth),
each on a freshly booted kernel, with rmmod after a successful load.  The
pane shows the result as a matrix: one row per run, one column per
resource init acquires, each cell saying what became of that resource on
that path (released in order, leaked, released twice, out of order, ...)
by symbol, word and colour.  Below: the static findings (file:line).  On
the right: the selected row's unwind path and what it missed, with links
to the lines.

Clicks: a resource cell selects the line that acquired it in the source
view; the row's ▶ column (or Enter, or a double click) asks to replay that
run in the stepper (`replayRequested`).  The sweep runs in a worker thread
(worker.py) with a progress bar; the window stays responsive.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QPen
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel,
                               QProgressBar, QPushButton, QSizePolicy, QSplitter, QStyle,
                               QStyledItemDelegate, QTableWidget, QTableWidgetItem,
                               QTextBrowser, QToolButton, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from kmodgui.gui.audit import cells
from kmodgui.gui.audit.worker import AuditJob, AuditRunner
from kmodgui.gui.bridge import module_name
from kmodgui.gui.workbench.widgets import HintTree
from kmodgui.gui.theme import LIGHT, Theme
from kmodgui.gui.zoom import px, ui_font

#: the columns before the resources: the verdict comes early so that it is
#: seen without scrolling when a module acquires many resources
FIXED_COLUMNS = ("▶ fault point", "verdict", "init\nreturned")
VERDICT = 1
IDLE_TEXT = "Audit: tries every error path of init (one insmod per fault point)."
LEGEND_MAX_ZOOM = 1.4       # from this zoom on, the legend is behind the Key button


class _OutlineSelection(QStyledItemDelegate):
    """Draws the selected row with a frame instead of a fill, so the cells
    keep their own colours and tints while selected."""

    def __init__(self, panel: "AuditPanel") -> None:
        super().__init__(panel.matrix)
        self.panel = panel

    def paint(self, painter, option, index) -> None:
        selected = bool(option.state & QStyle.State_Selected)
        option.state &= ~QStyle.State_Selected
        option.state &= ~QStyle.State_HasFocus
        super().paint(painter, option, index)
        if not selected:
            return
        painter.save()
        width = px(2, self.panel.zoom)
        painter.setPen(QPen(QColor(self.panel.theme.accent), width))
        r = option.rect.adjusted(0, width // 2, 0, -(width + 1) // 2)
        painter.drawLine(r.topLeft(), r.topRight())
        painter.drawLine(r.bottomLeft(), r.bottomRight())
        if index.column() == 0:
            painter.drawLine(r.topLeft(), r.bottomLeft())
        if index.column() == index.model().columnCount() - 1:
            painter.drawLine(r.topRight(), r.bottomRight())
        painter.restore()


class AuditPanel(QWidget):
    #: (point, api, errno): replay this run in the stepper (0, "", 0: no fault).
    replayRequested = Signal(int, str, int)
    #: (file, line): show this source line (where a resource was acquired, a goto, ...).
    lineActivated = Signal(str, int)
    #: a sweep finished and the matrix shows its report.
    reportShown = Signal(object)

    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPanel")
        self.bridge = bridge
        self.theme: Theme = LIGHT
        self.zoom = 1.0
        #: the open module's source; the window sets this (install()).
        self.source_provider: Callable[[], Path | None] = lambda: None
        self.report: Any = None
        self.job: AuditJob | None = None
        self.stale = True
        self.closing = False            # the window is closing: start no sweep
        self.runner = AuditRunner(self)
        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.runningChanged.connect(self._on_running)
        self._build_ui()
        bridge.buildFinished.connect(self._on_build)
        bridge.booted.connect(lambda _ev: self.invalidate())
        self.set_theme(self.theme)

    # -- widgets -------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.run_button = QPushButton("Run audit", self)
        self.run_button.setObjectName("auditRun")
        self.run_button.setToolTip("Try every error path of the open module's init "
                                   "(Ctrl+Shift+A)")
        self.run_button.clicked.connect(lambda: self.run_audit())
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("auditProgress")
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        self.status = QLabel(IDLE_TEXT, self)
        self.status.setObjectName("auditStatus")
        self.status.setTextFormat(Qt.RichText)
        # one line, clipped: at projector zoom it must not eat the matrix
        self.status.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        top = QHBoxLayout()
        top.setContentsMargins(6, 3, 6, 3)
        for w in (self.run_button, self.cancel_button, self.progress):
            top.addWidget(w)
        top.addWidget(self.status, 1)
        self.key_button = QToolButton(self)
        self.key_button.setText("Key")
        self.key_button.setVisible(False)
        top.addWidget(self.key_button)
        self.legend = QLabel(self)
        self.legend.setTextFormat(Qt.RichText)
        self.legend.setWordWrap(True)
        self.legend.setContentsMargins(6, 0, 6, 2)
        self.matrix = QTableWidget(self)
        self.matrix.setObjectName("auditMatrix")
        self.matrix.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.matrix.setSelectionMode(QAbstractItemView.SingleSelection)
        self.matrix.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.matrix.verticalHeader().setVisible(False)
        self.matrix.setWordWrap(False)
        self.matrix.setItemDelegate(_OutlineSelection(self))
        self.matrix.cellClicked.connect(self._clicked)
        self.matrix.cellDoubleClicked.connect(lambda row, _c: self.replay_row(row))
        self.matrix.itemSelectionChanged.connect(self._show_details)
        self.matrix.installEventFilter(self)
        self.findings = HintTree("Static checks: none yet.", self)
        self.findings.setObjectName("auditFindings")
        self.findings.setHeaderLabels(["where", "check", "finding"])
        self.findings.setRootIsDecorated(False)
        self.findings.setWordWrap(True)
        self.findings.itemActivated.connect(self._finding_activated)
        self.findings.itemClicked.connect(self._finding_activated)
        self.details = QTextBrowser(self)
        self.details.setObjectName("auditDetails")
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._link)
        self.details.setPlaceholderText("Select a row: its unwind path and what it missed.")
        # the matrix gets the pane's whole width (a column per resource);
        # below it, the selected row's path and the static findings
        below = QSplitter(Qt.Horizontal, self)
        below.addWidget(self.details)
        below.addWidget(self.findings)
        below.setStretchFactor(0, 3)
        below.setStretchFactor(1, 2)
        self.split = QSplitter(Qt.Vertical, self)
        self.split.addWidget(self.matrix)
        self.split.addWidget(below)
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(top)
        lay.addWidget(self.legend)
        lay.addWidget(self.split, 1)

    # -- running -------------------------------------------------------------------
    def run_audit(self, source: Path | None = None) -> bool:
        """Start a sweep of `source` (default: the open module); False if
        there is nothing to audit."""
        source = source or self.source_provider()
        if self.closing:
            return False
        if source is None:
            self.status.setText("No module open: open a .c file, then Run audit.")
            return False
        source = Path(source)
        self.job = AuditJob(source.parent, module_name(source), self.bridge.profile_name(),
                            self.bridge.config())
        self._source = source
        self.stale = False
        self.progress.setRange(0, 0)            # busy until the base run counted the points
        self.progress.setFormat("booting, insmod without fault…")
        self.status.setText(f"Auditing <b>{source.name}</b> on Linux {self.job.profile}…")
        self.runner.start(self.job)
        return True

    def on_screen(self) -> bool:
        """Visible and not behind another tab (a tabbed dock stays isVisible())."""
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def invalidate(self) -> None:
        """The module, kernel or configuration changed: audit again when seen."""
        self.stale = True
        if self.on_screen() and self.source_provider() is not None:
            self.run_audit()

    def _on_build(self, path: str, result: Any) -> None:
        current = self.source_provider()
        if current is not None and Path(path) == Path(current):
            self.invalidate()

    def on_visibility(self, visible: bool) -> None:
        """The dock came to the front (its tab, or shown): audit if out of date."""
        if visible and self.stale and not self.runner.running \
                and self.source_provider() is not None:
            self.run_audit()

    def _on_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.run_button.setText("Restart" if running else "Run audit")
        if not running and self.progress.maximum() == 0:
            self.progress.setRange(0, 1)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat(f"fault point {min(done + 1, total)} of {total}" if total
                                else "no fault points")

    def _on_failed(self, job: AuditJob, message: str) -> None:
        first = message.strip().splitlines()[-1] if message.strip() else message
        self.status.setText(f"<span style='color:{self.theme.error}'>✗ cannot audit "
                            f"{job.modname}: {first}</span>")
        self.status.setToolTip(message)

    def _on_finished(self, job: AuditJob, report: Any) -> None:
        self.show_report(report)

    # -- showing a report ---------------------------------------------------------------
    def show_report(self, report: Any) -> None:
        self.report = report
        self._fill_matrix(report)
        self._fill_findings(report)
        bad = sum(1 for r in report.runs if not r.clean)
        points = len(report.runs) - 1
        findings = len(report.findings)
        if report.clean:
            text = (f"<b style='color:{self.theme.ok}'>✓ CLEAN</b> · {report.module}.ko · "
                    f"{points} fault point(s) · every error path unwinds completely, "
                    "in reverse order")
        else:
            text = (f"<b style='color:{self.theme.error}'>✗ {bad} unclean path(s)</b> · "
                    f"{findings} static finding(s) · {report.module}.ko · "
                    f"{points} fault point(s) · Linux {report.profile}")
        self.status.setText(text)
        self.status.setToolTip(text)
        self.findings.setVisible(bool(findings))       # "0 static findings" says it
        first_bad = next((i for i, r in enumerate(report.runs) if not r.clean), 0)
        if report.runs:
            self.matrix.selectRow(first_bad)
        self.reportShown.emit(report)

    def _fill_matrix(self, report: Any) -> None:
        m = self.matrix
        headers = [*FIXED_COLUMNS, *(cells.column_header(c) for c in report.resources)]
        m.clear()
        m.setColumnCount(len(headers))
        m.setHorizontalHeaderLabels(headers)
        m.horizontalHeaderItem(0).setToolTip("Click a row's ▶ (or press Enter) to replay "
                                             "that run in the stepper")
        m.setRowCount(len(report.runs))
        for row, run in enumerate(report.runs):
            self._fill_row(row, run, report.resources)
        self._fit()

    def _fill_row(self, row: int, run: Any, columns: list[str]) -> None:
        m = self.matrix
        label = QTableWidgetItem("▶ " + cells.row_label(run, self._file()))
        label.setToolTip(f"{cells.row_label(run)}\nClick (or press Enter) to replay this "
                         "run in the stepper: same fault, on a freshly booted kernel.")
        m.setItem(row, 0, label)
        ret = QTableWidgetItem("crash" if run.crash else cells.errno_text(run.init_ret))
        ret.setTextAlignment(Qt.AlignCenter)
        m.setItem(row, 2, ret)
        for i, column in enumerate(columns):
            m.setItem(row, len(FIXED_COLUMNS) + i, self._cell(run, column))
        symbol, text, colour = cells.verdict(run)
        item = QTableWidgetItem(f"{symbol} {text}")
        item.setForeground(QColor(getattr(self.theme, colour)))
        bold = QFont(m.font())
        bold.setBold(not run.clean)
        item.setFont(bold)
        item.setToolTip("\n".join(cells.row_problems(run)) or "every resource released in order")
        m.setItem(row, VERDICT, item)

    def _cell(self, run: Any, column: str) -> QTableWidgetItem:
        state = cells.cell_state(run, column)
        style = cells.STYLES.get(state, cells.STYLES["held"])
        item = QTableWidgetItem(f"{style.symbol} {style.word}".strip())
        item.setTextAlignment(Qt.AlignCenter)
        colour = QColor(getattr(self.theme, style.colour))
        item.setForeground(colour)
        if style.problem:
            tint = QColor(colour)
            tint.setAlpha(45)
            item.setBackground(tint)
            bold = QFont(self.matrix.font())
            bold.setBold(True)
            item.setFont(bold)
        item.setData(Qt.UserRole, state)
        item.setToolTip(cells.cell_tooltip(run, column, self._file()))
        return item

    def _fit(self) -> None:
        m = self.matrix
        m.resizeColumnsToContents()
        m.resizeRowsToContents()
        pad = px(6, self.zoom)
        for col in range(m.columnCount()):
            m.setColumnWidth(col, m.columnWidth(col) + pad)
        m.horizontalHeader().setStretchLastSection(True)     # fills, never squeezes
        # as tall as its rows (up to half the pane): the path below gets the rest
        rows = sum(m.rowHeight(r) for r in range(m.rowCount()))
        header = max(m.horizontalHeader().height(), m.horizontalHeader().sizeHint().height())
        height = header + rows + m.horizontalScrollBar().sizeHint().height() + 2 * m.frameWidth() + 4
        m.setMaximumHeight(height)          # no empty rows below the last run
        # many fault points: the matrix scrolls, the path below stays readable
        shown = min(height, max(px(160, self.zoom), int(self.split.height() * 0.62)))
        self.split.setSizes([shown, max(1, self.split.height() - shown)])

    def _fill_findings(self, report: Any) -> None:
        self.findings.clear()
        self.findings.hint = "Static checks: none found."
        for f in report.findings:
            item = QTreeWidgetItem([f"{f.file}:{f.line}", f.check, f.message])
            item.setData(0, Qt.UserRole, (f.file, f.line))
            item.setToolTip(2, f.message)
            item.setForeground(1, QColor(self.theme.warning))
            self.findings.addTopLevelItem(item)
        for col in range(2):
            self.findings.resizeColumnToContents(col)

    # -- details and clicks ------------------------------------------------------------
    def _file(self) -> str:
        source = getattr(self, "_source", None) or self.source_provider()
        return Path(source).name if source else "?"

    def selected_run(self) -> Any:
        rows = self.matrix.selectionModel().selectedRows() if self.report else []
        return self.report.runs[rows[0].row()] if rows else None

    def _show_details(self) -> None:
        run = self.selected_run()
        if run is None:
            self.details.clear()
            return
        self.details.setHtml(cells.details_html(run, self.report.resources, self._file(),
                                                self.theme))

    def _clicked(self, row: int, col: int) -> None:
        if self.report is None:
            return
        run = self.report.runs[row]
        if col == 0:
            self.replay_row(row)
            return
        index = col - len(FIXED_COLUMNS)
        if 0 <= index < len(self.report.resources):
            file, line = cells.problem_site(run, self.report.resources[index], self._file())
            if line:
                self.lineActivated.emit(file, line)

    def replay_row(self, row: int) -> None:
        if self.report is None or not 0 <= row < len(self.report.runs):
            return
        run = self.report.runs[row]
        self.replayRequested.emit(run.point, run.api, run.errno)

    def _link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("line:"):
            self.lineActivated.emit(self._file(), int(text[5:]))

    def _finding_activated(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        where = item.data(0, Qt.UserRole)
        if where and where[1]:
            self.lineActivated.emit(*where)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.matrix and event.type() == QEvent.KeyPress \
                and event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.replay_row(self.matrix.currentRow())
            return True
        return super().eventFilter(obj, event)

    # -- appearance ------------------------------------------------------------------------
    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.legend.setText(cells.legend_html(theme))
        self.key_button.setToolTip(cells.legend_html(theme).replace("&nbsp;&nbsp; ", "<br>"))
        # the style fills a selected row with Highlight behind the delegate:
        # a faint tint keeps the cells' own colours readable
        pal = self.matrix.palette()
        tint = QColor(theme.accent)
        tint.setAlpha(28)
        for group in (QPalette.Active, QPalette.Inactive):
            pal.setColor(group, QPalette.Highlight, tint)
        self.matrix.setPalette(pal)
        # links in the theme's accent (the palette's default link blue is
        # unreadable on the dark theme)
        self.details.document().setDefaultStyleSheet(f"a {{ color: {theme.accent}; }}")
        self._show_details()
        if self.report is not None:
            self.show_report(self.report)

    def set_zoom(self, factor: float) -> None:
        self.zoom = factor
        font = ui_font(factor)
        self.legend.setVisible(factor < LEGEND_MAX_ZOOM)
        self.key_button.setVisible(factor >= LEGEND_MAX_ZOOM)
        for w in (self.run_button, self.cancel_button, self.progress, self.status, self.legend,
                  self.key_button,
                  self.matrix, self.matrix.horizontalHeader(), self.findings,
                  self.findings.header(), self.details):
            w.setFont(font)
        if self.report is not None:
            selected = self.matrix.currentRow()
            self._fill_matrix(self.report)
            self._fill_findings(self.report)
            if selected >= 0:
                self.matrix.selectRow(selected)
