"""The kernel's crash reports: oops, BUG, WARN, KASAN, soft lockup.

Formats follow arch/x86/mm/fault.c (show_fault_oops), arch/x86/kernel/
dumpstack.c (__die_header, show_regs), lib/dump_stack.c, kernel/panic.c
(__warn, print_tainted, print_oops_end_marker), mm/kasan/report.c and
kernel/watchdog.c, with the profile's wording.  Register values and the
frames below the module's own are illustrative (the README of the real
transcripts allows stack-dump bodies to differ); every line a user reads
to understand what happened is exact.
"""
from __future__ import annotations

from typing import overload

from kmodgui.kernel.events import Oops
from kmodgui.kernel.memory import MemoryFault


class TaskKilled(Exception):
    """The task died in the kernel (oops): userspace sees the signal."""

    def __init__(self, signal: int, why: str) -> None:
        super().__init__(why)
        self.signal = signal      # 9 = Killed (page fault), 11 = Segmentation fault (BUG)


class TaskStuck(Exception):
    """The task never returns (soft lockup, hung task): the syscall hangs forever."""

    def __init__(self, comm: str, pid: int, asleep: bool = False, hung: int = 0,
                 printing: int = 0) -> None:
        super().__init__(f"{comm}:{pid} stuck in the kernel")
        self.comm, self.pid = comm, pid
        #: True: the task sleeps over and over (a real kernel says nothing:
        #: each wake-up counts as a context switch, so khungtaskd is content)
        self.asleep = asleep
        #: > 0: blocked in TASK_UNINTERRUPTIBLE; khungtaskd reported it
        #: blocked for this many seconds
        self.hung = hung
        #: > 0: it printed this many console lines without scheduling and
        #: goes on (the console driver keeps the watchdog quiet)
        self.printing = printing


class KernelBug(Exception):
    """BUG()/BUG_ON() hit (kapi raises it: e.g. a double kfree)."""

    def __init__(self, where: str, func: str) -> None:
        super().__init__(f"kernel BUG at {where}")
        self.where, self.func = where, func


@overload
def crashed(k, task, e: MemoryFault | KernelBug) -> TaskKilled: ...
@overload
def crashed(k, task, e: BaseException) -> TaskKilled | None: ...


def crashed(k, task, e: BaseException) -> TaskKilled | None:
    """Report a crash of `task` as the kernel does; the signal that kills it.
    A page fault oopses (SIGKILL: "Killed"); BUG() is an invalid opcode
    (SIGSEGV: "Segmentation fault")."""
    if isinstance(e, MemoryFault):
        page_fault(k, task, e)
        return TaskKilled(9, "oops")
    if isinstance(e, KernelBug):
        kernel_bug(k, task, e)
        return TaskKilled(11, "BUG")
    return None


# -- pieces ---------------------------------------------------------------
def tainted_str(k) -> str:
    """print_tainted(): 'Not tainted' or 'Tainted: G           OE     '."""
    flags = k.profile.kernel["taint_flags"]
    if not k.taint_letters:
        return "Not tainted"
    chars = []
    for letter in flags:
        if letter in k.taint_letters:
            chars.append(letter)
        else:
            chars.append("G" if letter == "P" else " ")
    return "Tainted: " + "".join(chars)


def sym(k, task, frame=None) -> str:
    """%pS of the current instruction: hi_init+0x1c/0x60 [hi]."""
    fr = frame or (task.frames[-1] if task.frames else None)
    if fr is None:
        return "0xffffffffc0000000"
    off = 0x10 + 0x8 * max(fr.line - fr.fn.line, 0)
    size = max((fr.fn.code_size + 15) // 16 * 16, off + 0x10)
    return f"{fr.fn.name}+0x{off:x}/0x{size:x} [{fr.inst.name}]"


def cpu_line(k, task) -> str:
    if not k.profile.kernel["switches"]["dump_cpu_line"]:
        return f"Pid: {task.pid}, comm: {task.comm} {tainted_str(k)} {k.profile.kernel['dump_tail']}"
    return (f"CPU: 0 PID: {task.pid} Comm: {task.comm} {tainted_str(k)} "
            f"{k.profile.kernel['dump_tail']}")


def who(k, task) -> list[str]:
    """dump_stack_print_info(): the CPU/PID/Comm/taint line and the hardware."""
    hw = k.profile.kernel["hardware"]
    return [cpu_line(k, task)] + ([f"Hardware name: {hw}"] if hw else [])


def call_trace(k, task, tail: list[str], include_top: bool = False,
               head: tuple[str, ...] = (), code: bool = True) -> list[str]:
    """Kernel frames called by the module (head), the module's frames
    (innermost first), then the syscall path.  code: the user registers
    come with their Code: line (not for another task's stack)."""
    lines = ["Call Trace:"]
    modern = k.profile.kernel["switches"]["trace_task_markers"]
    irq = bool(tail) and tail[0] == "<IRQ>"      # the frames say where they run
    if modern and not irq:
        lines.append(" <TASK>")
    frames = task.frames if include_top else task.frames[:-1]
    # a static inline function is part of its caller's code (gcc inlines it)
    frames = [f for f in frames if not getattr(f.fn, "inline", False)]
    names = list(head) + [sym(k, task, fr) for fr in reversed(frames)] + list(tail)
    if modern:
        lines += [f" {n}" for n in names]
        if tail and tail[-1].startswith("entry_SYSCALL_64"):
            regs_ = user_regs(task)    # the syscall's user-mode registers
            lines += regs_ if code else [r for r in regs_ if not r.startswith("Code: ")]
    else:                      # 2.6.30 print_trace_address: " [<%p>] %pS"
        lines += [f" [<{_fake_address(n):016x}>] {n}" for n in names]
    if modern and not irq:
        lines.append(" </TASK>")
    return lines


def _fake_address(name: str) -> int:
    """A stable text address for a frame (modules live at 0xffffffffa0...)."""
    import zlib
    base = 0xFFFFFFFFA0000000 if name.endswith("]") else 0xFFFFFFFF81000000
    return base + (zlib.crc32(name.encode()) & 0xFFFFF0)


def syscall_tail(task, modern: bool = True) -> list[str]:
    if not modern:
        return {"rmmod": ["sys_delete_module+0x1a0/0x270", "system_call_fastpath+0x16/0x1b"],
                "insmod": ["do_one_initcall+0x3c/0x170", "sys_init_module+0xc5/0x220",
                           "system_call_fastpath+0x16/0x1b"]}.get(
            task.comm, ["kthread+0x8f/0xa0", "child_rip+0xa/0x20"])
    if task.pid == 0:             # a timer callback: softirq on the idle task
        return ["<IRQ>", "call_timer_fn+0x27/0x130", "__run_timers.part.0+0x1e4/0x270",
                "run_timer_softirq+0x21/0x50", "__do_softirq+0xc6/0x2c8",
                "irq_exit_rcu+0x95/0xc0", "sysvec_apic_timer_interrupt+0x72/0x90", "</IRQ>"]
    if task.comm == "rmmod":
        return ["__do_sys_delete_module+0x1b9/0x330", "do_syscall_64+0x5d/0xb0",
                "entry_SYSCALL_64_after_hwframe+0x6e/0xd8"]
    if task.comm == "insmod":
        return ["do_one_initcall+0x41/0x200", "do_init_module+0x4c/0x1e0",
                "__do_sys_finit_module+0xac/0x120", "do_syscall_64+0x5d/0xb0",
                "entry_SYSCALL_64_after_hwframe+0x6e/0xd8"]
    return ["kthread+0xda/0x100", "ret_from_fork+0x22/0x30"]


def user_regs(task) -> list[str]:
    """show_regs() of the user context that made the syscall (finit_module
    is syscall 0x139, delete_module 0xb0): illustrative values."""
    nr = 0xB0 if task.comm == "rmmod" else 0x139
    return ["RIP: 0033:0x7f735b3aa829",
            "Code: 08 89 e8 5b 5d c3 66 2e 0f 1f 84 00 00 00 00 00 90 48 89 f8 48 89 f7 48 89 "
            "d6 48 89 ca 4d 89 c2 4d 89 c8 4c 8b 4c 24 08 0f 05 <48> 3d 01 f0 ff ff 73 01 c3 "
            "48 8b 0d a7 15 0d 00 f7 d8 64 89 01 48",
            f"RSP: 002b:00007fffdebfe578 EFLAGS: 00000246 ORIG_RAX: {nr:016x}",
            "RAX: ffffffffffffffda RBX: 0000563b3ea55490 RCX: 00007f735b3aa829",
            "RDX: 0000000000000000 RSI: 0000563b031874a0 RDI: 0000000000000003",
            "RBP: 0000563b031874a0 R08: 0000000000000000 R09: 00007f735b4842a0",
            "R10: 0000000000000003 R11: 0000000000000246 R12: 0000000000000000",
            "R13: 0000000000000000 R14: 0000563b3ea54400 R15: 0000000000000000"]


def _syscall_only(k, task) -> list[str]:
    """The entry path of a syscall made by any process (read(2), write(2))."""
    if not k.profile.kernel["switches"]["trace_task_markers"]:
        return ["system_call_fastpath+0x16/0x1b"]
    return ["do_syscall_64+0x5d/0xb0", "entry_SYSCALL_64_after_hwframe+0x6e/0xd8"]


def _tail(k, task) -> list[str]:
    return syscall_tail(task, k.profile.kernel["switches"]["trace_task_markers"])


def regs(k) -> list[str]:
    """__show_regs(SHOW_REGS_ALL) after the RIP line: the general
    registers, then the segment and control registers."""
    return ["RSP: 0018:ffffc90000493d88 EFLAGS: 00010246",
            "RAX: 0000000000000000 RBX: 0000000000000000 RCX: 0000000000000000",
            "RDX: 0000000000000000 RSI: 0000000000000000 RDI: 0000000000000000",
            "RBP: 0000000000000000 R08: 0000000000000000 R09: 0000000000000000",
            "R10: 0000000000000000 R11: 0000000000000000 R12: 0000000000000000",
            "R13: 0000000000000000 R14: 0000000000000000 R15: 0000000000000000",
            "FS:  00007f735b2a8040(0000) GS:ffff88803e800000(0000) knlGS:0000000000000000",
            "CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033",
            "CR2: 0000000000000000 CR3: 0000000001dc8000 CR4: 00000000000006f0"]


def show_ip(where: str) -> list[str]:
    """show_ip(): the RIP line, then show_opcodes()' "Code:" line.  A
    module's init lies at the start of its own pages, so the 42 bytes
    before it cannot be read (the real kernel says so)."""
    if "[" in where:
        return [f"RIP: 0010:{where}", "Code: Unable to access opcode bytes at 0xffffffffc041cfee."]
    return [f"RIP: 0010:{where}",
            "Code: 00 00 00 48 89 44 24 08 e9 5f fe ff ff 83 fd 0a 0f 86 d3 fd ff ff 80 3d 3a "
            "da 90 01 00 0f 85 5b fe ff ff c6 05 2d da 90 01 01 <0f> 0b e9 4d fe ff ff f7 c2 "
            "00 00 08 00 75 55 89 d8 24 7f f7 c2 00"]


def modules_linked_in(k) -> str:
    """print_modules(): 'Modules linked in: hi(OE+)' plus [last unloaded: x]."""
    parts = [f"{m.name}{m.flags_str()}" for m in k.modules_newest_first()]
    s = "Modules linked in:" + "".join(" " + p for p in parts)
    if k.last_unloaded:
        s += f" [last unloaded: {k.last_unloaded}]"
    return s


def _emit(k, lines: list[str], level: int, module: str | None) -> None:
    for line in lines:
        k.log_line(line, level, module)


# -- reports ----------------------------------------------------------------
def dump_stack(k, task, tail: list[str]) -> None:
    """lib/dump_stack.c, as after the 'suspiciously returned' warning."""
    lines = who(k, task)
    lines += call_trace(k, task, tail)
    _emit(k, lines, 4, None)


def dump_stack_under(k, task, head: tuple[str, ...]) -> None:
    """dump_stack() called by kernel functions (head) the module called."""
    lines = who(k, task)
    lines += call_trace(k, task, _tail(k, task), include_top=True, head=head)
    _emit(k, lines, 4, None)


def die(k, task, header: list[str], die_line: str, module: str | None,
        kind: str, summary: str, cr2: int | None = None, rip: str | None = None,
        head: tuple[str, ...] = ()) -> None:
    """__die(): the oops body; taints D; records an Oops event.
    rip: the kernel function that trapped, when it is not the module's."""
    k.oops_count += 1
    k.debug_locks = False          # oops_enter() -> debug_locks_off(), silently
    where = rip or sym(k, task)
    mods = modules_linked_in(k)
    lines = header + [die_line.format(n=k.oops_count)]
    lines += who(k, task)
    lines += show_ip(where) + regs(k)
    if k.oops_count == 1:          # __die_header() keeps the first oops' registers
        k.oops_summary = show_ip(where) + regs(k)
    if head:                       # the kernel's own code faulted, in a syscall
        lines += call_trace(k, task, _syscall_only(k, task), include_top=True, head=head)
    else:
        lines += call_trace(k, task, _tail(k, task), include_top=rip is not None)
    lines.append(mods)
    if cr2 is not None:
        lines.append(f"CR2: {cr2:016x}")
    lines.append(k.profile.msg("end_trace", trace_id="4ff9f2ed1c8b6f8a"))
    if k.profile.kernel["switches"].get("oops_exec_summary", False):
        # x86 oops_end(): the executive summary, the first oops' registers
        # again, in case the oops scrolled away
        lines += getattr(k, "oops_summary", [])
    _emit(k, lines, 4, module)
    k.add_taint("D")
    site = task.frames[-1].site if task.frames else None
    k.trace.emit(Oops(k.clock_ns, kind, module, site, summary))


def page_fault(k, task, f: MemoryFault) -> None:
    """show_fault_oops() then die(): a NULL or wild pointer, or freed code."""
    mod = task.frames[-1].inst.name if task.frames else None
    access = "instruction fetch" if f.fetch else ("write access" if f.write else "read access")
    code = (0x10 if f.fetch else 0) | (2 if f.write else 0)
    why = "not-present page"
    if f.kind == "null-ptr-deref":
        first = k.profile.msg("null_deref", addr=f.addr)
        summary = f"NULL pointer dereference ({access})"
    else:
        first = k.profile.msg("page_fault", addr=f.addr)
        summary = f"page fault at {f.addr:#x} ({access})"
    header = [first]
    if k.profile.kernel["messages"]["pf_access"]:
        header += [k.profile.msg("pf_access", access=access),
                   k.profile.msg("pf_code", code=code, why=why)]
    _emit(k, header, 1, mod)
    if k.profile.kernel["messages"]["pf_access"]:
        _emit(k, [_page_walk(f.addr)], 6, mod)     # dump_pagetable(): pr_info
    kind = "null-deref" if f.kind == "null-ptr-deref" else "page-fault"
    oops = k.profile.kernel["messages"]["oops"].replace("{code:04x}", f"{code:04x}")
    if f.kernel_frames:
        die(k, task, [], oops, mod, kind, summary, f.addr, rip=f.kernel_frames[0],
            head=f.kernel_frames[1:])
        # do_exit(): the oops left interrupts off in the kernel's read path
        _emit(k, [f"note: {task.comm}[{task.pid}] exited with irqs disabled"], 6, mod)
        return
    die(k, task, [], oops, mod, kind, summary, f.addr)


def _page_walk(addr: int) -> str:
    """dump_pagetable(): a user or NULL address has no tables; the module
    area's tables exist down to the missing PTE (values as recorded)."""
    if addr >= 0xFFFFFFFFC0000000:
        return "PGD 19415067 P4D 19415067 PUD 19417067 PMD 1367067 PTE 0"
    return "PGD 0 P4D 0 "


def kernel_bug(k, task, bug: KernelBug) -> None:
    """BUG(): 'cut here', 'kernel BUG at file:line!', invalid opcode oops."""
    mod = task.frames[-1].inst.name if task.frames else None
    _emit(k, [k.profile.msg("cut_here"), k.profile.msg("bug", where=bug.where)], 2, mod)
    die(k, task, [], k.profile.kernel["messages"]["invalid_opcode"], mod, "bug",
        f"kernel BUG at {bug.where} ({bug.func})", rip=f"{bug.func}+0x1c1/0x3c0")


def divide_error(k, task, why: str = "division by zero") -> None:
    """exc_divide_error(): the CPU's #DE, reported by die()."""
    mod = task.frames[-1].inst.name if task.frames else None
    die(k, task, [], k.profile.kernel["messages"]["divide_error"], mod, "divide-error",
        f"divide error: {why}")


def kernel_panic(k, reason: str) -> None:
    """panic(): the machine halts; nothing runs until a reboot."""
    k.log_line(f"Kernel panic - not syncing: {reason}", 0)
    k.log_line(f"---[ end Kernel panic - not syncing: {reason} ]---", 0)
    k.panicked = reason


def stack_overflow(k, task, fn) -> None:
    mod = task.frames[-1].inst.name if task.frames else None
    lines = []
    if k.profile.kernel["messages"]["stack_guard"]:
        lines.append(k.profile.msg("stack_guard", addr=0xFFFFC90000490000 - 8,
                                   lo=0xFFFFC90000490000, hi=0xFFFFC90000494000))
    _emit(k, lines, 0, mod)
    die(k, task, [], k.profile.kernel["messages"]["stack_overflow"], mod, "stack-overflow",
        f"kernel stack overflow calling {fn.name}() (recursion too deep)")
    if k.profile.kernel["switches"]["stack_overflow_panics"]:
        # handle_stack_overflow(): die(), then panic("Machine halted.")
        kernel_panic(k, "Machine halted.")


def warn(k, task, where: str, func: str, module: str | None, msg: str | None = None,
         off: int = 0x1d4, size: int = 0x340, callers: tuple[str, ...] = (),
         msg_level: int = 4) -> None:
    """__warn_printk() + __warn(): 'cut here', message, WARNING line,
    modules, register dump and trace; taints W.  callers: the kernel
    frames between `func` and the module's code, innermost first."""
    warning = k.profile.msg("warning", pid=task.pid, where=where, func=func, off=off,
                            size=size)
    if not k.profile.kernel["switches"]["warn_message_first"]:   # warn_slowpath: after
        lines = [k.profile.msg("cut_here"), warning] + ([msg] if msg else [])
    else:                                    # __warn_printk() before the trap
        lines = [k.profile.msg("cut_here")] + ([msg] if msg else []) + [warning]
    lines.append(modules_linked_in(k))
    lines += who(k, task)          # __warn() taints W after the dump
    lines += show_ip(f"{func}+0x{off:x}/0x{size:x}") + regs(k)
    lines += call_trace(k, task, _tail(k, task), include_top=True, head=callers)
    lines.append(k.profile.msg("end_trace", trace_id="4ff9f2ed1c8b6f8a"))
    for line in lines:             # WARN(1, KERN_ERR "..."): the message at its level
        _emit(k, [line], msg_level if msg and line == msg else 4, module)
    k.add_taint("W")


def soft_lockup(k, task, secs: int) -> None:
    """watchdog_timer_fn(): the CPU ran one task too long without scheduling."""
    mod = task.frames[-1].inst.name if task.frames else None
    level = k.profile.kernel["soft_lockup_level"]
    first = k.profile.kernel["soft_lockup_prefix"] + k.profile.msg(
        "soft_lockup", secs=secs, comm=task.comm, pid=task.pid)
    k.log_line(first, level, mod)
    lines = [modules_linked_in(k)] + who(k, task)
    inside = task.spin_in       # spinning in a kernel function the module called
    lines += show_ip(inside[0] if inside else sym(k, task)) + regs(k)
    lines += call_trace(k, task, _tail(k, task), include_top=bool(inside),
                        head=inside[1:])
    _emit(k, lines, 4, mod)
    k.add_taint("L")
    site = task.frames[-1].site if task.frames else None
    k.trace.emit(Oops(k.clock_ns, "soft-lockup", mod, site,
                      f"soft lockup: {task.comm} stuck for {secs}s"))


def kasan(k, task, f: MemoryFault) -> None:
    """mm/kasan/report.c: bad access to slab/stack/global memory."""
    mod = task.frames[-1].inst.name if task.frames else None
    kind = f.kind.replace("slab-use-after-free", "use-after-free")
    bar = "=" * 66
    fr = task.frames[-1] if task.frames else None
    what = "Write" if f.write else "Read"
    lines = [bar,
             f"BUG: KASAN: {kind} in {sym(k, task)}",
             f"{what} of size {f.size} at addr {f.addr:016x} by task {task.comm}/{task.pid}",
             ""] + who(k, task)
    # print_address_description(): dump_stack_lvl() from inside the
    # report, down to the instrumented access in the module
    lines += call_trace(k, task, _tail(k, task), include_top=True,
                        head=("dump_stack_lvl+0x49/0x63", "print_report+0x171/0x472",
                              "kasan_report+0xb1/0x140"))
    if f.region is not None:
        r = f.region
        lines += ["", f"The buggy address belongs to the object at {r.base:016x}",
                  f" which belongs to the cache {r.label or r.kind} of size {r.size}"]
        if f.addr >= r.end:
            lines += [f"The buggy address is located {f.addr - r.end} bytes to the right of",
                      f" {r.size}-byte region [{r.base:016x}, {r.end:016x})"]
        elif f.addr < r.base:
            lines += [f"The buggy address is located {r.base - f.addr} bytes to the left of",
                      f" {r.size}-byte region [{r.base:016x}, {r.end:016x})"]
        else:
            lines += [f"The buggy address is located {f.addr - r.base} bytes inside of",
                      f" freed {r.size}-byte region [{r.base:016x}, {r.end:016x})"]
    lines.append(bar)
    _emit(k, lines, 3, mod)
    k.add_taint("B")
    k.trace.emit(Oops(k.clock_ns, "kasan", mod, fr.site if fr else None,
                      f"KASAN: {kind} ({what.lower()} of size {f.size})"))


def hung_task(k, task, secs: int) -> None:
    """check_hung_task() (kernel/hung_task.c): the task stayed in
    TASK_UNINTERRUPTIBLE with no context switch for a whole
    hung_task_timeout_secs.  Three lines at KERN_ERR, then
    sched_show_task() at KERN_INFO: the task line and the stack it sleeps
    on, from __schedule() down through the module to the syscall."""
    mod = task.frames[-1].inst.name if task.frames else None
    msgs = k.profile.kernel["messages"]
    lines = [k.profile.msg("hung_task", comm=task.comm, pid=task.pid, secs=secs)]
    if "hung_task_uts" in msgs:
        lines.append(k.profile.msg("hung_task_uts", tainted=tainted_str(k)))
    lines.append(k.profile.msg("hung_task_echo"))
    _emit(k, lines, 3, mod)
    kthread = task.comm not in ("insmod", "rmmod")
    show = [k.profile.msg("sched_show_task", comm=task.comm, state=task.state, free=0,
                          pid=task.pid, ppid=2 if kthread else 1, pc=0,
                          flags=0x4000 if kthread else 0x2)]
    show += call_trace(k, task, _tail(k, task), include_top=True, head=task.wchan, code=False)
    _emit(k, show, 6, mod)
    site = task.frames[-1].site if task.frames else None
    k.trace.emit(Oops(k.clock_ns, "hung-task", mod, site,
                      f"hung task: {task.comm} blocked for more than {secs} seconds"))
