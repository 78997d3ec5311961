"""KCall: what a simulated kernel function sees of its caller and the kernel.

One is made per call from module code (kapi/__init__.py documents the
contract).  It also runs the fault-injection gate in front of every
injectable function, the way the kernel's should_fail() sits in front of
kmalloc (failslab) or any ALLOW_ERROR_INJECTION function (fail_function).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kmodgui.kbuild.ctype import StructType
from kmodgui.kernel import panic
from kmodgui.kernel.events import CallFailed, FaultInjected, Site
from kmodgui.kernel.services import KernelServices

if TYPE_CHECKING:
    from kmodgui.kernel.cpu import Cpu, Frame, Task
    from kmodgui.kernel.kapi import KapiFunc
    from kmodgui.kernel.module import Module

ERR_BASE = (1 << 64) - 4095       # IS_ERR_VALUE(): the top 4095 addresses


class KCallImpl:
    __slots__ = ("kernel", "mem", "module", "site", "task", "cpu")

    def __init__(self, kernel: KernelServices, cpu: Cpu, module: Module | None,
                 site: Site | None, task: Task) -> None:
        self.kernel = kernel
        self.mem = kernel.mem
        self.cpu = cpu
        self.module = module
        self.site = site
        self.task = task

    def cstr(self, addr: int) -> str:
        return self.mem.read_cstring(addr).decode("utf-8", "replace")

    def call(self, fnptr: int, *args: int) -> int:
        return self.cpu.dispatch(None, self.cpu.function_at(fnptr), list(args))

    def _struct(self, tag: str) -> StructType:
        for mod in ([self.module] if self.module else []) + list(self.kernel.modules.values()):
            st = mod.ko.structs.get(tag)
            if isinstance(st, StructType) and st.complete:
                return st
        raise KeyError(f"struct {tag} is not defined by any loaded module")

    def field_offset(self, struct: str, member: str) -> int:
        f = self._struct(struct).field(member)
        if f is None:
            raise KeyError(f"struct {struct} has no member {member}")
        return f.offset

    def sizeof(self, struct: str) -> int:
        return self._struct(struct).size

    def sleep(self, ns: int | None) -> None:
        self.kernel.sleep(self.task, ns)

    def warn(self, where: str, func: str, msg: str | None = None,
             callers: tuple[str, ...] = (), msg_level: int = 4) -> None:
        """WARN()/WARN_ON() hit in kernel code called by the module."""
        panic.warn(self.kernel, self.task, where, func,
                   self.module.name if self.module else None, msg, callers=callers,
                   msg_level=msg_level)

    def dump_stack(self, head: tuple[str, ...] = ()) -> None:
        """dump_stack() from kernel code (e.g. warn_alloc); `head`: the
        kernel functions between dump_stack and the module, innermost first."""
        if head:
            panic.dump_stack_under(self.kernel, self.task, head)
            return
        panic.dump_stack(self.kernel, self.task,
                         [panic.sym(self.kernel, self.task)] + panic.syscall_tail(self.task))


def failure_value(kind: str, errno: int) -> int:
    if kind == "null":
        return 0
    if kind == "errptr":
        return (1 << 64) - errno
    return -errno


def is_failure(kind: str | None, ret: int) -> int | None:
    """The errno a return value signals, if it is a failure."""
    if kind == "errno" and ret < 0:
        return -ret
    if kind == "null" and ret == 0:
        return 12
    if kind == "errptr" and ret >= ERR_BASE:
        return (1 << 64) - ret
    return None


def kapi_call(kernel: KernelServices, cpu: Cpu, fr: Frame | None, kf: KapiFunc,
              args: list[int]) -> int:
    mod = fr.inst if fr is not None else None
    site = fr.site if fr is not None else None
    owner = mod.name if mod else "kernel"
    if kf.fail:
        errno = kernel.faults.check(kf.name, site)
        if errno:
            _announce(kernel, cpu, kf, owner)
            kernel.trace.emit(FaultInjected(kernel.clock_ns, kf.name, errno, owner, site))
            kernel.trace.emit(CallFailed(kernel.clock_ns, kf.name, errno, owner, site, True))
            return failure_value(kf.fail, errno)
    k = KCallImpl(kernel, cpu, mod, site, cpu.current())
    ret = kf.impl(k, *args)
    ret = 0 if ret is None else ret
    bad = is_failure(kf.fail, ret)
    if bad:
        kernel.trace.emit(CallFailed(kernel.clock_ns, kf.name, bad, owner, site, False))
    return ret


#: the fault_attr each kind of injected call goes through, and the Kconfig
#: option that builds it (lib/Kconfig.debug)
CAPABILITY = {"failslab": "FAILSLAB", "fail_page_alloc": "FAIL_PAGE_ALLOC",
              "fail_function": "FAIL_FUNCTION"}


def _announce(kernel: KernelServices, cpu: Cpu, kf: KapiFunc, owner: str) -> None:
    """fail_dump(): 'FAULT_INJECTION: forcing a failure.' and a stack dump.
    Only a kernel built with the capability can say it: without
    FAULT_INJECTION (Debian's) the simulator's own injection stays marked
    in the trace, and dmesg shows what the real kernel would print."""
    attr = "failslab" if kf.slab else ("fail_page_alloc" if kf.name.startswith("v")
                                       else "fail_function")
    if not (kernel.config.get("FAULT_INJECTION") and kernel.config.get(CAPABILITY[attr])):
        return
    text = kernel.profile.msg("fault_injection", attr=attr)
    for line in text.split("\n"):
        kernel.log_line(line, 5, owner, injected=True)
    if kernel.profile.kernel["switches"]["fault_injection_dump_stack"]:
        task = cpu.current()
        lines = panic.who(kernel, task)
        lines.append("Call Trace:")
        lines.append(" <TASK>")
        lines += [" dump_stack_lvl+0x44/0x5c", " should_fail_ex.cold+0x32/0x37",
                  f" {kf.name}+0x22/0x80" if not kf.slab else " should_failslab+0x9/0x20"]
        lines += [f" {panic.sym(kernel, task, f)}" for f in reversed(task.frames)]
        lines += [f" {t}" for t in panic.syscall_tail(task)]
        lines.append(" </TASK>")
        for line in lines:
            kernel.log_line(line, 4, owner, injected=True)
