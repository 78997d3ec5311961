"""The module loader against the real kernel's rules (syscall level, no tools)."""
from __future__ import annotations

import errno as E

import pytest

from kmodgui import SAMPLES_DIR
from kmodgui.kbuild import build
from kmodgui.kernel import panic
from kmodgui.kernel.events import ModuleStateChanged, ResourceProblem, ResourceReleased
from kmodgui.kernel.kernel import Kernel
from kmodgui.kernel.profile import load_profile
from tests.engine_helpers import config_for

O_NONBLOCK, O_TRUNC = 0o4000, 0o1000


def boot(profile: str = "6.1", **changes: bool) -> Kernel:
    cfg = config_for(profile)
    cfg.update(changes)
    return Kernel(load_profile(profile), cfg)


def ko(k: Kernel, name: str, folder=SAMPLES_DIR, symvers=None):
    res = build(folder, name, k.profile, k.config, symvers or {})
    assert res.ok, res.output
    return res.ko


def texts(k: Kernel) -> list[str]:
    return [r.text for r in k.log]


def test_hi_loads_live_and_unloads_with_real_states_and_taints():
    k = boot()
    assert k.init_module(ko(k, "hi")) == 0
    states = [e.state for e in k.trace.events if isinstance(e, ModuleStateChanged)]
    assert states == ["UNFORMED", "COMING", "LIVE"]
    assert texts(k) == ["hi: loading out-of-tree module taints kernel.",
                        "hi: module verification failed: signature and/or required key "
                        "missing - tainting kernel",
                        "hi module being loaded."]
    assert [r.level for r in k.log] == [4, 5, 6]
    assert k.tainted == 12288
    line = k.read_file("/proc/modules")[1]
    assert line.startswith("hi 16384 0 - Live 0x") and line.endswith(" (OE)\n")
    assert k.read_file("/sys/module/hi/initstate") == (0, "live\n")
    assert k.delete_module("hi", O_NONBLOCK) == 0
    assert texts(k)[-1] == "hi module being unloaded."
    assert k.read_file("/proc/modules") == (0, "")


def test_failed_init_leaves_nothing_loaded_but_keeps_the_taint():
    k = boot()
    assert k.init_module(ko(k, "hi_eio")) == -E.EIO
    assert "hi_eio" not in k.modules and k.tainted == 12288
    states = [e.state for e in k.trace.events if isinstance(e, ModuleStateChanged)]
    assert states == ["UNFORMED", "COMING", "GOING", "UNFORMED", "GONE"]


@pytest.mark.parametrize("profile, prefix", [("6.1", "do_init_module"),
                                             ("2.6.30", "sys_init_module")])
def test_positive_return_warns_and_loads_anyway(profile, prefix):
    k = boot(profile)
    assert k.init_module(ko(k, "hi_42")) == 0
    t = texts(k)
    i = t.index(f"{prefix}: 'hi_42'->init suspiciously returned 42, it should follow 0/-E "
                "convention")
    assert t[i + 1] == f"{prefix}: loading module anyway..."
    assert "Call Trace:" in t[i + 2:]
    assert k.modules["hi_42"].state == "LIVE"


def test_permanent_module_needs_force_and_forced_unloading():
    k = boot()
    assert k.init_module(ko(k, "hi_permanent")) == 0
    assert "[permanent]," in k.read_file("/proc/modules")[1]
    assert k.delete_module("hi_permanent", O_NONBLOCK) == -E.EBUSY
    assert k.delete_module("hi_permanent", O_NONBLOCK | O_TRUNC) == 0
    assert "R" in k.taint_letters and k.tainted == 12296
    assert texts(k)[-1] == "Disabling lock debugging due to kernel taint"


def test_force_unload_off_keeps_a_permanent_module_forever():
    k = boot(MODULE_FORCE_UNLOAD=False)
    assert k.init_module(ko(k, "hi_permanent")) == 0
    assert k.delete_module("hi_permanent", O_NONBLOCK | O_TRUNC) == -E.EBUSY
    assert "R" not in k.taint_letters


def test_module_unload_off_no_rmmod_no_refcount_and_exit_dropped():
    k = boot(MODULE_UNLOAD=False, MODULE_FORCE_UNLOAD=False)
    obj = ko(k, "hi")
    assert "mod_unload" not in obj.vermagic
    assert k.init_module(obj) == 0
    assert k.delete_module("hi", O_NONBLOCK) == -E.ENOSYS
    # hi_exit went with the init sections: one text page less than with unloading
    assert k.read_file("/proc/modules")[1].startswith("hi 12288 - - Live")
    assert k.read_file("/sys/module/hi/refcnt")[0] == -E.ENOENT
    assert not k.modules["hi"].has_exit          # .exit laid out with init, freed


def test_modules_off_means_no_syscalls_and_no_proc_modules():
    k = boot(MODULES=False)
    assert k.init_module(ko(boot(), "hi")) == -E.ENOSYS
    assert k.read_file("/proc/modules")[0] == -E.ENOENT


def test_vermagic_mismatch_is_invalid_module_format():
    built_with_unload = ko(boot(), "hi")
    k = boot(MODULE_UNLOAD=False, MODULE_FORCE_UNLOAD=False)
    assert k.init_module(built_with_unload) == -E.ENOEXEC
    assert texts(k)[-1].startswith("hi: version magic '6.1.0-56-amd64 SMP preempt mod_unload")


def test_insmod_force_needs_force_load_and_taints_F():
    k = boot()
    assert k.init_module(ko(k, "hi"), "", flags=3) == 0
    assert "hi: module_layout: kernel tainted." in texts(k)
    assert k.modules["hi"].flags_str() == "(FOE)" and k.tainted == 12290
    k2 = boot(MODULE_FORCE_LOAD=False)
    assert k2.init_module(ko(k2, "hi"), "", flags=3) == -E.ENOEXEC


def test_modversions_and_srcversion_change_the_object():
    assert "modversions" not in ko(boot(MODVERSIONS=False), "hi").vermagic
    assert ko(boot(), "hi").srcversion == ""
    assert len(ko(boot(MODULE_SRCVERSION_ALL=True), "hi").srcversion) == 24


def test_module_sig_force_rejects_unsigned_modules():
    k = boot(MODULE_SIG_FORCE=True)
    assert k.init_module(ko(k, "hi")) == -E.EKEYREJECTED
    assert texts(k) == ["Loading of unsigned module is rejected"]


def test_2630_has_no_out_of_tree_or_signature_taint():
    k = boot("2.6.30")
    assert k.init_module(ko(k, "hi")) == 0
    assert texts(k) == ["hi module being loaded."]
    assert k.read_file("/proc/modules")[1].startswith("hi ")


def test_dependencies_refcount_used_by_and_unknown_symbol():
    k = boot()
    symvers = {"expo_add": "expo", "expo_mul": "expo"}
    user = ko(k, "user", symvers=symvers)
    assert k.init_module(user) == -E.ENOENT
    assert "user: Unknown symbol expo_add (err -2)" in texts(k)
    assert k.init_module(ko(k, "expo")) == 0
    assert k.init_module(user) == 0
    assert k.modules["expo"].refcnt == 1 and k.modules["expo"].holders == ["user"]
    assert "expo 16384 1 user, Live" in k.read_file("/proc/modules")[1]
    assert k.delete_module("expo", O_NONBLOCK) == -E.EWOULDBLOCK
    assert k.delete_module("user", O_NONBLOCK) == 0
    assert k.delete_module("expo", O_NONBLOCK) == 0


def test_parameters_set_show_and_reject(tmp_path):
    k = boot()
    assert k.init_module(ko(k, "hellop"), 'howmany=2 whom="big Mom"') == 0
    assert k.read_file("/sys/module/hellop/parameters/howmany") == (0, "2\n")
    assert k.read_file("/sys/module/hellop/parameters/whom") == (0, "big Mom\n")
    assert sum("Hello, big Mom" in t for t in texts(k)) == 2
    k.delete_module("hellop", O_NONBLOCK)
    assert k.init_module(ko(k, "hellop"), "howmany=lots") == -E.EINVAL
    assert texts(k)[-1] == "hellop: `lots' invalid for parameter `howmany'"
    assert k.init_module(ko(k, "hellop"), "nosuch=1") == 0
    assert "hellop: unknown parameter 'nosuch' ignored" in texts(k)
    k3 = boot("2.6.30")
    assert k3.init_module(ko(k3, "hellop"), "nosuch=1") == -E.ENOENT


def test_skull_unwinds_in_reverse_order_after_an_injected_fault():
    k = boot()
    k.faults.add("register_those", 1, E.ENOMEM)
    assert k.init_module(ko(k, "skull")) == -E.ENOMEM
    rel = [e for e in k.trace.events if isinstance(e, ResourceReleased)]
    assert [e.api for e in rel] == ["unregister_that", "unregister_this"]
    assert all(e.in_order for e in rel)
    assert not [e for e in k.trace.events if isinstance(e, ResourceProblem)]
    # Debian's kernel has no FAULT_INJECTION: the injection is the
    # simulator's own and dmesg does not announce it
    assert "FAULT_INJECTION: forcing a failure." not in texts(k)
    # nothing left registered: the next insmod succeeds
    assert k.init_module(ko(k, "skull")) == 0


def test_leak_is_reported_in_the_ledger_after_rmmod():
    k = boot()
    assert k.init_module(ko(k, "leak")) == 0
    assert k.delete_module("leak", O_NONBLOCK) == 0
    leaks = [e for e in k.trace.events if isinstance(e, ResourceProblem) and e.problem == "leak"]
    assert leaks and leaks[0].kind == "memory" and leaks[0].owner == "leak"


def test_null_dereference_oopses_kills_insmod_and_module_stays_loading():
    k = boot()
    with pytest.raises(panic.TaskKilled) as ex:
        k.init_module(ko(k, "nullderef", SAMPLES_DIR / "broken"))
    assert ex.value.signal == 9
    t = texts(k)
    assert "BUG: kernel NULL pointer dereference, address: 0000000000000000" in t
    assert "Oops: 0002 [#1] PREEMPT SMP NOPTI" in t
    assert any(x.startswith("RIP: 0010:nullderef_init+0x") for x in t)
    assert "Modules linked in: nullderef(OE+)" in t
    assert k.tainted == 12416
    assert " 1 - Loading " in k.read_file("/proc/modules")[1]


def test_runaway_init_ends_in_a_soft_lockup_report():
    k = boot()
    with pytest.raises(panic.TaskStuck):
        k.init_module(ko(k, "spin", SAMPLES_DIR / "broken"))
    t = texts(k)
    assert any(x.startswith("watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [insmod:")
               for x in t)
    assert "L" in k.taint_letters and k.modules["spin"].state == "COMING"


def test_cpu_runs_in_slices_and_resumes_exactly():
    """The GUI's contract: stop after N statements, resume later."""
    import greenlet
    k = boot()
    obj = ko(k, "skull")
    hub = greenlet.getcurrent()
    pauses = []

    def on_stop():
        pauses.append(k.cpu.steps)
        hub.switch()
    g = greenlet.greenlet(lambda: k.init_module(obj))
    k.cpu.on_stop = on_stop
    k.cpu.stop_at = k.cpu.steps + 3
    result = g.switch()
    while not g.dead:
        k.cpu.stop_at = k.cpu.steps + 3
        result = g.switch()
    assert result == 0 and len(pauses) >= 3
    assert all(b - a == 3 for a, b in zip(pauses, pauses[1:]))


def test_runaway_recursion_overflows_the_stack_and_panics(tmp_path):
    (tmp_path / "deep.c").write_text("""#include <linux/module.h>
MODULE_LICENSE("GPL");
static int rec(int n) { char pad[200]; pad[0] = n; return n + rec(n + 1) + pad[0]; }
static int __init deep_init(void) { return rec(0); }
module_init(deep_init);
""")
    k = boot()
    with pytest.raises(panic.TaskKilled):
        k.init_module(ko(k, "deep", tmp_path))
    t = texts(k)
    assert "kernel stack overflow (double-fault): 0000 [#1] PREEMPT SMP NOPTI" in t
    assert t[-2:] == ["Kernel panic - not syncing: Machine halted.",
                      "---[ end Kernel panic - not syncing: Machine halted. ]---"]
    assert k.panicked


def test_a_module_bigger_than_memory_is_refused(tmp_path):
    (tmp_path / "big.c").write_text("""#include <linux/module.h>
MODULE_LICENSE("GPL");
static char huge[1UL << 30];
static int __init big_init(void) { huge[0] = 1; return 0; }
module_init(big_init);
""")
    k = boot()
    assert k.init_module(ko(k, "big", tmp_path)) == -E.ENOMEM
    assert "vmalloc error: size 1073741824, exceeds total pages" in texts(k)[-1]
    assert "big" not in k.modules


def test_kthread_and_timer_run_while_time_passes_and_exit_stops_them():
    k = boot()
    assert k.init_module(ko(k, "ticker")) == 0
    k.idle(100_000_000)
    fired = [r for r in texts(k) if "timer fired" in r]
    assert fired == ["ticker: timer fired (1)", "ticker: timer fired (2)",
                     "ticker: timer fired (3)"]
    ts = [r.ts for r in k.log if "timer fired" in r.text]
    assert 31_900_000 <= ts[1] - ts[0] <= 32_100_000   # 30 ms in whole jiffies (HZ=250)
    assert k.delete_module("ticker", O_NONBLOCK) == 0
    assert texts(k)[-1] == "ticker: stopped, thread returned 3"
    assert not [r for r in k.ledger.entries if r.held]


def test_a_timer_left_armed_by_an_unloaded_module_panics_in_interrupt(tmp_path):
    src = (SAMPLES_DIR / "ticker.c").read_text()
    src = src.replace("del_timer_sync(&tick);", "").replace("if (ticks < 3)", "")
    (tmp_path / "ticker.c").write_text(src)
    k = boot()
    assert k.init_module(ko(k, "ticker", tmp_path)) == 0
    assert k.delete_module("ticker", O_NONBLOCK) == 0
    k.idle(100_000_000)
    t = texts(k)
    assert any(x.startswith("BUG: unable to handle page fault for address: ") for x in t)
    assert any("Comm: swapper/0" in x for x in t)
    assert t[-2] == "Kernel panic - not syncing: Fatal exception in interrupt"
    assert k.panicked
