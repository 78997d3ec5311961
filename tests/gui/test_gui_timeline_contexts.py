"""Timeline lanes per execution context: init, exit, each kthread, work
item, tasklet and timer callback has its own lane under its module, named
as a user knows it; a run is thick while it runs and thin while it
sleeps; a lock it holds is a strip on its bar.

The events come from the engine running the sample modules (which task
and context each callback runs in is tested against the real kernel in
tests/kernel/test_contexts.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kmodgui.gui.panels.timeline_model import TimelineModel
from kmodgui.kernel.events import (
    Booted,
    ContextBegan,
    ContextEnded,
    ModuleStateChanged,
    Oops,
    Site,
)
from kmodgui.session import Session

DATA = Path(__file__).parent / "data" / "contexts"
MODULES = Path(__file__).parents[2] / "modules"


@pytest.fixture
def session(tmp_path: Path) -> Session:
    for src in DATA.glob("*.c"):
        shutil.copy(src, tmp_path)
    shutil.copy(MODULES / "ticker.c", tmp_path)
    return Session("6.1", cwd=tmp_path)


def run(session: Session, *commands: str) -> TimelineModel:
    for cmd in commands:
        assert session.run(cmd).status == 0, cmd
    model = TimelineModel()
    model.feed(list(session.trace.events))
    return model


def labels(model: TimelineModel) -> list[str]:
    rows = model.lane_order()
    return [model.lanes[i].label for i in sorted(range(len(model.lanes)), key=rows.__getitem__)]


def bars_of(model: TimelineModel, label: str) -> list:
    lanes = {ln.index for ln in model.lanes if ln.label == label}
    return [b for b in model.bars if b.lane in lanes]


def test_each_context_has_its_own_lane_under_its_module(session):
    m = run(session, "insmod ticker.ko", "sleep 1", "rmmod ticker")
    names = labels(m)
    contexts = [ln.label for ln in sorted(m.lanes, key=lambda ln: m.lane_order()[ln.index])
                if ln.is_context]
    assert names[0] == "ticker"
    assert contexts == ["ticker: init", "ticker_worker: kthread work",
                        "ticker: timer on_tick", "ticker: exit"]
    assert names[1:5] == contexts                       # right under the module lane
    assert all(not m.lanes[i].is_context for i in range(len(m.lanes))
               if m.lanes[i].label not in contexts)
    # three timer runs on one lane, each a bar of its own
    assert len([b for b in bars_of(m, "ticker: timer on_tick") if b.style == "running"]) == 3


def test_a_kthread_is_thick_while_it_runs_and_thin_while_it_sleeps(session):
    m = run(session, "insmod ticker.ko", "sleep 1", "rmmod ticker")
    thread = bars_of(m, "ticker_worker: kthread work")
    styles = [b.style for b in thread]
    assert styles[:4] == ["running", "asleep", "running", "asleep"]
    assert styles[-1] == "running" and thread[-1].end is not None     # returned
    asleep = [b for b in thread if b.style == "asleep"]
    assert all(b.end - b.start >= 30_000_000 for b in asleep[:-1])    # msleep(40)
    assert "work() in ticker_worker" in thread[0].title
    assert thread[0].site == Site("ticker.c", thread[0].site.line, "work")


def test_work_items_and_tasklets_are_named_as_a_user_knows_them(session):
    m = run(session, "insmod wq.ko", "rmmod wq", "insmod tl.ko", "rmmod tl")
    names = labels(m)
    for label in ("wq: init", "kworker: work say", "kworker: work later", "wq: exit",
                  "tl: init", "tl: tasklet first", "tl: tasklet second", "tl: tasklet third"):
        assert label in names, names
    say = bars_of(m, "kworker: work say")
    kworkers = {b.title.split(" in ")[1].split(" (")[0] for b in say}
    assert kworkers == {"kworker/0:0", "kworker/u4:1"}               # both pools, one lane
    first = bars_of(m, "tl: tasklet first")
    assert "softirq context" in first[0].title
    # grouped: every wq lane before every tl lane
    assert max(names.index(n) for n in names if n.startswith(("wq", "kworker"))) < \
        names.index("tl")


def test_a_lock_shows_as_a_strip_on_the_bar_of_the_context_holding_it(session):
    """kt.c: the thread sleeps 100 ms holding the mutex; init waits for it."""
    m = run(session, "insmod kt.ko")
    thread = bars_of(m, "holder: kthread holder")
    strip = [b for b in thread if b.style == "holding"]
    assert len(strip) == 1 and "holds mutex" in strip[0].title
    asleep = [b for b in thread if b.style == "asleep"]
    # it slept while it held the mutex
    assert any(strip[0].start <= b.start and b.end <= strip[0].end for b in asleep)
    init = bars_of(m, "kt: init")
    (init_strip,) = [b for b in init if b.style == "holding"]
    assert init_strip.start >= strip[0].end                  # after the thread unlocked
    waiting = [b for b in init if b.style == "asleep" and b.end <= init_strip.start]
    assert waiting                                            # it waited in mutex_lock()


def test_a_reboot_closes_every_run_and_an_oops_lands_on_its_context():
    s = Site("x.c", 3, "fn")
    m = TimelineModel()
    m.feed([Booted(0, "6.1", ()), ModuleStateChanged(10, "x", "COMING"),
            ContextBegan(10, 1, "init", "x_init", "x", "insmod", 100, s),
            ContextEnded(20, 1, "returned"), ModuleStateChanged(20, "x", "LIVE"),
            ContextBegan(30, 2, "work", "fn", "x", "kworker/0:0", 7, s),
            ContextEnded(40, 2, "oops"),
            Oops(40, "null-deref", "x", s, "NULL pointer dereference"),
            ContextBegan(50, 3, "kthread", "loop", "x", "xd", 101, s)])
    (oops,) = [p for p in m.points if p.kind == "oops"]
    assert m.lanes[oops.lane].label == "kworker: work fn"
    m.feed([Booted(0, "6.1", ())])
    assert all(b.end is not None for b in m.bars)


def test_the_plot_names_context_lanes_and_draws_their_shapes(qtbot, session):
    from kmodgui.gui.panels.timeline_plot import BAR_SHAPE, TimelinePlot
    from kmodgui.gui.theme import LIGHT
    model = run(session, "insmod kt.ko", "rmmod kt")
    plot = TimelinePlot(model, LIGHT, 1.0)
    qtbot.addWidget(plot)
    plot.resize(900, 400)
    plot.show()
    qtbot.waitExposed(plot)
    plot.fit()
    ticks = dict(plot.getAxis("left")._tickLevels[0])
    assert "  ⚙ kt: init" in ticks.values() and "  ⚙ holder: kthread holder" in ticks.values()
    heights = {style: plot._arrays[style][3][0] for style in ("running", "asleep", "holding")}
    assert heights == {s: BAR_SHAPE[s][0] for s in heights}
    assert heights["asleep"] < heights["running"]            # shape, not only colour
    bar = next(b for b in model.bars if b.style == "holding")
    text = plot.describe(bar)
    assert "holds mutex" in text and "taken by mutex_lock()" in text
