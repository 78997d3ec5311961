"""A small stand-in for the kernel and CPU, for testing kapi functions alone.

It offers what kapi code uses (see kmodgui/kernel/kapi/__init__.py): real
Memory, Ledger and Trace; a printk log; struct layouts shaped like the
simulator's headers (x86_64); "module functions" that are Python
callables placed in mem.functions; kthreads on greenlets and a timer list
driven by `advance(ns)`.  Log records are (level, text, module).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Callable

import greenlet

from kmodgui.kernel import memory
from kmodgui.kernel.events import Site, Trace
from kmodgui.kernel.kapi import KapiFunc, load_all
from kmodgui.kernel.kapi import timer as kapi_timer
from kmodgui.kernel.profile import load_profile
from kmodgui.kernel.ledger import Ledger
from kmodgui.kernel.memory import Memory, MemoryFault

HZ = 250
NS_PER_JIFFY = 1_000_000_000 // HZ

# struct layouts: name -> (size, {member: offset}), as the headers lay them out
LAYOUT_61: dict[str, tuple[int, dict[str, int]]] = {
    "miscdevice": (72, {"minor": 0, "name": 8, "fops": 16, "list": 24, "parent": 40,
                        "this_device": 48, "nodename": 56, "mode": 64}),
    "proc_ops": (56, {"proc_flags": 0, "proc_open": 8, "proc_read": 16,
                      "proc_write": 24, "proc_lseek": 32, "proc_release": 40,
                      "proc_ioctl": 48}),
    "file_operations": (88, {"owner": 0, "llseek": 8, "read": 16, "write": 24,
                             "poll": 32, "unlocked_ioctl": 40, "compat_ioctl": 48,
                             "mmap": 56, "open": 64, "flush": 72, "release": 80}),
    "seq_file": (56, {"buf": 0, "size": 8, "from": 16, "count": 24, "index": 32,
                      "read_pos": 40, "private": 48}),
    "seq_operations": (32, {"start": 0, "stop": 8, "next": 16, "show": 24}),
    "file": (40, {"f_inode": 0, "f_op": 8, "f_flags": 16, "f_mode": 20, "f_pos": 24,
                  "private_data": 32}),
    "inode": (48, {"i_mode": 0, "i_ino": 8, "i_rdev": 16, "i_size": 24, "i_cdev": 32,
                   "i_private": 40}),
    "cdev": (40, {"owner": 0, "ops": 8, "list": 16, "dev": 32, "count": 36}),
    "timer_list": (40, {"entry": 0, "expires": 16, "function": 24, "flags": 32}),
    "task_struct": (28, {"__state": 0, "pid": 4, "tgid": 8, "comm": 12}),
}
LAYOUT_2630: dict[str, tuple[int, dict[str, int]]] = dict(LAYOUT_61)
LAYOUT_2630.update({
    "file_operations": (96, {"owner": 0, "llseek": 8, "read": 16, "write": 24,
                             "poll": 32, "ioctl": 40, "unlocked_ioctl": 48,
                             "compat_ioctl": 56, "mmap": 64, "open": 72, "flush": 80,
                             "release": 88}),
    "file": (32, {"f_op": 0, "f_flags": 8, "f_mode": 12, "f_pos": 16,
                  "private_data": 24}),
    "timer_list": (40, {"entry": 0, "expires": 16, "function": 24, "data": 32}),
    "task_struct": (32, {"state": 0, "pid": 8, "tgid": 12, "comm": 16}),
    # not in the simulator's headers; lets the read_proc path be tested
    "proc_dir_entry": (64, {"name": 0, "mode": 8, "read_proc": 16, "write_proc": 24,
                            "data": 32, "proc_fops": 40}),
})


@dataclass(eq=False)
class FakeModule:
    name: str
    refcnt: int = 0
    state: str = "LIVE"
    this_module: int = 0


@dataclass(eq=False)
class FakeFunc:
    """A module function: impl(k, *args) -> int (shaped like loader.FuncRef)."""
    name: str
    impl: Callable[..., int]
    module: FakeModule | None = None

    @property
    def fn(self) -> SimpleNamespace:
        return SimpleNamespace(name=self.name, code_size=52)

    @property
    def inst(self) -> FakeModule | None:
        return self.module


@dataclass(eq=False)
class FakeTask:
    pid: int
    comm: str
    task_struct: int = 0
    should_stop: bool = False
    done: bool = False
    started: bool = False
    result: int = 0
    glet: Any = None
    wake_at: int | None = None
    module: Any = None


@dataclass(eq=False)
class FakeTimer:
    key: int
    expires: int
    fnptr: int
    arg: int
    module: Any


class FakeKernel:
    def __init__(self, profile: str = "6.1") -> None:
        self.profile = load_profile(profile)
        self.layout = LAYOUT_2630 if profile == "2.6.30" else LAYOUT_61
        self.trace = Trace()
        self.clock_ns = 5_000_000_000
        self.mem = Memory()
        self.ledger = Ledger(self.trace, lambda: self.clock_ns)
        self.names: dict[str, dict] = {}
        self.log: list[tuple[int, str, str | None]] = []
        self.taints = ""
        self.modules: dict[str, FakeModule] = {}
        self.timers: dict[int, FakeTimer] = {}
        self.tasks: list[FakeTask] = []
        self._pid = 100
        load_all()

    # -- clock ------------------------------------------------------------
    @property
    def jiffies(self) -> int:
        return 4294892296 + self.clock_ns // NS_PER_JIFFY

    # -- printk -----------------------------------------------------------
    def vprintk(self, msg: bytes, module: str | None) -> int:
        text = msg.decode("latin-1")
        level = 4
        if self.profile.name == "2.6.30":
            if len(text) >= 3 and text[0] == "<" and text[2] == ">" and text[1].isdigit():
                level, text = int(text[1]), text[3:]
        elif len(text) >= 2 and text[0] == "\x01" and text[1].isdigit():
            level, text = int(text[1]), text[2:]
        for line in text.rstrip("\n").split("\n"):
            self.log.append((level, line, module))
        return len(msg)

    def printk(self, text: str, level: int | None = None, module: str | None = None) -> None:
        for line in text.split("\n"):
            self.log.append((4 if level is None else level, line, module))

    def lines(self) -> list[str]:
        return [t for _, t, _ in self.log]

    def add_taint(self, letter: str, module: Any = None) -> None:
        if letter not in self.taints:
            self.taints += letter

    # -- modules and their code ---------------------------------------------
    def load(self, name: str) -> FakeModule:
        mod = FakeModule(name)
        mod.this_module = self.mem.map(64, memory.MODULE, name, label="__this_module").base
        self.modules[name] = mod
        return mod

    def module_by_struct(self, addr: int) -> FakeModule | None:
        return next((m for m in self.modules.values() if m.this_module == addr), None)

    def define(self, impl: Callable[..., int], name: str = "",
               module: FakeModule | None = None) -> int:
        """Give a Python function a code address, like a module function."""
        return self.mem.text_address(FakeFunc(name or impl.__name__, impl, module))

    def unload_code(self, addr: int) -> None:
        """The module that owned the function at addr is gone."""
        self.mem.functions.pop(addr, None)

    def cstring(self, text: str | bytes, owner: str = "kernel") -> int:
        data = text.encode() if isinstance(text, str) else text
        reg = self.mem.map(len(data) + 1, memory.RODATA, owner, label="string")
        reg.data[:len(data)] = data
        return reg.base

    def struct(self, tag: str, owner: str = "mod", **values: int) -> int:
        """A zeroed struct in module data, with some members set."""
        size, members = self.layout[tag]
        base = self.mem.map(size, memory.MODULE, owner, label=tag).base
        ends = sorted(set(members.values()) | {size})
        for member, value in values.items():
            off = members[member]
            width = min(8, next(e for e in ends if e > off) - off)
            self.mem.write_int(base + off, width, value)
        return base

    def buf(self, size: int, owner: str = "mod") -> int:
        return self.mem.map(size, memory.MODULE, owner, label="buffer").base

    # -- tasks ------------------------------------------------------------
    def new_task(self, comm: str) -> FakeTask:
        self._pid += 1
        size, members = self.layout["task_struct"]
        ts = self.mem.map(size, memory.KOBJ, "kernel", label=f"task_struct {comm}").base
        self.mem.write_int(ts + members["pid"], 4, self._pid)
        self.mem.write_bytes(ts + members["comm"], comm.encode()[:15] + b"\0")
        task = FakeTask(self._pid, comm, ts)
        self.tasks.append(task)
        return task

    def exit_task(self, task: FakeTask) -> None:
        """As Kernel.exit_task: the task_struct is freed."""
        reg = self.mem.region_at(task.task_struct)
        if reg is not None and reg.base == task.task_struct and not reg.freed:
            self.mem.free(reg)

    def kcall(self, module: FakeModule | None = None, comm: str = "insmod",
              site: Site | None = None, task: FakeTask | None = None) -> "FakeCall":
        return FakeCall(self, module, site, task or self.new_task(comm))

    def run_task(self, comm: str, body: Callable[[Any], Any]) -> Any:
        return body(self.kcall(None, comm))

    def spawn(self, comm: str, fnptr: int, arg: int, module: Any,
              start: bool = True) -> FakeTask:
        task = self.new_task(comm)
        task.module = module

        def body() -> None:
            k = FakeCall(self, module, None, task)
            try:
                task.result = k.call(fnptr, arg)
            finally:
                task.done = True
        task.glet = greenlet.greenlet(body)
        if start:
            self.wake_task(task)
        return task

    def _resume(self, task: FakeTask) -> None:
        task.wake_at = None
        task.glet.switch()

    def wake_task(self, task: FakeTask) -> bool:
        """Start a created thread, or wake one sleeping until woken."""
        if task.done:
            return False
        if not task.started:
            task.started = True
            self._resume(task)
            return True
        if task.wake_at is None and greenlet.getcurrent() is not task.glet:
            self._resume(task)
            return True
        return False

    def stop_task(self, task: FakeTask) -> int:
        task.should_stop = True
        if not task.started:
            task.done, task.result = True, -4        # kthread(): -EINTR
            return task.result
        for _ in range(100_000):
            if task.done:
                break
            if task.wake_at is not None:
                self.clock_ns = max(self.clock_ns, task.wake_at)
            self._resume(task)
        return task.result

    # -- timers -----------------------------------------------------------
    def add_timer(self, key: int, expires: int, fnptr: int, arg: int, module: Any) -> None:
        self.timers[key] = FakeTimer(key, expires, fnptr, arg, module)

    def del_timer(self, key: int) -> bool:
        return self.timers.pop(key, None) is not None

    def advance(self, ns: int) -> None:
        """Time passes: sleeping threads wake and timers fire, in order."""
        deadline = self.clock_ns + ns
        while True:
            due = [(self._timer_due(t), 0, t) for t in self.timers.values()]
            due += [(t.wake_at, 1, t) for t in self.tasks
                    if t.started and not t.done and t.wake_at is not None]
            due = [d for d in due if d[0] <= deadline]
            if not due:
                break
            when, _, what = min(due, key=lambda d: (d[0], d[1]))
            self.clock_ns = max(self.clock_ns, when)
            if isinstance(what, FakeTimer):
                self._fire(what)
            else:
                self._resume(what)
        self.clock_ns = deadline

    def _timer_due(self, t: FakeTimer) -> int:
        return self.clock_ns + max(t.expires - self.jiffies, 0) * NS_PER_JIFFY

    def _fire(self, t: FakeTimer) -> None:
        self.timers.pop(t.key, None)
        kapi_timer.timer_fired(self, t.key)
        FakeCall(self, t.module, None, FakeTask(0, "swapper/0")).call(t.fnptr, t.arg)


@dataclass(eq=False)
class FakeCall:
    """The KCall a kapi function receives."""
    kernel: FakeKernel
    module: FakeModule | None
    site: Site | None
    task: FakeTask
    warnings: list[tuple[str, str, str | None]] = field(default_factory=list)

    @property
    def mem(self) -> Memory:
        return self.kernel.mem

    def cstr(self, addr: int) -> str:
        return self.mem.read_cstring(addr).decode("latin-1")

    def call(self, fnptr: int, *args: int) -> int:
        target = self.mem.functions.get(fnptr)
        if target is None:
            raise MemoryFault("page-fault", fnptr, 1, False, fetch=True)
        if isinstance(target, KapiFunc):
            return target.impl(FakeCall(self.kernel, None, None, self.task), *args)
        sub = FakeCall(self.kernel, target.module, None, self.task)
        return target.impl(sub, *args)

    def field_offset(self, struct: str, member: str) -> int:
        return self.kernel.layout[struct][1][member]

    def sizeof(self, struct: str) -> int:
        return self.kernel.layout[struct][0]

    def sleep(self, ns: int | None) -> None:
        task = self.task
        if task.glet is not None and greenlet.getcurrent() is task.glet:
            task.wake_at = None if ns is None else self.kernel.clock_ns + ns
            task.glet.parent.switch()
            return
        self.kernel.clock_ns += ns or 0

    def warn(self, where: str, func: str, msg: str | None = None,
             callers: tuple[str, ...] = ()) -> None:
        self.warnings.append((where, func, msg))
        self.kernel.log.append((4, "------------[ cut here ]------------", None))
        if msg:
            self.kernel.log.append((4, msg, None))
        self.kernel.log.append((4, f"WARNING: CPU: 0 PID: {self.task.pid} at {where} "
                                   f"{func}+0x1d4/0x340", None))
        self.kernel.add_taint("W")

    def dump_stack(self) -> None:
        self.kernel.log.append((4, f"CPU: 0 PID: {self.task.pid} Comm: {self.task.comm}",
                                None))
        self.kernel.log.append((4, "Call Trace:", None))


def setup(profile: str = "6.1", module: str = "hi") -> tuple[FakeKernel, FakeCall]:
    """A kernel with one loaded module and a KCall from that module's init."""
    kernel = FakeKernel(profile)
    mod = kernel.load(module)
    return kernel, kernel.kcall(mod, site=Site(f"{module}.c", 10, f"{module}_init"))
