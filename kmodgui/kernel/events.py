"""The trace's event records: small, immutable, the single source of truth.

Every panel of the GUI and every report of kmodsim is a view of a list of
these.  `ts` is always the simulated clock in nanoseconds since boot (the
same clock dmesg prints as ``[seconds.micros]``).
"""
from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass(slots=True)
class Trace:
    """The ordered event log of one boot, with listeners (the GUI bridge)."""
    events: list[Event] = field(default_factory=list)
    listeners: list = field(default_factory=list)

    def emit(self, ev: Event) -> None:
        self.events.append(ev)
        for cb in self.listeners:
            cb(ev)

    def subscribe(self, cb) -> None:
        self.listeners.append(cb)

    def unsubscribe(self, cb) -> None:
        if cb in self.listeners:
            self.listeners.remove(cb)
