"""The package as a user installs it: build the wheel from a copy of the
checkout, install it into a fresh venv, and run both programs from a folder
that is not the checkout.

The fresh venv gets kmodgui only from the wheel; its third-party
dependencies come from the interpreter running the tests (a .pth line to its
site-packages), so no download of PySide6 is needed.  Building uses pip's
isolated build environment (setuptools from the package index)."""
from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import pytest

from kmodgui import RESOURCES, SAMPLES_DIR

ROOT = Path(__file__).resolve().parents[2]
#: what setuptools prints when the packaging metadata is off
SETUPTOOLS_WARNING = re.compile(r"SetuptoolsDeprecationWarning|_Warning:|is absent from the "
                                r"`packages`|License classifiers are deprecated")


def _copy_checkout(dest: Path) -> Path:
    ignore = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", ".venv",
                                    "__pycache__", ".pytest_cache", ".hypothesis", "tests")
    shutil.copytree(ROOT, dest, symlinks=True, ignore=ignore)
    return dest


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("pkg")
    src = _copy_checkout(base / "src")
    wheels = base / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps",
                            "-w", str(wheels), "-v"], capture_output=True, text=True,
                           timeout=900)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    warnings = [ln for ln in (build.stdout + build.stderr).splitlines()
                if SETUPTOOLS_WARNING.search(ln)]
    assert warnings == []
    (wheel,) = wheels.glob("kmodgui-*.whl")
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig."
                              "get_paths()['purelib'])"], capture_output=True, text=True,
                             check=True).stdout.strip()
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "test-deps.pth").write_text("".join(f"{d}\n" for d in sorted(deps)))
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, timeout=600)
    return env_dir


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def test_kmodsim_from_the_wheel_runs_a_copied_sample(installed: Path, tmp_path: Path) -> None:
    shutil.copy(SAMPLES_DIR / "hi.c", tmp_path / "hi.c")
    where = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import kmodgui; print(kmodgui.__file__)"], cwd=tmp_path,
                           env=_env(), capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(installed))       # not the checkout
    line = "insmod hi.ko; lsmod; dmesg | tail -n 1"
    run = subprocess.run([str(installed / "bin" / "kmodsim"), "-C", ".", "-c", line],
                         cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=600)
    checkout = subprocess.run([sys.executable, "-m", "kmodgui.cli", "-C", ".", "-c", line],
                              cwd=tmp_path, env={**_env(), "PYTHONPATH": str(ROOT)},
                              capture_output=True, text=True, timeout=600)
    assert (run.returncode, run.stderr) == (0, "")
    assert re.search(r"^hi\s+\d+\s+0$", run.stdout, re.M)
    assert run.stdout == checkout.stdout
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    ver = subprocess.run([str(installed / "bin" / "kmodsim"), "--version"], cwd=tmp_path,
                         env=_env(), capture_output=True, text=True, timeout=120)
    assert ver.stdout == f"kmodsim {version}\n"


def test_kmodgui_from_the_wheel_takes_a_screenshot(installed: Path, tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    run = subprocess.run([str(installed / "bin" / "kmodgui"), "--screenshot", str(out)],
                         cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000


def test_the_desktop_entry_names_the_installed_program_and_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str            # type: ignore[assignment,method-assign]
    entry.read(RESOURCES / "desktop" / "kmodgui.desktop")
    de = entry["Desktop Entry"]
    assert de["Type"] == "Application" and de["Categories"].endswith(";")
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["gui-scripts"]
    assert de["Exec"].split()[0] in scripts
    assert (RESOURCES / "desktop" / f"{de['Icon']}.svg").is_file()
