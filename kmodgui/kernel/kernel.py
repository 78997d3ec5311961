"""The simulated kernel: one boot of one profile with one configuration.

Owns the clock, the printk buffer, memory, the ledger, the module list,
taints and the name registries, and offers the syscalls userspace uses:
init_module, delete_module, and reads of /proc and /sys (sysfs.py).
"""
from __future__ import annotations

import errno as E
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from kmodgui.kbuild.make import vermagic as build_vermagic
from kmodgui.kernel import kapi, loader, panic, sysfs
from kmodgui.kernel.kapi import devnodes
from kmodgui.kernel.kapi.bootdevices import register_boot_devices
from kmodgui.kernel.kapi.reads import Reader
from kmodgui.kernel.contexts import Contexts
from kmodgui.kernel.cpu import STMT_NS, Cpu, Task
from kmodgui.kernel.events import Booted, Tainted, Trace
from kmodgui.kernel.faults import Faults
from kmodgui.kernel.kcall import KCallImpl, kapi_call
from kmodgui.kernel.ledger import Ledger
from kmodgui.kernel.memory import KOBJ, Memory, MemoryFault
from kmodgui.kernel.module import FuncRef, Module
from kmodgui.kernel.printk import LogBuffer
from kmodgui.kernel.scheduler import Scheduler
from kmodgui.kernel.services import KCall

if TYPE_CHECKING:
    from kmodgui.kbuild.program import Function, KoObject
    from kmodgui.kernel.cpu import Frame
    from kmodgui.kernel.events import Printk
    from kmodgui.kernel.kapi import KapiFunc
    from kmodgui.kernel.profile import Profile

_R = TypeVar("_R")

HZ = 250
INITIAL_JIFFIES = (-300 * HZ) & 0xFFFFFFFF      # jiffies wrap 5 min after boot
BOOT_DONE_NS = 4_700_000_000                     # userspace starts ~4.7 s after boot
# add_taint(..., LOCKDEP_NOW_UNRELIABLE): these switch lock debugging off
UNRELIABLE = {"P", "F", "R", "M", "B", "D", "U", "A"}


class Kernel:
    def __init__(self, profile: Profile, config: dict[str, bool],
                 trace: Trace | None = None) -> None:
        self.profile = profile
        self.config = dict(config)
        self.trace = trace or Trace()
        self._clock = 0
        self._clock_steps = 0
        self.mem = Memory()
        self.mem.kasan_report = self._kasan if self.config.get("KASAN") else self._unchecked
        self.ledger = Ledger(self.trace, lambda: self.clock_ns,
                             lambda: self.cpu.task.pid if self.cpu.task else 0,
                             lambda: self.cpu.task.context if self.cpu.task else 0)
        self.contexts = Contexts(self.trace, lambda: self.clock_ns)
        self.logbuf = LogBuffer(self.trace, lambda: self.clock_ns,
                             modern=profile.kernel["switches"]["printk_kern_levels"])
        self.cpu = Cpu(self)
        self._clock_steps = self.cpu.steps
        self.faults = Faults()
        self.sched = Scheduler(self)
        self.modules: dict[str, Module] = {}
        self.names: dict[str, dict[Any, Any]] = {}   # kapi modules' per-boot state
        self.taint_letters = ""
        self.debug_locks = True
        self.sig_notice_done = False
        self.last_unloaded = ""
        self.oops_count = 0
        self.panicked = ""          # panic()'s reason once the machine halted
        self._pid: int = profile.kernel.get("pid_base", 100)
        self._kapi_addr: dict[str, int] = {}
        self.jiffies_addr = self.mem.map(8, KOBJ, "kernel", label="jiffies").base
        kapi.load_all()
        register_boot_devices(self)
        self.trace.emit(Booted(0, profile.name, tuple(sorted(self.config.items()))))
        self.clock_ns = BOOT_DONE_NS
        self.sync_jiffies()

    # -- time -------------------------------------------------------------
    @property
    def clock_ns(self) -> int:
        """Simulated ns since boot: explicit advances + STMT_NS per statement."""
        return self._clock + (self.cpu.steps - self._clock_steps) * STMT_NS

    @clock_ns.setter
    def clock_ns(self, value: int) -> None:
        self._clock = value
        self._clock_steps = self.cpu.steps

    @property
    def jiffies(self) -> int:
        return (INITIAL_JIFFIES + self.clock_ns * HZ // 1_000_000_000) & 0xFFFFFFFFFFFFFFFF

    def sync_jiffies(self) -> None:
        self.mem.write_int(self.jiffies_addr, 8, self.jiffies)

    def idle(self, ns: int) -> None:
        """Time passes between commands: timers fire, kthreads wake."""
        self.sched.run_until(self.clock_ns + ns)
        self.sync_jiffies()

    def sleep(self, task: Task | None, ns: int | None) -> None:
        self.sched.sleep(task, ns)

    # -- printk and taint ---------------------------------------------------
    @property
    def log(self) -> list[Printk]:
        """The ring buffer's records (what dmesg reads)."""
        return self.logbuf.records

    def vprintk(self, msg: bytes, module: str | None) -> int:
        return self.logbuf.vprintk(msg, module)

    def printk(self, text: str, level: int | None = None, module: str | None = None) -> None:
        for line in text.split("\n"):
            self.logbuf.line(line, 4 if level is None else level, module)

    def log_line(self, text: str, level: int, module: str | None = None,
                 injected: bool = False) -> None:
        self.logbuf.line(text, level, module, injected)

    def add_taint(self, letter: str, module: Module | None = None) -> None:
        """add_taint()/add_taint_module(): kernel-wide bit, per-module letter."""
        flags = self.profile.kernel["taint_flags"]
        if letter not in flags:
            return
        if module is not None and letter in self.profile.kernel["module_taints"] \
                and letter not in module.taints:
            module.taints += letter
        if letter in self.taint_letters:
            return
        self.taint_letters += letter
        if letter in UNRELIABLE and self.debug_locks:
            self.debug_locks = False
            self.log_line(self.profile.msg("lockdep_off"), 4)
        self.trace.emit(Tainted(self.clock_ns, letter, flags.index(letter),
                                module.name if module else None))

    @property
    def tainted(self) -> int:
        """/proc/sys/kernel/tainted."""
        flags = self.profile.kernel["taint_flags"]
        return sum(1 << flags.index(c) for c in self.taint_letters)

    def _kasan(self, fault: MemoryFault) -> None:
        task = self.cpu.task or self.new_task("kworker/0:1")
        panic.kasan(self, task, fault)

    @staticmethod
    def _unchecked(fault: MemoryFault) -> None:
        """Without KASAN nothing checks the access: it goes through to
        memory that is mapped but no longer (or never) the object's, and
        nothing is printed (Memory gives it a scratch object: a write
        lands nowhere any object sees, a read sees zeroes)."""

    # -- tasks ------------------------------------------------------------------
    def next_pid(self) -> int:
        self._pid += 1
        return self._pid - 1

    def new_task(self, comm: str) -> Task:
        """fork+exec of a process (or kthread_create): a task with its
        task_struct, laid out as the simulator's <linux/sched.h> says."""
        task = Task(self.next_pid(), comm, last_schedule=self.clock_ns)
        reg = self.mem.map(64, KOBJ, "kernel", label=f"task_struct {comm}")
        modern = self.profile.version >= (5, 14)
        pid_off = 4 if modern else 8
        reg.data[pid_off:pid_off + 4] = task.pid.to_bytes(4, "little")
        reg.data[pid_off + 4:pid_off + 8] = task.pid.to_bytes(4, "little")
        name = comm.encode()[:15]
        reg.data[pid_off + 8:pid_off + 8 + len(name)] = name
        task.task_struct = reg.base
        return task

    def run_task(self, comm: str, body: Callable[[KCall], _R]) -> _R:
        """A userspace process doing a syscall that reaches module code
        (cat of a /proc file): body(kcall) runs as that process; a crash
        becomes the kernel's report and kills the process."""
        task = self.new_task(comm)
        prev, self.cpu.task = self.cpu.task, task
        try:
            ret = body(KCallImpl(self, self.cpu, None, None, task))
        except (MemoryFault, panic.KernelBug) as e:
            self.exit_task(task)
            raise panic.crashed(self, task, e) from None
        finally:
            self.cpu.task = prev
            self.logbuf.flush()
        self.exit_task(task)
        return ret

    def current_task(self, comm: str) -> Task:
        t = self.cpu.task
        return t if t is not None else self.new_task(comm)

    def run_module_function(self, mod: Module, fn: Function, args: list[int], kind: str) -> int:
        """Run init or exit (`kind`) in the syscall's task; turn crashes
        into reports."""
        task = self.cpu.current()
        task.last_schedule = self.clock_ns
        try:
            return self.contexts.run_named(task, kind, mod.name, fn,
                                           lambda: self.cpu.invoke(mod, fn, args))
        except (MemoryFault, panic.KernelBug) as e:
            raise panic.crashed(self, task, e) from None

    # -- syscalls -----------------------------------------------------------------
    def init_module(self, image: KoObject | bytes, args: str = "", flags: int = 0, comm: str = "insmod") -> int:
        """init_module(2)/finit_module(2): 0 or -errno; may raise TaskKilled/TaskStuck."""
        if not self.config.get("MODULES", True):
            return -E.ENOSYS
        return self._syscall(comm, lambda: loader.load_module(self, image, args, flags))

    def delete_module(self, name: str, flags: int = 0, comm: str = "rmmod") -> int:
        if not self.config.get("MODULES", True) or not self.config.get("MODULE_UNLOAD"):
            return -E.ENOSYS
        return self._syscall(comm, lambda: loader.delete_module(self, name, flags))

    def _syscall(self, comm: str, body: Callable[[], int]) -> int:
        task = self.new_task(comm)
        prev, self.cpu.task = self.cpu.task, task
        self.sync_jiffies()
        self.faults.arm()
        try:
            ret = body()
        except panic.TaskStuck:
            raise                      # the task stays blocked in the kernel
        except BaseException:
            self.exit_task(task)       # killed: do_exit() all the same
            raise
        finally:
            self.faults.disarm()
            self.logbuf.flush()
            self.cpu.task = prev
            self.sync_jiffies()
        self.exit_task(task)
        return ret

    def exit_task(self, task: Task) -> None:
        """do_exit() of a process: its task_struct is freed (put_task_struct
        after the RCU grace period), so a pointer kept to it is stale."""
        reg = self.mem.region_at(task.task_struct) if task.task_struct else None
        if reg is not None and reg.base == task.task_struct and not reg.freed:
            self.mem.free(reg)

    # -- symbols -------------------------------------------------------------------
    def vermagic(self) -> str:
        return build_vermagic(self.profile, self.config)

    def find_symbol(self, sym: str) -> tuple[object, Module | None, bool]:
        """(target, owning module or None, gpl_only) or (None, None, False)."""
        kf = kapi.REGISTRY.get(sym)
        if kf is not None:
            return kf, None, kf.gpl
        if sym == "jiffies" or sym == "jiffies_64":
            return self.jiffies_addr, None, False
        kd = kapi.DATA.get(sym)
        if kd is not None:
            return kd.address(self), None, kd.gpl
        for mod in self.modules.values():
            if sym in mod.ko.exports and mod.state in ("LIVE", "COMING"):
                gpl = mod.ko.exports[sym]
                fn = mod.ko.functions.get(sym)
                if fn is not None:
                    return FuncRef(mod, fn), mod, gpl
                if sym in mod.var_addr:
                    return mod.var_addr[sym], mod, gpl
        return None, None, False

    def symbol_address(self, name: str) -> int:
        """Address of a kernel symbol used as a value (&kfree, jiffies)."""
        if name in ("jiffies", "jiffies_64"):
            return self.jiffies_addr
        kd = kapi.DATA.get(name)
        if kd is not None:
            return kd.address(self)
        kf = kapi.REGISTRY.get(name)
        if kf is None:
            return 0
        addr = self._kapi_addr.get(name)
        if addr is None:
            addr = self._kapi_addr[name] = self.mem.text_address(kf)
        return addr

    def kapi_call(self, cpu: Cpu, fr: Frame | None, kf: KapiFunc, args: list[int]) -> int:
        return kapi_call(self, cpu, fr, kf, args)

    def module_by_struct(self, addr: int) -> Module | None:
        """THIS_MODULE pointer -> the module (try_module_get and friends)."""
        for mod in self.modules.values():
            if mod.this_module == addr:
                return mod
        return None

    # -- bookkeeping hooks used by the loader ------------------------------------
    def report_leftovers(self, mod: Module) -> None:
        """What a failed init or an exit left held: ResourceProblem events
        (cat /sys/kernel/debug/kmemleak lists the memory among them)."""
        self.ledger.report_leaks(mod.name)

    def modules_newest_first(self) -> list[Module]:
        return [m for m in reversed(list(self.modules.values())) if m.state != "UNFORMED"]

    # -- files ---------------------------------------------------------------------
    def read_file(self, path: str, reader: Reader | None = None) -> tuple[int, str]:
        """A /proc or /sys file, read as cat reads it unless `reader` says."""
        return sysfs.read_file(self, path, reader)

    def list_dir(self, path: str) -> tuple[int, list[str]]:
        return sysfs.list_dir(self, path)

    def open_for_write(self, path: str) -> int:
        """open(path, O_WRONLY): 0 or -errno (nothing written yet)."""
        return sysfs.open_for_write(self, path)

    def write_file(self, path: str, data: bytes) -> tuple[int, int]:
        """open + write(data) + close: (0, bytes written) or (-errno, 0)."""
        return sysfs.write_file(self, path, data)

    # -- /dev: character nodes (kapi/devnodes.py) -------------------------------
    def device_nodes(self) -> list[str]:
        """The paths of /dev's character nodes (devtmpfs and mknod)."""
        return sorted(devnodes.nodes(self))

    def mknod(self, path: str, major: int, minor: int) -> int:
        """mknod(2) of a character node: 0 or -EEXIST."""
        return devnodes.mknod(self, path, devnodes.MKDEV(major, minor))

    def open_device(self, path: str, flags: int,
                    comm: str = "sh") -> tuple[int, devnodes.OpenFile | None]:
        """open(2) of a /dev node by process `comm`: (0, handle) or (-errno, None)."""
        return self.run_task(comm, lambda kk: devnodes.open_node(kk, path, flags))

    def read_device(self, path: str, reader: Reader | None = None,
                    comm: str = "cat") -> tuple[int, bytes]:
        """open + the tool's reads + close (cat's, unless `reader` says)."""
        def body(kk: KCall) -> tuple[int, bytes]:
            err, f = devnodes.open_node(kk, path, devnodes.O_RDONLY)
            if f is None:
                return err, b""
            try:
                return devnodes.read_all(kk, f, reader or Reader())
            finally:
                devnodes.release(kk, f)
        return self.run_task(comm, body)

    def write_device(self, handle: devnodes.OpenFile, data: bytes, block: int | None = None,
                     comm: str = "sh") -> tuple[int, int]:
        """write(2) of data to an open node (in blocks of `block` bytes, all
        at once by default), then close(2) it."""
        def body(kk: KCall) -> tuple[int, int]:
            try:
                return devnodes.write_all(kk, handle, data, block) if data else (0, 0)
            finally:
                devnodes.release(kk, handle)
        return self.run_task(comm, body)

    def close_device(self, handle: devnodes.OpenFile, comm: str = "sh") -> None:
        self.run_task(comm, lambda kk: devnodes.release(kk, handle))

    def clear_log(self) -> None:
        self.logbuf.clear()

    # -- services for kapi (kthreads, timers) ------------------------------------------
    def spawn(self, comm: str, fnptr: int, arg: int, module: Module | None, start: bool = True) -> Task:
        return self.sched.spawn(comm, fnptr, arg, module, start)

    def stop_task(self, task: Task) -> int:
        return self.sched.stop(task)

    def wake_task(self, task: Task) -> bool:
        return self.sched.wake(task)

    def add_timer(self, key: object, expires: int, fnptr: int, arg: int,
                  module: Module | None) -> None:
        self.sched.add_timer(key, expires, fnptr, arg, module)

    def del_timer(self, key: object) -> bool:
        return self.sched.del_timer(key)
