"""The "Kernel hacking" options: each bug's silence on Debian's kernel
(recorded) and the report its debug option prints (the kernel's sources).

tests/kernel/data/real-hacking.txt is `kmodsim record --real` on Debian's
6.1 (every option below off, tests/reference/debian/): insmod uaf.ko,
atomic_sleep.ko, lock_nested.ko, lock_abba.ko, leak.ko, rmmod leak and
cat /sys/kernel/debug/kmemleak.  Each module's own pr_info is all dmesg
shows; the kmemleak file does not exist.  Debian's kernel cannot record
the reports (the options are off), so their wording is cited from the
6.1 sources in each test.
"""
from __future__ import annotations

import errno as E
import re
from pathlib import Path

import pytest

from kmodgui import SAMPLES_DIR
from kmodgui.kbuild import build
from kmodgui.kernel.kernel import Kernel
from kmodgui.kernel.profile import load_profile
from kmodgui.realkernel.compare import compare_file, render
from tests.engine_helpers import config_for

DATA = Path(__file__).parent / "data"


def boot(**options: bool) -> Kernel:
    return Kernel(load_profile("6.1"), {**config_for("6.1"), **options})


def load(k: Kernel, name: str) -> int:
    res = build(SAMPLES_DIR, name, k.profile, k.config, {})
    assert res.ok, res.output
    return k.init_module(res.ko)


def dmesg(k: Kernel) -> list[str]:
    return [r.text for r in k.log]


def test_debian_is_silent_as_recorded() -> None:
    c = compare_file(DATA / "real-hacking.txt", folder=SAMPLES_DIR)
    assert c.ok, render(c)


@pytest.mark.parametrize("name,said", [
    ("uaf", "uaf: wrote to a freed buffer"),
    ("atomic_sleep", "atomic_sleep: allocated under a spinlock"),
    ("lock_nested", "lock_nested: a = 3"),
    ("lock_abba", "lock_abba: shared = 2"),
])
def test_off_the_bug_goes_unnoticed(name: str, said: str) -> None:
    k = boot()
    assert load(k, name) == 0
    assert dmesg(k)[2:] == [said]
    assert k.taint_letters == "OE"


def test_kasan_reports_the_use_after_free() -> None:
    # mm/kasan/report.c (6.1): start_report()'s "=" * 66 banner,
    # print_error_description() "BUG: KASAN: %s in %pS" (6.1 names a freed
    # slab object "use-after-free"), "%s of size %zu at addr %px by task
    # %s/%d", the stack from print_address_description(), then
    # describe_object_addr()'s "The buggy address belongs to the object at
    # %px\n which belongs to the cache %s of size %d"; end_report() taints B
    # with LOCKDEP_NOW_UNRELIABLE ("Disabling lock debugging due to kernel
    # taint", kernel/panic.c add_taint()).  kasan.fault=report: init goes on.
    k = boot(KASAN=True)
    assert load(k, "uaf") == 0
    log = dmesg(k)
    start = log.index("=" * 66)
    assert log[start + 1].startswith("BUG: KASAN: use-after-free in uaf_init+0x")
    assert log[start + 1].endswith(" [uaf]")
    assert re.fullmatch(r"Write of size 1 at addr ffff888[0-9a-f]{9} by task insmod/\d+",
                        log[start + 2])
    assert " uaf_init+0x" in "\n".join(log[start:])
    assert " which belongs to the cache kmalloc-32 of size 32" in log
    assert log[-2:] == ["Disabling lock debugging due to kernel taint",
                        "uaf: wrote to a freed buffer"]
    assert "B" in k.taint_letters


def test_might_sleep_under_a_spinlock() -> None:
    # kernel/sched/core.c __might_resched() (6.1), at KERN_ERR:
    # "BUG: sleeping function called from invalid context at %s:%d",
    # "in_atomic(): %d, irqs_disabled(): %d, non_block: %d, pid: %d, name: %s",
    # "preempt_count: %x, expected: %x", with CONFIG_PREEMPT_RCU (Debian's)
    # "RCU nest depth: %d, expected: %u"; then dump_stack() and
    # add_taint(TAINT_WARN).  kmalloc(GFP_KERNEL) reaches might_sleep_if()
    # in might_alloc(), include/linux/sched/mm.h:274 in Debian's
    # linux-headers-6.1.0-56.
    k = boot(DEBUG_ATOMIC_SLEEP=True)
    assert load(k, "atomic_sleep") == 0
    log = dmesg(k)
    i = log.index("BUG: sleeping function called from invalid context at "
                  "include/linux/sched/mm.h:274")
    assert re.fullmatch(r"in_atomic\(\): 1, irqs_disabled\(\): 0, non_block: 0, "
                        r"pid: \d+, name: insmod", log[i + 1])
    assert log[i + 2:i + 4] == ["preempt_count: 1, expected: 0", "RCU nest depth: 0, expected: 0"]
    assert log[i + 4].startswith("CPU: 0 PID: ")
    assert any(line.startswith(" atomic_sleep_init+0x") for line in log[i:])
    assert [r.level for r in k.log][i:i + 4] == [3, 3, 3, 3]
    assert "W" in k.taint_letters
    assert log[-1] == "atomic_sleep: allocated under a spinlock"


def test_might_sleep_is_quiet_outside_atomic_context() -> None:
    k = boot(DEBUG_ATOMIC_SLEEP=True)
    assert load(k, "leak") == 0               # kmalloc(GFP_KERNEL), no lock held
    assert not any(line.startswith("BUG:") for line in dmesg(k))


def test_lockdep_recursive_locking() -> None:
    # kernel/locking/lockdep.c print_deadlock_bug() (6.1): "\n", "=" * 44,
    # "WARNING: possible recursive locking detected", print_kernel_ident()
    # ("%s %.*s %s": release, the version's first word, print_tainted()),
    # "-" * 44, "%s/%d is trying to acquire lock:", print_lock(next)
    # ("%px (name){usage}-{outer:inner}, at: %pS"), "\nbut task is already
    # holding lock:", print_lock(prev), "\nother info that might help us
    # debug this:", print_deadlock_scenario(), lockdep_print_held_locks()
    # ("%d lock%s held by %s/%d:", " #%d: "), "\nstack backtrace:".  A mutex
    # is LD_WAIT_SLEEP, 3 without PROVE_RAW_LOCK_NESTING; mutex_init()'s
    # class is named by its argument, "&it->lock".
    k = boot(PROVE_LOCKING=True)
    assert load(k, "lock_nested") == 0
    log = dmesg(k)
    i = log.index("WARNING: possible recursive locking detected")
    assert log[i - 2:i] == ["", "=" * 44]
    assert log[i + 1] == "6.1.0-56-amd64 #1 Tainted: G           OE     "
    assert log[i + 2] == "-" * 44
    assert re.fullmatch(r"insmod/\d+ is trying to acquire lock:", log[i + 3])
    lock = r"ffffffffc[0-9a-f]{7} \(&it->lock\)\{\+\.\+\.\}-\{3:3\}, at: lock_nested_init\+0x\w+/0x\w+ \[lock_nested\]"
    assert re.fullmatch(lock, log[i + 4])
    assert log[i + 5:i + 7] == ["", "but task is already holding lock:"]
    assert re.fullmatch(lock, log[i + 7])
    assert log[i + 9:i + 23] == [
        "other info that might help us debug this:", " Possible unsafe locking scenario:", "",
        "       CPU0", "       ----", "  lock(&it->lock);", "  lock(&it->lock);", "",
        " *** DEADLOCK ***", "", " May be due to missing lock nesting notation", "",
        log[i + 21], log[i + 22]]
    assert re.fullmatch(r"1 lock held by insmod/\d+:", log[i + 21])
    assert log[i + 24] == "stack backtrace:"
    assert log[-1] == "lock_nested: a = 3"
    assert not k.debug_locks                  # debug_locks_off(): one report only


def test_lockdep_circular_dependency() -> None:
    # kernel/locking/lockdep.c print_circular_bug_header() (6.1): "\n",
    # "=" * 54, "WARNING: possible circular locking dependency detected",
    # print_kernel_ident(), "-" * 54, the lock being taken and the one held,
    # "\nwhich lock already depends on the new lock.\n\n", "\nthe existing
    # dependency chain (in reverse order) is:", print_circular_bug_entry()
    # ("\n-> #%u" and the lock's name, then its stack indented 7), then
    # print_circular_lock_scenario()'s two-CPU table and " *** DEADLOCK ***".
    k = boot(PROVE_LOCKING=True)
    assert load(k, "lock_abba") == 0
    log = dmesg(k)
    i = log.index("WARNING: possible circular locking dependency detected")
    assert log[i - 1] == "=" * 54 and log[i + 2] == "-" * 54
    assert re.fullmatch(r"ffffffffc\w+ \(lock_a\)\{\+\.\+\.\}-\{3:3\}, at: path_ba\+\S+ \[lock_abba\]",
                        log[i + 4])
    assert log[i + 6] == "but task is already holding lock:"
    assert re.match(r"ffffffffc\w+ \(lock_b\)", log[i + 7])
    assert log[i + 9] == "which lock already depends on the new lock."
    assert "the existing dependency chain (in reverse order) is:" in log
    one = log.index("-> #1 (lock_b){+.+.}-{3:3}:")
    zero = log.index("-> #0 (lock_a){+.+.}-{3:3}:")
    assert one < zero
    assert any(line.startswith("       path_ab+0x") for line in log[one:zero])
    s = log.index(" Possible unsafe locking scenario:")
    assert log[s + 2:s + 10] == [
        "       CPU0                    CPU1", "       ----                    ----",
        "  lock(lock_b);", " " * 31 + "lock(lock_a);", " " * 31 + "lock(lock_b);",
        "  lock(lock_a);", "", " *** DEADLOCK ***"]
    assert log[-1] == "lock_abba: shared = 2"


def test_lockdep_is_off_after_an_unreliable_taint() -> None:
    # kernel/panic.c add_taint(..., LOCKDEP_NOW_UNRELIABLE) -> debug_locks_off()
    k = boot(PROVE_LOCKING=True)
    k.add_taint("F")
    assert load(k, "lock_abba") == 0
    assert not any("circular" in line for line in dmesg(k))


def test_kmemleak_scan_reports_the_leak() -> None:
    # mm/kmemleak.c kmemleak_scan(): objects older than MSECS_MIN_AGE
    # (5000 ms) and unreferenced are OBJECT_REPORTED; pr_info("%d new
    # suspected memory leaks (see /sys/kernel/debug/kmemleak)") with
    # pr_fmt "kmemleak: ".  kmemleak_write() takes "scan", "clear"...
    k = boot(DEBUG_KMEMLEAK=True)
    assert load(k, "leak") == 0
    assert k.delete_module("leak", 0o4000) == 0
    assert k.write_file("/sys/kernel/debug/kmemleak", b"scan") == (0, 4)
    assert k.read_file("/sys/kernel/debug/kmemleak") == (0, "")   # too young
    k.idle(5_000_000_000)
    k.write_file("/sys/kernel/debug/kmemleak", b"scan")
    assert k.log[-1].text == ("kmemleak: 1 new suspected memory leaks "
                              "(see /sys/kernel/debug/kmemleak)")
    assert k.log[-1].level == 6
    err, text = k.read_file("/sys/kernel/debug/kmemleak")
    assert err == 0 and text.startswith("unreferenced object 0xffff888")
    k.write_file("/sys/kernel/debug/kmemleak", b"scan")         # already reported
    assert len([r for r in k.log if "new suspected" in r.text]) == 1
    k.write_file("/sys/kernel/debug/kmemleak", b"clear")
    assert k.read_file("/sys/kernel/debug/kmemleak") == (0, "")
    assert k.write_file("/sys/kernel/debug/kmemleak", b"nonsense")[0] == -E.EINVAL


def test_no_kmemleak_file_without_the_option() -> None:
    k = boot()
    assert k.read_file("/sys/kernel/debug/kmemleak")[0] == -E.ENOENT
    assert k.write_file("/sys/kernel/debug/kmemleak", b"scan")[0] == -E.ENOENT
    assert k.list_dir("/sys/kernel/debug") == (0, [])


@pytest.mark.parametrize("options,shown", [
    ({}, False),
    ({"FAULT_INJECTION": True}, False),                 # no failslab capability
    ({"FAULT_INJECTION": True, "FAILSLAB": True}, True),
])
def test_fault_injection_is_announced_only_by_a_kernel_that_has_it(options, shown) -> None:
    # lib/fault-inject.c fail_dump() (6.1): "FAULT_INJECTION: forcing a
    # failure.\nname %pd, interval %lu, probability %lu, space %d, times %d";
    # mm/failslab.c names the attribute "failslab".
    from kmodgui.kernel.events import FaultInjected
    k = boot(**options)
    k.faults.add("kmalloc", 1, E.ENOMEM)
    assert load(k, "leak") == -E.ENOMEM
    assert [e.api for e in k.trace.events if isinstance(e, FaultInjected)] == ["kmalloc"]
    log = dmesg(k)
    assert ("FAULT_INJECTION: forcing a failure." in log) is shown
    if shown:
        i = log.index("FAULT_INJECTION: forcing a failure.")
        assert log[i + 1] == "name failslab, interval 1, probability 0, space 0, times 1"
