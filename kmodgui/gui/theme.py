"""Colour schemes: light and dark follow the system; high contrast is for
projectors (presentation mode).

Colour is never the only cue: every place that uses these colours also
writes a tag (dmesg level names), draws a shape (timeline markers) or a
pattern (discarded code is hatched).
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette


@dataclass(frozen=True)
class Theme:
    name: str
    dark: bool
    window: str
    base: str
    text: str
    dim: str            # secondary text: timestamps, line numbers
    gutter: str
    accent: str
    current_line: str
    # printk levels 0..7 (emerg .. debug)
    levels: tuple[str, ...]
    # syntax highlighting
    keyword: str
    type_: str
    string: str
    comment: str
    preproc: str
    number: str
    macro: str
    label: str
    # semantic marks
    init_mark: str
    exit_mark: str
    discarded: str
    error: str
    warning: str
    ok: str
    leak: str
    injected: str
    reboot: str

    def level(self, n: int) -> QColor:
        return QColor(self.levels[max(0, min(7, n))])

    def c(self, attr: str) -> QColor:
        return QColor(getattr(self, attr))


LIGHT = Theme(
    "light", False, window="#eef0f3", base="#ffffff", text="#1d2128",
    dim="#6b7280", gutter="#f4f5f7", accent="#2563eb", current_line="#eef4ff",
    levels=("#b00020", "#b00020", "#c2185b", "#c62828", "#b45309", "#1d4ed8",
            "#1d2128", "#6b7280"),
    keyword="#7c3aed", type_="#0f766e", string="#b45309", comment="#6b7280",
    preproc="#9d174d", number="#0369a1", macro="#1d4ed8", label="#be123c",
    init_mark="#2563eb", exit_mark="#d97706", discarded="#9ca3af",
    error="#dc2626", warning="#d97706", ok="#15803d", leak="#dc2626",
    injected="#9333ea", reboot="#0f766e")

DARK = Theme(
    "dark", True, window="#1f2329", base="#16191e", text="#e5e7eb",
    dim="#8b93a1", gutter="#1b1f24", accent="#60a5fa", current_line="#222a36",
    levels=("#ff6b81", "#ff6b81", "#f472b6", "#f87171", "#fbbf24", "#93c5fd",
            "#e5e7eb", "#9ca3af"),
    keyword="#c4b5fd", type_="#5eead4", string="#fdba74", comment="#8b93a1",
    preproc="#f9a8d4", number="#7dd3fc", macro="#93c5fd", label="#fda4af",
    init_mark="#60a5fa", exit_mark="#fbbf24", discarded="#6b7280",
    error="#f87171", warning="#fbbf24", ok="#4ade80", leak="#f87171",
    injected="#c084fc", reboot="#5eead4")

# For projectors: pure black on white, saturated marks, no pastel greys.
HIGH_CONTRAST = Theme(
    "high-contrast", False, window="#ffffff", base="#ffffff", text="#000000",
    dim="#333333", gutter="#f0f0f0", accent="#0033cc", current_line="#fff3b0",
    levels=("#b00000", "#b00000", "#b00000", "#cc0000", "#8a4b00", "#0033cc",
            "#000000", "#404040"),
    keyword="#5b00b3", type_="#00605a", string="#8a4b00", comment="#404040",
    preproc="#8a0050", number="#00489c", macro="#0033cc", label="#b00000",
    init_mark="#0033cc", exit_mark="#b35900", discarded="#707070",
    error="#cc0000", warning="#b35900", ok="#006400", leak="#cc0000",
    injected="#6a00b3", reboot="#00605a")


def system_theme() -> Theme:
    """Light or dark, as the desktop says (Qt 6.5+ QStyleHints.colorScheme)."""
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", lambda: Qt.ColorScheme.Unknown)()
    return DARK if scheme == Qt.ColorScheme.Dark else LIGHT


def palette_for(theme: Theme) -> QPalette:
    """A Fusion palette with the theme's window/base/text colours."""
    pal = QPalette()
    win, base, text = QColor(theme.window), QColor(theme.base), QColor(theme.text)
    for role, col in ((QPalette.Window, win), (QPalette.Base, base),
                      (QPalette.AlternateBase, QColor(theme.gutter)),
                      (QPalette.Button, win), (QPalette.Text, text),
                      (QPalette.WindowText, text), (QPalette.ButtonText, text),
                      (QPalette.ToolTipBase, base), (QPalette.ToolTipText, text),
                      (QPalette.Highlight, QColor(theme.accent)),
                      (QPalette.HighlightedText, QColor("#ffffff")),
                      (QPalette.PlaceholderText, QColor(theme.dim))):
        pal.setColor(role, col)
    # frames, check boxes and bevels are drawn from these (Fusion)
    edge = QColor(theme.dim)
    pal.setColor(QPalette.Light, base.lighter(130) if theme.dark else QColor("#ffffff"))
    pal.setColor(QPalette.Midlight, win.lighter(115) if theme.dark else win)
    pal.setColor(QPalette.Mid, edge)
    pal.setColor(QPalette.Dark, edge.darker(130) if not theme.dark else edge)
    pal.setColor(QPalette.Shadow, QColor("#000000"))
    for role in (QPalette.Text, QPalette.WindowText, QPalette.ButtonText):
        pal.setColor(QPalette.Disabled, role, edge)
    return pal


def stylesheet(theme: Theme, zoom: float) -> str:
    """Spacing and chrome only (fonts come from the zoom, colours from the
    palette), so every pane scales together."""
    pad = max(2, round(3 * zoom))
    return f"""
    QDockWidget::title {{
        background: {theme.gutter}; padding: {pad}px {pad * 2}px;
        border-bottom: 1px solid {theme.dim};
    }}
    QToolBar {{ spacing: {pad * 2}px; padding: {pad}px; border-bottom: 1px solid {theme.gutter}; }}
    QToolBar QToolButton {{ padding: {pad}px {pad * 3}px; border-radius: {pad}px; }}
    QToolBar QToolButton:hover {{ background: {theme.current_line}; }}
    QToolBar QToolButton:disabled {{ color: {theme.dim}; }}
    QHeaderView::section {{ padding: {pad}px {pad * 2}px; }}
    QLabel#sourceHeader {{ background: {theme.gutter}; border-bottom: 1px solid {theme.current_line}; }}
    QStatusBar QLabel {{ color: {theme.dim}; padding: 0 {pad * 2}px; }}
    """
