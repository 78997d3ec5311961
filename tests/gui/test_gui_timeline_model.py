"""The timeline's model: lanes, bar styles, markers, leaks (no Qt)."""
from __future__ import annotations

from kmodgui.gui.panels.timeline_model import TimelineModel
from kmodgui.kernel.events import (
    Booted,
    CallFailed,
    FaultInjected,
    ModuleStateChanged,
    ResourceAcquired,
    ResourceReleased,
    Site,
)

S = Site("skull.c", 16, "my_init")


def load(model: TimelineModel, t: int = 10) -> None:
    model.feed([Booted(0, "6.1", ()),
                ModuleStateChanged(t, "skull", "COMING"),
                ResourceAcquired(t + 1, 1, "this", 'this "skull"', "skull", S, "register_this"),
                ResourceAcquired(t + 2, 2, "that", 'that "skull"', "skull", S, "register_that"),
                ModuleStateChanged(t + 3, "skull", "LIVE")])


def test_module_lane_then_one_lane_per_resource():
    m = TimelineModel()
    load(m)
    labels = [m.lanes[i].label for i in sorted(range(len(m.lanes)), key=lambda i: m.lane_order()[i])]
    assert labels == ["skull", 'this "skull"', 'that "skull"']
    assert [b.style for b in m.bars] == ["loading", "held", "held", "live"]
    assert [mk.kind for mk in m.markers] == ["insmod"]


def test_release_order_and_leak_styles():
    m = TimelineModel()
    load(m)
    m.feed([ModuleStateChanged(20, "skull", "GOING"),
            ResourceReleased(21, 1, "this", 'this "skull"', "skull", S, "unregister_this", False),
            ModuleStateChanged(22, "skull", "GONE")])
    styles = {b.title.split()[0]: b.style for b in m.bars if b.rid}
    assert styles == {"this": "out-of-order", "that": "leak"}
    assert [mk.kind for mk in m.markers] == ["insmod", "rmmod"]


def test_failed_init_marker_and_fault_points():
    m = TimelineModel()
    m.feed([Booted(0, "6.1", ()), ModuleStateChanged(5, "leak", "COMING"),
            FaultInjected(6, "kmalloc", 12, "leak", S),
            CallFailed(6, "kmalloc", 12, "leak", S, True),
            CallFailed(7, "kzalloc", 12, "leak", S, False),
            ModuleStateChanged(8, "leak", "GOING")])
    assert [p.kind for p in m.points] == ["injected", "failed"]
    assert m.markers[-1].kind == "init-failed"


def test_reboot_lays_boots_end_to_end_and_reuses_lanes():
    m = TimelineModel()
    load(m, t=1000)
    before = m.now
    m.feed([Booted(0, "2.6.30", ())])
    load_again = [ModuleStateChanged(10, "skull", "COMING"),
                  ResourceAcquired(11, 1, "this", 'this "skull"', "skull", S, "register_this")]
    m.feed(load_again)
    assert m.markers[-2].kind == "reboot" and m.markers[-2].x > before
    assert all(b.end is not None for b in m.bars[:4])          # closed by the reboot
    assert m.bars[-1].start > before and len(m.lanes) == 3      # same lane reused


def test_idle_stretches_are_shortened_and_keep_their_dmesg_time():
    from kmodgui.gui.panels.timeline_model import IDLE_MAX_NS
    m = TimelineModel()
    m.feed([Booted(0, "6.1", ()), ModuleStateChanged(5 * 10**9, "hi", "COMING"),
            ModuleStateChanged(5 * 10**9 + 100, "hi", "LIVE"),
            ModuleStateChanged(65 * 10**9, "hi", "GOING")])
    insmod, rmmod = m.markers
    assert insmod.x <= IDLE_MAX_NS                    # boot to the first command
    assert rmmod.x - insmod.x <= IDLE_MAX_NS + 100    # a minute of idle, shortened
    assert (insmod.boot_ts, rmmod.boot_ts) == (5 * 10**9, 65 * 10**9)


def test_a_moment_keeps_its_place_after_later_idle_stretches_are_shortened():
    """The debugger's cursor asks where a moment of this boot is drawn:
    with the shortening in force when it happened, not the latest one."""
    m = TimelineModel()
    first, later = 5_000_000_000, 40_000_000_000
    load(m, first)                                   # boot, then 5 s idle: shortened
    m.feed([ModuleStateChanged(later, "hi", "COMING"),   # 35 s idle: shortened again
            ModuleStateChanged(later + 5, "hi", "LIVE")])
    skull = next(b for b in m.bars if b.lane == m._module_lane["skull"])
    hi = next(b for b in m.bars if b.lane == m._module_lane["hi"])
    assert m.x_of(first) == skull.start and m.x_of(later) == hi.start
    assert m.x_of(first + 3) == skull.start + 3         # inside the first command
    assert m.x_of(first) != first + m.offset         # the latest offset would misplace it
    for ts in (first, first + 2, later, later + 5):
        assert m.ts_of(m.x_of(ts)) == ts
    gap = m.x_of(first + 10_000_000_000)             # a moment of the cut-out stretch
    assert skull.start < gap <= hi.start
