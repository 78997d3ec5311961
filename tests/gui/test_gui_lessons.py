"""The Lessons pane: starting a lesson opens its module on a copy, a step
ticks itself when the user's own command produced the outcome, and "Do it
for me" performs the step."""
from __future__ import annotations

from conftest import wait_idle

from kmodgui import SAMPLES_DIR


def _start(qtbot, win, topic):
    panel = win.panels["dockLessons"]
    assert panel.start(topic)
    wait_idle(qtbot, win)
    return panel


def test_the_list_shows_every_lesson_with_its_topic(qtbot, make_window):
    win = make_window("hi.c")
    panel = win.panels["dockLessons"]
    lessons = panel.load()
    assert panel.list.count() == len(lessons) == 9
    first = panel.list.item(0).text()
    assert lessons[0].title in first and "load-unload" in first and "hi.c" in first


def test_starting_a_lesson_opens_a_copy_of_its_module(qtbot, make_window):
    win = make_window("hi.c")
    panel = _start(qtbot, win, "goto-unwind")
    assert win.source_path.name == "skull.c"
    assert SAMPLES_DIR.resolve() not in win.source_path.parents      # never the samples
    assert panel.isVisible() and not panel.visibleRegion().isEmpty()   # in front
    assert panel.pages.currentIndex() == 1
    text = panel.text.toPlainText()
    assert "Step 1 of 5: Everything succeeds" in text
    assert "About this lesson" in text
    assert "# insmod skull.ko" in text
    assert all(state is None for _, state in panel.step_states())     # ○ not checked yet


def test_a_step_ticks_when_the_user_runs_the_right_commands(qtbot, make_window):
    win = make_window("hi.c")
    panel = _start(qtbot, win, "load-unload")
    passed = []
    panel.stepPassed.connect(passed.append)
    first = panel.step
    win.shell.run("lsmod")                         # not what the step asks
    wait_idle(qtbot, win)
    assert panel.result is not None and not panel.result.passed
    assert passed == []
    assert "✗" in panel.text.toPlainText()
    for line in first.commands:                    # the student types the step's commands
        win.shell.run(line)
    wait_idle(qtbot, win)
    qtbot.waitUntil(lambda: passed == [1])
    assert all(state for _, state in panel.step_states())
    text = panel.text.toPlainText()
    assert "✓ Done" in text
    assert "✓ 1" in [panel.chips.itemAt(i).widget().text()
                     for i in range(panel.chips.count()) if panel.chips.itemAt(i).widget()]


def test_do_it_for_me_performs_the_step_with_its_edit(qtbot, make_window):
    win = make_window("hi.c")
    panel = _start(qtbot, win, "init-failure")
    step = panel.step
    assert step.edits                              # return 0; -> return -1;
    passed = []
    panel.stepPassed.connect(passed.append)
    panel.do_button.click()
    wait_idle(qtbot, win)
    qtbot.waitUntil(lambda: passed == [1])
    assert "return -1;" in win.source_path.read_text()
    assert "return -1;" in win.source.toPlainText()
    assert "Operation not permitted" in win.shell.text()     # the commands ran in the Shell
    assert "return -1;" not in (SAMPLES_DIR / "hi.c").read_text()
    panel.next_button.click()
    assert panel.index == 1 and panel.result is None


def test_clicking_a_command_types_it_into_the_shell(qtbot, make_window):
    win = make_window("hi.c")
    panel = _start(qtbot, win, "goto-unwind")
    from PySide6.QtCore import QUrl
    panel.text.anchorClicked.emit(QUrl("cmd:0"))
    assert win.shell.input.text() == panel.step.commands[0]


def test_lesson_text_follows_zoom(qtbot, make_window):
    win = make_window("hi.c")
    panel = _start(qtbot, win, "load-unload")
    small = panel.text.font().pointSizeF()
    win.enter_presentation()
    assert panel.text.font().pointSizeF() > small * 1.3
    assert not panel.visibleRegion().isEmpty()         # the lesson stays on screen


def test_every_lesson_passes_through_do_it_for_me(qtbot, make_window):
    """The GUI path (edits on the copy, Kconfig through the bridge, commands
    through the Shell, checks after each command) agrees with run_lesson."""
    win = make_window("hi.c")
    panel = win.panels["dockLessons"]
    for lesson in panel.load():
        assert panel.start(lesson.topic)
        wait_idle(qtbot, win)
        for i in range(len(lesson.steps)):
            panel.go(i)
            panel.do_it()
            wait_idle(qtbot, win)
            qtbot.waitUntil(lambda: i in panel.passed, timeout=5000)
        assert panel.passed == set(range(len(lesson.steps))), lesson.topic
