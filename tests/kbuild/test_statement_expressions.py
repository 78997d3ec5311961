"""GNU statement expressions, `({ ...; expr; })` (gcc manual, "Statements
and Declarations in Expressions"): the statements run in a scope of their
own, the value is that of the last expression statement; the kernel's
headers build wait_event_timeout() and the like from them."""
from __future__ import annotations

from pathlib import Path

from kmodgui.session import Session

SRC = """#include <linux/module.h>
MODULE_LICENSE("GPL");
static int __init se_init(void)
{
	int x = 100;
	int a = ({ int x = 3; int i; for (i = 0; i < 4; i++) { if (i == 2) break; x += i; } x * 2; });
	pr_info("se %d %d\\n", a, x);
	({ x++; });
	pr_info("se %d\\n", x);
	return 0;
}
module_init(se_init);
"""


def test_the_value_is_the_last_expression_and_the_scope_is_its_own(tmp_path: Path) -> None:
    (tmp_path / "se.c").write_text(SRC)
    s = Session("6.1", cwd=tmp_path)
    assert s.run("insmod se.ko").status == 0
    out = s.run("dmesg").stdout
    assert "se 8 100" in out        # (3 + 0 + 1) * 2; the outer x untouched
    assert "se 101" in out          # a statement expression as a statement
