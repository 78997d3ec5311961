"""Kernel timers (kernel/time/timer.c).

The timer_list lives in the module's memory; its function (and in 2.6.30
its data) are read from there when the timer is armed, so a module that
fills the fields itself (`t.function = f; t.data = x;`, the 2.6.30 style)
works too.  The kernel's timer wheel is k.kernel.add_timer(key,
expires, fn, arg, module) / k.kernel.del_timer(key); the callback gets the
timer_list pointer (6.1) or timer->data (2.6.30).  timer_pending() reads
entry.pprev (6.1) / entry.next (2.6.30), so those fields are kept as the
real wheel keeps them.  The kernel calls timer_fired(kernel, key) just
before it runs a callback: the timer is then no longer pending.
"""
from __future__ import annotations

from dataclasses import dataclass

from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.bug import KernelBug
from kmodgui.kernel.kapi.common import (switch, offset, owner, read_field,
                                        where, write_field)
from kmodgui.kernel.memory import Memory
from kmodgui.kernel.services import KCall, KernelServices

TIMER_BASE_MARK = 0xFFFF888000F00000    # stands for &base->vectors[idx]
LIST_POISON2_61 = 0xDEAD000000000122


@dataclass
class ArmedTimer:
    addr: int
    next_off: int | None     # offset of entry.next
    pprev_off: int | None    # offset of entry.pprev (entry.prev in 2.6.30)
    old: bool                # 2.6.30 layout


def timers(kernel: KernelServices) -> dict[int, ArmedTimer]:
    return kernel.names.setdefault("timers", {})


def _entry_offsets(k: KCall) -> tuple[int | None, int | None]:
    base = offset(k, "timer_list", "entry")
    if base is None:
        return None, None
    return base, base + 8


def _mark(mem: Memory, t: ArmedTimer, pending: bool) -> None:
    """Set entry as enqueue_timer()/detach_timer() leave it."""
    if t.next_off is None or t.pprev_off is None:      # headers without timer_list.entry
        return
    if pending:
        mem.write_int(t.addr + t.next_off, 8, TIMER_BASE_MARK)
        mem.write_int(t.addr + t.pprev_off, 8, TIMER_BASE_MARK)
    elif t.old:
        mem.write_int(t.addr + t.next_off, 8, 0)
    else:
        mem.write_int(t.addr + t.pprev_off, 8, 0)
        mem.write_int(t.addr + t.next_off, 8, LIST_POISON2_61)


def pending(k: KCall, timer: int) -> bool:
    return timer in timers(k.kernel)


def arm(k: KCall, timer: int, expires: int, api: str) -> int:
    """__mod_timer(): (re)queue; 1 if it was pending before."""
    was = 1 if k.kernel.del_timer(timer) else 0
    timers(k.kernel).pop(timer, None)
    fn = read_field(k, timer, "timer_list", "function") or 0
    arg = (read_field(k, timer, "timer_list", "data") or 0) if switch(k, "timer_data") else timer
    write_field(k, timer, "timer_list", "expires", expires)
    k.kernel.add_timer(timer, expires, fn, arg, k.module)
    t = ArmedTimer(timer, *_entry_offsets(k), switch(k, "timer_data"))
    timers(k.kernel)[timer] = t
    _mark(k.mem, t, True)
    if k.kernel.ledger.find("timer", timer) is None:
        k.kernel.ledger.acquire("timer", timer, f"timer {timer:#x}", owner(k),
                                k.site, api)
    return was


def disarm(k: KCall, timer: int, api: str) -> int:
    """del_timer(): 1 if it was pending."""
    was = k.kernel.del_timer(timer)
    t = timers(k.kernel).pop(timer, None)
    if t is not None:
        _mark(k.mem, t, False)
    if was:
        k.kernel.ledger.release("timer", timer, api, k.site, owner(k))
    return 1 if was else 0


def timer_fired(kernel: KernelServices, key: int) -> None:
    """call_timer_fn() is about to run: the timer is no longer queued."""
    t = timers(kernel).pop(key, None)
    if t is not None:
        _mark(kernel.mem, t, False)
    if kernel.ledger.find("timer", key) is not None:
        kernel.ledger.release("timer", key, "run_timer_softirq", None, "kernel")


# -- setting up ----------------------------------------------------------
def _detach(k: KCall, timer: int) -> None:
    """init_timer(): entry.next = NULL (2.6.30), entry.pprev = NULL (6.1)."""
    next_off, pprev_off = _entry_offsets(k)
    if next_off is not None and pprev_off is not None:
        k.mem.write_int(timer + next_off, 8, 0)
        k.mem.write_int(timer + pprev_off, 8, 0)


def _setup(k: KCall, timer: int, fn: int, flags_or_data: int) -> None:
    """init_timer_key() + the callback (and flags, or data in 2.6.30)."""
    _detach(k, timer)
    write_field(k, timer, "timer_list", "function", fn)
    if switch(k, "timer_data"):
        write_field(k, timer, "timer_list", "data", flags_or_data)
    else:
        write_field(k, timer, "timer_list", "flags", flags_or_data, 4)


@kapi("timer_setup")
def timer_setup(k: KCall, timer: int, callback: int, flags: int) -> int:
    """6.1: the callback receives the timer_list pointer."""
    _setup(k, timer, callback, flags)
    return 0


@kapi("init_timer_key")
def init_timer_key(k: KCall, timer: int, *rest: int) -> int:
    """6.1 (timer, func, flags, name, key); 2.6.30 (timer, name, key)."""
    if switch(k, "timer_data"):
        _detach(k, timer)
    else:
        _setup(k, timer, rest[0], rest[1])
    return 0


@kapi("init_timer")
def init_timer(k: KCall, timer: int) -> int:
    """2.6.30: detach; the module sets ->function and ->data itself."""
    _detach(k, timer)
    return 0


@kapi("setup_timer")
def setup_timer(k: KCall, timer: int, fn: int, data: int) -> int:
    """2.6.30: the callback receives `data`."""
    _setup(k, timer, fn, data)
    return 0


@kapi("setup_timer_key")
def setup_timer_key(k: KCall, timer: int, name: int, key: int, fn: int,
                    data: int) -> int:
    _setup(k, timer, fn, data)
    return 0


# -- arming and disarming ------------------------------------------------
@kapi("mod_timer")
def mod_timer(k: KCall, timer: int, expires: int) -> int:
    return arm(k, timer, expires, "mod_timer")


@kapi("add_timer")
def add_timer(k: KCall, timer: int) -> int:
    """BUG_ON(timer_pending(timer)), then queue at timer->expires."""
    if pending(k, timer):
        raise KernelBug(*where(k, "add_timer"))
    expires = read_field(k, timer, "timer_list", "expires") or 0
    arm(k, timer, expires, "add_timer")
    return 0


@kapi("del_timer")
def del_timer(k: KCall, timer: int) -> int:
    return disarm(k, timer, "del_timer")


@kapi("del_timer_sync")
def del_timer_sync(k: KCall, timer: int) -> int:
    """Single CPU: no callback can be running elsewhere."""
    return disarm(k, timer, "del_timer_sync")


@kapi("timer_delete")
def timer_delete(k: KCall, timer: int) -> int:
    return disarm(k, timer, "timer_delete")


@kapi("timer_delete_sync")
def timer_delete_sync(k: KCall, timer: int) -> int:
    return disarm(k, timer, "timer_delete_sync")


@kapi("try_to_del_timer_sync")
def try_to_del_timer_sync(k: KCall, timer: int) -> int:
    return disarm(k, timer, "try_to_del_timer_sync")


@kapi("timer_pending")
def timer_pending(k: KCall, timer: int) -> int:
    return 1 if pending(k, timer) else 0
