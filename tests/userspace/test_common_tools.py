"""dmesg, cat, echo, ls, make, kconfig, inject, help."""
from __future__ import annotations

from pathlib import Path

from conftest import run

from kmodgui.session import Session


def _log_one(session: Session) -> None:
    session.kernel.clear_log()
    run(session, "insmod hi.ko")


def test_dmesg_formats(session: Session) -> None:
    _log_one(session)
    plain = run(session, "dmesg")[0].splitlines()
    assert plain[-1].endswith("] hi module being loaded.") and plain[-1].startswith("[    ")
    assert run(session, "dmesg -r")[0].splitlines()[-1].startswith("<6>[    ")
    assert run(session, "dmesg -t")[0].splitlines()[-1] == "hi module being loaded."
    decoded = run(session, "dmesg -x")[0].splitlines()
    assert decoded[0].startswith("kern  :warn  : [    ")
    assert decoded[-1].startswith("kern  :info  : [    ")
    assert run(session, "dmesg -t -l warn,notice")[0] == (
        "hi: loading out-of-tree module taints kernel.\n"
        "hi: module verification failed: signature and/or required key missing"
        " - tainting kernel\n")


def test_dmesg_clear_and_errors(session: Session) -> None:
    _log_one(session)
    assert run(session, "dmesg -C") == ("", "", 0)
    assert run(session, "dmesg") == ("", "", 0)
    assert run(session, "dmesg -l bogus") == ("", "dmesg: unknown level 'bogus'\n", 1)
    assert run(session, "dmesg -q") == (
        "", "dmesg: invalid option -- 'q'\nTry 'dmesg --help' for more information.\n", 1)
    assert run(session, "dmesg -n 1") == ("", "", 0)
    assert session.console_loglevel == 1


def test_dmesg_2009_has_no_level_filter(old: Session) -> None:
    assert run(old, "dmesg -x") == (
        "", "dmesg: invalid option -- 'x'\nUsage: dmesg [-c] [-n level] [-r] [-s bufsize]\n", 1)


def test_read_clear_empties_the_buffer(session: Session) -> None:
    _log_one(session)
    assert "hi module being loaded." in run(session, "dmesg -c")[0]
    assert run(session, "dmesg") == ("", "", 0)


def test_cat_echo_ls(session: Session, moddir: Path) -> None:
    assert run(session, "cat /proc/modules nope") == (
        "", "cat: nope: No such file or directory\n", 1)
    assert run(session, "cat /etc/passwd")[2] == 1           # outside the folder
    assert run(session, "cat ../x")[2] == 1
    assert run(session, "cat hi.c")[0] == (moddir / "hi.c").read_text()
    assert run(session, "echo -n a b") == ("a b", "", 0)
    assert run(session, r"echo -e 'a\tb'") == ("a\tb\n", "", 0)
    run(session, "insmod hi.ko")
    listing = run(session, "ls")[0].splitlines()
    assert "hi.c" in listing and "hi.ko" in listing and "loop.ko" not in listing
    assert "hi" in run(session, "ls /sys/module")[0].splitlines()
    assert run(session, "uname -r") == ("6.1.0-56-amd64\n", "", 0)


def test_make_needs_a_makefile(session: Session, moddir: Path) -> None:
    assert run(session, "make") == (
        "", "make: *** No targets specified and no makefile found.  Stop.\n", 2)
    (moddir / "Makefile").write_text("obj-m += hi.o\nobj-m += loop.o\n\nall:\n\tmake\n")
    out, err, status = run(session, "make")
    # the headers have no vmlinux to take BTF from (recorded: tests/kbuild/real/)
    assert (err, status) == (
        f"Skipping BTF generation for {moddir}/hi.ko due to unavailability of vmlinux\n"
        f"Skipping BTF generation for {moddir}/loop.ko due to unavailability of vmlinux\n", 0)
    assert f"  CC [M]  {moddir}/hi.o" in out and f"  LD [M]  {moddir}/loop.ko" in out
    again = run(session, "make hi.ko")[0].splitlines()
    assert len(again) == 3                              # up to date: nothing built
    assert run(session, "make nope.ko") == (
        "", "make: *** No rule to make target 'nope.ko'.  Stop.\n", 2)


def test_make_failure_ends_with_the_makefiles_rule(session: Session, moddir: Path) -> None:
    (moddir / "Makefile").write_text("obj-m += broken.o\n\n\nmodules:\n\tmake\n")
    out, err, status = run(session, "make")
    assert status == 2
    # GNU make names the line of the recipe that failed (recorded on Debian 12:
    # tests/kbuild/real/broken/*.stderr, rule "all:" on line 3, recipe on 4)
    assert err.splitlines()[-1] == "make: *** [Makefile:5: modules] Error 2"


def test_kconfig_tool(session: Session) -> None:
    menu = run(session, "kconfig")[0]
    assert "[*]     Forced module unloading\n" in menu
    assert "CONFIG_MODULE_SIG=y\n" in run(session, "kconfig list")[0]
    assert run(session, "kconfig help MODULE_UNLOAD")[0].startswith(
        "Module unloading\n  Symbol: MODULE_UNLOAD\n  Depends on: MODULES\n")
    out, err, status = run(session, "kconfig MODULE_UNLOAD=n MODULE_FORCE_UNLOAD=y")
    assert status == 0
    assert err == "kconfig: MODULE_FORCE_UNLOAD stays n: it depends on MODULE_UNLOAD\n"
    assert out == "CONFIG_MODULE_UNLOAD=n\nCONFIG_MODULE_FORCE_UNLOAD=n\n"
    assert session.kernel.config["MODULE_UNLOAD"] is False
    assert run(session, "kconfig FOO=y") == ("", "kconfig: unknown config symbol 'FOO'\n", 1)
    assert run(session, "kconfig MODULES=m")[2] == 1


def test_inject_tool(session: Session) -> None:
    assert run(session, "inject kmalloc") == (
        "inject: call #1 of kmalloc() fails with ENOMEM\n", "", 0)
    assert run(session, "inject nth 2 EIO") == (
        "inject: call #2 of any failable call fails with EIO\n", "", 0)
    assert run(session, "inject nth 3")[0] == (
        "inject: call #3 of any failable call fails with ENOMEM\n")
    assert run(session, "inject list")[0].count("\n") == 3
    assert run(session, "inject clear") == ("", "", 0)
    assert run(session, "inject list") == ("", "", 0)
    assert run(session, "inject nosuchfunc")[1] == (
        "inject: no kernel function 'nosuchfunc' in this simulator\n")
    assert run(session, "inject printk")[1] == "inject: printk() cannot be made to fail\n"
    assert run(session, "inject kmalloc EBOGUS")[2] == 1
    assert run(session, "inject nth")[2] == 1


def test_help_lists_every_command(session: Session) -> None:
    out = run(session, "help")[0]
    for cmd in ("insmod", "rmmod", "lsmod", "modinfo", "dmesg", "cat", "make",
                "kconfig", "inject", "reboot", "profile"):
        assert f"\n{cmd} " in "\n" + out
