"""Work queues (kernel/workqueue.c).

Two worker pools serve every queue, as on the 2-CPU machine the real
recordings come from: CPU 0's bound pool (system_wq, create_workqueue()),
whose worker is kworker/0:0, and the unbound pool (WQ_UNBOUND, and the
ordered queues create_singlethread_workqueue() makes), whose worker is
kworker/u4:1.  The workers exist from boot (fixed pids, no pid taken from
the module's tasks) and idle in TASK_IDLE, which khungtaskd ignores.

queue_work() sets WORK_STRUCT_PENDING (bit 0 of work->data) and makes the
pool's worker runnable; it runs when the queuing task next gives up the
CPU: a sleep, the return to user space, or a printk (console_unlock()'s
cond_resched(), where the recorded kworker preempted insmod).
process_one_work() clears PENDING, then calls work->func(work) read from
the module's memory: a work item left queued by a module that is gone runs
freed code, an oops in the kworker.  A delayed work item is held by its
pool until its delay passes (delayed_work_timer_fn()).
"""
from __future__ import annotations

from dataclasses import dataclass, field
import greenlet

from kmodgui.kernel import panic, vsprintf
from kmodgui.kernel.cpu import Task
from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import owner, registry
from kmodgui.kernel.kapi.waitqueue import NSEC_PER_JIFFY, kick, wait_until
from kmodgui.kernel.memory import KOBJ, MemoryFault
from kmodgui.kernel.services import KCall, KernelServices

WQ_UNBOUND = 1 << 1
WORK_STRUCT_PENDING = 1
#: flush_work() waits in wait_for_completion() (a barrier work item)
FLUSH_FRAMES = ("__schedule+0x34d/0xa00", "schedule+0x5a/0xd0",
                "schedule_timeout+0x11a/0x150", "__wait_for_common+0x94/0x1e0",
                "__flush_work.isra.0+0x160/0x220")
#: the two pools: name of their worker, its pid on the recorded machine's boot
POOLS = {"bound": ("kworker/0:0", 7), "unbound": ("kworker/u4:1", 9)}


@dataclass(eq=False)
class Pool:
    name: str
    worker: Task | None = None
    queue: list[int] = field(default_factory=list)
    #: delayed work: work address -> (due ns, queue)
    delayed: dict[int, int] = field(default_factory=dict)
    running: int = 0                 # the work item being run, 0: none
    #: printks of the queuing task since the worker was woken
    printks: int = 0


def _pools(k: KCall) -> dict[str, Pool]:
    return registry(k, "worker_pools")


def _queues(k: KCall) -> dict[int, tuple[str, str, bool]]:
    """workqueue_struct address -> (name, pool, alive)."""
    return registry(k, "workqueues")


def _pool(k: KCall, which: str) -> Pool:
    pool = _pools(k).get(which)
    if pool is None:
        pool = _pools(k)[which] = Pool(which)
    if pool.worker is None or pool.worker.done:
        pool.worker = _worker(k, pool)
    return pool


# -- the worker ---------------------------------------------------------------
def _worker(k: KCall, pool: Pool) -> Task:
    """A kworker task, idle until work comes (worker_thread())."""
    kern = k.kernel
    comm, pid = POOLS[pool.name]
    task = Task(pid, comm, last_schedule=kern.clock_ns)
    reg = kern.mem.map(64, KOBJ, "kernel", label=f"task_struct {comm}")
    reg.data[4:8] = pid.to_bytes(4, "little")
    reg.data[8:12] = pid.to_bytes(4, "little")
    reg.data[12:12 + len(comm)] = comm.encode()
    task.task_struct = reg.base
    task.sleep_state = "I"

    def body() -> None:
        kern.cpu.task = task
        while True:
            _promote_due(k, pool)
            while pool.queue:
                work = pool.queue.pop(0)
                if not _run_one(k, pool, task, work):
                    return
                _promote_due(k, pool)
            due = min(pool.delayed.values(), default=None)
            task.sleep_state, task.wchan = "I", ()
            kern.sched.sleep(task, None if due is None else max(due - kern.clock_ns, 0))
    task.glet = greenlet.greenlet(body)
    task.started, task.sleeping = True, True
    task.wake_at = None
    kern.sched.threads.append(task)
    return task


def _promote_due(k: KCall, pool: Pool) -> None:
    """delayed_work_timer_fn(): a delay that passed queues its work."""
    now = k.kernel.clock_ns
    for work, due in sorted(pool.delayed.items(), key=lambda kv: kv[1]):
        if due <= now:
            del pool.delayed[work]
            _timer_fires(k, work)
            pool.queue.append(work)


def _timer_fires(k: KCall, work: int) -> None:
    """The delayed work's timer_list lies in the module's memory: when the
    module is gone, the timer softirq faults on it, an oops in interrupt
    context, which panics (the recorded machine stopped there)."""
    kern = k.kernel
    try:
        kern.mem.read_int(work + k.field_offset("delayed_work", "timer"), 8)
    except MemoryFault as e:
        swapper = Task(0, "swapper/0", last_schedule=kern.clock_ns)
        prev, kern.cpu.task = kern.cpu.task, swapper
        try:
            panic.crashed(kern, swapper, e)
            if not kern.panicked:
                panic.kernel_panic(kern, "Fatal exception in interrupt")
        finally:
            kern.cpu.task = prev


def _run_one(k: KCall, pool: Pool, task: Task, work: int) -> bool:
    """process_one_work(): False when the worker died of it."""
    kern = k.kernel
    pool.running = work
    try:
        kern.mem.write_int(work, 8, kern.mem.read_int(work, 8) & ~WORK_STRUCT_PENDING)
        _unledger(k, work, "process_one_work")
        fn = kern.mem.read_int(work + k.field_offset("work_struct", "func"), 8)
        kern.cpu.task = task
        target = kern.cpu.function_at(fn)
        kern.contexts.run(task, "work", target, lambda: kern.cpu.dispatch(None, target, [work]))
    except (MemoryFault, panic.KernelBug, panic.TaskKilled, panic.TaskStuck) as e:
        pool.running = 0
        task.done = True
        panic.crashed(kern, task, e)   # the oops kills this kworker
        return False
    pool.running = 0
    kick(k)                            # a flush waiting for it is over
    return True


def _make_runnable(k: KCall, pool: Pool) -> None:
    """wake_up_worker(): it runs at the waker's next scheduling point."""
    w = pool.worker
    if w is not None and not w.done and greenlet.getcurrent() is not w.glet:
        if w.wake_at is None or w.wake_at > k.kernel.clock_ns:
            pool.printks = 0
        w.wake_at = k.kernel.clock_ns


def preempt_point(kernel: KernelServices, printk: bool = False) -> None:
    """A point where the running task may give the CPU to a runnable
    kworker.  On the recorded machine the worker ran after the second
    printk of the task that woke it (the first one's console_unlock()
    runs with preemption off), and before free_module() freed the
    module's memory (its synchronize_rcu() sleeps)."""
    pools = list(getattr(kernel, "names", {}).get("worker_pools", {}).values())
    task = kernel.cpu.task if pools else None
    if task is None or task.pid == 0:
        return
    for pool in pools:
        w = pool.worker
        if w is None or w.done or w.wake_at is None or greenlet.getcurrent() is w.glet:
            continue
        if printk:
            pool.printks += 1
            if pool.printks < 2:
                continue
        if w.wake_at <= kernel.clock_ns and pool.queue:
            w.wake_at = None
            kernel.sched.wake(w)


# -- the ledger ---------------------------------------------------------------
def _ledger(k: KCall, work: int, api: str) -> None:
    if k.kernel.ledger.find("work", work) is None:
        k.kernel.ledger.acquire("work", work, f"work item {work:#x}", owner(k), k.site, api)


def _unledger(k: KCall, work: int, api: str) -> None:
    if k.kernel.ledger.find("work", work) is not None:
        k.kernel.ledger.release("work", work, api, k.site, owner(k))


# -- queues ---------------------------------------------------------------------
def _wq_pool(k: KCall, wq: int) -> str:
    info = _queues(k).get(wq)
    return info[1] if info is not None else "bound"


@kapi("__system_wq")
def system_wq(k: KCall) -> int:
    """system_wq: the kernel's own bound queue."""
    addr = registry(k, "system_wq").get("addr")
    if addr is None:
        addr = k.kernel.mem.map(64, KOBJ, "kernel", label="system_wq").base
        registry(k, "system_wq")["addr"] = addr
        _queues(k)[addr] = ("events", "bound", True)
    return addr


@kapi("alloc_workqueue", fail="null", variadic=True)
def alloc_workqueue(k: KCall, fmt: int, flags: int, max_active: int, *args: int) -> int:
    name = vsprintf.format(k, k.mem.read_cstring(fmt), list(args)).decode("latin-1")
    ordered = bool(flags & (1 << 17)) and not flags & (1 << 18) or \
        bool(flags & (1 << 17)) and max_active == 1
    pool = "unbound" if flags & WQ_UNBOUND or ordered else "bound"
    addr = k.kernel.mem.map(64, KOBJ, "kernel", label=f"workqueue {name}").base
    _queues(k)[addr] = (name, pool, True)
    k.kernel.ledger.acquire("workqueue", addr, f'workqueue "{name}"', owner(k), k.site,
                            "alloc_workqueue")
    return addr


def _pending(k: KCall, work: int) -> bool:
    return bool(k.mem.read_int(work, 8) & WORK_STRUCT_PENDING)


def _queue(k: KCall, wq: int, work: int, api: str, delay_ns: int = 0) -> int:
    if _pending(k, work):
        return 0
    k.mem.write_int(work, 8, k.mem.read_int(work, 8) | WORK_STRUCT_PENDING)
    pool = _pool(k, _wq_pool(k, wq))
    _ledger(k, work, api)
    if delay_ns > 0:
        pool.delayed[work] = k.kernel.clock_ns + delay_ns
        w = pool.worker
        assert w is not None                 # _pool() gave the pool its kworker
        if w.sleeping or w.wake_at is None or w.wake_at > pool.delayed[work]:
            w.wake_at = pool.delayed[work]
            w.sleeping = True
    else:
        pool.queue.append(work)
        _make_runnable(k, pool)
    return 1


@kapi("queue_work_on")
def queue_work_on(k: KCall, cpu: int, wq: int, work: int) -> int:
    """true if queued, false if it was pending already."""
    return _queue(k, wq, work, "queue_work")


@kapi("queue_delayed_work_on")
def queue_delayed_work_on(k: KCall, cpu: int, wq: int, dwork: int, delay: int) -> int:
    """A delay of 0 queues at once (__queue_delayed_work())."""
    k.mem.write_int(dwork + k.field_offset("delayed_work", "wq"), 8, wq)
    return _queue(k, wq, dwork, "queue_delayed_work", delay * NSEC_PER_JIFFY)


def _where(k: KCall, work: int) -> tuple[Pool | None, bool, bool]:
    """The pool holding the work, whether it is queued, whether delayed."""
    for pool in _pools(k).values():
        if work in pool.queue:
            return pool, True, False
        if work in pool.delayed:
            return pool, True, True
        if pool.running == work:
            return pool, False, False
    return None, False, False


def _wait_idle(k: KCall, work: int) -> bool:
    """__flush_work(): wait until neither queued nor running; False when
    there was nothing to wait for."""
    pool, queued, delayed = _where(k, work)
    if pool is None or pool.running == work and k.task is pool.worker:
        return False
    if queued and not delayed:
        preempt_point(k.kernel)
    return wait_until(k, lambda: _where(k, work)[0] is None, "D", FLUSH_FRAMES) or True


@kapi("flush_work")
def flush_work(k: KCall, work: int) -> int:
    return 1 if _wait_idle(k, work) else 0


@kapi("flush_delayed_work")
def flush_delayed_work(k: KCall, dwork: int) -> int:
    """A pending delay is cut short: queued now, then flushed."""
    for pool in _pools(k).values():
        if dwork in pool.delayed:
            del pool.delayed[dwork]
            pool.queue.append(dwork)
            _make_runnable(k, pool)
    return flush_work(k, dwork)


@kapi("flush_workqueue")
def flush_workqueue(k: KCall, wq: int) -> int:
    """Wait for every item queued on the queue's pool."""
    pool = _pools(k).get(_wq_pool(k, wq))
    if pool is None or not pool.queue and not pool.running:
        return 0
    preempt_point(k.kernel)
    items = set(pool.queue) | ({pool.running} if pool.running else set())
    wait_until(k, lambda: not items & (set(pool.queue) | {pool.running}), "D", FLUSH_FRAMES)
    return 0


def _cancel(k: KCall, work: int, sync: bool, api: str) -> int:
    """true if it was pending (queued or delayed) and is no longer."""
    pool, queued, delayed = _where(k, work)
    if pool is not None and queued:
        if delayed:
            del pool.delayed[work]
        else:
            pool.queue.remove(work)
        k.mem.write_int(work, 8, k.mem.read_int(work, 8) & ~WORK_STRUCT_PENDING)
        _unledger(k, work, api)
    if sync and pool is not None and pool.running == work:
        _wait_idle(k, work)
    return 1 if queued else 0


@kapi("cancel_work_sync")
def cancel_work_sync(k: KCall, work: int) -> int:
    return _cancel(k, work, True, "cancel_work_sync")


@kapi("cancel_work")
def cancel_work(k: KCall, work: int) -> int:
    return _cancel(k, work, False, "cancel_work")


@kapi("cancel_delayed_work")
def cancel_delayed_work(k: KCall, dwork: int) -> int:
    return _cancel(k, dwork, False, "cancel_delayed_work")


@kapi("cancel_delayed_work_sync")
def cancel_delayed_work_sync(k: KCall, dwork: int) -> int:
    return _cancel(k, dwork, True, "cancel_delayed_work_sync")


@kapi("destroy_workqueue")
def destroy_workqueue(k: KCall, wq: int) -> int:
    """drain_workqueue(), then free it."""
    flush_workqueue(k, wq)
    info = _queues(k).pop(wq, None)
    if info is not None and k.kernel.ledger.find("workqueue", wq) is not None:
        k.kernel.ledger.release("workqueue", wq, "destroy_workqueue", k.site, owner(k))
    return 0

