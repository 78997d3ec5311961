"""The simulated machine's limits end in the kernel's own reports, and host
memory stays bounded by them.

Sources of the figures:
  * Debian 6.1's config: CONFIG_LOG_BUF_SHIFT=17 (a 128 KiB printk ring).
  * kernel/printk/printk.c: LOG_LINE_MAX = CONSOLE_LOG_MAX (1024) -
    PREFIX_MAX (32); vprintk_store() formats into at most that many bytes.
  * lib/vsprintf.c: set_field_width() clamps to FIELD_WIDTH_MAX, (1 << 23) - 1.
  * mm/page_alloc.c warn_alloc(): "%s: page allocation failure: order:%u,
    mode:%#x(%pGg), nodemask=%*pbl" then the cpuset line, then dump_stack().
"""
from __future__ import annotations

from pathlib import Path

from kmodgui.kernel import printk as printk_mod
from kmodgui.session import Session

HEAD = '#include <linux/module.h>\n#include <linux/slab.h>\nMODULE_LICENSE("GPL");\n'
TAIL = ("static void __exit t_exit(void) { }\n"
        "module_init(t_init);\nmodule_exit(t_exit);\n")


def session(tmp_path: Path, name: str, body: str) -> Session:
    (tmp_path / f"{name}.c").write_text(HEAD + "static int __init t_init(void)\n{\n"
                                        + body + "\n}\n" + TAIL)
    return Session("6.1", cwd=tmp_path)


def test_allocation_loop_ends_with_page_allocation_failure(tmp_path):
    s = session(tmp_path, "km", "int n = 0;\n while (kmalloc(1 << 20, GFP_KERNEL)) n++;\n"
                " printk(KERN_INFO \"got %d\\n\", n);\n return 0;")
    r = s.run("insmod km.ko")
    assert r.status == 0
    text = [rec.text for rec in s.kernel.log]
    failure = [t for t in text if "page allocation failure" in t]
    assert failure == ["insmod: page allocation failure: order:8, mode:0x40cc0"
                       "(GFP_KERNEL|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0"]
    got = int(next(t for t in text if t.startswith("got ")).split()[1])
    assert 0 < got <= 512
    # the objects are still held (the module never freed them): RAM is full
    assert s.kernel.mem.ram_used > 500 << 20


def test_freed_memory_returns_to_the_machine(tmp_path):
    s = session(tmp_path, "kf", "int i;\n for (i = 0; i < 2000; i++)\n"
                "  kfree(kmalloc(1 << 20, GFP_KERNEL));\n return 0;")
    assert s.run("insmod kf.ko").status == 0
    assert not any("allocation failure" in rec.text for rec in s.kernel.log)
    assert s.kernel.mem.ram_used < 1 << 20


def test_huge_field_width_is_clamped_and_the_record_cut(tmp_path):
    s = session(tmp_path, "pw", 'printk(KERN_INFO "%999999999d|\\n", 1);\n return 0;')
    assert s.run("insmod pw.ko").status == 0
    rec = s.kernel.log[-1]
    # the whole formatted text, level prefix included, fits LOG_LINE_MAX - 1
    assert len(rec.text) == printk_mod.LOG_LINE_MAX - 1 - 2
    assert set(rec.text) == {" "}


def test_ring_buffer_keeps_only_the_newest_128k(tmp_path):
    s = session(tmp_path, "fl", "int i;\n for (i = 0; i < 20000; i++)\n"
                '  printk(KERN_INFO "line %d\\n", i);\n return 0;')
    assert s.run("insmod fl.ko").status == 0
    log = s.kernel.log
    assert log[-1].text == "line 19999"
    assert len(log) <= printk_mod.LOG_DESCS
    used = sum(printk_mod._ring_size(r.text) for r in log)
    assert used <= printk_mod.LOG_BUF_LEN
    first = int(log[0].text.split()[1])
    assert first > 10000            # the oldest lines were overwritten
    out = s.run("dmesg").stdout.splitlines()
    assert out[0].endswith(f"line {first}") and len(out) == len(log)
    s.run("dmesg -C")
    assert s.kernel.log == []


def test_an_init_that_sleeps_forever_is_given_up_on(tmp_path):
    """A real insmod whose init loops on msleep() never returns, and the
    kernel says nothing (each wake-up is a context switch, so
    kernel/hung_task.c check_hung_task() sees progress).  kmodsim stops
    waiting with a line of its own; the module stays as the real one does
    while its init runs: Loading, refcount 1, (OE+)."""
    (tmp_path / "sl.c").write_text('#include <linux/module.h>\n#include <linux/delay.h>\n'
                                   'MODULE_LICENSE("GPL");\nstatic int __init sl_init(void)\n'
                                   '{\n\tfor (;;)\n\t\tmsleep(1000);\n\treturn 0;\n}\n'
                                   'module_init(sl_init);\n')
    s = Session("6.1", cwd=tmp_path)
    r = s.run("insmod sl.ko")
    assert r.status == 124
    assert r.stderr.endswith("has slept in the kernel for 600 s without returning; "
                             "gave up waiting\n")
    proc = s.run("cat /proc/modules").stdout
    assert proc.startswith("sl ") and " 1 " in proc and "Loading" in proc and "(OE+)" in proc
