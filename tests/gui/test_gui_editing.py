"""Files behind the editor: atomic save, autosave and crash recovery,
unsaved edits asked about, changes on disk, samples edited by copy."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kmodgui import SAMPLES_DIR
from kmodgui.gui.editing import EditorController, data_dir
from kmodgui.gui.editing.files import atomic_write, is_sample
from kmodgui.gui.source.view import SourceView

HI = SAMPLES_DIR / "hi.c"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    path = folder / "hi.c"
    path.write_text(HI.read_text())
    return path


@pytest.fixture
def make_editor(qtbot, tmp_path: Path):
    """A source view with its controller; the data folder survives the
    view, as the app's does a crash."""
    def make(path: Path) -> tuple[SourceView, EditorController]:
        view = SourceView()
        qtbot.addWidget(view)
        ctl = EditorController(view, tmp_path / "data", parent=view)
        ctl.warn = lambda title, text: pytest.fail(f"unexpected warning: {title}: {text}")
        view.resize(700, 500)
        view.show()
        assert ctl.open_file(path)
        return view, ctl
    return make


def _type_at_end_of(view: SourceView, qtbot, needle: str, keys: str) -> None:
    from PySide6.QtGui import QTextCursor
    block = view.document().find(needle).block()
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.EndOfBlock)
    view.setTextCursor(cursor)
    qtbot.keyClicks(view, keys)


def _temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if "kmodgui-tmp" in p.name]


# -- atomic save -----------------------------------------------------------------------
def test_atomic_write_replaces_the_file_and_keeps_its_mode(tmp_path):
    target = tmp_path / "m.c"
    target.write_text("old\n")
    target.chmod(0o640)
    atomic_write(target, "new\n")
    assert target.read_text() == "new\n"
    assert (target.stat().st_mode & 0o777) == 0o640
    assert _temp_files(tmp_path) == []


def test_a_failed_save_leaves_the_original_intact_and_no_temp_file(qtbot, make_editor, source,
                                                                    monkeypatch):
    view, ctl = make_editor(source)
    before = source.read_text()
    _type_at_end_of(view, qtbot, "return 0;", " /* edited */")
    warnings: list[str] = []
    ctl.warn = lambda title, text: warnings.append(text)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", broken_replace)
    assert not ctl.save()
    assert source.read_text() == before
    assert _temp_files(source.parent) == []
    assert view.document().isModified() and "No space left on device" in warnings[0]
    monkeypatch.undo()
    assert ctl.save()
    assert "return 0; /* edited */" in source.read_text()
    assert not view.document().isModified() and _temp_files(source.parent) == []


def test_save_writes_the_text_and_then_is_not_an_external_change(qtbot, make_editor, source):
    view, ctl = make_editor(source)
    saved: list[str] = []
    ctl.saved.connect(saved.append)
    _type_at_end_of(view, qtbot, "return 0;", " // ok")
    assert "unsaved" in ctl.header_badge()
    assert ctl.save()
    assert saved == [str(source)] and ctl.header_badge() == ""
    asked: list[str] = []
    ctl.ask_reload = lambda name: asked.append(name) or False
    ctl.check_disk()                                    # what the watcher would do
    assert asked == [] and not view.document().isModified()


# -- autosave and recovery ----------------------------------------------------------------
def test_autosave_after_idle_and_recovery_after_a_crash(qtbot, make_editor, source, tmp_path):
    view, ctl = make_editor(source)
    ctl._autosave_timer.setInterval(30)                 # ~10 s in the app
    _type_at_end_of(view, qtbot, "return 0;", " /* not saved yet */")
    edited = view.toPlainText()
    recovery = ctl.store.file_for(source)
    qtbot.waitUntil(recovery.exists)
    assert recovery.parent == tmp_path / "data" / "recovery"     # not beside the source
    assert sorted(p.name for p in source.parent.iterdir()) == ["hi.c"]
    # the crash: the window is gone without saving or asking
    view.hide()
    ctl.shutdown()
    assert "not saved yet" not in source.read_text()
    offered: list[str] = []
    again, ctl2 = make_editor(source)
    ctl2.ask_recover = lambda name, when, note: offered.append(name) or "recover"
    qtbot.waitUntil(lambda: offered == ["hi.c"])
    assert again.toPlainText() == edited and again.document().isModified()
    again.undo()                                         # the recovery is one undo step
    assert again.toPlainText() == source.read_text()
    again.redo()
    assert ctl2.save() and not recovery.exists()


def test_recovery_can_be_discarded_or_kept_for_later(qtbot, make_editor, source):
    view, ctl = make_editor(source)
    _type_at_end_of(view, qtbot, "return 0;", " /* x */")
    assert ctl.autosave_now()
    ctl.shutdown()
    later, ctl2 = make_editor(source)
    ctl2.ask_recover = lambda *a: "later"
    ctl2.offer_recovery()
    assert ctl2.store.file_for(source).exists() and not later.document().isModified()
    ctl2.ask_recover = lambda *a: "discard"
    ctl2.offer_recovery()
    assert not ctl2.store.file_for(source).exists()


def test_recovery_of_a_file_that_is_not_open_is_offered_at_start(qtbot, make_editor, source,
                                                                   tmp_path):
    view, ctl = make_editor(source)
    _type_at_end_of(view, qtbot, "return 0;", " /* mine */")
    ctl.autosave_now()
    ctl.shutdown()
    other = tmp_path / "other.c"
    other.write_text("int x;\n")
    offered: list[str] = []

    view2 = SourceView()
    qtbot.addWidget(view2)
    ctl2 = EditorController(view2, tmp_path / "data", parent=view2)
    ctl2.ask_recover = lambda name, when, note: offered.append(name) or "recover"
    view2.show()
    ctl2.open_file(other)
    qtbot.waitUntil(lambda: offered == ["hi.c"])
    assert ctl2.path == source and "/* mine */" in view2.toPlainText()
    assert view2.document().isModified()


def test_undoing_back_to_the_saved_text_drops_the_autosave(qtbot, make_editor, source):
    view, ctl = make_editor(source)
    _type_at_end_of(view, qtbot, "return 0;", "!")
    ctl.autosave_now()
    assert ctl.store.file_for(source).exists()
    view.undo()
    assert not view.document().isModified() and not ctl.store.file_for(source).exists()


# -- leaving with unsaved edits ------------------------------------------------------------
@pytest.mark.parametrize("answer, allowed, on_disk", [
    ("cancel", False, False), ("discard", True, False), ("save", True, True)])
def test_leaving_with_unsaved_edits_asks(qtbot, make_editor, source, answer, allowed, on_disk):
    view, ctl = make_editor(source)
    _type_at_end_of(view, qtbot, "return 0;", " /* e */")
    ctl.autosave_now()
    asked: list[str] = []
    ctl.ask_unsaved = lambda name: asked.append(name) or answer
    assert ctl.confirm_leave() is allowed
    assert asked == ["hi.c"]
    assert ("/* e */" in source.read_text()) is on_disk
    assert ctl.store.file_for(source).exists() is (answer == "cancel")


def test_opening_another_file_with_unsaved_edits_can_be_cancelled(qtbot, make_editor, source,
                                                                   tmp_path):
    view, ctl = make_editor(source)
    _type_at_end_of(view, qtbot, "return 0;", " /* e */")
    ctl.ask_unsaved = lambda name: "cancel"
    other = tmp_path / "other.c"
    other.write_text("int x;\n")
    assert not ctl.open_file(other)
    assert ctl.path == source and "/* e */" in view.toPlainText()


# -- the file on disk ---------------------------------------------------------------------
def test_an_external_change_reloads_a_clean_file(qtbot, make_editor, source):
    view, ctl = make_editor(source)
    source.write_text(source.read_text().replace("return 0;", "return -1;"))
    qtbot.waitUntil(lambda: "return -1;" in view.toPlainText(), timeout=5000)
    assert not view.document().isModified()


def test_an_external_change_to_an_edited_file_asks(qtbot, make_editor, source):
    view, ctl = make_editor(source)
    _type_at_end_of(view, qtbot, "return 0;", " /* mine */")
    asked: list[str] = []
    ctl.ask_reload = lambda name: asked.append(name) or False      # keep my edits
    atomic_write(source, source.read_text().replace("return 0;", "return 42;"))  # as editors do
    qtbot.waitUntil(lambda: asked == ["hi.c"], timeout=5000)
    assert "/* mine */" in view.toPlainText() and view.document().isModified()
    ctl.ask_reload = lambda name: asked.append(name) or True       # now take theirs
    source.write_text(source.read_text().replace("return 42;", "return 7;"))
    qtbot.waitUntil(lambda: "return 7;" in view.toPlainText(), timeout=5000)
    assert "/* mine */" not in view.toPlainText() and not view.document().isModified()


def test_a_deleted_file_keeps_its_text_as_unsaved(qtbot, make_editor, source):
    view, ctl = make_editor(source)
    text = view.toPlainText()
    source.unlink()
    qtbot.waitUntil(lambda: view.document().isModified(), timeout=5000)
    assert view.toPlainText() == text
    assert ctl.save() and source.read_text() == text


# -- samples ------------------------------------------------------------------------------------
def test_a_sample_is_read_only_until_copied(qtbot, make_editor, tmp_path, monkeypatch):
    monkeypatch.setenv("KMODGUI_MODULES_DIR", str(tmp_path / "mine"))
    original = HI.read_text()
    view, ctl = make_editor(HI)
    assert is_sample(HI) and view.isReadOnly() and "sample, read-only" in ctl.header_badge()
    offered: list[Path] = []
    ctl.ask_save_path = lambda title, default: offered.append(default) or None
    _type_at_end_of(view, qtbot, "return 0;", "x")
    assert offered == [tmp_path / "mine" / "hi.c"]       # ~/kmodgui-modules/ by default
    assert view.isReadOnly() and view.toPlainText() == original
    _type_at_end_of(view, qtbot, "return 0;", "yz")
    assert len(offered) == 1                              # declined: not asked again
    ctl.ask_save_path = lambda title, default: default
    assert ctl.save()                                     # Ctrl+S asks: asked for
    _type_at_end_of(view, qtbot, "return 0;", " /* my copy */")
    copy = tmp_path / "mine" / "hi.c"
    assert ctl.path == copy and not view.isReadOnly()
    assert "return 0; /* my copy */" in view.toPlainText()     # every key landed
    assert copy.read_text() == original                  # the copy starts as the sample
    assert HI.read_text() == original
    assert ctl.save() and "/* my copy */" in copy.read_text()


def test_data_dir_follows_isolated_settings(tmp_path, monkeypatch):
    from kmodgui.gui.settings import open_settings
    monkeypatch.delenv("KMODGUI_DATA_DIR", raising=False)
    assert data_dir(open_settings(tmp_path / "s.ini")) == tmp_path / "s-data"
    monkeypatch.setenv("KMODGUI_DATA_DIR", str(tmp_path / "d"))
    assert data_dir(open_settings(tmp_path / "s.ini")) == tmp_path / "d"
