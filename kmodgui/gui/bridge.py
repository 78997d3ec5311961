"""The one QObject between the engine (kmodgui.session.Session) and the GUI.

It subscribes to the session's Trace and re-emits the engine's events as
Qt signals, batched per event-loop turn (a module printing in a loop must
not cost one signal per line).  Panels never touch the engine: they read
snapshots through the queries (bridge_queries.py) and send commands through
the command slots below, which run as shell lines so the Shell shows, as a
terminal would, every insmod/rmmod a button typed for the user.

The session may be given as a factory: the window then paints its first
frame before the simulated kernel boots (`start_engine()`, or
`boot_in_background()`: the boot and a first build on a worker thread,
the window responsive meanwhile), and the queries answer "nothing yet"
until it has.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kmodgui.gui.bridge_queries import ModuleRow, QueriesMixin, module_name
from kmodgui.gui.jobs import JobRunner
from kmodgui.kernel.events import (Booted, Event, ModuleStateChanged, Printk,
                                   ResourceAcquired, ResourceProblem,
                                   ResourceReleased, Rewound, Tainted)

__all__ = ["Bridge", "ModuleRow", "module_name"]

# Events after which lsmod-like views must re-read the kernel.
_STATE_EVENTS = (Booted, ModuleStateChanged, ResourceAcquired,
                 ResourceReleased, ResourceProblem, Tainted)


class Bridge(QueriesMixin, QObject):
    # -- engine events, batched per event-loop turn ------------------------
    #: list[Event]: every event of the batch, in trace order (Timeline, dmesg).
    events = Signal(list)
    #: list[Printk]: the printk records of the batch.
    printk = Signal(list)
    #: Booted: the kernel (re)booted; profile and config may have changed.
    booted = Signal(object)
    #: modules, refcounts, taints or held resources may have changed.
    stateChanged = Signal()
    #: the debugger stepped back: the trace was truncated and replayed (a
    #: Rewound event).  Views rebuild from all_events(); the events of that
    #: batch are not sent again through `events`.  stateChanged follows.
    rewound = Signal()
    # -- commands ----------------------------------------------------------
    #: (line, origin): a shell line began running (origin: "shell", "toolbar", ...).
    commandStarted = Signal(str, str)
    #: (line, origin, CommandResult | None): it ended; None means cancelled.
    commandFinished = Signal(str, str, object)
    #: True while a line runs or waits in the queue.
    busyChanged = Signal(bool)
    #: (source path, BuildResult): a Build finished.
    buildFinished = Signal(str, object)
    #: the session is booted and adopted (after boot_in_background too).
    engineReady = Signal()
    #: the worker thread of boot_in_background ended (delivered on the GUI thread)
    _bootDone = Signal()

    def __init__(self, session: Any, *, profile: str = "6.1",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        deferred = callable(session) and not hasattr(session, "trace")
        self.session: Any = None if deferred else session
        self._factory: Callable[[], Any] | None = session if deferred else None
        self.wanted_profile = profile
        self._pending: list[Event] = []
        self._flush_scheduled = False
        self._rewound = False
        self._trace: Any = None
        self._cwd: Path | None = None
        self.jobs = JobRunner(self.session, self)
        self.jobs.started.connect(self.commandStarted)
        self.jobs.finished.connect(self._on_finished)
        self.jobs.busyChanged.connect(self.busyChanged)
        self._boot: _Boot | None = None
        self._bootDone.connect(self._adopt_boot)
        if self.session is not None:
            self._attach()

    @property
    def ready(self) -> bool:
        return self.session is not None

    @property
    def booting(self) -> bool:
        """The session boots on the worker thread of boot_in_background."""
        return self._boot is not None

    def boot_in_background(self, source: Path | None = None,
                           then: Callable[[], object] | None = None) -> None:
        """Boot the deferred session, and build `source`, on a worker
        thread; `then` (a warm-up such as an import) runs there after them.
        The engine is single-threaded: until the GUI thread adopts the
        session nothing else touches it (start_engine() waits for it)."""
        if self.session is not None or self._boot is not None or self._factory is None:
            return
        self._boot = _Boot(self._factory, source, then, self._bootDone.emit)
        self._boot.thread.start()

    def _adopt_boot(self) -> None:
        boot, self._boot = self._boot, None
        if boot is None or self.session is not None:
            return
        boot.thread.join()
        self._adopt(boot.session if boot.session is not None else self._factory())
        if boot.source is not None:
            if boot.result is None:
                self.build(boot.source)
            else:
                self.buildFinished.emit(str(boot.source), boot.result)

    def start_engine(self) -> None:
        """Boot the deferred session; replay what its boot already logged."""
        if self.session is not None:
            return
        if self._boot is not None:          # booting on the worker: wait for it
            self._boot.thread.join()
            self._adopt_boot()
            return
        self._adopt(self._factory())

    def _adopt(self, session: Any) -> None:
        self.session = session
        if self._cwd is not None:
            self.session.cwd = self._cwd
        self.jobs.attach(self.session)
        self._pending = list(self.session.trace.events)
        self._attach()
        self.flush()
        self.stateChanged.emit()
        self.engineReady.emit()

    # -- trace subscription ------------------------------------------------
    def _attach(self) -> None:
        """(Re)subscribe if the session's trace object changed."""
        trace = self.session.trace
        if trace is self._trace:
            return
        if self._trace is not None:
            self._trace.unsubscribe(self._on_event)
        self._trace = trace
        trace.subscribe(self._on_event)

    def _on_event(self, ev: Event) -> None:
        if isinstance(ev, Rewound):         # what is pending no longer happened
            self._pending.clear()
            self._rewound = True
        self._pending.append(ev)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            QTimer.singleShot(0, self.flush)

    @Slot()
    def flush(self) -> None:
        """Emit the batch now (also called by tests and the screenshot)."""
        self._flush_scheduled = False
        batch, self._pending = self._pending, []
        if self._rewound:                   # rebuild from the trace instead
            self._rewound = False
            self.rewound.emit()
            self.stateChanged.emit()
            return
        if not batch:
            return
        self.events.emit(batch)
        lines = [e for e in batch if isinstance(e, Printk)]
        if lines:
            self.printk.emit(lines)
        for ev in batch:
            if isinstance(ev, Booted):
                self.booted.emit(ev)
        if any(isinstance(e, _STATE_EVENTS) for e in batch):
            self.stateChanged.emit()

    def _on_finished(self, line: str, origin: str, result: Any) -> None:
        self._attach()
        self.flush()
        self.commandFinished.emit(line, origin, result)
        self.stateChanged.emit()

    # -- commands ------------------------------------------------------------
    @Slot(str, str)
    def run_line(self, line: str, origin: str = "shell") -> None:
        """Queue a shell line exactly as if typed into kmodsim."""
        if line.strip():
            self.jobs.submit(line.strip(), origin)

    def insmod(self, modname: str, params: str = "", origin: str = "toolbar") -> None:
        self.run_line(f"insmod {modname}.ko {params}".strip(), origin)

    def rmmod(self, name: str, force: bool = False, origin: str = "toolbar") -> None:
        self.run_line(f"rmmod {'-f ' if force else ''}{name}", origin)

    def modinfo(self, name: str, origin: str = "toolbar") -> None:
        self.run_line(f"modinfo {name}", origin)

    def inject(self, spec: str, origin: str = "toolbar") -> None:
        """Fault injection, in kmodsim's syntax: FUNC [ERRNO] [nth N] | list | clear."""
        self.run_line(f"inject {spec}", origin)

    @Slot()
    def cancel(self) -> None:
        self.jobs.cancel()

    def reboot(self, profile: str | None = None) -> None:
        """A fresh kernel: running commands are abandoned, modules lost."""
        self.start_engine()
        self.jobs.cancel()
        self.session.reboot(profile=profile)
        self._after_reboot()

    def set_config(self, changes: dict[str, bool]) -> None:
        """Kconfig change: the session applies dependencies and reboots."""
        self.start_engine()
        self.jobs.cancel()
        self.session.set_config(changes)
        self._after_reboot()

    def _after_reboot(self) -> None:
        self._attach()
        self.flush()
        self.stateChanged.emit()

    @property
    def cwd(self) -> Path | None:
        """The shell's working folder (the open module's), None before one is set."""
        return self.session.cwd if self.session is not None else self._cwd

    def set_cwd(self, directory: Path) -> None:
        """The shell's working folder: where `insmod NAME.ko` finds NAME.c."""
        self._cwd = Path(directory)
        if self.session is not None:
            self.session.cwd = self._cwd

    def build(self, source: Path) -> Any:
        """kbuild the module of `source` for the running kernel's profile
        (through the session's build cache, so a later insmod reuses it)."""
        self.start_engine()
        result = self.session.build(source.parent, module_name(source))
        self.buildFinished.emit(str(source), result)
        return result


class _Boot:
    """The worker of Bridge.boot_in_background: it alone touches the new
    session until `done` has been called."""

    def __init__(self, factory: Callable[[], Any], source: Path | None,
                 then: Callable[[], object] | None, done: Callable[[], None]) -> None:
        self.factory, self.source, self.then, self.done = factory, source, then, done
        self.session: Any = None
        self.result: Any = None
        self.thread = threading.Thread(target=self._run, name="kmodgui-boot", daemon=True)

    def _run(self) -> None:
        try:
            self.session = self.factory()
            if self.source is not None:
                self.result = self.session.build(self.source.parent, module_name(self.source))
        except Exception:       # the GUI thread boots or builds again and reports it
            self.session = self.result = None
        try:
            if self.then is not None:
                self.then()
        except Exception:       # a warm-up only: what it loads loads later
            pass
        try:
            self.done()
        except RuntimeError:    # the window (and its bridge) closed meanwhile
            pass
