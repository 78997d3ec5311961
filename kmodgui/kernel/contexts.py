"""Execution contexts: which module function runs, in which task, and when.

The real kernel has no such record; its scheduler tracepoints
(sched_switch, workqueue_execute_start/end, tasklet_entry/exit,
timer_expire_entry/exit) come closest.  The simulator notes the same
moments so the Timeline can give each context a lane of its own:

- init and exit, run by do_init_module() and delete_module() in the
  insmod or rmmod task;
- a kthread's threadfn, from kthread() to its return;
- a work item's function, run by process_one_work() in a kworker;
- a tasklet or a timer callback, run by tasklet_action() or
  call_timer_fn() in softirq context (as swapper/0).

Only module code counts: a callback whose address is not a module
function (freed code of a gone module) oopses before it starts, and the
oops is reported on its own.  A context that sleeps (schedule() from
msleep, a wait queue, a mutex, kthread_stop()) goes "asleep" and comes
back "running"; one that never returns stays "blocked" or "spinning".
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import greenlet

from kmodgui.kernel import panic
from kmodgui.kernel.events import ContextBegan, ContextEnded, ContextState, Event, Site


class Runner(Protocol):
    """A task as the contexts see it (kmodgui.kernel.cpu.Task)."""
    pid: int
    comm: str
    state: str          # R running, D or S asleep
    context: int


class Code(Protocol):
    """A module function (kmodgui.kbuild.program.Function)."""
    name: str
    file: str
    line: int


class Emitter(Protocol):
    def emit(self, ev: Event, /) -> None: ...


class Contexts:
    def __init__(self, trace: Emitter, clock: Callable[[], int]) -> None:
        self._trace = trace
        self._clock = clock
        self._next = 1

    def run(self, task: Runner, kind: str, target: object,
            body: Callable[[], int]) -> int:
        """Run `body` (the call of `target`, a module function reference)
        as a context of `kind` in `task`; a target that is not module code
        runs unrecorded."""
        inst = getattr(target, "inst", None)
        fn = getattr(target, "fn", None)
        if inst is None or fn is None:
            return body()
        return self.run_named(task, kind, inst.name, fn, body)

    def run_named(self, task: Runner, kind: str, owner: str, fn: Code,
                  body: Callable[[], int]) -> int:
        cid = self._next
        self._next += 1
        outer, task.context = task.context, cid
        self._trace.emit(ContextBegan(self._clock(), cid, kind, fn.name, owner,
                                      task.comm, task.pid, Site(fn.file, fn.line, fn.name)))
        try:
            ret = body()
        except greenlet.GreenletExit:
            raise                   # a dead kthread's greenlet collected: no event
        except panic.TaskStuck as e:
            # the syscall or kthread never returns: its lane stays open,
            # asleep for good or spinning on its CPU
            asleep = e.asleep or e.hung or task.state != "R"
            self.state(task, "blocked" if asleep else "spinning")
            raise
        except BaseException:
            self._end(task, cid, outer, "oops")
            raise
        self._end(task, cid, outer, "returned")
        return ret

    def _end(self, task: Runner, cid: int, outer: int, how: str) -> None:
        task.context = outer
        self._trace.emit(ContextEnded(self._clock(), cid, how))

    def state(self, task: Runner | None, state: str) -> None:
        """The task's running context goes asleep, runs again, or hangs."""
        if task is not None and task.context:
            self._trace.emit(ContextState(self._clock(), task.context, state))
