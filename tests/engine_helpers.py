"""Shared helpers for engine tests (no Qt): build a module from a string,
load it in a fresh simulated kernel, read what it printed."""
from __future__ import annotations

from pathlib import Path

from kmodgui.kbuild import build
from kmodgui.kernel.kernel import Kernel
from kmodgui.kernel.profile import load_profile

CONFIG_61 = {"MODULES": True, "MODULE_UNLOAD": True, "MODULE_FORCE_UNLOAD": True,
             "MODULE_FORCE_LOAD": True, "MODVERSIONS": True, "MODULE_SIG": True}
CONFIG_2630 = {"MODULES": True, "MODULE_UNLOAD": True, "MODULE_FORCE_UNLOAD": True,
               "MODULE_FORCE_LOAD": False, "MODVERSIONS": False}

PRELUDE = """#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/errno.h>
MODULE_LICENSE("GPL");
"""


def config_for(profile: str) -> dict[str, bool]:
    return dict(CONFIG_61 if profile == "6.1" else CONFIG_2630)


def build_source(tmp: Path, source: str, name: str = "t", profile: str = "6.1",
                 prelude: bool = True):
    (tmp / f"{name}.c").write_text((PRELUDE if prelude else "") + source)
    return build(tmp, name, load_profile(profile), config_for(profile))


def load(tmp: Path, source: str, name: str = "t", profile: str = "6.1",
         args: str = "") -> tuple[Kernel, int, list[str]]:
    """Build and insmod; return (kernel, init's syscall result, printed lines)."""
    res = build_source(tmp, source, name, profile)
    assert res.ok, res.output
    k = Kernel(load_profile(profile), config_for(profile))
    before = len(k.log)
    ret = k.init_module(res.ko, args)
    return k, ret, [r.text for r in k.log[before:] if r.module == name or r.module is None]


def module_lines(k: Kernel, name: str = "t") -> list[str]:
    return [r.text for r in k.log if r.module == name]
