"""Module code and the shell see nothing of the host but the module folder.

Each test plants a secret file outside the folder and tries one way out:
a symlink the shell or kbuild follows, `..`, an absolute path, a kbuild
`NAME-objs` object outside the folder, the audit of a file elsewhere.
None of them may print the secret; each gets the real tool's wording
("No such file or directory", make's "No rule to make target").
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kmodgui import sandbox
from kmodgui.session import Session

SECRET = "TOPSECRET-0xdeadbeef"
HI = (Path(__file__).resolve().parents[2] / "kmodgui" / "modules" / "hi.c").read_text()


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.c").write_text(SECRET + "\n" + HI)
    (outside / "secret.txt").write_text(SECRET + "\n")
    folder = tmp_path / "mod"
    folder.mkdir()
    return folder, outside


def run(folder: Path, line: str) -> tuple[int, str]:
    s = Session("6.1", cwd=folder)
    r = s.run(line)
    return r.status, r.stdout + r.stderr


def test_symlink_read_by_cat_is_not_followed_out(world):
    folder, outside = world
    os.symlink(outside / "secret.txt", folder / "pw.ko")
    status, out = run(folder, "cat pw.ko")
    assert SECRET not in out
    assert out == "cat: pw.ko: No such file or directory\n" and status == 1


@pytest.mark.parametrize("name", ["../outside/secret.txt", "{outside}/secret.txt", "/etc/passwd"])
def test_dotdot_and_absolute_paths(world, name):
    folder, outside = world
    name = name.format(outside=outside)
    status, out = run(folder, f"cat {name}")
    assert SECRET not in out and "root:" not in out
    assert out == f"cat: {name}: No such file or directory\n" and status == 1


def test_symlinked_source_is_not_built(world):
    folder, outside = world
    os.symlink(outside / "secret.c", folder / "X.c")
    status, out = run(folder, "insmod X.ko")
    assert SECRET not in out
    assert "could not load module X.ko: No such file or directory" in out and status == 1


def test_symlink_inside_the_folder_still_works(world):
    folder, _ = world
    (folder / "real.c").write_text(HI)
    os.symlink("real.c", folder / "hi.c")
    status, out = run(folder, "insmod hi.ko")
    assert status == 0, out


@pytest.mark.parametrize("obj", ["../outside/secret.o", "{outside}/secret.o"])
def test_objs_outside_the_folder_have_no_rule(world, obj):
    folder, outside = world
    obj = obj.format(outside=outside)
    (folder / "Makefile").write_text(f"obj-m += mk1.o\nmk1-objs := {obj}\n")
    status, out = run(folder, "make")
    assert SECRET not in out
    assert f"No rule to make target '{os.path.relpath(os.path.normpath(folder / obj), folder)}'" in out
    assert status == 2


def test_symlinked_makefile_is_not_read(world):
    folder, outside = world
    (outside / "Makefile").write_text("obj-m += secret.o\n")
    os.symlink(outside / "Makefile", folder / "Makefile")
    status, out = run(folder, "make")
    assert SECRET not in out and "secret" not in out


@pytest.mark.parametrize("name", ["{outside}/secret.c", "../outside/secret.c"])
def test_audit_of_a_file_elsewhere(world, name):
    folder, outside = world
    name = name.format(outside=outside)
    status, out = run(folder, f"audit {name}")
    assert SECRET not in out
    assert out == f"audit: {name}: No such file or directory\n" and status == 2


def test_include_of_host_file_is_not_found(world):
    folder, outside = world
    (folder / "inc.c").write_text(f'#include "{outside}/secret.txt"\n' + HI)
    (folder / "inc2.c").write_text('#include "../outside/secret.txt"\n' + HI)
    for mod in ("inc", "inc2"):
        status, out = run(folder, f"insmod {mod}.ko")
        assert SECRET not in out
        assert "secret.txt: No such file or directory" in out and status == 2


def test_resolver_refuses_nul_and_loops(tmp_path):
    os.symlink("loop", tmp_path / "loop")
    assert sandbox.inside(tmp_path, "a\0b") is None
    assert sandbox.readable_file(tmp_path, "loop") is None


def test_oversized_source_is_refused(world):
    folder, _ = world
    (folder / "big.c").write_text(HI + "/*" + "x" * (sandbox.MAX_SOURCE_BYTES + 10) + "*/\n")
    status, out = run(folder, "insmod big.ko")
    assert "cc1: fatal error: big.c: file too large" in out and status == 2
