"""Kernel → Run this session on a real kernel, and the Real kernel pane.

The comparisons shown come from recordings made on the real machine
(Debian's linux-image-6.1.0-56-amd64 in QEMU, `kmodsim record --real`):
tests/reference/real/hi.txt and skull-param.txt, and
tests/gui/data/real/inject-skull-param.txt (`inject kmalloc; insmod
skull_param.ko; dmesg`: the recorder marks `inject` as not run, and the
module loaded).
"""
from __future__ import annotations

import os
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from kmodgui.gui import realkernel
from kmodgui.gui.realkernel import report, runner
from kmodgui.gui.realkernel.session_log import SessionLog
from kmodgui.realkernel import machine

HERE = Path(__file__).resolve().parent
REAL = HERE.parent / "reference" / "real"
INJECT = HERE / "data" / "real" / "inject-skull-param.txt"


@pytest.fixture
def make_real_window(qtbot, settings_path):
    """A MainWindow with the realkernel feature installed, on the samples."""
    from kmodgui import SAMPLES_DIR
    from kmodgui.gui.mainwindow import MainWindow
    from kmodgui.gui.settings import open_settings
    from kmodgui.session import Session

    def make(source: str = "hi.c"):
        win = MainWindow(Session(profile="6.1"), open_settings(settings_path),
                         follow_system_theme=False, features=(realkernel.install,))
        win.confirm = lambda title, text: True
        qtbot.addWidget(win)
        win.open_source(SAMPLES_DIR / source)
        win.resize(1400, 900)
        win.show()
        qtbot.waitExposed(win)
        return win
    return make


def _feature(win) -> realkernel.RealKernel:
    pane = win.bench.widget(realkernel.DOCK)
    return pane.open_recording.__self__        # the feature that owns the pane


def _open(qtbot, win, path: Path):
    """Kernel → Compare a real-kernel recording… of `path`, until it is shown."""
    pane = win.bench.widget(realkernel.DOCK)
    pane.open_recording(path)
    qtbot.waitUntil(lambda: not _feature(win).busy, timeout=30_000)
    return pane


def _run(qtbot, win, line: str) -> None:
    win.shell.run(line)
    qtbot.waitUntil(lambda: not win.bridge.busy, timeout=10_000)


# -- the pane, from real recordings ---------------------------------------------------
def test_pane_shows_a_real_recording_beside_the_simulator(make_real_window, qtbot) -> None:
    win = make_real_window()
    pane = _open(qtbot, win, REAL / "hi.txt")
    rep = pane.report
    assert [r.command for r in rep.rows] == ["insmod hi.ko", "lsmod", "rmmod hi"]
    real = [ln.text for ln in rep.rows[0].real]
    assert "<6>[TIME] hi module being loaded." in real
    assert any("hi module being loaded." in ln.text for ln in rep.rows[0].sim)
    # the simulator reproduces this recording: every step matches, nothing marked
    assert [r.verdict for r in rep.rows] == [report.SAME] * 3
    assert not any(ln.marked for r in rep.rows for ln in r.real + r.sim)
    assert "3 of 3 steps match" in pane.status.text()
    shown = pane.view.toPlainText()
    assert "✔ same" in shown and "Real kernel 6.1.0-56-amd64 (QEMU)" in shown
    assert win.docks[realkernel.DOCK].isVisible()


def test_a_module_made_to_fail_by_a_parameter(make_real_window, qtbot) -> None:
    win = make_real_window("skull_param.c")
    pane = _open(qtbot, win, REAL / "skull-param.txt")
    row = pane.report.rows[3]
    assert row.command == "insmod skull_param.ko fail_at=3"
    real = [ln.text for ln in row.real]
    assert "2| insmod: ERROR: could not insert module skull_param.ko: Cannot allocate memory" \
        in real
    assert "<6>[TIME] skull_param: unwinding: freeing that" in real
    assert "<3>[TIME] skull_param: init failed with error -12" in real
    assert row.verdict == report.SAME


def test_a_fault_injected_session_says_the_real_kernel_has_none(make_real_window, qtbot) -> None:
    win = make_real_window("skull_param.c")
    pane = _open(qtbot, win, INJECT)
    inject, insmod, _dmesg = pane.report.rows
    assert inject.verdict == report.SIM_ONLY
    assert [ln.text for ln in inject.real] == [report.NO_FAULT_INJECTION]
    assert "sh: inject: not found" not in pane.view.toPlainText()
    # the real machine loaded the module; the simulator made kmalloc fail
    assert insmod.verdict == report.DIFFERS and report.AFTER_INJECTION in insmod.note
    marked_sim = [ln.text for ln in insmod.sim if ln.marked]
    assert "2| insmod: ERROR: could not insert module skull_param.ko: Cannot allocate memory" \
        in marked_sim
    marked_real = [ln.text for ln in insmod.real if ln.marked]
    assert "<6>[TIME] skull_param: loaded" in marked_real
    text = pane.view.toPlainText()
    assert "✘ differs" in text and "⚠ simulator only" in text
    assert "≠ " in text                       # the marks are characters, not only colour
    assert "has none" in pane.status.text()


def test_a_file_that_is_not_a_recording_is_said_so(make_real_window, qtbot,
                                                     tmp_path) -> None:
    win = make_real_window()
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n")
    pane = _open(qtbot, win, bad)
    assert pane.report is None
    assert pane.status.text().startswith("Cannot compare")
    assert "not a recorded transcript" in pane.view.toPlainText()
    _open(qtbot, win, tmp_path / "missing.txt")
    assert "Cannot compare" in pane.status.text()
    assert "No such file or directory" in pane.view.toPlainText()


def test_the_replay_runs_beside_the_window_and_can_be_cancelled(make_real_window,
                                                                qtbot) -> None:
    win = make_real_window()
    # the first frame's deferred work (boot, the quiet build, the plot) runs
    # on this thread: done now, so the ticks below see only the replay
    win.finish_startup()
    feature = _feature(win)
    pane = win.bench.widget(realkernel.DOCK)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    pane.open_recording(REAL / "depends.txt")
    assert feature.comparer.running and pane.cancel_button.isVisible()
    assert "Comparing with the simulator" in pane.status.text()
    qtbot.waitUntil(lambda: not feature.busy, timeout=30_000)
    timer.stop()
    assert pane.report is not None and len(ticks) > 5     # the window kept working
    pane.open_recording(REAL / "depends.txt")
    pane.cancel_button.click()
    qtbot.waitUntil(lambda: not feature.busy, timeout=10_000)
    assert pane.status.text().startswith("Cancelled")


# -- export -----------------------------------------------------------------------------
def test_export_html_and_text(make_real_window, qtbot, tmp_path) -> None:
    win = make_real_window("skull_param.c")
    pane = win.bench.widget(realkernel.DOCK)
    assert not pane.export_button.isEnabled()
    _open(qtbot, win, INJECT)
    assert pane.export_button.isEnabled()
    pane.ask_export_path = lambda: tmp_path / "cmp.html"
    pane.export_button.click()
    page = (tmp_path / "cmp.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page
    assert "$ insmod skull_param.ko" in page and "✘ differs" in page
    assert report.NO_FAULT_INJECTION in page
    pane.ask_export_path = lambda: tmp_path / "cmp.txt"
    pane.export_button.click()
    text = (tmp_path / "cmp.txt").read_text(encoding="utf-8")
    assert "[2] $ insmod skull_param.ko    ✘ differs" in text
    assert "      ≠ 2| insmod: ERROR: could not insert module skull_param.ko: " \
           "Cannot allocate memory" in text
    assert "0 of 3 steps match" in text      # dmesg differs too: the injected failure


# -- the action, with and without the packages --------------------------------------------
def test_the_action_is_disabled_and_names_what_is_missing(make_real_window,
                                                          monkeypatch) -> None:
    monkeypatch.setattr(machine, "pick_version", lambda wanted: machine.DEFAULT_VERSION)
    monkeypatch.setattr(machine, "missing_packages", lambda version: ["qemu-system-x86"])
    win = make_real_window()
    act = win.acts["actionRealKernelRun"]
    assert not act.isEnabled()
    assert "qemu-system-x86" in act.text()
    assert "apt-get install --no-install-recommends qemu-system-x86" in act.toolTip()
    assert act in win.bench.menu(realkernel.MenuId.KERNEL).actions()


def test_the_action_is_enabled_when_nothing_is_missing(make_real_window, monkeypatch) -> None:
    monkeypatch.setattr(machine, "pick_version", lambda wanted: machine.DEFAULT_VERSION)
    monkeypatch.setattr(machine, "missing_packages", lambda version: [])
    win = make_real_window()
    act = win.acts["actionRealKernelRun"]
    assert act.isEnabled() and act.text() == realkernel.RUN_TEXT
    assert win.acts["actionRealKernelCompare"].isEnabled()


def test_no_kernel_installed_names_its_packages(monkeypatch) -> None:
    monkeypatch.setattr(machine, "pick_version", lambda wanted: None)
    assert runner.missing() == [f"linux-image-{machine.DEFAULT_VERSION}",
                                f"linux-headers-{machine.DEFAULT_VERSION}"]


# -- the session's commands ------------------------------------------------------------------
def test_session_log_keeps_what_a_real_machine_runs() -> None:
    log = SessionLog()
    for line in ("make", "insmod hi.ko; lsmod", "debug insmod skull.ko", "next", "help",
                 "inject register_this EBUSY", "echo 'a;b'", "kconfig list"):
        log.add_line(line)
    assert log.commands == ("insmod hi.ko", "lsmod", "insmod skull.ko",
                            "inject register_this EBUSY", "echo 'a;b'")
    assert log.injects


def test_the_window_logs_the_session_since_the_last_boot(make_real_window, qtbot) -> None:
    win = make_real_window()
    feature = _feature(win)
    win.finish_startup()
    _run(qtbot, win, "insmod hi.ko")
    _run(qtbot, win, "reboot")
    _run(qtbot, win, "insmod hi.ko; lsmod")
    win.bridge.insmod("hi_42", origin="toolbar")
    qtbot.waitUntil(lambda: not win.bridge.busy, timeout=10_000)
    assert feature.log.commands == ("insmod hi.ko", "lsmod", "insmod hi_42.ko")


def test_nothing_to_run_is_said(make_real_window, monkeypatch) -> None:
    monkeypatch.setattr(realkernel, "missing", lambda: [])
    win = make_real_window()
    win.acts["actionRealKernelRun"].trigger()
    pane = win.bench.widget(realkernel.DOCK)
    assert pane.status.text().startswith("Nothing to run yet")
    assert not _feature(win).runner.running


# -- progress and cancel, with a stand-in recorder ------------------------------------------------
#: a recorder that says what the real one says, starts a child in its
#: process group (as make and QEMU are), leaves a file in TMPDIR and waits
FAKE_RECORDER = textwrap.dedent('''
    import os, subprocess, sys, tempfile, time
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    open(os.path.join(tempfile.gettempdir(), "child.pid"), "w").write(str(child.pid))
    print("kmodsim: building hi.ko with the real kbuild", file=sys.stderr, flush=True)
    print("kmodsim: booting 6.1.0-56-amd64 in QEMU", file=sys.stderr, flush=True)
    print("kmodsim: running command 1 of 2: insmod hi.ko", file=sys.stderr, flush=True)
    time.sleep(600)
''')


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:                                    # a zombie is gone too
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def test_progress_then_cancel_leaves_nothing(make_real_window, qtbot, monkeypatch,
                                             tmp_path) -> None:
    monkeypatch.setattr(realkernel, "missing", lambda: [])
    script = tmp_path / "recorder.py"
    script.write_text(FAKE_RECORDER)
    win = make_real_window()
    win.finish_startup()
    feature = _feature(win)
    feature.runner.program = [sys.executable, str(script)]
    _run(qtbot, win, "insmod hi.ko; lsmod")
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    win.acts["actionRealKernelRun"].trigger()
    pane = win.bench.widget(realkernel.DOCK)
    assert feature.runner.running and pane.cancel_button.isVisible()
    work = feature.runner.workdir
    qtbot.waitUntil(lambda: "Running command 1 of 2: insmod hi.ko" in pane.status.text(),
                    timeout=10_000)
    assert pane.bar.maximum() == 2 and "1 of 2" in pane.bar.format()
    before = len(ticks)
    qtbot.wait(400)
    assert len(ticks) > before and feature.runner.running   # the window works meanwhile
    child = int((work / "child.pid").read_text())
    assert _alive(child)
    pane.cancel_button.click()
    qtbot.waitUntil(lambda: not feature.runner.running, timeout=10_000)
    timer.stop()
    assert pane.status.text().startswith("Cancelled")
    assert not pane.cancel_button.isVisible()
    assert not work.exists()
    qtbot.waitUntil(lambda: not _alive(child), timeout=5_000)


def test_a_recorder_that_fails_says_why(make_real_window, qtbot, monkeypatch,
                                       tmp_path) -> None:
    monkeypatch.setattr(realkernel, "missing", lambda: [])
    script = tmp_path / "recorder.py"
    script.write_text("import sys\nprint('kmodsim: the real-kernel backend needs: kmod', "
                      "file=sys.stderr)\nsys.exit(69)\n")
    win = make_real_window()
    win.finish_startup()
    feature = _feature(win)
    feature.runner.program = [sys.executable, str(script)]
    _run(qtbot, win, "lsmod")
    win.acts["actionRealKernelRun"].trigger()
    pane = win.bench.widget(realkernel.DOCK)
    qtbot.waitUntil(lambda: not feature.runner.running, timeout=10_000)
    assert "the real-kernel backend needs: kmod" in pane.view.toPlainText()
    assert pane.report is None


# -- the real thing -------------------------------------------------------------------------
@pytest.mark.realkernel
@pytest.mark.timeout(400)
@pytest.mark.skipif(bool(runner.missing()), reason="the real-kernel packages are not installed")
def test_the_session_runs_on_the_real_kernel(make_real_window, qtbot) -> None:
    win = make_real_window()
    win.finish_startup()
    feature = _feature(win)
    _run(qtbot, win, "insmod hi.ko; lsmod; rmmod hi")
    phases: list[str] = []
    feature.runner.progress.connect(lambda p: phases.append(p.text))
    started = time.monotonic()
    win.acts["actionRealKernelRun"].trigger()
    work = feature.runner.workdir
    pane = win.bench.widget(realkernel.DOCK)
    qtbot.waitUntil(lambda: pane.report is not None, timeout=300_000)
    assert time.monotonic() - started < 300
    assert phases[0] == "building hi.ko with the real kbuild"
    assert phases[1].startswith("booting ")
    assert phases[2:] == ["running command 1 of 3: insmod hi.ko",
                          "running command 2 of 3: lsmod", "running command 3 of 3: rmmod hi"]
    rows = pane.report.rows
    assert [r.command for r in rows] == ["insmod hi.ko", "lsmod", "rmmod hi"]
    assert "<6>[TIME] hi module being loaded." in [ln.text for ln in rows[0].real]
    assert "<6>[TIME] hi module being unloaded." in [ln.text for ln in rows[2].real]
    assert all(r.verdict == report.SAME for r in rows)
    assert not work.exists()


def test_a_runner_that_goes_away_mid_run_leaves_nothing(make_real_window, qtbot, monkeypatch,
                                                   tmp_path) -> None:
    monkeypatch.setattr(realkernel, "missing", lambda: [])
    script = tmp_path / "recorder.py"
    script.write_text(FAKE_RECORDER)
    win = make_real_window()
    win.finish_startup()
    feature = _feature(win)
    feature.runner.program = [sys.executable, str(script)]
    _run(qtbot, win, "lsmod")
    win.acts["actionRealKernelRun"].trigger()
    work = feature.runner.workdir
    qtbot.waitUntil(lambda: (work / "child.pid").is_file(), timeout=10_000)
    qtbot.waitUntil(lambda: (work / "child.pid").read_text() != "", timeout=10_000)
    child = int((work / "child.pid").read_text())
    feature.runner.deleteLater()       # as when the window holding it is destroyed
    qtbot.waitUntil(lambda: not work.exists(), timeout=5_000)
    qtbot.waitUntil(lambda: not _alive(child), timeout=5_000)


def _group(pgid: int) -> list[int]:
    """The live (not zombie) processes of process group `pgid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(") ", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(stat[2]) == pgid and stat[0] != "Z":
                found.append(int(entry.name))
    return found


@pytest.mark.realkernel
@pytest.mark.timeout(400)
@pytest.mark.skipif(bool(runner.missing()), reason="the real-kernel packages are not installed")
def test_cancel_stops_qemu_and_leaves_nothing(make_real_window, qtbot) -> None:
    win = make_real_window()
    win.finish_startup()
    feature = _feature(win)
    _run(qtbot, win, "insmod hi.ko; lsmod")
    win.acts["actionRealKernelRun"].trigger()
    work, pane = feature.runner.workdir, win.bench.widget(realkernel.DOCK)
    qtbot.waitUntil(lambda: feature.runner.pid() > 0, timeout=10_000)
    pgid = feature.runner.pid()
    qtbot.waitUntil(lambda: "Booting" in pane.status.text(), timeout=120_000)
    qtbot.waitUntil(lambda: any("qemu-system" in Path(f"/proc/{p}/cmdline").read_bytes()
                                .decode(errors="replace") for p in _group(pgid)),
                    timeout=30_000)
    pane.cancel_button.click()
    qtbot.waitUntil(lambda: not feature.runner.running, timeout=10_000)
    assert pane.status.text().startswith("Cancelled")
    qtbot.waitUntil(lambda: not _group(pgid), timeout=5_000)
    assert not work.exists()


def test_progress_counts_what_runs_across_boots(qtbot, tmp_path) -> None:
    """The recorder numbers the commands of each boot; `inject` is not run
    and `reboot` starts a second boot: the pane counts across them."""
    script = tmp_path / "recorder.py"
    script.write_text(textwrap.dedent('''
        import sys
        for line in ("kmodsim: booting 6.1.0-56-amd64 in QEMU",
                     "kmodsim: running command 1 of 1: insmod hi.ko",
                     "kmodsim: booting 6.1.0-56-amd64 in QEMU",
                     "kmodsim: running command 1 of 1: lsmod"):
            sys.stderr.write(line + "\\n")
            sys.stderr.flush()
    '''))
    run = runner.RealRun()
    run.program = [sys.executable, str(script)]
    phases: list[runner.Phase] = []
    run.progress.connect(phases.append)
    run.start(tmp_path, ("inject kmalloc", "insmod hi.ko", "reboot", "lsmod"))
    qtbot.waitUntil(lambda: not run.running, timeout=10_000)
    counted = [p.text for p in phases if p.steps]
    assert counted == ["running command 1 of 2: insmod hi.ko", "running command 2 of 2: lsmod"]
