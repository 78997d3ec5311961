"""The Debug menu and the debug toolbar.

Keys follow IDE habits (design.md), stepping back has its own:

    F5          debug insmod of the open module (last parameters) / continue
    Ctrl+F5     debug rmmod (step through exit)
    F6          pause a running continue (a runaway init)
    Shift+F5    stop debugging: the command runs on to its end
    F10         step over          Shift+F10   back over (one statement at this depth)
    F11         step into          Alt+Left    step back (one statement)
    Shift+F11   step out           Ctrl+F10    run to the cursor's line
    F9          breakpoint (the source view's action)
    F8          auto-play at the chosen pace;  Ctrl+Shift+L lecture mode

The toolbar also shows the step counter ("step 12") and the scrubber: a
slider over the steps executed so far -- dragging it goes to that step by
an exact replay -- and the auto-play pace.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QLabel, QMenu, QSlider, QToolBar, QWidget

from kmodgui.gui.actions import make_action
from kmodgui.gui.debug.settings import PACE_MAX_MS, PACE_MIN_MS, PACE_STEP_MS, SPEEDS
from kmodgui.gui.zoom import ui_font
from kmodgui.gui.workbench import MenuId

if TYPE_CHECKING:
    from kmodgui.gui.debug.controller import DebugController

BACK_TIP = "One statement back: the whole machine as it was (exact replay)"
SCRUB_TIP = "Drag to any step run so far: the machine replays to it exactly"


def create(c: "DebugController") -> dict[str, QAction]:
    win = c.win
    a: dict[str, QAction] = {}
    a["start"] = make_action(win, "actionDebugStart", "▶ Debug insmod", c.start_or_continue, "F5",
                             "Run insmod of the open module under the debugger, paused before "
                             "init's first line; when paused: continue to a breakpoint or the end")
    a["insmod_params"] = make_action(win, "actionDebugInsmodParams",
                                     "Debug insmod with parameters…", lambda: _with_params(c),
                                     None, "debug insmod NAME.ko name=value ...")
    a["rmmod"] = make_action(win, "actionDebugRmmod", "Debug rmmod", c.start_rmmod, "Ctrl+F5",
                             "Run rmmod under the debugger: step through the exit routine")
    a["pause"] = make_action(win, "actionDebugPause", "‖ Pause", c.pause, "F6",
                             "Pause a running continue (or auto-play) where it stands")
    a["stop"] = make_action(win, "actionDebugStop", "■ Stop", c.stop_debugging, "Shift+F5",
                            "Stop debugging: the command runs on to its end without pausing")
    a["over"] = make_action(win, "actionStepOver", "Step over", c.step_over, "F10",
                            "Run one line; calls run to their end")
    a["into"] = make_action(win, "actionStepInto", "Step into", c.step_into, "F11",
                            "Run one statement, entering the module's own functions")
    a["out"] = make_action(win, "actionStepOut", "Step out", c.step_out, "Shift+F11",
                           "Run until the current function returns")
    a["back"] = make_action(win, "actionStepBack", "Step back", c.step_back, "Alt+Left",
                            BACK_TIP)
    a["back_over"] = make_action(win, "actionBackOver", "Back over", c.back_over, "Shift+F10",
                                 "Back to the previous line at this depth (over calls)")
    a["run_to"] = make_action(win, "actionRunToCursor", "Run to cursor",
                              lambda: c.run_to_line(_cursor_line(c)), "Ctrl+F10",
                              "Continue to the line of the text cursor")
    a["autoplay"] = make_action(win, "actionAutoplay", "Auto-play", c.toggle_autoplay, "F8",
                                "Step by itself at the chosen pace (F8 or Space in lecture "
                                "mode pauses and resumes)")
    a["autoplay"].setCheckable(True)
    a["lecture"] = make_action(win, "actionLecture", "Lecture mode",
                               lambda: c.lecture.toggle(), "Ctrl+Shift+L",
                               "Presentation, big step captions, auto-play; Space pauses")
    a["lecture"].setCheckable(True)
    a["animations"] = make_action(win, "actionAnimations", "Animations",
                                  lambda: c.set_animations(a["animations"].isChecked()), None,
                                  "Animate jump arrows and fade released resources")
    a["animations"].setCheckable(True)
    a["animations"].setChecked(c.prefs.enabled)
    return a


def _with_params(c: "DebugController") -> None:
    name = c.module()
    if name is None:
        return
    key = f"params/{name}"
    text = c.win.ask("Debug insmod with parameters", f"debug insmod {name}.ko",
                     str(c.win.settings.value(key, "") or ""))
    if text is not None:
        c.win.settings.setValue(key, text.strip())
        c.start_insmod(text.strip())


def _cursor_line(c: "DebugController") -> int:
    return c.source.textCursor().blockNumber() + 1


def install(c: "DebugController") -> None:
    """The Debug menu (before View) and the debug toolbar (its own row)."""
    win = c.win
    a = c.acts
    menu = QMenu("&Debug", win)
    menu.setObjectName("menuDebug")
    for key in ("start", "insmod_params", "rmmod", None, "pause", "stop", None, "over", "into",
                "out", None, "back", "back_over", None, "run_to"):
        menu.addSeparator() if key is None else menu.addAction(a[key])
    toggle = getattr(c.source, "toggle_breakpoint_action", None)
    if toggle is not None:
        menu.addAction(toggle)
    menu.addSeparator()
    menu.addAction(a["autoplay"])
    menu.addAction(a["lecture"])
    menu.addAction(a["animations"])
    speed = menu.addMenu("Animation speed")
    speed.setObjectName("menuAnimationSpeed")
    group = QActionGroup(speed)
    for name, ms in SPEEDS.items():
        act = speed.addAction(f"{name}  ({ms / 1000:.1f} s per jump)")
        act.setObjectName(f"actionSpeed{name}")
        act.setCheckable(True)
        act.setChecked(name == c.prefs.speed_name())
        act.triggered.connect(lambda _c=False, ms=ms: c.set_animation_ms(ms))
        group.addAction(act)
    win.menuBar().insertMenu(win.bench.menu(MenuId.VIEW).menuAction(), menu)
    win.bench.set_menu(MenuId.DEBUG, menu)
    c.menu = menu
    c.toolbar = _toolbar(c)
    win.addToolBarBreak()
    win.addToolBar(c.toolbar)


def _toolbar(c: "DebugController") -> QToolBar:
    win = c.win
    a = c.acts
    bar = QToolBar("Debug toolbar", win)
    bar.setObjectName("toolbarDebug")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
    for key in ("start", "pause", "stop", None, "over", "into", "out", None, "back",
                "back_over"):
        bar.addSeparator() if key is None else bar.addAction(a[key])
    bar.addSeparator()
    c.step_label = QLabel("not debugging", bar)
    c.step_label.setObjectName("debugStepCounter")
    c.step_label.setToolTip("Statements the debugged command has run (the step counter)")
    bar.addWidget(c.step_label)
    c.scrubber = QSlider(Qt.Horizontal, bar)
    c.scrubber.setObjectName("debugScrubber")
    c.scrubber.setToolTip(SCRUB_TIP)
    c.scrubber.setTracking(False)
    c.scrubber.setRange(1, 1)
    c.scrubber.setPageStep(5)
    c.scrubber.valueChanged.connect(c.goto_index)
    c.scrubber.sliderMoved.connect(lambda v: c.step_label.setText(f"→ step {v}"))
    bar.addWidget(c.scrubber)
    bar.addSeparator()
    bar.addAction(a["autoplay"])
    c.pace = QSlider(Qt.Horizontal, bar)
    c.pace.setObjectName("autoplayPace")
    c.pace.setRange(PACE_MIN_MS // PACE_STEP_MS, PACE_MAX_MS // PACE_STEP_MS)
    c.pace.setValue(c.prefs.pace_ms // PACE_STEP_MS)
    c.pace.setToolTip("Auto-play pace: time between two steps")
    c.pace_label = QLabel(bar)
    c.pace.valueChanged.connect(lambda v: _pace_changed(c, v * PACE_STEP_MS))
    _pace_changed(c, c.prefs.pace_ms)
    bar.addWidget(c.pace)
    bar.addWidget(c.pace_label)
    c.stepChanged.connect(lambda i, m: _step_changed(c, i, m))
    c.runningChanged.connect(lambda _r: update(c))
    c.activeChanged.connect(lambda _a: update(c))
    c.autoplayChanged.connect(lambda _a: update(c))
    set_zoom(c, 1.0)
    return bar


def _pace_changed(c: "DebugController", ms: int) -> None:
    c.set_pace_ms(ms)
    text = f"{ms / 1000:.2f} s/step".replace("0 s", " s")
    c.pace_label.setText(text)
    c.pace.setToolTip(f"Auto-play pace: {text} (time between two steps)")


def _step_changed(c: "DebugController", index: int, maximum: int) -> None:
    d = c._dbg
    if d is None or d.stop is None or maximum <= 0:
        c.step_label.setText("not debugging")
    elif c.running:
        c.step_label.setText(f"run… {index}")
    elif d.stop.finished:
        c.step_label.setText(f"done · {max(0, maximum - 1)} steps")
    else:
        c.step_label.setText(f"step {index}")
    c.scrubber.blockSignals(True)
    c.scrubber.setRange(1, max(1, maximum))
    c.scrubber.setValue(max(1, index))
    c.scrubber.blockSignals(False)


def update(c: "DebugController") -> None:
    """Enable what makes sense now; F5's text says what it will do."""
    a = c.acts
    active, running = c.active, c.running
    a["start"].setText("▶ Continue" if active else "▶ Debug insmod")
    a["start"].setEnabled(not running)      # without a module it says what to open
    for key in ("insmod_params", "rmmod"):
        a[key].setEnabled(not active)
    a["pause"].setEnabled(running or c.autoplaying)
    a["stop"].setEnabled(active)
    for key in ("over", "into", "out"):
        a[key].setEnabled(active and not running)
    why = c.why_no_back()
    back = not why and not running
    a["back"].setEnabled(back)
    a["back_over"].setEnabled(back and active)
    a["run_to"].setEnabled(not running)
    d = c._dbg
    off = f" — off: {why}" if why and d is not None and (d.line or d.gone) else ""
    a["back"].setToolTip(f"{BACK_TIP}  (Alt+Left){off}")
    a["back"].setStatusTip(f"{BACK_TIP}{off}")
    if hasattr(c, "scrubber"):
        c.scrubber.setEnabled(back)
        c.scrubber.setToolTip(f"{SCRUB_TIP}{off}")
    if c.cursor is not None:
        c.cursor.set_movable(back, why)
    a["autoplay"].setChecked(c.autoplaying)


def set_zoom(c: "DebugController", factor: float) -> None:
    """Toolbar text and slider lengths follow the window's zoom."""
    if not hasattr(c, "toolbar"):
        return
    font = ui_font(factor)
    for w in [c.toolbar, *c.toolbar.findChildren(QWidget)]:
        w.setFont(font)
    if hasattr(c, "menu"):
        c.menu.setFont(font)
    c.pace_label.setVisible(factor < 1.4)     # projector sizes: value in the tooltip
    c.scrubber.setMinimumWidth(int(140 * factor))
    c.pace.setFixedWidth(int(80 * factor))
    c.step_label.setMinimumWidth(c.step_label.fontMetrics().horizontalAdvance("done · 0000 steps"))
