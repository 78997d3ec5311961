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


#: the share of the window's height the step text needs to be read without scrolling
READABLE_SHARE = 0.4
#: the width a lesson's own column takes (of the window's)
COLUMN_SHARE = 0.32


def _present(win: "MainWindow") -> None:
    """Presentation mode during a lesson: the lesson gets its own column
    (see _place); without a lesson its pane stays out of the way."""
    if win.panels[DOCK].lesson is None:
        win.docks[DOCK].hide()
        return
    _place(win)


def _raise(win: "MainWindow", tall: bool = False) -> None:
    """The pane in front; when a lesson starts, placed so that a step's text
    and commands read without scrolling (see _place)."""
    dock = win.docks[DOCK]
    dock.show()
    dock.raise_()
    if tall:
        _place(win)


def _place(win: "MainWindow") -> None:
    """Above the Shell, taking most of the column they share (the Shell
    keeps a few lines and its input); where that column is not there (the
    bottom row of a small screen, presentation mode) the lesson takes a
    column of its own at the left, the full height of the window."""
    from PySide6.QtCore import Qt
    dock, shell = win.docks[DOCK], win.docks.get("dockShell")
    if dock.isFloating():
        return
    side = (Qt.LeftDockWidgetArea, Qt.RightDockWidgetArea)
    if not win.presenting and shell is not None and shell.isVisible() \
            and win.dockWidgetArea(shell) == win.dockWidgetArea(dock) \
            and win.dockWidgetArea(dock) in side:
        column = dock.height() + shell.height()
        if column >= win.height() * READABLE_SHARE / (1 - 0.3):
            shell_h = max(int(column * 0.3), shell.minimumSizeHint().height())
            win.resizeDocks([dock, shell], [column - shell_h, shell_h], Qt.Vertical)
            return
    _own_column(win, dock)


def _own_column(win: "MainWindow", dock) -> None:
    from PySide6.QtCore import Qt
    shell = win.docks.get("dockShell")
    left = [d for d in win.docks.values() if d is not dock and d.isVisible()
            and not d.isFloating() and win.dockWidgetArea(d) == Qt.LeftDockWidgetArea]
    others = [d for d in left if d is not shell]
    win.addDockWidget(Qt.LeftDockWidgetArea, dock)
    if others:                               # the left column's panes one tab away
        for other in others[1:]:
            win.tabifyDockWidget(others[0], other)
        win.tabifyDockWidget(others[0], dock)
    dock.show()
    dock.raise_()
    if shell in left:                        # the lesson's commands run there: under it
        win.addDockWidget(Qt.LeftDockWidgetArea, shell, Qt.Vertical)   # out of any tab group
        shell.show()
        height = win.height()
        win.resizeDocks([dock, shell], [int(height * 0.62), int(height * 0.3)], Qt.Vertical)
    win.resizeDocks([dock], [max(320, int(win.width() * COLUMN_SHARE))], Qt.Horizontal)


def _type_into_shell(win: "MainWindow", line: str) -> None:
    """Put the command in the Shell's input, ready for Enter: the student
    runs it themselves (and the step ticks when it did what it should)."""
    shell_dock = win.docks.get("dockShell")
    if shell_dock is not None:
        shell_dock.show()
        shell_dock.raise_()
    win.shell.input.setText(line)
    win.shell.input.setFocus()
