"""A whole new dock panel in one file: it imports the workbench and the
bridge only, and declares itself with install(bench)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kmodgui.gui.bridge import Bridge
from kmodgui.gui.workbench import ActionSpec, DockSpec, MenuId, Workbench


class CommandsPanel(QLabel):
    """Counts the commands the session finished."""

    def __init__(self, bridge: Bridge) -> None:
        super().__init__("0 commands")
        self.setObjectName("commandsPanel")
        self.count = 0
        bridge.commandFinished.connect(self._finished)

    def _finished(self, _line: str, _origin: str, _result: object) -> None:
        self.count += 1
        self.setText(f"{self.count} commands")

    def set_zoom(self, factor: float) -> None:
        self.setProperty("zoom", factor)

    def set_theme(self, theme: object) -> None:
        self.setProperty("themed", True)


def install(bench: Workbench) -> None:
    bench.add_dock(DockSpec("dockCommands", "Commands", Qt.RightDockWidgetArea,
                            CommandsPanel, tab_with="dockShell"))
    bench.add_action(ActionSpec("actionCountLsmod", "Run lsmod (counted)",
                                lambda: bench.run_line("lsmod"), MenuId.MODULE,
                                separator_before=True))
