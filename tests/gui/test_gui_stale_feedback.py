"""Feedback tied to what it describes: a build's marker leaves when its line
is edited and follows its line when lines are typed above it; a fault hint
leaves once the call has failed; a finished session's caption leaves when
another file is opened."""
from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from kmodgui import SAMPLES_DIR
from tests.gui.conftest import wait_idle


def _broken_copy(make_window, tmp_path):
    """A folder of the user's own with syntax_error.c (a missing ';'), built."""
    src = tmp_path / "syntax_error.c"
    shutil.copy(SAMPLES_DIR / "broken" / "syntax_error.c", src)
    win = make_window("hi.c")
    assert win.open_source(src)
    result = win.build()
    assert result is not None and not result.ok
    errors = [m for m in win.source.marks if m.is_error]
    assert errors, "the build of a file missing a ';' reports an error"
    return win, errors[0]


def _cursor_at(win, line: int, end: bool) -> None:
    block = win.source.document().findBlockByNumber(line - 1)
    cur = QTextCursor(block)
    if end:
        cur.movePosition(QTextCursor.EndOfBlock)
    win.source.setTextCursor(cur)
    win.source.setFocus()


def test_the_error_marker_leaves_when_its_line_is_fixed_and_stays_off_new_lines(
        qtbot, make_window, tmp_path):
    win, mark = _broken_copy(make_window, tmp_path)
    _cursor_at(win, mark.line, end=True)
    qtbot.keyClicks(win.source, ";")                       # the fix
    assert not any(m.line == mark.line for m in win.source.marks)
    qtbot.keyClick(win.source, Qt.Key_Return)
    qtbot.keyClicks(win.source, "/* fixed */")             # a new comment line below it
    assert all(m.line not in (mark.line, mark.line + 1) for m in win.source.marks)
    win.acts["save"].trigger()                            # saving rebuilds: nothing wrong now
    wait_idle(qtbot, win)
    assert not [m for m in win.source.marks if m.is_error]


def test_a_marker_follows_its_line_when_a_line_is_typed_above_it(qtbot, make_window, tmp_path):
    win, mark = _broken_copy(make_window, tmp_path)
    text = win.source.line_text(mark.line)
    _cursor_at(win, mark.line, end=False)
    qtbot.keyClick(win.source, Qt.Key_Return)              # Enter at the very start of the line
    qtbot.keyClick(win.source, Qt.Key_Up)
    qtbot.keyClicks(win.source, "// a note")
    moved = [m for m in win.source.marks if m.message == mark.message]
    assert [m.line for m in moved] == [mark.line + 1]
    assert win.source.line_text(mark.line + 1).strip() == text.strip()
    assert win.source.line_text(mark.line).strip() == "// a note"


def test_the_fault_hint_leaves_once_the_call_has_failed(qtbot, make_window):
    win = make_window("skull.c")
    c = win.debug
    c.set_animations(False)
    win.source.fail_requested.emit(37, "register_that", 12)   # right click: fail with -ENOMEM
    qtbot.waitUntil(lambda: c.active and win.source.exec_line == 37)
    hint = "register_that() will fail with -ENOMEM"
    assert hint in c.caption.text and hint in win.statusBar().currentMessage()
    c.step_over()                                         # the call fails
    assert c.caption.text.startswith("register_that() failed with -ENOMEM")
    assert hint not in win.statusBar().currentMessage()
    assert hint not in c.caption_bar.text.text()


def test_a_finished_sessions_caption_leaves_when_another_file_opens(qtbot, make_window):
    win = make_window("skull.c")
    c = win.debug
    c.set_animations(False)
    c.start_insmod()
    c.cont()
    qtbot.waitUntil(lambda: not c.active and not c.running)
    assert c.caption_bar.isVisible() and "skull is live" in c.caption_bar.text.text()
    assert win.open_source(SAMPLES_DIR / "hi.c")
    assert not c.caption_bar.isVisible() and c.caption.text == ""


def test_a_paused_sessions_caption_stays_when_another_file_opens(qtbot, make_window):
    win = make_window("skull.c")
    c = win.debug
    c.set_animations(False)
    c.start_insmod()
    c.step_over()
    said = c.caption.text
    assert win.open_source(SAMPLES_DIR / "hi.c")
    assert c.active and c.caption_bar.isVisible() and c.caption.text == said
