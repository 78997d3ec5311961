"""The bridge: engine events become batched Qt signals; commands run in
slices and report back."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer

from kmodgui import SAMPLES_DIR
from kmodgui.gui.bridge import Bridge
from kmodgui.kernel.events import Printk
from kmodgui.session import Session


@pytest.fixture
def session() -> Session:
    return Session()


def test_events_of_one_turn_arrive_as_one_batch(qtbot, session):
    bridge = Bridge(session)
    batches: list[list] = []
    bridge.events.connect(batches.append)
    for i in range(3):
        session.trace.emit(Printk(i, i, 6, f"line {i}", None))
    assert batches == []                     # nothing until the loop turns
    qtbot.waitUntil(lambda: len(batches) == 1)
    assert [e.text for e in batches[0]] == ["line 0", "line 1", "line 2"]


def test_printk_signal_carries_the_kernel_log(qtbot, session):
    bridge = Bridge(session)
    got: list = []
    bridge.printk.connect(got.extend)
    bridge.run_line("insmod skull.ko")
    qtbot.waitUntil(lambda: not bridge.busy)
    bridge.flush()
    assert all(isinstance(e, Printk) for e in got)
    assert [e.text for e in got][-4:] == ["skull: registering this", "skull: registering that",
                                          "skull: registering those", "skull: loaded"]


def test_command_results_are_reported_in_order(qtbot, session):
    bridge = Bridge(session)
    done: list[tuple] = []
    bridge.commandFinished.connect(lambda *args: done.append(args))
    bridge.run_line("insmod hi.ko")
    bridge.run_line("insmod hi.ko", "toolbar")
    qtbot.waitUntil(lambda: len(done) == 2)
    (line1, origin1, r1), (line2, origin2, r2) = done
    assert (line1, origin1, r1.status) == ("insmod hi.ko", "shell", 0)
    assert origin2 == "toolbar" and r2.status == 1
    assert r2.stderr == "insmod: ERROR: could not insert module hi.ko: File exists\n"


def test_runaway_is_sliced_and_cancellable(qtbot, session):
    session.cwd = SAMPLES_DIR / "broken"
    bridge = Bridge(session)
    bridge.run_line("insmod spin.ko")
    qtbot.waitUntil(lambda: "spin" in session.kernel.modules, timeout=10_000)
    ticks: list[int] = []
    QTimer.singleShot(10, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: ticks == [1], timeout=5000)    # the loop keeps turning
    assert bridge.busy
    with qtbot.waitSignal(bridge.commandFinished) as sig:
        bridge.cancel()
    assert sig.args[2] is None and not bridge.busy
    assert session.kernel.modules["spin"].state == "COMING"
