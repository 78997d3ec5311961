"""A profile folder found through KMODGUI_PROFILES appears in the toolbar's
profile box and the window boots it, with no code change."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kmodgui import PROFILES_DIR


def test_profile_box_lists_an_added_folder(qtbot, make_window, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "profiles"
    shutil.copytree(PROFILES_DIR / "6.1", root / "5.10.0")
    toml = root / "5.10.0" / "kernel.toml"
    toml.write_text(toml.read_text().replace('title = "Linux 6.1  (Debian 12, kmod 30)"',
                                             'title = "Linux 5.10 test"'))
    monkeypatch.setenv("KMODGUI_PROFILES", str(root))
    win = make_window("hi.c", profile="5.10.0")
    box = win.findChild(type(win.profile_box), "profileSelector")
    items = [(box.itemText(i), box.itemData(i)) for i in range(box.count())]
    assert ("Linux 5.10 test", "5.10.0") in items
    assert [d for _, d in items] == ["6.1", "5.10.0", "2.6.30"]
