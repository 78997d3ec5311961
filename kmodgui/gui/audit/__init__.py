"""The Audit pane (issue 5): the unwind audit's matrix in the window.

`install(win)` wires the pane (created with the other panes, dock
"dockAudit") into the window: the open module, clicks to source lines,
replays in the stepper, the Module → Audit error paths action.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject

from kmodgui.gui.audit.panel import AuditPanel
from kmodgui.gui.workbench import MenuId

if TYPE_CHECKING:
    from kmodgui.gui.mainwindow import MainWindow

__all__ = ["AuditPanel", "install", "replay"]

DOCK = "dockAudit"


def install(win: "MainWindow") -> None:
    from kmodgui.gui.actions import make_action
    panel: AuditPanel = win.panels[DOCK]
    panel.source_provider = lambda: win.source_path
    win.docks[DOCK].visibilityChanged.connect(panel.on_visibility)
    panel.lineActivated.connect(lambda file, line: win.goto_event(-1, file, line))
    panel.replayRequested.connect(lambda point, api, errno: replay(win, point, api, errno))
    act = make_action(win, "actionAudit", "Audit error paths", lambda: show_and_run(win),
                      "Ctrl+Shift+A", "Try every error path of init (fail-nth sweep) "
                      "and judge each unwind")
    win.acts["audit"] = act
    module_menu = win.bench.menu(MenuId.MODULE)
    module_menu.addSeparator()
    module_menu.addAction(act)
    _CloseWatcher(win, panel)


def show_and_run(win: "MainWindow") -> None:
    dock = win.docks[DOCK]
    dock.show()
    dock.raise_()
    win.panels[DOCK].run_audit()


def replay(win: "MainWindow", point: int, api: str, errno: int) -> None:
    """Replay one audited run in the stepper: a freshly booted kernel (as the
    sweep used), the same fail-nth fault, insmod under the debugger.

    The window's debug controller (gui/debug) does it when it can
    (`replay_fault`: it pauses at the failing call, so F10 shows the unwind);
    otherwise the lines go through the Shell, as typed: `inject nth N ERRNO`
    then `debug insmod NAME.ko` (step on with next / step / continue)."""
    from kmodgui.userspace.errnos import errno_name
    name = win.module()
    if not name:
        return
    controller = getattr(win, "debug", None)
    if getattr(controller, "active", False) and hasattr(controller, "stop_debugging"):
        controller.stop_debugging()
    loaded = len(win.bridge.modules())
    if loaded and not win.confirm(
            "Replay an audited path",
            f"Replaying on a freshly booted kernel.\n\n{loaded} loaded module(s) will be lost."):
        return
    win.bridge.reboot()
    starter = getattr(controller, "replay_fault", None)
    if callable(starter) and starter(point, api, errno):
        return
    if point:
        win.bridge.inject(f"nth {point} {errno_name(errno)}", origin="audit")
    win.bridge.run_line(f"debug insmod {name}.ko", "audit")
    what = f"{api}() failing with -{errno_name(errno)}" if point else "no fault"
    win.statusBar().showMessage(f"Replaying fault point {point} ({what}): "
                                "step with next / step / continue in the Shell", 8000)


class _CloseWatcher(QObject):
    """Stops a running sweep when the window closes (and keeps a closing
    window from starting a new one)."""

    def __init__(self, win: "MainWindow", panel: AuditPanel) -> None:
        super().__init__(win)
        self.panel = panel
        win.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Close:
            # closing restores the saved layout, which may bring the pane
            # back to the front: no new sweep may start from here on
            self.panel.closing = True
            self.panel.runner.shutdown()
        return False
