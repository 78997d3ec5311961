"""The unwind audit finds exactly the planted bug in each buggy sample."""
from __future__ import annotations

import pytest

from kmodgui import SAMPLES_DIR
from kmodgui.audit import audit


@pytest.mark.parametrize("name", ["skull", "skull_cleanup", "hi", "hellop"])
def test_clean_samples_audit_clean(name):
    rep = audit(SAMPLES_DIR, name)
    assert rep.clean, [r for r in rep.runs if not r.clean] + rep.findings


def test_skull_has_one_fault_point_per_registration():
    rep = audit(SAMPLES_DIR, "skull")
    assert [r.api for r in rep.runs[1:]] == ["register_this", "register_that",
                                            "register_those"]
    assert all(r.init_ret == -16 and r.next_insmod == 0 for r in rep.runs[1:])


def test_skull_leaky_leaks_that_when_those_fails():
    rep = audit(SAMPLES_DIR, "skull_leaky")
    bad = [r for r in rep.runs if not r.clean]
    assert [r.api for r in bad] == ["register_those"]
    assert len(bad[0].leaks) == 1 and bad[0].leaks[0].startswith("that ")
    assert bad[0].next_insmod == -16            # the leftover name blocks the module
    assert not rep.findings


def test_skull_wrong_order_is_found_in_exit():
    rep = audit(SAMPLES_DIR, "skull_wrong_order")
    bad = [r for r in rep.runs if not r.clean]
    assert [r.point for r in bad] == [0]
    assert bad[0].out_of_order and not bad[0].leaks
    assert [f.check for f in rep.findings] == ["exit-order"]


def test_skull_double_releases_twice_on_one_path():
    rep = audit(SAMPLES_DIR, "skull_double")
    bad = [r for r in rep.runs if not r.clean]
    assert len(bad) == 1 and bad[0].double and not bad[0].leaks


def test_static_findings_permanent_and_positive_return():
    assert [f.check for f in audit(SAMPLES_DIR, "hi_permanent").findings] == ["permanent"]
    f = audit(SAMPLES_DIR, "hi_42").findings
    assert [x.check for x in f] == ["positive-return"] and f[0].line == 11


def test_ladder_order_is_checked(tmp_path):
    (tmp_path / "ladder.c").write_text("""#include <linux/module.h>
#include <linux/skull.h>
MODULE_LICENSE("GPL");
static int a, b;
static int __init ladder_init(void)
{
	int err = register_this(&a, "ladder");
	if (err)
		goto fail_this;
	err = register_that(&b, "ladder");
	if (err)
		goto fail_that;
	return 0;
fail_this:
	return err;
fail_that:
	unregister_this(&a, "ladder");
	return err;
}
static void __exit ladder_exit(void)
{
	unregister_that(&b, "ladder");
	unregister_this(&a, "ladder");
}
module_init(ladder_init);
module_exit(ladder_exit);
""")
    rep = audit(tmp_path, "ladder")
    assert [f.check for f in rep.findings] == ["ladder-order"]
