"""The trace's event records: small, immutable, the single source of truth.

Every panel of the GUI and every report of kmodsim is a view of a list of
these.  `ts` is always the simulated clock in nanoseconds since boot (the
same clock dmesg prints as ``[seconds.micros]``).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, overload


@dataclass(frozen=True, slots=True)
class Event:
    ts: int


@dataclass(frozen=True, slots=True)
class Booted(Event):
    """The simulated kernel (re)booted: a fresh ring buffer, no modules."""
    profile: str
    config: tuple[tuple[str, bool], ...]


@dataclass(frozen=True, slots=True)
class Printk(Event):
    """One record of the printk ring buffer (kernel/printk/printk.c)."""
    seq: int
    level: int          # 0 (emerg) .. 7 (debug)
    text: str           # without the trailing newline
    module: str | None  # the module whose code printed it, if any
    injected: bool = False  # part of a fault-injection report
    continued: bool = False  # a further line of the record before it (embedded newline)


@dataclass(frozen=True, slots=True)
class CommandRun(Event):
    """A userspace command finished (insmod, rmmod, ...)."""
    argv: tuple[str, ...]
    status: int
    stdout: str
    stderr: str


@dataclass(frozen=True, slots=True)
class ModuleStateChanged(Event):
    """enum module_state transition; state 'GONE' means freed."""
    name: str
    state: str  # UNFORMED COMING LIVE GOING GONE


@dataclass(frozen=True, slots=True)
class Site:
    """Where in the module's source something happened."""
    file: str
    line: int
    func: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class ResourceAcquired(Event):
    rid: int            # ledger id, unique per boot
    kind: str           # memory, chrdev, class, device, misc, proc, this, ...
    name: str           # what a user recognises: "skull", "kmalloc(64)", ...
    owner: str          # module name
    site: Site | None
    api: str            # the kernel function that acquired it
    context: int = 0    # the ContextBegan.cid it was acquired in (0: none)


@dataclass(frozen=True, slots=True)
class ResourceReleased(Event):
    rid: int
    kind: str
    name: str
    owner: str
    site: Site | None
    api: str
    in_order: bool      # released in reverse order of acquisition?


@dataclass(frozen=True, slots=True)
class ResourceProblem(Event):
    """A release that went wrong, or a leftover: double, unknown, leak."""
    problem: str        # "leak" | "double-release" | "never-acquired"
    kind: str
    name: str
    owner: str
    site: Site | None
    rid: int | None = None


@dataclass(frozen=True, slots=True)
class CallFailed(Event):
    """A kernel function called by a module returned an error."""
    api: str
    errno: int          # positive errno number
    owner: str
    site: Site | None
    injected: bool


@dataclass(frozen=True, slots=True)
class FaultInjected(Event):
    api: str
    errno: int
    owner: str
    site: Site | None


@dataclass(frozen=True, slots=True)
class ContextBegan(Event):
    """Module code starts to run in an execution context: init or exit in
    the insmod/rmmod task, a kthread's threadfn, a work item in a kworker
    (process_one_work()), a tasklet or a timer callback in softirq context
    (tasklet_action(), call_timer_fn())."""
    cid: int            # unique per boot
    kind: str           # init | exit | kthread | work | tasklet | timer
    func: str           # the module function it runs
    owner: str          # the module that function belongs to
    comm: str           # the task it runs in ("swapper/0" in softirq context)
    pid: int
    site: Site | None = None    # where the function is defined


@dataclass(frozen=True, slots=True)
class ContextState(Event):
    """A running context leaves or regains the CPU: "asleep" (schedule()
    from msleep, a wait queue, a mutex...), "running" again once woken,
    "blocked" (asleep for good: the system call never returns) or
    "spinning" (it never gives up the CPU again: a soft lockup)."""
    cid: int
    state: str


@dataclass(frozen=True, slots=True)
class ContextEnded(Event):
    """The context's function returned ("returned") or oopsed ("oops")."""
    cid: int
    how: str


@dataclass(frozen=True, slots=True)
class Tainted(Event):
    letter: str
    bit: int
    module: str | None


@dataclass(frozen=True, slots=True)
class Oops(Event):
    """The module crashed the (simulated) kernel task: oops, BUG, lockup."""
    kind: str           # null-deref, page-fault, kasan, soft-lockup, bug, stack-overflow,
                        # divide-error, hung-task
    module: str | None
    site: Site | None
    summary: str


@dataclass(frozen=True, slots=True)
class Paused(Event):
    """The debugger stopped before a statement (only emitted when paused)."""
    step: int
    site: Site
    depth: int


@dataclass(frozen=True, slots=True)
class Rewound(Event):
    """The debugger stepped back: the trace was truncated and replayed.
    Listeners should rebuild their view from trace.events."""


@dataclass(frozen=True, slots=True)
class Jump(Event):
    """A goto was taken: from the goto statement to its label."""
    func: str
    file: str
    from_line: int
    to_line: int
    label: str


@dataclass(frozen=True, slots=True)
class Forgotten(Event):
    """What an index into the trace gives for an event it no longer keeps."""


FORGOTTEN = Forgotten(0)
#: how many of the most recent events the trace keeps: older ones are
#: dropped a batch at a time (the log holds TRACE_KEPT to 5/4 of it), so
#: host memory stays flat however long a session runs
TRACE_KEPT = 1 << 14


class EventLog(Sequence[Event]):
    """The trace's events, numbered from the session's first one.

    len() counts every event ever emitted and indices are absolute, so a
    position taken earlier (len(trace.events)) still names the same event;
    only the most recent TRACE_KEPT are kept.  Iteration yields the kept
    ones; an index of a dropped event gives FORGOTTEN, a slice starts at
    the oldest kept event.
    """

    __slots__ = ("_kept", "_first", "_limit")

    def __init__(self, limit: int | None = None) -> None:
        self._kept: list[Event] = []
        self._first = 0                       # absolute index of _kept[0]
        self._limit = limit or TRACE_KEPT

    # -- growing and cutting ---------------------------------------------------
    def append(self, ev: Event) -> None:
        self._kept.append(ev)
        if len(self._kept) > self._limit + self._limit // 4:
            drop = len(self._kept) - self._limit
            del self._kept[:drop]
            self._first += drop

    def extend(self, evs: Iterable[Event]) -> None:
        for ev in evs:
            self.append(ev)

    def __delitem__(self, index: slice) -> None:
        """`del events[i:]`: forget event i and all after it (a rewind)."""
        if not isinstance(index, slice) or index.stop is not None or index.step is not None:
            raise TypeError("only the tail of the trace can be deleted: del events[i:]")
        start = index.indices(len(self))[0]
        if start >= self._first:
            del self._kept[start - self._first:]
        else:
            self._kept.clear()
            self._first = start

    def copy(self) -> "EventLog":
        """A snapshot with the same numbering."""
        other = EventLog(self._limit)
        other._kept = list(self._kept)
        other._first = self._first
        return other

    def restore(self, snapshot: "EventLog") -> None:
        """Become `snapshot` again (a refused replay puts the log back)."""
        self._kept = list(snapshot._kept)
        self._first = snapshot._first

    # -- reading -------------------------------------------------------------------
    @property
    def first(self) -> int:
        """Absolute index of the oldest event still kept."""
        return self._first

    def __len__(self) -> int:
        return self._first + len(self._kept)

    @overload
    def __getitem__(self, index: int) -> Event: ...

    @overload
    def __getitem__(self, index: slice) -> list[Event]: ...

    def __getitem__(self, index: int | slice) -> Event | list[Event]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            lo = max(start, self._first) - self._first
            return self._kept[lo:max(stop - self._first, lo):step]
        n = len(self)
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            raise IndexError("trace index out of range")
        return self._kept[i - self._first] if i >= self._first else FORGOTTEN

    def __iter__(self) -> Iterator[Event]:
        return iter(self._kept)

    def __reversed__(self) -> Iterator[Event]:
        return reversed(self._kept)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EventLog):
            return self._first == other._first and self._kept == other._kept
        if isinstance(other, list):
            return self._first == 0 and self._kept == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"EventLog(first={self._first}, kept={len(self._kept)})"


class Listener(Protocol):
    def __call__(self, ev: Event, /) -> None: ...


@dataclass(slots=True)
class Trace:
    """The ordered event log of a session, with listeners (the GUI bridge)."""
    events: EventLog = field(default_factory=EventLog)
    listeners: list[Listener] = field(default_factory=list)

    def emit(self, ev: Event) -> None:
        self.events.append(ev)
        for cb in self.listeners:
            cb(ev)

    def subscribe(self, cb: Listener) -> None:
        self.listeners.append(cb)

    def unsubscribe(self, cb: Listener) -> None:
        if cb in self.listeners:
            self.listeners.remove(cb)
