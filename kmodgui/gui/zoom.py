"""One zoom factor for every pane (Ctrl+= / Ctrl+- / Ctrl+0).

Panels implement `set_zoom(factor)` and derive all their sizes (fonts,
pens, marker sizes) from the base sizes here times the factor, so a
projector sees the same proportions as a laptop.
"""
from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

STEPS: tuple[float, ...] = (0.7, 0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5, 3.0)
UI_POINTS = 10.0        # base size of widget text at zoom 1
MONO_POINTS = 10.5      # base size of source / dmesg / shell text
PRESENTATION_ZOOM = 1.5


def clamp(factor: float) -> float:
    return max(STEPS[0], min(STEPS[-1], factor))


def step(factor: float, direction: int) -> float:
    """The next zoom step above (direction 1) or below (-1) `factor`."""
    if direction > 0:
        bigger = [s for s in STEPS if s > factor + 1e-6]
        return bigger[0] if bigger else STEPS[-1]
    smaller = [s for s in STEPS if s < factor - 1e-6]
    return smaller[-1] if smaller else STEPS[0]


def mono_font(factor: float) -> QFont:
    font = QFont("DejaVu Sans Mono")
    font.setStyleHint(QFont.Monospace)
    if not QFontDatabase.hasFamily("DejaVu Sans Mono"):
        font = QFontDatabase.systemFont(QFontDatabase.FixedFont)
    font.setPointSizeF(MONO_POINTS * factor)
    return font


def ui_font(factor: float) -> QFont:
    font = QFont()
    font.setPointSizeF(UI_POINTS * factor)
    return font


def px(value: float, factor: float) -> int:
    """A pixel size (pen width, margin) scaled by the zoom."""
    return max(1, round(value * factor))
