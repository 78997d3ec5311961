"""The main window: central source view, the six docks, toolbar, menus,
and what persists between runs (layout, zoom, recent files).
"""
from __future__ import annotations

import gc

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (QApplication, QInputDialog, QLabel, QMainWindow,
                               QMenu, QMessageBox, QSizePolicy, QTabBar, QToolTip,
                               QVBoxLayout, QWidget)

from kmodgui.gui import actions, docks, theme as themes
from kmodgui.gui import editing
from kmodgui.gui import audit, export, lessons
from kmodgui.gui.audit import AuditPanel
from kmodgui.gui.bridge import Bridge
from kmodgui.gui.debug import DebugController
from kmodgui.gui.commands import CommandsMixin
from kmodgui.gui.lessons import LessonsPanel
from kmodgui.gui.panels.dmesg import DmesgPanel
from kmodgui.gui.panels.kconfig import KconfigPanel
from kmodgui.gui.panels.modules import ModulesPanel
from kmodgui.gui.panels.resources import ResourcesPanel
from kmodgui.gui.panels.shell import ShellPanel
from kmodgui.gui.panels.timeline import TimelinePanel
from kmodgui.gui.settings import zoom_factor
from kmodgui.gui.source.view import SourceView
from kmodgui.gui.workbench import ActionSpec, Workbench
from kmodgui.gui.zoom import PRESENTATION_ZOOM, clamp, step, ui_font

#: a feature: declares its docks and actions on the workbench
Feature = Callable[[Workbench], None]

LAYOUT_VERSION = 1


def _freeze_startup_heap() -> None:
    """What exists once the first window is up (Qt wrappers, pyqtgraph,
    numpy, the booted kernel) lives as long as the process: move it out of
    the cyclic collector's full passes, whose pause otherwise grows with
    everything ever imported (60 ms and more during a printk flood).
    Once per process, so later windows' garbage is still collected."""
    global _HEAP_FROZEN
    if not _HEAP_FROZEN:
        _HEAP_FROZEN = True
        gc.freeze()


_HEAP_FROZEN = False


class MainWindow(CommandsMixin, QMainWindow):
    #: emitted once, after the first frame was painted (benchmarks, lazy imports).
    firstFrame = Signal()

    def __init__(self, session: Any, settings: QSettings, *,
                 follow_system_theme: bool = True, profile: str = "6.1",
                 features: tuple[Feature, ...] = ()) -> None:
        """`session` is a Session, or a factory called after the first frame;
        `features` are installed on the workbench before the docks are drawn."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings
        self.bridge = Bridge(session, profile=profile, parent=self)
        self.theme = themes.system_theme() if follow_system_theme else themes.LIGHT
        self.zoom = 1.0
        self.presenting = False
        self._before_presentation: tuple[QByteArray, float] | None = None
        self._first_frame_seen = False
        self._build_after_first_frame = False
        self.source_path: Path | None = None
        #: dialogs, replaceable in tests: confirm(title, text) -> bool, ask(title, label, default) -> str | None
        self.confirm: Callable[[str, str], bool] = self._confirm_dialog
        self.ask: Callable[[str, str, str], str | None] = self._ask_dialog
        self.bench = Workbench(self.bridge, settings, parent=self)
        self.bench.confirm = lambda title, text: self.confirm(title, text)
        self.bench.ask = lambda title, label, default: self.ask(title, label, default)
        for install in features:
            install(self.bench)
        self._build_ui()
        self._connect()
        self.setAcceptDrops(True)
        self.source.viewport().installEventFilter(self)
        self.resize(1600, 1000)
        docks.default_layout(self)
        self.restore_settings()

    # -- construction ------------------------------------------------------------
    def _build_ui(self) -> None:
        self.source = SourceView(self)
        self.source_header = QLabel(self)
        self.source_header.setObjectName("sourceHeader")
        self.source_header.setMargin(6)
        # long text must not set the window's minimum width
        self.source_header.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        central = QWidget(self)
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.source_header)
        lay.addWidget(self.source, 1)
        self.setCentralWidget(central)
        b = self.bridge
        self.panels: dict[str, QWidget] = {
            "dockModules": ModulesPanel(b), "dockResources": ResourcesPanel(b),
            "dockKconfig": KconfigPanel(b), "dockDmesg": DmesgPanel(b),
            "dockShell": ShellPanel(b), "dockTimeline": TimelinePanel(b),
            "dockAudit": AuditPanel(b), "dockLessons": LessonsPanel(b)}
        self.panels["dockKconfig"].confirm = lambda text: self.confirm("Reconfigure kernel", text)
        self.debug = DebugController(self)      # adds the Call stack and Paths panels
        self.docks = docks.make_docks(self, self.panels)
        self.bench.run_line = self.shell.run
        self.acts = actions.create_actions(self)
        self.toolbar = actions.create_toolbar(self, self.acts)
        self.addToolBar(self.toolbar)
        actions.create_menus(self, self.acts)
        for spec in self.bench.registry.actions:
            self._draw_action(spec)
        self.editing = editing.attach(self)     # Save/Edit menus, find bar, file safety
        self.debug.install()                    # Debug menu, toolbar, caption strip
        for extra in (audit, lessons, export):  # gui/audit, gui/lessons, gui/export
            extra.install(self)
        actions.fill_view_menu(self, self.acts)
        self.hint = QLabel(actions.HINT, self)
        self.hint.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.kernel_label = QLabel(self)
        self.statusBar().addWidget(self.hint, 1)
        self.statusBar().addPermanentWidget(self.kernel_label)

    def _draw_action(self, spec: ActionSpec) -> None:
        """An ActionSpec as a QAction, in its menu."""
        act = actions.make_action(self, spec.id, spec.text, spec.callback, spec.shortcut, spec.tip)
        act.setCheckable(spec.checkable)
        act.setEnabled(spec.enabled)
        self.acts[spec.id] = act
        if spec.menu is not None:
            menu = self.bench.menu(spec.menu)
            if spec.separator_before:
                menu.addSeparator()
            menu.addAction(act)

    @property
    def modules_panel(self) -> ModulesPanel:
        return self.panels["dockModules"]

    @property
    def dmesg(self) -> DmesgPanel:
        return self.panels["dockDmesg"]

    @property
    def shell(self) -> ShellPanel:
        return self.panels["dockShell"]

    @property
    def timeline(self) -> TimelinePanel:
        return self.panels["dockTimeline"]

    @property
    def resources(self) -> ResourcesPanel:
        return self.panels["dockResources"]

    @property
    def kconfig(self) -> KconfigPanel:
        return self.panels["dockKconfig"]

    def _connect(self) -> None:
        b = self.bridge
        b.stateChanged.connect(self.on_state_changed)
        b.busyChanged.connect(self._on_busy)
        b.booted.connect(lambda _ev: self.on_booted())
        b.buildFinished.connect(self.on_build_finished)
        self.timeline.eventActivated.connect(self.goto_event)
        self.resources.siteActivated.connect(lambda f, line: self.goto_event(-1, f, line))
        hints = QApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(lambda _s: self._system_scheme_changed())
        self.on_booted()

    # -- first frame: then load what may wait (pyqtgraph) -----------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """The source view's first paint is the window's first frame."""
        if event.type() == QEvent.Paint and not self._first_frame_seen:
            self._first_frame_seen = True
            self.source.viewport().removeEventFilter(self)
            QTimer.singleShot(0, self._after_first_frame)
        return False

    def _after_first_frame(self) -> None:
        self.firstFrame.emit()
        self.finish_startup()

    def finish_startup(self) -> None:
        """What waits for the first frame: boot the kernel, build the open
        module, import pyqtgraph for the timeline.  Idempotent."""
        self.bridge.start_engine()
        if self._build_after_first_frame:
            self._build_after_first_frame = False
            self.build(quiet=True)
        self.timeline.ensure_plot()
        _freeze_startup_heap()

    # -- zoom, theme, presentation ---------------------------------------------------
    def set_zoom(self, factor: float, persist: bool = True) -> None:
        """Scale every pane: fonts, plot fonts and pens, gutters, toolbar."""
        self.zoom = clamp(factor)
        font = ui_font(self.zoom)
        QToolTip.setFont(font)
        chrome = [self, self.menuBar(), self.toolbar, self.statusBar(), self.source_header,
                  self.hint, self.kernel_label, *self.toolbar.findChildren(QWidget),
                  *self.findChildren(QMenu), *self.findChildren(QTabBar)]
        for w in chrome:
            w.setFont(font)
        for dock in self.docks.values():
            dock.setFont(font)
        self.source.set_zoom(self.zoom)
        for panel in self.panels.values():
            panel.set_zoom(self.zoom)
        self.setStyleSheet(themes.stylesheet(self.theme, self.zoom))
        self.bench.zoomChanged.emit(self.zoom)
        if persist and not self.presenting:
            self.settings.setValue("zoom", self.zoom)

    def zoom_step(self, direction: int) -> None:
        self.set_zoom(step(self.zoom, direction))

    def set_theme(self, theme: themes.Theme) -> None:
        self.theme = theme
        QApplication.instance().setPalette(themes.palette_for(theme))
        self.source.set_theme(theme)
        for panel in self.panels.values():
            panel.set_theme(theme)
        self.setStyleSheet(themes.stylesheet(theme, self.zoom))
        self._update_header()
        self.bench.themeChanged.emit(theme)

    def _system_scheme_changed(self) -> None:
        if not self.presenting:
            self.set_theme(themes.system_theme())

    def toggle_presentation(self) -> None:
        self.leave_presentation() if self.presenting else self.enter_presentation()

    def enter_presentation(self) -> None:
        """Bigger zoom, high contrast, only the essential docks."""
        if self.presenting:
            return
        self._before_presentation = (self.saveState(LAYOUT_VERSION), self.zoom)
        self.presenting = True
        self.acts["presentation"].setChecked(True)
        self.acts["leave_presentation"].setEnabled(True)
        self.set_theme(themes.HIGH_CONTRAST)
        docks.presentation_layout(self)
        self.set_zoom(max(PRESENTATION_ZOOM, self.zoom * 1.3), persist=False)
        self.statusBar().showMessage("Presentation mode: Esc leaves", 4000)

    def leave_presentation(self) -> None:
        if not self.presenting:
            return
        self.presenting = False
        self.acts["presentation"].setChecked(False)
        self.acts["leave_presentation"].setEnabled(False)
        state, zoom = self._before_presentation or (QByteArray(), 1.0)
        self.set_theme(themes.system_theme())
        self.set_zoom(zoom, persist=False)
        self.restoreState(state, LAYOUT_VERSION)
        docks.tidy_tab_bars(self)
        self.bench.presentationChanged.emit(False)

    # -- layout persistence ---------------------------------------------------------
    def reset_layout(self) -> None:
        docks.default_layout(self)

    def save_settings(self) -> None:
        if self.presenting:
            self.leave_presentation()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState(LAYOUT_VERSION))
        self.settings.setValue("zoom", self.zoom)
        self.settings.sync()

    def restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("windowState")
        if isinstance(state, QByteArray):
            self.restoreState(state, LAYOUT_VERSION)
        self.set_theme(self.theme)
        self.set_zoom(zoom_factor(self.settings), persist=False)
        actions.fill_recent(self, self._recent())

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.editing.confirm_close():    # unsaved edits: Save / Discard / Cancel
            event.ignore()
            return
        self.bridge.cancel()
        self.save_settings()
        super().closeEvent(event)

    # -- dialogs (replaced in tests) ----------------------------------------------------
    def _confirm_dialog(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.Yes | QMessageBox.Cancel,
                                      QMessageBox.Cancel)
        return answer == QMessageBox.Yes

    def _ask_dialog(self, title: str, label: str, default: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label, text=default)
        return text if ok else None
