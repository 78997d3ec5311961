"""kthreads, sleeping, timers and module references."""
from __future__ import annotations

import pytest

from kmodgui.kernel.kapi import kthread, module, sched, timer
from kmodgui.kernel.kapi.bug import KernelBug
from kmodgui.kernel.memory import MemoryFault
from tests.kernel.kapi_fake import setup

MS = 1_000_000


def test_jiffy_conversions_at_hz_250() -> None:
    kernel, k = setup()
    assert sched.msecs_to_jiffies(k, 10) == 3          # rounds up: 4 ms per jiffy
    assert sched.msecs_to_jiffies(k, 1000) == 250
    assert sched.msecs_to_jiffies(k, -1) == sched.MAX_JIFFY_OFFSET
    assert sched.jiffies_to_msecs(k, 250) == 1000


def test_msleep_sleeps_one_jiffy_more() -> None:
    kernel, k = setup()
    t0 = kernel.clock_ns
    sched.msleep(k, 10)
    assert kernel.clock_ns - t0 == 16 * MS             # (3 + 1) jiffies
    t0 = kernel.clock_ns
    sched.ssleep(k, 1)
    assert kernel.clock_ns - t0 == 1004 * MS


def test_busy_waits_advance_the_clock() -> None:
    kernel, k = setup()
    t0 = kernel.clock_ns
    sched.udelay(k, 50)
    sched.mdelay(k, 2)
    assert kernel.clock_ns - t0 == 50_000 + 2 * MS


def test_get_current_is_the_task_struct() -> None:
    kernel, k = setup()
    assert sched.get_current(k) == k.task.task_struct


def make_worker(kernel, log: list, period_ms: int = 100) -> int:
    def worker(kk, data: int) -> int:
        while not kthread.kthread_should_stop(kk):
            log.append(kk.kernel.clock_ns)
            sched.msleep(kk, period_ms)
        return 7
    return kernel.define(worker, "worker", kernel.modules["hi"])


def test_kthread_run_stop_and_ledger() -> None:
    kernel, k = setup()
    ticks: list[int] = []
    p = kthread.kthread_run(k, make_worker(kernel, ticks), 0, kernel.cstring("skull/%d"), 3)
    task = kthread.threads(k)[p]
    assert task.comm == "skull/3" and len(ticks) == 1
    res = kernel.ledger.find("kthread", task.pid)
    assert (res.name, res.api) == (f'kthread "skull/3" (pid {task.pid})', "kthread_run")
    kernel.advance(1000 * MS)
    assert len(ticks) > 5
    assert kthread.kthread_stop(k, p) == 7
    assert kernel.ledger.find("kthread", task.pid) is None
    with pytest.raises(MemoryFault):
        kthread.kthread_stop(k, p)


def test_kthread_create_waits_for_wake_up() -> None:
    kernel, k = setup()
    ticks: list[int] = []
    p = kthread.kthread_create(k, make_worker(kernel, ticks), 0, kernel.cstring("w"))
    assert ticks == []
    assert kthread.wake_up_process(k, p) == 1
    assert len(ticks) == 1


def test_kthread_stop_before_wake_returns_eintr() -> None:
    kernel, k = setup()
    ticks: list[int] = []
    p = kthread.kthread_create(k, make_worker(kernel, ticks), 0, kernel.cstring("w"))
    assert kthread.kthread_stop(k, p) == -4
    assert ticks == []


def test_long_names_are_cut_to_15_chars() -> None:
    kernel, k = setup()
    p = kthread.kthread_run(k, make_worker(kernel, []), 0,
                            kernel.cstring("a_very_long_thread_name"))
    assert kthread.threads(k)[p].comm == "a_very_long_thr"


def test_schedule_in_interruptible_state_waits_for_a_wake_up() -> None:
    kernel, k = setup()
    state_off = 0                                      # task_struct.__state
    woken: list[int] = []

    def waiter(kk, data: int) -> int:
        while not kthread.kthread_should_stop(kk):
            kk.mem.write_int(kk.task.task_struct + state_off, 4, 1)   # TASK_INTERRUPTIBLE
            sched.schedule(kk)
            kk.mem.write_int(kk.task.task_struct + state_off, 4, 0)
            woken.append(1)
        return 0
    p = kthread.kthread_run(k, kernel.define(waiter, "waiter"), 0, kernel.cstring("w"))
    kernel.advance(10_000 * MS)
    assert woken == []                                 # nobody woke it
    assert kthread.wake_up_process(k, p) == 1
    assert woken == [1]
    assert kthread.kthread_stop(k, p) == 0


# -- timers -----------------------------------------------------------------------
def test_timer_setup_mod_timer_fires_with_the_timer_pointer() -> None:
    kernel, k = setup()
    fired: list[int] = []
    t = kernel.struct("timer_list")
    timer.timer_setup(k, t, kernel.define(lambda kk, arg: fired.append(arg) or 0, "cb"), 0)
    assert timer.mod_timer(k, t, kernel.jiffies + 25) == 0
    assert timer.timer_pending(k, t) == 1
    assert kernel.mem.read_int(t + 8, 8) != 0            # entry.pprev: queued
    assert kernel.ledger.find("timer", t).api == "mod_timer"
    kernel.advance(50 * MS)
    assert fired == []
    kernel.advance(60 * MS)
    assert fired == [t]
    assert timer.timer_pending(k, t) == 0
    assert kernel.mem.read_int(t + 8, 8) == 0
    assert kernel.ledger.held_by("hi") == []


def test_del_timer_sync_before_expiry() -> None:
    kernel, k = setup()
    fired: list[int] = []
    t = kernel.struct("timer_list")
    timer.timer_setup(k, t, kernel.define(lambda kk, arg: fired.append(arg) or 0, "cb"), 0)
    timer.mod_timer(k, t, kernel.jiffies + 10)
    assert timer.mod_timer(k, t, kernel.jiffies + 20) == 1   # was pending
    assert timer.del_timer_sync(k, t) == 1
    assert timer.del_timer(k, t) == 0
    kernel.advance(1000 * MS)
    assert fired == [] and kernel.ledger.held_by("hi") == []


def test_add_timer_twice_is_a_bug() -> None:
    kernel, k = setup()
    t = kernel.struct("timer_list")
    timer.timer_setup(k, t, kernel.define(lambda kk, arg: 0, "cb"), 0)
    kernel.mem.write_int(t + 16, 8, kernel.jiffies + 5)     # timer.expires
    timer.add_timer(k, t)
    with pytest.raises(KernelBug):
        timer.add_timer(k, t)


def test_timer_firing_into_unloaded_module_faults() -> None:
    kernel, k = setup()
    t = kernel.struct("timer_list")
    cb = kernel.define(lambda kk, arg: 0, "cb")
    timer.timer_setup(k, t, cb, 0)
    timer.mod_timer(k, t, kernel.jiffies + 1)
    kernel.unload_code(cb)
    with pytest.raises(MemoryFault) as e:
        kernel.advance(10 * MS)
    assert e.value.fetch


def test_2630_timer_gets_data_and_fields_set_by_hand() -> None:
    kernel, k = setup("2.6.30")
    fired: list[int] = []
    t = kernel.struct("timer_list")
    timer.init_timer(k, t)
    kernel.mem.write_int(t + 24, 8, kernel.define(lambda kk, d: fired.append(d) or 0, "cb"))
    kernel.mem.write_int(t + 32, 8, 99)                      # t.data = 99
    timer.mod_timer(k, t, kernel.jiffies + 1)
    kernel.advance(10 * MS)
    assert fired == [99]
    fired.clear()
    timer.setup_timer(k, t, kernel.define(lambda kk, d: fired.append(d) or 0, "cb2"), 5)
    timer.mod_timer(k, t, kernel.jiffies + 1)
    kernel.advance(10 * MS)
    assert fired == [5]


# -- module references ---------------------------------------------------------------
def test_try_module_get_and_put() -> None:
    kernel, k = setup()
    target = kernel.load("dep")
    assert module.try_module_get(k, target.this_module) == 1
    assert target.refcnt == 1
    assert module.module_refcount(k, target.this_module) == 1
    assert kernel.ledger.held_by("hi")[0].name == "reference to dep"
    module.module_put(k, target.this_module)
    assert target.refcnt == 0 and kernel.ledger.held_by("hi") == []
    assert module.try_module_get(k, 0) == 1                   # built-in code


def test_try_module_get_fails_on_a_going_module() -> None:
    kernel, k = setup()
    target = kernel.load("dep")
    target.state = "GOING"
    assert module.try_module_get(k, target.this_module) == 0
    assert target.refcnt == 0


def test_module_put_without_reference_warns() -> None:
    kernel, k = setup()
    target = kernel.load("dep")
    module.module_put(k, target.this_module)
    assert target.refcnt == 0
    assert k.warnings[0][1] == "module_put"


def test_wild_module_pointer_faults() -> None:
    kernel, k = setup()
    with pytest.raises(MemoryFault):
        module.try_module_get(k, 0xFFFFFFFFC0DEAD00)
