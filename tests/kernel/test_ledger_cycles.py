"""The ledger and the machine over many load/unload cycles: what is held
stays, what is released or exited is forgotten, each leak is told once."""
from __future__ import annotations

from kmodgui import SAMPLES_DIR
from kmodgui.kbuild import build
from kmodgui.kernel import ledger as ledger_mod
from kmodgui.kernel import memory
from kmodgui.kernel.events import ResourceProblem, Trace
from kmodgui.kernel.kernel import Kernel
from kmodgui.kernel.ledger import Ledger
from kmodgui.kernel.profile import load_profile
from tests.engine_helpers import config_for

O_NONBLOCK = 0o4000


def boot(**changes: bool) -> Kernel:
    return Kernel(load_profile("6.1"), {**config_for("6.1"), **changes})


def ko(k: Kernel, name: str):
    res = build(SAMPLES_DIR, name, k.profile, k.config, {})
    assert res.ok, res.output
    return res.ko


def cycle(k: Kernel, image, times: int) -> None:
    for _ in range(times):
        assert k.init_module(image) == 0
        assert k.delete_module(image.name, O_NONBLOCK) == 0


def leaks_told(k: Kernel) -> list[ResourceProblem]:
    return [e for e in k.trace.events if isinstance(e, ResourceProblem) and e.problem == "leak"]


def test_each_leaked_buffer_is_told_once_and_stays_held():
    # mm/kmemleak.c kmemleak_scan(): an object already reported
    # (OBJECT_REPORTED) is not counted again among the "new suspected
    # memory leaks"; the memory itself stays allocated for good.
    k = boot()
    leak = ko(k, "leak")
    cycle(k, leak, 3)
    assert len(leaks_told(k)) == 3
    assert [e.rid for e in leaks_told(k)] == sorted({e.rid for e in leaks_told(k)})
    held = k.ledger.held_by("leak")
    assert len(held) == 3 and all(r.left_behind and r.held for r in held)
    assert k.mem.ram_used == 3 * memory.ram_charge(128, memory.SLAB)


def test_kmemleak_lists_old_leaks_while_a_new_instance_is_loaded():
    # kmemleak reports unreferenced objects whoever allocated them: a
    # reloaded module of the same name does not make the old buffer
    # referenced again (mm/kmemleak.c, kmemleak_scan()).
    k = boot(DEBUG_KMEMLEAK=True)
    leak = ko(k, "leak")
    cycle(k, leak, 1)
    assert k.init_module(leak) == 0
    k.idle(5_000_000_000)        # older than kmemleak's MSECS_MIN_AGE
    assert k.write_file("/sys/kernel/debug/kmemleak", b"scan\n") == (0, 5)
    err, text = k.read_file("/sys/kernel/debug/kmemleak")
    assert err == 0 and text.count("unreferenced object") == 1
    live = [r for r in k.ledger.held() if not r.left_behind]
    assert [r.name for r in live] == ["kmalloc(128)"]


def test_clean_cycles_forget_what_was_released_and_exited():
    k = boot(DEBUG_KMEMLEAK=True)
    skull = ko(k, "skull")
    cycle(k, skull, 20)
    regions = len(k.mem._regions)
    cycle(k, skull, 200)
    # the processes' task_structs and the init sections are freed: only the
    # quarantine's bounded tail of them stays mapped
    assert len(k.mem._regions) <= regions + memory.QUARANTINE_OBJECTS
    assert k.ledger.held() == []
    assert len(k.ledger.entries) <= ledger_mod.RELEASED_KEPT
    k.write_file("/sys/kernel/debug/kmemleak", b"scan")
    err, text = k.read_file("/sys/kernel/debug/kmemleak")
    assert (err, text) == (0, "")


def test_old_released_entries_are_forgotten_recent_double_release_is_told():
    trace = Trace()
    book = Ledger(trace, lambda: 0)
    for addr in range(ledger_mod.RELEASED_KEPT + 10):
        book.acquire("memory", addr, "kmalloc(8)", "m", None, "kmalloc")
        book.release("memory", addr, "kfree", None, "m")
    assert len(book.entries) == ledger_mod.RELEASED_KEPT
    book.release("memory", ledger_mod.RELEASED_KEPT + 9, "kfree", None, "m")
    book.release("memory", 0, "kfree", None, "m")
    told = [e.problem for e in trace.events if isinstance(e, ResourceProblem)]
    assert told == ["double-release", "never-acquired"]


def test_release_order_is_judged_against_the_live_module_only():
    trace = Trace()
    book = Ledger(trace, lambda: 0)
    book.acquire("memory", 1, "kmalloc(8)", "m", None, "kmalloc")
    book.report_leaks("m")                        # m unloaded holding it
    book.acquire("chrdev", 240, "chrdev 240", "m", None, "register_chrdev")
    book.acquire("memory", 2, "kmalloc(8)", "m", None, "kmalloc")
    first = book.release("chrdev", 240, "unregister_chrdev", None, "m")
    assert first is not None
    rel = [e for e in trace.events if type(e).__name__ == "ResourceReleased"]
    assert rel[-1].in_order is False              # kmalloc 2 came later, still held
    book.release("memory", 2, "kfree", None, "m")
    assert book.report_leaks("m") == []           # the old leak is not told again
    assert [r.key for r in book.held_by("m")] == [1]


def test_small_objects_count_what_the_host_keeps_so_ram_runs_out_first(tmp_path, monkeypatch):
    # A deliberate difference: a real kmalloc-8 object costs 8 bytes of RAM
    # (mm/slub.c packs them in slab pages); here each counts
    # MIN_OBJECT_CHARGE, what the host spends keeping it, so a runaway loop
    # of tiny allocations meets the machine's RAM limit and the page
    # allocator's failure (mm/page_alloc.c warn_alloc()), not the host's.
    from kmodgui.session import Session
    monkeypatch.setattr(memory, "TOTAL_RAM_BYTES", 4 << 20)
    (tmp_path / "tiny.c").write_text(
        '#include <linux/module.h>\n#include <linux/slab.h>\nMODULE_LICENSE("GPL");\n'
        "static int __init t_init(void)\n{\n\tint n = 0;\n"
        "\twhile (kmalloc(8, GFP_KERNEL))\n\t\tn++;\n"
        '\tprintk(KERN_INFO "got %d\\n", n);\n\treturn 0;\n}\nmodule_init(t_init);\n')
    s = Session("6.1", cwd=tmp_path)
    assert s.run("insmod tiny.ko").status == 0
    text = [rec.text for rec in s.kernel.log]
    assert "insmod: page allocation failure: order:0, mode:0xcc0(GFP_KERNEL), " \
           "nodemask=(null),cpuset=/,mems_allowed=0" in text
    got = int(next(t for t in text if t.startswith("got ")).split()[1])
    assert got == (4 << 20) // memory.MIN_OBJECT_CHARGE
    assert len(s.kernel.ledger.held_by("tiny")) == got


def test_a_stopped_kthread_leaves_no_task_struct_behind():
    # kthread_stop() drops the reference kthread_create() took
    # (put_task_struct() in kernel/kthread.c): the task_struct is freed
    k = boot()
    ticker = ko(k, "ticker")

    def live_tasks() -> int:
        return sum(1 for r in k.mem.live_regions(memory.KOBJ)
                   if r.label.startswith("task_struct"))
    cycle(k, ticker, 3)
    before = live_tasks()
    cycle(k, ticker, 30)
    assert live_tasks() == before
    assert len(k.names["kthreads_gone"]) == 33
