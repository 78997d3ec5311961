"""Module references (kernel/module/main.c try_module_get, module_put).

A `struct module *` is turned into the kernel's Module with
k.kernel.module_by_struct(addr) (None for an address that is no module).
Module has .name, .refcnt and .state ("UNFORMED", "COMING", "LIVE",
"GOING").  Each reference taken is a ledger entry of its taker, so a
module that forgets module_put() shows the leak and the target stays
"in use" for rmmod, as on a real kernel.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import owner, registry
from kmodgui.kernel.services import KCall

if TYPE_CHECKING:
    from kmodgui.kernel.module import Module


def _target(k: KCall, mod: int) -> Module | None:
    m = k.kernel.module_by_struct(mod)
    if m is None:
        k.mem.read_int(mod, 8)     # not a module: a wild pointer faults here
    return m


def _take(k: KCall, m: Module, api: str) -> None:
    m.refcnt += 1
    stack = registry(k, "module_refs").setdefault(m.name, [])
    count = registry(k, "module_ref_seq")
    count[m.name] = count.get(m.name, 0) + 1
    key = (m.name, count[m.name])
    stack.append(key)
    k.kernel.ledger.acquire("module_ref", key, f"reference to {m.name}", owner(k),
                            k.site, api)


@kapi("try_module_get")
def try_module_get(k: KCall, mod: int) -> int:
    """True (1) unless the module is being removed; NULL is built-in code."""
    if mod == 0:
        return 1
    m = _target(k, mod)
    if m is None or m.state == "GOING":
        return 0
    _take(k, m, "try_module_get")
    return 1


@kapi("__module_get")
def __module_get(k: KCall, mod: int) -> int:
    """Take a reference unconditionally (the caller already holds one)."""
    m = _target(k, mod) if mod else None
    if m is not None:
        _take(k, m, "__module_get")
    return 0


@kapi("module_put")
def module_put(k: KCall, mod: int) -> int:
    """Drop a reference; WARN_ON when there is none to drop (6.1)."""
    if mod == 0:
        return 0
    m = _target(k, mod)
    if m is None:
        return 0
    if m.refcnt <= 0:
        if k.kernel.profile.kernel["switches"]["module_put_underflow_warns"]:
            k.warn("kernel/module/main.c:909", "module_put")     # approx line
        else:
            m.refcnt -= 1
        return 0
    m.refcnt -= 1
    stack = registry(k, "module_refs").get(m.name) or []
    if stack:
        k.kernel.ledger.release("module_ref", stack.pop(), "module_put", k.site,
                                owner(k))
    return 0


@kapi("module_refcount")
def module_refcount(k: KCall, mod: int) -> int:
    m = _target(k, mod) if mod else None
    return m.refcnt if m is not None else 0
