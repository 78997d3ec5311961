"""Lecture mode and step captions: words for what just happened."""
from __future__ import annotations

from PySide6.QtCore import Qt

from kmodgui.debugger import Debugger
from kmodgui.gui.debug.captions import Captioner, errno_from_message
from kmodgui.session import Session


def captions_of_a_run(line: str, fail: tuple[str, int] | None = None,
                      before: str = "", profile: str = "6.1") -> list[str]:
    """Step into through a debugged command; one caption per step."""
    s = Session(profile=profile)
    if before:
        s.run(before)
    d = Debugger(s)
    c = Captioner()
    c.learn(s.trace.events)
    seen = len(s.trace.events)
    stop = d.start(line)
    if fail:
        d.fail(*fail)
    out = []
    while True:
        said = c.caption(s.trace.events[seen:])
        seen = len(s.trace.events)
        if said:
            out.append(f"{said.symbol} {said.text}")
        if stop.finished:
            return out
        stop = d.step()


def test_captions_for_a_fault_and_its_unwind():
    said = captions_of_a_run("insmod skull.ko", ("register_those", 12))
    assert said[0] == "› insmod: skull loading, its init runs"
    assert '+ register_this() acquired this "skull"' in said
    assert "✖ register_those() failed with -ENOMEM (injected)" in said
    assert ("↷ register_those() failed with -ENOMEM (injected); jumping to fail_those"
            in said)
    assert ('− unregister_that() released that "skull" (acquired at line 37)'
            in said)
    assert said[-1] == "✖ init returned -12: insmod fails with Cannot allocate memory"
    jump = said.index("↷ register_those() failed with -ENOMEM (injected); jumping to fail_those")
    release = said.index('− unregister_that() released that "skull" (acquired at line 37)')
    assert jump < release


def test_captions_on_the_exit_path():
    said = captions_of_a_run("rmmod skull_wrong_order", before="insmod skull_wrong_order.ko")
    assert said[0] == "› rmmod: skull_wrong_order unloading, its exit runs"
    assert said[2].startswith('⚠ unregister_this() released this "skull_wrong_order" '
                              "OUT OF REVERSE ORDER")
    assert said[-1] == "✔ rmmod skull_wrong_order done: the module is gone"
    leak = captions_of_a_run("rmmod leak", before="insmod leak.ko")
    assert any(t.startswith("⚠ LEAK: kmalloc(128) (acquired at line 28) was never released")
               for t in leak)


def test_captions_read_the_old_tools_too():
    said = captions_of_a_run("insmod hi_eperm.ko", profile="2.6.30")
    assert said[-1] == "✖ init returned -1: insmod fails with Operation not permitted"
    assert errno_from_message("insmod: error inserting 'x.ko': -1 Device or resource busy") == 16
    assert errno_from_message("nothing known") is None


def test_a_long_continue_keeps_its_last_sentences():
    s = Session()
    d = Debugger(s)
    c = Captioner()
    d.start("insmod skull.ko")
    seen = len(s.trace.events)
    c.learn(s.trace.events)                           # up to the first pause
    d.fail("register_those", 12)
    d.cont()
    said = c.caption(s.trace.events[seen:])
    assert said.kind == "fail" and said.text.startswith("… ")
    assert said.text.endswith("init returned -12: insmod fails with Cannot allocate memory")


def test_lecture_mode_plays_and_space_pauses(qtbot, make_window):
    win = make_window("skull.c")
    c = win.debug
    c.set_animations(False)
    c.set_pace_ms(500)
    c.acts["lecture"].trigger()                       # Ctrl+Shift+L
    assert win.presenting and c.lecture.on and c.autoplaying
    assert c.caption_bar.lecture and c.caption_bar.isVisible()
    assert win.docks["dockResources"].isVisible()     # releases must be seen
    qtbot.waitUntil(lambda: c.active and c.dbg.stop.index >= 2, timeout=5000)
    big = c.caption_bar.text.font().pointSizeF()
    assert big >= 2 * win.zoom * 10 - 0.01            # twice the UI text at this zoom
    win.source.setFocus()
    code = win.source.toPlainText()
    qtbot.keyClick(win.source, Qt.Key_Space)          # pause
    assert not c.autoplaying
    assert win.source.toPlainText() == code           # nothing typed into the code
    index = c.dbg.stop.index
    qtbot.wait(700)
    assert c.dbg.stop.index == index
    qtbot.keyClick(win.source, Qt.Key_Space)          # resume
    assert c.autoplaying
    qtbot.waitUntil(lambda: c.dbg.stop.index > index, timeout=5000)
    qtbot.keyClick(win.shell.input, Qt.Key_Space)     # a text field keeps its spaces
    assert c.autoplaying and win.shell.input.text() == " "
    c.acts["lecture"].trigger()
    assert not c.lecture.on and not c.autoplaying and not win.presenting
    assert not c.caption_bar.lecture


def test_lecture_ends_with_presentation(qtbot, make_window):
    win = make_window("skull.c")
    c = win.debug
    c.set_animations(False)
    c.lecture.enter()
    win.acts["leave_presentation"].trigger()          # Esc
    assert not c.lecture.on and not c.autoplaying
