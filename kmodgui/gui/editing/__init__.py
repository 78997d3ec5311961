"""File handling for the source editor (save, save as, samples copied before
editing, autosave and recovery, changes on disk) and its wiring into the
main window: `attach(win)` adds the File/Edit actions, the find bar, and
returns the EditorController the window's open/build/close flows ask.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtGui import QAction, QKeySequence

from kmodgui.gui.editing.controller import EditorController
from kmodgui.gui.workbench import MenuId

if TYPE_CHECKING:
    from kmodgui.gui.mainwindow import MainWindow

__all__ = ["EditorController", "attach", "data_dir"]


def data_dir(settings: QSettings | None = None) -> Path:
    """Where autosaves live.  KMODGUI_DATA_DIR overrides; settings kept in
    a file of their own (tests, screenshots) keep their data beside it, so
    they never see the user's recovery files; otherwise the platform's app
    data folder (QStandardPaths.AppDataLocation)."""
    env = os.environ.get("KMODGUI_DATA_DIR")
    if env:
        return Path(env)
    if settings is not None:
        own = Path(settings.fileName())
        user = QSettings(QSettings.IniFormat, QSettings.UserScope, "kmodgui", "kmodgui")
        if own != Path(user.fileName()):
            return own.with_name(own.stem + "-data")
    return Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation))


def attach(win: "MainWindow") -> EditorController:
    """Give the window its editor: controller, actions, menus, find bar."""
    ctl = EditorController(win.source, data_dir(win.settings), parent=win)
    ctl.open_file = win.open_source
    ctl.message.connect(lambda text: win.statusBar().showMessage(text, 8000))
    ctl.saved.connect(lambda _p: ctl.closing or win.build(quiet=True))   # marks, arrows
    ctl.reloaded.connect(lambda _p: win.build(quiet=True))
    ctl.stateChanged.connect(win._update_header)
    acts = _actions(win, ctl)
    win.acts.update(acts)
    _menus(win, acts)
    layout = win.centralWidget().layout()
    layout.insertWidget(layout.indexOf(win.source) + 1, win.source.find_bar)
    return ctl


def _actions(win: "MainWindow", ctl: EditorController) -> dict[str, QAction]:
    from kmodgui.gui.actions import make_action
    view = win.source
    bar = view.find_bar
    a = {
        "save": make_action(win, "actionSave", "&Save", ctl.save, QKeySequence.Save,
                            "Save the source (a bundled sample: save your own copy)"),
        "save_as": make_action(win, "actionSaveAs", "Save &As…", ctl.save_as, "Ctrl+Shift+S",
                               "Save the source under another name; that file is then open"),
        "find": make_action(win, "actionFind", "&Find…", bar.open_bar, QKeySequence.Find,
                            "Find in the source"),
        "find_next": make_action(win, "actionFindNext", "Find next", _find(bar, False), "F3"),
        "find_prev": make_action(win, "actionFindPrevious", "Find previous", _find(bar, True),
                                 "Shift+F3"),
    }
    # Undo/redo belong to the editor: the shell and dmesg keep their own Ctrl+Z
    for key, text, slot, keys, signal in (
            ("undo", "&Undo", view.undo, QKeySequence.Undo, view.undoAvailable),
            ("redo", "&Redo", view.redo, QKeySequence.Redo, view.redoAvailable)):
        act = QAction(text, view)
        act.setObjectName("action" + key.capitalize())
        act.setShortcut(keys)
        act.setShortcutContext(Qt.WidgetShortcut)
        act.setEnabled(False)
        act.triggered.connect(lambda _c=False, s=slot: s())
        signal.connect(act.setEnabled)
        view.addAction(act)
        a[key] = act
    return a


def _find(bar, backward: bool):
    def run() -> None:
        if bar.isHidden():
            bar.open_bar()
        bar.find(backward=backward)
    return run


def _menus(win: "MainWindow", a: dict[str, QAction]) -> None:
    """File: Save, Save As before Quit.  Edit (after File): undo, find."""
    bar = win.menuBar()
    file = win.bench.menu(MenuId.FILE)
    items = file.actions()
    open_act = win.acts.get("open")
    at = items.index(open_act) + 1 if open_act in items else len(items)
    before = items[at] if at < len(items) else None
    for key in ("save", "save_as"):
        file.insertAction(before, a[key])
    from PySide6.QtWidgets import QMenu
    edit = QMenu("&Edit", win)
    edit.setObjectName("menuEdit")
    for key in ("undo", "redo", None, "find", "find_next", "find_prev"):
        edit.addSeparator() if key is None else edit.addAction(a[key])
    after_file = file.menuAction()
    following = bar.actions()[bar.actions().index(after_file) + 1:]
    bar.insertMenu(following[0] if following else None, edit)
    win.bench.set_menu(MenuId.EDIT, edit)
