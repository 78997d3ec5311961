"""The debugger in the window: stepping moves every view, faults by click,
exact step back, jump animations, slices for runaways, the Paths pane,
the exit path's checks, auto-play and the settings."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence

from kmodgui.gui.mainwindow import MainWindow
from kmodgui.gui.settings import open_settings
from kmodgui.kernel.events import ResourceReleased
from kmodgui.session import Session


def caught_up(win) -> None:
    """Every batched pane shows the engine's state now."""
    win.bridge.flush()
    win.dmesg.flush()
    win.timeline.redraw()


def debug_window(make_window, source: str = "skull.c", animate: bool = False):
    win = make_window(source)
    win.debug.set_animations(animate)
    win.debug.set_animation_ms(120)
    return win, win.debug


def step_over_until(c, line: int, limit: int = 60) -> None:
    for _ in range(limit):
        if c.source.exec_line == line:
            return
        c.step_over()
    raise AssertionError(f"never paused at line {line} (at {c.source.exec_line})")


def snapshot(win) -> dict:
    """What a user sees, pane by pane."""
    caught_up(win)
    c = win.debug
    model = win.timeline.model
    return {
        "line": win.source.exec_line,
        "trace": list(win.source.trace_lines),
        "modules": win.modules_panel.rows(),
        "resources": win.resources.rows(),
        "dmesg": win.dmesg.line_texts(),
        "lanes": [ln.label for ln in model.lanes],
        "bars": [(b.lane, b.style, b.end is None) for b in model.bars],
        "points": [(p.lane, p.kind) for p in model.points],
        "frames": c.callstack.frame_rows(),
        "locals": c.callstack.local_rows(),
        "step": c.step_label.text(),
    }


def test_keys_follow_ide_habits(make_window):
    win = make_window("skull.c")
    keys = {name: win.debug.acts[name].shortcut().toString() for name in
            ("start", "over", "into", "out", "back", "back_over", "rmmod", "pause", "stop")}
    assert keys == {"start": "F5", "over": "F10", "into": "F11", "out": "Shift+F11",
                    "back": "Alt+Left", "back_over": "Shift+F10", "rmmod": "Ctrl+F5",
                    "pause": "F6", "stop": "Shift+F5"}
    assert win.acts["presentation"].shortcut() == QKeySequence("Ctrl+Shift+P")
    assert "(F10)" in win.debug.acts["over"].toolTip()
    menu = win.findChild(type(win.debug.menu), "menuDebug")
    texts = [a.text() for a in menu.actions()]
    assert "Step back" in texts and "Toggle breakpoint" in texts
    assert win.findChild(type(win.debug.toolbar), "toolbarDebug") is win.debug.toolbar
    assert {"dockCallStack", "dockPaths"} <= set(win.docks)


def test_stepping_updates_source_resources_timeline_and_call_stack(qtbot, make_window):
    win, c = debug_window(make_window)
    win.debug.acts["start"].trigger()                       # F5: debug insmod skull.ko
    assert c.active and win.source.exec_line == 31
    assert "# debug insmod skull.ko" in win.shell.text()
    assert c.step_label.text() == "step 1"
    caught_up(win)
    assert win.modules_panel.rows()[0][3] == "Loading"
    step_over_until(c, 33)                                  # register_this() has run
    caught_up(win)
    assert [r[0] for r in win.resources.rows()[1:]] == ['this "skull"']
    assert 'this "skull"' in [ln.label for ln in win.timeline.model.lanes]
    assert c.callstack.frame_rows() == [["#0", "my_init ()", "skull.c:33"]]
    assert c.callstack.local_rows() == [("err", "0")]
    assert c.caption.text == 'register_this() acquired this "skull"'
    assert c.step_label.text() == "step 3"
    c.cont()
    qtbot.waitUntil(lambda: not c.active)
    caught_up(win)
    assert win.modules_panel.rows()[0][3] == "Live"
    assert win.source.exec_line is None
    assert "init returned 0: skull is live" in c.caption.text


def test_right_click_fault_injection_changes_the_path(qtbot, make_window):
    win, c = debug_window(make_window)
    menu = win.source.context_menu_for_line(42)
    sub = next(a.menu() for a in menu.actions() if a.menu() and "fail" in a.text())
    enomem = next(a for a in sub.actions() if a.text().startswith("-ENOMEM"))
    enomem.trigger()                          # not debugging: start, run to 42, arm
    qtbot.waitUntil(lambda: c.active and win.source.exec_line == 42)
    assert "register_those() will fail with -ENOMEM" in c.caption.text
    c.cont()
    qtbot.waitUntil(lambda: not c.active)
    caught_up(win)
    assert "Cannot allocate memory" in win.shell.text()
    assert win.modules_panel.rows() == []
    released = [e.api for e in win.bridge.all_events() if isinstance(e, ResourceReleased)]
    assert released == ["unregister_that", "unregister_this"]
    assert {50, 51, 53, 54, 56, 57} <= set(win.source.trace_lines)      # the unwind ladder
    assert win.source.jump.label == "fail_those"
    assert c.caption.text.endswith("init returned -12: insmod fails with Cannot allocate memory")


def test_fault_while_paused_uses_the_debugger(qtbot, make_window):
    win, c = debug_window(make_window)
    c.start_insmod()
    win.source.fail_requested.emit(37, "register_that", 16)
    step_over_until(c, 39)                       # goto fail_that
    c.step_over()
    assert win.source.exec_line == 53 and win.source.jump.label == "fail_that"
    assert c.caption.text == ("register_that() failed with -EBUSY (injected); "
                              "jumping to fail_that")


def test_step_back_restores_every_view_exactly(qtbot, make_window):
    win, c = debug_window(make_window)
    c.start_insmod()
    c.dbg.fail("register_those", 12)
    step_over_until(c, 53)                       # unregister_that() has released
    before = snapshot(win)
    assert before["resources"][1:] == [['this "skull"', "this", "register_this()", "skull.c:32"]]
    c.step_over()
    c.step_over()                                # unregister_this() released too
    after = snapshot(win)
    assert after != before and after["resources"] == []
    c.step_back()
    c.step_back()
    assert snapshot(win) == before
    c.back_over()
    assert win.source.exec_line == 51
    assert c.caption.text.startswith("◀ back:")


def test_scrubber_goes_to_any_step_and_back(qtbot, make_window):
    win, c = debug_window(make_window)
    c.start_insmod()
    step_over_until(c, 46)
    at_46 = snapshot(win)
    c.scrubber.setValue(3)                      # as a drag that ends on step 3
    assert win.source.exec_line == 33 and c.step_label.text() == "step 3"
    assert c.scrubber.maximum() == int(at_46["step"].split()[1])     # the steps run so far
    c.scrubber.setValue(int(at_46["step"].split()[1]))
    assert snapshot(win) == at_46


def test_jump_arrow_animates_and_finishes(qtbot, make_window):
    win, c = debug_window(make_window, animate=True)
    c.start_insmod()
    c.dbg.fail("register_this", 12)
    step_over_until(c, 34)
    with qtbot.waitSignal(win.source.jump_animation_finished, timeout=3000):
        c.step_over()
        assert win.source.jump_running()
    assert win.source.jump.progress == 1.0 and win.source.jump.label == "fail_this"


def test_jump_is_drawn_at_once_when_animations_are_off(qtbot, make_window):
    win, c = debug_window(make_window, animate=False)
    assert win.settings.value("debug/animate") in (False, "false")
    c.start_insmod()
    c.dbg.fail("register_this", 12)
    step_over_until(c, 34)
    with qtbot.waitSignal(win.source.jump_animation_finished, timeout=1000):
        c.step_over()
        assert not win.source.jump_running()
        assert win.source.jump.progress == 1.0


def test_released_resources_fade_out_of_the_resources_pane(qtbot, make_window):
    win, c = debug_window(make_window, animate=True)
    c.start_insmod()
    c.dbg.fail("register_those", 12)
    step_over_until(c, 53)
    caught_up(win)
    assert c.fader.ghost_rows() == ['− that "skull" | released at skull.c:51']
    qtbot.waitUntil(lambda: c.fader.ghost_rows() == [], timeout=3000)
    bar = next(b for b in win.timeline.model.bars if b.title.startswith('that "skull"'))
    assert bar.style == "released" and bar.end is not None


def test_continue_on_a_runaway_keeps_the_window_responsive(qtbot, make_window):
    win, c = debug_window(make_window, "broken/spin.c")
    c.start_insmod()
    c.cont()
    assert c.running and c.acts["pause"].isEnabled()
    ticks = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: bool(ticks) and c.dbg.stop.index > 20_000, timeout=10_000)
    assert c.running
    c.acts["pause"].trigger()                                # F6
    assert not c.running and c.active
    assert win.source.exec_line in (21, 22)                  # for (;;) laps++;
    assert c.step_label.text().startswith("step ")


def test_exit_path_flags_release_out_of_order(qtbot, make_window):
    win, c = debug_window(make_window, "skull_wrong_order.c")
    win.insmod()
    qtbot.waitUntil(lambda: not win.bridge.busy)
    c.acts["rmmod"].trigger()                                # Ctrl+F5: debug rmmod
    assert c.active and c.dbg.line == "rmmod skull_wrong_order"
    while c.active:
        c.step_over()
    caught_up(win)
    assert {60, 61, 62} <= set(win.source.trace_lines)
    flagged = [m for m in win.source.marks if "out of reverse order" in m.message]
    assert [m.line for m in flagged] == [60, 61]
    assert c.fader.ghost_rows() == [
        '⚠ this "skull_wrong_order" | released OUT OF ORDER at skull_wrong_order.c:60',
        '⚠ that "skull_wrong_order" | released OUT OF ORDER at skull_wrong_order.c:61']


def test_exit_path_shows_a_leak(qtbot, make_window):
    win, c = debug_window(make_window, "leak.c")
    win.insmod()
    qtbot.waitUntil(lambda: not win.bridge.busy)
    c.start_rmmod()
    while c.active:
        c.step_over()
    caught_up(win)
    assert "LEAK: kmalloc(128)" in c.caption.text
    assert any("never released" in m.message for m in win.source.marks)
    assert win.resources.rows()[0][0].startswith("leak  LEAK")


def test_paths_pane_shows_each_fault_point_and_replays_it(qtbot, make_window):
    win, c = debug_window(make_window, "skull_leaky.c")
    win.build(quiet=True)
    c.run_audit(force=True)
    qtbot.waitUntil(lambda: c.paths.report is not None, timeout=30_000)
    rows = c.paths.rows()
    assert [r[0] for r in rows] == ["nothing fails", "#1 register_this() line 28 → -EBUSY",
                                    "#2 register_that() line 33 → -EBUSY",
                                    "#3 register_those() line 38 → -EBUSY"]
    assert rows[3][1] == "goto fail_those 40→47 ⟶ return -16"
    assert rows[3][3].startswith("✖ leaks that")
    assert rows[2][3] == "✔ unwinds cleanly"
    c.paths.select_point(3)                    # preview: arrow and lines on the source
    assert win.source.jump.label == "fail_those" and 38 in win.source.trace_lines
    c.paths.replay_button.click()
    qtbot.waitUntil(lambda: c.active and win.source.exec_line == 38)
    c.cont()
    qtbot.waitUntil(lambda: not c.active)
    caught_up(win)
    assert win.resources.rows()[0][0].startswith("skull_leaky  LEAK")


def test_replay_works_for_a_shared_cleanup_routine(qtbot, make_window):
    win, c = debug_window(make_window, "skull_cleanup.c")
    win.build(quiet=True)
    c.run_audit(force=True)
    qtbot.waitUntil(lambda: c.paths.report is not None, timeout=30_000)
    assert c.paths.rows()[2][2] == "kfree@49"
    assert c.replay_fault(2)                   # the second kmalloc() fails
    qtbot.waitUntil(lambda: c.active and win.source.exec_line == 59)
    c.cont()
    qtbot.waitUntil(lambda: not c.active)
    assert {75, 76, 47, 48, 49} <= set(win.source.trace_lines)    # fail: -> my_cleanup()
    released = [e.site.line for e in win.bridge.all_events() if isinstance(e, ResourceReleased)]
    assert released == [49]


def test_shell_debug_commands_move_the_same_debugger(qtbot, make_window):
    win, c = debug_window(make_window)
    for line in ("debug insmod skull.ko", "next", "next"):
        win.shell.run(line)
        qtbot.waitUntil(lambda: not win.bridge.busy)
    assert win.source.exec_line == 33 and c.active
    c.step_over()
    win.shell.run("back")
    qtbot.waitUntil(lambda: not win.bridge.busy)
    assert win.source.exec_line == 33


def test_breakpoints_in_the_gutter_stop_continue(qtbot, make_window):
    win, c = debug_window(make_window)
    win.source.toggle_breakpoint(46)
    c.start_insmod()
    c.cont()
    qtbot.waitUntil(lambda: not c.running)
    assert win.source.exec_line == 46 and c.dbg.stop.reason == "breakpoint"


def test_autoplay_advances_by_itself(qtbot, make_window):
    win, c = debug_window(make_window)
    c.set_pace_ms(500)
    c.acts["autoplay"].trigger()                 # F8: starts debug insmod and plays
    qtbot.waitUntil(lambda: c.active and c.dbg.stop.index >= 3, timeout=5000)
    c.acts["pause"].trigger()
    assert not c.autoplaying
    index = c.dbg.stop.index
    qtbot.wait(700)
    assert c.dbg.stop.index == index


def test_animation_settings_persist(qtbot, make_window, settings_path):
    win, c = debug_window(make_window)
    c.acts["animations"].trigger()                # off -> on
    c.set_animation_ms(1400)
    c.set_pace_ms(2250)
    assert win.source.animation_enabled and win.source.animation_ms == 1400
    again = MainWindow(Session(), open_settings(settings_path), follow_system_theme=False)
    qtbot.addWidget(again)
    assert again.debug.prefs.enabled and again.debug.prefs.duration_ms == 1400
    assert again.debug.pace.value() * 250 == 2250
    assert again.source.animation_ms == 1400


def test_timeline_cursor_marks_the_pause_and_drags_to_a_step(qtbot, make_window):
    win, c = debug_window(make_window)
    c.start_insmod()
    step_over_until(c, 41)
    at_41 = snapshot(win)
    assert c.cursor.visible and c.cursor.label.format == "step 7"
    three = next(t for t in c.dbg.log if t.line == 33)
    c.cursor.dropped.emit(three.ns)                 # as a drag that ends there
    assert win.source.exec_line == 33 and c.cursor.label.format == "step 3"
    c.cursor.dropped.emit(c.dbg.log[-1].ns + 10**9)  # past the pause: nothing runs ahead
    assert win.source.exec_line == 33
    c.goto_index(7)
    assert snapshot(win) == at_41


def test_replay_without_the_paths_pane_pauses_at_the_failing_call(qtbot, make_window):
    win, c = debug_window(make_window)
    win.build(quiet=True)
    c.paths.report = None                             # never shown
    assert c.replay_fault(2, "register_that", 16)      # what the Audit pane asks
    qtbot.waitUntil(lambda: c.active and win.source.exec_line == 37)
    c.cont()
    qtbot.waitUntil(lambda: not c.active)
    assert "Device or resource busy" in win.shell.text()


def test_a_step_back_rebuilds_panes_from_the_trace_once(qtbot, make_window):
    win, c = debug_window(make_window)
    c.start_insmod()
    step_over_until(c, 41)
    caught_up(win)
    rebuilt, batches = [], []
    win.bridge.rewound.connect(lambda: rebuilt.append(1))
    win.bridge.events.connect(batches.append)
    c.step_back()
    caught_up(win)
    assert rebuilt == [1] and batches == []      # replayed events are not sent twice
    assert len(win.timeline.model.bars) == len({id(b) for b in win.timeline.model.bars})
    assert [r[0] for r in win.resources.rows()[1:]] == ['this "skull"', 'that "skull"']
