"""Spinlocks, rwlocks and mutexes (kapi/locking.py) against the real kernel.

tests/kernel/data/real-locks-*.txt are `kmodsim --real` runs of
tests/kernel/data/locks.c on Debian's 6.1.0-56 kernel (QEMU, 2 CPUs):
- spin: `insmod locks.ko; rmmod locks; insmod locks.ko deadlock=1; dmesg`:
  the lock states the module prints, then a spin_lock() of a lock it holds
  spinning for good (RIP in native_queued_spin_lock_slowpath, called from
  _raw_spin_lock);
- write: `insmod locks.ko deadlock=2`: write_lock() while holding the read
  lock, spinning in queued_write_lock_slowpath (a tail call: no
  _raw_write_lock frame);
- read: `insmod locks.ko deadlock=4`: read_lock() under the write lock.
The real machine stops the VM after 30 s, so it shows the RCU stall report
that comes first there; the simulator prints the watchdog's soft-lockup
report that follows it (README: the real kernel beside the simulator).
A mutex_lock() of a mutex the task holds sleeps in TASK_UNINTERRUPTIBLE
for good (kernel/locking/mutex.c __mutex_lock_common(): no owner check
without DEBUG_MUTEXES), which khungtaskd reports (kernel/hung_task.c
check_hung_task()); the real machine would need over 120 s to show it.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kmodgui.session import Session

DATA = Path(__file__).parent / "data"


def _strip(line: str) -> str:
    return re.sub(r"^\[[ \d.]+\] ", "", line)


@pytest.fixture
def s(tmp_path: Path) -> Session:
    shutil.copy(DATA / "locks.c", tmp_path)
    return Session("6.1", cwd=tmp_path)


def dmesg(s: Session) -> list[str]:
    return [_strip(ln) for ln in s.run("dmesg").stdout.splitlines()]


def real(name: str) -> list[str]:
    return [_strip(ln) for ln in (DATA / f"real-locks-{name}.txt").read_text().splitlines()]


def test_lock_states_are_the_real_kernels(s: Session) -> None:
    assert s.run("insmod locks.ko").status == 0
    assert s.run("rmmod locks").status == 0
    want = [ln for ln in real("spin") if ln.startswith("locks: ")]
    got = [ln for ln in dmesg(s) if ln.startswith("locks: ")]
    assert got == want[:len(got)] and len(got) == 11      # up to "bye"
    assert not [r for r in s.kernel.ledger.entries if r.kind == "lock" and r.held]


def _report(lines: list[str], start: str) -> list[str]:
    i = next(n for n, ln in enumerate(lines) if start in ln)
    return lines[i:]


def test_spin_lock_of_a_held_lock_spins_in_the_slow_path(s: Session) -> None:
    r = s.run("insmod locks.ko deadlock=1")
    assert "is stuck in the kernel and will never return" in r.stderr
    rep = _report(dmesg(s), "soft lockup")
    assert rep[0] == "watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [insmod:103]"
    truth = real("spin")
    rip = next(ln for ln in truth if ln.startswith("RIP: 0010:"))
    assert rip in rep
    frames = rep[rep.index(" <TASK>") + 1:]
    real_frames = truth[truth.index(" <TASK>") + 1:]
    assert frames[0] == real_frames[0] == " _raw_spin_lock+0x25/0x30"
    assert frames[1].startswith(" locks_init+") and real_frames[1].startswith(" locks_init+")
    assert "locks" in s.run("lsmod").stdout


def test_write_lock_under_the_read_lock_spins(s: Session) -> None:
    s.run("insmod locks.ko deadlock=2")
    rep = _report(dmesg(s), "soft lockup")
    truth = real("write")
    assert next(ln for ln in truth if ln.startswith("RIP: 0010:")) in rep
    frames = rep[rep.index(" <TASK>") + 1:]
    assert frames[0].startswith(" locks_init+")
    assert truth[truth.index(" <TASK>") + 1].startswith(" locks_init+")


def test_read_lock_under_the_write_lock_spins(s: Session) -> None:
    s.run("insmod locks.ko deadlock=4")
    rep = _report(dmesg(s), "soft lockup")
    truth = real("read")
    assert next(ln for ln in truth if ln.startswith("RIP: 0010:")) in rep
    assert rep[rep.index(" <TASK>") + 1].startswith(" locks_init+")


def test_a_mutex_locked_twice_is_reported_by_khungtaskd(s: Session) -> None:
    r = s.run("insmod locks.ko deadlock=3")
    assert "khungtaskd reported it blocked for 120 s" in r.stderr
    rep = _report(dmesg(s), "INFO: task insmod:")
    assert re.fullmatch(r"INFO: task insmod:\d+ blocked for more than 120 seconds\.", rep[0])
    assert any("task:insmod" in ln and "state:D" in ln for ln in rep)
    assert " mutex_lock" in rep and any(ln.startswith(" locks_init+") for ln in rep)


def test_a_lock_left_held_is_a_leak_in_the_ledger(tmp_path: Path) -> None:
    (tmp_path / "held.c").write_text(
        "#include <linux/module.h>\n#include <linux/spinlock.h>\n"
        "MODULE_LICENSE(\"GPL\");\nstatic DEFINE_SPINLOCK(s);\n"
        "static int __init held_init(void) { spin_lock(&s); return 0; }\n"
        "static void __exit held_exit(void) { }\n"
        "module_init(held_init);\nmodule_exit(held_exit);\n")
    s = Session("6.1", cwd=tmp_path)
    s.run("insmod held.ko")
    held = [r for r in s.kernel.ledger.entries if r.kind == "lock" and r.held]
    assert [(r.owner, r.api) for r in held] == [("held", "spin_lock")]


def test_a_mutex_held_by_a_kthread_is_waited_for(tmp_path: Path) -> None:
    """real-kt_mutex.txt (kmodsim record --real): a kthread takes the mutex
    and holds it 100 ms; init's mutex_lock() sleeps until it is unlocked."""
    shutil.copy(DATA / "kt_mutex.c", tmp_path)
    s = Session("6.1", cwd=tmp_path)
    assert s.run("insmod kt_mutex.ko").status == 0
    text = (DATA / "real-kt_mutex.txt").read_text()
    want = [re.sub(r"^<\d>\[[ \d.]+\] ", "", ln) for ln in text.split("### $ dmesg")[0].splitlines()
            if "] kt: " in ln and "taint" not in ln]
    got = [ln for ln in dmesg(s) if ln.startswith("kt_mutex: ") and "taint" not in ln]
    assert [ln.replace("kt_mutex: ", "kt: ") for ln in got] == want
