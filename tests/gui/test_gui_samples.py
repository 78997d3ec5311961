"""File → Samples and the student's copy of a sample: the menu groups the
samples by the topics of their Makefile (and the lessons built on them),
each with its one-line summary; the first keystroke in a sample asks one
question for the copy, which gets only what that module needs beside it."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from kmodgui import SAMPLES_DIR
from kmodgui.gui.editing import samples


@pytest.fixture
def mine(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "kmodgui-modules"
    monkeypatch.setenv("KMODGUI_MODULES_DIR", str(folder))
    return folder


def _menu_tree(menu: QMenu) -> dict[str, list[str]]:
    return {a.text(): [b.text() for b in a.menu().actions()]
            for a in menu.actions() if a.menu() is not None}


def test_samples_are_grouped_by_topic_with_a_summary(make_window):
    win = make_window("hi.c")
    tree = _menu_tree(win.findChild(QMenu, "menuSamples"))
    titles = list(tree)
    # the Makefile's own comments name the topics, in its order
    assert titles[0].startswith("The init/exit basics and init's return value  (lessons 1-3")
    assert titles[1].startswith("Error handling in init (LDD3 chapter 2) and its planted bugs"
                                "  (lessons 4-5)")
    assert titles[-1] == samples.BROKEN_TITLE
    basics = tree[titles[0]]
    assert "hi.c  —  the smallest useful loadable module: init + exit" in basics
    assert "hi_eio.c  —  init returns -EIO" in basics
    parts = tree[next(t for t in titles if t.startswith("Parameters"))]
    assert any(t.startswith("startstop: start.c + stop.c  —  ") for t in parts)
    listed = sum(len(v) for v in tree.values())
    on_disk = len(list(SAMPLES_DIR.glob("*.c"))) - 1 + len(list((SAMPLES_DIR / "broken").glob("*.c")))
    assert listed == on_disk                          # start.c and stop.c are one entry
    skull = next(a for a in win.findChild(QMenu, "menuSamples").actions()
                 if a.menu() is not None and a.text().startswith("Error handling"))
    first = skull.menu().actions()[0]
    assert "lesson 4" in first.toolTip()
    first.trigger()
    assert win.source_path == SAMPLES_DIR / "skull.c"


def _type_in(qtbot, win, key=Qt.Key_Space) -> None:
    win.source.setFocus()
    qtbot.keyClick(win.source, key)


def test_a_copy_of_a_two_file_module_gets_its_other_half_and_its_makefile_lines(
        qtbot, make_window, mine):
    win = make_window("start.c")
    asked: list[str] = []
    win.editing.ask_save_path = lambda title, default: asked.append(title) or default
    _type_in(qtbot, win)
    _type_in(qtbot, win)
    assert len(asked) == 1 and "stop.c" in asked[0] and "Makefile" in asked[0]
    assert sorted(p.name for p in mine.iterdir()) == ["Makefile", "start.c", "stop.c"]
    makefile = (mine / "Makefile").read_text()
    assert "obj-m += startstop.o\nstartstop-objs := start.o stop.o\n" in makefile
    assert "obj-m += hi.o" not in makefile
    assert win.source_path == mine / "start.c"
    win.shell.run("insmod startstop.ko")              # it builds and loads from the copy
    wait_idle(qtbot, win)
    assert [r[0] for r in win.modules_panel.rows()] == ["startstop"]


def test_a_declined_copy_stays_declined_for_that_file(qtbot, make_window, mine):
    """Declining the copy and typing on: no second question, not even
    after opening the sample again; another sample still asks; the
    context menu's "Edit a copy" (asked for) does."""
    win = make_window("hi.c")
    asked: list[str] = []
    win.editing.ask_save_path = lambda title, default: asked.append(title) or None
    for key in (Qt.Key_Space, Qt.Key_A, Qt.Key_Return):
        _type_in(qtbot, win, key)
    assert len(asked) == 1 and win.source.isReadOnly()
    assert "Edit a copy" in win.statusBar().currentMessage()
    assert win.open_source(SAMPLES_DIR / "skull.c") is not False
    _type_in(qtbot, win)
    assert len(asked) == 2 and "skull.c" in asked[1]
    win.open_source(SAMPLES_DIR / "hi.c")
    _type_in(qtbot, win)
    assert len(asked) == 2                            # hi.c: declined this session
    win.editing.ask_save_path = lambda title, default: asked.append(title) or default
    menu = win.source.context_menu_for_line(5)
    next(a for a in menu.actions() if a.text().startswith("Edit a copy")).trigger()
    assert len(asked) == 3 and win.source_path == mine / "hi.c"
    assert not mine.joinpath("skull.c").exists()


def test_a_copy_of_a_module_using_exported_symbols_brings_the_exporter(qtbot, make_window, mine):
    win = make_window("user.c")
    win.editing.ask_save_path = lambda title, default: default
    _type_in(qtbot, win)
    assert sorted(p.name for p in mine.iterdir()) == ["Makefile", "expo.c", "user.c"]
    makefile = (mine / "Makefile").read_text()
    assert "obj-m += user.o" in makefile and "obj-m += expo.o" in makefile
    win.shell.run("insmod expo.ko")
    win.shell.run("insmod user.ko")
    wait_idle(qtbot, win)
    assert sorted(r[0] for r in win.modules_panel.rows()) == ["expo", "user"]


def test_a_makefile_already_there_gets_lines_added_nothing_changed(qtbot, make_window, mine):
    mine.mkdir(parents=True)
    own = "# my modules\nobj-m += mine.o\n"
    (mine / "Makefile").write_text(own)
    (mine / "stop.c").write_text("/* my own stop.c */\n")
    win = make_window("start.c")
    win.editing.ask_save_path = lambda title, default: default
    _type_in(qtbot, win)
    makefile = (mine / "Makefile").read_text()
    assert makefile.startswith(own) and "obj-m += startstop.o" in makefile
    assert (mine / "stop.c").read_text() == "/* my own stop.c */\n"      # never overwritten
