"""Kernel profiles: one folder per kernel version under resources/profiles/.

  kernel.toml   the kernel's own wording and behaviour switches (this file's reader)
  tools.toml    the userspace tools' dialect (kmod 30, module-init-tools 3.9)
  kconfig.toml  the module Kconfig menu: prompts, help, defaults, dependencies
  machine.toml  (optional) the devices a fresh boot has registered: chrdev majors,
                misc minors, /dev nodes
Adding a kernel version is adding a folder: here, or in a folder named by the
KMODGUI_PROFILES environment variable (several joined by os.pathsep), searched first.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kmodgui import PROFILES_DIR

DEFAULT_PROFILE = "6.1"


@dataclass(frozen=True)
class Profile:
    name: str
    release: str
    version: tuple[int, ...]
    # the profile's TOML files as parsed: tables of strings, numbers, lists
    kernel: dict[str, Any] = field(default_factory=dict)
    tools: dict[str, Any] = field(default_factory=dict)
    kconfig: dict[str, Any] = field(default_factory=dict)
    machine: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The name shown in menus and help ("Linux 6.1  (Debian 12, kmod 30)")."""
        return str(self.kernel.get("title", f"Linux {self.name}"))

    def msg(self, key: str, **kw: object) -> str:
        """A kernel message from the catalogue, formatted."""
        return str(self.kernel["messages"][key]).format(**kw)


def search_path() -> list[Path]:
    """Folders holding one sub-folder per profile: KMODGUI_PROFILES, then the package's."""
    extra = [Path(d) for d in os.environ.get("KMODGUI_PROFILES", "").split(os.pathsep) if d]
    return extra + [PROFILES_DIR]


def _folder(name: str) -> Path | None:
    return next((d / name for d in search_path() if (d / name / "kernel.toml").is_file()), None)


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(x) if x.isdigit() else 0 for x in name.split("."))


def available() -> list[str]:
    """Every profile's name, newest kernel first."""
    names = {p.name for d in search_path() if d.is_dir() for p in d.iterdir()
             if (p / "kernel.toml").is_file()}
    return sorted(names, key=_version_key, reverse=True)


def load_profile(name: str) -> Profile:
    folder = _folder(name)
    if folder is None:
        raise ValueError(f"unknown kernel profile '{name}' (have: {', '.join(available())})")
    return _load(folder)


@lru_cache(maxsize=None)
def _load(folder: Path) -> Profile:
    name = folder.name

    def read(fname: str) -> dict[str, Any]:
        f = folder / fname
        return tomllib.loads(f.read_text()) if f.is_file() else {}
    kernel = read("kernel.toml")
    return Profile(name=name, release=kernel["release"], version=tuple(kernel["version"]),
                   kernel=kernel, tools=read("tools.toml"), kconfig=read("kconfig.toml"),
                   machine=read("machine.toml"))
