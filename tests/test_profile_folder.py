"""Adding a kernel version is adding a folder: a copy of the 6.1 profile under
another version, found through KMODGUI_PROFILES, with no code change."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kmodgui import PROFILES_DIR, cli
from kmodgui.kernel import profile
from tests.test_cli import moddir  # noqa: F401  (fixture)

NEW = "5.10.0"


@pytest.fixture
def extra_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "profiles"
    shutil.copytree(PROFILES_DIR / "6.1", root / NEW)
    toml = root / NEW / "kernel.toml"
    text = toml.read_text()
    for old, new in (('release = "6.1.0-56-amd64"', f'release = "{NEW}"'),
                     ("version = [6, 1, 192]", "version = [5, 10, 0]"),
                     ('title = "Linux 6.1  (Debian 12, kmod 30)"', f'title = "Linux {NEW} test"')):
        assert old in text
        text = text.replace(old, new)
    toml.write_text(text)
    monkeypatch.setenv("KMODGUI_PROFILES", str(root))
    return root


def test_found_by_the_profile_list(extra_profile: Path) -> None:
    assert profile.available() == ["6.1", NEW, "2.6.30"]
    p = profile.load_profile(NEW)
    assert p.version == (5, 10, 0) and p.title == f"Linux {NEW} test"


def test_kmodsim_profile_option_and_help(extra_profile: Path,
                                         capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert f"{NEW}: Linux {NEW} test" in capsys.readouterr().out
    assert cli.main(["-c", "profile"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        cli.main(["--profile", "5.4", "-c", "profile"])
    assert NEW in capsys.readouterr().err          # argparse lists the choices
    assert cli.main(["--profile", NEW, "-c", "profile; uname -r"]) == 0
    assert capsys.readouterr().out == f"{NEW} ({NEW})\n{NEW}\n"


def _run(profile_name: str, folder: Path, capsys: pytest.CaptureFixture) -> tuple[str, str]:
    cli.main(["--profile", profile_name, "-C", str(folder), "-c",
              "insmod hi_eperm.ko; insmod hi_42.ko; insmod hi.ko; rmmod hi; "
              "dmesg; lsmod"])
    out, err = capsys.readouterr()
    return out.replace(NEW, "RELEASE").replace("6.1.0-56-amd64", "RELEASE"), err


def test_behaves_like_6_1_where_its_switches_say_so(extra_profile: Path, moddir: Path,  # noqa: F811
                                                   capsys: pytest.CaptureFixture) -> None:
    # the copy's switches are 6.1's, so everything but the release string is the same
    assert _run(NEW, moddir, capsys) == _run("6.1", moddir, capsys)
    assert _run(NEW, moddir, capsys) != _run("2.6.30", moddir, capsys)


def test_run_prints_a_stack_dump(extra_profile: Path, moddir: Path,  # noqa: F811
                                 capsys: pytest.CaptureFixture) -> None:
    out, err = _run(NEW, moddir, capsys)
    assert "suspiciously returned 42" in out and "Call Trace:" in out and " <TASK>" in out
