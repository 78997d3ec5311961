"""The workbench: what GUI features plug into, without knowing the window
or each other.

A feature is a module with ``install(bench: Workbench) -> None``.  It
declares its docks (`DockSpec`) and actions (`ActionSpec`), asks for
menus by `MenuId` (never by their visible text), uses the services the
bench holds (the bridge, settings, dialogs) and talks to other features
only through the bench's signals.  This package imports no feature; the
main window draws what the specs declare, and ``app.py`` composes.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Protocol

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QMenu, QWidget

if TYPE_CHECKING:
    from kmodgui.gui.bridge import Bridge


class MenuId(enum.Enum):
    """The menus of the menu bar, in their order; features find them by id."""
    FILE = "&File"
    EDIT = "&Edit"
    MODULE = "&Module"
    KERNEL = "&Kernel"
    DEBUG = "&Debug"
    VIEW = "&View"
    HELP = "&Help"


class Panel(Protocol):
    """What a dock's widget offers the window (zoom and theme follow it)."""
    def set_zoom(self, factor: float) -> None: ...
    def set_theme(self, theme: object) -> None: ...


@dataclass(frozen=True)
class ActionSpec:
    """One action: `id` is its objectName (stable for tests and saved
    layouts); `menu` the menu it is appended to (None: only a shortcut);
    `enabled` False draws it greyed out (its text says why)."""
    id: str
    text: str
    callback: Callable[[], object]
    menu: MenuId | None = None
    shortcut: str | None = None
    tip: str = ""
    checkable: bool = False
    separator_before: bool = False
    enabled: bool = True


@dataclass(frozen=True)
class DockSpec:
    """One dock: `object_name` is stable (saved layouts use it); `tab_with`
    names the dock it is tabbed behind in the default layout; `essential`
    docks stay in presentation mode; `factory` makes its widget (None: the
    window makes it).

    What the layouts are computed from (gui/docks.py):
      `width_chars`: the width the pane reads well at, in average characters
        of the interface font (a side column is as wide as its widest pane,
        within a share of the window);
      `share`: its part of its column's height (or of the bottom row's width)
        beside the other panes there;
      `presentation_area` / `presentation_tab_with`: where an essential dock
        goes in presentation mode (default: `area` / `tab_with`).
    """
    object_name: str
    title: str
    area: Qt.DockWidgetArea
    factory: Callable[["Bridge"], QWidget] | None = None
    tab_with: str | None = None
    essential: bool = False
    width_chars: int = 36
    share: float = 1.0
    presentation_area: Qt.DockWidgetArea | None = None
    presentation_tab_with: str | None = None

    def placement(self, presenting: bool) -> tuple[Qt.DockWidgetArea, str | None]:
        """(area, dock it is tabbed behind) in the default or presentation layout."""
        if not presenting:
            return self.area, self.tab_with
        if self.presentation_area is None and self.presentation_tab_with is None:
            return self.area, self.tab_with
        return self.presentation_area or self.area, self.presentation_tab_with


@dataclass
class Registry:
    """What features declared, in installation order."""
    docks: list[DockSpec] = field(default_factory=list)
    actions: list[ActionSpec] = field(default_factory=list)


class Workbench(QObject):
    """The services features need and the requests they exchange.

    Signals:
        openSourceAt(str, int): show FILE at LINE in the source view
            (a timeline event, a resource site, an audit cell).
        replayAuditRow(int, str, int): replay the audit's run POINT (the
            fail-nth index) failing API with ERRNO under the debugger.
        themeChanged(object): the window's theme changed (a gui.theme.Theme).
        zoomChanged(float): the window's zoom factor changed.
        presentationChanged(bool): presentation mode entered (True: emitted
            once the essential docks are placed, so a feature may rearrange)
            or left (False: the saved layout is back).
    """
    openSourceAt = Signal(str, int)
    replayAuditRow = Signal(int, str, int)
    themeChanged = Signal(object)
    zoomChanged = Signal(float)
    presentationChanged = Signal(bool)

    def __init__(self, bridge: "Bridge", settings: QSettings,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings
        self.registry = Registry()
        self._menus: dict[MenuId, QMenu] = {}
        self._widgets: dict[str, QWidget] = {}
        #: dialogs, set by the window, replaceable in tests
        self.confirm: Callable[[str, str], bool] = lambda _title, _text: False
        self.ask: Callable[[str, str, str], str | None] = lambda _t, _l, _d: None
        #: run a shell line as if typed in the Shell (the window points it there)
        self.run_line: Callable[[str], None] = lambda line: bridge.run_line(line, "shell")

    # -- declarations ------------------------------------------------------------
    def add_dock(self, spec: DockSpec) -> None:
        if any(d.object_name == spec.object_name for d in self.registry.docks):
            raise ValueError(f"dock {spec.object_name} declared twice")
        self.registry.docks.append(spec)

    def add_action(self, spec: ActionSpec) -> None:
        self.registry.actions.append(spec)

    # -- what the window fills in -------------------------------------------------
    def set_menu(self, menu_id: MenuId, menu: QMenu) -> None:
        self._menus[menu_id] = menu

    def menu(self, menu_id: MenuId) -> QMenu:
        """The menu `menu_id` (KeyError if the window drew none)."""
        return self._menus[menu_id]

    def set_widget(self, object_name: str, widget: QWidget) -> None:
        self._widgets[object_name] = widget

    def widget(self, object_name: str) -> QWidget:
        """The widget a dock's factory made."""
        return self._widgets[object_name]
