"""Wait queues (kernel/sched/wait.c) and the sleep every waiting primitive
shares: a completion, a flush of a work item, wait_event().

`wait_until(k, ready, state, wchan, timeout_ns)` sleeps the calling task
until `ready()` holds or the timeout passes, as prepare_to_wait_event() +
schedule_timeout() + finish_wait() do:
- a kthread gives up its CPU; whoever makes `ready()` true calls
  `kick(k)`, which makes it runnable (try_to_wake_up()): it runs when the
  CPU is next free, not inside the waker;
- a system call's task lets time run on (kthreads, kworkers, timers,
  khungtaskd) until `ready()`.  Waiting forever in TASK_UNINTERRUPTIBLE
  is reported by khungtaskd (check_hung_task()), and the call is given up
  on then; an interruptible wait that never ends is given up on after the
  scheduler's GIVE_UP_SLEEPING_NS, as a sleep loop is (nothing reports it).

The C side of wait_event() (include/linux/wait.h) loops: prepare_to_wait_event()
queues the task on the head, the condition is tested, and
__wait_event_sleep() sleeps until a wake_up() of that head or the timeout.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import greenlet

from kmodgui.kernel import panic
from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import registry
from kmodgui.kernel.scheduler import GIVE_UP_SLEEPING_NS, Waiter
from kmodgui.kernel.services import KCall

if TYPE_CHECKING:
    from kmodgui.kernel.cpu import Task

HZ = 250
NSEC_PER_JIFFY = 1_000_000_000 // HZ
MAX_SCHEDULE_TIMEOUT = (1 << 63) - 1
TASK_INTERRUPTIBLE = 1

#: the frames a task waiting on a wait queue shows (innermost first), as
#: sched_show_task() prints them on 6.1: schedule() called by the macro
#: itself, or schedule_timeout() for the _timeout forms
SCHEDULE = ("__schedule+0x34d/0xa00", "schedule+0x5a/0xd0")
SCHEDULE_TIMEOUT = SCHEDULE + ("schedule_timeout+0x11a/0x150",)


def in_kthread(t: Task | None) -> bool:
    """Running as a kthread's (or kworker's) own code, not a system call."""
    return t is not None and t.glet is not None and greenlet.getcurrent() is t.glet


def _sleepers(k: KCall) -> dict[Any, Callable[[], bool]]:
    """The kthreads asleep in wait_until(), with what they wait for."""
    return registry(k, "wait_sleepers")


def kick(k: KCall) -> None:
    """try_to_wake_up() of every sleeping kthread whose wait is over: it
    becomes runnable now and runs when the CPU is next given up."""
    now = k.kernel.clock_ns
    for t, ready in list(_sleepers(k).items()):
        if not ready():
            continue
        if t.sleeping or (t.wake_at is not None and t.wake_at > now):
            t.sleeping, t.wake_at = False, now


def wait_until(k: KCall, ready: Callable[[], bool], state: str,
               wchan: tuple[str, ...], timeout_ns: int | None = None) -> bool:
    """Sleep in `state` (D or S) until ready(); False if the timeout passed."""
    t = k.task
    if ready():
        return True
    if t is None or timeout_ns == 0:
        return False
    if in_kthread(t):
        return _kthread_wait(k, t, ready, state, wchan, timeout_ns)
    return _syscall_wait(k, t, ready, state, wchan, timeout_ns)


def _kthread_wait(k: KCall, t: Task, ready: Callable[[], bool], state: str,
                  wchan: tuple[str, ...], timeout_ns: int | None) -> bool:
    sched = k.kernel.sched
    deadline = None if timeout_ns is None else k.kernel.clock_ns + timeout_ns
    _sleepers(k)[t] = ready
    try:
        while not ready():
            now = k.kernel.clock_ns
            if deadline is not None and now >= deadline:
                return False
            t.sleep_state, t.wchan = state, wchan
            sched.sleep(t, None if deadline is None else deadline - now)
    finally:
        _sleepers(k).pop(t, None)
    return True


def _syscall_wait(k: KCall, t: Task, ready: Callable[[], bool], state: str,
                  wchan: tuple[str, ...], timeout_ns: int | None) -> bool:
    kern, sched = k.kernel, k.kernel.sched
    start = kern.clock_ns
    t.sleep_state, t.wchan, t.state = state, wchan, state
    t.nvcsw += 1                       # __schedule(): the switch into the sleep
    watched = state == "D" and sched.hung_next is not None
    if timeout_ns is not None:
        until: int | None = start + timeout_ns
    else:
        until = None if watched else start + GIVE_UP_SLEEPING_NS
    waiter = Waiter(t)
    sched.run_until(until, waiter, ready)
    if ready() or (timeout_ns is not None and not waiter.hung_secs and not kern.panicked
                   and kern.clock_ns >= start + timeout_ns):
        t.state, t.sleep_state, t.wchan = "R", "D", ()
        kern.cpu.task = t
        kern.cpu.schedule()
        kern.sync_jiffies()
        return ready()
    if state == "D":
        sched.blocked.append(t)        # it stays asleep there, as on the real machine
    raise panic.TaskStuck(t.comm, t.pid, asleep=state != "D", hung=waiter.hung_secs)


def jiffies_ns(timeout: int) -> int | None:
    """A schedule_timeout() argument in ns; None for MAX_SCHEDULE_TIMEOUT."""
    if timeout >= MAX_SCHEDULE_TIMEOUT or timeout < 0:
        return None
    return timeout * NSEC_PER_JIFFY


def left_jiffies(k: KCall, start_ns: int, timeout: int) -> int:
    """What schedule_timeout() returns: the jiffies left of `timeout`."""
    if timeout >= MAX_SCHEDULE_TIMEOUT:
        return timeout
    spent = (k.kernel.clock_ns - start_ns + NSEC_PER_JIFFY - 1) // NSEC_PER_JIFFY
    return max(timeout - spent, 0)


# -- wait queue heads ---------------------------------------------------------
def _woken(k: KCall) -> dict[int, set[Task]]:
    """Per head: the tasks a wake_up() has woken since they queued."""
    return registry(k, "waitqueue_woken")


def _queued(k: KCall) -> dict[int, set[Task]]:
    return registry(k, "waitqueue_queued")


def _list_empty(k: KCall, head: int) -> None:
    """INIT_LIST_HEAD(&wq_head->head): the list points at itself."""
    at = head + k.field_offset("wait_queue_head", "head")
    k.mem.write_int(at, 8, at)
    k.mem.write_int(at + 8, 8, at)


def _list_one(k: KCall, head: int, entry: int) -> None:
    """The head's list holds one entry (what waitqueue_active() reads)."""
    at = head + k.field_offset("wait_queue_head", "head")
    k.mem.write_int(at, 8, entry)
    k.mem.write_int(at + 8, 8, entry)


@kapi("__init_waitqueue_head")
def init_waitqueue_head(k: KCall, head: int, name: int, key: int) -> int:
    k.mem.write_int(head, 4, 0)        # the spinlock
    _list_empty(k, head)
    _queued(k).pop(head, None)
    return 0


@kapi("init_wait_entry")
def init_wait_entry(k: KCall, entry: int, flags: int) -> int:
    return 0


@kapi("prepare_to_wait_event")
def prepare_to_wait_event(k: KCall, head: int, entry: int, state: int) -> int:
    """Queue the caller on the head (once) and set its state; 0 (no signal)."""
    q = _queued(k).setdefault(head, set())
    if k.task not in q:
        q.add(k.task)
        _woken(k).setdefault(head, set()).discard(k.task)
        _list_one(k, head, entry)
    return 0


@kapi("finish_wait")
def finish_wait(k: KCall, head: int, entry: int) -> int:
    """Off the queue, TASK_RUNNING again."""
    q = _queued(k).get(head, set())
    q.discard(k.task)
    _woken(k).get(head, set()).discard(k.task)
    if not q:
        _list_empty(k, head)
    return 0


@kapi("__wait_event_sleep")
def wait_event_sleep(k: KCall, head: int, state: int, timeout: int) -> int:
    """schedule() or schedule_timeout(): sleep until a wake_up() of the head
    or the timeout; the jiffies left (schedule_timeout()'s value)."""
    t, start = k.task, k.kernel.clock_ns
    woken = _woken(k).setdefault(head, set())
    letter = "S" if state & TASK_INTERRUPTIBLE else "D"
    frames = SCHEDULE if timeout >= MAX_SCHEDULE_TIMEOUT else SCHEDULE_TIMEOUT
    wait_until(k, lambda: t in woken, letter, frames, jiffies_ns(timeout))
    woken.discard(t)
    return left_jiffies(k, start, timeout)


@kapi("__wake_up")
def wake_up(k: KCall, head: int, mode: int, nr: int, key: int) -> int:
    """Wake the head's waiters sleeping in a state `mode` covers (all of
    them: none of these waiters is exclusive)."""
    woken = _woken(k).setdefault(head, set())
    for t in _queued(k).get(head, set()):
        if mode & TASK_INTERRUPTIBLE and not mode & 2 and t.sleep_state == "D" \
                and t.state == "D":
            continue                   # wake_up_interruptible() leaves D sleepers
        woken.add(t)
    kick(k)
    return 0
