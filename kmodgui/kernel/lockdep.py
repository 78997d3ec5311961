"""Lockdep, the lock validator of CONFIG_PROVE_LOCKING
(kernel/locking/lockdep.c), for the locks modules take.

Without the option (Debian's 6.1) nothing here runs.  With it, every
acquire goes through lock_acquire() before the lock itself is taken:
- each lock belongs to a lock class: a static lock (DEFINE_MUTEX,
  DEFINE_SPINLOCK) is its own class, named after its variable; a lock set
  up at run time (mutex_init()) gets the class of that init call site,
  named by the macro's argument ("&it->lock"), so every lock initialised
  there is one class;
- check_deadlock(): taking a class the task already holds is
  print_deadlock_bug(), "possible recursive locking detected";
- check_prevs_add(): taking B while holding A records the dependency
  A -> B with the stack (save_trace()); check_noncircular() first looks
  for a path B -> ... -> A, and finding one is print_circular_bug(),
  "possible circular locking dependency detected".
A report switches lockdep off for good (debug_locks_off()), as does a
taint that makes it unreliable (the kernel's debug_locks).  Reads of a
rwlock are recursive: they are recorded but not checked.  Lock usage in
interrupt context is not tracked (the usage characters say process
context, interrupts on, or interrupts off under _irq/_irqsave).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kmodgui.kernel import panic
from kmodgui.kernel.services import KCall

#: lockdep_wait_type without PROVE_RAW_LOCK_NESTING (6.1's default):
#: LD_WAIT_SPIN = LD_WAIT_CONFIG = 2, LD_WAIT_SLEEP = 3
WAIT_TYPE = {"mutex": 3, "spinlock": 2, "read lock": 2, "write lock": 2}
#: the kernel frames between lock_acquire() and the module (6.1 with
#: DEBUG_LOCK_ALLOC: mutex_lock() is mutex_lock_nested())
ACQUIRE_FRAMES = {
    "mutex": ("__mutex_lock+0x9d/0xab0", "mutex_lock_nested+0x1b/0x20"),
    "spinlock": ("_raw_spin_lock+0x34/0x80",),
    "read lock": ("_raw_read_lock+0x3f/0x90",),
    "write lock": ("_raw_write_lock+0x34/0x80",),
}


@dataclass(slots=True)
class LockClass:
    name: str
    wait: int
    usage: str = "+.+."     # get_usage_chars(): hardirq W/R, softirq W/R


@dataclass(slots=True)
class HeldLock:
    cls: LockClass
    instance: int
    at: str                 # %pS of acquire_ip: the module's call site
    kind: str


@dataclass(slots=True)
class State:
    classes: dict[object, LockClass] = field(default_factory=dict)
    #: lock address -> class key, for locks initialised at run time
    keys: dict[int, tuple[object, ...]] = field(default_factory=dict)
    #: dependencies: class -> {later class: the stack when it was taken}
    after: dict[int, dict[int, list[str]]] = field(default_factory=dict)
    held: dict[int, list[HeldLock]] = field(default_factory=dict)


def _state(k: KCall) -> State:
    reg = k.kernel.names.setdefault("lockdep", {})
    if "state" not in reg:
        reg["state"] = State()
    st: State = reg["state"]
    return st


def _on(k: KCall) -> bool:
    """Built with PROVE_LOCKING (a test's stand-in kernel has no config)."""
    return bool(getattr(k.kernel, "config", {}).get("PROVE_LOCKING"))


def enabled(k: KCall) -> bool:
    return _on(k) and bool(k.kernel.debug_locks)


# -- classes ----------------------------------------------------------------
def init_class(k: KCall, lock: int, name: str, site: object) -> None:
    """lockdep_init_map() from mutex_init()/__mutex_init(): the lock gets
    the class of this init site (its static lock_class_key)."""
    if _on(k):
        st = _state(k)
        st.keys[lock] = ("site", site, name)


def _variable(k: KCall, lock: int) -> str:
    """The module variable a statically initialised lock is (its
    dep_map's .name is the macro's argument, the variable's name)."""
    for mod in k.kernel.modules.values():
        for name, addr in mod.var_addr.items():
            if addr == lock:
                return str(name)
    return f"{lock:#x}"


def _class(k: KCall, lock: int, kind: str) -> LockClass:
    st = _state(k)
    key: tuple[object, ...] = st.keys.get(lock, ("static", lock))
    cls = st.classes.get(key)
    if cls is None:
        name = key[2] if key[0] == "site" else _variable(k, lock)
        cls = st.classes[key] = LockClass(str(name), WAIT_TYPE[kind])
    return cls


# -- lock_acquire() / lock_release() -------------------------------------------
def acquire(k: KCall, lock: int, kind: str, api: str, trylock: bool = False) -> None:
    """lock_acquire(): validate, then record the lock as held."""
    if not enabled(k) or k.task is None:
        return
    st = _state(k)
    cls = _class(k, lock, kind)
    if api.endswith(("_irq", "_irqsave")):
        cls.usage = "...."
    held = st.held.setdefault(k.task.pid, [])
    new = HeldLock(cls, lock, panic.sym(k.kernel, k.task), kind)
    if not trylock and kind != "read lock":
        _validate(k, st, held, new)
    held.append(new)


def release(k: KCall, lock: int) -> None:
    """lock_release(): the most recent hold of this lock goes."""
    if k.task is None or not _on(k):
        return
    held = _state(k).held.get(k.task.pid, [])
    for i in range(len(held) - 1, -1, -1):
        if held[i].instance == lock:
            del held[i]
            return


def _validate(k: KCall, st: State, held: list[HeldLock], new: HeldLock) -> None:
    """validate_chain(): check_deadlock(), then check_prevs_add()."""
    same = next((h for h in held if h.cls is new.cls), None)
    if same is not None:
        _deadlock_bug(k, held, same, new)
        return
    trace = _stack(k, new.kind)
    for prev in reversed(held):
        if prev.kind == "read lock":
            continue
        path = _path(st, id(new.cls), id(prev.cls))
        if path is not None:
            _circular_bug(k, st, held, new, prev, path, trace)
            return
        st.after.setdefault(id(prev.cls), {}).setdefault(id(new.cls), trace)


def _path(st: State, start: int, goal: int) -> list[int] | None:
    """check_noncircular()'s BFS: the classes from start to goal along
    recorded dependencies, or None."""
    queue, seen = [[start]], {start}
    while queue:
        path = queue.pop(0)
        for nxt in st.after.get(path[-1], {}):
            if nxt == goal:
                return path + [nxt]
            if nxt not in seen:
                seen.add(nxt)
                queue.append(path + [nxt])
    return None


# -- reports ----------------------------------------------------------------
def _lock_line(h: HeldLock) -> str:
    """print_lock(): '%px (name){usage}-{outer:inner}, at: %pS'."""
    return f"{h.instance:016x} ({h.cls.name}){{{h.cls.usage}}}-{{{h.cls.wait}:{h.cls.wait}}}, at: {h.at}"


def _ident(k: KCall) -> str:
    """print_kernel_ident(): release, the version's first word, taint."""
    prof = k.kernel.profile.kernel
    version = prof["dump_tail"].split()[1] if len(prof["dump_tail"].split()) > 1 else "#1"
    return f"{prof['release']} {version} {panic.tainted_str(k.kernel)}"


def _stack(k: KCall, kind: str) -> list[str]:
    """save_trace() at lock_acquire(): lockdep's own frames skipped."""
    task = k.task
    frames = [panic.sym(k.kernel, task, fr) for fr in reversed(task.frames)]
    return (["lock_acquire+0xc2/0x2b0"] + list(ACQUIRE_FRAMES[kind]) + frames
            + panic.syscall_tail(task))


def held_locks_lines(k: KCall) -> list[str]:
    """lockdep_print_held_locks() of the current task ('' without lockdep)."""
    if not enabled(k) or k.task is None:
        return []
    held = _state(k).held.get(k.task.pid, [])
    return _held_lines(k, held)


def _held_lines(k: KCall, held: list[HeldLock]) -> list[str]:
    task = k.task
    if not held:
        return [f"no locks held by {task.comm}/{task.pid}."]
    lines = [f"{len(held)} lock{'s' if len(held) > 1 else ''} held by {task.comm}/{task.pid}:"]
    return lines + [f" #{i}: {_lock_line(h)}" for i, h in enumerate(held)]


def _backtrace(k: KCall, kind: str, checker: str) -> list[str]:
    head = ("dump_stack_lvl+0x5b/0x77", checker, "__lock_acquire+0x1146/0x1fd0",
            "lock_acquire+0xc2/0x2b0") + ACQUIRE_FRAMES[kind]
    return ["", "stack backtrace:"] + panic.who(k.kernel, k.task) + panic.call_trace(
        k.kernel, k.task, panic.syscall_tail(k.task), include_top=True, head=head)


def _emit(k: KCall, lines: list[str]) -> None:
    """The report is printed, then lockdep is off (debug_locks_off())."""
    mod = k.module.name if k.module else None
    for line in lines:
        k.kernel.log_line(line, 4, mod)
    k.kernel.debug_locks = False


def _deadlock_bug(k: KCall, held: list[HeldLock], prev: HeldLock, new: HeldLock) -> None:
    """print_deadlock_bug() and print_deadlock_scenario()."""
    t = k.task
    lines = ["", "=" * 44, "WARNING: possible recursive locking detected", _ident(k), "-" * 44,
             f"{t.comm}/{t.pid} is trying to acquire lock:", _lock_line(new), "",
             "but task is already holding lock:", _lock_line(prev), "",
             "other info that might help us debug this:",
             " Possible unsafe locking scenario:", "", "       CPU0", "       ----",
             f"  lock({prev.cls.name});", f"  lock({new.cls.name});", "",
             " *** DEADLOCK ***", "", " May be due to missing lock nesting notation", ""]
    lines += _held_lines(k, held)
    _emit(k, lines + _backtrace(k, new.kind, "__lock_acquire.cold+0x1f6/0x2a0"))


def _circular_bug(k: KCall, st: State, held: list[HeldLock], new: HeldLock, prev: HeldLock,
                  path: list[int], trace: list[str]) -> None:
    """print_circular_bug(): the header, the chain from the held lock's
    class back to the new one (each with the stack that made the
    dependency), the scenario, the held locks, the backtrace."""
    t = k.task
    names = {id(c): c for c in st.classes.values()}
    lines = ["", "=" * 54, "WARNING: possible circular locking dependency detected", _ident(k),
             "-" * 54, f"{t.comm}/{t.pid} is trying to acquire lock:", _lock_line(new), "",
             "but task is already holding lock:", _lock_line(prev), "",
             "which lock already depends on the new lock.", "", "", "",
             "the existing dependency chain (in reverse order) is:"]
    depth = len(path) - 1
    for i in range(depth, 0, -1):          # target first, back to the root
        cls = names[path[i]]
        lines += ["", f"-> #{i} ({cls.name}){{{cls.usage}}}-{{{cls.wait}:{cls.wait}}}:"]
        lines += [f"       {f}" for f in st.after[path[i - 1]][path[i]]]
    lines += ["", f"-> #0 ({new.cls.name}){{{new.cls.usage}}}-{{{new.cls.wait}:{new.cls.wait}}}:"]
    lines += [f"       {f}" for f in ["__lock_acquire+0x1146/0x1fd0"] + trace]
    lines += ["", "other info that might help us debug this:", ""]
    parent = names[path[-2]]           # the target's parent: the first link from the new class
    if parent is not new.cls:
        lines += ["Chain exists of:",
                  f"  {new.cls.name} --> {parent.name} --> {prev.cls.name}", ""]
    lines += [" Possible unsafe locking scenario:", "",
              "       CPU0                    CPU1", "       ----                    ----",
              f"  lock({prev.cls.name});", f"{' ' * 31}lock({parent.name});",
              f"{' ' * 31}lock({prev.cls.name});", f"  lock({new.cls.name});", "",
              " *** DEADLOCK ***", ""]
    lines += _held_lines(k, held)
    _emit(k, lines + _backtrace(k, new.kind, "check_noncircular+0x14e/0x160"))
