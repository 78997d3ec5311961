"""The main window: central source view, the six docks, toolbar, menus,
and what persists between runs (layout, zoom, recent files).
"""
from __future__ import annotations

import gc

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QResizeEvent, QShowEvent
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
from kmodgui.gui.workbench.focus import FocusKeeper, dialog_of
from kmodgui.gui.zoom import PRESENTATION_ZOOM, STEPS, clamp, step, ui_font

#: a feature: declares its docks and actions on the workbench
Feature = Callable[[Workbench], None]

LAYOUT_VERSION = 1
#: the first window's size when the screen has room for it
PREFERRED_SIZE = QSize(1600, 1000)
#: how long after the first show a fresh layout follows the window's size
FRESH_LAYOUT_MS = 1500
#: what a window manager's frame (title bar, borders) takes around the window
FRAME_ALLOWANCE = QSize(8, 36)


def fitted_geometry(available: QRect, preferred: QSize = PREFERRED_SIZE) -> QRect:
    """The first window: the preferred size, or the whole available screen
    (less a window frame) when that is smaller, centred on it."""
    w = min(preferred.width(), available.width() - FRAME_ALLOWANCE.width())
    h = min(preferred.height(), available.height() - FRAME_ALLOWANCE.height())
    rect = QRect(0, 0, max(w, 320), max(h, 240))
    rect.moveCenter(available.center())
    rect.moveTop(max(available.top(), rect.top()))
    return rect


def _warm_plot_imports() -> None:
    """What the timeline's plot imports (numpy, pyqtgraph): loaded on the
    boot's worker thread, so that making the plot on the GUI thread is quick."""
    import kmodgui.gui.panels.timeline_plot  # noqa: F401


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
    #: booted, the open module built, the timeline's plot made (once)
    startupFinished = Signal()

    def __init__(self, session: Any, settings: QSettings, *,
                 follow_system_theme: bool = True, profile: str = "6.1",
                 features: tuple[Feature, ...] = (), screen_area: QRect | None = None) -> None:
        """`session` is a Session, or a factory called after the first frame;
        `features` are installed on the workbench before the docks are drawn;
        `screen_area` is the screen's available area (default: the primary
        screen's), which the first window fits."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings
        self.bridge = Bridge(session, profile=profile, parent=self)
        self.theme = themes.system_theme() if follow_system_theme else themes.LIGHT
        self.zoom = 1.0
        self.presenting = False
        self.presentation_zoom = PRESENTATION_ZOOM      # chosen for the window's size
        self.presentation_stack = True                  # and whether its row stacks
        self._before_presentation: tuple[QByteArray, float] | None = None
        self._first_frame_seen = False
        self._build_after_first_frame = False
        self._startup_finished = False
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
        self.focus_keeper = FocusKeeper(self)     # focus back after any dialog
        self.source.viewport().installEventFilter(self)
        #: no saved layout: the default one follows the window's first sizes
        #: (shown, then maximized by the window manager)
        self._fresh_layout = True
        self._relayout = QTimer(self, singleShot=True, interval=0)
        self._relayout.timeout.connect(self._fresh_relayout)
        self.screen_area = screen_area or self._screen_area()
        self.fit_screen(self.screen_area)
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
        central.installEventFilter(self)
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
        self.hint.setObjectName("keyHint")
        self.hint.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.kernel_label = QLabel(self)
        self.statusBar().messageChanged.connect(self._show_message)
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
            # a bound slot of this window: Qt drops the connection with it (a
            # lambda would keep the closed window alive as long as the app)
            hints.colorSchemeChanged.connect(self._system_scheme_changed)
        self.on_booted()

    # -- first frame: then load what may wait (pyqtgraph) -----------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """The source view's first paint is the window's first frame; the
        central widget's size or contents changed: the caption yields."""
        if obj is self.centralWidget():
            if event.type() in (QEvent.Resize, QEvent.LayoutRequest):
                self._fit_central()
            return False
        if event.type() == QEvent.Paint and not self._first_frame_seen:
            self._first_frame_seen = True
            self.source.viewport().removeEventFilter(self)
            QTimer.singleShot(0, self._after_first_frame)
        return False

    def _after_first_frame(self) -> None:
        self.firstFrame.emit()
        self.start_in_background()

    def start_in_background(self) -> None:
        """finish_startup() without freezing the window: the boot, the
        quiet build of the open module and the import of the plot's
        modules run on the bridge's worker thread; the plot is made on
        the GUI thread when they are done (see _on_engine_ready)."""
        if self.bridge.ready or self.bridge.booting:
            return self.finish_startup()
        source = self.source_path if self._build_after_first_frame else None
        self._build_after_first_frame = False
        self.bridge.engineReady.connect(self._on_engine_ready)
        self.bridge.boot_in_background(source, then=_warm_plot_imports)

    def _on_engine_ready(self) -> None:
        QTimer.singleShot(0, self.finish_startup)

    def finish_startup(self) -> None:
        """What waits for the first frame: boot the kernel, build the open
        module, import pyqtgraph for the timeline.  Idempotent."""
        self.bridge.start_engine()
        if self._build_after_first_frame:
            self._build_after_first_frame = False
            self.build(quiet=True)
        self.timeline.ensure_plot()
        if not self._startup_finished:
            self._startup_finished = True
            _freeze_startup_heap()
            self.startupFinished.emit()

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
        """Ctrl+= / Ctrl+-: one step, but never so big that the source
        shows fewer than MIN_SOURCE_LINES lines (the bottom row gives way
        first; when it cannot, the zoom stays)."""
        before = self.zoom
        self.set_zoom(step(self.zoom, direction), persist=False)
        if direction > 0 and not docks.keep_source_lines(self, docks.MIN_SOURCE_LINES):
            self.set_zoom(before, persist=False)
            docks.keep_source_lines(self, docks.MIN_SOURCE_LINES)
            self.statusBar().showMessage(
                f"Zoom stays at {round(before * 100)}%: larger, the source would show fewer "
                f"than {docks.MIN_SOURCE_LINES} lines in this window", 6000)
        if not self.presenting:
            self.settings.setValue("zoom", self.zoom)

    def reset_zoom(self) -> None:
        """Ctrl+0: the mode's own size (presentation mode keeps its large text)."""
        self.set_zoom(self.presentation_zoom if self.presenting else 1.0)
        docks.keep_source_lines(self, docks.PRESENTATION_SOURCE_LINES if self.presenting
                                else docks.MIN_SOURCE_LINES)

    # -- the window on its screen ------------------------------------------------------
    def _screen_area(self) -> QRect:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1600, 1000)

    def fit_screen(self, available: QRect) -> None:
        """The first window fits the screen's available area."""
        self.setGeometry(fitted_geometry(available))
        self.start_maximized = (available.width() < PREFERRED_SIZE.width()
                                or available.height() < PREFERRED_SIZE.height())

    def _show_message(self, text: str) -> None:
        """A status message takes the key hint's place (never drawn over it)."""
        self.hint.setVisible(not text)

    def _fit_central(self) -> None:
        """The panes under the source (the step caption) get what is left
        once the source has MIN_SOURCE_LINES lines: a growing caption is
        cut, the source never."""
        central = self.centralWidget()
        lay = central.layout() if central is not None else None
        if lay is None:
            return
        fm_line = self.source.line_height()
        need = int(docks.MIN_SOURCE_LINES * fm_line + 2 * self.source.frameWidth()
                   + self.source.document().documentMargin() * 2
                   + self.source.horizontalScrollBar().sizeHint().height())
        others = [lay.itemAt(i).widget() for i in range(lay.count())]
        others = [w for w in others if w is not None and w is not self.source]
        fixed = sum(w.sizeHint().height() for w in others
                    if w.isVisible() and w is self.source_header)
        budget = max(0, central.height() - need - fixed)
        for w in others:
            if w is not self.source_header:
                w.setMaximumHeight(max(budget, 1))

    def set_theme(self, theme: themes.Theme) -> None:
        self.theme = theme
        QApplication.instance().setPalette(themes.palette_for(theme))
        self.source.set_theme(theme)
        for panel in self.panels.values():
            panel.set_theme(theme)
        self.setStyleSheet(themes.stylesheet(theme, self.zoom))
        self._update_header()
        self.bench.themeChanged.emit(theme)

    def _system_scheme_changed(self, _scheme: object = None) -> None:
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
        self.presentation_zoom = self._fit_presentation_zoom(max(PRESENTATION_ZOOM,
                                                                 self.zoom * 1.3))
        docks.presentation_layout(self, reserve_lines=self._caption_lines(),
                                  stack=self.presentation_stack)
        self.statusBar().showMessage("Presentation mode: Esc leaves", 4000)

    def _fit_presentation_zoom(self, largest: float) -> float:
        """The largest zoom step up to `largest` at which the presentation
        layout shows PRESENTATION_COLUMNS columns and PRESENTATION_SOURCE_LINES
        lines beside a visible step caption and a readable dmesg; at each,
        with the bottom row's panes stacked two high where they would be
        too narrow side by side, else side by side."""
        candidates = sorted((z for z in STEPS if 1.0 <= z <= largest), reverse=True) or [1.0]
        for zoom in candidates:
            self.set_zoom(zoom, persist=False)
            for stack in (True, False):
                self.presentation_stack = stack
                docks.arrange(self, presenting=True, stack=stack)
                docks.keep_source_lines(self, docks.PRESENTATION_SOURCE_LINES
                                        + self._caption_lines())
                if self._presentation_fits():
                    return zoom
        return candidates[-1]

    def _caption_lines(self) -> int:
        """Source lines the step caption takes when it shows (it is hidden
        until a debug session starts)."""
        caption = getattr(getattr(self, "debug", None), "caption_bar", None)
        if caption is None or not caption.isHidden():
            return 0
        return int(caption.sizeHint().height() // max(1.0, self.source.line_height()) + 1)

    def _presentation_fits(self) -> bool:
        lines, columns = docks.source_capacity(self.source)
        lines -= self._caption_lines()
        dmesg = self.docks["dockDmesg"]
        return (lines >= docks.PRESENTATION_SOURCE_LINES and
                columns >= docks.PRESENTATION_COLUMNS and
                dmesg.isVisible() and dmesg.height() >= 5 * self.fontMetrics().lineSpacing())

    def leave_presentation(self) -> None:
        if not self.presenting:
            return
        self.presenting = False
        self.presentation_zoom = PRESENTATION_ZOOM      # chosen for the window's size
        self.acts["presentation"].setChecked(False)
        self.acts["leave_presentation"].setEnabled(False)
        state, zoom = self._before_presentation or (QByteArray(), 1.0)
        self.set_theme(themes.system_theme())
        self.set_zoom(zoom, persist=False)
        self.restoreState(state, LAYOUT_VERSION)
        docks.tidy_tab_bars(self)
        self.bench.presentationChanged.emit(False)

    # -- layout persistence ---------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fresh_layout:
            self._fresh_relayout()
            # with the window as context: cancelled if it closes first
            QTimer.singleShot(FRESH_LAYOUT_MS, self, self._layout_settled)

    def _layout_settled(self) -> None:
        self._fresh_layout = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fresh_layout and self.isVisible():
            self._relayout.start()

    def _fresh_relayout(self) -> None:
        if self.presenting:
            return
        docks.default_layout(self)

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
            if not self.screen_area.contains(self.geometry()):   # saved on a larger screen
                self.fit_screen(self.screen_area)
        state = self.settings.value("windowState")
        if isinstance(state, QByteArray):
            self._fresh_layout = not self.restoreState(state, LAYOUT_VERSION)
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
        with dialog_of(self):
            answer = QMessageBox.question(self, title, text, QMessageBox.Yes | QMessageBox.Cancel,
                                          QMessageBox.Cancel)
        return answer == QMessageBox.Yes

    def _ask_dialog(self, title: str, label: str, default: str) -> str | None:
        with dialog_of(self):
            text, ok = QInputDialog.getText(self, title, label, text=default)
        return text if ok else None
