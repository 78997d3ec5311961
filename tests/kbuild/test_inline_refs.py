"""A static inline function of a header that the module never calls emits
no code, so what it calls is no undefined symbol of the module.

Truth: `nm -u` of the same two modules built by real kbuild (gcc-12,
linux-headers-6.1.0-56-amd64), in real/inline-refs/: inl.c includes
<linux/sysfs.h>, whose sysfs_create_file() wraps sysfs_create_file_ns(),
and calls nothing; inl2.c calls sysfs_create_file().
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kmodgui.kbuild.make import build
from kmodgui.kernel.profile import load_profile
from tests.engine_helpers import config_for

REAL = Path(__file__).parent / "real" / "inline-refs"
# the compiler's own: ftrace's entry hook and the retpoline return thunk
TOOLCHAIN = {"__fentry__", "__x86_return_thunk"}


@pytest.mark.parametrize("name", ["inl", "inl2"])
def test_undefined_symbols_are_those_of_emitted_code(tmp_path, name) -> None:
    shutil.copy(REAL / f"{name}.c", tmp_path / f"{name}.c")
    res = build(tmp_path, name, load_profile("6.1"), config_for("6.1"))
    assert res.ok, res.output
    real = {ln.split()[-1] for ln in (REAL / f"{name}.nm-u").read_text().splitlines()}
    assert set(res.ko.undefined) == real - TOOLCHAIN
