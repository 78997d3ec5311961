"""The Kconfig pane's "Kernel hacking" group: the debug options under
their mconf submenus, off as on Debian, help under the tree, and a
change that reboots into a kernel that reports the bug."""
from __future__ import annotations

from conftest import wait_idle


def _texts(item) -> list[str]:
    return [item.child(i).text(0) for i in range(item.childCount())]


def test_kernel_hacking_group_shows_the_debug_options(qtbot, make_window):
    win = make_window("atomic_sleep.c")
    pane = win.kconfig
    tree = pane.tree
    tops = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert tops == ["Enable loadable module support", "Kernel hacking"]
    hacking = tree.topLevelItem(1)
    assert _texts(hacking) == ["Kernel debugging", "Memory Debugging",
                               "Lock Debugging (spinlocks, mutexes, etc...)",
                               "Kernel Testing and Coverage"]
    assert _texts(hacking.child(2)) == ["Lock debugging: prove locking correctness",
                                        "Sleep inside atomic section checking"]
    for name in ("DEBUG_ATOMIC_SLEEP", "PROVE_LOCKING", "KASAN", "DEBUG_KMEMLEAK",
                 "FAULT_INJECTION"):
        assert not pane.is_checked(name) and pane.is_enabled(name)
    assert pane.is_checked("DEBUG_KERNEL")
    assert not pane.is_enabled("FAILSLAB")              # FAULT_INJECTION is off
    tree.setCurrentItem(pane._items["DEBUG_ATOMIC_SLEEP"])
    assert pane.note.text().startswith("CONFIG_DEBUG_ATOMIC_SLEEP: Every function that may sleep")
    assert "might_sleep()" in pane._items["DEBUG_ATOMIC_SLEEP"].toolTip(0)


def test_turning_an_option_on_reboots_into_a_reporting_kernel(qtbot, make_window):
    win = make_window("atomic_sleep.c")
    assert win.kconfig.request("DEBUG_ATOMIC_SLEEP", True)
    assert win.kconfig.is_checked("DEBUG_ATOMIC_SLEEP")
    win.insmod()
    wait_idle(qtbot, win)
    assert any("BUG: sleeping function called from invalid context" in line
               for line in win.dmesg.line_texts())
