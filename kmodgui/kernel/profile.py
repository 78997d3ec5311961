"""Kernel profiles: one folder per kernel version under resources/profiles/.

  kernel.toml   the kernel's own wording and behaviour switches (this file's reader)
  tools.toml    the userspace tools' dialect (kmod 30, module-init-tools 3.9)
  kconfig.toml  the module Kconfig menu: prompts, help, defaults, dependencies
Adding a kernel version is adding a folder.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

from kmodgui import PROFILES_DIR

DEFAULT_PROFILE = "6.1"


@dataclass(frozen=True)
class Profile:
    name: str
    release: str
    version: tuple[int, ...]
    kernel: dict = field(default_factory=dict)
    tools: dict = field(default_factory=dict)
    kconfig: dict = field(default_factory=dict)

    def msg(self, key: str, **kw: object) -> str:
        """A kernel message from the catalogue, formatted."""
        return self.kernel["messages"][key].format(**kw)


def available() -> list[str]:
    return sorted((p.name for p in PROFILES_DIR.iterdir() if (p / "kernel.toml").is_file()),
                  key=lambda n: tuple(int(x) for x in n.split(".")), reverse=True)


@lru_cache(maxsize=None)
def load_profile(name: str) -> Profile:
    folder = PROFILES_DIR / name
    if not (folder / "kernel.toml").is_file():
        raise ValueError(f"unknown kernel profile '{name}' (have: {', '.join(available())})")

    def read(fname: str) -> dict:
        f = folder / fname
        return tomllib.loads(f.read_text()) if f.is_file() else {}
    kernel = read("kernel.toml")
    return Profile(name=name, release=kernel["release"], version=tuple(kernel["version"]),
                   kernel=kernel, tools=read("tools.toml"), kconfig=read("kconfig.toml"))
