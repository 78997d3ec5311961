"""kmodsim, the command line face."""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kmodgui import cli

REFERENCE_SRC = Path(__file__).parent / "reference" / "src"


@pytest.fixture
def moddir(tmp_path: Path) -> Path:
    for src in REFERENCE_SRC.glob("*.c"):
        shutil.copy(src, tmp_path / src.name)
    return tmp_path


def test_commands_echo_and_exit_status(moddir: Path, capsys: pytest.CaptureFixture) -> None:
    status = cli.main(["-C", str(moddir), "--echo", "-c",
                       "insmod hi_eperm.ko\necho $?\nrmmod hi_eperm"])
    out, err = capsys.readouterr()
    assert out == "# insmod hi_eperm.ko\n# echo $?\n1\n# rmmod hi_eperm\n"
    assert err == ("insmod: ERROR: could not insert module hi_eperm.ko: Operation not permitted\n"
                   "rmmod: ERROR: Module hi_eperm is not currently loaded\n")
    assert status == 1


def test_profile_and_config_options(moddir: Path, capsys: pytest.CaptureFixture) -> None:
    status = cli.main(["--profile", "2.6.30", "--config", "MODULE_FORCE_UNLOAD=n",
                       "-C", str(moddir), "-c",
                       "kconfig list; insmod hi_noexit.ko; rmmod -f hi_noexit"])
    out, err = capsys.readouterr()
    assert "# CONFIG_MODULE_FORCE_UNLOAD is not set\n" in out
    assert err == "ERROR: Removing 'hi_noexit': Device or resource busy\n"
    assert status == 1


@pytest.mark.parametrize("args,message", [
    (["--config", "NOPE=y", "-c", "true"], "kmodsim: unknown config symbol 'NOPE'\n"),
    (["--config", "MODULES", "-c", "true"],
     "kmodsim: --config expects SYMBOL=y or SYMBOL=n, not 'MODULES'\n"),
    (["-C", "/nonexistent/folder", "-c", "true"], "kmodsim: /nonexistent/folder: not a folder\n"),
])
def test_bad_options(args: list[str], message: str, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(args) == 2
    assert capsys.readouterr().err == message


def test_script_file_skips_comments(moddir: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture) -> None:
    script = tmp_path / "s.kmodsim"
    script.write_text("# a comment\n\ninsmod hi.ko\nlsmod\n")
    assert cli.main(["-C", str(moddir), str(script)]) == 0
    assert capsys.readouterr().out == (
        "Module                  Size  Used by\nhi                     16384  0\n")


def test_reads_commands_from_stdin(moddir: Path, capsys: pytest.CaptureFixture,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("insmod hi.ko\nfalse\n"))
    assert cli.main(["-C", str(moddir)]) == 1
    assert capsys.readouterr().out == ""          # no prompt: stdin is not a terminal


def test_kmodsim_runs_as_a_program(moddir: Path) -> None:
    p = subprocess.run([sys.executable, "-m", "kmodgui.cli", "-C", str(moddir), "-c",
                        "insmod hi.ko; cat /proc/sys/kernel/tainted; insmod hi.ko"],
                       capture_output=True, text=True, timeout=120)
    assert (p.stdout, p.returncode) == ("12288\n", 1)
    assert p.stderr == "insmod: ERROR: could not insert module hi.ko: File exists\n"
    assert "Traceback" not in p.stderr


def test_kmodsim_lesson_runs_a_lesson_and_grades_it(tmp_path, capsys, monkeypatch):
    """`kmodsim lesson FILE [--module STUDENT.c]`: 0 when every step holds."""
    from kmodgui import LESSONS_DIR, SAMPLES_DIR
    monkeypatch.setenv("KMODGUI_MODULES_DIR", str(tmp_path / "kmodgui-modules"))
    from kmodgui.cli import main
    lesson = sorted(LESSONS_DIR.glob("02-*.toml"))[0]
    assert main(["lesson", str(lesson)]) == 0
    student = tmp_path / "hi.c"
    student.write_text((SAMPLES_DIR / "hi.c").read_text())
    assert main(["lesson", str(lesson), "--module", str(student)]) == 1   # still returns 0
    assert "step 1" in capsys.readouterr().out
