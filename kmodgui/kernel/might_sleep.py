"""might_sleep() with CONFIG_DEBUG_ATOMIC_SLEEP: __might_resched() of
kernel/sched/core.c.

A kernel function that may sleep calls might_sleep() (kmalloc with a
blocking GFP mask through might_alloc(), mutex_lock(), msleep()...).
Without the option it is only a preemption point and says nothing, which
is Debian's 6.1.  With it, a call from atomic context (a spinlock held:
preempt_count() > 0, or interrupts off, or softirq context) prints at
KERN_ERR, at most once a second (prev_jiffy + HZ):

    BUG: sleeping function called from invalid context at FILE:LINE
    in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: N, name: COMM
    preempt_count: 1, expected: 0
    RCU nest depth: 0, expected: 0          (CONFIG_PREEMPT_RCU, Debian's)

then the held locks (debug_show_held_locks(), only with lockdep), a stack
dump, and taints the kernel W (add_taint(TAINT_WARN, LOCKDEP_STILL_OK)).
"Preemption disabled at:" needs CONFIG_DEBUG_PREEMPT, off on Debian.
"""
from __future__ import annotations


from kmodgui.kernel import lockdep, panic
from kmodgui.kernel.services import KCall

HZ = 250
#: include/linux/preempt.h
PREEMPT_OFFSET = 1
SOFTIRQ_OFFSET = 0x100
SOFTIRQ_LOCK_OFFSET = 0x200 + PREEMPT_OFFSET     # spin_lock_bh()
#: where might_sleep() sits in 6.1 (Debian's linux-headers-6.1.0-56:
#: might_alloc() in include/linux/sched/mm.h)
MIGHT_ALLOC = ("include/linux/sched/mm.h", 274)
SPIN_KINDS = ("spinlock", "read lock", "write lock")


def atomic_state(k: KCall) -> tuple[int, bool]:
    """(preempt_count(), irqs_disabled()) of the current task: one
    PREEMPT_OFFSET per spinning lock it holds (spin_lock_bh() also
    disables softirqs), SOFTIRQ_OFFSET in a timer or tasklet."""
    pid = k.task.pid if k.task is not None else 0
    count, irqs_off = 0, False
    for r in k.kernel.ledger.held():
        if r.kind != "lock" or not isinstance(r.key, tuple) or r.key[0] not in SPIN_KINDS \
                or r.key[2] != pid:
            continue
        count += SOFTIRQ_LOCK_OFFSET if r.api.endswith("_bh") else PREEMPT_OFFSET
        irqs_off = irqs_off or r.api.endswith(("_irq", "_irqsave"))
    if k.task is not None and k.task.pid == 0:
        count += SOFTIRQ_OFFSET
    return count, irqs_off


def might_sleep(k: KCall, where: tuple[str, int], callee: tuple[str, ...] = ()) -> None:
    """__might_sleep(file, line) -> __might_resched(file, line, 0).
    `callee`: the kernel frames between dump_stack() and the module."""
    kernel = k.kernel
    if not getattr(kernel, "config", {}).get("DEBUG_ATOMIC_SLEEP") or k.task is None:
        return
    count, irqs_off = atomic_state(k)
    if count == 0 and not irqs_off:
        return
    state = kernel.names.setdefault("might_resched", {})
    prev = state.get("prev_jiffy", 0)
    if prev and kernel.jiffies < prev + HZ:
        return
    state["prev_jiffy"] = kernel.jiffies
    task, mod = k.task, (k.module.name if k.module else None)
    lines = [f"BUG: sleeping function called from invalid context at {where[0]}:{where[1]}",
             f"in_atomic(): {int(count != 0)}, irqs_disabled(): {int(irqs_off)}, "
             f"non_block: 0, pid: {task.pid}, name: {task.comm}",
             f"preempt_count: {count:x}, expected: 0",
             "RCU nest depth: 0, expected: 0"]
    for line in lines:
        kernel.log_line(line, 3, mod)
    for line in lockdep.held_locks_lines(k):
        kernel.log_line(line, 4, mod)
    head = ("dump_stack_lvl+0x44/0x5c", "__might_resched.cold+0xcc/0xe1") + callee
    stack = panic.who(kernel, task) + panic.call_trace(
        kernel, task, panic.syscall_tail(task), include_top=True, head=head)
    for line in stack:
        kernel.log_line(line, 4, mod)
    kernel.add_taint("W")
