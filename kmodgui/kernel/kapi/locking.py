"""Spinlocks, reader-writer locks and mutexes (kernel/locking/spinlock.c,
qspinlock.c, qrwlock.c, mutex.c), as Debian's 6.1 builds them: no
DEBUG_SPINLOCK, DEBUG_MUTEXES or LOCKDEP, so misuse is silent until it
deadlocks.  With PROVE_LOCKING each acquire and release also goes through
lockdep (kmodgui/kernel/lockdep.py) first, and with DEBUG_ATOMIC_SLEEP
mutex_lock() checks that it may sleep (might_sleep.py).

The lock words live in the module's own memory, laid out as the headers
declare them, so `spin_is_locked()` and a lock's initialiser see the same
bytes the functions here change:
- a qspinlock's `val` is _Q_LOCKED_VAL (1) while held;
- a qrwlock's `cnts` counts readers in units of _QR_BIAS (1 << 9) and is
  _QW_LOCKED (0xff) while a writer holds it;
- a mutex's `owner` is the holder's task_struct (0: unlocked).

A spinning acquire of a lock that cannot be released (held by the task
itself, or by a task that cannot run while this CPU spins with
preemption off) spins for good: the watchdog's soft-lockup report.  A
mutex_lock() that must wait sleeps in TASK_UNINTERRUPTIBLE until the
owner unlocks it; waiting for itself is forever, so khungtaskd reports it
after hung_task_timeout_secs.  Every held lock is an entry in the
resource ledger, so a lock left held by init shows as a leak.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import greenlet

from kmodgui.kernel import lockdep, panic
from kmodgui.kernel.might_sleep import might_sleep
from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import owner, registry
from kmodgui.kernel.scheduler import Waiter
from kmodgui.kernel.services import KCall

if TYPE_CHECKING:
    from kmodgui.kernel.cpu import Task

Q_LOCKED_VAL = 1
QR_BIAS = 1 << 9
QW_LOCKED = 0xFF
#: RFLAGS as local_irq_save() finds them in process context: IF set
SAVED_FLAGS = 0x246
EINTR = 4


# -- the lock words ---------------------------------------------------------
def _word(k: KCall, lock: int) -> int:
    return k.mem.read_int(lock, 4)


def _set_word(k: KCall, lock: int, value: int) -> None:
    k.mem.write_int(lock, 4, value)


def _hold(k: KCall, kind: str, lock: int, api: str) -> None:
    k.kernel.ledger.acquire("lock", (kind, lock, k.task.pid if k.task else 0),
                            f"{kind} {_name(k, lock)}", owner(k), k.site, api)


def _drop(k: KCall, kind: str, lock: int, api: str, pid: int | None = None) -> None:
    key = (kind, lock, k.task.pid if pid is None and k.task else pid or 0)
    if k.kernel.ledger.find("lock", key) is not None:
        k.kernel.ledger.release("lock", key, api, k.site, owner(k))


def _name(k: KCall, lock: int) -> str:
    """What the lock lies in: the module variable's region, or its address."""
    reg = k.mem.region_at(lock)
    label = reg.label if reg is not None else ""
    return f"in {label}" if label else f"at {lock:#x}"


#: where the CPU spins: the RIP, then the frames between it and the module,
#: as recorded on the real 6.1 machine (the rwlock slow paths are reached
#: by tail calls, so no _raw_read_lock/_raw_write_lock frame shows)
SPIN_IN = {
    "spinlock": ("native_queued_spin_lock_slowpath+0x30/0x2a0", "_raw_spin_lock+0x25/0x30"),
    "read lock": ("queued_read_lock_slowpath+0x4d/0x120",),
    "write lock": ("queued_write_lock_slowpath+0x64/0x124",),
}


def _spin_forever(k: KCall, kind: str) -> None:
    """The slow path of a lock nobody can release: the CPU spins with
    preemption off until the soft-lockup watchdog reports it."""
    if k.task is not None:
        k.task.spinning = True
    k.kernel.cpu.spin(SPIN_IN[kind])


# -- spinlocks --------------------------------------------------------------
def _spin_lock(k: KCall, lock: int, api: str) -> None:
    lockdep.acquire(k, lock, "spinlock", api, trylock=api.endswith("trylock"))
    if _word(k, lock) != 0:
        _spin_forever(k, "spinlock")
    _set_word(k, lock, Q_LOCKED_VAL)
    _hold(k, "spinlock", lock, api)


def _spin_unlock(k: KCall, lock: int, api: str) -> None:
    lockdep.release(k, lock)
    _set_word(k, lock, 0)           # queued_spin_unlock(): clear the locked byte
    _drop(k, "spinlock", lock, api)


@kapi("_raw_spin_lock")
def raw_spin_lock(k: KCall, lock: int) -> int:
    _spin_lock(k, lock, "spin_lock")
    return 0


@kapi("_raw_spin_lock_bh")
def raw_spin_lock_bh(k: KCall, lock: int) -> int:
    _spin_lock(k, lock, "spin_lock_bh")
    return 0


@kapi("_raw_spin_lock_irq")
def raw_spin_lock_irq(k: KCall, lock: int) -> int:
    _spin_lock(k, lock, "spin_lock_irq")
    return 0


@kapi("_raw_spin_lock_irqsave")
def raw_spin_lock_irqsave(k: KCall, lock: int) -> int:
    """The interrupt flags as they were (IF set), then the lock."""
    _spin_lock(k, lock, "spin_lock_irqsave")
    return SAVED_FLAGS


@kapi("_raw_spin_trylock")
def raw_spin_trylock(k: KCall, lock: int) -> int:
    if _word(k, lock) != 0:
        return 0
    _spin_lock(k, lock, "spin_trylock")
    return 1


@kapi("_raw_spin_unlock")
def raw_spin_unlock(k: KCall, lock: int) -> int:
    _spin_unlock(k, lock, "spin_unlock")
    return 0


@kapi("_raw_spin_unlock_bh")
def raw_spin_unlock_bh(k: KCall, lock: int) -> int:
    _spin_unlock(k, lock, "spin_unlock_bh")
    return 0


@kapi("_raw_spin_unlock_irq")
def raw_spin_unlock_irq(k: KCall, lock: int) -> int:
    _spin_unlock(k, lock, "spin_unlock_irq")
    return 0


@kapi("_raw_spin_unlock_irqrestore")
def raw_spin_unlock_irqrestore(k: KCall, lock: int, flags: int) -> int:
    _spin_unlock(k, lock, "spin_unlock_irqrestore")
    return 0


# -- reader-writer locks ----------------------------------------------------
def _read_lock(k: KCall, lock: int, api: str) -> None:
    """queued_read_lock(): spins while a writer holds it."""
    lockdep.acquire(k, lock, "read lock", api)
    if _word(k, lock) & QW_LOCKED:
        _spin_forever(k, "read lock")
    _set_word(k, lock, _word(k, lock) + QR_BIAS)
    _hold(k, "read lock", lock, api)


def _write_lock(k: KCall, lock: int, api: str) -> None:
    """queued_write_lock(): spins until no reader and no writer holds it."""
    lockdep.acquire(k, lock, "write lock", api)
    if _word(k, lock) != 0:
        _spin_forever(k, "write lock")
    _set_word(k, lock, QW_LOCKED)
    _hold(k, "write lock", lock, api)


def _read_unlock(k: KCall, lock: int, api: str) -> None:
    lockdep.release(k, lock)
    _set_word(k, lock, (_word(k, lock) - QR_BIAS) & 0xFFFFFFFF)
    _drop(k, "read lock", lock, api)


def _write_unlock(k: KCall, lock: int, api: str) -> None:
    lockdep.release(k, lock)
    _set_word(k, lock, _word(k, lock) & ~QW_LOCKED & 0xFFFFFFFF)
    _drop(k, "write lock", lock, api)


@kapi("_raw_read_lock")
def raw_read_lock(k: KCall, lock: int) -> int:
    _read_lock(k, lock, "read_lock")
    return 0


@kapi("_raw_read_lock_irq")
def raw_read_lock_irq(k: KCall, lock: int) -> int:
    _read_lock(k, lock, "read_lock_irq")
    return 0


@kapi("_raw_read_lock_irqsave")
def raw_read_lock_irqsave(k: KCall, lock: int) -> int:
    _read_lock(k, lock, "read_lock_irqsave")
    return SAVED_FLAGS


@kapi("_raw_write_lock")
def raw_write_lock(k: KCall, lock: int) -> int:
    _write_lock(k, lock, "write_lock")
    return 0


@kapi("_raw_write_lock_irq")
def raw_write_lock_irq(k: KCall, lock: int) -> int:
    _write_lock(k, lock, "write_lock_irq")
    return 0


@kapi("_raw_write_lock_irqsave")
def raw_write_lock_irqsave(k: KCall, lock: int) -> int:
    _write_lock(k, lock, "write_lock_irqsave")
    return SAVED_FLAGS


@kapi("_raw_read_unlock")
def raw_read_unlock(k: KCall, lock: int) -> int:
    _read_unlock(k, lock, "read_unlock")
    return 0


@kapi("_raw_read_unlock_irq")
def raw_read_unlock_irq(k: KCall, lock: int) -> int:
    _read_unlock(k, lock, "read_unlock_irq")
    return 0


@kapi("_raw_read_unlock_irqrestore")
def raw_read_unlock_irqrestore(k: KCall, lock: int, flags: int) -> int:
    _read_unlock(k, lock, "read_unlock_irqrestore")
    return 0


@kapi("_raw_write_unlock")
def raw_write_unlock(k: KCall, lock: int) -> int:
    _write_unlock(k, lock, "write_unlock")
    return 0


@kapi("_raw_write_unlock_irq")
def raw_write_unlock_irq(k: KCall, lock: int) -> int:
    _write_unlock(k, lock, "write_unlock_irq")
    return 0


@kapi("_raw_write_unlock_irqrestore")
def raw_write_unlock_irqrestore(k: KCall, lock: int, flags: int) -> int:
    _write_unlock(k, lock, "write_unlock_irqrestore")
    return 0


# -- mutexes ----------------------------------------------------------------
def _owner(k: KCall, lock: int) -> int:
    return k.mem.read_int(lock, 8)     # atomic_long_t owner: the first member


def _me(k: KCall) -> int:
    return k.task.task_struct if k.task is not None else 0


def _take_mutex(k: KCall, lock: int, api: str) -> None:
    k.mem.write_int(lock, 8, _me(k))
    _hold(k, "mutex", lock, api)


def _wait_for_mutex(k: KCall, lock: int, state: str) -> None:
    """__mutex_lock_common(): sleep in `state` until the owner unlocks.
    Waiting for oneself never ends: khungtaskd reports a D sleeper."""
    t, sched = k.task, k.kernel.sched
    t.sleep_state, t.wchan = state, ("__mutex_lock.constprop.0", "mutex_lock")
    waiters = registry(k, "mutex_waiters").setdefault(lock, [])
    waiters.append(t)
    try:
        if _in_kthread(t):             # sleep until mutex_unlock() wakes it
            while _owner(k, lock) != 0:
                sched.sleep(t, None)
            return
        t.state = state
        t.nvcsw += 1                   # __schedule(): the switch into the sleep
        waiter = Waiter(t)
        sched.run_until(None, waiter, lambda: _owner(k, lock) == 0)
        if _owner(k, lock) != 0:
            sched.blocked.append(t)    # it stays asleep there, as on the real machine
            raise panic.TaskStuck(t.comm, t.pid, hung=waiter.hung_secs)
        t.state = "R"
    finally:
        waiters.remove(t)


#: might_sleep() in mutex_lock(), and in __mutex_lock_common() where
#: DEBUG_LOCK_ALLOC (PROVE_LOCKING) makes mutex_lock() mutex_lock_nested()
#: (kernel/locking/mutex.c of 6.1; the lines as bug reports against 6.1
#: builds show them)
MUTEX_MIGHT_SLEEP = (("kernel/locking/mutex.c", 283), ("kernel/locking/mutex.c", 580))


def _mutex_lock(k: KCall, lock: int, api: str, state: str) -> None:
    nested = bool(k.kernel.config.get("PROVE_LOCKING"))
    might_sleep(k, MUTEX_MIGHT_SLEEP[nested],
                ("__mutex_lock+0x9d/0xab0", "mutex_lock_nested+0x1b/0x20") if nested else ())
    lockdep.acquire(k, lock, "mutex", api)
    if _owner(k, lock) != 0:
        _wait_for_mutex(k, lock, state)
    _take_mutex(k, lock, api)


@kapi("__mutex_init")
def mutex_init(k: KCall, lock: int, name: int, key: int) -> int:
    """The name is mutex_init()'s argument as text ("&it->lock"): with
    lockdep, the lock class of this call site."""
    k.mem.write_int(lock, 8, 0)
    if name:
        lockdep.init_class(k, lock, k.cstr(name), (name, k.site))
    return 0


@kapi("mutex_lock")
def mutex_lock(k: KCall, lock: int) -> int:
    _mutex_lock(k, lock, "mutex_lock", "D")
    return 0


@kapi("mutex_lock_interruptible")
def mutex_lock_interruptible(k: KCall, lock: int) -> int:
    """0, or -EINTR had a signal come (none reaches a kernel task here)."""
    _mutex_lock(k, lock, "mutex_lock_interruptible", "S")
    return 0


@kapi("mutex_lock_killable")
def mutex_lock_killable(k: KCall, lock: int) -> int:
    _mutex_lock(k, lock, "mutex_lock_killable", "D")
    return 0


@kapi("mutex_trylock")
def mutex_trylock(k: KCall, lock: int) -> int:
    if _owner(k, lock) != 0:
        return 0
    lockdep.acquire(k, lock, "mutex", "mutex_trylock", trylock=True)
    _take_mutex(k, lock, "mutex_trylock")
    return 1


@kapi("mutex_is_locked")
def mutex_is_locked(k: KCall, lock: int) -> int:
    return int(_owner(k, lock) != 0)


@kapi("mutex_unlock")
def mutex_unlock(k: KCall, lock: int) -> int:
    """Clear the owner and wake the first waiter.  Without DEBUG_MUTEXES an
    unlock by another task, or of an unlocked mutex, is not checked."""
    holder = _owner(k, lock)
    lockdep.release(k, lock)
    k.mem.write_int(lock, 8, 0)
    pid = next((t.pid for t in _tasks(k) if t.task_struct == holder), None)
    _drop(k, "mutex", lock, "mutex_unlock", pid)
    waiters = registry(k, "mutex_waiters").get(lock) or []
    for t in waiters[:1]:
        if t.glet is not None:         # a system call's waiter rechecks by itself
            k.kernel.sched.wake(t)
    return 0


def _in_kthread(t: Task) -> bool:
    """Running as a kthread's own code (not a system call of a process)."""
    return t.glet is not None and greenlet.getcurrent() is t.glet


def _tasks(k: KCall) -> list[Task]:
    current = [k.task] if k.task is not None else []
    return current + list(k.kernel.sched.threads)
