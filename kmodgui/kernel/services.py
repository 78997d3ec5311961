"""The kernel and a kernel call as the code below kernel.py sees them.

kernel.kernel.Kernel imports the loader, /proc and /sys, and every kapi
module, so those cannot import it back.  They are written against the
KernelServices Protocol instead; Kernel provides it (mypy checks that
wherever a Kernel is passed to them).  It lists only what they use: a new
use is one line here.  KCall is what a kapi function receives (kapi/__init__
documents the contract; kcall.KCallImpl provides it).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from kmodgui.kbuild.program import Function
    from kmodgui.kernel.contexts import Contexts
    from kmodgui.kernel.cpu import Cpu, Task
    from kmodgui.kernel.events import Site, Trace
    from kmodgui.kernel.faults import Faults
    from kmodgui.kernel.ledger import Ledger
    from kmodgui.kernel.memory import Memory
    from kmodgui.kernel.module import Module
    from kmodgui.kernel.profile import Profile
    from kmodgui.kernel.scheduler import Scheduler

_R = TypeVar("_R")



class KernelServices(Protocol):
    profile: Profile
    config: dict[str, bool]
    trace: Trace
    mem: Memory
    ledger: Ledger
    cpu: Cpu
    faults: Faults
    sched: Scheduler
    contexts: Contexts
    modules: dict[str, Module]
    # per-subsystem state of kapi modules (chrdev majors, proc entries, ...)
    names: dict[str, dict[Any, Any]]
    taint_letters: str
    debug_locks: bool      # lockdep still on (a taint turns it off)
    sig_notice_done: bool
    last_unloaded: str
    panicked: str

    @property
    def clock_ns(self) -> int: ...
    @clock_ns.setter
    def clock_ns(self, value: int) -> None: ...
    @property
    def jiffies(self) -> int: ...
    @property
    def tainted(self) -> int: ...

    def sync_jiffies(self) -> None: ...
    def sleep(self, task: Task | None, ns: int | None) -> None: ...
    def vprintk(self, msg: bytes, module: str | None) -> int: ...
    def printk(self, text: str, level: int | None = None,
               module: str | None = None) -> None: ...
    def log_line(self, text: str, level: int, module: str | None = None,
                 injected: bool = False) -> None: ...
    def add_taint(self, letter: str, module: Module | None = None) -> None: ...

    def current_task(self, comm: str) -> Task: ...
    def run_task(self, comm: str, body: Callable[[KCall], _R]) -> _R: ...
    def exit_task(self, task: Task) -> None: ...
    def run_module_function(self, mod: Module, fn: Function, args: list[int],
                            kind: str) -> int: ...
    def spawn(self, comm: str, fnptr: int, arg: int, module: Module | None,
              start: bool = True) -> Task: ...
    def stop_task(self, task: Task) -> int: ...
    def wake_task(self, task: Task) -> bool: ...
    def add_timer(self, key: object, expires: int, fnptr: int, arg: int,
                  module: Module | None) -> None: ...
    def del_timer(self, key: object) -> bool: ...

    def vermagic(self) -> str: ...
    def find_symbol(self, sym: str) -> tuple[object, Module | None, bool]: ...
    def module_by_struct(self, addr: int) -> Module | None: ...
    def report_leftovers(self, mod: Module) -> None: ...
    def modules_newest_first(self) -> list[Module]: ...


class KCall(Protocol):
    """Who called a kernel function, from where, and the kernel it runs in."""

    kernel: KernelServices
    mem: Memory
    module: Module | None  # the calling module; None for a call from a syscall
    site: Site | None      # file:line of the call in the module's source
    task: Task             # the task the call runs in: comm, pid

    def cstr(self, addr: int) -> str: ...
    def call(self, fnptr: int, *args: int) -> int: ...
    def field_offset(self, struct: str, member: str) -> int: ...
    def sizeof(self, struct: str) -> int: ...
    def sleep(self, ns: int | None) -> None: ...  # None: until woken
    def warn(self, where: str, func: str, msg: str | None = None,
             callers: tuple[str, ...] = (), msg_level: int = 4) -> None: ...
    def dump_stack(self, head: tuple[str, ...] = ()) -> None: ...


class InKernel(Protocol):
    """Code running in a kernel: a KCall, or built-in code registering at boot."""

    @property
    def kernel(self) -> KernelServices: ...


def kernel_of(x: InKernel | KernelServices) -> KernelServices:
    """The kernel itself, or the kernel a call runs in."""
    return cast(KernelServices, getattr(x, "kernel", x))
