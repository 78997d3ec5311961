"""kmodgui/kernel/kconfig.py: the module options menu of each profile."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kmodgui.kernel.kconfig import Kconfig
from kmodgui.kernel.profile import load_profile

DEBIAN_CONFIG = Path(__file__).parents[1] / "reference" / "debian" / "config-6.1.0-56-amd64.excerpt"

DEBIAN_61 = {"MODULES": True, "MODULE_FORCE_LOAD": True, "MODULE_UNLOAD": True,
             "MODULE_FORCE_UNLOAD": True, "MODULE_UNLOAD_TAINT_TRACKING": False,
             "MODVERSIONS": True, "MODULE_SRCVERSION_ALL": False, "MODULE_SIG": True,
             "MODULE_SIG_FORCE": False}
DEFCONFIG_2630 = {"EXPERIMENTAL": True, "MODULES": True, "MODULE_FORCE_LOAD": False,
                  "MODULE_UNLOAD": True, "MODULE_FORCE_UNLOAD": True,
                  "MODVERSIONS": False, "MODULE_SRCVERSION_ALL": False}


def debian_config() -> dict[str, bool]:
    """The .config lines of Debian's 6.1 image: CONFIG_X=y or '# ... is not set'."""
    text = DEBIAN_CONFIG.read_text()
    on = dict.fromkeys(re.findall(r"^CONFIG_(\w+)=y$", text, re.M), True)
    off = dict.fromkeys(re.findall(r"^# CONFIG_(\w+) is not set$", text, re.M), False)
    return {**on, **off}


def test_defaults_are_the_distributions_configs() -> None:
    kc = Kconfig.for_profile(load_profile("6.1"))
    assert {k: v for k, v in kc.defaults().items() if k in DEBIAN_61} == DEBIAN_61
    debian = debian_config()
    # every option of both screens as Debian's image has it; one its
    # config does not list is hidden by an unmet dependency, so n
    assert kc.defaults() == {s.name: debian.get(s.name, False) for s in kc.symbols}
    assert Kconfig.for_profile(load_profile("2.6.30")).defaults() == DEFCONFIG_2630


def test_symbols_carry_prompt_help_and_dependencies() -> None:
    kc = Kconfig.load("6.1")
    sym = kc.symbol("CONFIG_MODULE_FORCE_UNLOAD")
    assert (sym.prompt, sym.depends, sym.indent) == (
        "Forced module unloading", ("MODULE_UNLOAD",), 2)
    assert "desperate users" in sym.help
    assert [s.name for s in kc.symbols][:3] == ["MODULES", "MODULE_FORCE_LOAD", "MODULE_UNLOAD"]
    assert Kconfig.load("2.6.30").symbol("MODULE_FORCE_UNLOAD").depends == (
        "MODULE_UNLOAD", "EXPERIMENTAL")


def test_apply_forces_dependants_off_and_restores_defaults() -> None:
    kc = Kconfig.load("6.1")
    off = kc.apply(kc.defaults(), {"MODULE_UNLOAD": False})
    assert off["MODULE_FORCE_UNLOAD"] is False and off["MODULE_UNLOAD_TAINT_TRACKING"] is False
    assert kc.apply(off, {"MODULE_UNLOAD": True}) == kc.defaults()
    assert kc.apply(off, {"MODULE_FORCE_UNLOAD": True})["MODULE_FORCE_UNLOAD"] is False
    assert kc.ignored(off, {"MODULE_FORCE_UNLOAD": True}) == ["MODULE_FORCE_UNLOAD"]
    none = kc.apply(kc.defaults(), {"MODULES": False})
    assert not any(none[s.name] for s in kc.in_menu(kc.menu))
    assert kc.apply(kc.defaults(), {"MODULE_SIG_FORCE": True})["MODULE_SIG_FORCE"] is True


def test_experimental_gates_forced_unloading_in_2009() -> None:
    kc = Kconfig.load("2.6.30")
    cfg = kc.apply(kc.defaults(), {"EXPERIMENTAL": False})
    assert cfg["MODULE_FORCE_UNLOAD"] is False and cfg["MODULE_UNLOAD"] is True
    assert "Forced module unloading" not in kc.menuconfig_text(cfg)


def test_unknown_symbols_are_rejected() -> None:
    kc = Kconfig.load("2.6.30")
    with pytest.raises(ValueError, match="unknown config symbol 'MODULE_SIG'"):
        kc.apply(kc.defaults(), {"MODULE_SIG": True})
    with pytest.raises(ValueError):
        kc.normalize({"NOPE": True})


def test_menuconfig_screen() -> None:
    kc = Kconfig.load("6.1")
    assert kc.menuconfig_text(kc.defaults()) == (
        "[*] Enable loadable module support  --->\n"
        "\n"
        "--- Enable loadable module support\n"
        "[*]   Forced module loading\n"
        "[*]   Module unloading\n"
        "[*]     Forced module unloading\n"
        "[ ]     Tainted module unload tracking\n"
        "[*]   Module versioning support\n"
        "[ ]   Source checksum for all modules\n"
        "[*]   Module signature verification\n"
        "[ ]     Require modules to be validly signed\n")
    off = kc.apply(kc.defaults(), {"MODULES": False})
    assert kc.menuconfig_text(off) == (
        "[ ] Enable loadable module support  ----\n\n--- Enable loadable module support\n")


def test_dotconfig_lines() -> None:
    kc = Kconfig.load("2.6.30")
    text = kc.dotconfig_text(kc.defaults())
    assert "CONFIG_MODULE_UNLOAD=y\n" in text
    assert "# CONFIG_MODVERSIONS is not set\n" in text
