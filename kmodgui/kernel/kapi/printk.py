"""printk and dump_stack (kernel/printk/printk.c, lib/dump_stack.c).

printk formats with the kernel's vsnprintf and hands the bytes, KERN_
prefix and all, to the ring buffer (kernel.vprintk parses the level and
KERN_CONT and splits lines).  In 6.1 `printk` is a macro for `_printk`;
both names are exported here.
"""
from __future__ import annotations

from kmodgui.kernel import panic, vsprintf
from kmodgui.kernel.printk import LOG_LINE_MAX
from kmodgui.kernel.kapi import kapi, workqueue
from kmodgui.kernel.kapi.common import dump_stack as _dump_stack
from kmodgui.kernel.cpu import Task
from kmodgui.kernel.services import KCall


#: A task that prints to the console in a loop without ever scheduling
#: never trips the soft-lockup watchdog on a real machine: the console
#: driver touches it for every record (serial8250_console_write() calls
#: touch_nmi_watchdog()), so the loop just goes on, for hours if it is
#: long, with nothing reported.  kmodsim stops waiting for such a system
#: call after this many console lines (four times what the ring's 4096
#: records hold: dmesg then shows the loop's latest lines, as on the real
#: machine)
GIVE_UP_CONSOLE_LINES = 1 << 14


def _emit(k: KCall, fmt: int, args: tuple[int, ...]) -> int:
    # vprintk_store() formats into a LOG_LINE_MAX buffer
    text = vsprintf.format(k, k.mem.read_cstring(fmt), list(args), vsprintf.VIA_PRINTK,
                           limit=LOG_LINE_MAX)
    logbuf = getattr(k.kernel, "logbuf", None)
    before = logbuf.console_records if logbuf is not None else 0
    n = k.kernel.vprintk(text, k.module.name if k.module is not None else None)
    if logbuf is not None and logbuf.console_records != before:
        _count_console_line(k.kernel.cpu.task)
    workqueue.preempt_point(k.kernel, printk=True)
    return n


def _count_console_line(task: Task | None) -> None:
    if task is None or task.pid == 0:
        return
    if task.console_since != task.last_schedule:
        task.console_since, task.console_lines = task.last_schedule, 0
    task.console_lines += 1
    if task.console_lines > GIVE_UP_CONSOLE_LINES:
        raise panic.TaskStuck(task.comm, task.pid, printing=task.console_lines - 1)


@kapi("printk", variadic=True)
def printk(k: KCall, fmt: int, *args: int) -> int:
    """printk(fmt, ...): returns the number of bytes stored."""
    return _emit(k, fmt, args)


@kapi("_printk", variadic=True)
def _printk(k: KCall, fmt: int, *args: int) -> int:
    return _emit(k, fmt, args)


@kapi("dump_stack")
def dump_stack(k: KCall) -> int:
    """dump_stack(): CPU/PID/Comm line, hardware name and call trace."""
    _dump_stack(k)
    return 0


@kapi("printk_ratelimit")
def printk_ratelimit(k: KCall) -> int:
    """__printk_ratelimit(): a beginner's module never hits the limit here."""
    return 1
