"""File → Export: timeline PNG/SVG, window and pane PNGs, dmesg text and a
debug session as a numbered PNG sequence; an injected fault is always noted."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import wait_idle
from PySide6.QtGui import QImage

from kmodgui.gui.export import images, notes, sequence

PNG = b"\x89PNG\r\n\x1a\n"


def _inject_and_load(qtbot, win):
    win.shell.run("inject register_those ENOMEM")
    win.shell.run("insmod skull.ko")
    wait_idle(qtbot, win)


def _answer(win, path):
    win.exporter.ask_file = lambda title, default, filters: str(path)
    win.exporter.ask_folder = lambda title, default: str(path)
    win.exporter.warn = lambda text: pytest.fail(text)


def test_the_export_menu_is_in_the_file_menu(qtbot, make_window):
    win = make_window("skull.c")
    names = [a.objectName() for a in win.export_menu.actions()]
    for name in ("actionExportTimelinePng", "actionExportTimelineSvg", "actionExportWindow",
                 "actionExportDmesg", "actionExportFrames"):
        assert name in names
    file_menu = win.menuBar().actions()[0].menu()
    assert win.export_menu.menuAction() in file_menu.actions()


def test_timeline_png_and_svg(qtbot, make_window, tmp_path):
    win = make_window("skull.c")
    _inject_and_load(qtbot, win)
    _answer(win, tmp_path / "t.png")
    png = win.exporter.timeline(".png")
    assert png.read_bytes().startswith(PNG)
    image = QImage(str(png))
    assert image.width() >= win.timeline.plot.width() * 1.5          # drawn large for slides
    _answer(win, tmp_path / "t.svg")
    svg = win.exporter.timeline(".svg").read_text()
    assert "<svg" in svg
    assert "injected fault" in svg and "register_those() -ENOMEM" in svg
    assert not win.timeline.plot.getPlotItem().titleLabel.isVisible()   # title removed again


def test_window_and_pane_png_carry_the_fault_note(qtbot, make_window, tmp_path):
    win = make_window("skull.c")
    clean = images.export_window(win, tmp_path / "clean.png")
    clean_height = QImage(str(clean)).height()
    _inject_and_load(qtbot, win)
    _answer(win, tmp_path / "w.png")
    out = win.exporter.window()
    assert out.read_bytes().startswith(PNG)
    assert QImage(str(out)).height() > clean_height                  # the note's banner
    _answer(win, tmp_path / "dmesg-pane.png")
    pane = win.exporter.pane("dockDmesg")
    assert pane.read_bytes().startswith(PNG)
    _answer(win, tmp_path / "source.png")
    assert win.exporter.pane("source").read_bytes().startswith(PNG)


def test_dmesg_text_has_the_kernels_lines_and_the_fault_note(qtbot, make_window, tmp_path):
    win = make_window("skull.c")
    win.shell.run("kconfig FAULT_INJECTION=y FAIL_FUNCTION=y")   # fail_dump() prints
    _inject_and_load(qtbot, win)
    _answer(win, tmp_path / "dmesg.txt")
    text = win.exporter.dmesg().read_text()
    lines = text.splitlines()
    assert lines[0].startswith("# contains an injected fault") and "register_those()" in lines[0]
    assert any(line.startswith("[    4.") and "FAULT_INJECTION: forcing a failure." in line
               for line in lines)
    assert any(line.endswith("skull: init failed with error -12") for line in lines)


def test_dmesg_text_without_fault_has_no_note(qtbot, make_window, tmp_path):
    win = make_window("hi.c")
    win.shell.run("insmod hi.ko")
    wait_idle(qtbot, win)
    text = images.export_dmesg(win, tmp_path / "d.txt").read_text()
    assert not text.startswith("#") and "hi module being loaded." in text


def test_debug_session_png_sequence_with_captions(qtbot, make_window, tmp_path):
    win = make_window("skull.c")
    win.shell.run("inject register_those ENOMEM")
    wait_idle(qtbot, win)
    rec = sequence.record_debug_session(win, tmp_path, gif=sequence.gif_available())
    assert rec.finished and len(rec.frames) > 10
    assert [p.name for p in rec.frames[:3]] == ["frame-001.png", "frame-002.png", "frame-003.png"]
    assert all(p.read_bytes().startswith(PNG) for p in rec.frames)
    assert "injected fault" in rec.note and "register_those" in rec.note
    assert rec.captions[0].startswith("step ")
    failing = [c for c in rec.captions if "register_those() failed with -ENOMEM" in c]
    assert failing and any("jumping to fail_those" in c for c in failing)
    assert rec.captions[-1].startswith("insmod skull.ko exited with status 1")
    first = QImage(str(rec.frames[0]))
    assert first.width() == win.width() and first.height() > win.height()   # banners added
    if rec.gif is not None:
        assert rec.gif.read_bytes()[:6] in (b"GIF89a", b"GIF87a")
    wait_idle(qtbot, win)
    assert win.modules_panel.rows() == []              # the recorded insmod failed, as it should


def test_fault_note_words():
    from kmodgui.kernel.events import FaultInjected, Site
    ev = FaultInjected(1, "register_those", 12, "skull", Site("skull.c", 42, "my_init"))
    assert notes.fault_note([ev]) == ("contains an injected fault (forced by kmodgui, not by "
                                      "the module): register_those() -ENOMEM at skull.c:42")
    assert notes.fault_note([]) == ""


@pytest.mark.parametrize("caption,note", [("step 3: something", ""), ("", "a note"),
                                          ("step 4", "note")])
def test_banners_add_strips_without_covering(qtbot, caption, note):
    from kmodgui.gui.theme import LIGHT
    image = QImage(400, 200, QImage.Format_ARGB32)
    image.fill(0xFF00FF00)
    out = images.with_banners(image, LIGHT, caption, note)
    assert out.width() == 400 and out.height() > 200
    top = out.height() - 200 if not caption else None
    if top is not None:
        assert out.pixelColor(10, top + 5).green() == 255        # the picture starts below


def test_export_writes_where_asked_and_remembers_the_folder(qtbot, make_window, tmp_path):
    win = make_window("hi.c")
    _answer(win, tmp_path / "sub" / "w.png")
    out = win.exporter.window()
    assert out == tmp_path / "sub" / "w.png" and out.is_file()
    assert Path(str(win.settings.value("export/folder"))) == tmp_path / "sub"


def test_command_line_exports(qtbot, tmp_path):
    from kmodgui import SAMPLES_DIR
    from kmodgui.gui.app import main
    svg, txt = tmp_path / "t.svg", tmp_path / "d.txt"
    status = main([str(SAMPLES_DIR / "skull.c"), "--size", "1200x800", "--run",
                   "inject register_those ENOMEM; insmod skull.ko",
                   "--export-timeline", str(svg), "--export-dmesg", str(txt)])
    assert status == 0
    assert "<svg" in svg.read_text() and "injected fault" in svg.read_text()
    assert txt.read_text().startswith("# contains an injected fault")
