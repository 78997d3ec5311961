"""kmod 30 (6.1 profile): insmod, rmmod, lsmod, modinfo wording and checks."""
from __future__ import annotations

from pathlib import Path

from conftest import run

from kmodgui.session import Session


def test_insmod_usage_errors(session: Session) -> None:
    assert run(session, "insmod") == ("", "insmod: ERROR: missing filename.\n", 1)
    assert run(session, "insmod -") == (
        "", "insmod: ERROR: this tool does not support loading from stdin!\n", 1)
    assert run(session, "insmod -x hi.ko") == ("", "insmod: invalid option -- 'x'\n", 1)
    out, _, status = run(session, "insmod -V")
    assert (out, status) == ("kmod version 30\n+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL\n", 0)


def test_insmod_missing_file_and_bare_name(session: Session) -> None:
    assert run(session, "insmod nope.ko") == (
        "", "insmod: ERROR: could not load module nope.ko: No such file or directory\n", 1)
    assert run(session, "insmod hi") == (
        "", "insmod: ERROR: could not load module hi: No such file or directory\n", 1)


def test_insmod_passes_parameters_joined_by_spaces(session: Session) -> None:
    """As on a real system, the shell eats the quotes: the kernel's
    parse_args() then sees `who=Big Mom count=3`; quotes must reach it."""
    assert run(session, 'insmod param.ko who="Big Mom" count=3') == ("", "", 0)
    assert run(session, "cat /sys/module/param/parameters/who") == ("Big\n", "", 0)
    assert session.kernel.log[-2].text == "param: unknown parameter 'Mom' ignored"
    run(session, "rmmod param")
    assert run(session, "insmod param.ko 'who=\"Big Mom\"' count=3") == ("", "", 0)
    assert session.kernel.log[-1].text == "p: Big Mom 3"


def test_insmod_options_may_follow_the_file_name(session: Session) -> None:
    """GNU getopt permutes: `insmod hi.ko -f` forces, as kmod's would."""
    assert run(session, "insmod hi.ko -f")[2] == 0
    assert "F" in run(session, "cat /sys/module/hi/taint")[0]


def test_insmod_non_module_files(session: Session) -> None:
    assert run(session, "insmod notelf.ko") == (
        "", "insmod: ERROR: could not insert module notelf.ko: Invalid module format\n", 1)
    assert run(session, "insmod empty.ko") == (
        "", "insmod: ERROR: could not insert module empty.ko: Invalid parameters\n", 1)


def test_insmod_of_a_module_that_does_not_build_shows_make(session: Session) -> None:
    r = session.run("insmod broken.ko")
    assert r.status == 2
    assert r.stdout.splitlines()[:3] == [
        f"make -C /lib/modules/6.1.0-56-amd64/build M={session.cwd} modules",
        "make[1]: Entering directory '/usr/src/linux-headers-6.1.0-56-amd64'",
        f"  CC [M]  {session.cwd}/broken.o"]          # kbuild names M= files absolutely
    assert r.stdout.endswith("make[1]: Leaving directory '/usr/src/linux-headers-6.1.0-56-amd64'\n")
    assert r.stderr.startswith(f"{session.cwd}/broken.c") and "error" in r.stderr
    # no Makefile: that of the usual form, its recipe on line 4
    assert r.stderr.endswith("make: *** [Makefile:4: all] Error 2\n")
    assert session.kernel.modules == {}


def test_rmmod_accepts_a_file_name_and_reports_unloaded(session: Session) -> None:
    run(session, "insmod hi.ko")
    assert run(session, "rmmod hi.ko") == ("", "", 0)
    assert run(session, "rmmod hi-x.ko") == (
        "", "rmmod: ERROR: Module hi_x is not currently loaded\n", 1)
    assert run(session, "rmmod") == ("", "rmmod: ERROR: missing module name.\n", 1)


def test_rmmod_wait_is_an_unhandled_option_in_kmod_30(session: Session) -> None:
    assert run(session, "rmmod -w hi") == (
        "", "rmmod: ERROR: unexpected getopt_long() value 'w'.\n", 1)


def test_rmmod_of_a_used_module_names_its_holders(session: Session, moddir: Path) -> None:
    (moddir / "Makefile").write_text("obj-m += expo.o user.o\n\nall:\n\tmake\n")
    samples = Path(__file__).parents[2] / "modules"
    for name in ("expo.c", "user.c"):
        (moddir / name).write_text((samples / name).read_text())
    assert run(session, "insmod expo.ko; insmod user.ko")[2] == 0
    assert run(session, "rmmod expo") == (
        "", "rmmod: ERROR: Module expo is in use by: user\n", 1)
    assert run(session, "rmmod -f expo") == (
        "", "rmmod: ERROR: ../libkmod/libkmod-module.c:856 kmod_module_remove_module() "
        "could not remove 'expo': Resource temporarily unavailable\n"
        "rmmod: ERROR: could not remove module expo: Resource temporarily unavailable\n", 1)


def test_rmmod_without_module_unloading(moddir: Path) -> None:
    s = Session("6.1", {"MODULE_UNLOAD": False}, moddir)
    run(s, "insmod hi.ko")
    assert run(s, "rmmod hi") == ("", "rmmod: ERROR: Module unloading is not supported\n", 1)
    out = run(s, "lsmod")[0].splitlines()
    assert out[1].startswith("hi                     ") and out[1].endswith("  -2")


def test_lsmod_columns_and_arguments(session: Session) -> None:
    run(session, "insmod hi.ko; insmod hi_noexit.ko")
    assert run(session, "lsmod") == (
        "Module                  Size  Used by\n"
        "hi_noexit              12288  0\n"
        "hi                     16384  0\n", "", 0)
    assert run(session, "lsmod hi") == ("", "lsmod: ERROR: too many arguments provided.\n", 1)


def test_lsmod_without_module_support(moddir: Path) -> None:
    s = Session("6.1", {"MODULES": False}, moddir)
    assert run(s, "lsmod") == ("", "lsmod: ERROR: could not open /proc/modules: No such file "
                               "or directory\nlsmod: ERROR: could not get list of modules: No "
                               "such file or directory\n", 1)
    assert run(s, "insmod hi.ko") == (
        "", "insmod: ERROR: could not insert module hi.ko: Function not implemented\n", 1)


def test_modinfo_fields_and_alignment(session: Session, moddir: Path) -> None:
    out, err, status = run(session, "modinfo param.ko")
    assert (err, status) == ("", 0)
    assert out.splitlines()[0] == f"filename:       {moddir}/param.ko"
    assert "author:         tests" in out.splitlines()
    assert out.splitlines()[-2:] == ["parm:           count:how many (int)",
                                     "parm:           who:charp"]
    assert run(session, "modinfo -F author param.ko") == ("tests\n", "", 0)
    assert run(session, "modinfo -n param.ko") == (f"{moddir}/param.ko\n", "", 0)
    assert run(session, "modinfo -p param.ko")[0] == "count:how many (int)\nwho: (charp)\n"
    assert run(session, "modinfo -0 -F license param.ko")[0] == "GPL\0"


def test_modinfo_names_and_bad_files(session: Session, moddir: Path) -> None:
    assert run(session, "modinfo hi") == ("", "modinfo: ERROR: Module hi not found.\n", 1)
    assert run(session, "modinfo") == ("", "modinfo: ERROR: missing module or filename.\n", 1)
    assert run(session, "modinfo notelf.ko") == (
        f"filename:       {moddir}/notelf.ko\n",
        "modinfo: ERROR: could not get modinfo from 'notelf': Exec format error\n", 1)
