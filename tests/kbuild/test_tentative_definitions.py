"""A tentative definition and the later definition are one object.

C11 6.9.2p2: `static int counter;` followed by `static int counter = 5;` in
one file declares a single object with internal linkage, so a function
compiled in between takes the address of the same object the initializer
fills (gcc-12 builds it and `&counter` is the same everywhere).  Two
initialisers are gcc's `error: redefinition of 'x'` (c-decl.cc
duplicate_decls(); recorded with the real kbuild on this machine).
"""
from __future__ import annotations

from pathlib import Path

from kmodgui.session import Session

TENT_C = r"""
#include <linux/module.h>
#include <linux/init.h>
MODULE_LICENSE("GPL");
static int counter;
static int *where(void) { return &counter; }
static int counter = 5;
int shared;
static int *where2(void) { return &shared; }
int shared = 9;
static int __init t_init(void)
{
	pr_info("same: %d %d value %d %d\n", where() == &counter, where2() == &shared,
		*where(), *where2());
	return 0;
}
static void __exit t_exit(void) { }
module_init(t_init);
module_exit(t_exit);
"""


def test_tentative_then_initialised_is_one_object(tmp_path: Path) -> None:
    (tmp_path / "tent.c").write_text(TENT_C)
    s = Session("6.1", cwd=tmp_path)
    assert s.run("insmod tent.ko").status == 0
    assert s.run("dmesg").stdout.splitlines()[-1].endswith("same: 1 1 value 5 9")


def test_two_initialisers_are_a_redefinition(tmp_path: Path) -> None:
    (tmp_path / "red.c").write_text('#include <linux/module.h>\nMODULE_LICENSE("GPL");\n'
                                    "static int x = 1;\nstatic int x = 2;\n")
    r = Session("6.1", cwd=tmp_path).run("insmod red.ko")
    assert r.status != 0
    assert "red.c:4:12: error: redefinition of 'x'" in r.stdout + r.stderr
