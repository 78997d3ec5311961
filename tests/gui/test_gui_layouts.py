"""The window on every screen: the first window fits the available screen,
the source is the largest pane, presentation mode shows 80 columns and 18
lines at 1024x768, zoom and the lecture caption never squeeze the source
below 12 lines, nothing is drawn over anything else, Ctrl+0 restores the
mode's own zoom.  The screen is faked: MainWindow takes the available area."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QTabBar, QWidget

from kmodgui import SAMPLES_DIR
from kmodgui.gui import docks
from tests.gui.conftest import wait_idle

SCREENS = [(1920, 1080), (1366, 768), (1024, 768)]


@pytest.fixture
def window_on(qtbot, settings_path: Path):
    """A first-run window (no saved layout) on a screen of the given size."""
    from kmodgui.gui.mainwindow import MainWindow
    from kmodgui.gui.settings import open_settings
    from kmodgui.session import Session

    def make(width: int, height: int, source: str = "skull.c"):
        win = MainWindow(Session(), open_settings(settings_path), follow_system_theme=False,
                         screen_area=QRect(0, 0, width, height))
        win.confirm = lambda title, text: True
        qtbot.addWidget(win)
        win.open_source(SAMPLES_DIR / source)
        win.show()
        qtbot.waitExposed(win)
        qtbot.waitUntil(lambda: win.timeline.plot is not None)
        docks.settle_layout(win)
        return win
    return make


def visible_docks(win) -> list[QDockWidget]:
    return [d for d in win.docks.values() if d.isVisible() and not d.visibleRegion().isEmpty()]


def area(w: QWidget) -> int:
    return w.width() * w.height()


def in_window(win, w: QWidget) -> QRect:
    return QRect(w.mapTo(win, w.rect().topLeft()), w.size())


def assert_nothing_overlaps(win) -> None:
    """Docks, the source, tab bars and status-bar text: no two overlap."""
    boxes = [("source", in_window(win, win.source))]
    boxes += [(d.objectName(), in_window(win, d)) for d in visible_docks(win)]
    boxes += [(f"tabs {bar.tabText(0)}", in_window(win, bar))
              for bar in win.findChildren(QTabBar) if bar.isVisible()
              and isinstance(bar.parent(), type(win))]
    boxes = [(name, box) for name, box in boxes if box.intersects(win.rect())]
    for i, (name, box) in enumerate(boxes):
        for other, obox in boxes[i + 1:]:
            assert not box.intersects(obox), f"{name} {box} overlaps {other} {obox}"
    bar = win.statusBar()
    labels = [w for w in bar.findChildren(QLabel) if w.isVisible()]
    if bar.currentMessage():                 # the message is painted where the hint was
        assert not win.hint.isVisible()
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert not a.geometry().intersects(b.geometry()), (a.text(), b.text())


@pytest.mark.parametrize("size", SCREENS)
def test_the_first_window_fits_the_screen(window_on, size):
    win = window_on(*size)
    frame = win.frameGeometry()
    assert frame.width() <= size[0] and win.height() <= size[1]
    assert win.width() >= size[0] * 0.9 or win.width() >= 1600   # it uses the room it has
    for widget in (win.statusBar(), win.docks["dockShell"], win.docks["dockDmesg"]):
        box = in_window(win, widget)
        assert box.bottom() < win.height() and box.right() < win.width(), widget.objectName()


@pytest.mark.parametrize("size", SCREENS)
def test_the_source_is_the_largest_pane(qtbot, window_on, size):
    win = window_on(*size)
    win.shell.run("insmod skull.ko")
    win.shell.run("insmod hi_permanent.ko")
    wait_idle(qtbot, win)
    source = area(win.source)
    for dock in visible_docks(win):
        assert source > area(dock), (dock.objectName(), dock.size(), win.source.size())
    lines, columns = docks.source_capacity(win.source)
    assert lines >= 18 and columns >= 60, (lines, columns)
    assert win.source.width() > win.width() * 0.45
    assert_nothing_overlaps(win)
    assert_state_column_shown(win)


def assert_state_column_shown(win) -> None:
    """The Modules table's State column is whole inside its viewport."""
    tree = win.modules_panel.tree
    header = tree.header()
    state = 3
    right = header.sectionViewportPosition(state) + header.sectionSize(state)
    assert tree.topLevelItemCount() > 0
    assert header.sectionViewportPosition(0) == 0, "the table is scrolled sideways"
    assert right <= tree.viewport().width(), (right, tree.viewport().width())


@pytest.mark.parametrize("size", SCREENS)
def test_presentation_mode_shows_80_columns_and_18_lines(qtbot, window_on, size):
    win = window_on(*size)
    win.shell.run("insmod skull.ko")
    win.shell.run("insmod hi_permanent.ko")
    wait_idle(qtbot, win)
    win.acts["presentation"].trigger()
    win.debug.start_insmod()                  # a session: the step caption shows
    qtbot.waitUntil(lambda: win.debug.caption_bar.isVisible())
    docks.settle_layout(win)
    lines, columns = docks.source_capacity(win.source)
    assert lines >= 18 and columns >= 80, (size, win.zoom, lines, columns)
    assert not win.source.horizontalScrollBar().isVisible()
    assert win.zoom > 1.0 and win.theme.name == "high-contrast"
    dmesg = win.dmesg.view
    assert win.docks["dockDmesg"].isVisible() and not dmesg.visibleRegion().isEmpty()
    assert dmesg.viewport().height() >= 3 * dmesg.fontMetrics().lineSpacing()
    assert win.debug.caption_bar.height() >= win.debug.caption_bar.minimumSizeHint().height()
    assert win.frameGeometry().width() <= size[0]
    assert_nothing_overlaps(win)
    assert_state_column_shown(win)


def test_presentation_at_1024x768_leaves_dmesg_and_the_shell_room_to_read(qtbot, window_on):
    """Three panes side by side under an 80-column source left dmesg about
    20 characters of text and the Shell 15: the folded column (Modules over
    the Shell) takes one slot of the row, the log the other."""
    win = window_on(1024, 768)
    win.shell.run("insmod skull.ko")
    wait_idle(qtbot, win)
    win.acts["presentation"].trigger()
    win.debug.start_insmod()
    qtbot.waitUntil(lambda: win.debug.caption_bar.isVisible())
    docks.settle_layout(win)
    lines, columns = docks.source_capacity(win.source)
    assert lines >= 18 and columns >= 80
    dmesg = win.dmesg.view
    assert dmesg.viewport().width() >= 36 * dmesg.fontMetrics().averageCharWidth()
    shell = win.shell.output
    assert shell.viewport().width() >= 30 * shell.fontMetrics().averageCharWidth()
    assert shell.viewport().height() >= 2 * shell.fontMetrics().lineSpacing()
    modules, shell_dock = win.docks["dockModules"], win.docks["dockShell"]
    assert modules.x() == shell_dock.x() and shell_dock.y() > modules.y()   # stacked
    assert win.docks["dockDmesg"].x() > modules.x() + modules.width() - 10
    assert win.debug.caption_bar.isVisible()
    assert_nothing_overlaps(win)
    assert_state_column_shown(win)


def test_the_presentation_message_is_not_drawn_over_the_key_hints(window_on):
    win = window_on(1366, 768)
    win.acts["presentation"].trigger()
    assert win.statusBar().currentMessage() == "Presentation mode: Esc leaves"
    assert not win.hint.isVisible()
    win.statusBar().clearMessage()
    assert win.hint.isVisible()


@pytest.mark.parametrize("size", SCREENS)
def test_zoom_in_never_leaves_fewer_than_12_lines(qtbot, window_on, size):
    win = window_on(*size)
    win.activateWindow()
    for _ in range(12):
        qtbot.keyClick(win.source, Qt.Key_Equal, Qt.ControlModifier)
        docks.settle_layout(win)
        assert docks.source_capacity(win.source)[0] >= docks.MIN_SOURCE_LINES, win.zoom
    assert win.zoom >= 1.3                             # it did zoom, as far as it could
    assert "Zoom stays at" in win.statusBar().currentMessage()


def test_the_lecture_caption_grows_but_the_source_keeps_12_lines(qtbot, window_on):
    win = window_on(1024, 768)
    win.debug.lecture.enter(autoplay=False)
    win.debug.start_insmod()
    qtbot.waitUntil(lambda: win.debug.caption_bar.isVisible())
    long_text = "register_those() failed with -ENOMEM; jumping to fail_those " * 12
    from kmodgui.gui.debug.captions import Caption
    win.debug.caption_bar.set_caption(Caption(long_text, "jump"), "step 3")
    for _ in range(8):
        win.zoom_step(1)
        docks.settle_layout(win)
        assert docks.source_capacity(win.source)[0] >= docks.MIN_SOURCE_LINES, win.zoom
    assert_nothing_overlaps(win)


def test_ctrl_0_restores_the_modes_own_zoom(qtbot, window_on):
    win = window_on(1366, 768)
    win.set_zoom(1.3)
    win.acts["zoom_reset"].trigger()
    assert win.zoom == 1.0
    win.debug.lecture.enter(autoplay=False)
    own = win.presentation_zoom
    assert win.zoom == own > 1.0
    layout = {n: d.isVisible() for n, d in win.docks.items()}
    win.zoom_step(-1)
    win.zoom_step(-1)
    win.acts["zoom_reset"].trigger()                  # presentation: its own large text
    assert win.zoom == own and win.presenting
    assert {n: d.isVisible() for n, d in win.docks.items()} == layout
    win.debug.lecture.leave()
    assert not win.presenting and win.zoom == 1.0
    win.debug.lecture.enter(autoplay=False)           # the next lecture: large again
    assert win.zoom == own and win.presenting


def test_layouts_are_computed_from_the_dock_specs(window_on):
    """A feature's dock follows its spec: tabbed behind the dock it names,
    and the side column folds into the bottom row on a narrow window."""
    wide = docks.plan(docks.groups(list(docks.WINDOW_DOCKS), False), 1920, 1080, 7.0, 700, False)
    assert not wide.folded and [g.names[0] for g in wide.columns[docks.RIGHT]] == \
        ["dockDmesg", "dockShell"]
    narrow = docks.plan(docks.groups(list(docks.WINDOW_DOCKS), False), 1024, 768, 7.0, 640,
                        False)
    assert narrow.folded == [docks.RIGHT]
    assert [g.names[0] for g in narrow.row][:2] == ["dockDmesg", "dockShell"]
    assert sum(narrow.row_widths) <= 1024 - narrow.widths[docks.LEFT]
    present = docks.plan(docks.groups(list(docks.WINDOW_DOCKS), True), 1024, 768, 8.0, 950,
                         True)
    assert present.folded == [docks.LEFT] and not present.columns[docks.LEFT]
    stacked = [g for under in present.stacks.values() for g in under]
    assert {n for g in present.row + stacked for n in g.names} == \
        {"dockModules", "dockShell", "dockDmesg", "dockTimeline"}
    # three panes' worth on 1024 px: Modules and the Shell share one slot
    assert [g.names[0] for g in present.row] == ["dockModules", "dockDmesg"]
    assert [g.names for g in present.stacks["dockModules"]] == [["dockShell"]]
