"""Time and the current task (kernel/time/timer.c, kernel/sched/core.c).

HZ is 250 in both profiles (one jiffy is 4 ms).  Sleeping calls go through
k.sleep(ns): the clock advances and, in a kernel thread, other work may run
meanwhile; k.sleep(None) sleeps until someone wakes the task (schedule()
after set_current_state(TASK_INTERRUPTIBLE)).  Busy-waits (udelay, mdelay)
only advance the clock: nothing else runs and the task does not schedule,
so a long enough mdelay() trips the soft-lockup watchdog, as on a real
kernel.
"""
from __future__ import annotations

from kmodgui.kernel.kapi import kapi, tasklet
from kmodgui.kernel.kapi.common import read_field, s32
from kmodgui.kernel.services import KCall

HZ = 250
NSEC_PER_JIFFY = 1_000_000_000 // HZ
MAX_JIFFY_OFFSET = ((1 << 63) - 1 >> 1) - 1     # ((LONG_MAX >> 1) - 1)
TASK_RUNNING = 0


def msecs_to_jiffies_(m: int) -> int:
    """__msecs_to_jiffies(): round up; a negative int is "forever"."""
    if s32(m) < 0:
        return MAX_JIFFY_OFFSET
    return ((m & 0xFFFFFFFF) + (1000 // HZ) - 1) // (1000 // HZ)


TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE = 1, 2

# the frames a sleeping task shows (innermost first), as sched_show_task()
# printed them on the 6.1 kernel: schedule_timeout() with a timer, without
# one (MAX_SCHEDULE_TIMEOUT), and what calls it
SCHEDULE = ("__schedule+0x34d/0xa00", "schedule+0x5a/0xd0")
TIMEOUT = SCHEDULE + ("schedule_timeout+0x94/0x150",)
FOREVER = SCHEDULE + ("schedule_timeout+0x11a/0x150",)
MSLEEP = TIMEOUT + ("msleep+0x29/0x40",)
MSLEEP_INTERRUPTIBLE = TIMEOUT + ("msleep_interruptible+0x2d/0x60",)
USLEEP = SCHEDULE + ("schedule_hrtimeout_range_clock+0xa0/0x120",
                     "usleep_range_state+0x65/0x90")


def sleep_jiffies(k: KCall, jiffies: int, state: str = "D",
                  frames: tuple[str, ...] | None = None) -> None:
    """Sleep in `state` (D: TASK_UNINTERRUPTIBLE, S: TASK_INTERRUPTIBLE,
    which khungtaskd ignores) with `frames` as the stack it sleeps on."""
    if frames is None:
        frames = FOREVER if jiffies >= MAX_JIFFY_OFFSET else TIMEOUT
    _sleeping(k, state, frames)
    k.sleep(jiffies * NSEC_PER_JIFFY)


def _sleeping(k: KCall, state: str, frames: tuple[str, ...]) -> None:
    task = k.task
    if task is not None:
        task.sleep_state, task.wchan = state, frames


def busy_wait(k: KCall, ns: int) -> None:
    """udelay() and friends: spin on the CPU for ns (the tick inside it
    runs the tasklets that wait for a softirq)."""
    start = k.kernel.clock_ns
    tasklet.busy_tick(k.kernel, max(ns, 0))
    k.kernel.clock_ns = max(k.kernel.clock_ns, start + max(ns, 0))


@kapi("get_current")
def get_current(k: KCall) -> int:
    """`current`: the running task's task_struct."""
    return k.task.task_struct


@kapi("msleep")
def msleep(k: KCall, msecs: int) -> int:
    """msleep(): at least msecs_to_jiffies(msecs) + 1 jiffies, in
    TASK_UNINTERRUPTIBLE (schedule_timeout_uninterruptible())."""
    sleep_jiffies(k, msecs_to_jiffies_(msecs) + 1, "D", MSLEEP)
    return 0


@kapi("msleep_interruptible")
def msleep_interruptible(k: KCall, msecs: int) -> int:
    """Returns the milliseconds left (0: no signal cut the sleep short)."""
    sleep_jiffies(k, msecs_to_jiffies_(msecs) + 1, "S", MSLEEP_INTERRUPTIBLE)
    return 0


@kapi("ssleep")
def ssleep(k: KCall, secs: int) -> int:
    return msleep(k, (secs & 0xFFFFFFFF) * 1000)


@kapi("usleep_range")
def usleep_range(k: KCall, min_us: int, max_us: int) -> int:
    """An hrtimer sleep of at least min_us (usleep_range_state(...,
    TASK_UNINTERRUPTIBLE))."""
    _sleeping(k, "D", USLEEP)
    k.sleep(min_us * 1000)
    return 0


@kapi("udelay")
def udelay(k: KCall, usecs: int) -> int:
    busy_wait(k, usecs * 1000)
    return 0


@kapi("__udelay")
def __udelay(k: KCall, usecs: int) -> int:
    return udelay(k, usecs)


@kapi("__const_udelay")
def __const_udelay(k: KCall, xloops: int) -> int:
    """udelay(n) with a constant n: xloops = n * 0x10c7 (2**32 / 10**6)."""
    busy_wait(k, xloops * 1000 // 0x10C7)
    return 0


@kapi("ndelay")
def ndelay(k: KCall, nsecs: int) -> int:
    busy_wait(k, nsecs)
    return 0


@kapi("mdelay")
def mdelay(k: KCall, msecs: int) -> int:
    busy_wait(k, msecs * 1_000_000)
    return 0


def _state(k: KCall) -> int:
    """current->__state (->state in 2.6.30) as set_current_state() left it."""
    for member in ("__state", "state"):
        value = read_field(k, k.task.task_struct, "task_struct", member, 4)
        if value is not None:
            return value
    return TASK_RUNNING


def _letter(state: int) -> str:
    """task_state_to_char() of what set_current_state() left."""
    return "D" if state & TASK_UNINTERRUPTIBLE else "S"


@kapi("schedule")
def schedule(k: KCall) -> int:
    """Yield; a task that set itself non-running sleeps until woken."""
    state = _state(k)
    if state != TASK_RUNNING:
        _sleeping(k, _letter(state), SCHEDULE)
    k.sleep(0 if state == TASK_RUNNING else None)
    return 0


def _timeout(k: KCall, timeout: int, state: str) -> int:
    sleep_jiffies(k, min(max(timeout, 0), MAX_JIFFY_OFFSET), state)
    return 0


@kapi("schedule_timeout")
def schedule_timeout(k: KCall, timeout: int) -> int:
    """Sleep `timeout` jiffies in the state the caller set; returns 0."""
    return _timeout(k, timeout, _letter(_state(k)))


@kapi("schedule_timeout_interruptible")
def schedule_timeout_interruptible(k: KCall, timeout: int) -> int:
    return _timeout(k, timeout, "S")


@kapi("schedule_timeout_uninterruptible")
def schedule_timeout_uninterruptible(k: KCall, timeout: int) -> int:
    return _timeout(k, timeout, "D")


@kapi("cond_resched")
def cond_resched(k: KCall) -> int:
    k.sleep(0)
    return 0


@kapi("msecs_to_jiffies")
def msecs_to_jiffies(k: KCall, m: int) -> int:
    return msecs_to_jiffies_(m)


@kapi("__msecs_to_jiffies")
def __msecs_to_jiffies(k: KCall, m: int) -> int:
    return msecs_to_jiffies_(m)


@kapi("usecs_to_jiffies")
def usecs_to_jiffies(k: KCall, u: int) -> int:
    return ((u & 0xFFFFFFFF) + 4000 - 1) // 4000


@kapi("jiffies_to_msecs")
def jiffies_to_msecs(k: KCall, j: int) -> int:
    return (j * (1000 // HZ)) & 0xFFFFFFFF


@kapi("jiffies_to_usecs")
def jiffies_to_usecs(k: KCall, j: int) -> int:
    return (j * (1_000_000 // HZ)) & 0xFFFFFFFF


@kapi("get_jiffies_64")
def get_jiffies_64(k: KCall) -> int:
    return k.kernel.jiffies


@kapi("ktime_get", gpl=True)
def ktime_get(k: KCall) -> int:
    """Monotonic time in ns (ktime_t)."""
    return k.kernel.clock_ns


@kapi("ktime_get_ns", gpl=True)
def ktime_get_ns(k: KCall) -> int:
    return k.kernel.clock_ns
