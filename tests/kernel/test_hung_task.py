"""A task blocked in the kernel gets khungtaskd's report; kmodsim stops
waiting for it with a line of its own, and the module stays where the real
one stays.

Ground truth: tests/kernel/data/hung/real-hung.txt and real-kstop-busy.txt,
recorded on Debian's 6.1.0-56-amd64 with `kmodsim record --real` (the
sources beside them; a backgrounded command, `insmod X.ko & sleep 1`, let
several tasks hang in one boot).  The report's lines come from
kernel/hung_task.c check_hung_task() and kernel/sched/core.c
sched_show_task(); khungtaskd checks every hung_task_timeout_secs
(CONFIG_DEFAULT_HUNG_TASK_TIMEOUT=120) and reports a task in
TASK_UNINTERRUPTIBLE whose context-switch count did not change over a
whole period, so a task blocked since boot+5 s is reported at the second
check, "blocked for more than 120 seconds", then again 120 s later with
241 (jiffies since its last switch was seen).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kmodgui.session import Session
from tests.test_golden import parse_transcript

DATA = Path(__file__).parent / "data" / "hung"


@pytest.fixture
def session(tmp_path: Path) -> Session:
    for src in DATA.glob("*.c"):
        shutil.copy(src, tmp_path / src.name)
    return Session("6.1", cwd=tmp_path)


def real(name: str):
    """The recorded steps; a command still running when the VM stopped has
    exit None."""
    text = (DATA / name).read_text().replace("### exit=running\n", "")
    return parse_transcript(text)[1]


def real_dmesg(steps) -> list[str]:
    return [line for st in steps for cmd, lines in st.checks if cmd == "dmesg -r -c"
            for line in lines]


def real_state(steps, cmd: str) -> list[str]:
    return next(lines for c, lines in steps[-1].checks if c == cmd)


def reports(dmesg: list[str], comm: str) -> list[list[str]]:
    """Each hung-task report of `comm`, from its INFO line to </TASK>,
    normalised as tests/reference/README.md allows (timestamps, PIDs,
    offsets, register values, the unreliable '? ' frames)."""
    out: list[list[str]] = []
    block: list[str] | None = None
    for line in dmesg:
        level, text = re.match(r"^(<\d>)\[ *[\d.]+\] (.*)$", line).groups()
        if text.startswith(f"INFO: task {comm}:"):
            block = []
            out.append(block)
        if block is None or text.lstrip().startswith("? "):
            continue
        text = re.sub(rf"{comm}:\d+", f"{comm}:N", text)
        text = re.sub(r"\b(pid|ppid):\d+ *", r"\1:N ", text)
        text = re.sub(r"\+0x[0-9a-f]+/0x[0-9a-f]+", "+X", text)
        if re.match(r"^(RIP|RSP|RAX|RDX|RBP|R10|R13): ", text):
            text = re.sub(r"[0-9a-f]{4,}", "N", text)
        block.append(level + text)
        if text.endswith("</TASK>"):
            block = None
    return out


def sim_dmesg(s: Session) -> list[str]:
    return s.run("dmesg -r").stdout.splitlines()


def norm_proc(line: str) -> str:
    """/proc/modules without the size and address (the simulator's layout)."""
    return re.sub(r"^(\S+) \d+ (.*) 0x[0-9a-f]{16}\b", r"\1 SIZE \2 0xADDR", line)


def test_init_sleeping_in_a_loop_is_not_reported(session):
    """msleep(1000) in a loop: every wake-up is a context switch, so
    khungtaskd stays silent (the real insmod ran 360 s with no report).
    kmodsim gives up after 600 s of sleep with its own line."""
    steps = real("real-hung.txt")
    assert not reports(real_dmesg(steps), "insmod")[1:]     # only hang_ssleep's
    r = session.run("insmod hang_msleep.ko")
    assert r.status == 124
    assert r.stderr.endswith("has slept in the kernel for 600 s without returning; "
                             "gave up waiting\n")
    assert not reports(sim_dmesg(session), "insmod")
    want = [norm_proc(x) for x in real_state(steps, "cat /proc/modules")
            if x.startswith("hang_msleep ")]
    got = [norm_proc(x) for x in session.run("cat /proc/modules").stdout.splitlines()]
    assert got == want


def test_init_in_a_long_uninterruptible_sleep_is_reported(session):
    """ssleep(300) in a loop: the first sleep spans two checks."""
    want = reports(real_dmesg(real("real-hung.txt")), "insmod")[0]
    r = session.run("insmod hang_ssleep.ko")
    assert r.status == 124
    assert r.stderr == ("kmodsim: insmod (pid 103) is blocked in the kernel and will never "
                        "return (khungtaskd reported it blocked for 120 s); gave up waiting\n")
    got = reports(sim_dmesg(session), "insmod")
    assert got == [want]
    assert want[0] == "<3>INFO: task insmod:N blocked for more than 120 seconds."
    # at khungtaskd's second check, 240 s after boot
    line = next(x for x in sim_dmesg(session) if "INFO: task" in x)
    assert line.startswith("<3>[  240.000000]")
    proc = session.run("cat /proc/modules").stdout
    assert norm_proc(proc.strip()) == "hang_ssleep SIZE 1 [permanent], Loading 0xADDR (OE+)"


def test_exit_blocked_forever_is_reported_and_again_later(session):
    """schedule_timeout_uninterruptible(MAX_SCHEDULE_TIMEOUT) in exit: rmmod
    is reported, the module stays Unloading with refcount -1; 120 s later
    khungtaskd reports it again, "more than 241 seconds" on the real one."""
    steps = real("real-hung.txt")
    want = reports(real_dmesg(steps), "rmmod")
    hang_exit = [b for b in want if any("hang_exit_exit" in x for x in b)]
    assert len(hang_exit) == 2
    assert session.run("insmod hang_exit.ko").status == 0
    r = session.run("rmmod hang_exit")
    assert r.status == 124 and "(khungtaskd reported it blocked for 120 s)" in r.stderr
    assert reports(sim_dmesg(session), "rmmod") == hang_exit[:1]
    for _ in range(2):
        session.run("sleep 60")
    again = reports(sim_dmesg(session), "rmmod")
    assert len(again) == 2
    # the same report, 240 s instead of the real 241 (khungtaskd woke a
    # jiffy late on the emulated machine)
    assert again[1][1:] == hang_exit[1][1:]
    assert again[1][0] == "<3>INFO: task rmmod:N blocked for more than 240 seconds."
    want_proc = [norm_proc(x) for x in real_state(steps, "cat /proc/modules")
                 if x.startswith("hang_exit ")]
    assert [norm_proc(x) for x in session.run("cat /proc/modules").stdout.splitlines()] \
        == want_proc
    assert "hang_exit" in session.run("lsmod").stdout.splitlines()[1]
    assert session.run("lsmod").stdout.splitlines()[1].endswith("  -1")


def test_kthread_stop_of_a_thread_that_never_stops(session):
    """kthread_stop() waits in wait_for_completion() (TASK_UNINTERRUPTIBLE)
    for a thread looping on msleep() that never asks kthread_should_stop():
    rmmod is reported with kthread_stop in its stack."""
    steps = real("real-hung.txt")
    want = [b for b in reports(real_dmesg(steps), "rmmod")
            if any("kthread_stop" in x for x in b)]
    assert session.run("insmod kstop_sleep.ko").status == 0
    r = session.run("rmmod kstop_sleep")
    assert r.status == 124 and "khungtaskd reported it blocked for 120 s" in r.stderr
    assert reports(sim_dmesg(session), "rmmod") == want[:1]
    want_proc = [norm_proc(x) for x in real_state(steps, "cat /proc/modules")
                 if x.startswith("kstop_sleep ")]
    assert [norm_proc(x) for x in session.run("cat /proc/modules").stdout.splitlines()] \
        == want_proc
    # the thread goes on sleeping and waking while time passes
    before = session.kernel.clock_ns
    session.run("sleep 1")
    assert session.kernel.clock_ns > before


def test_kthread_stop_of_a_spinning_thread_never_returns(session):
    """The thread spins (soft lockup, taint L); kthread_stop() never returns.
    On the real machine khungtaskd never reported the waiting rmmod in
    270 s (the spinning CPU never schedules); kmodsim gives up at once."""
    steps = real("real-kstop-busy.txt")
    dmesg = real_dmesg(steps)
    assert any("soft lockup" in x and "[kstop_busy:" in x for x in dmesg)
    assert not any("INFO: task" in x for x in dmesg)
    assert session.run("insmod kstop_busy.ko").status == 0
    assert any("soft lockup" in x and "[kstop_busy:" in x for x in sim_dmesg(session))
    r = session.run("rmmod kstop_busy")
    assert r.status == 124
    assert r.stderr.endswith("is stuck in the kernel and will never return; gave up waiting\n")
    assert not any("INFO: task" in x for x in sim_dmesg(session))
    want_proc = [norm_proc(x) for x in real_state(steps, "cat /proc/modules")]
    assert [norm_proc(x) for x in session.run("cat /proc/modules").stdout.splitlines()] \
        == want_proc
    tainted = next(lines for c, lines in steps[-1].checks
                   if c == "cat /proc/sys/kernel/tainted")
    assert session.run("cat /proc/sys/kernel/tainted").stdout.strip() == tainted[0]


def test_after_an_oops_khungtaskd_is_silent(session):
    """check_hung_uninterruptible_tasks() returns at once once the kernel
    is tainted D (kernel/hung_task.c: "If the system crashed already then
    all bets are off"); the blocked rmmod is still given up on."""
    assert session.run("insmod div_zero.ko").status == 139
    assert session.run("insmod hang_exit.ko").status == 0
    r = session.run("rmmod hang_exit")
    assert r.status == 124 and "gave up waiting" in r.stderr
    assert not any("INFO: task" in x for x in sim_dmesg(session))


def test_hung_task_warnings_runs_out_silently(session):
    """hung_task_warnings counts the reports left; at 0 khungtaskd says
    nothing more (6.1 prints no "suppressed" line: real-hung-warnings.txt,
    two tasks blocked, warnings set to 1, one report)."""
    steps = real("real-hung-warnings.txt")
    want = reports(real_dmesg(steps), "rmmod")
    assert len(want) == 1 and not any("suppressed" in x for x in real_dmesg(steps))
    assert steps[-1].out == ["0"]
    for cmd in [st.cmd for st in steps[1:-2]]:
        session.run(cmd.replace(" & sleep 1", ""))
    session.run("sleep 60")
    got = reports(sim_dmesg(session), "rmmod")
    assert got == want
    assert session.run("cat /proc/sys/kernel/hung_task_warnings").stdout == "0\n"


def test_hung_task_timeout_secs_zero_disables_the_report(session):
    """The report's own advice: with hung_task_timeout_secs 0 khungtaskd
    never checks (hung_timeout_jiffies() is MAX_SCHEDULE_TIMEOUT); kmodsim
    still stops waiting.  Written back, the next check comes at
    hung_last_checked + the new timeout (watchdog() in kernel/hung_task.c)."""
    assert session.run("cat /proc/sys/kernel/hung_task_timeout_secs").stdout == "120\n"
    assert session.run("echo 0 > /proc/sys/kernel/hung_task_timeout_secs").status == 0
    session.run("insmod hang_exit.ko")
    r = session.run("rmmod hang_exit")
    assert r.status == 124 and r.stderr.endswith("will never return; gave up waiting\n")
    assert not reports(sim_dmesg(session), "rmmod")
    assert session.run("echo 30 > /proc/sys/kernel/hung_task_timeout_secs").status == 0
    session.run("sleep 40")
    got = reports(sim_dmesg(session), "rmmod")
    assert [b[0] for b in got] == ["<3>INFO: task rmmod:N blocked for more than 30 seconds."]


@pytest.mark.parametrize("path,value", [("hung_task_timeout_secs", "-1"),
                                        ("hung_task_timeout_secs", "abc"),
                                        ("hung_task_warnings", "-2")])
def test_hung_task_sysctls_refuse_bad_values(session, path, value):
    """proc_doulongvec_minmax() / proc_dointvec_minmax() (min -1 for the
    warnings): -EINVAL.  echo is dash's builtin, which reports any failed
    write as "I/O error" (as recorded in tests/reference/real/module-kobjdemo.txt
    for a sysfs store returning -EINVAL)."""
    r = session.run(f"echo {value} > /proc/sys/kernel/{path}")
    assert r.status == 1 and r.stderr == "sh: 1: echo: echo: I/O error\n"


def test_the_waker_of_a_spinning_thread_is_not_locked_up(tmp_path):
    """The thread spins on its own CPU (real-kstop-busy.txt: insmod returned
    0 and only the thread was reported); the init that started it goes on,
    even through a loop of its own, without a soft lockup of insmod."""
    steps = real("real-kstop-busy.txt")
    assert steps[1].exit == 0
    assert not any("[insmod:" in x for x in real_dmesg(steps))
    (tmp_path / "kb2.c").write_text(
        '#include <linux/module.h>\n#include <linux/kthread.h>\n#include <linux/err.h>\n'
        'MODULE_LICENSE("GPL");\nstatic struct task_struct *worker;\n'
        'static int worker_fn(void *data)\n{\n\twhile (1)\n\t\tcpu_relax();\n\treturn 0;\n}\n'
        'static int __init kb2_init(void)\n{\n\tint i, sum = 0;\n'
        '\tworker = kthread_run(worker_fn, NULL, "kb2");\n'
        '\tfor (i = 0; i < 1000; i++)\n\t\tsum += i;\n\tpr_info("kb2: sum %d\\n", sum);\n'
        '\treturn PTR_ERR_OR_ZERO(worker);\n}\n'
        'static void __exit kb2_exit(void)\n{\n\tkthread_stop(worker);\n}\n'
        'module_init(kb2_init);\nmodule_exit(kb2_exit);\n')
    s = Session("6.1", cwd=tmp_path)
    assert s.run("insmod kb2.ko").status == 0
    dmesg = sim_dmesg(s)
    assert re.search(r"soft lockup - CPU#0 stuck for \d+s! \[kb2:\d+\]$", "\n".join(dmesg), re.M)
    assert not any("[insmod:" in x for x in dmesg)
    assert any(x.endswith("kb2: sum 499500") for x in dmesg)


def test_a_second_insmod_of_a_module_stuck_loading_waits_for_good(session):
    """module_patient_check_exists(): insmod of a module that is still
    COMING waits (wait_event_interruptible, TASK_INTERRUPTIBLE: khungtaskd
    ignores it) for that load to finish; after an oops in init it never
    does.  real-second-insmod.txt: the second insmod was still running
    after 20 s, the kernel silent."""
    steps = real("real-second-insmod.txt")
    assert steps[2].exit is None and steps[2].checks[0] == ("dmesg -r -c", [])
    assert session.run("insmod div_zero.ko").status == 139
    session.run("dmesg -C")
    r = session.run("insmod div_zero.ko")
    assert r.status == 124
    assert r.stderr.endswith("has slept in the kernel for 600 s without returning; "
                             "gave up waiting\n")
    assert session.run("dmesg").stdout == ""
    assert [norm_proc(x) for x in session.run("cat /proc/modules").stdout.splitlines()] == \
        [norm_proc(x) for x in real_state(steps, "cat /proc/modules")]


def test_a_kthread_in_a_long_uninterruptible_sleep_is_reported(session):
    """khungtaskd walks every thread, kthreads too: ppid 2 (kthreadd), the
    kthread flags, the stack down to kthread() and ret_from_fork (no user
    registers).  real-kthread-ssleep.txt: its comm cut to 15 characters."""
    steps = real("real-kthread-ssleep.txt")
    want = reports(real_dmesg(steps), "kthread_ssleep_")
    assert len(want) == 1
    assert session.run("insmod kthread_ssleep.ko").status == 0
    for _ in range(5):
        session.run("sleep 50")
    assert reports(sim_dmesg(session), "kthread_ssleep_") == want
    assert [norm_proc(x) for x in session.run("cat /proc/modules").stdout.splitlines()] == \
        [norm_proc(x) for x in real_state(steps, "cat /proc/modules")]


def test_an_init_that_only_yields_is_given_up_on_without_a_report(tmp_path):
    """while (1) cond_resched(): the task schedules, so the soft-lockup
    watchdog is fed (kernel/watchdog.c: watchdog_timer_fn() sees the
    per-CPU stopper run) and it never sleeps, so khungtaskd (D tasks only)
    has nothing to say; the real insmod spins politely forever.  kmodsim
    gives up with its own line; the module stays Loading."""
    (tmp_path / "cr.c").write_text(
        '#include <linux/module.h>\n#include <linux/sched.h>\nMODULE_LICENSE("GPL");\n'
        'int cond_resched(void);\n'
        'static int __init cr_init(void)\n{\n\twhile (1)\n\t\tcond_resched();\n\treturn 0;\n}\n'
        'module_init(cr_init);\n')
    s = Session("6.1", cwd=tmp_path)
    r = s.run("insmod cr.ko")
    assert r.status == 124
    assert r.stderr.endswith("is stuck in the kernel and will never return; gave up waiting\n")
    dmesg = s.run("dmesg").stdout
    assert "soft lockup" not in dmesg and "INFO: task" not in dmesg
    assert norm_proc(s.run("cat /proc/modules").stdout.strip()) == \
        "cr SIZE 1 [permanent], Loading 0xADDR (OE+)"
