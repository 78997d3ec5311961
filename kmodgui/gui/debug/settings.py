"""Animation and auto-play preferences, persisted in QSettings:

    debug/animate        bool   jump arrows travel, released resources fade
    debug/animation_ms   int    how long one jump animation lasts
    debug/pace_ms        int    auto-play: time between two steps
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings

#: Debug → Animation speed: name -> milliseconds per jump
SPEEDS = {"Slow": 1400, "Normal": 700, "Fast": 300}
PACE_MIN_MS, PACE_MAX_MS, PACE_STEP_MS = 500, 3000, 250
DEFAULT_PACE_MS = 1500


def _bool(value, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes", "on")
    return bool(value)


def _int(value, default: int, lo: int, hi: int) -> int:
    try:
        return max(lo, min(hi, int(value)))
    except (TypeError, ValueError):
        return default


@dataclass
class AnimationSettings:
    settings: QSettings

    @property
    def enabled(self) -> bool:
        return _bool(self.settings.value("debug/animate"), True)

    @enabled.setter
    def enabled(self, on: bool) -> None:
        self.settings.setValue("debug/animate", bool(on))

    @property
    def duration_ms(self) -> int:
        return _int(self.settings.value("debug/animation_ms"), SPEEDS["Normal"], 50, 5000)

    @duration_ms.setter
    def duration_ms(self, ms: int) -> None:
        self.settings.setValue("debug/animation_ms", int(ms))

    @property
    def pace_ms(self) -> int:
        return _int(self.settings.value("debug/pace_ms"), DEFAULT_PACE_MS, PACE_MIN_MS, PACE_MAX_MS)

    @pace_ms.setter
    def pace_ms(self, ms: int) -> None:
        self.settings.setValue("debug/pace_ms", int(ms))

    def speed_name(self) -> str:
        """The SPEEDS entry nearest to the duration."""
        return min(SPEEDS, key=lambda k: abs(SPEEDS[k] - self.duration_ms))
