"""The simulated CPU: runs a module's compiled code one statement at a time.

Compiled statements call `tick()` before they run.  A tick advances the
simulated clock (STMT_NS per statement), counts the step, lets a caller
stop the CPU after a budget of statements (`stop_at`/`on_stop`: the GUI
runs insmod in slices and the debugger pauses here), and plays the
soft-lockup watchdog (kernel/watchdog.c): a task that runs 20 s of
simulated time without scheduling is reported the way the kernel does.

Calls go through call_named (direct calls, resolved at load time by the
loader's simplify_symbols) and call_ptr (function pointers: the address
must be a live function, else the x86 page-fault handler oopses).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Callable

from greenlet import greenlet

from kmodgui.kbuild.cstmt import RETURN
from kmodgui.kernel import panic
from kmodgui.kernel.events import Jump, Site
from kmodgui.kernel.memory import STACK, Memory, MemoryFault
from kmodgui.kernel.module import FuncRef

STMT_NS = 10_000                 # one C statement = 10 us of simulated time
LOCKUP_NS = 20_000_000_000       # 2 * watchdog_thresh (10 s)
THREAD_SIZE = 16384              # x86_64 kernel stack
FRAME_OVERHEAD = 96              # return address, saved registers, spills

sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))


class Frame:
    """One activation of a module function (its registers and stack slot)."""
    __slots__ = ("cpu", "m", "r", "g", "base", "ret", "label", "line", "fn", "inst", "seen")

    def __init__(self, cpu: "Cpu", inst, fn) -> None:
        self.cpu = cpu
        self.m = cpu.mem
        self.inst = inst
        self.g = inst.gaddr
        self.fn = fn
        self.r = [0] * fn.nregs
        self.base = 0
        self.ret = 0
        self.label = ""
        self.line = fn.line
        self.seen = False          # the debugger has stopped-checked this frame

    @property
    def site(self) -> Site:
        return Site(self.fn.file, self.line, self.fn.name)


@dataclass(eq=False)
class Task:
    """A kernel task (struct task_struct): insmod, rmmod, a kthread..."""
    pid: int
    comm: str
    frames: list = field(default_factory=list)
    stack_used: int = 0
    last_schedule: int = 0
    should_stop: bool = False
    done: bool = False
    result: int = 0
    task_struct: int = 0
    glet: greenlet | None = None      # greenlet of a kthread
    resumer: greenlet | None = None   # who switched into it last
    wake_at: int | None = None
    module: object = None
    slept_ns: int = 0            # time a syscall task spent asleep in this call
    started: bool = True
    sleeping: bool = False
    #: __state as khungtaskd sees it: R running, S interruptible, D uninterruptible
    state: str = "R"
    #: the state and kernel frames (innermost first) of the sleep being entered,
    #: set by the sleeping kernel function (msleep: D, in schedule_timeout...)
    sleep_state: str = "D"
    wchan: tuple[str, ...] = ()
    nvcsw: int = 0               # voluntary context switches (nvcsw + nivcsw)
    last_switch_count: int = 0   # what khungtaskd saw at its last check
    last_switch_time: int = 0    # ns: when khungtaskd saw the count change
    spinning: bool = False       # a kthread that never yields again (soft lockup)
    yielding_since: int | None = None   # ns: a system call yields without sleeping
    #: the kernel frames a spin runs in, innermost (the RIP) first: a
    #: spinlock's slow path, for the soft-lockup report
    spin_in: tuple[str, ...] = ()
    #: console lines printed since the task last scheduled, and the
    #: last_schedule they count from
    console_lines: int = 0
    console_since: int = -1
    #: the execution context (ContextBegan.cid) of module code it runs, 0: none
    context: int = 0


class Cpu:
    def __init__(self, kernel) -> None:
        self.kernel = kernel
        self.mem: Memory = kernel.mem
        self.steps = 0
        self._stop_at: int | None = None
        self.next_check = 64
        self.on_stop: Callable[[], None] | None = None   # run when steps reaches stop_at
        self.task: Task | None = None

    @property
    def stop_at(self) -> int | None:
        """Step count at which on_stop() runs (slices, debugger pauses)."""
        return self._stop_at

    @stop_at.setter
    def stop_at(self, value: int | None) -> None:
        self._stop_at = value
        self._plan()

    def _plan(self) -> None:
        nxt = (self.steps | 63) + 1
        if self._stop_at is not None and self.steps < self._stop_at < nxt:
            nxt = self._stop_at
        self.next_check = nxt

    # -- the per-statement hook ------------------------------------------
    def tick(self, fr: Frame, line: int) -> None:
        fr.line = line
        self.steps += 1
        if self.steps >= self.next_check:
            self._check()

    def _check(self) -> None:
        """Every 64 statements (and at stop_at): timer tick, watchdog, pause."""
        k = self.kernel
        self._plan()
        k.sync_jiffies()               # the timer interrupt ticks jiffies
        t = self.task
        if t is not None and k.clock_ns - t.last_schedule > LOCKUP_NS:
            panic.soft_lockup(k, t, (k.clock_ns - t.last_schedule + 2_000_000_000) // 10**9)
            raise panic.TaskStuck(t.comm, t.pid)
        if self._stop_at is not None and self.steps >= self._stop_at and self.on_stop:
            self.on_stop()
            self._plan()

    def spin(self, inside: tuple[str, ...] = ()) -> None:
        """A busy-wait that never ends (a spinlock whose holder cannot run)
        in the kernel frames `inside`: time passes as the spinning
        instructions would spend it, checked every 64 statements as the
        timer tick does, until the watchdog's soft-lockup report stops the
        task (TaskStuck)."""
        if self.task is not None:
            self.task.spin_in = inside
        while True:
            self.steps = self.next_check
            self._check()

    def jumped(self, fr: Frame, label: str, line: int) -> None:
        to = fr.fn.labels.get(label, line)
        self.kernel.trace.emit(Jump(self.kernel.clock_ns, fr.fn.name, fr.fn.file,
                                    line, to, label))

    def schedule(self) -> None:
        """The task gave up the CPU (msleep, schedule): the watchdog is happy."""
        if self.task is not None:
            self.task.last_schedule = self.kernel.clock_ns

    # -- calls -------------------------------------------------------------
    def call_named(self, fr: Frame, name: str, args: list[int], line: int) -> int:
        fr.line = line
        target = fr.inst.symtab.get(name)
        if type(target) is FuncRef:
            return self.invoke(target.inst, target.fn, args)
        if target is None:
            target = fr.inst.resolve_late(name)
        return self.dispatch(fr, target, args)

    def call_ptr(self, fr: Frame, addr: int, args: list[int], line: int) -> int:
        fr.line = line
        return self.dispatch(fr, self.function_at(addr), args)

    def function_at(self, addr: int):
        target = self.mem.functions.get(addr)
        reg = self.mem.region_at(addr)
        if target is None or (reg is not None and reg.freed) or \
                (reg is None and addr >= 0xFFFFFFFFC0000000):
            # executing freed or unmapped memory: the page-fault handler oopses
            raise MemoryFault("null-ptr-deref" if addr < 4096 else "page-fault",
                              addr, 1, False, reg, fetch=True)
        return target

    def dispatch(self, fr: Frame | None, target, args: list[int]) -> int:
        if type(target) is FuncRef:
            return self.invoke(target.inst, target.fn, args)
        return self.kernel.kapi_call(self, fr, target, args)

    def current(self) -> Task:
        """`current`: module code always runs in a task (a syscall's or a kthread)."""
        if self.task is None:
            raise RuntimeError("module code entered with no task on the CPU")
        return self.task

    def invoke(self, inst, fn, args: list[int]) -> int:
        """Enter a module function: a new frame on the current task's stack."""
        t = self.current()
        fr = Frame(self, inst, fn)
        need = fn.frame_size + FRAME_OVERHEAD
        if t.stack_used + need > THREAD_SIZE:
            panic.stack_overflow(self.kernel, t, fn)
            raise panic.TaskKilled(9, "stack overflow")
        t.stack_used += need
        region = None
        if fn.frame_size:
            region = self.mem.map(fn.frame_size, STACK, inst.name,
                                  label=f"stack of {fn.name}")
            fr.base = region.base
        for (is_reg, slot, ctype), v in zip(fn.param_slots, args):
            if is_reg:
                fr.r[slot] = v
            else:
                self.mem.write_int(fr.base + slot, ctype.size, v)
        t.frames.append(fr)
        # on an exception the frames stay: the oops report walks them
        status = fn.body(fr)
        t.frames.pop()
        t.stack_used -= need
        if region is not None:
            self.mem.unmap(region)
        return fr.ret if status == RETURN else 0

    # -- faults raised by compiled code ---------------------------------
    def divide_error(self, fr: Frame, why: str = "division by zero") -> None:
        """#DE from idiv/div (x / 0, INT_MIN / -1): exc_divide_error() ->
        do_error_trap() -> die(): the oops kills the task with SIGSEGV."""
        panic.divide_error(self.kernel, self.task, why)
        raise panic.TaskKilled(11, "divide error")

    def current_site(self) -> Site | None:
        t = self.task
        if t is not None and t.frames:
            return t.frames[-1].site
        return None
