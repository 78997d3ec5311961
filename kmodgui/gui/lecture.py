"""Lecture mode (issue 6): walk a hall through init and its unwind.

Ctrl+Shift+L turns it on: presentation mode (big text, high contrast), the
Resources pane beside the source so each release is seen going, the big
step caption under the source ("register_those() failed with -ENOMEM;
jumping to fail_those"), and auto-play: a debug insmod of the open module
steps by itself at the chosen pace (Debug toolbar: 0.5 to 3 s per step),
waiting for each jump arrow to land.

Keyboard only: Space pauses and resumes (wherever the focus is, except a
text field such as the Shell's input), F10/F11/Alt+Left step by hand, F5
starts or continues, Ctrl+Shift+L or Esc (leaving presentation) ends it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

if TYPE_CHECKING:
    from kmodgui.gui.debug.controller import DebugController


class LectureMode(QObject):
    def __init__(self, controller: "DebugController") -> None:
        super().__init__(controller)
        self.c = controller
        self.win = controller.win
        self.on = False
        self._entered_presentation = False
        pres = self.win.acts.get("presentation")
        if pres is not None:
            pres.toggled.connect(lambda checked: checked or self.leave())

    def toggle(self) -> None:
        self.leave() if self.on else self.enter()

    def enter(self, autoplay: bool = True) -> None:
        if self.on:
            return
        self.on = True
        win = self.win
        self._entered_presentation = not win.presenting
        if not win.presenting:
            win.enter_presentation()
        self._show_resources()
        self.c.caption_bar.set_lecture(True)
        self.c.caption_bar.show()
        QApplication.instance().installEventFilter(self)
        self._check(True)
        self.c.set_autoplay(autoplay)
        win.statusBar().showMessage("Lecture mode: Space pauses and resumes, F10/F11 step, "
                                    "Alt+Left steps back, Ctrl+Shift+L ends", 8000)

    def leave(self) -> None:
        if not self.on:
            return
        self.on = False
        QApplication.instance().removeEventFilter(self)
        self.c.set_autoplay(False)
        self.c.caption_bar.set_lecture(False)
        self._check(False)
        if self._entered_presentation and self.win.presenting:
            self.win.leave_presentation()

    def _check(self, on: bool) -> None:
        act = self.c.acts.get("lecture")
        if act is not None:
            act.setChecked(on)

    def _show_resources(self) -> None:
        """Releases must be seen: the Resources pane under Modules; the
        source gets the height the big caption takes (dmesg gives it)."""
        d = self.win.docks
        if "dockResources" in d and "dockModules" in d:
            shell = d.get("dockShell")
            if shell is not None and shell.isVisible() and \
                    self.win.dockWidgetArea(shell) == self.win.dockWidgetArea(d["dockModules"]) \
                    == Qt.BottomDockWidgetArea:
                # a narrow projector: Modules and the Shell are stacked in the
                # bottom row already; Resources goes in front of the Shell
                # (auto-play types nothing), a third pane would eat the source
                self.win.tabifyDockWidget(shell, d["dockResources"])
                d["dockResources"].show()
                d["dockResources"].raise_()
            else:
                self.win.splitDockWidget(d["dockModules"], d["dockResources"], Qt.Vertical)
                d["dockResources"].show()
        if "dockDmesg" in d and d["dockDmesg"].isVisible():
            self.win.resizeDocks([d["dockDmesg"]], [int(self.win.height() * 0.26)], Qt.Vertical)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Space pauses/resumes auto-play (not in a text field)."""
        if event.type() != QEvent.KeyPress or not self.on:
            return False
        if event.key() != Qt.Key_Space or event.modifiers() not in (Qt.NoModifier,
                                                                    Qt.KeypadModifier):
            return False
        if isinstance(obj, QLineEdit) or isinstance(QApplication.focusWidget(), QLineEdit):
            return False
        if not event.isAutoRepeat():
            self.c.toggle_autoplay()
        event.accept()
        return True
