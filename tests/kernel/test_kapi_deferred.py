"""Completions, work queues, tasklets and wait queues (kapi/completion.py,
workqueue.py, tasklet.py, waitqueue.py) against the real kernel.

tests/kernel/data/deferred/real-*.txt are `kmodsim record --real` runs of
the modules beside them on Debian's 6.1.0-56 kernel (QEMU, 2 CPUs):
- real-compl.txt: `insmod compl.ko; rmmod compl; dmesg`: every completion
  call's value (a timed-out wait is 0, one already done returns the whole
  timeout, complete_all() makes done UINT_MAX, try_wait_for_completion()
  takes one at a time), a kthread that ends in kthread_complete_and_exit();
- real-wq.txt: `insmod wq.ko; rmmod wq; insmod wq.ko leak=2; rmmod wq;
  sleep 1; dmesg`: the kworker each queue runs its work in, queue, flush
  and cancel values, delayed work; a work item queued by the exit routine
  still runs before the module's memory goes;
- real-wq-leak.txt: `insmod wq.ko leak=1; rmmod wq; sleep 1; dmesg`: a
  delayed work item left queued when the module is gone;
- real-tl.txt: `insmod tl.ko; rmmod tl; dmesg`: tasklets of the three
  set-up forms, run once per schedule, in softirq context, during a sleep
  and during a busy wait;
- real-wqh.txt: `insmod wqh.ko; rmmod wqh; dmesg`: wait_event*() and
  wake_up*() values.
A wait_for_completion() that nothing completes sleeps in
TASK_UNINTERRUPTIBLE (kernel/sched/completion.c do_wait_for_common()), so
khungtaskd reports it (kernel/hung_task.c check_hung_task()).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kmodgui.session import Session

DATA = Path(__file__).parent / "data" / "deferred"


def _strip(line: str) -> str:
    return re.sub(r"^\[[ \d.]+\] ", "", line)


@pytest.fixture
def s(tmp_path: Path) -> Session:
    for src in DATA.glob("*.c"):
        shutil.copy(src, tmp_path)
    return Session("6.1", cwd=tmp_path)


def dmesg(s: Session, prefix: str) -> list[str]:
    lines = [_strip(ln) for ln in s.run("dmesg").stdout.splitlines()]
    return [ln for ln in lines if ln.startswith(prefix)]


def real(name: str, prefix: str) -> list[str]:
    """The module's lines of the recording's final `dmesg` (stdout, `1| `)."""
    text = (DATA / f"real-{name}.txt").read_text()
    last = text.rsplit("### $ dmesg", 1)[1]
    lines = [_strip(ln[3:]) for ln in last.splitlines() if ln.startswith("1| ")]
    return [ln for ln in lines if ln.startswith(prefix)]


def _own(lines: list[str], mod: str) -> list[str]:
    """Without the load's taint lines."""
    return [ln for ln in lines if "taints kernel" not in ln and "verification" not in ln]


# -- completions --------------------------------------------------------------
def test_completion_values_and_order_are_the_real_kernels(s: Session) -> None:
    assert s.run("insmod compl.ko").status == 0
    assert s.run("rmmod compl").status == 0
    want = _own(real("compl", "compl: "), "compl")
    assert len(want) == 15 and want[-1] == "compl: bye"
    assert _own(dmesg(s, "compl: "), "compl") == want


def test_the_thread_that_completed_and_exited_is_gone(s: Session) -> None:
    assert s.run("insmod compl.ko").status == 0
    threads = [t for t in s.kernel.sched.threads if t.comm == "signaller"]
    assert all(t.done for t in threads)
    assert all(t.result == 7 for t in threads)       # kthread_complete_and_exit(.., 7)


def _hung_trace(lines: list[str]) -> list[str]:
    """The frames of the first hung-task report, up to the module's."""
    i = next(n for n, ln in enumerate(lines) if ln.startswith("INFO: task insmod:"))
    frames = lines[lines.index(" <TASK>", i) + 1:]
    out = []
    for f in frames:
        if not f.startswith(" ? "):
            out.append(re.sub(r"\+0x[0-9a-f]+/0x[0-9a-f]+ \[compl\]$", " [compl]", f))
        if "[compl]" in f:
            return out
    return out


def test_wait_for_completion_never_completed_is_a_hung_task(s: Session) -> None:
    """real-compl-hang.txt: `insmod compl.ko hang=1 & sleep 1; sleep 250;
    dmesg` (--command-seconds 300): khungtaskd's report at its second check."""
    text = (DATA / "real-compl-hang.txt").read_text()
    truth = [_strip(ln[3:]) for ln in text.rsplit("### $ dmesg", 1)[1].splitlines()
             if ln.startswith("1| ")]
    r = s.run("insmod compl.ko hang=1")
    assert r.status != 0 and "compl: waiting for good" in s.run("dmesg").stdout
    lines = [_strip(ln) for ln in s.run("dmesg").stdout.splitlines()]
    i = lines.index("INFO: task insmod:103 blocked for more than 120 seconds.")
    trace = lines[lines.index(" <TASK>", i) + 1:]
    assert trace[:4] == [" __schedule+0x34d/0xa00", " schedule+0x5a/0xd0",
                         " schedule_timeout+0x11a/0x150", " __wait_for_common+0x94/0x1e0"]
    assert trace[4].startswith(" compl_init+") and trace[4].endswith(" [compl]")
    assert _hung_trace(lines) == _hung_trace(truth) == trace[:4] + [" compl_init [compl]"]
    assert any("blocked for more than 120 seconds." in ln for ln in truth)
    assert "task:insmod          state:D" in "\n".join(lines)
    assert "Loading" in s.run("cat /proc/modules").stdout


# -- work queues ----------------------------------------------------------------
def test_work_queue_lines_are_the_real_kernels(s: Session) -> None:
    """The kworker each queue runs in (CPU 0's pool: kworker/0:0; unbound
    and ordered queues: kworker/u4:1), every queue/flush/cancel value, and
    the work the exit routine queues running before the module's memory goes."""
    for cmd in ("insmod wq.ko", "rmmod wq", "insmod wq.ko leak=2", "rmmod wq"):
        assert s.run(cmd).status == 0, cmd
    want = _own(real("wq", "wq: "), "wq")
    assert want[-2:] == ["wq: bye", "wq: work in kworker/0:0"]
    assert _own(dmesg(s, "wq: "), "wq") == want


def test_queued_work_and_workqueues_are_in_the_ledger(s: Session) -> None:
    assert s.run("insmod wq.ko").status == 0
    held = [r for r in s.kernel.ledger.entries if r.held]
    assert sorted(r.kind for r in held if r.kind == "workqueue") == ["workqueue"] * 3
    assert not [r for r in held if r.kind == "work"]           # all run or cancelled
    assert s.run("rmmod wq").status == 0
    assert not [r for r in s.kernel.ledger.entries if r.held and r.kind == "workqueue"]


def test_delayed_work_left_queued_when_the_module_is_gone_panics(s: Session) -> None:
    """The real machine stopped in the last command (the timer softirq
    faulted on the freed timer_list: a panic, no dmesg could be read)."""
    text = (DATA / "real-wq-leak.txt").read_text()
    assert "the real machine stopped before the last command finished" in text
    assert s.run("insmod wq.ko leak=1").status == 0
    assert s.run("rmmod wq").status == 0
    s.run("sleep 7")
    log = s.run("dmesg").stdout
    assert "BUG: unable to handle page fault for address" in log
    assert "Fatal exception in interrupt" in log


# -- tasklets -------------------------------------------------------------------
#: a difference from the real run, listed: the simulator's front end cannot
#: yet take from_tasklet(p, t, t) in p's own initialiser (typeof(*p)), so the
#: test builds tl.c with the container_of() that from_tasklet() expands to
def test_tasklet_lines_are_the_real_kernels(s: Session) -> None:
    """Once per schedule, in softirq context, after a sleep, and at the tick
    inside a busy wait (mdelay(20): the second run comes before its end)."""
    src = s.cwd / "tl.c"
    src.write_text(src.read_text().replace(
        "struct box *p = from_tasklet(p, t, t);",
        "struct box *p = container_of(t, struct box, t);"))
    assert s.run("insmod tl.ko").status == 0
    assert s.run("rmmod tl").status == 0
    want = _own(real("tl", "tl: "), "tl")
    assert want[4:6] == ["tl: first runs (2), softirq 1", "tl: after busy wait: runs 2"]
    assert _own(dmesg(s, "tl: "), "tl") == want
    assert not s.kernel.sched.timers


# -- wait queues ----------------------------------------------------------------
def test_wait_event_values_are_the_real_kernels(s: Session) -> None:
    """A timed-out wait is 0, a satisfied one its jiffies left (the whole
    timeout when the condition held already); a wake_up() of the head
    makes the waiter test its condition again."""
    assert s.run("insmod wqh.ko").status == 0
    assert s.run("rmmod wqh").status == 0
    want = _own(real("wqh", "wqh: "), "wqh")
    assert len(want) == 7 and want[-1] == "wqh: bye"
    assert _own(dmesg(s, "wqh: "), "wqh") == want


def test_wait_event_never_woken_is_a_hung_task(tmp_path: Path) -> None:
    """wait_event() sleeps in TASK_UNINTERRUPTIBLE (include/linux/wait.h
    wait_event(): ___wait_event(..., TASK_UNINTERRUPTIBLE, 0, 0,
    schedule())), so a condition nobody makes true is khungtaskd's report."""
    (tmp_path / "never.c").write_text(
        '#include <linux/module.h>\n#include <linux/wait.h>\nMODULE_LICENSE("GPL");\n'
        "static DECLARE_WAIT_QUEUE_HEAD(q);\nstatic int flag;\n"
        "static int __init never_init(void) { wait_event(q, flag); return 0; }\n"
        "module_init(never_init);\n")
    s = Session("6.1", cwd=tmp_path)
    assert s.run("insmod never.ko").status != 0
    lines = [_strip(ln) for ln in s.run("dmesg").stdout.splitlines()]
    i = next(n for n, ln in enumerate(lines) if "blocked for more than 120 seconds." in ln)
    trace = lines[lines.index(" <TASK>", i) + 1:]
    assert trace[:2] == [" __schedule+0x34d/0xa00", " schedule+0x5a/0xd0"]
    assert trace[2].startswith(" never_init+")
