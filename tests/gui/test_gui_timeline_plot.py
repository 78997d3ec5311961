"""The Timeline plot: labels never overlap, the wheel zooms time only, Fit
restores both axes, a refresh with nothing new rebuilds nothing."""
from __future__ import annotations

import pytest
from conftest import wait_idle
from PySide6.QtCore import QPointF

from kmodgui.gui.panels.timeline_model import TimelineModel
from kmodgui.gui.theme import LIGHT
from kmodgui.kernel.events import (
    Booted,
    ModuleStateChanged,
    ResourceAcquired,
    ResourceReleased,
    Site,
)

S = Site("skull.c", 16, "skull_init")
MS = 1_000_000


def session_events(commands: int = 30) -> list:
    """insmod/rmmod of skull and hi, a reboot in the middle: commands close
    together (1 ms apart) so their labels compete for the same pixels."""
    events: list = [Booted(0, "6.1", ())]
    t, rid = 5 * MS, 0
    for i in range(commands):
        name = "skull" if i % 4 < 2 else "hi"
        if i == commands // 2:
            events.append(Booted(0, "6.1", ()))
            t = 5 * MS
        if i % 2 == 0:
            rid += 1
            events += [ModuleStateChanged(t, name, "COMING"),
                       ResourceAcquired(t + 10, rid, "this", f'this "{name}"', name, S, "register_this"),
                       ModuleStateChanged(t + 20, name, "LIVE")]
        else:
            events += [ModuleStateChanged(t, name, "GOING"),
                       ResourceReleased(t + 10, rid, "this", f'this "{name}"', name, S,
                                        "unregister_this", True),
                       ModuleStateChanged(t + 20, name, "GONE")]
        t += MS
    return events


class FakeWheel:
    """What pyqtgraph's ViewBox.wheelEvent reads of a wheel event."""

    def __init__(self, pos: QPointF, delta: int = 240) -> None:
        self._pos, self._delta = pos, delta

    def delta(self) -> int:
        return self._delta

    def pos(self) -> QPointF:
        return self._pos

    def accept(self) -> None:
        pass

    def ignore(self) -> None:
        pass


@pytest.fixture
def plot(qtbot):
    from kmodgui.gui.panels.timeline_plot import TimelinePlot
    model = TimelineModel()
    model.feed(session_events())
    widget = TimelinePlot(model, LIGHT, 1.0)
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.show()
    qtbot.waitExposed(widget)
    widget.fit()
    qtbot.wait(50)
    widget._rescale_bars()
    return widget


def overlaps(a, b) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def test_labels_of_a_30_command_session_never_overlap(plot):
    rects = plot.label_rects()
    assert len(rects) >= 6                        # labels are shown ...
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not overlaps(a, b), (a, b)
    rows = {round(r[1]) for r in rects}
    assert len(rows) > 1                          # ... stacked into rows
    assert all(lb.toolTip() == lb.full_text for lb in plot._marker_labels)


def test_labels_still_apart_after_zooming_in(qtbot, plot):
    vb = plot.getPlotItem().vb
    (x0, x1), _ = vb.viewRange()
    vb.setXRange(x0, x0 + (x1 - x0) / 4, padding=0)
    qtbot.wait(100)                               # the rescale timer re-stacks them
    rects = plot.label_rects()
    assert all(not overlaps(a, b) for i, a in enumerate(rects) for b in rects[i + 1:])


def test_wheel_zooms_time_only_and_fit_restores_both_axes(qtbot, plot):
    vb = plot.getPlotItem().vb
    (x0, x1), (y0, y1) = vb.viewRange()
    vb.wheelEvent(FakeWheel(QPointF(vb.width() / 2, vb.height() / 2)))
    (nx0, nx1), (ny0, ny1) = vb.viewRange()
    assert nx1 - nx0 < x1 - x0                    # zoomed in on time
    assert (ny0, ny1) == pytest.approx((y0, y1))  # lanes untouched
    vb.setYRange(4, 5, padding=0)                 # panned down to one lane
    plot.fit()
    qtbot.wait(100)                               # auto-range applies on the next update
    (fx0, fx1), (fy0, fy1) = vb.viewRange()
    assert (fy0, fy1) == pytest.approx((y0, y1))
    assert fx1 - fx0 == pytest.approx(x1 - x0, rel=0.05)


def test_refresh_with_nothing_new_rebuilds_nothing_and_new_events_are_added(plot):
    before = plot.rebuilds
    plot.redraw()
    plot.redraw()
    assert plot.rebuilds == before
    held = len(plot._bars["held"].opts["x0"])
    plot.model.feed([ModuleStateChanged(40 * MS, "late", "COMING"),
                     ResourceAcquired(40 * MS + 1, 999, "this", 'this "late"', "late", S, "register_this")])
    plot.redraw()
    assert plot.rebuilds == before + 1
    assert len(plot._bars["held"].opts["x0"]) == held + 1


def test_the_timeline_zooms_to_a_debug_session_and_the_cursor_snaps_to_steps(qtbot, make_window):
    win = make_window("skull.c")
    for line in ("insmod hi.ko", "sleep 5", "rmmod hi", "sleep 5", "insmod hi_eio.ko"):
        win.shell.run(line)
        wait_idle(qtbot, win)
    whole = win.timeline.model.now / 1e9
    c = win.debug
    c.set_animations(False)
    c.start_insmod()
    qtbot.waitUntil(lambda: c.active and win.source.exec_line is not None)
    for _ in range(8):
        c.step_over()
    cursor = c.cursor
    lo, hi = win.timeline.plot.getPlotItem().vb.viewRange()[0]
    steps = [win.timeline.model.x_of(t.ns) / 1e9 for t in c.dbg.log]
    assert lo <= steps[0] and steps[-1] <= hi and lo <= cursor.line.value() <= hi
    assert hi - lo < whole / 10                       # the session spreads across the plot
    xs = sorted(set(steps))
    assert len(xs) >= 5
    between = (xs[1] + xs[2]) / 2 + (xs[2] - xs[1]) * 0.1   # dragged nearer the third step
    cursor.line.setValue(between)
    assert cursor.line.value() == pytest.approx(xs[2])
    assert cursor.value_ns() in {t.ns for t in c.dbg.log}
    win.timeline.fit()                                # Fit: the whole timeline again

    def width() -> float:
        lo, hi = win.timeline.plot.getPlotItem().vb.viewRange()[0]
        return hi - lo
    qtbot.waitUntil(lambda: width() >= whole * 0.9, timeout=3000)
