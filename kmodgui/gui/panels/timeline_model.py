"""What the Timeline draws, computed from trace events (no Qt here).

Lanes, top to bottom, grouped by module: one lane for the module itself
(Loading while init runs, Live, Unloading while exit runs), then one lane
per execution context its code runs in, then one lane per resource it
acquires (kind + name).  Re-acquiring the same resource on a later insmod
reuses the lane; two held at once get separate lanes.

A context lane is named as a user knows it: "hi: init", "hi: exit",
"ticker_worker: kthread work", "kworker: work say", "tl: tasklet first",
"ticker: timer on_tick".  Each run of it is a bar, drawn thick while it
runs and thin while it sleeps; a lock it takes (spinlock, rwlock, mutex)
is a strip along the top of the bar, from lock to unlock.

Bar styles (the plot gives each style a fill pattern, not only a colour):
    loading / live / going        the module's own lifetime
    held                          acquired, still held by a loaded module
    released                      released in reverse order of acquisition
    out-of-order                  released, but not in reverse order
    leak                          still held after its module went away
    running / asleep              a context runs / sleeps (schedule())
    holding                       a context holds a lock
Point kinds: failed (a kernel call returned an error), injected (a fault
injected on purpose), problem (double release / never acquired), oops.
Markers: insmod, rmmod, init-failed, reboot.

The clock restarts at every boot, as the kernel's does; the timeline
lays boots end to end (`offset`) so nothing overlaps, and shortens every
idle stretch (boot to first command, a pause between commands) to
IDLE_MAX_NS so each command gets visible width.  Tooltips keep the real
dmesg timestamp (`boot_ts`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kmodgui.kernel.events import (
    Booted,
    CallFailed,
    ContextBegan,
    ContextEnded,
    ContextState,
    Event,
    FaultInjected,
    ModuleStateChanged,
    Oops,
    ResourceAcquired,
    ResourceProblem,
    ResourceReleased,
    Site,
)

BOOT_GAP_NS = 200_000_000
IDLE_MAX_NS = 150_000_000       # longest stretch with no event, once laid out
STYLES = ("loading", "live", "going", "held", "released", "out-of-order", "leak",
          "running", "asleep", "holding")
CONTEXT_STYLES = ("running", "asleep", "holding")
#: switches between running and asleep drawn per run; a thread that wakes
#: more often than that is drawn as one bar from there on
MAX_SWITCHES = 400
#: what a context's kind runs in, for its tooltip
_CONTEXT_OF = {"tasklet": "softirq context", "timer": "softirq context"}
POINT_KINDS = ("failed", "injected", "problem", "oops")


@dataclass
class Lane:
    index: int
    owner: str
    label: str          # "skull" for the module lane, "this 'skull'" for a resource
    is_module: bool
    busy_until: float = -1.0     # x of the end of its last bar (inf while held)
    is_context: bool = False     # an execution context's lane ("hi: init")


@dataclass
class Run:
    """One run of an execution context: its lane, the bar being drawn."""
    began: ContextBegan
    lane: int
    bar: Bar
    title: str                   # what every piece of its bar says first
    switches: int = 0
    locks: dict[int, Bar] = field(default_factory=dict)   # rid -> open strip


@dataclass
class Bar:
    lane: int
    start: float        # x, ns on the laid-out clock
    end: float | None   # None while open
    style: str
    title: str
    site: Site | None = None
    end_site: Site | None = None
    boot_ts: int = 0    # the dmesg timestamp of the start (this boot's clock)
    rid: int | None = None


@dataclass
class Point:
    lane: int
    x: float
    kind: str
    title: str
    site: Site | None
    boot_ts: int


@dataclass
class Marker:
    x: float
    kind: str           # insmod | rmmod | init-failed | reboot
    label: str
    boot_ts: int


@dataclass
class TimelineModel:
    lanes: list[Lane] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    now: float = 0.0
    offset: int = 0
    boot: int = 0
    _module_lane: dict[str, int] = field(default_factory=dict)
    _res_lanes: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)
    _open_res: dict[tuple[int, int], Bar] = field(default_factory=dict)
    _open_mod: dict[str, Bar] = field(default_factory=dict)
    _ctx_lanes: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    _runs: dict[tuple[int, int], Run] = field(default_factory=dict)     # (boot, cid)
    _lock_run: dict[tuple[int, int], Run] = field(default_factory=dict)  # (boot, rid)
    #: the lane of the last context that oopsed: its Oops is drawn there
    _oopsed: tuple[str, int] | None = None
    _last_ts: int = 0
    #: (boot, first ts, offset) from each place the offset changed on: an
    #: earlier moment keeps the place it was drawn at after later shortening
    _segments: list[tuple[int, int, int]] = field(default_factory=list)
    #: bumped by every change: a view redraws only when it moved on
    version: int = 0

    # -- feeding ---------------------------------------------------------------
    def reset(self, events: list[Event] = ()) -> None:
        """Forget everything and read `events` again (after a step back)."""
        version = self.version
        self.__init__()
        self.version = version + 1
        self.feed(list(events))

    def feed(self, events: list[Event]) -> None:
        if events:
            self.version += 1
        for ev in events:
            self._feed(ev)

    def _x(self, ts: int) -> float:
        return float(ts + self.offset)

    def _feed(self, ev: Event) -> None:
        if isinstance(ev, Booted):
            self._booted(ev)
            return
        self._last_ts = max(self._last_ts, ev.ts)
        x = self._x(ev.ts)
        if x - self.now > IDLE_MAX_NS:          # shorten the idle stretch
            self.offset -= int(x - self.now - IDLE_MAX_NS)
            self._segments.append((self.boot, ev.ts, self.offset))
            x = self._x(ev.ts)
        self.now = max(self.now, x)
        handler = _HANDLERS.get(type(ev))
        if handler:
            handler(self, ev, x)

    def _booted(self, ev: Booted) -> None:
        """The first boot starts the timeline; later ones are reboot markers."""
        first = self.boot == 0
        if not first:
            self.offset = int(self.now) + BOOT_GAP_NS - ev.ts
            self._close_all_at_reboot()
        self.boot += 1
        self._segments.append((self.boot, ev.ts, self.offset))
        self._last_ts = ev.ts
        x = self._x(ev.ts)
        self.now = max(self.now, x)
        if not first:
            self.markers.append(Marker(x, "reboot", f"reboot ({ev.profile})", ev.ts))

    # -- this boot's clock <-> laid-out time ------------------------------------------
    def x_of(self, ts: int) -> float:
        """Where a moment of the current boot's clock is drawn: with the
        offset in force when it happened, not the latest one.  Inside a
        shortened stretch, at its end."""
        here = [(t, off) for b, t, off in self._segments if b == self.boot]
        if not here:
            return self._x(ts)
        offset = here[0][1]
        for i, (start, off) in enumerate(here):
            if ts >= start:
                offset = off
                if i + 1 < len(here) and ts < here[i + 1][0] and \
                        ts + off > here[i + 1][0] + here[i + 1][1]:
                    return float(here[i + 1][0] + here[i + 1][1])   # in the cut-out gap
        return float(ts + offset)

    def ts_of(self, x: float) -> int:
        """The current boot's moment drawn at `x` (the inverse of x_of)."""
        here = [(t, off) for b, t, off in self._segments if b == self.boot]
        if not here:
            return int(round(x)) - self.offset
        ts = int(round(x)) - here[0][1]
        for start, off in here:
            if x >= start + off:
                ts = int(round(x)) - off
        return max(ts, here[0][0])

    def _close_all_at_reboot(self) -> None:
        """A reboot ends every module and frees every resource."""
        strips = [b for run in self._runs.values() for b in run.locks.values()]
        runs = [run.bar for run in self._runs.values()]
        for bar in list(self._open_mod.values()) + list(self._open_res.values()) + runs + strips:
            bar.end = self.now
        for lane in self.lanes:
            lane.busy_until = min(lane.busy_until, self.now)
        self._open_mod.clear()
        self._open_res.clear()
        self._runs.clear()
        self._lock_run.clear()

    # -- modules ---------------------------------------------------------------
    def _state(self, ev: ModuleStateChanged, x: float) -> None:
        lane = self._lane_of_module(ev.name)
        old = self._open_mod.pop(ev.name, None)
        if old is not None:
            old.end = x
        if ev.state == "COMING":
            self.markers.append(Marker(x, "insmod", f"insmod {ev.name}", ev.ts))
        elif ev.state == "GOING":
            failed = old is not None and old.style == "loading"
            self.markers.append(Marker(x, "init-failed" if failed else "rmmod",
                                       f"{'init failed' if failed else 'rmmod'} {ev.name}", ev.ts))
        style = {"COMING": "loading", "LIVE": "live", "GOING": "going"}.get(ev.state)
        if style:
            bar = Bar(lane, x, None, style, f"{ev.name}: {_STATE_WORD[style]}", boot_ts=ev.ts)
            self.bars.append(bar)
            self._open_mod[ev.name] = bar
        if ev.state == "GONE":
            self._mark_leaks(ev.name, x)

    def _mark_leaks(self, owner: str, x: float) -> None:
        """Whatever the module still holds when it is freed is leaked."""
        for key, bar in list(self._open_res.items()):
            if self.lanes[bar.lane].owner == owner and bar.style == "held":
                bar.end = x
                leak = Bar(bar.lane, x, None, "leak", bar.title + "  (LEAKED)", bar.site,
                           boot_ts=bar.boot_ts, rid=bar.rid)
                self.bars.append(leak)
                self._open_res[key] = leak

    def _lane_of_module(self, name: str) -> int:
        if name not in self._module_lane:
            self._module_lane[name] = self._new_lane(name, name, True)
        return self._module_lane[name]

    # -- resources --------------------------------------------------------------
    def _acquired(self, ev: ResourceAcquired, x: float) -> None:
        lane = self._free_lane(ev.owner, ev.kind, ev.name, x)
        bar = Bar(lane, x, None, "held", f"{resource_label(ev.kind, ev.name)} ({ev.owner})",
                  ev.site, boot_ts=ev.ts, rid=ev.rid)
        bar.title += f"\nacquired by {ev.api}()" + (f" at {ev.site}" if ev.site else "")
        self.bars.append(bar)
        self._open_res[(self.boot, ev.rid)] = bar
        self.lanes[lane].busy_until = float("inf")
        run = self._runs.get((self.boot, ev.context))
        if ev.kind == "lock" and run is not None:
            self._lock_taken(run, ev, x)

    def _released(self, ev: ResourceReleased, x: float) -> None:
        run = self._lock_run.pop((self.boot, ev.rid), None)
        if run is not None:
            strip = run.locks.pop(ev.rid)
            strip.end = x
            strip.end_site = ev.site
            strip.title += f"\nreleased by {ev.api}()" + (f" at {ev.site}" if ev.site else "")
        bar = self._open_res.pop((self.boot, ev.rid), None)
        if bar is None:
            return
        bar.end = x
        bar.end_site = ev.site
        if bar.style == "held":
            bar.style = "released" if ev.in_order else "out-of-order"
        bar.title += f"\nreleased by {ev.api}()" + (f" at {ev.site}" if ev.site else "")
        if not ev.in_order:
            bar.title += "\nnot in reverse order of acquisition"
        self.lanes[bar.lane].busy_until = x

    def _problem(self, ev: ResourceProblem, x: float) -> None:
        if ev.problem == "leak":
            bar = self._open_res.get((self.boot, ev.rid)) if ev.rid else None
            lane = bar.lane if bar else self._lane_of_module(ev.owner or "?")
            self.points.append(Point(lane, x, "problem", f"leak: {ev.kind} '{ev.name}' still held",
                                     ev.site, ev.ts))
            return
        lane = self._lane_of_module(ev.owner or "?")
        self.points.append(Point(lane, x, "problem", f"{ev.problem}: {ev.kind} '{ev.name}'",
                                 ev.site, ev.ts))

    def _free_lane(self, owner: str, kind: str, name: str, x: float) -> int:
        self._lane_of_module(owner)
        lanes = self._res_lanes.setdefault((owner, kind, name), [])
        for idx in lanes:
            if self.lanes[idx].busy_until <= x:
                return idx
        idx = self._new_lane(owner, resource_label(kind, name), False)
        lanes.append(idx)
        return idx

    def _new_lane(self, owner: str, label: str, is_module: bool) -> int:
        lane = Lane(len(self.lanes), owner, label, is_module)
        self.lanes.append(lane)
        return lane.index

    # -- calls and crashes -----------------------------------------------------------
    def _failed(self, ev: CallFailed, x: float) -> None:
        if ev.injected:
            return          # drawn once, by its FaultInjected event
        self.points.append(Point(self._lane_of_module(ev.owner), x, "failed",
                                 f"{ev.api}() failed: -{ev.errno}", ev.site, ev.ts))

    def _injected(self, ev: FaultInjected, x: float) -> None:
        self.points.append(Point(self._lane_of_module(ev.owner), x, "injected",
                                 f"{ev.api}() failed: -{ev.errno} (INJECTED fault)", ev.site, ev.ts))

    def _oops(self, ev: Oops, x: float) -> None:
        owner = ev.module or "kernel"
        oopsed, self._oopsed = self._oopsed, None
        lane = oopsed[1] if oopsed and oopsed[0] == owner else self._lane_of_module(owner)
        self.points.append(Point(lane, x, "oops", f"{ev.kind}: {ev.summary}", ev.site, ev.ts))

    # -- execution contexts ------------------------------------------------------------
    def _began(self, ev: ContextBegan, x: float) -> None:
        lane = self._context_lane(ev, x)
        where = _CONTEXT_OF.get(ev.kind, "process context")
        title = f"{self.lanes[lane].label}\n{ev.func}() in {ev.comm} (pid {ev.pid}), {where}"
        bar = Bar(lane, x, None, "running", title, ev.site, boot_ts=ev.ts)
        self.bars.append(bar)
        self._runs[(self.boot, ev.cid)] = Run(ev, lane, bar, title)
        self.lanes[lane].busy_until = float("inf")

    def _context_lane(self, ev: ContextBegan, x: float) -> int:
        """The lane of this kind of context: one per (module, label); a
        second one running at once (two threads of one function) gets
        its own."""
        self._lane_of_module(ev.owner)
        label = context_label(ev)
        lanes = self._ctx_lanes.setdefault((ev.owner, label), [])
        for idx in lanes:
            if self.lanes[idx].busy_until <= x:
                return idx
        idx = self._new_lane(ev.owner, label, False)
        self.lanes[idx].is_context = True
        lanes.append(idx)
        return idx

    def _switched(self, ev: ContextState, x: float) -> None:
        """Asleep, running again, or never returning: a new piece of bar."""
        run = self._runs.get((self.boot, ev.cid))
        if run is None:
            return
        final = ev.state in ("blocked", "spinning")
        run.switches += 1
        if run.switches > MAX_SWITCHES and not final:
            if run.switches == MAX_SWITCHES + 1:
                run.bar.title += "\n(it kept switching: later sleeps are not drawn)"
            return
        old = run.bar
        old.end = x
        if old.end <= old.start and self.bars and self.bars[-1] is old:
            self.bars.pop()                     # nothing happened in between
        style = "asleep" if ev.state in ("asleep", "blocked") else "running"
        run.bar = Bar(run.lane, x, None, style, run.title + _STATE_NOTE.get(ev.state, ""),
                      run.began.site, boot_ts=ev.ts)
        self.bars.append(run.bar)

    def _ended(self, ev: ContextEnded, x: float) -> None:
        run = self._runs.pop((self.boot, ev.cid), None)
        if run is None:
            return
        run.bar.end = x
        run.bar.title += "\nreturned" if ev.how == "returned" else "\noopsed here"
        self.lanes[run.lane].busy_until = x
        for rid, strip in run.locks.items():
            strip.end = x
            strip.title += "\nstill held when it returned"
            self._lock_run.pop((self.boot, rid), None)
        if ev.how == "oops":
            self._oopsed = (run.began.owner, run.lane)

    def _lock_taken(self, run: Run, ev: ResourceAcquired, x: float) -> None:
        strip = Bar(run.lane, x, None, "holding",
                    f"{context_label(run.began)} holds {ev.name}\n"
                    f"taken by {ev.api}()" + (f" at {ev.site}" if ev.site else ""),
                    ev.site, boot_ts=ev.ts, rid=ev.rid)
        self.bars.append(strip)
        run.locks[ev.rid] = strip
        self._lock_run[(self.boot, ev.rid)] = run

    # -- queries -------------------------------------------------------------------
    def lane_order(self) -> list[int]:
        """Row of each lane: grouped by module (first seen first), module lane on top."""
        owners: list[str] = []
        for lane in self.lanes:
            if lane.owner not in owners:
                owners.append(lane.owner)
        ordered = sorted(self.lanes, key=lambda l: (owners.index(l.owner), not l.is_module,
                                                    not l.is_context, l.index))
        rows = [0] * len(self.lanes)
        for row, lane in enumerate(ordered):
            rows[lane.index] = row
        return rows

    def end_of(self, bar: Bar) -> float:
        return bar.end if bar.end is not None else self.now


def context_label(ev: ContextBegan) -> str:
    """'hi: init', 'ticker_worker: kthread work', 'kworker: work say',
    'ticker: timer on_tick': the task a user sees in ps (the kworker pool
    left out: one work function may run in either), else the module."""
    if ev.kind in ("init", "exit"):
        return f"{ev.owner}: {ev.kind}"
    if ev.kind == "kthread":
        return f"{ev.comm}: kthread {ev.func}"
    if ev.kind == "work":
        return f"kworker: work {ev.func}"
    return f"{ev.owner}: {ev.kind} {ev.func}"


def resource_label(kind: str, name: str) -> str:
    """'this' + '"skull"' -> 'this "skull"'; 'kmalloc(64)' stays as it is."""
    return name if name.startswith(kind) else f"{kind} {name}"


_STATE_NOTE = {"asleep": "\nasleep (schedule())", "blocked": "\nasleep for good: never returns",
               "spinning": "\nspins on its CPU for good: never returns"}
_STATE_WORD = {"loading": "Loading (init running)", "live": "Live", "going": "Unloading (exit running)"}
_HANDLERS = {
    ModuleStateChanged: TimelineModel._state,
    ResourceAcquired: TimelineModel._acquired,
    ResourceReleased: TimelineModel._released,
    ResourceProblem: TimelineModel._problem,
    CallFailed: TimelineModel._failed,
    FaultInjected: TimelineModel._injected,
    Oops: TimelineModel._oops,
    ContextBegan: TimelineModel._began,
    ContextState: TimelineModel._switched,
    ContextEnded: TimelineModel._ended,
}
