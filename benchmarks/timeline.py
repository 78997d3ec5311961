"""The Timeline with 100,000 events: feed and paint, against a floor of one
pyqtgraph BarGraphItem holding the same bars, both in the same run; and a
refresh with nothing new.

    python benchmarks/timeline.py [--events N] [--runs R]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication

from kmodgui.kernel.events import (
    Booted,
    ModuleStateChanged,
    ResourceAcquired,
    ResourceReleased,
    Site,
)

SITE = Site("skull.c", 16, "skull_init")


def events(n: int) -> list:
    """insmod/rmmod cycles of a module holding two resources: 10 events
    and 4 bars a cycle."""
    out: list = [Booted(0, "6.1", ())]
    t, rid = 1_000_000, 0
    while len(out) < n:
        out += [ModuleStateChanged(t, "skull", "COMING"),
                ResourceAcquired(t + 10, rid + 1, "this", 'this "skull"', "skull", SITE, "register_this"),
                ResourceAcquired(t + 20, rid + 2, "that", 'that "skull"', "skull", SITE, "register_that"),
                ModuleStateChanged(t + 30, "skull", "LIVE"),
                ModuleStateChanged(t + 5000, "skull", "GOING"),
                ResourceReleased(t + 5010, rid + 2, "that", 'that "skull"', "skull", SITE,
                                 "unregister_that", True),
                ResourceReleased(t + 5020, rid + 1, "this", 'this "skull"', "skull", SITE,
                                 "unregister_this", True),
                ModuleStateChanged(t + 5030, "skull", "GONE")]
        t, rid = t + 10_000, rid + 2
    return out[:n]


def paint(widget) -> None:
    widget.grab()                 # renders the scene, as a frame would


def app_run(evs: list) -> tuple[float, float, int]:
    from kmodgui.gui.panels.timeline_model import TimelineModel
    from kmodgui.gui.panels.timeline_plot import TimelinePlot
    from kmodgui.gui.theme import LIGHT
    t0 = time.perf_counter()
    model = TimelineModel()
    model.feed(evs)
    plot = TimelinePlot(model, LIGHT, 1.0)
    plot.resize(1200, 400)
    plot.fit()
    paint(plot)
    full = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(20):
        plot.redraw()
    again = (time.perf_counter() - t0) / 20
    bars = len(model.bars)
    plot.close()
    return full, again, bars


def floor_run(evs: list) -> float:
    """The same bars as one BarGraphItem (built from the same events)."""
    import numpy as np
    import pyqtgraph as pg

    from kmodgui.gui.panels.timeline_model import TimelineModel
    model = TimelineModel()
    model.feed(evs)
    x0 = np.array([b.start for b in model.bars]) / 1e9
    width = np.array([model.end_of(b) - b.start for b in model.bars]) / 1e9
    y = np.array([b.lane for b in model.bars], float)
    t0 = time.perf_counter()
    plot = pg.PlotWidget()
    plot.addItem(pg.BarGraphItem(x0=x0, width=width, y=y, height=0.6, brush="g"))
    plot.resize(1200, 400)
    paint(plot)
    spent = time.perf_counter() - t0
    plot.close()
    return spent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    evs = events(args.events)
    import pyqtgraph  # noqa: F401  (imported before timing either side)
    fulls, agains, floors, bars = [], [], [], 0
    for _ in range(args.runs):                      # interleaved
        full, again, bars = app_run(evs)
        fulls.append(full)
        agains.append(again)
        floors.append(floor_run(evs))
        app.processEvents()
    full, floor, again = (statistics.median(v) for v in (fulls, floors, agains))
    print(f"timeline, {len(evs)} events ({bars} bars): feed and paint {full * 1000:.0f} ms, "
          f"one BarGraphItem {floor * 1000:.0f} ms, ratio {full / floor:.1f}x (goal: within 3x)")
    print(f"refresh with nothing new: {again * 1000:.3f} ms (goal: under 5 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
