"""Kernel threads (kernel/kthread.c).

kthread_create() makes a task that has not run yet; wake_up_process()
starts it; kthread_run() is both.  The kernel's scheduler does the running:
k.kernel.spawn(comm, fn, arg, module, start) makes the task (it runs until
it first sleeps or returns when started), k.kernel.wake_task(task) starts
one made with start=False, and k.kernel.stop_task(task) sets should_stop,
wakes it and runs it to completion, returning threadfn's value (-EINTR
without running threadfn when the thread was never woken, as kthread()
does).  The comm is the formatted name cut to 15 characters.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kmodgui.kernel import vsprintf
from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import ENOMEM, owner, registry
from kmodgui.kernel.memory import QUARANTINE_OBJECTS, MemoryFault
from kmodgui.kernel.services import KCall

if TYPE_CHECKING:
    from kmodgui.kernel.cpu import Task

TASK_COMM_LEN = 16


def threads(k: KCall) -> dict[int, Any]:
    """Live kthreads made by modules: task_struct address -> task."""
    return registry(k, "kthreads")


def _create(k: KCall, threadfn: int, data: int, namefmt: int, args: tuple[int, ...],
            start: bool, api: str) -> int:
    name = vsprintf.format(k, k.mem.read_cstring(namefmt), list(args))
    comm = name[:TASK_COMM_LEN - 1].decode("latin-1")
    if start:
        task = k.kernel.spawn(comm, threadfn, data, k.module)
    else:
        task = k.kernel.spawn(comm, threadfn, data, k.module, start=False)
    threads(k)[task.task_struct] = task
    k.kernel.ledger.acquire("kthread", task.pid, f'kthread "{comm}" (pid {task.pid})',
                            owner(k), k.site, api)
    return task.task_struct


@kapi("kthread_create_on_node", fail="errptr", errno=ENOMEM, variadic=True)
def kthread_create_on_node(k: KCall, threadfn: int, data: int, node: int,
                           namefmt: int, *args: int) -> int:
    return _create(k, threadfn, data, namefmt, args, False, "kthread_create")


@kapi("kthread_create", fail="errptr", errno=ENOMEM, variadic=True)
def kthread_create(k: KCall, threadfn: int, data: int, namefmt: int, *args: int) -> int:
    return _create(k, threadfn, data, namefmt, args, False, "kthread_create")


@kapi("kthread_run", fail="errptr", errno=ENOMEM, variadic=True)
def kthread_run(k: KCall, threadfn: int, data: int, namefmt: int, *args: int) -> int:
    """kthread_create() + wake_up_process(): the thread runs right away."""
    return _create(k, threadfn, data, namefmt, args, True, "kthread_run")


def _task(k: KCall, p: int) -> Task | None:
    task = threads(k).get(p)
    if task is None:
        if p in registry(k, "kthreads_gone"):
            # stopped already: its task_struct was freed
            raise MemoryFault("use-after-free", p, 8, False, k.mem.region_at(p))
        k.mem.read_int(p, 8)
    return task


@kapi("wake_up_process")
def wake_up_process(k: KCall, p: int) -> int:
    """1 if the task was woken, 0 if it was already running."""
    task = _task(k, p)
    if task is None:
        return 0
    return 1 if k.kernel.wake_task(task) else 0


@kapi("kthread_stop")
def kthread_stop(k: KCall, p: int) -> int:
    """Ask the thread to stop, wait for it; threadfn's return value."""
    task = _task(k, p)
    if task is None:
        return 0
    ret = k.kernel.stop_task(task)
    del threads(k)[p]
    gone = registry(k, "kthreads_gone")
    gone[p] = True
    if len(gone) > QUARANTINE_OBJECTS:      # remembered as long as a freed object
        del gone[next(iter(gone))]
    k.kernel.exit_task(task)                # kthread_stop()'s put_task_struct()
    k.kernel.ledger.release("kthread", task.pid, "kthread_stop", k.site, owner(k))
    return ret


@kapi("kthread_should_stop")
def kthread_should_stop(k: KCall) -> int:
    return 1 if getattr(k.task, "should_stop", False) else 0
