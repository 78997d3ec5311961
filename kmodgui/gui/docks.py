"""The panels as dock widgets, and the default arrangement:

    +-----------+--------------------------+-------------+
    | Modules   |                          |   dmesg     |
    | Resources |   Source (central)       |             |
    | Kconfig   +--------------------------+-------------+
    |           |   Timeline               |   Shell     |
    +-----------+--------------------------+-------------+
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget

if TYPE_CHECKING:
    from kmodgui.gui.mainwindow import MainWindow

# objectName -> (title, area); the names are stable: saved layouts use them.
DOCKS = {
    "dockModules": ("Modules", Qt.LeftDockWidgetArea),
    "dockResources": ("Resources", Qt.LeftDockWidgetArea),
    "dockKconfig": ("Kconfig", Qt.LeftDockWidgetArea),
    "dockDmesg": ("dmesg", Qt.RightDockWidgetArea),
    "dockShell": ("Shell", Qt.RightDockWidgetArea),
    "dockTimeline": ("Timeline", Qt.BottomDockWidgetArea),
    "dockCallStack": ("Call stack", Qt.LeftDockWidgetArea),     # gui/debug
    "dockPaths": ("Paths", Qt.BottomDockWidgetArea),            # gui/debug
    "dockAudit": ("Audit", Qt.BottomDockWidgetArea),            # gui/audit
    "dockLessons": ("Lessons", Qt.RightDockWidgetArea),         # gui/lessons
}
#: (shown, tabbed behind it) pairs of the default layout.
TABBED = [("dockKconfig", "dockCallStack"), ("dockTimeline", "dockPaths"),
          ("dockTimeline", "dockAudit"), ("dockDmesg", "dockLessons")]
#: hidden in presentation mode: the lecture needs source, modules, log, shell.
NON_ESSENTIAL = ("dockResources", "dockKconfig", "dockCallStack", "dockPaths", "dockAudit")


def _placements(win: "MainWindow") -> list[tuple[str, str, Qt.DockWidgetArea, str | None]]:
    """(objectName, title, area, tabbed behind) of every dock: the window's
    own table, then the DockSpecs features declared on the workbench."""
    behind = {b: front for front, b in TABBED}
    own = [(name, title, area, behind.get(name)) for name, (title, area) in DOCKS.items()]
    return own + [(s.object_name, s.title, s.area, s.tab_with) for s in win.bench.registry.docks]


def make_docks(win: "MainWindow", panels: dict[str, QWidget]) -> dict[str, QDockWidget]:
    for spec in win.bench.registry.docks:
        panels[spec.object_name] = spec.factory(win.bridge)
    docks = {}
    for name, title, _area, _behind in _placements(win):
        win.bench.set_widget(name, panels[name])
        dock = QDockWidget(title, win)
        dock.setObjectName(name)
        dock.setWidget(panels[name])
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable
                         | QDockWidget.DockWidgetFloatable)
        docks[name] = dock
    return docks


def default_layout(win: "MainWindow") -> None:
    """Place every dock where DOCKS says, visible, with sensible sizes."""
    win.setCorner(Qt.BottomLeftCorner, Qt.LeftDockWidgetArea)
    win.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)
    for dock in win.docks.values():     # out of any tab group first, or Qt leaves
        win.removeDockWidget(dock)      # the old groups' tab bars on screen
    for name, _title, area, front in _placements(win):
        dock = win.docks[name]
        dock.setFloating(False)
        if front in win.docks:                  # a tab at once: side by side, their
            win.tabifyDockWidget(win.docks[front], dock)          # widths would add up
        else:
            win.addDockWidget(area, dock)
        dock.show()
    d = win.docks
    width, height = max(win.width(), 1000), max(win.height(), 700)
    win.resizeDocks([d["dockModules"], d["dockDmesg"]],
                    [int(width * 0.21), int(width * 0.36)], Qt.Horizontal)
    win.resizeDocks([d["dockModules"], d["dockResources"], d["dockKconfig"]],
                    [int(height * 0.34), int(height * 0.28), int(height * 0.38)], Qt.Vertical)
    win.resizeDocks([d["dockDmesg"], d["dockShell"]],
                    [int(height * 0.55), int(height * 0.45)], Qt.Vertical)
    win.resizeDocks([d["dockTimeline"]], [int(height * 0.36)], Qt.Vertical)
    for front, _behind in TABBED:
        if front in d:
            d[front].raise_()
    tidy_tab_bars(win)


def tidy_tab_bars(win: "MainWindow") -> None:
    """Dock tab bars after docks moved: Qt 6 leaves the tab bar of a
    dissolved tab group on screen (over other panes), so hide every bar that
    is not right under the shown dock of a current group with the same
    titles; and new bars take the window's (zoomed) font."""
    from PySide6.QtWidgets import QTabBar
    win.layout().activate()
    shown = []
    for dock in win.docks.values():
        group = [dock] + win.tabifiedDockWidgets(dock)
        if dock.isVisible() and len(group) > 1:
            shown.append((frozenset(w.windowTitle() for w in group if not w.isHidden()),
                          dock.geometry()))
    for bar in win.findChildren(QTabBar, options=Qt.FindDirectChildrenOnly):
        if not bar.isVisible():
            continue
        titles = frozenset(bar.tabText(i) for i in range(bar.count()))
        g = bar.geometry()
        if not any(t == titles and abs(g.top() - r.bottom()) <= g.height() and
                   r.left() - 2 <= g.left() <= r.right() for t, r in shown):
            bar.hide()
        else:
            bar.setFont(win.font())


def presentation_layout(win: "MainWindow") -> None:
    """For a projector: the source big in the middle, dmesg wide below it
    (the timeline one tab away), modules and the shell on the left; the
    non-essential docks hidden.  Leaving restores the saved state.

        +-----------+-------------------------------+
        | Modules   |   Source                      |
        +-----------+                               |
        | Shell     +-------------------------------+
        |           |   dmesg | Timeline            |
        +-----------+-------------------------------+
    """
    d = win.docks
    for dock in d.values():             # every dock out of its tab group (or Qt leaves
        win.removeDockWidget(dock)      # the old groups' tab bars on screen), hidden:
    win.addDockWidget(Qt.LeftDockWidgetArea, d["dockModules"])   # the essential come back
    win.addDockWidget(Qt.LeftDockWidgetArea, d["dockShell"])
    win.addDockWidget(Qt.BottomDockWidgetArea, d["dockDmesg"])
    win.tabifyDockWidget(d["dockDmesg"], d["dockTimeline"])
    for name in ("dockModules", "dockShell", "dockDmesg", "dockTimeline"):
        d[name].show()
    d["dockDmesg"].raise_()
    width, height = max(win.width(), 1000), max(win.height(), 700)
    win.resizeDocks([d["dockModules"]], [int(width * 0.3)], Qt.Horizontal)
    win.resizeDocks([d["dockModules"], d["dockShell"]],
                    [int(height * 0.35), int(height * 0.65)], Qt.Vertical)
    win.resizeDocks([d["dockDmesg"]], [int(height * 0.38)], Qt.Vertical)
    for spec in win.bench.registry.docks:       # features' docks: only the essential
        if spec.essential:
            win.addDockWidget(spec.area, d[spec.object_name])
            d[spec.object_name].show()
    win.bench.presentationChanged.emit(True)   # features adjust (e.g. gui/lessons)
    tidy_tab_bars(win)
