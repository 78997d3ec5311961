"""Fixtures: a Session on the real engine in a scratch folder of modules."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kmodgui.session import Session

REFERENCE_SRC = Path(__file__).parent.parent / "reference" / "src"

LOOP_C = r'''
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

static int __init loop_init(void)
{
	int i, sum = 0;

	for (i = 0; i < 300; i++)
		sum += i;
	printk(KERN_INFO "loop: sum %d\n", sum);
	return 0;
}

static void __exit loop_exit(void)
{
	printk(KERN_INFO "loop: bye\n");
}

module_init(loop_init);
module_exit(loop_exit);
MODULE_LICENSE("GPL");
'''

PARAM_C = r'''
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static int count = 1;
static char *who = "world";
module_param(count, int, 0444);
MODULE_PARM_DESC(count, "how many");
module_param(who, charp, 0444);

static int __init p_init(void) { printk(KERN_INFO "p: %s %d\n", who, count); return 0; }
static void __exit p_exit(void) { }
module_init(p_init);
module_exit(p_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("tests");
'''


@pytest.fixture
def moddir(tmp_path: Path) -> Path:
    for src in REFERENCE_SRC.glob("*.c"):
        shutil.copy(src, tmp_path / src.name)
    (tmp_path / "loop.c").write_text(LOOP_C)
    (tmp_path / "param.c").write_text(PARAM_C)
    (tmp_path / "broken.c").write_text("int x = ;\n")
    (tmp_path / "notelf.ko").write_bytes(b"x" * 44)
    (tmp_path / "empty.ko").write_bytes(b"")
    return tmp_path


@pytest.fixture
def session(moddir: Path) -> Session:
    return Session("6.1", cwd=moddir)


@pytest.fixture
def old(moddir: Path) -> Session:
    """The 2009 machine: 2.6.30 with module-init-tools 3.9."""
    return Session("2.6.30", cwd=moddir)


def run(s: Session, line: str) -> tuple[str, str, int]:
    r = s.run(line)
    return r.stdout, r.stderr, r.status
