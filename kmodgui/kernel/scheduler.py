"""Kernel threads and timers, scheduled cooperatively on the simulated clock.

A kthread (kthread_run) runs in its own greenlet until it sleeps (msleep,
schedule_timeout) or returns; it wakes when the clock passes its wake time.
Timers (mod_timer) fire in softirq context when their expiry passes.  Time
passes only between commands (Kernel.idle) or while a task sleeps, so
every run is deterministic.  While a system call sleeps, the kthreads and
timers run as they would on the real machine.

khungtaskd (kernel/hung_task.c watchdog()) wakes every
hung_task_timeout_secs and reports a task that stayed in
TASK_UNINTERRUPTIBLE without one context switch since its previous check
(check_hung_task()).  A system call blocked that way never returns: the
simulator runs time on until khungtaskd notices, then stops waiting.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Callable

import greenlet

from kmodgui.kernel import panic
from kmodgui.kernel.cpu import Task
from kmodgui.kernel.memory import MemoryFault

HZ = 250
EINVAL = 22
#: a sleep this long is forever (MAX_SCHEDULE_TIMEOUT jiffies, ~10^9 years)
MAX_SLEEP_NS = 10**18
#: kthread_stop() -> wait_for_completion(): the frames it sleeps on, as
#: sched_show_task() printed them on the 6.1 kernel (innermost first)
WAIT_FOR_COMPLETION = ("__schedule+0x34d/0xa00", "schedule+0x5a/0xd0",
                       "schedule_timeout+0x11a/0x150", "__wait_for_common+0x94/0x1e0",
                       "kthread_stop+0x66/0x170")


#: A system call that keeps sleeping (an init looping on msleep) never
#: returns on a real machine either; kmodsim stops waiting for it after
#: this much simulated sleep (it passes in well under a second of wall time)
GIVE_UP_SLEEPING_NS = 600 * 10**9
#: A system call that keeps running but yields (an init looping on
#: cond_resched()) never returns either, and no watchdog says so: it
#: schedules, stays runnable, never sleeps.  kmodsim stops waiting after
#: this much simulated time of it (about 2 s of wall time at worst)
GIVE_UP_YIELDING_NS = 10 * 10**9
#: CONFIG_DEFAULT_HUNG_TASK_TIMEOUT (Debian 6.1: 120): khungtaskd's period
HUNG_TASK_TIMEOUT_NS = 120 * 10**9
#: sysctl_hung_task_warnings: reports printed per boot, then silence
HUNG_TASK_WARNINGS = 10


class Waiter:
    """A task waiting for something that may never come (see run_until)."""

    def __init__(self, task: Task) -> None:
        self.task = task
        self.hung_secs = 0       # set when khungtaskd found it blocked


@dataclass(eq=False)
class Timer:
    key: object
    expires: int        # jiffies
    fnptr: int
    arg: int
    module: object


class Scheduler:
    def __init__(self, kernel) -> None:
        self.k = kernel
        self.threads: list[Task] = []
        self.timers: dict[object, Timer] = {}
        # khungtaskd: sysctl_hung_task_timeout_secs, _warnings (-1: no limit)
        # and hung_last_checked
        self.hung_timeout_s = HUNG_TASK_TIMEOUT_NS // 10**9
        self.hung_warnings = HUNG_TASK_WARNINGS
        self.hung_last = 0
        #: system calls given up on while blocked in D: they stay there
        self.blocked: list[Task] = []

    # -- kthreads ---------------------------------------------------------------
    def spawn(self, comm: str, fnptr: int, arg: int, module, start: bool = True) -> Task:
        """kthread_create() (+ wake_up_process() when start): a new task."""
        k = self.k
        task = k.new_task(comm)
        task.module = module
        target = k.cpu.function_at(fnptr)

        def body() -> None:
            k.cpu.task = task
            try:
                task.result = k.contexts.run(
                    task, "kthread", target, lambda: k.cpu.dispatch(None, target, [arg]))
            except panic.TaskStuck:
                # soft lockup: it spins on its CPU forever and never returns
                task.spinning = True
            except (MemoryFault, panic.KernelBug, panic.TaskKilled) as e:
                self._crash(task, e)
            if not task.spinning:
                task.done = True
            task.state = "R"
        task.glet = greenlet.greenlet(body)
        task.started = start
        self.threads.append(task)
        if start:
            self._resume(task)
        return task

    def wake(self, task: Task) -> bool:
        """wake_up_process(): True if the task was sleeping (or never ran)."""
        if task.done:
            return False
        if not task.started:
            task.started = True
            self._resume(task)
            return True
        if task.wake_at is None and task.sleeping:
            task.sleeping = False
            self._resume(task)
            return True
        return False

    def _crash(self, task: Task, e: BaseException) -> None:
        panic.crashed(self.k, task, e)

    def _resume(self, task: Task) -> None:
        cpu = self.k.cpu
        prev = cpu.task
        glet = task.glet
        if glet is None:
            raise RuntimeError(f"{task.comm} is not a kthread: nothing to resume")
        task.resumer = greenlet.getcurrent()
        if glet.parent is not task.resumer:
            try:        # when threadfn returns, control comes back here
                glet.parent = task.resumer
            except ValueError:
                pass
        task.wake_at = None
        task.last_schedule = self.k.clock_ns
        glet.switch()
        cpu.task = prev
        if prev is not None:     # it ran while the thread did: not a lockup of its own
            prev.last_schedule = max(prev.last_schedule, self.k.clock_ns)

    def sleep(self, task: Task | None, ns: int | None) -> None:
        """msleep()/schedule_timeout(); ns None: sleep until woken (schedule()).
        A kthread yields to whoever resumed it; a system call lets the
        kthreads and timers run meanwhile.  The sleeping function set
        task.sleep_state and task.wchan (what khungtaskd would see)."""
        k = self.k
        if task is None:
            k.clock_ns += ns or 0
            return
        if task.glet is None or greenlet.getcurrent() is not task.glet:
            self._syscall_sleep(task, ns)
            return
        self._block(task, ns)
        if ns is None:
            task.wake_at, task.sleeping = None, True
        else:
            task.wake_at = k.clock_ns + ns
        k.contexts.state(task, "asleep")
        if task.resumer is None:
            raise RuntimeError(f"{task.comm} runs but nothing resumed it")
        task.resumer.switch()
        k.cpu.task = task
        k.contexts.state(task, "running")
        self._unblock(task)
        task.last_schedule = k.clock_ns
        k.sync_jiffies()

    @staticmethod
    def _block(task: Task, ns: int | None = None) -> None:
        """__schedule(): the task leaves the CPU (one more context switch);
        a zero sleep (cond_resched) leaves it runnable."""
        task.nvcsw += 1
        task.state = "R" if ns == 0 else task.sleep_state

    @staticmethod
    def _unblock(task: Task) -> None:
        task.state, task.sleep_state, task.wchan = "R", "D", ()

    def _syscall_sleep(self, task: Task, ns: int | None) -> None:
        """A system call's task sleeps: time runs on (kthreads, timers,
        khungtaskd).  It is given up on once khungtaskd reports it, or after
        GIVE_UP_SLEEPING_NS of sleeping in this call (a sleep loop that
        switches each time: the real kernel stays silent about it)."""
        k = self.k
        self._yielded(task, ns)
        if ns == 0 and not self._due():
            task.nvcsw += 1                  # a yield with nothing else to run
            k.cpu.schedule()
            return
        self._block(task, ns)
        start = k.clock_ns
        limit = start + max(GIVE_UP_SLEEPING_NS - task.slept_ns, 0)
        forever = ns is None or ns >= MAX_SLEEP_NS
        end: int | None
        if forever and task.state == "D" and self.hung_next is not None:
            end = None                       # until khungtaskd reports it
        elif forever:
            end = limit
        else:
            end = min(limit, start + (ns or 0))
        waiter = Waiter(task)
        self.run_until(end, waiter)
        if waiter.hung_secs:
            self.blocked.append(task)        # it stays in D: reported again later
            raise panic.TaskStuck(task.comm, task.pid, hung=waiter.hung_secs)
        if k.panicked:                       # nothing wakes it any more
            raise panic.TaskStuck(task.comm, task.pid)
        if forever and task.state == "D":    # khungtaskd is off: it would never say
            self.blocked.append(task)
            raise panic.TaskStuck(task.comm, task.pid)
        task.slept_ns += k.clock_ns - start
        self._unblock(task)
        k.cpu.task = task
        k.cpu.schedule()
        k.sync_jiffies()
        if end is not None and (forever or start + (ns or 0) > end):
            raise panic.TaskStuck(task.comm, task.pid, asleep=True)

    def _due(self) -> bool:
        """Something to run right now: a timer, a kthread, khungtaskd."""
        now = self.k.clock_ns
        check = self.hung_next
        if check is not None and check <= now:
            return True
        nxt, _what = self._next_event()
        return nxt is not None and nxt <= now

    def _yielded(self, task: Task, ns: int | None) -> None:
        """cond_resched()/schedule() while runnable: the call goes on; one
        that does only that for GIVE_UP_YIELDING_NS is given up on."""
        now = self.k.clock_ns
        if ns != 0:
            task.yielding_since = None
        elif task.yielding_since is None:
            task.yielding_since = now
        elif now - task.yielding_since > GIVE_UP_YIELDING_NS:
            raise panic.TaskStuck(task.comm, task.pid)

    def stop(self, task: Task) -> int:
        """kthread_stop(): set should_stop, wake it, wait for it to return
        (wait_for_completion(): TASK_UNINTERRUPTIBLE, however long it takes).
        A thread that never ran returns -EINTR without running (kthread())."""
        task.should_stop = True
        if not task.started:
            task.done, task.result = True, -4
        if not task.done and task.sleeping and task.wake_at is None:
            self.wake(task)                  # wake_up_process(k)
        me = self.k.cpu.task
        if not task.done and me is not None and \
                (me.glet is None or greenlet.getcurrent() is not me.glet):
            me.wchan = WAIT_FOR_COMPLETION
            self._block(me)
            waiter = Waiter(me)
            # with khungtaskd off (hung_task_timeout_secs 0) nothing would
            # ever say it hangs: stop waiting after GIVE_UP_SLEEPING_NS
            until = None if self.hung_next is not None else \
                self.k.clock_ns + GIVE_UP_SLEEPING_NS
            self.run_until(until, waiter, lambda: task.done or task.spinning)
            if waiter.hung_secs:
                self.blocked.append(me)
                raise panic.TaskStuck(me.comm, me.pid, hung=waiter.hung_secs)
            if not task.done:
                # it spins (its CPU never schedules again: on the real
                # machine khungtaskd did not report the waiter either),
                # khungtaskd is off, or the machine panicked meanwhile
                if not task.spinning:
                    self.blocked.append(me)
                raise panic.TaskStuck(me.comm, me.pid)
            self._unblock(me)
            self.k.cpu.task = me
            self.k.cpu.schedule()
        while not task.done:                 # a kthread stopping another one
            if task.spinning or (task.wake_at is None and task.sleeping):
                me.wchan = WAIT_FOR_COMPLETION
                self.sleep(me, None)         # never woken again
            if task.wake_at is not None and task.wake_at > self.k.clock_ns:
                self.k.clock_ns = task.wake_at
            task.sleeping = False
            self._resume(task)
        if task in self.threads:
            self.threads.remove(task)
        return task.result

    # -- timers ------------------------------------------------------------
    def add_timer(self, key, expires: int, fnptr: int, arg: int, module) -> None:
        self.timers[key] = Timer(key, expires, fnptr, arg, module)

    def del_timer(self, key) -> bool:
        return self.timers.pop(key, None) is not None

    def _fire(self, t: Timer) -> None:
        """run_timer_softirq() -> expire_timers(): detach the timer, run its
        callback in interrupt context.  A timer left pending by a module that
        is gone faults right there (its timer_list and its code were freed);
        an oops in interrupt context panics the machine."""
        k = self.k
        self.timers.pop(t.key, None)
        task = Task(0, "swapper/0", last_schedule=k.clock_ns)
        prev, k.cpu.task = k.cpu.task, task
        timer_fired = getattr(importlib.import_module("kmodgui.kernel.kapi.timer"),
                              "timer_fired", None)
        try:
            if timer_fired is not None:
                timer_fired(k, t.key)      # detach_timer(): no longer pending
            target = k.cpu.function_at(t.fnptr)
            kind = "tasklet" if isinstance(t.key, tuple) and t.key[0] == "tasklet" else "timer"
            k.contexts.run(task, kind, target, lambda: k.cpu.dispatch(None, target, [t.arg]))
        except (MemoryFault, panic.KernelBug, panic.TaskKilled, panic.TaskStuck) as e:
            self._crash(task, e)
            if not k.panicked:
                panic.kernel_panic(k, "Fatal exception in interrupt")
        finally:
            k.cpu.task = prev

    # -- the clock moves -------------------------------------------------------
    def run_until(self, deadline: int | None, waiter: Waiter | None = None,
                  done: Callable[[], bool] | None = None) -> None:
        """Let time pass to `deadline` (None: until `done()` or until
        khungtaskd finds the waiter hung): timers fire, kthreads wake and
        khungtaskd checks, in the order of their times."""
        k = self.k
        sleeper = waiter.task if waiter is not None else None
        k.contexts.state(sleeper, "asleep")     # the waiting syscall's context
        self._run_until(deadline, waiter, done)
        k.contexts.state(sleeper, "running")

    def _run_until(self, deadline: int | None, waiter: Waiter | None,
                   done: Callable[[], bool] | None) -> None:
        k = self.k
        while not k.panicked:
            if waiter is not None and waiter.hung_secs or done is not None and done():
                return
            nxt, what = self._next_event()
            check = self.hung_next
            if check is not None and \
                    check <= min(x for x in (nxt, deadline, check) if x is not None):
                k.clock_ns = max(k.clock_ns, check)
                k.sync_jiffies()
                self._khungtaskd(waiter)
                continue
            if nxt is None or deadline is not None and nxt > deadline:
                break
            k.clock_ns = max(k.clock_ns, nxt)
            k.sync_jiffies()               # the tick that woke it updated jiffies
            if isinstance(what, Timer):
                self._fire(what)
            else:
                self._resume(what)
        if deadline is not None:
            k.clock_ns = max(k.clock_ns, deadline)

    # -- khungtaskd ---------------------------------------------------------------
    def _khungtaskd(self, waiter: Waiter | None) -> None:
        """check_hung_uninterruptible_tasks(): every task in D.  After an
        oops (taint D) or a panic it reports nothing; the simulator still
        notes the waiter hung, so a blocked system call is given up on."""
        k = self.k
        now = self.hung_last = k.clock_ns
        quiet = "D" in k.taint_letters or bool(k.panicked)
        tasks = [t for t in self.threads if not t.done] + self.blocked
        if waiter is not None and waiter.task not in tasks:
            tasks.append(waiter.task)
        for t in sorted(tasks, key=lambda t: t.pid):     # for_each_process_thread()
            if t.state != "D" or not self._hung(t, now):
                continue
            secs = self._blocked_secs(t, now)
            if waiter is not None and t is waiter.task:
                waiter.hung_secs = secs
            if not quiet and self.hung_warnings:
                if self.hung_warnings > 0:
                    self.hung_warnings -= 1
                panic.hung_task(k, t, secs)

    @property
    def hung_next(self) -> int | None:
        """watchdog(): the next check, hung_last_checked + the timeout;
        None when hung_task_timeout_secs is 0 (khungtaskd sleeps for good)."""
        if not self.hung_timeout_s:
            return None
        return self.hung_last + self.hung_timeout_s * 10**9

    #: the files of kernel/hung_task.c's hung_task_sysctls kmodsim serves
    SYSCTLS = ("hung_task_timeout_secs", "hung_task_warnings")

    def sysctl_read(self, name: str) -> str:
        value = self.hung_timeout_s if name == "hung_task_timeout_secs" else self.hung_warnings
        return f"{value}\n"

    def sysctl_write(self, name: str, text: str) -> int:
        """proc_dohung_task_timeout_secs() (0 .. LONG_MAX / HZ, and it wakes
        khungtaskd, which then checks at hung_last_checked + the new
        timeout) and proc_dointvec_minmax() for the warnings (>= -1):
        0, or -EINVAL for anything else."""
        m = re.fullmatch(r"\s*(-?\d+)\s*", text)
        if m is None:
            return -EINVAL
        value = int(m.group(1))
        if name == "hung_task_timeout_secs":
            if not 0 <= value <= ((1 << 63) - 1) // HZ:
                return -EINVAL
            self.hung_timeout_s = value
        else:
            if not -1 <= value <= (1 << 31) - 1:
                return -EINVAL
            self.hung_warnings = value
        return 0

    def _hung(self, t: Task, now: int) -> bool:
        """check_hung_task(): no context switch since the last look, for a
        whole timeout (6.1 compares last_switch_time; 2.6.30 only counts)."""
        if t.nvcsw == 0:
            return False
        if t.nvcsw != t.last_switch_count:
            t.last_switch_count, t.last_switch_time = t.nvcsw, now
            return False
        if self.k.profile.kernel["switches"].get("hung_task_switch_time", True):
            return now >= t.last_switch_time + self.hung_timeout_s * 10**9
        return True

    def _blocked_secs(self, t: Task, now: int) -> int:
        """(jiffies - t->last_switch_time) / HZ; 2.6.30 prints the timeout."""
        if self.k.profile.kernel["switches"].get("hung_task_switch_time", True):
            return (now - t.last_switch_time) // 10**9
        return self.hung_timeout_s

    def _next_event(self):
        k = self.k
        best, what = None, None
        for t in self.timers.values():
            due = k.clock_ns + max(0, (t.expires - k.jiffies)) * (1_000_000_000 // HZ)
            if (t.expires - k.jiffies) <= 0:
                due = k.clock_ns
            if best is None or due < best:
                best, what = due, t
        for task in self.threads:
            if not task.done and task.started and task.wake_at is not None and \
                    (best is None or task.wake_at < best):
                best, what = task.wake_at, task
        return best, what
