"""The Lessons pane (issue 6, item 2): guided, checked steps in the window.

`install(win)` wires the pane (dock "dockLessons") to the window: opening
the lesson's module through the normal open path, the window's confirm
dialog, commands typed into the Shell, and keys to move between steps.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kmodgui.gui.lessons.panel import LessonsPanel
from kmodgui.gui.workbench import MenuId

if TYPE_CHECKING:
    from kmodgui.gui.mainwindow import MainWindow

__all__ = ["LessonsPanel", "install"]

DOCK = "dockLessons"


def install(win: "MainWindow") -> None:
    from kmodgui.gui.actions import make_action
    panel: LessonsPanel = win.panels[DOCK]
    panel.open_source = win.open_source
    win.docks[DOCK].visibilityChanged.connect(panel.on_visibility)
    panel.confirm = lambda title, text: win.confirm(title, text)
    panel.commandChosen.connect(lambda line: _type_into_shell(win, line))
    panel.lessonStarted.connect(lambda _lesson: _raise(win, tall=True))
    acts = {
        "lesson_next": make_action(win, "actionLessonNext", "Next lesson step",
                                   lambda: panel.go(panel.index + 1), "Alt+PgDown"),
        "lesson_prev": make_action(win, "actionLessonPrev", "Previous lesson step",
                                   lambda: panel.go(panel.index - 1), "Alt+PgUp"),
        "lesson_do": make_action(win, "actionLessonDoIt", "Do this lesson step for me",
                                 panel.do_it, "Ctrl+Alt+D",
                                 "Make the step's edit and run its commands in the Shell"),
        "lessons": make_action(win, "actionLessons", "Lessons…", lambda: _raise(win), None,
                               "The guided lessons on module init and exit"),
    }
    win.acts.update(acts)
    win.bench.presentationChanged.connect(lambda on: _present(win) if on else None)
    menu = win.bench.menu(MenuId.HELP)
    first = menu.actions()[0] if menu.actions() else None
    menu.insertAction(first, acts["lessons"])
    sub = menu.addMenu("Lesson steps")
    for key in ("lesson_do", "lesson_prev", "lesson_next"):
        sub.addAction(acts[key])


def _present(win: "MainWindow") -> None:
    """Presentation mode during a lesson: the lesson takes the top of the
    left column (Modules one tab away), above the Shell where its commands
    run; the source and the dmesg keep their width."""
    from PySide6.QtCore import Qt
    if win.panels[DOCK].lesson is None:
        win.docks[DOCK].hide()
        return
    d = win.docks
    win.tabifyDockWidget(d["dockModules"], d[DOCK])
    d[DOCK].show()
    d[DOCK].raise_()
    width, height = max(win.width(), 1000), max(win.height(), 700)
    win.resizeDocks([d[DOCK]], [int(width * 0.34)], Qt.Horizontal)
    win.resizeDocks([d[DOCK], d["dockShell"]], [int(height * 0.66), int(height * 0.34)],
                    Qt.Vertical)


def _raise(win: "MainWindow", tall: bool = False) -> None:
    """The pane in front; when a lesson starts, the pane takes most of its
    column's height (the Shell under it keeps a few lines and its input),
    so that a step's text and commands read without scrolling on a
    1366x768 screen."""
    from PySide6.QtCore import Qt
    dock = win.docks[DOCK]
    dock.show()
    dock.raise_()
    shell = win.docks.get("dockShell")
    if not tall or win.presenting or shell is None or not shell.isVisible() \
            or win.dockWidgetArea(shell) != win.dockWidgetArea(dock) or dock.isFloating():
        return
    column = dock.height() + shell.height()
    shell_h = max(int(column * 0.3), shell.minimumSizeHint().height())
    win.resizeDocks([dock, shell], [column - shell_h, shell_h], Qt.Vertical)


def _type_into_shell(win: "MainWindow", line: str) -> None:
    """Put the command in the Shell's input, ready for Enter: the student
    runs it themselves (and the step ticks when it did what it should)."""
    shell_dock = win.docks.get("dockShell")
    if shell_dock is not None:
        shell_dock.show()
        shell_dock.raise_()
    win.shell.input.setText(line)
    win.shell.input.setFocus()
