"""A feature plugs into the workbench: one file (tests/gui/data/uptime_panel.py)
and one line in the composition, and its dock and action appear."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from kmodgui.gui.workbench import MenuId

from conftest import wait_idle

DATA = Path(__file__).parent / "data"


def _feature():
    spec = importlib.util.spec_from_file_location("uptime_panel", DATA / "uptime_panel.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["uptime_panel"] = module
    spec.loader.exec_module(module)
    return module


def test_a_new_panel_is_one_file_and_one_line(qtbot, settings_path, monkeypatch):
    from kmodgui import SAMPLES_DIR
    from kmodgui.gui import app
    feature = _feature()
    monkeypatch.setattr(app, "FEATURES", ("uptime_panel",))      # the one line
    args = app.parse_args([str(SAMPLES_DIR / "hi.c")])
    monkeypatch.setenv("KMODGUI_SETTINGS", str(settings_path))
    win = app._make_window(args)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    dock = win.docks["dockCommands"]
    assert isinstance(dock.widget(), feature.CommandsPanel)
    assert dock.toggleViewAction() in win.bench.menu(MenuId.VIEW).actions()
    assert dock in win.tabifiedDockWidgets(win.docks["dockShell"])    # its tab group
    action = win.acts["actionCountLsmod"]
    assert action in win.bench.menu(MenuId.MODULE).actions()
    win.set_zoom(1.5)
    assert dock.widget().property("zoom") == 1.5
    win.bridge.start_engine()
    action.trigger()
    wait_idle(qtbot, win)
    assert dock.widget().count == 1
    assert "lsmod" in win.shell.output.toPlainText()
    win.enter_presentation()                # not essential: hidden on the projector
    assert not dock.isVisible()
    win.leave_presentation()
    assert dock.isVisible()


def test_menus_are_found_by_id_not_by_text(make_window):
    win = make_window(show=False)
    for menu_id in MenuId:
        menu = win.bench.menu(menu_id)
        assert menu.menuAction() in win.menuBar().actions(), menu_id
    assert "actionAudit" in [a.objectName() for a in win.bench.menu(MenuId.MODULE).actions()]
