"""Toolbar and menus.  Every action has an objectName (stable for tests
and saved toolbar layouts) and a shortcut shown in its tooltip.

Keys: F5/F10/F11/Shift+F11/F9 are kept for the debugger (design.md), so
module commands use Ctrl+letters: Ctrl+B build, Ctrl+I insmod, Ctrl+U
rmmod (unload).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QMenu, QToolBar, QWidget

from kmodgui import SAMPLES_DIR
from kmodgui.gui.workbench import MenuId
from kmodgui.kernel.profile import available, load_profile

if TYPE_CHECKING:
    from kmodgui.gui.mainwindow import MainWindow

def profile_titles() -> list[tuple[str, str]]:
    """(name, title) of every profile folder, newest first."""
    return [(n, load_profile(n).title) for n in available()]


HINT = ("Ctrl+B build  ·  Ctrl+I insmod  ·  Ctrl+U rmmod  ·  or type commands in the Shell"
        "  ·  F5 debug  ·  F10/F11 step  ·  Ctrl+= zoom  ·  Ctrl+Shift+P presentation")


def make_action(win: "MainWindow", name: str, text: str, slot: Callable[[], object],
                keys: str | QKeySequence.StandardKey | None = None, tip: str = "") -> QAction:
    act = QAction(text, win)
    act.setObjectName(name)
    if keys is not None:
        act.setShortcut(QKeySequence(keys))
    shortcut = act.shortcut().toString(QKeySequence.NativeText)
    act.setToolTip((tip or text) + (f"  ({shortcut})" if shortcut else ""))
    act.triggered.connect(lambda _checked=False: slot())
    win.addAction(act)
    return act


def create_actions(win: "MainWindow") -> dict[str, QAction]:
    a = {}
    a["open"] = make_action(win, "actionOpen", "&Open…", win.open_dialog, QKeySequence.Open)
    a["quit"] = make_action(win, "actionQuit", "&Quit", win.close, QKeySequence.Quit)
    a["build"] = make_action(win, "actionBuild", "Build", win.build, "Ctrl+B",
                             "Build the module (make): diagnostics are marked in the source")
    a["insmod"] = make_action(win, "actionInsmod", "insmod", win.insmod, "Ctrl+I",
                              "Load the module: insmod NAME.ko")
    a["insmod_params"] = make_action(win, "actionInsmodParams", "insmod with parameters…",
                                     win.insmod_with_params, "Ctrl+Shift+I",
                                     "insmod NAME.ko name=value ...")
    a["rmmod"] = make_action(win, "actionRmmod", "rmmod", lambda: win.rmmod(False), "Ctrl+U",
                             "Unload the module: rmmod NAME")
    a["rmmod_force"] = make_action(win, "actionRmmodForce", "rmmod -f", lambda: win.rmmod(True),
                                   "Ctrl+Shift+U", "Force the unload: rmmod -f NAME "
                                   "(needs CONFIG_MODULE_FORCE_UNLOAD; taints the kernel R)")
    a["inject"] = make_action(win, "actionInject", "Inject fault…", win.inject_fault, "Ctrl+J",
                              "Make a kernel function the module calls fail (fail_function): "
                              "inject FUNC [ERRNO] [nth N]")
    a["interrupt"] = make_action(win, "actionInterrupt", "Interrupt", win.bridge.cancel, None,
                                 "Abandon the running command, like Ctrl+C in the Shell")
    a["reboot"] = make_action(win, "actionReboot", "Reboot", win.reboot, "Ctrl+Shift+R",
                              "Boot a fresh kernel (loaded modules are lost)")
    a["zoom_in"] = make_action(win, "actionZoomIn", "Zoom in", lambda: win.zoom_step(1), QKeySequence.ZoomIn)
    a["zoom_in"].setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
    a["zoom_out"] = make_action(win, "actionZoomOut", "Zoom out", lambda: win.zoom_step(-1), "Ctrl+-")
    a["zoom_reset"] = make_action(win, "actionZoomReset", "Actual size", win.reset_zoom, "Ctrl+0")
    a["presentation"] = make_action(win, "actionPresentation", "Presentation mode",
                                    win.toggle_presentation, "Ctrl+Shift+P",
                                    "Big text, high contrast, fewer panes (Esc leaves)")
    a["presentation"].setCheckable(True)
    a["leave_presentation"] = make_action(win, "actionLeavePresentation", "Leave presentation",
                                          win.leave_presentation, "Esc")
    a["leave_presentation"].setEnabled(False)      # Esc belongs to the panes otherwise
    a["reset_layout"] = make_action(win, "actionResetLayout", "Reset layout", win.reset_layout)
    a["interrupt"].setEnabled(False)
    return a


def create_toolbar(win: "MainWindow", a: dict[str, QAction]) -> QToolBar:
    bar = QToolBar("Main toolbar", win)
    bar.setObjectName("toolbarMain")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
    for key in ("build", None, "insmod", "insmod_params", "rmmod", "rmmod_force", None,
                "inject", "interrupt", "reboot"):
        bar.addSeparator() if key is None else bar.addAction(a[key])
    bar.addSeparator()
    win.profile_box = QComboBox(bar)
    win.profile_box.setObjectName("profileSelector")
    win.profile_box.setToolTip("Kernel and tools to simulate (changing it reboots)")
    for name, label in profile_titles():
        win.profile_box.addItem(label, name)
    win.profile_box.activated.connect(lambda i: win.switch_profile(win.profile_box.itemData(i)))
    bar.addWidget(win.profile_box)
    return bar


def create_menus(win: "MainWindow", a: dict[str, QAction]) -> None:
    mb = win.menuBar()
    file = mb.addMenu(MenuId.FILE.value)
    file.addAction(a["open"])
    win.recent_menu = file.addMenu("Open &Recent")
    win.recent_menu.setObjectName("menuRecent")
    samples = file.addMenu("&Samples")
    samples.setObjectName("menuSamples")
    fill_samples(win, samples)
    file.addSeparator()
    file.addAction(a["quit"])
    module = mb.addMenu(MenuId.MODULE.value)
    for key in ("build", None, "insmod", "insmod_params", "rmmod", "rmmod_force", None,
                "inject", "interrupt"):
        module.addSeparator() if key is None else module.addAction(a[key])
    kernel = mb.addMenu(MenuId.KERNEL.value)
    kernel.addAction(a["reboot"])
    profiles = kernel.addMenu("&Profile")
    for name, label in profile_titles():
        profiles.addAction(label, lambda n=name: win.switch_profile(n))
    win.view_menu = mb.addMenu(MenuId.VIEW.value)
    help_ = mb.addMenu(MenuId.HELP.value)
    help_.addAction("Keys…", win.show_keys)
    for menu_id, menu in ((MenuId.FILE, file), (MenuId.MODULE, module), (MenuId.KERNEL, kernel),
                          (MenuId.VIEW, win.view_menu), (MenuId.HELP, help_)):
        win.bench.set_menu(menu_id, menu)


def fill_view_menu(win: "MainWindow", a: dict[str, QAction]) -> None:
    menu = win.view_menu
    menu.clear()
    for dock in win.docks.values():
        menu.addAction(dock.toggleViewAction())
    menu.addSeparator()
    for key in ("zoom_in", "zoom_out", "zoom_reset", None, "presentation", "reset_layout"):
        menu.addSeparator() if key is None else menu.addAction(a[key])


def fill_samples(win: "MainWindow", menu: QMenu) -> None:
    """Samples menu: one submenu per topic of the samples' Makefile (the
    lessons built on it in its title), each sample with its one-line
    summary; the bad input last."""
    from kmodgui.gui.editing.samples import catalogue, lessons_text
    menu.clear()
    for topic in catalogue(SAMPLES_DIR):
        used = lessons_text(topic.lessons())
        sub = menu.addMenu(topic.title + (f"  ({used})" if used else ""))
        sub.setToolTipsVisible(True)
        for sample in topic.samples:
            text = sample.label + (f"  —  {sample.summary}" if sample.summary else "")
            act = sub.addAction(text.replace("&", "&&"), lambda p=sample.path: win.open_source(p))
            note = lessons_text(sample.lessons)
            act.setToolTip(f"{sample.path}" + (f"\nused in {note} (Help → Lessons)" if note else ""))
            act.setStatusTip(f"Open {sample.path.name}" + (f": {note}" if note else ""))
    if menu.isEmpty():
        menu.addAction("(no samples found)").setEnabled(False)


def fill_recent(win: "MainWindow", paths: list[str]) -> None:
    win.recent_menu.clear()
    for p in paths:
        win.recent_menu.addAction(p, lambda p=p: win.open_source(Path(p)))
    win.recent_menu.setEnabled(bool(paths))


def dock_widgets(win: "MainWindow") -> list[QWidget]:
    return [d.widget() for d in win.docks.values()]
