"""kmodsim's subcommands (what a grading script calls): audit and lesson give
the shell commands' output and exit status; help, --help, --version."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def kmodsim(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kmodgui.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("name,status", [("skull.c", 0), ("skull_leaky.c", 1)])
def test_audit_subcommand_is_the_shell_command(tmp_path: Path, name: str, status: int) -> None:
    sub = kmodsim("audit", name, cwd=tmp_path)
    shell = kmodsim("-c", f"audit {name}", cwd=tmp_path)
    assert sub.returncode == status
    assert (sub.stdout, sub.stderr, sub.returncode) == (
        shell.stdout, shell.stderr, shell.returncode)
    assert sub.stdout.startswith(f"audit of {Path(name).stem}.ko")


def test_audit_json_and_a_file_of_the_current_folder(tmp_path: Path) -> None:
    from kmodgui import SAMPLES_DIR
    (tmp_path / "mine.c").write_text((SAMPLES_DIR / "skull_leaky.c").read_text())
    sub = kmodsim("audit", "mine.c", "--json", cwd=tmp_path)
    assert sub.returncode == 1 and sub.stdout.lstrip().startswith("{")
    assert '"module": "mine"' in sub.stdout


def test_version_is_the_projects(tmp_path: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert kmodsim("--version", cwd=tmp_path).stdout == f"kmodsim {version}\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    gui = subprocess.run([sys.executable, "-c", "from kmodgui.gui.app import main; main()",
                          "--version"], env=env, capture_output=True, text=True, timeout=120)
    assert gui.stdout == f"kmodgui {version}\n" and gui.returncode == 0


@pytest.mark.parametrize("sub,prog", [("audit", "kmodsim audit"), ("lesson", "kmodsim lesson")])
def test_each_subcommand_has_help(tmp_path: Path, sub: str, prog: str) -> None:
    r = kmodsim(sub, "--help", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith(f"usage: {prog}")
    assert kmodsim("help", sub, cwd=tmp_path).stdout == r.stdout


def test_help_lists_subcommands_and_shell_commands(tmp_path: Path) -> None:
    r = kmodsim("help", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("usage: kmodsim")
    assert "audit FILE.c|NAME.ko" in r.stdout and "lesson FILE" in r.stdout
    for command in ("insmod", "grep", "printf"):
        assert f"\n  {command} " in r.stdout or f"\n{command} " in r.stdout
