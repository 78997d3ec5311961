"""x86's divide error (#DE) and vsprintf's %n warning, as the real 6.1 kernel
prints them.

Ground truth: tests/kernel/data/hung/real-arith.txt, recorded on Debian's
6.1.0-56-amd64 with `kmodsim record --real` from the sources beside it:
  * `INT_MIN / -1`, `INT_MIN % -1` and `7 / 0` at run time: idiv raises #DE;
    exc_divide_error() -> do_error_trap() -> die() prints "divide error: 0000
    [#N] PREEMPT SMP NOPTI", the oops body, and after the end marker the
    first oops' registers again (x86 oops_end()'s executive summary); insmod
    dies of SIGSEGV ("Segmentation fault", 139), the module stays Loading;
    taint D.  oops_enter() switched lock debugging off quietly, so no
    "Disabling lock debugging" line.
  * `%n`: lib/vsprintf.c format_decode() WARN_ONCE("Please remove
    unsupported %n in format string"), output stops there (FORMAT_TYPE_INVALID),
    nothing is stored through the pointer; taint W after the dump; the
    second load prints no warning.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kmodgui.session import Session
from tests.kernel.test_hung_task import norm_proc, real, real_dmesg, real_state, sim_dmesg

DATA = Path(__file__).parent / "data" / "hung"


@pytest.fixture
def session(tmp_path: Path) -> Session:
    for src in DATA.glob("*.c"):
        shutil.copy(src, tmp_path / src.name)
    return Session("6.1", cwd=tmp_path)


def step_dmesg(steps, command: str, nth: int = 0) -> list[str]:
    found = [st for st in steps if st.cmd == command][nth]
    return next(lines for cmd, lines in found.checks if cmd == "dmesg -r -c")


def essentials(lines: list[str]) -> list[str]:
    """What a reader relies on: levels and text without timestamps, register
    values, offsets, '? ' frames and the lines the simulator does not draw
    (Code:, FS/CS/CR2 of the kernel context)."""
    out = []
    for line in lines:
        level, text = re.match(r"^(<\d>)\[ *[\d.]+\] (.*)$", line).groups()
        if text.lstrip().startswith("? ") or re.match(r"^(Code|FS|CS|CR2): ", text) \
                or re.match(r"^R(?!IP)[A-Z0-9]+: ", text):
            continue
        text = re.sub(r"\+0x[0-9a-f]+/0x[0-9a-f]+", "+X", text)
        text = re.sub(r"^RIP: 0033:0x[0-9a-f]+", "RIP: 0033:N", text)
        text = re.sub(r"\b(PID|pid):? \d+", r"\1 N", text)
        out.append(level + text)
    return out


def test_int_min_divided_by_minus_one_is_a_divide_error(session):
    steps = real("real-arith.txt")
    want = essentials(step_dmesg(steps, "insmod div_intmin.ko"))
    r = session.run("insmod div_intmin.ko")
    assert (r.status, r.stderr) == (139, "Segmentation fault\n")
    assert [st.exit for st in steps if st.cmd == "insmod div_intmin.ko"] == [139]
    got = essentials(sim_dmesg(session))
    assert got == want
    assert "<4>divide error: 0000 [#1] PREEMPT SMP NOPTI" in got
    assert not any("Disabling lock debugging" in x for x in got)
    assert session.run("cat /proc/sys/kernel/tainted").stdout.strip() == "12416"
    assert [norm_proc(x) for x in session.run("cat /proc/modules").stdout.splitlines()] == \
        [norm_proc(x) for x in real_state(steps[:2], "cat /proc/modules")]


def test_remainder_and_zero_divisor_too_with_the_first_oops_summary(session):
    """The second and third oops end with the FIRST oops' RIP and registers."""
    steps = real("real-arith.txt")
    for ko in ("div_intmin.ko", "mod_intmin.ko", "div_zero.ko"):
        r = session.run(f"insmod {ko}")
        assert (r.status, r.stderr) == (139, "Segmentation fault\n")
    want = essentials(real_dmesg(steps[:4]))
    got = essentials(sim_dmesg(session))
    assert got == want
    tail = got[got.index("<4>divide error: 0000 [#3] PREEMPT SMP NOPTI"):]
    assert tail[-1] == "<4>RIP: 0010:div_intmin_init+X [div_intmin]"
    assert [x for x in tail if x.startswith("<4>RIP: 0010:")] == \
        ["<4>RIP: 0010:div_zero_init+X [div_zero]", "<4>RIP: 0010:div_intmin_init+X [div_intmin]"]


def test_constant_int_min_over_minus_one_is_folded_as_gcc_does(tmp_path):
    """gcc folds a constant INT_MIN / -1 (wrapping, -Woverflow): no trap."""
    (tmp_path / "fold.c").write_text(
        '#include <linux/module.h>\n#include <linux/limits.h>\nMODULE_LICENSE("GPL");\n'
        'static int __init fold_init(void)\n{\n\tpr_info("fold: %d\\n", INT_MIN / -1);\n'
        '\treturn 0;\n}\nstatic void __exit fold_exit(void) { }\n'
        'module_init(fold_init);\nmodule_exit(fold_exit);\n')
    s = Session("6.1", cwd=tmp_path)
    assert s.run("insmod fold.ko").status == 0
    assert "fold: -2147483648" in s.run("dmesg").stdout


def test_percent_n_warns_once_and_prints_nothing_for_it(session):
    steps = real("real-arith.txt")
    first = essentials(step_dmesg(steps, "insmod percent_n.ko", 0))
    second = essentials(step_dmesg(steps, "insmod percent_n.ko", 1))
    assert session.run("insmod percent_n.ko").status == 0
    got = [x for x in essentials(sim_dmesg(session)) if "module verification" not in x
           and "out-of-tree" not in x]
    # the real boot had oopsed before: its Tainted: and Modules linked in: differ
    same = [re.sub(r"Tainted: .*? 6\.1", "Tainted: T 6.1", x) for x in got]
    want = [re.sub(r"Tainted: .*? 6\.1", "Tainted: T 6.1", x) for x in first]
    want = [re.sub(r"Modules linked in: .*", "Modules linked in: percent_n(OE+)", x)
            for x in want]
    assert same == want
    assert "<4>Please remove unsupported %n in format string" in got
    assert got[-3:] == ["<6>percent_n: a", "<6>percent_n: again", "<6>percent_n: n=0"]
    assert session.run("cat /proc/sys/kernel/tainted").stdout.strip() == str(12288 + 512)
    session.run("rmmod percent_n")
    session.run("dmesg -C")
    assert session.run("insmod percent_n.ko").status == 0
    assert essentials(sim_dmesg(session)) == second


@pytest.mark.parametrize("which,trap,value", [
    (0, True, None),          # LONG_MIN / -1: idiv r64
    (1, True, None),          # x /= -1 with x == INT_MIN
    (2, True, None),          # x %= -1: the same idiv
    (3, False, "0"),          # unsigned: div, 0x80000000 / 0xffffffff
    (4, False, "32768"),      # short operands are promoted to int first
    (5, True, None),          # LONG_MIN % -1
])
def test_which_divisions_trap(session, which, trap, value):
    """Intel SDM, IDIV: #DE when the quotient does not fit the destination;
    DIV (unsigned) only for a zero divisor.  C's usual arithmetic
    conversions decide which instruction gcc emits."""
    r = session.run(f"insmod div_kinds.ko which={which}")
    dmesg = session.run("dmesg").stdout
    if trap:
        assert (r.status, r.stderr) == (139, "Segmentation fault\n")
        assert "divide error: 0000 [#1] PREEMPT SMP NOPTI" in dmesg
    else:
        assert r.status == 0 and f"div_kinds: {value}\n" in dmesg


def test_percent_n_stores_the_count_on_2_6_30(tmp_path):
    """2.6.30 lib/vsprintf.c vsnprintf(), case FORMAT_TYPE_NRCHARS: `*ip =
    (str - buf)`, the bytes formatted so far (the "<6>" of KERN_INFO is part
    of printk's format then), and the output goes on; no warning."""
    shutil.copy(DATA / "percent_n.c", tmp_path / "percent_n.c")
    s = Session("2.6.30", cwd=tmp_path)
    assert s.run("insmod percent_n.ko").status == 0
    lines = [x.split("] ", 1)[1] for x in s.run("dmesg").stdout.splitlines()]
    assert lines[-3:] == ["percent_n: ab", "percent_n: again!",
                          f"percent_n: n={len('<6>percent_n: again')}"]
    assert not any("Please remove" in x for x in lines)
