"""The dmesg pane: format, level filter (dmesg -l), cap, search, reboots."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Signal

from kmodgui.gui.panels.dmesg import MAX_LINES, DmesgPanel
from kmodgui.gui.panels.dmesg_format import level_tag, parse_levels, timestamp
from kmodgui.kernel.events import Booted, Printk


class StubBridge(QObject):
    events = Signal(list)

    def all_events(self) -> list:
        return []


@pytest.fixture
def pane(qtbot):
    bridge = StubBridge()
    panel = DmesgPanel(bridge)
    qtbot.addWidget(panel)
    panel.bridge_stub = bridge
    return panel


def test_printk_timestamp_and_level_tag():
    assert timestamp(4_827_454_321) == "[    4.827454]"
    assert timestamp(1463_495_062_000) == "[ 1463.495062]"
    assert level_tag(4) == "warn   " and level_tag(5) == "notice "
    assert parse_levels("err,warn") == {3, 4} and parse_levels("0,7") == {0, 7}
    with pytest.raises(ValueError):
        parse_levels("loud")


def test_lines_arrive_batched_and_filter_like_dmesg_l(qtbot, pane):
    pane.bridge_stub.events.emit([Printk(10**9, 0, 4, "tainting", "hi"),
                                  Printk(2 * 10**9, 1, 6, "hello", "hi"),
                                  Printk(3 * 10**9, 2, 3, "oops", None, injected=True)])
    assert pane.line_texts() == []                       # buffered until the timer
    qtbot.waitUntil(lambda: len(pane.line_texts()) == 3)
    assert pane.line_texts() == ["  warn   [    1.000000] tainting",
                                 "  info   [    2.000000] hello",
                                 "★ err    [    3.000000] oops"]
    pane.set_levels({3, 4})
    assert [t.split("] ")[1] for t in pane.line_texts()] == ["tainting", "oops"]
    assert pane.level_button.text() == "-l err,warn"
    pane.set_levels(set(range(8)))
    assert len(pane.line_texts()) == 3


def test_reboot_banner_and_search(pane):
    pane.on_events([Booted(0, "6.1", ()), Printk(1, 0, 6, "first", None), Booted(0, "2.6.30", ()),
                    Printk(5, 0, 6, "after reboot", None)])
    pane.flush()
    assert pane.line_texts()[1] == "──── reboot: kernel 2.6.30 ────"
    pane.search.setText("after")
    assert pane.find_next()
    assert pane.view.textCursor().blockNumber() == 2
    pane.search.setText("nowhere")
    assert not pane.find_next()


def test_hundred_thousand_lines_are_capped(pane):
    for start in range(0, 100_000, 10_000):
        pane.on_events([Printk(i * 1000, i, 6, f"line {i}", None) for i in range(start, start + 10_000)])
        pane.flush()
    assert pane.view.document().blockCount() == MAX_LINES
    assert len(pane.view.records) == MAX_LINES
    assert pane.line_texts()[-1].endswith("line 99999")
    assert pane.line_texts()[0].endswith(f"line {100_000 - MAX_LINES}")
    row = pane.select_time(99_990 * 1000)
    assert pane.line_texts()[row].endswith("line 99990")


def test_flood_through_the_timer_keeps_the_cap_and_every_line_since(qtbot, pane):
    """The flush timer inserts in slices; what the cap keeps is exactly the
    newest MAX_LINES lines, in order."""
    n = 3 * MAX_LINES + 123
    pane.on_events([Printk(i * 1000, i, 6, f"line {i}", None) for i in range(n)])
    qtbot.waitUntil(lambda: not pane._pending, timeout=20_000)
    doc = pane.view.document()
    assert doc.blockCount() == MAX_LINES
    texts = [doc.findBlockByNumber(r).text() for r in (0, MAX_LINES // 2, MAX_LINES - 1)]
    first = n - MAX_LINES
    assert texts == [f"line {first}", f"line {first + MAX_LINES // 2}", f"line {n - 1}"]


def test_dmesg_layout_puts_the_time_in_the_text(pane):
    pane.on_events([Printk(4_827_454_321, 0, 6, "hello", "hi")])
    pane.flush()
    columns_gutter = pane.view.gutter_width()
    assert pane.view.document().firstBlock().text() == "hello"
    pane.set_layout("dmesg")
    # print_time's "[%5lu.%06lu] " in front of the message, as dmesg prints it
    assert pane.view.document().firstBlock().text() == "[    4.827454] hello"
    assert pane.view.gutter_width() < columns_gutter
    assert pane.line_texts() == ["  info   [    4.827454] hello"]
    pane.set_layout("columns")
    assert pane.line_texts() == ["  info   [    4.827454] hello"]
