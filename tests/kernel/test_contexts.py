"""Execution contexts in the trace (kernel/contexts.py): which module
function ran, in which task, asleep or running, holding which lock.

The ground truth is what the real kernel printed from inside those
contexts (`current->comm`, in_softirq(), the order of the lines), recorded
on Debian's 6.1.0-56 kernel beside the modules (see test_kapi_deferred.py
and test_kapi_locking.py for the recordings), and the kernel's sources:
do_init_module() calls mod->init in the insmod process and
SYSCALL_DEFINE2(delete_module) calls mod->exit in the rmmod process
(kernel/module/main.c); kthread() runs threadfn in the new task
(kernel/kthread.c); process_one_work() runs work->func in a kworker
(kernel/workqueue.c); tasklet_action_common() and call_timer_fn() run
their callbacks in softirq context (kernel/softirq.c, kernel/time/timer.c).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kmodgui.kernel.events import ContextBegan, ContextEnded, ContextState, ResourceAcquired
from kmodgui.session import Session

DATA = Path(__file__).parent / "data"
MODULES = Path(__file__).parents[2] / "modules"


@pytest.fixture
def s(tmp_path: Path) -> Session:
    for src in (DATA / "deferred").glob("*.c"):
        shutil.copy(src, tmp_path)
    shutil.copy(DATA / "kt_mutex.c", tmp_path / "kt.c")
    shutil.copy(MODULES / "ticker.c", tmp_path)
    return Session("6.1", cwd=tmp_path)


def began(s: Session, kind: str | None = None) -> list[ContextBegan]:
    return [ev for ev in s.trace.events if isinstance(ev, ContextBegan)
            and (kind is None or ev.kind == kind)]


def real_lines(path: Path, prefix: str) -> list[str]:
    last = path.read_text().rsplit("### $ dmesg", 1)[1]
    lines = [re.sub(r"^\[[ \d.]+\] ", "", ln[3:]) for ln in last.splitlines()
             if ln.startswith("1| ")]
    return [ln for ln in lines if ln.startswith(prefix)]


def state_at(s: Session, cid: int, ts: int) -> str:
    """The context's state (running/asleep) at a moment of the trace."""
    state = "running"
    for ev in s.trace.events:
        if ev.ts > ts:
            break
        if isinstance(ev, ContextState) and ev.cid == cid:
            state = ev.state
    return state


def test_init_and_exit_run_in_the_insmod_and_rmmod_tasks(s: Session) -> None:
    assert s.run("insmod ticker.ko").status == 0
    assert s.run("rmmod ticker").status == 0
    init, exit_ = began(s, "init"), began(s, "exit")
    assert [(c.func, c.comm, c.owner) for c in init] == [("ticker_init", "insmod", "ticker")]
    assert [(c.func, c.comm) for c in exit_] == [("ticker_exit", "rmmod")]
    assert init[0].site is not None and init[0].site.file == "ticker.c"
    ends = {ev.cid: ev.how for ev in s.trace.events if isinstance(ev, ContextEnded)}
    assert ends[init[0].cid] == ends[exit_[0].cid] == "returned"


def test_a_kthread_sleeps_between_passes_and_ends_when_stopped(s: Session) -> None:
    """ticker.c's thread msleep(40)s per pass until kthread_stop()."""
    assert s.run("insmod ticker.ko").status == 0
    s.run("sleep 1")
    assert s.run("rmmod ticker").status == 0
    (thread,) = began(s, "kthread")
    assert (thread.func, thread.comm) == ("work", "ticker_worker")
    states = [ev.state for ev in s.trace.events
              if isinstance(ev, ContextState) and ev.cid == thread.cid]
    passes = sum(1 for r in s.kernel.log if "worker pass" in r.text)
    assert states.count("asleep") == passes          # one msleep() per pass
    assert states[:2] == ["asleep", "running"]
    (exit_,) = began(s, "exit")
    end = next(ev for ev in s.trace.events if isinstance(ev, ContextEnded) and ev.cid == thread.cid)
    # kthread_stop() in exit waits for the thread: exit is asleep when it returns
    assert end.ts > exit_.ts and state_at(s, exit_.cid, end.ts - 1) == "asleep"


def test_timer_callbacks_run_in_softirq_context(s: Session) -> None:
    """ticker.c re-arms its timer twice: three runs of on_tick."""
    assert s.run("insmod ticker.ko").status == 0
    s.run("sleep 1")
    timers = began(s, "timer")
    assert [(c.func, c.comm, c.pid) for c in timers] == [("on_tick", "swapper/0", 0)] * 3


def test_work_items_run_in_the_kworkers_the_real_kernel_printed(s: Session) -> None:
    """wq.c prints current->comm from inside each work function."""
    assert s.run("insmod wq.ko").status == 0
    real = real_lines(DATA / "deferred" / "real-wq.txt", "wq: ")
    real_comms = [m.group(1) for ln in real if (m := re.search(r"work in ([\w/:]+)", ln))]
    # the first insmod of the recording (the later ones repeat it)
    first = [c.comm for c in began(s, "work")]
    assert real_comms[:len(first)] == first and len(first) >= 6
    assert {c.func for c in began(s, "work")} == {"say", "later"}


def test_tasklets_run_in_softirq_during_the_sleep_and_inside_the_busy_wait(s: Session) -> None:
    """tl.c: the first run comes while init sleeps (before "after sleep"),
    the last one at the tick inside mdelay(20), while init runs."""
    src = s.cwd / "tl.c"
    src.write_text(src.read_text().replace(        # as test_kapi_deferred builds it
        "struct box *p = from_tasklet(p, t, t);",
        "struct box *p = container_of(t, struct box, t);"))
    assert s.run("insmod tl.ko").status == 0
    real = real_lines(DATA / "deferred" / "real-tl.txt", "tl: ")
    real_order = [ln.split()[1] for ln in real if re.match(r"tl: (first|second|third) ", ln)]
    runs = began(s, "tasklet")
    assert [c.func for c in runs] == real_order == ["first", "second", "third", "first"]
    assert {c.comm for c in runs} == {"swapper/0"}
    (init,) = began(s, "init")
    assert state_at(s, init.cid, runs[0].ts) == "asleep"
    assert state_at(s, init.cid, runs[-1].ts) == "running"


def test_a_lock_is_noted_in_the_context_that_took_it(s: Session) -> None:
    """kt_mutex.c: the thread takes the mutex and sleeps holding it; init
    waits for it asleep and takes it after the thread unlocked (the real
    order: "thread has it", "thread unlocks", "init has it")."""
    assert s.run("insmod kt.ko").status == 0
    real = [ln for ln in real_lines(DATA / "real-kt_mutex.txt", "kt: ") if "has it" in ln
            or "unlocks" in ln]
    assert real == ["kt: thread has it", "kt: thread unlocks", "kt: init has it"]
    (thread,), (init,) = began(s, "kthread"), began(s, "init")
    locks = [ev for ev in s.trace.events if isinstance(ev, ResourceAcquired) and ev.kind == "lock"]
    assert [ev.context for ev in locks] == [thread.cid, init.cid]
    assert state_at(s, init.cid, locks[1].ts - 1) == "asleep"    # waited in mutex_lock()
