"""module-init-tools 3.9 (2.6.30 profile): the 2009 wording and parsing."""
from __future__ import annotations

from pathlib import Path

from conftest import run

from kmodgui.session import Session


def test_insmod_2009_errors(old: Session) -> None:
    assert run(old, "insmod") == ("", "Usage: insmod filename [args]\n", 1)
    assert run(old, "insmod nope.ko") == (
        "", "insmod: can't read 'nope.ko': No such file or directory\n", 1)
    assert run(old, "insmod hi_eperm.ko") == (
        "", "insmod: error inserting 'hi_eperm.ko': -1 Operation not permitted\n", 1)
    assert run(old, "insmod hi_eio.ko") == (
        "", "insmod: error inserting 'hi_eio.ko': -1 Input/output error\n", 1)
    assert run(old, "insmod -V") == ("module-init-tools version 3.9\n", "", 0)


def test_insmod_ignores_old_options_and_cannot_force(old: Session) -> None:
    assert run(old, "insmod -f -s hi.ko") == ("", "", 0)
    assert "F" not in run(old, "cat /sys/module/hi/taint")[0]
    assert run(old, "insmod hi.ko") == (
        "", "insmod: error inserting 'hi.ko': -1 File exists\n", 1)


def test_rmmod_2009_messages(old: Session) -> None:
    out, err, status = run(old, "rmmod")
    assert status == 1 and out == ""
    assert err.startswith("no module names given\nUsage: rmmod [-fhswvV] modulename ...\n")
    assert run(old, "rmmod hi") == ("", "ERROR: Module hi does not exist in /proc/modules\n", 1)
    run(old, "insmod hi_noexit.ko")
    assert run(old, "rmmod hi_noexit") == (
        "", "ERROR: Removing 'hi_noexit': Device or resource busy\n", 1)
    assert run(old, "rmmod -v -f hi_noexit.ko") == ("", "rmmod hi_noexit, wait=no force\n", 0)


def test_rmmod_names_the_user_of_a_module(old: Session, moddir: Path) -> None:
    (moddir / "Makefile").write_text("obj-m += expo.o user.o\n")
    samples = Path(__file__).parents[2] / "modules"
    for name in ("expo.c", "user.c"):
        (moddir / name).write_text((samples / name).read_text())
    run(old, "insmod expo.ko; insmod user.ko")
    assert run(old, "rmmod expo") == ("", "ERROR: Module expo is in use by user\n", 1)


def test_rmmod_without_unload_support(moddir: Path) -> None:
    s = Session("2.6.30", {"MODULE_UNLOAD": False}, moddir)
    run(s, "insmod hi.ko")
    assert run(s, "cat /proc/modules")[0].startswith("hi ")
    assert run(s, "rmmod hi") == ("", "FATAL: Kernel does not have unload support.\n", 1)
    assert run(s, "rmmod -f hi") == ("", "ERROR: Removing 'hi': Function not implemented\n", 1)


def test_lsmod_2009_shows_permanent_and_trailing_blank(old: Session) -> None:
    run(old, "insmod hi.ko; insmod hi_noexit.ko")
    lines = run(old, "lsmod")[0].splitlines()
    assert lines[0] == "Module                  Size  Used by"
    assert lines[1].startswith("hi_noexit ") and lines[1].endswith("  0 [permanent]")
    assert lines[2].startswith("hi        ") and lines[2].endswith("  0 ")
    assert len(lines[1]) == len(lines[2]) + len("[permanent]")
    assert run(old, "lsmod -x") == ("", "Usage: lsmod\n", 1)


def test_modinfo_2009(old: Session) -> None:
    out = run(old, "modinfo param.ko")[0].splitlines()
    assert out[0] == "filename:       param.ko"
    assert out[-2:] == ["parm:           count:how many (int)", "parm:           who:charp"]
    assert run(old, "modinfo hi") == ("", "modinfo: could not find module hi\n", 1)
    assert run(old, "modinfo nope.ko") == (
        "", "modinfo: could not open nope.ko: No such file or directory\n", 1)
    assert run(old, "modinfo notelf.ko") == ("", "", 0)
    assert run(old, "modinfo -F license param.ko") == ("GPL\n", "", 0)
