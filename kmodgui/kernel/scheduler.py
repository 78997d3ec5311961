"""Kernel threads and timers, scheduled cooperatively on the simulated clock.

A kthread (kthread_run) runs in its own greenlet until it sleeps (msleep,
schedule_timeout) or returns; it wakes when the clock passes its wake time.
Timers (mod_timer) fire in softirq context when their expiry passes.  Time
passes only between commands (Kernel.idle) or while a task sleeps, so
every run is deterministic.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

import greenlet

from kmodgui.kernel import panic
from kmodgui.kernel.cpu import Task
from kmodgui.kernel.memory import MemoryFault

HZ = 250


#: A system call that keeps sleeping (an init looping on msleep) never
#: returns on a real machine either; kmodsim stops waiting for it after
#: this much simulated sleep (it passes in well under a second of wall time)
GIVE_UP_SLEEPING_NS = 600 * 10**9


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
                task.result = k.cpu.dispatch(None, target, [arg])
            except (MemoryFault, panic.KernelBug, panic.TaskKilled, panic.TaskStuck) as e:
                self._crash(task, e)
            finally:
                task.done = True
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
        task.resumer = greenlet.getcurrent()
        task.wake_at = None
        task.last_schedule = self.k.clock_ns
        task.glet.switch()
        cpu.task = prev

    def sleep(self, task: Task | None, ns: int | None) -> None:
        """msleep()/schedule_timeout(); ns None: sleep until woken (schedule()).
        A kthread yields to whoever resumed it; other tasks just let time pass."""
        k = self.k
        if task is None or task.glet is None or greenlet.getcurrent() is not task.glet:
            k.clock_ns += ns or 0
            k.cpu.schedule()
            if task is not None:
                task.slept_ns += ns or 0
                if task.slept_ns > GIVE_UP_SLEEPING_NS:
                    raise panic.TaskStuck(task.comm, task.pid, asleep=True)
            return
        if ns is None:
            task.wake_at, task.sleeping = None, True
        else:
            task.wake_at = k.clock_ns + ns
        task.resumer.switch()
        k.cpu.task = task
        task.last_schedule = k.clock_ns
        k.sync_jiffies()

    def stop(self, task: Task) -> int:
        """kthread_stop(): set should_stop, wake it, wait for it to return.
        A thread that never ran returns -EINTR without running (kthread())."""
        task.should_stop = True
        if not task.started:
            task.done, task.result = True, -4
        while not task.done:
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
            k.cpu.dispatch(None, k.cpu.function_at(t.fnptr), [t.arg])
        except (MemoryFault, panic.KernelBug, panic.TaskKilled, panic.TaskStuck) as e:
            self._crash(task, e)
            if not k.panicked:
                panic.kernel_panic(k, "Fatal exception in interrupt")
        finally:
            k.cpu.task = prev

    # -- the clock moves -------------------------------------------------------
    def run_until(self, deadline: int) -> None:
        k = self.k
        while not k.panicked:
            nxt, what = self._next_event()
            if nxt is None or nxt > deadline:
                break
            k.clock_ns = max(k.clock_ns, nxt)
            k.sync_jiffies()               # the tick that woke it updated jiffies
            if isinstance(what, Timer):
                self._fire(what)
            else:
                self._resume(what)
        k.clock_ns = max(k.clock_ns, deadline)

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
