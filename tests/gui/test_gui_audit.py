"""The Audit pane: a sweep fills the matrix in the background, cells carry a
symbol and a word (not colour only), clicks reach the source and replay
the path."""
from __future__ import annotations

import time

from conftest import wait_idle
from PySide6.QtCore import Qt, QTimer

from kmodgui.gui.audit import cells


def _audit(qtbot, win):
    panel = win.panels["dockAudit"]
    with qtbot.waitSignal(panel.reportShown, timeout=30_000):
        win.acts["audit"].trigger()
    return panel


def _row_texts(panel, row):
    m = panel.matrix
    return [m.item(row, c).text() for c in range(m.columnCount())]


def test_sweep_of_skull_leaky_marks_the_leak_in_the_register_those_row(qtbot, make_window):
    win = make_window("skull_leaky.c")
    panel = _audit(qtbot, win)
    assert panel.on_screen()                             # its tab came to the front
    m = panel.matrix
    headers = [m.horizontalHeaderItem(c).text() for c in range(m.columnCount())]
    assert headers[:3] == ["▶ fault point", "verdict", "init\nreturned"]
    assert headers[3:6] == ["register_this()\nline 28", "register_that()\nline 33",
                            "register_those()\nline 38"]
    assert m.rowCount() == 4
    row3 = _row_texts(panel, 3)
    assert row3[0] == "▶ 3  register_those() :38"
    assert row3[1] == "✗ leak · order · reload"
    assert row3[2] == "-EBUSY"
    assert row3[4] == "✗ LEAKED"                         # that: never released
    assert row3[3] == "⇅ order"                          # this: released before that
    assert row3[5] == "·"                                # those: never acquired
    assert m.item(3, 4).data(Qt.UserRole) == "leaked"
    assert "LEAKED" in m.item(3, 4).toolTip() and "skull_leaky.c:33" in m.item(3, 4).toolTip()
    assert _row_texts(panel, 0)[3:6] == ["✓ released"] * 3
    assert _row_texts(panel, 1)[1] == "✓ clean"
    # the first unclean row is selected; its details name the path and the miss
    assert m.currentRow() == 3
    details = panel.details.toPlainText()
    assert "goto fail_those (line 40 → 47)" in details
    assert "leaks that \"skull_leaky\" (skull_leaky.c:33)" in details
    assert "the next insmod fails: Device or resource busy" in details
    assert "1 unclean path(s)" in panel.status.text()


def test_every_cell_state_has_its_own_symbol_and_word():
    symbols = [s.symbol for s in cells.STYLES.values()]
    words = [s.word for s in cells.STYLES.values()]
    assert len(set(symbols)) == len(symbols) and len(set(words)) == len(words)


def test_progress_is_shown_and_the_window_stays_responsive(qtbot, make_window):
    win = make_window("skull_leaky.c")
    panel = win.panels["dockAudit"]
    ticks = []
    timer = QTimer(win)
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    seen_progress = []
    panel.runner.progress.connect(lambda done, total: seen_progress.append((done, total)))
    assert panel.report is None and not panel.runner.running    # behind its tab: not run
    with qtbot.waitSignal(panel.reportShown, timeout=30_000):
        win.acts["audit"].trigger()
        assert panel.progress.isVisible()                # shown as soon as it starts
        assert panel.cancel_button.isEnabled()
    timer.stop()
    assert seen_progress and seen_progress[-1] == (3, 3)
    assert len(ticks) >= 2                               # the event loop ran during the sweep
    assert not panel.progress.isVisible()


def test_clicking_a_leaked_cell_selects_the_line_that_acquired_it(qtbot, make_window):
    win = make_window("skull_leaky.c")
    panel = _audit(qtbot, win)
    lines = []
    panel.lineActivated.connect(lambda f, line: lines.append((f, line)))
    panel.matrix.scrollToItem(panel.matrix.item(3, 4))
    rect = panel.matrix.visualItemRect(panel.matrix.item(3, 4))
    qtbot.mouseClick(panel.matrix.viewport(), Qt.LeftButton, pos=rect.center())
    assert lines == [("skull_leaky.c", 33)]
    assert win.source.selected_line == 33


def test_clicking_a_row_replays_it_in_the_stepper(qtbot, make_window):
    win = make_window("skull_leaky.c")
    panel = _audit(qtbot, win)
    requests = []
    panel.replayRequested.connect(lambda *args: requests.append(args))
    rect = panel.matrix.visualItemRect(panel.matrix.item(3, 0))
    qtbot.mouseClick(panel.matrix.viewport(), Qt.LeftButton, pos=rect.center())
    assert requests == [(3, "register_those", 16)]
    # on a fresh kernel, the debugger pauses in init, the fault armed for call 3
    ctl = win.debug
    qtbot.waitUntil(lambda: ctl.active and not ctl.running and ctl.dbg.stop.site is not None
                    and ctl.dbg.stop.site.line > 33, timeout=10_000)
    assert win.bridge.module_state("skull_leaky") == "COMING"
    ctl.cont()                                       # F5: the failure and its unwind
    qtbot.waitUntil(lambda: not ctl.active, timeout=10_000)
    wait_idle(qtbot, win)
    events = win.bridge.all_events()
    assert any(type(e).__name__ == "FaultInjected" and e.api == "register_those"
               for e in events)
    # the leak the matrix showed is now in the machine: 'that' is still held
    assert [r.name for r in win.bridge.held_resources()] == ['that "skull_leaky"']


def test_findings_are_listed_with_file_and_line(qtbot, make_window):
    win = make_window("hi_42.c")
    panel = _audit(qtbot, win)
    top = panel.findings.topLevelItem(0)
    assert top.text(0) == "hi_42.c:11" and top.text(1) == "positive-return"
    lines = []
    panel.lineActivated.connect(lambda f, line: lines.append((f, line)))
    panel._finding_activated(top)
    assert lines == [("hi_42.c", 11)]


def test_audit_follows_zoom(qtbot, make_window):
    win = make_window("skull_leaky.c")
    panel = _audit(qtbot, win)
    small = panel.matrix.font().pointSizeF()
    win.set_zoom(2.0)
    assert panel.matrix.font().pointSizeF() > small * 1.8
    assert panel.matrix.rowCount() == 4                  # refilled, not lost
