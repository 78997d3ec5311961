"""Completions (kernel/sched/completion.c).

`done` (the first member of struct completion, in the module's memory)
counts complete() calls; complete_all() sets it to UINT_MAX, which no wait
consumes.  A wait sleeps (do_wait_for_common()) until done is non-zero,
then takes one.  wait_for_completion() sleeps in TASK_UNINTERRUPTIBLE: one
that nothing completes is reported by khungtaskd, as kthread_stop()'s is.
No signal reaches a kernel task here, so the _interruptible and _killable
forms never return -ERESTARTSYS.
"""
from __future__ import annotations

import greenlet

from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.waitqueue import (MAX_SCHEDULE_TIMEOUT, SCHEDULE_TIMEOUT, in_kthread,
                                           jiffies_ns, kick, left_jiffies, wait_until)
from kmodgui.kernel.services import KCall

UINT_MAX = 0xFFFFFFFF
#: wait_for_completion() and its kin reach schedule_timeout() through
#: __wait_for_common() (the callers between are inlined or tail calls)
WAIT_FRAMES = SCHEDULE_TIMEOUT + ("__wait_for_common+0x94/0x1e0",)
#: schedule_timeout() with a timer armed
TIMED_FRAMES = ("__schedule+0x34d/0xa00", "schedule+0x5a/0xd0",
                "schedule_timeout+0x94/0x150", "__wait_for_common+0x94/0x1e0")


def _done(k: KCall, x: int) -> int:
    return k.mem.read_int(x, 4)


def _set_done(k: KCall, x: int, value: int) -> None:
    k.mem.write_int(x, 4, value & UINT_MAX)


def _take(k: KCall, x: int) -> None:
    """One completion consumed (complete_all()'s UINT_MAX stays)."""
    if _done(k, x) != UINT_MAX:
        _set_done(k, x, _done(k, x) - 1)


def _wait(k: KCall, x: int, timeout: int, state: str) -> int:
    """do_wait_for_common(): the jiffies left (at least 1) once done, 0 if
    the timeout passed first."""
    start = k.kernel.clock_ns
    frames = WAIT_FRAMES if timeout >= MAX_SCHEDULE_TIMEOUT else TIMED_FRAMES
    if not wait_until(k, lambda: _done(k, x) != 0, state, frames, jiffies_ns(timeout)):
        return 0
    _take(k, x)
    return max(left_jiffies(k, start, timeout), 1)


@kapi("complete")
def complete(k: KCall, x: int) -> int:
    if _done(k, x) != UINT_MAX:
        _set_done(k, x, _done(k, x) + 1)
    kick(k)
    return 0


@kapi("complete_all")
def complete_all(k: KCall, x: int) -> int:
    _set_done(k, x, UINT_MAX)
    kick(k)
    return 0


@kapi("wait_for_completion")
def wait_for_completion(k: KCall, x: int) -> int:
    _wait(k, x, MAX_SCHEDULE_TIMEOUT, "D")
    return 0


@kapi("wait_for_completion_io")
def wait_for_completion_io(k: KCall, x: int) -> int:
    _wait(k, x, MAX_SCHEDULE_TIMEOUT, "D")
    return 0


@kapi("wait_for_completion_timeout")
def wait_for_completion_timeout(k: KCall, x: int, timeout: int) -> int:
    return _wait(k, x, timeout, "D")


@kapi("wait_for_completion_interruptible")
def wait_for_completion_interruptible(k: KCall, x: int) -> int:
    _wait(k, x, MAX_SCHEDULE_TIMEOUT, "S")
    return 0


@kapi("wait_for_completion_killable")
def wait_for_completion_killable(k: KCall, x: int) -> int:
    _wait(k, x, MAX_SCHEDULE_TIMEOUT, "D")
    return 0


@kapi("wait_for_completion_interruptible_timeout")
def wait_for_completion_interruptible_timeout(k: KCall, x: int, timeout: int) -> int:
    return _wait(k, x, timeout, "S")


@kapi("wait_for_completion_killable_timeout")
def wait_for_completion_killable_timeout(k: KCall, x: int, timeout: int) -> int:
    return _wait(k, x, timeout, "D")


@kapi("try_wait_for_completion")
def try_wait_for_completion(k: KCall, x: int) -> int:
    """Take one without sleeping: false when none is there."""
    if _done(k, x) == 0:
        return 0
    _take(k, x)
    return 1


@kapi("completion_done")
def completion_done(k: KCall, x: int) -> int:
    """True when a wait would not sleep."""
    return int(_done(k, x) != 0)


def _exit_thread(k: KCall, code: int) -> None:
    """do_exit() of a kthread: its threadfn never returns; kthread_stop()
    hands back `code`."""
    t = k.task
    if not in_kthread(t):
        return
    t.result, t.done, t.state = code, True, "R"
    raise greenlet.GreenletExit


@kapi("kthread_complete_and_exit")
def kthread_complete_and_exit(k: KCall, comp: int, code: int) -> int:
    """complete(comp) if comp, then the thread exits with `code`."""
    if comp:
        complete(k, comp)
    _exit_thread(k, code)
    return 0


@kapi("complete_and_exit")
def complete_and_exit(k: KCall, comp: int, code: int) -> int:
    """2.6.30's name for kthread_complete_and_exit()."""
    return kthread_complete_and_exit(k, comp, code)


@kapi("kthread_exit")
def kthread_exit(k: KCall, code: int) -> int:
    _exit_thread(k, code)
    return 0
