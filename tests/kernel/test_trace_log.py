"""The trace's event log: absolute numbering over a bounded window of the
most recent events."""
from __future__ import annotations

import pytest

from kmodgui.kernel.events import FORGOTTEN, TRACE_KEPT, EventLog, Printk, Trace


def line(i: int) -> Printk:
    return Printk(i, i, 6, f"line {i}", None)


def test_a_short_log_behaves_as_a_list():
    log = EventLog(limit=8)
    evs = [line(i) for i in range(5)]
    for ev in evs:
        log.append(ev)
    assert len(log) == 5 and list(log) == evs and log == evs
    assert log[0] is evs[0] and log[-1] is evs[4] and log[2:4] == evs[2:4]
    assert list(reversed(log)) == evs[::-1]
    with pytest.raises(IndexError):
        log[5]


def test_old_events_are_dropped_but_positions_keep_their_meaning():
    log = EventLog(limit=8)
    evs = [line(i) for i in range(100)]
    mark = 0
    for i, ev in enumerate(evs):
        if i == 90:
            mark = len(log)
        log.append(ev)
    assert len(log) == 100                       # every event counts ...
    assert 8 <= len(list(log)) <= 10             # ... the most recent are kept
    assert list(log) == evs[log.first:]
    assert log[mark:] == evs[90:]                # a mark taken earlier still works
    assert log[99] is evs[99] and log[log.first] is evs[log.first]
    assert log[3] is FORGOTTEN                   # dropped: a placeholder, no error
    assert log[:5] == [] and log[:log.first + 1] == [evs[log.first]]


def test_deleting_the_tail_rewinds_the_numbering():
    log = EventLog(limit=8)
    for i in range(50):
        log.append(line(i))
    del log[45:]
    assert len(log) == 45 and log[-1].seq == 44
    del log[10:]                                  # before the oldest kept one
    assert len(log) == 10 and list(log) == []
    log.append(line(99))
    assert len(log) == 11 and log[10].seq == 99
    with pytest.raises(TypeError):
        del log[3]


def test_a_snapshot_is_numbered_like_the_log():
    log = EventLog(limit=8)
    for i in range(30):
        log.append(line(i))
    snap = log.copy()
    log.append(line(30))
    assert len(snap) == 30 and snap.first == log.first and snap[29].seq == 29
    del log[5:]                                   # a replay replaces the tail ...
    log.extend(line(100 + i) for i in range(20))
    log.restore(snap)                             # ... and is refused
    assert log == snap and len(log) == 30 and log[29].seq == 29


def test_a_session_keeps_a_window_of_its_trace_and_numbers_it_from_the_start():
    trace = Trace()
    for i in range(TRACE_KEPT * 2):
        trace.emit(line(i))
    assert len(trace.events) == TRACE_KEPT * 2
    assert TRACE_KEPT <= len(list(trace.events)) <= TRACE_KEPT * 5 // 4
