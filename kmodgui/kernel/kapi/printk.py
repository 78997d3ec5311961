"""printk and dump_stack (kernel/printk/printk.c, lib/dump_stack.c).

printk formats with the kernel's vsnprintf and hands the bytes, KERN_
prefix and all, to the ring buffer (kernel.vprintk parses the level and
KERN_CONT and splits lines).  In 6.1 `printk` is a macro for `_printk`;
both names are exported here.
"""
from __future__ import annotations

from typing import Any

from kmodgui.kernel import vsprintf
from kmodgui.kernel.kapi import kapi, workqueue
from kmodgui.kernel.kapi.common import dump_stack as _dump_stack


def _emit(k: Any, fmt: int, args: tuple[int, ...]) -> int:
    text = vsprintf.format(k, k.mem.read_cstring(fmt), list(args), vsprintf.VIA_PRINTK)
    n = k.kernel.vprintk(text, k.module.name if k.module is not None else None)
    workqueue.preempt_point(k.kernel, printk=True)
    return n


@kapi("printk", variadic=True)
def printk(k: Any, fmt: int, *args: int) -> int:
    """printk(fmt, ...): returns the number of bytes stored."""
    return _emit(k, fmt, args)


@kapi("_printk", variadic=True)
def _printk(k: Any, fmt: int, *args: int) -> int:
    return _emit(k, fmt, args)


@kapi("dump_stack")
def dump_stack(k: Any) -> int:
    """dump_stack(): CPU/PID/Comm line, hardware name and call trace."""
    _dump_stack(k)
    return 0


@kapi("printk_ratelimit")
def printk_ratelimit(k: Any) -> int:
    """__printk_ratelimit(): a beginner's module never hits the limit here."""
    return 1
