"""atomic_t / atomic64_t and the bit operations (include/linux/atomic.h,
arch/x86/include/asm/atomic.h, asm-generic/bitops/generic-non-atomic.h):
atomic_cmpxchg() returns the old value and stores only on a match;
*_and_test() is true when the result is zero; test_and_set_bit() returns
the bit's old value; bit nr is bit nr % 64 of word nr / 64.  The sample
counters.c builds without warnings under the real 6.1 kbuild."""
from __future__ import annotations

import shutil
from pathlib import Path

from kmodgui.kbuild import build
from kmodgui.kernel.kernel import Kernel
from kmodgui.kernel.profile import load_profile
from tests.engine_helpers import CONFIG_61, load

MODULES = Path(__file__).resolve().parents[2] / "kmodgui" / "modules"


def test_counters_sample(tmp_path: Path) -> None:
    shutil.copy(MODULES / "counters.c", tmp_path)
    res = build(tmp_path, "counters", load_profile("6.1"), dict(CONFIG_61))
    assert res.ok, res.output
    k = Kernel(load_profile("6.1"), dict(CONFIG_61))
    assert k.init_module(res.ko, "") == 0
    lines = [r.text for r in k.log][-3:]
    assert lines == [
        "counters: opens=10 (was 5) bytes=1099511627776",
        "counters: slot 3 1, slot 4 0, slot 100 1, taken again 1",
        "counters: dec_and_test 1",
    ]


def test_cmpxchg_mismatch_and_xchg(tmp_path: Path) -> None:
    src = """
static atomic_t a = ATOMIC_INIT(7);
static int __init t_init(void)
{
	int r1 = atomic_cmpxchg(&a, 6, 1);
	int r2 = atomic_xchg(&a, 3);
	int r3 = atomic_dec_return(&a);
	pr_info("%d %d %d %d %d\\n", r1, r2, r3, atomic_read(&a), atomic_add_negative(-3, &a));
	return 0;
}
module_init(t_init);
"""
    _, ret, lines = load(tmp_path, src)
    assert ret == 0
    assert lines[-1] == "7 7 2 2 1"


def test_bit_ops_across_words(tmp_path: Path) -> None:
    src = """
static unsigned long w[2];
static int __init t_init(void)
{
	set_bit(65, w);
	change_bit(0, w);
	change_bit(0, w);
	pr_info("%lx %lx %d %d\\n", w[0], w[1], test_and_clear_bit(65, w), test_bit(65, w));
	return 0;
}
module_init(t_init);
"""
    _, ret, lines = load(tmp_path, src)
    assert ret == 0
    assert lines[-1] == "0 2 1 0"
