"""The kernel functions a module may call (the simulated kernel's exports).

Each function is a Python callable registered with @kapi.  It receives a
KCall (who called, from where, and access to the kernel) followed by the C
arguments as Python ints (pointers are addresses; varargs arrive as the
promoted ints of each extra argument).  It returns the C return value as an
int (0 for void).

Fault injection (kernel fail_function / fail-nth) is done by the caller of
the registry, before the implementation runs: `fail` says how an injected
failure is returned:
    "null"    return NULL               (kmalloc, kstrdup, vmalloc, ...)
    "errno"   return -errno             (register_chrdev, misc_register, ...)
    "errptr"  return ERR_PTR(-errno)    (class_create, device_create, kthread_run)
    None      not injectable            (printk, kfree, strlen, ...)

Kernel variables a module may import (kernel_kobj, platform_bus_type) are
registered with @kapi_data: a function of the kernel that returns the
variable's address, made on first use.

Submodules register on import; `load_all()` imports them all.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable

from kmodgui.kernel.services import KCall, KernelServices

__all__ = ["KCall", "KernelServices", "KapiFunc", "REGISTRY", "kapi", "load_all"]


@dataclass(frozen=True)
class KapiFunc:
    name: str
    impl: Callable[..., int]
    fail: str | None        # how an injected fault returns (see module doc)
    errno: int              # default errno for an injected fault
    gpl: bool               # EXPORT_SYMBOL_GPL in the real kernel
    slab: bool              # an allocator (fault announced as failslab)
    variadic: bool


REGISTRY: dict[str, KapiFunc] = {}


@dataclass(frozen=True)
class KapiData:
    name: str
    address: Callable[[KernelServices], int]    # kernel -> the variable's address
    gpl: bool


DATA: dict[str, KapiData] = {}


def kapi_data(name: str, *, gpl: bool = False
              ) -> Callable[[Callable[[KernelServices], int]], Callable[[KernelServices], int]]:
    """Register an exported kernel variable under its C name."""
    def deco(fn: Callable[[KernelServices], int]) -> Callable[[KernelServices], int]:
        DATA[name] = KapiData(name, fn, gpl)
        return fn
    return deco


def kapi(name: str | None = None, *, fail: str | None = None, errno: int = 12,
         gpl: bool = False, slab: bool = False, variadic: bool = False
         ) -> Callable[[Callable[..., int]], Callable[..., int]]:
    """Register a simulated kernel function under its C name."""
    def deco(fn: Callable[..., int]) -> Callable[..., int]:
        cname = name or fn.__name__.rstrip("_")
        REGISTRY[cname] = KapiFunc(cname, fn, fail, errno, gpl, slab, variadic)
        return fn
    return deco


_loaded = False


def load_all() -> dict[str, KapiFunc]:
    """Import every kapi submodule (each registers its functions)."""
    global _loaded
    if not _loaded:
        for info in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{info.name}")
        _loaded = True
    return REGISTRY
