"""The lesson's register_this/that/those, printk, BUG/WARN and ERR_PTR helpers."""
from __future__ import annotations

import pytest

from kmodgui.kernel.events import ResourceProblem, ResourceReleased
from kmodgui.kernel.kapi import REGISTRY, bug, errptr, load_all, printk, skull
from kmodgui.kernel.kapi.bug import KernelBug
from tests.kernel.kapi_fake import setup

EBUSY = 16


def call(name: str, k, *args: int) -> int:
    return REGISTRY[name].impl(k, *args)


def test_register_unregister_in_reverse_order() -> None:
    kernel, k = setup(module="skull")
    name = kernel.cstring("skull")
    for kind in ("this", "that", "those"):
        assert call(f"register_{kind}", k, 0x1000, name) == 0
    for kind in ("those", "that", "this"):
        call(f"unregister_{kind}", k, 0x1000, name)
    released = [e for e in kernel.trace.events if isinstance(e, ResourceReleased)]
    assert [(e.kind, e.in_order) for e in released] == [
        ("those", True), ("that", True), ("this", True)]
    assert kernel.ledger.entries[0].name == 'this "skull"'


def test_forgotten_registration_blocks_the_next_load() -> None:
    kernel, k = setup(module="skull")
    name = kernel.cstring("skull")
    call("register_this", k, 0, name)
    again = kernel.kcall(kernel.load("skull_v2"))
    assert call("register_this", again, 0, name) == -EBUSY
    assert kernel.log[-1] == (3, "this: 'skull' is already registered (by skull)", None)
    assert call("register_that", again, 0, name) == 0     # another facility is free


def test_unregister_of_unknown_name() -> None:
    kernel, k = setup(module="skull")
    call("unregister_those", k, 0, kernel.cstring("skull"))
    assert kernel.log[-1] == (4, "those: unregister of unknown 'skull' ignored", None)
    problem, = [e for e in kernel.trace.events if isinstance(e, ResourceProblem)]
    assert problem.problem == "never-acquired"


def test_register_stuff_pair() -> None:
    kernel, k = setup(module="skull")
    name = kernel.cstring("skull")
    assert skull.register_stuff(k, 0, name) == 0
    assert skull.register_stuff(k, 0, name) == -EBUSY
    skull.unregister_stuff(k, 0, name)
    assert kernel.ledger.held_by("skull") == []


def test_every_declared_skull_function_is_registered() -> None:
    names = load_all()
    for kind in ("this", "that", "those", "stuff"):
        assert f"register_{kind}" in names and f"unregister_{kind}" in names
        assert names[f"register_{kind}"].fail == "errno"


# -- printk ------------------------------------------------------------------------
def test_printk_formats_and_attributes_the_module() -> None:
    kernel, k = setup()
    n = printk.printk(k, kernel.cstring("\x016hi: %d %s\n"), 42, kernel.cstring("there"))
    assert kernel.log == [(6, "hi: 42 there", "hi")]
    assert n == len(b"\x016hi: 42 there\n")


def test_printk_2630_prefix() -> None:
    kernel, k = setup("2.6.30")
    printk.printk(k, kernel.cstring("<1>Hello, world\n"))
    assert kernel.log == [(1, "Hello, world", "hi")]


# -- BUG / WARN ----------------------------------------------------------------------
def test_bug_raises_with_file_and_line() -> None:
    kernel, k = setup()
    with pytest.raises(KernelBug) as e:
        bug.__kmodsim_bug(k, kernel.cstring("/mods/hi.c"), 12)
    assert (e.value.where, e.value.func) == ("/mods/hi.c:12", "hi_init")


def test_warn_on_reports_only_when_true() -> None:
    kernel, k = setup()
    f = kernel.cstring("/mods/hi.c")
    assert bug.__kmodsim_warn_on(k, 0, f, 7) == 0
    assert k.warnings == []
    assert bug.__kmodsim_warn_on(k, 5, f, 7) == 1
    assert k.warnings == [("/mods/hi.c:7", "hi_init", None)]


def test_warn_on_once_and_warn_with_message() -> None:
    kernel, k = setup()
    f = kernel.cstring("/mods/hi.c")
    for _ in range(3):
        bug.__kmodsim_warn_on_once(k, 1, f, 9)
    assert len(k.warnings) == 1
    bug.__kmodsim_warn(k, 1, f, 11, kernel.cstring("bad value %d\n"), 3)
    assert k.warnings[-1] == ("/mods/hi.c:11", "hi_init", "bad value 3")


# -- ERR_PTR ---------------------------------------------------------------------------
def test_err_ptr_helpers() -> None:
    kernel, k = setup()
    p = errptr.ERR_PTR(k, -12)
    assert p == 2**64 - 12
    assert errptr.IS_ERR(k, p) == 1 and errptr.PTR_ERR(k, p) == -12
    assert errptr.IS_ERR(k, 0xFFFF888000001000) == 0
    assert errptr.IS_ERR_OR_NULL(k, 0) == 1
    assert errptr.IS_ERR(k, 2**64 - 4095) == 1 and errptr.IS_ERR(k, 2**64 - 4096) == 0
    assert errptr.PTR_ERR_OR_ZERO(k, 0x1000) == 0
