"""Editing in the window: a sample becomes the student's copy (and the
shell follows it), Build saves first and marks diagnostics inline, insmod
uses the rebuilt module, and unsaved work survives closes and crashes."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import wait_idle
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from kmodgui import SAMPLES_DIR


@pytest.fixture
def mine(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "kmodgui-modules"
    monkeypatch.setenv("KMODGUI_MODULES_DIR", str(folder))
    return folder


def _put_cursor(win, needle: str, after: bool = True) -> None:
    found = win.source.document().find(needle)
    assert not found.isNull(), needle
    cursor = QTextCursor(found)
    cursor.setPosition(found.selectionEnd() if after else found.selectionStart())
    win.source.setTextCursor(cursor)
    win.source.setFocus()


def _copy_of(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "work"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text((SAMPLES_DIR / name).read_text())
    return path


def test_edit_a_sample_build_and_insmod_the_students_copy(qtbot, make_window, mine):
    win = make_window("hi.c")
    assert win.source.isReadOnly() and "sample, read-only" in win.source_header.text()
    offered: list[Path] = []
    win.editing.ask_save_path = lambda title, default: offered.append(default) or default
    _put_cursor(win, "return 0")
    qtbot.keyClick(win.source, Qt.Key_Backspace)        # the first key makes the copy
    qtbot.keyClicks(win.source, "-1")
    copy = mine / "hi.c"
    assert offered == [copy]
    assert win.source_path == copy and win.bridge.session.cwd == mine
    assert "return -1;" in win.source.toPlainText() and "● unsaved" in win.source_header.text()
    assert "return 0;" in (SAMPLES_DIR / "hi.c").read_text()          # the sample is intact
    win.acts["build"].trigger()                          # saves, then builds
    assert "return -1;" in copy.read_text() and not win.source.document().isModified()
    assert "builds cleanly" in win.source_header.text()
    win.acts["insmod"].trigger()
    wait_idle(qtbot, win)
    assert ("insmod: ERROR: could not insert module hi.ko: Operation not permitted\n"
            in win.shell.text())
    assert win.modules_panel.rows() == []
    # only what hi.c needs came along: the Makefile line that builds it
    assert sorted(p.name for p in mine.iterdir()) == ["Makefile", "hi.c"]
    assert "obj-m += hi.o" in (mine / "Makefile").read_text()


def test_build_saves_first_and_marks_the_error_at_its_column(qtbot, make_window, tmp_path):
    win = make_window(str(_copy_of(tmp_path, "hi.c")))
    assert not win.source.isReadOnly()
    _put_cursor(win, "return 0;")
    qtbot.keyClick(win.source, Qt.Key_Backspace)         # drop the ';'
    line = win.source.textCursor().blockNumber() + 1
    win.acts["build"].trigger()
    assert "return 0\n" in win.source_path.read_text()
    [mark] = [m for m in win.source.marks if m.is_error]
    assert mark.line in (line, line + 1) and mark.col > 0
    [squiggle] = [s for s in win.source.selections("squiggle")]
    assert squiggle.cursor.blockNumber() + 1 == mark.line
    assert f"hi.c:{mark.line}:{mark.col}: error:" in win.source.describe_line(mark.line)
    assert "build failed" in win.source_header.text()


def test_insmod_after_an_edit_while_the_old_module_is_loaded(qtbot, make_window, tmp_path):
    win = make_window(str(_copy_of(tmp_path, "hi.c")))
    win.insmod()
    wait_idle(qtbot, win)
    assert [r[0] for r in win.modules_panel.rows()] == ["hi"]
    _put_cursor(win, "being loaded.")
    qtbot.keyClicks(win.source, " Again")
    win.insmod()                                         # saves, rebuilds, and the kernel...
    wait_idle(qtbot, win)
    assert "being loaded. Again" in win.source_path.read_text()
    assert "insmod: ERROR: could not insert module hi.ko: File exists\n" in win.shell.text()
    win.rmmod()
    wait_idle(qtbot, win)
    win.insmod()
    wait_idle(qtbot, win)
    assert win.dmesg.line_texts()[-1].endswith("hi module being loaded. Again")


def test_closing_with_unsaved_edits_asks(qtbot, make_window, tmp_path):
    win = make_window(str(_copy_of(tmp_path, "hi.c")))
    _put_cursor(win, "return 0;")
    qtbot.keyClicks(win.source, " /* unsaved */")
    asked: list[str] = []
    win.editing.ask_unsaved = lambda name: asked.append(name) or "cancel"
    assert not win.close()
    assert asked == ["hi.c"] and win.isVisible()
    win.editing.ask_unsaved = lambda name: asked.append(name) or "save"
    assert win.close()
    assert "/* unsaved */" in win.source_path.read_text()


def test_opening_another_file_asks_about_unsaved_edits(qtbot, make_window, tmp_path):
    win = make_window(str(_copy_of(tmp_path, "hi.c")))
    _put_cursor(win, "return 0;")
    qtbot.keyClicks(win.source, " /* keep */")
    win.editing.ask_unsaved = lambda name: "cancel"
    assert not win.open_source(SAMPLES_DIR / "skull.c")
    assert win.source_path.name == "hi.c" and "/* keep */" in win.source.toPlainText()
    win.editing.ask_unsaved = lambda name: "discard"
    assert win.open_source(SAMPLES_DIR / "skull.c")
    assert win.source_path.name == "skull.c"
    assert "/* keep */" not in (tmp_path / "work" / "hi.c").read_text()


def test_unsaved_edits_survive_a_crash(qtbot, make_window, tmp_path):
    path = _copy_of(tmp_path, "hi.c")
    win = make_window(str(path))
    _put_cursor(win, "return 0;")
    qtbot.keyClicks(win.source, " /* survives */")
    edited = win.source.toPlainText()
    assert win.editing.autosave_now()
    win.editing.shutdown()                               # the crash: no close, no question
    win.hide()
    offered: list[str] = []
    from kmodgui.gui.editing import controller
    original = controller.dialogs.ask_recover
    controller.dialogs.ask_recover = lambda parent, name, when, note: offered.append(name) or "recover"
    try:
        again = make_window(str(path))
        qtbot.waitUntil(lambda: offered == ["hi.c"])
    finally:
        controller.dialogs.ask_recover = original
    assert again.source.toPlainText() == edited and again.source.document().isModified()
    assert "/* survives */" not in path.read_text()


def test_edit_menu_and_find_keys(qtbot, make_window):
    win = make_window("skull.c")
    titles = [a.text() for a in win.menuBar().actions()]
    assert titles[:2] == ["&File", "&Edit"]
    file_menu = win.menuBar().actions()[0].menu()
    assert {"&Save", "Save &As…"} <= {a.text() for a in file_menu.actions()}
    assert win.acts["save"].shortcut().toString() == "Ctrl+S"
    win.source.setFocus()
    qtbot.keyClick(win, Qt.Key_F, Qt.ControlModifier)
    bar = win.source.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, "goto fail_th")
    assert bar.status.text().endswith("of 3")            # fail_this, fail_that, fail_those
    qtbot.keyClick(bar.field, Qt.Key_Return)
    assert bar.status.text() == "2 of 3"
    win.set_zoom(2.0)
    assert bar.field.font().pointSizeF() > 15
