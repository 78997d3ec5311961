"""The bridge's read side: snapshots of the engine's state for the panels.

Before the engine has started (see Bridge.start_engine) every query
answers "nothing yet": no modules, no config, no events.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ModuleRow:
    """One loaded module, as /proc/modules and /sys/module/<m> describe it."""
    name: str
    state: str          # COMING LIVE GOING (UNFORMED is invisible, as in m_show)
    refcnt: int
    size: int
    holders: tuple[str, ...]
    taints: str         # module_flags() letters, e.g. "OE"
    permanent: bool     # mod->init && !mod->exit
    has_init: bool
    has_exit: bool


def module_name(source: Path) -> str:
    """KBUILD_MODNAME: the object's name with '-' turned into '_'."""
    return source.stem.replace("-", "_")


class QueriesMixin:
    session: Any
    wanted_profile: str

    @property
    def kernel(self) -> Any:
        return self.session.kernel if self.session is not None else None

    def profile_name(self) -> str:
        return self.kernel.profile.name if self.kernel else self.wanted_profile

    def release(self) -> str:
        if not self.kernel:
            return "(booting)"
        return getattr(self.kernel.profile, "release", self.profile_name())

    def config(self) -> dict[str, bool]:
        return dict(self.kernel.config) if self.kernel else {}

    def all_events(self) -> Sequence[Any]:
        """A snapshot of the trace, numbered as trace.events is (positions
        taken with len() earlier stay valid; see EventLog)."""
        return self.session.trace.events.copy() if self.session is not None else []

    def modules(self) -> list[ModuleRow]:
        """Loaded modules, newest first as /proc/modules lists them."""
        if not self.kernel:
            return []
        rows = [self._row(m) for m in self.kernel.modules.values() if m.state != "UNFORMED"]
        return list(reversed(rows))

    @staticmethod
    def _row(m: Any) -> ModuleRow:
        return ModuleRow(m.name, m.state, int(m.refcnt), int(m.size),
                         tuple(m.holders), m.taint_letters or "",
                         bool(m.permanent), bool(m.has_init), bool(m.has_exit))

    def module_state(self, name: str) -> str | None:
        m = self.kernel.modules.get(name) if self.kernel else None
        return m.state if m is not None else None

    def held_by(self, name: str) -> list[Any]:
        if not self.kernel:
            return []
        return sorted(self.kernel.ledger.held_by(name), key=lambda r: r.rid)

    def held_resources(self) -> list[Any]:
        """Every ledger entry still held, whoever owns it (leaks included)."""
        return self.kernel.ledger.held() if self.kernel else []

    def ko_of(self, name: str) -> Any:
        m = self.kernel.modules.get(name) if self.kernel else None
        return getattr(m, "ko", None) if m is not None else None

    def injectable_calls(self, ko: Any) -> list[str]:
        """Kernel functions `ko` calls that fault injection can make fail."""
        from kmodgui.kernel.kapi import load_all
        registry = load_all()
        return [n for n in getattr(ko, "undefined", []) if n in registry and registry[n].fail]

    def kconfig(self) -> Any:
        """The Kconfig model (prompts, help, depends) of the running profile,
        or None before the engine has started."""
        if not self.kernel:
            return None
        from kmodgui.kernel.kconfig import Kconfig
        return Kconfig.for_profile(self.kernel.profile)

    @property
    def busy(self) -> bool:
        return self.jobs.busy
