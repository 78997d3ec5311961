"""Tasklets (kernel/softirq.c).

tasklet_schedule() (a macro: test_and_set_bit(TASKLET_STATE_SCHED), then
__tasklet_schedule()) raises TASKLET_SOFTIRQ; tasklet_action() runs the
callback in softirq context on the CPU's next softirq run.  Here that run
is the kernel's timer wheel at the current jiffy: the tasklet runs when
the scheduling task next sleeps or returns to user space, or at the next
tick inside a busy wait (the timer interrupt's irq_exit() runs the
softirqs, as recorded under mdelay()), as swapper/0 in softirq context (in_softirq() is true), once however often it was
scheduled meanwhile.  The SCHED bit is cleared as soon as the tasklet is
queued, and a second __tasklet_schedule() of a queued one does nothing.
Since 5.9 the callback receives the tasklet_struct (use_callback);
tasklet_init()'s form receives its data.  A tasklet still queued when the
module is gone runs freed code in softirq context: an oops that panics.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kmodgui.kernel import panic
from kmodgui.kernel.cpu import Task
from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.waitqueue import NSEC_PER_JIFFY, SCHEDULE, wait_until
from kmodgui.kernel.memory import MemoryFault
from kmodgui.kernel.services import KCall, KernelServices

if TYPE_CHECKING:
    from kmodgui.kernel.scheduler import Timer

#: preempt_count()'s softirq bits while a softirq handler runs
SOFTIRQ_OFFSET = 1 << 8


def _key(t: int) -> tuple[str, int]:
    return ("tasklet", t)


def _write(k: KCall, t: int, member: str, value: int, size: int = 8) -> None:
    k.mem.write_int(t + k.field_offset("tasklet_struct", member), size, value)


def _read(k: KCall, t: int, member: str, size: int = 8) -> int:
    return k.mem.read_int(t + k.field_offset("tasklet_struct", member), size)


def _init(k: KCall, t: int) -> None:
    _write(k, t, "next", 0)
    _write(k, t, "state", 0)
    _write(k, t, "count", 0, 4)


@kapi("tasklet_setup")
def tasklet_setup(k: KCall, t: int, callback: int) -> int:
    _init(k, t)
    _write(k, t, "callback", callback)
    _write(k, t, "use_callback", 1, 1)
    return 0


@kapi("tasklet_init")
def tasklet_init(k: KCall, t: int, func: int, data: int) -> int:
    _init(k, t)
    _write(k, t, "func", func)
    _write(k, t, "data", data)
    _write(k, t, "use_callback", 0, 1)
    return 0


def _queued(k: KCall, t: int) -> bool:
    return _key(t) in k.kernel.sched.timers


def _schedule(k: KCall, t: int) -> int:
    _write(k, t, "state", _read(k, t, "state") & ~1)     # TASKLET_STATE_SCHED
    if _queued(k, t):
        return 0
    if _read(k, t, "use_callback", 1):
        fn, arg = _read(k, t, "callback"), t
    else:
        fn, arg = _read(k, t, "func"), _read(k, t, "data")
    k.kernel.add_timer(_key(t), k.kernel.jiffies, fn, arg, k.module)
    return 0


@kapi("__tasklet_schedule")
def tasklet_schedule(k: KCall, t: int) -> int:
    return _schedule(k, t)


@kapi("__tasklet_hi_schedule")
def tasklet_hi_schedule(k: KCall, t: int) -> int:
    return _schedule(k, t)


@kapi("tasklet_kill")
def tasklet_kill(k: KCall, t: int) -> int:
    """Wait (yielding) until it is neither scheduled nor running."""
    wait_until(k, lambda: not _queued(k, t), "D", SCHEDULE)
    return 0


@kapi("__softirq_count")
def softirq_count(k: KCall) -> int:
    """preempt_count() & SOFTIRQ_MASK: set in a softirq handler (the
    simulator's interrupt context runs as pid 0, swapper)."""
    return SOFTIRQ_OFFSET if k.task is not None and k.task.pid == 0 else 0


def busy_tick(kernel: KernelServices, ns: int) -> None:
    """A busy wait of `ns` from now: the timer interrupt at the next jiffy
    boundary inside it runs the queued tasklets (irq_exit() ->
    __do_softirq() -> tasklet_action())."""
    sched = getattr(kernel, "sched", None)
    if sched is None:
        return
    keys = [key for key in sched.timers if isinstance(key, tuple) and key[0] == "tasklet"]
    if not keys:
        return
    tick = (kernel.clock_ns // NSEC_PER_JIFFY + 1) * NSEC_PER_JIFFY
    if tick > kernel.clock_ns + ns:
        return
    kernel.clock_ns = tick
    kernel.sync_jiffies()
    for key in keys:
        t = sched.timers.pop(key, None)
        if t is not None:
            _run(kernel, t)


def _run(kernel: KernelServices, t: Timer) -> None:
    """tasklet_action(): the callback in softirq context; an oops there
    (freed code of a gone module) panics."""
    swapper = Task(0, "swapper/0", last_schedule=kernel.clock_ns)
    prev, kernel.cpu.task = kernel.cpu.task, swapper
    try:
        target = kernel.cpu.function_at(t.fnptr)
        kernel.contexts.run(swapper, "tasklet", target,
                            lambda: kernel.cpu.dispatch(None, target, [t.arg]))
    except (MemoryFault, panic.KernelBug, panic.TaskKilled, panic.TaskStuck) as e:
        panic.crashed(kernel, swapper, e)
        if not kernel.panicked:
            panic.kernel_panic(kernel, "Fatal exception in interrupt")
    finally:
        kernel.cpu.task = prev
