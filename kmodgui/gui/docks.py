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
}
#: hidden in presentation mode: the lecture needs source, modules, log, shell.
NON_ESSENTIAL = ("dockResources", "dockKconfig")


def make_docks(win: "MainWindow", panels: dict[str, QWidget]) -> dict[str, QDockWidget]:
    docks = {}
    for name, (title, _area) in DOCKS.items():
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
    for name, (_title, area) in DOCKS.items():
        dock = win.docks[name]
        dock.setFloating(False)
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
    for name in NON_ESSENTIAL:
        d[name].hide()
    win.addDockWidget(Qt.LeftDockWidgetArea, d["dockModules"])
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
