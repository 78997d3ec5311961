"""Step back never lies: the replay from boot re-runs every earlier command on
what it ran on (its folder, the object it loaded), and when it cannot reach
the debugged command any more the controls say why instead of doing nothing.

The newcomer's steps: insmod a module whose init returns -1 in a folder of
their own, File → Samples → skull.c, F5, F10, F10, Alt+Left.  The failed
module must stay out of the Modules pane and of lsmod: do_init_module()
(kernel/module/main.c) frees a module whose init returned an error."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from tests.gui.conftest import wait_idle

FAILING_HI = """#include <linux/module.h>
MODULE_LICENSE("GPL");
static int __init hi_init(void)
{
	return -1;
}
module_init(hi_init);
"""


def _sample_action(win, name: str) -> QAction:
    """File → Samples → NAME (in whatever submenu it is listed)."""
    menus = [win.findChild(QMenu, "menuSamples")]
    while menus:
        menu = menus.pop()
        for act in menu.actions():
            if act.menu() is not None:
                menus.append(act.menu())
            elif act.text().split()[0:1] == [name]:
                return act
    raise AssertionError(f"{name} is not in File → Samples")


def _key(qtbot, win, key, modifier=Qt.NoModifier) -> None:
    win.activateWindow()
    qtbot.keyClick(win, key, modifier)


def _failed_insmod_then_skull(qtbot, make_window, tmp_path: Path):
    (tmp_path / "hi.c").write_text(FAILING_HI)
    win = make_window("skull.c")
    win.debug.set_animations(False)
    assert win.open_source(tmp_path / "hi.c")
    win.acts["insmod"].trigger()                           # Ctrl+I: insmod hi.ko
    wait_idle(qtbot, win)
    assert "could not insert module hi.ko" in win.shell.text()
    assert win.modules_panel.rows() == []
    _sample_action(win, "skull.c").trigger()
    assert win.source_path.name == "skull.c"
    return win, win.debug


def _lsmod(qtbot, win) -> str:
    before = len(win.shell.text())
    win.bridge.run_line("lsmod")
    wait_idle(qtbot, win)
    return win.shell.text()[before:]


def test_newcomer_step_back_keeps_the_failed_module_failed(qtbot, make_window, tmp_path):
    win, c = _failed_insmod_then_skull(qtbot, make_window, tmp_path)
    _key(qtbot, win, Qt.Key_F5)                             # debug insmod skull.ko
    qtbot.waitUntil(lambda: c.active)
    _key(qtbot, win, Qt.Key_F10)
    _key(qtbot, win, Qt.Key_F10)
    qtbot.waitUntil(lambda: not c.running)
    assert c.step_label.text() == "step 3"
    _key(qtbot, win, Qt.Key_Left, Qt.AltModifier)           # Alt+Left
    qtbot.waitUntil(lambda: not c.running and c.step_label.text() == "step 2")
    wait_idle(qtbot, win)
    names = [row[0] for row in win.modules_panel.rows()]
    assert names == ["skull"] and win.modules_panel.rows()[0][3] == "Loading"
    assert "hi " not in _lsmod(qtbot, win)
    assert not c.dbg.refusal


def test_after_the_session_and_another_command_step_back_is_off_and_says_why(
        qtbot, make_window, tmp_path):
    win, c = _failed_insmod_then_skull(qtbot, make_window, tmp_path)
    c.start_insmod()
    c.cont()
    qtbot.waitUntil(lambda: not c.active and not c.running)
    assert c.acts["back"].isEnabled() and c.scrubber.isEnabled()
    assert "Alt+Left steps back into it" in c.callstack.status.text()
    _lsmod(qtbot, win)
    assert not c.acts["back"].isEnabled() and not c.scrubber.isEnabled()
    why = "`lsmod` ran after `insmod skull.ko`"
    assert why in c.acts["back"].toolTip() and why in c.scrubber.toolTip()
    status = c.callstack.status.text()
    assert "Alt+Left steps back" not in status and f"Step back is off: {why}" in status
    assert "no step back" in c.caption_bar.step.text()          # also in presentation mode
    assert why in c.caption_bar.step.toolTip()
    rows = win.modules_panel.rows()
    c.step_back()                                           # the slot itself refuses too
    c.goto_index(2)
    assert not c.running and win.modules_panel.rows() == rows
    assert c.caption.text == f"Step back is off: {why}: going back would undo it."
    if c.cursor is not None and c.cursor.line is not None:   # the Timeline's step cursor
        assert not c.cursor.line.movable and why in c.cursor.line.toolTip()


def test_after_a_reboot_step_back_is_off_and_says_why(qtbot, make_window, tmp_path):
    win, c = _failed_insmod_then_skull(qtbot, make_window, tmp_path)
    c.start_insmod()
    c.step_over()
    win.acts["reboot"].trigger()
    wait_idle(qtbot, win)
    assert not c.active and not c.acts["back"].isEnabled() and not c.scrubber.isEnabled()
    assert "the kernel rebooted after `insmod skull.ko`" in c.acts["back"].toolTip()
    assert "rebooted since" in c.callstack.status.text()


def test_a_replay_that_would_differ_is_refused_with_the_reason(qtbot, make_window, tmp_path):
    win, c = _failed_insmod_then_skull(qtbot, make_window, tmp_path)
    (tmp_path / "hi.c").unlink()                           # the folder's module is gone
    c.start_insmod()
    c.step_over()
    wait_idle(qtbot, win)
    rows = win.modules_panel.rows()
    c.step_back()
    qtbot.waitUntil(lambda: not c.running)
    wait_idle(qtbot, win)
    assert "Step back refused: `insmod hi.ko` did not do again" in c.caption.text
    assert win.modules_panel.rows() == rows and c.active
    assert not c.acts["back"].isEnabled()
