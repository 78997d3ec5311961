"""Lessons the way a student goes through them over several sittings: a done
step stays done whatever they do afterwards, progress is saved per lesson,
the lesson's files stay in the student's folder, and the step's text reads
at 1366x768."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kmodgui import SAMPLES_DIR
from kmodgui.lessons import student_folder
from tests.gui.conftest import wait_idle
from tests.gui.test_gui_step_back_replay import _key, _sample_action


def _start(qtbot, win, topic):
    panel = win.panels["dockLessons"]
    assert panel.start(topic)
    wait_idle(qtbot, win)
    return panel


def _do_steps(qtbot, win, panel, count: int) -> None:
    for i in range(count):
        panel.go(i)
        panel.do_it()
        wait_idle(qtbot, win)
        qtbot.waitUntil(lambda: i in panel.passed, timeout=5000)


def test_a_done_step_stays_done_after_debugging_skull_later(qtbot, make_window):
    win = make_window("hi.c")
    win.debug.set_animations(False)
    panel = _start(qtbot, win, "init-failure")
    _do_steps(qtbot, win, panel, 3)                 # step 3: hi.ko fails again, leaves nothing
    assert panel.index == 2 and all(state for _, state in panel.step_states())
    _sample_action(win, "skull.c").trigger()
    c = win.debug
    _key(qtbot, win, Qt.Key_F5)
    qtbot.waitUntil(lambda: c.active)
    _key(qtbot, win, Qt.Key_F10)
    _key(qtbot, win, Qt.Key_F10)
    _key(qtbot, win, Qt.Key_Left, Qt.AltModifier)
    qtbot.waitUntil(lambda: not c.running)
    c.cont()
    qtbot.waitUntil(lambda: not c.active and not c.running)
    win.bridge.run_line("lsmod")
    wait_idle(qtbot, win)
    assert [row[0] for row in win.modules_panel.rows()] == ["skull"]   # hi never came back
    assert panel.passed == {0, 1, 2}
    assert all(state for _, state in panel.step_states())
    assert "✗" not in panel.text.toPlainText()
    panel.check()                                   # the Check button grades nothing again
    assert all(state for _, state in panel.step_states())
    win.bridge.run_line("insmod hi.ko")             # the samples' hi.c: it loads, Live
    wait_idle(qtbot, win)
    assert "hi" in [row[0] for row in win.modules_panel.rows()]
    assert all(state for _, state in panel.step_states())          # done then, done now


def test_progress_is_saved_per_lesson_and_resumed(qtbot, make_window):
    win = make_window("hi.c")
    panel = _start(qtbot, win, "init-failure")
    _do_steps(qtbot, win, panel, 1)
    panel.go(1)
    again = make_window("hi.c")                    # the next sitting
    panel2 = again.panels["dockLessons"]
    lessons = panel2.load()
    row = next(i for i, ls in enumerate(lessons) if ls.topic == "init-failure")
    steps = len(lessons[row].steps)
    assert f"1 of {steps} steps done" in panel2.list.item(row).text()
    other = next(i for i, ls in enumerate(lessons) if ls.topic == "goto-unwind")
    assert "done" not in panel2.list.item(other).text()          # per lesson
    assert panel2.start("init-failure")
    wait_idle(qtbot, again)
    assert panel2.index == 1 and panel2.passed == {0}
    chips = [panel2.chips.itemAt(i).widget().text() for i in range(panel2.chips.count())]
    assert chips[:2] == ["✓ 1", "▶ 2"]


def test_the_lessons_files_stay_in_the_students_folder(qtbot, make_window):
    win = make_window("hi.c")
    panel = _start(qtbot, win, "init-failure")
    folder = student_folder(panel.lesson)
    assert win.source_path == (folder / "hi.c").resolve()
    assert SAMPLES_DIR.resolve() not in win.source_path.parents
    _do_steps(qtbot, win, panel, 1)                 # the edit: return -1;
    win.close()
    assert "return -1;" in (folder / "hi.c").read_text()       # outlives the window
    again = make_window("hi.c")
    _start(qtbot, again, "init-failure")
    assert "return -1;" in (folder / "hi.c").read_text()       # not copied over
    assert "return -1;" in again.source.toPlainText()


def test_kmodsim_lesson_and_the_app_share_the_students_folder(qtbot, make_window):
    """`kmodsim lesson` plays in the folder the app uses: the app then
    opens the student's copy with the edit made and every step done."""
    from kmodgui.lessons import lesson_main, load_lessons
    lesson = next(ls for ls in load_lessons() if ls.topic == "init-failure")
    assert lesson_main([str(lesson.path)]) == 0
    folder = student_folder(lesson)
    assert "return -1;" in (folder / "hi.c").read_text()
    win = make_window("hi.c")
    panel = _start(qtbot, win, "init-failure")
    assert win.source_path == (folder / "hi.c").resolve()
    assert "return -1;" in win.source.toPlainText()
    assert panel.passed == set(range(len(lesson.steps)))


@pytest.mark.parametrize("size,presenting,share,lines", [
    ((1366, 768), False, 0.4, 12), ((1366, 768), True, 0.35, 8), ((1024, 768), False, 0.35, 12)])
def test_the_lesson_text_is_usable_on_a_small_screen(qtbot, make_window, size, presenting,
                                                     share, lines):
    """At 1366x768 the step text had ~200 px (9 lines); at 1024x768 the side
    column folds into the bottom row, and presentation mode hides the pane:
    a started lesson gets a column of its own there."""
    win = make_window("hi.c")
    win.resize(*size)
    qtbot.wait(20)
    if presenting:
        win.enter_presentation()
    panel = _start(qtbot, win, "init-failure")
    qtbot.wait(20)
    text = panel.text
    assert not panel.visibleRegion().isEmpty()
    assert text.height() >= share * win.height()
    assert text.viewport().height() // text.fontMetrics().lineSpacing() >= lines
    assert win.shell.input.isVisible() and not win.shell.input.visibleRegion().isEmpty()
