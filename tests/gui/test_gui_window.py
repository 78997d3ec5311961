"""The window over the real engine: each panel reacts to engine events and
each command a panel sends reaches the engine."""
from __future__ import annotations

import gc
import weakref

from pathlib import Path

from conftest import wait_idle
from PySide6.QtCore import Qt, QTimer

from kmodgui import SAMPLES_DIR as SAMPLES

LSMOD_HEADER = "Module                  Size  Used by\n"


def test_toolbar_insmod_updates_modules_dmesg_timeline_shell(qtbot, make_window):
    win = make_window("hi.c")
    win.acts["insmod"].trigger()
    wait_idle(qtbot, win)
    assert win.modules_panel.rows() == [["hi", "16384", "0", "Live", "(OE)"]]
    lines = win.dmesg.line_texts()
    assert lines[-1].startswith("  info   [") and lines[-1].endswith("] hi module being loaded.")
    assert any(line.startswith("  warn   [") and "loading out-of-tree module taints kernel." in line
               for line in lines)
    assert "# insmod hi.ko\n" in win.shell.text()
    assert [ln.label for ln in win.timeline.model.lanes] == ["hi", "hi: init"]
    assert [b.style for b in win.timeline.model.bars] == ["loading", "running", "live"]
    assert win.source.discarded == {"init"}                # .init.text freed after init
    assert "freed after init" in win.source.describe_line(8)


def test_insmod_skull_fills_resources_and_timeline(qtbot, make_window):
    win = make_window("skull.c")
    win.acts["insmod"].trigger()
    wait_idle(qtbot, win)
    assert [r[0] for r in win.modules_panel.rows()] == ["skull"]
    rows = win.resources.rows()
    assert rows[0] == ["skull  (3 held)"]
    assert [(r[1], r[2]) for r in rows[1:]] == [
        ("this", "register_this()"), ("that", "register_that()"), ("those", "register_those()")]
    assert all(r[3].startswith("skull.c:") for r in rows[1:])
    model = win.timeline.model
    assert [ln.label for ln in model.lanes] == ["skull", "skull: init", 'this "skull"',
                                                'that "skull"', 'those "skull"']
    assert len(win.timeline.plot._bars["held"].opts["x0"]) == 3
    assert "skull: loaded" in win.dmesg.line_texts()[-1]
    win.rmmod()
    wait_idle(qtbot, win)
    assert win.resources.rows() == []
    assert len(win.timeline.plot._bars["released"].opts["x0"]) == 3
    assert [m.kind for m in model.markers] == ["insmod", "rmmod"]


def test_injected_fault_unwinds_and_is_marked(qtbot, make_window):
    win = make_window("skull.c")
    # a kernel built with fail_function announces the failure in dmesg
    win.shell.run("kconfig FAULT_INJECTION=y FAIL_FUNCTION=y")
    wait_idle(qtbot, win)
    win.ask = lambda title, label, default: default          # accept the suggestion
    win.acts["inject"].trigger()
    wait_idle(qtbot, win)
    assert "# inject register_those\n" in win.shell.text()
    win.insmod()
    wait_idle(qtbot, win)
    assert win.modules_panel.rows() == []
    assert [p.kind for p in win.timeline.model.points] == ["injected"]
    assert len(win.timeline.plot._bars["released"].opts["x0"]) == 2  # that, this: unwound
    starred = [ln for ln in win.dmesg.line_texts() if ln.startswith("★")]
    assert starred and "FAULT_INJECTION: forcing a failure." in starred[0]
    assert win.timeline.model.markers[-1].kind == "init-failed"


def test_leak_is_shown_after_rmmod(qtbot, make_window):
    win = make_window("leak.c")
    win.insmod()
    wait_idle(qtbot, win)
    win.rmmod()
    wait_idle(qtbot, win)
    rows = win.resources.rows()
    assert rows[0][0].startswith("leak  LEAK: module gone, 1 still held")
    assert rows[1][1] == "memory"
    assert len(win.timeline.plot._bars["leak"].opts["x0"]) == 1


def test_timeline_click_selects_dmesg_and_source(qtbot, make_window):
    win = make_window("skull.c")
    win.insmod()
    wait_idle(qtbot, win)
    bar = next(b for b in win.timeline.model.bars if b.title.startswith("that"))
    win.timeline.eventActivated.emit(bar.boot_ts, bar.site.file, bar.site.line)
    assert win.source.selected_line == bar.site.line
    assert "register_that" in win.source.document().findBlockByNumber(bar.site.line - 1).text()
    row = win.dmesg.view.textCursor().blockNumber()
    assert win.dmesg.line_texts()[row].endswith("skull: registering that")


def test_permanent_module_is_tagged_and_busy(qtbot, make_window):
    win = make_window("hi_permanent.c")
    win.insmod()
    wait_idle(qtbot, win)
    [row] = win.modules_panel.rows()
    assert row[0] == "hi_permanent" and row[2] == "0 [permanent]"
    win.rmmod()
    wait_idle(qtbot, win)
    assert ("rmmod: ERROR: could not remove module hi_permanent: Device or resource busy\n"
            in win.shell.text())
    assert [r[0] for r in win.modules_panel.rows()] == ["hi_permanent"]


def test_context_menu_rmmod_force_removes_permanent(qtbot, make_window):
    win = make_window("hi_permanent.c")
    win.insmod()
    wait_idle(qtbot, win)
    menu = win.modules_panel.context_menu("hi_permanent")
    [force] = [a for a in menu.actions() if a.text() == "rmmod -f hi_permanent"]
    force.trigger()
    wait_idle(qtbot, win)
    assert "# rmmod -f hi_permanent\n" in win.shell.text()
    assert win.modules_panel.rows() == []
    assert any("Disabling lock debugging due to kernel taint" in line
               for line in win.dmesg.line_texts())


def test_shell_runs_lsmod_and_keeps_history(qtbot, make_window):
    win = make_window("hi.c")
    shell = win.shell
    for line in ("insmod hi.ko", "lsmod"):
        shell.input.setText(line)
        qtbot.keyClick(shell.input, Qt.Key_Return)
        wait_idle(qtbot, win)
    assert "# lsmod\n" + LSMOD_HEADER + "hi                     16384  0\n" in shell.text()
    qtbot.keyClick(shell.input, Qt.Key_Up)
    assert shell.input.text() == "lsmod"
    qtbot.keyClick(shell.input, Qt.Key_Up)
    assert shell.input.text() == "insmod hi.ko"
    qtbot.keyClick(shell.input, Qt.Key_Down)
    qtbot.keyClick(shell.input, Qt.Key_Down)
    assert shell.input.text() == ""


def test_module_unload_off_makes_rmmod_impossible(qtbot, make_window):
    win = make_window("hi.c")
    assert win.kconfig.is_enabled("MODULE_FORCE_UNLOAD")
    assert win.kconfig.request("MODULE_UNLOAD", False)
    assert win.bridge.config()["MODULE_UNLOAD"] is False
    assert not win.kconfig.is_checked("MODULE_UNLOAD")
    assert not win.kconfig.is_enabled("MODULE_FORCE_UNLOAD")
    assert "rmmod cannot remove" in win.kconfig.note.text()
    win.insmod()
    wait_idle(qtbot, win)
    name, _size, used_by, state, _taints = win.modules_panel.rows()[0]
    assert (name, used_by, state) == ("hi", "-", "Live")    # no refcount without unloading
    assert win.source.discarded == {"init", "exit"}
    win.rmmod()
    wait_idle(qtbot, win)
    assert "rmmod: ERROR: Module unloading is not supported\n" in win.shell.text()
    assert [r[0] for r in win.modules_panel.rows()] == ["hi"]


def test_kconfig_change_can_be_refused(qtbot, make_window):
    win = make_window("hi.c")
    win.kconfig.confirm = lambda text: False
    assert not win.kconfig.request("MODULE_UNLOAD", False)
    assert win.bridge.config()["MODULE_UNLOAD"] and win.kconfig.is_checked("MODULE_UNLOAD")


def test_reboot_and_profile_switch(qtbot, make_window):
    win = make_window("hi.c")
    win.insmod()
    wait_idle(qtbot, win)
    win.switch_profile("2.6.30")
    wait_idle(qtbot, win)
    assert win.bridge.profile_name() == "2.6.30"
    assert win.profile_box.currentData() == "2.6.30"
    assert win.modules_panel.rows() == []
    assert win.dmesg.line_texts()[-1] == "──── reboot: kernel 2.6.30 ────"
    assert win.timeline.model.markers[-1].kind == "reboot"
    win.insmod()
    wait_idle(qtbot, win)
    win.shell.run("lsmod")
    wait_idle(qtbot, win)
    assert "hi                      " in win.shell.text()


def test_zoom_scales_every_pane(qtbot, make_window):
    win = make_window("hi.c")
    win.insmod()
    wait_idle(qtbot, win)
    plot = win.timeline.plot

    def sizes() -> dict[str, float]:
        return {"source": win.source.font().pointSizeF(),
                "dmesg": win.dmesg.view.font().pointSizeF(),
                "shell": win.shell.output.font().pointSizeF(),
                "modules": win.modules_panel.tree.font().pointSizeF(),
                "resources": win.resources.tree.font().pointSizeF(),
                "kconfig": win.kconfig.tree.font().pointSizeF(),
                "toolbar": win.toolbar.font().pointSizeF(),
                "plot-axis": plot.getAxis("left").style["tickFont"].pointSizeF(),
                "plot-pen": plot._bars["leak"].opts["pen"].widthF(),
                "plot-marker": plot._points["failed"].opts["size"],
                "gutter": float(win.source.gutter.total_width())}
    before = sizes()
    win.activateWindow()
    qtbot.keyClick(win.source, Qt.Key_Equal, Qt.ControlModifier)
    assert win.zoom == 1.15
    win.set_zoom(2.0)
    after = sizes()
    assert all(after[k] > before[k] * 1.5 for k in before), (before, after)
    win.acts["zoom_reset"].trigger()
    assert sizes() == before


def test_layout_and_zoom_survive_a_restart(qtbot, make_window):
    win = make_window("hi.c")
    win.docks["dockResources"].hide()
    win.set_zoom(1.3)
    win.close()
    again = make_window("hi.c")
    assert again.docks["dockResources"].isHidden()
    assert not again.docks["dockKconfig"].isHidden()
    assert again.zoom == 1.3
    again.reset_layout()
    assert not again.docks["dockResources"].isHidden()


def test_presentation_mode_hides_docks_and_esc_leaves(qtbot, make_window):
    win = make_window("hi.c")
    win.acts["presentation"].trigger()
    assert win.presenting and win.docks["dockKconfig"].isHidden()
    assert win.theme.name == "high-contrast" and win.zoom >= 1.5
    win.shell.input.setFocus()
    qtbot.keyClick(win.shell.input, Qt.Key_Escape)          # Esc leaves from any pane
    assert not win.presenting and not win.docks["dockKconfig"].isHidden()
    assert win.zoom == 1.0


def test_runaway_init_keeps_the_window_responsive(qtbot, make_window):
    win = make_window("broken/spin.c")
    win.insmod()
    qtbot.waitUntil(lambda: win.modules_panel.rows() != [], timeout=10_000)
    assert win.modules_panel.rows()[0][3] == "Loading"
    fired: list[int] = []
    QTimer.singleShot(20, lambda: fired.append(1))
    qtbot.waitUntil(lambda: fired == [1], timeout=5000)    # the loop still turns
    win.shell.input.setText("lsmod")                       # typed while spinning
    qtbot.keyClick(win.shell.input, Qt.Key_Return)
    win.acts["interrupt"].trigger()
    wait_idle(qtbot, win)
    assert "^C" in win.shell.text()
    assert win.modules_panel.rows()[0][3] == "Loading"     # stuck in COMING for good


def test_build_marks_diagnostics_in_the_source(qtbot, make_window):
    win = make_window("broken/syntax_error.c")
    [diag] = [d for d in win._last_build.diagnostics if d.severity == "error"]
    assert diag.file == "syntax_error.c" and diag.line > 0
    assert [(m.line, m.severity) for m in win.source.marks] == [(diag.line, "error")]
    assert diag.message in win.source.describe_line(diag.line)
    assert "build failed" in win.source_header.text()
    win.acts["build"].trigger()
    # the shell shows gcc 12's display column (a tab advances to the next
    # multiple of 8), the editor the character column the diagnostic holds
    from kmodgui import SAMPLES_DIR
    from kmodgui.kbuild.diagnostics import _display_column
    shown = _display_column(diag, (SAMPLES_DIR / "broken" / "syntax_error.c").read_text())
    assert f"syntax_error.c:{diag.line}:{shown.col}: error: {diag.message}" in win.shell.text()


def test_insmod_with_parameters_prompt(qtbot, make_window):
    win = make_window("hellop.c")
    asked: list[str] = []

    def answer(title: str, label: str, default: str) -> str:
        asked.append(default)
        return 'whom="Mom" howmany=3'
    win.ask = answer
    win.acts["insmod_params"].trigger()
    wait_idle(qtbot, win)
    assert asked == ["howmany= whom="]                     # the module's own parameters
    assert '# insmod hellop.ko whom="Mom" howmany=3\n' in win.shell.text()
    assert sum(line.endswith("Hello, Mom") for line in win.dmesg.line_texts()) == 3


def test_samples_recent_files_and_drop(qtbot, make_window, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent
    win = make_window("hi.c")
    samples = win.findChild(type(win.recent_menu), "menuSamples")
    names = [b.text() for a in samples.actions() if a.menu() for b in a.menu().actions()]
    assert any(n.startswith("skull.c  —  ") for n in names)
    assert any(n.startswith("syntax_error.c  —  ") for n in names)
    mine = tmp_path / "mine.c"
    mine.write_text((Path(win.source_path)).read_text().replace("hi module", "mine module"))
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(mine))])
    drop = QDropEvent(QPointF(10, 10), Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier)
    win.dropEvent(drop)
    assert win.source_path == mine and win.module() == "mine"
    assert [a.text() for a in win.recent_menu.actions()][:2] == [str(mine), str(SAMPLES / "hi.c")]
    win.insmod()                                            # cwd followed the file
    wait_idle(qtbot, win)
    assert [r[0] for r in win.modules_panel.rows()] == ["mine"]


def test_first_frame_comes_before_the_kernel_boots(qtbot, settings_path):
    from kmodgui.gui.mainwindow import MainWindow
    from kmodgui.gui.settings import open_settings
    from kmodgui.session import Session
    booted: list[int] = []

    def boot() -> Session:
        booted.append(1)
        return Session()
    win = MainWindow(boot, open_settings(settings_path), follow_system_theme=False)
    qtbot.addWidget(win)
    win.open_source(SAMPLES / "hi.c")
    win.shell.run("insmod hi.ko")                           # typed before the boot
    assert booted == [] and win.modules_panel.rows() == [] and win.bridge.busy
    win.show()
    qtbot.waitUntil(lambda: win.timeline.plot is not None)
    assert booted == [1]
    wait_idle(qtbot, win)
    assert [r[0] for r in win.modules_panel.rows()] == ["hi"]
    assert win.kconfig.is_checked("MODULE_UNLOAD")
    assert not any("reboot" in line for line in win.dmesg.line_texts())


def test_timeline_hover_describes_what_and_where(qtbot, make_window):
    from PySide6.QtCore import QPointF
    win = make_window("skull.c")
    win.insmod()
    wait_idle(qtbot, win)
    plot = win.timeline.plot
    bar = next(b for b in win.timeline.model.bars if b.title.startswith("those"))
    vb = plot.getPlotItem().vb
    vb.updateAutoRange()                    # pyqtgraph does it at the next paint
    row = plot._rows[bar.lane]
    x = (bar.start + (plot._end_x(bar) - bar.start) / 2) / 1e9
    hit = plot.hit(vb.mapViewToScene(QPointF(x, row)))
    assert hit is bar
    text = plot.describe(hit)
    assert "acquired by register_those() at skull.c:" in text and "(still held)" in text
    assert plot.hit(vb.mapViewToScene(QPointF(x, row + 0.5))) is None   # between lanes


def _closed_window(qtbot, settings_path) -> weakref.ref:
    """A window with every feature, hi.ko loaded, then closed and deleted."""
    from kmodgui import SAMPLES_DIR
    from kmodgui.gui.app import features
    from kmodgui.gui.mainwindow import MainWindow
    from kmodgui.gui.settings import open_settings
    from kmodgui.session import Session

    win = MainWindow(Session(profile="6.1"), open_settings(settings_path),
                     follow_system_theme=False, features=features())
    win.confirm = lambda title, text: True
    win.open_source(SAMPLES_DIR / "hi.c")
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.timeline.plot is not None)
    win.shell.run("insmod hi.ko")
    qtbot.waitUntil(lambda: not win.bridge.busy, timeout=10_000)
    win.close()
    win.deleteLater()
    return weakref.ref(win)


def test_a_closed_window_leaves_nothing_behind(qtbot, settings_path) -> None:
    """Every feature installed, a module loaded, the window closed: no
    top-level widget (pyqtgraph's parentless "Plot Options" menu was one)
    and no Python object of the window outlive it (a lambda connected to
    the application's colour-scheme signal, and a 1.5 s timer's lambda,
    kept closed windows alive)."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication, QWidget
    from shiboken6 import getCppPointer

    def tops() -> dict[int, QWidget]:       # by C++ address: wrappers come and go
        return {getCppPointer(w)[0]: w for w in QApplication.topLevelWidgets()}

    before = set(tops())
    gone = _closed_window(qtbot, settings_path)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    # the first window of a process freezes the start-up heap: thaw it so
    # this window's cycles are collectable whatever ran before
    gc.unfreeze()
    gc.collect()
    left = [w for addr, w in tops().items() if addr not in before]
    assert [type(w).__name__ + " " + (w.windowTitle() or "") for w in left] == []
    assert gone() is None


def test_the_boot_and_first_build_run_off_the_gui_thread(qtbot, settings_path):
    """After the first frame the kernel boots on a worker thread: the event
    loop keeps turning while it does (here the boot waits for a timer of the
    GUI thread), and the quiet build of the open module arrives."""
    import threading
    from kmodgui.gui.mainwindow import MainWindow
    from kmodgui.gui.settings import open_settings
    from kmodgui.session import Session
    may_boot = threading.Event()
    threads: list[str] = []

    def boot() -> Session:
        threads.append(threading.current_thread().name)
        assert may_boot.wait(10)             # only a turning event loop sets it
        return Session()
    win = MainWindow(boot, open_settings(settings_path), follow_system_theme=False)
    qtbot.addWidget(win)
    win.open_source(SAMPLES / "hi.c")
    finished: list[int] = []
    win.startupFinished.connect(lambda: finished.append(1))
    win.show()
    qtbot.waitUntil(lambda: win.bridge.booting)
    assert not win.bridge.ready
    QTimer.singleShot(50, may_boot.set)
    with qtbot.waitSignal(win.startupFinished, timeout=20_000):
        pass
    assert threads == ["kmodgui-boot"]
    assert win.bridge.ready and win.timeline.plot is not None and finished == [1]
    assert win._last_build is not None and win._last_build.ok
    win.finish_startup()                     # idempotent
    assert finished == [1]


def test_a_command_during_the_background_boot_waits_for_it(qtbot, settings_path):
    from kmodgui.gui.mainwindow import MainWindow
    from kmodgui.gui.settings import open_settings
    from kmodgui.session import Session
    booted: list[int] = []

    def boot() -> Session:
        booted.append(1)
        return Session()
    win = MainWindow(boot, open_settings(settings_path), follow_system_theme=False)
    qtbot.addWidget(win)
    win.open_source(SAMPLES / "hi.c")
    win.show()
    qtbot.waitUntil(lambda: win.bridge.booting or win.bridge.ready)
    win.bridge.reboot()                      # needs the engine now: joins the worker
    assert win.bridge.ready and booted == [1]
    qtbot.waitUntil(lambda: win.timeline.plot is not None)
    assert booted == [1]
