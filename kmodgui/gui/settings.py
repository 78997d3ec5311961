"""Persisted preferences (QSettings): layout, zoom, recent files, theme.

Tests and screenshots use an isolated INI file: pass `path`, or set the
environment variable KMODGUI_SETTINGS.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

ORG = "kmodgui"
APP = "kmodgui"
MAX_RECENT = 10


def open_settings(path: str | Path | None = None) -> QSettings:
    path = path or os.environ.get("KMODGUI_SETTINGS")
    if path:
        return QSettings(str(path), QSettings.IniFormat)
    return QSettings(QSettings.IniFormat, QSettings.UserScope, ORG, APP)


def recent_files(settings: QSettings) -> list[str]:
    value = settings.value("recent", [])
    if isinstance(value, str):
        value = [value]
    return [v for v in (value or []) if Path(v).is_file()]


def add_recent(settings: QSettings, path: Path) -> list[str]:
    items = [str(path)] + [p for p in recent_files(settings) if p != str(path)]
    items = items[:MAX_RECENT]
    settings.setValue("recent", items)
    return items


def zoom_factor(settings: QSettings) -> float:
    try:
        return float(settings.value("zoom", 1.0))
    except (TypeError, ValueError):
        return 1.0
