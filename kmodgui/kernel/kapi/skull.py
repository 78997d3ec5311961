"""The teaching facilities of LDD3 chapter 2's skull example.

register_this/that/those(ptr, name), register_stuff(ptr, name) (the
shared-cleanup variant) and their unregister_* counterparts, as
resources/include/linux/skull.h declares them.  They stand for any kernel
facility: each kind is
a name-keyed registry that lives as long as the boot, so a name a module
forgot to unregister stays taken and the next insmod's register fails
with -EBUSY, printing a kernel-style line:

    this: 'skull' is already registered (by skull)

An unregister of a name that is not registered does nothing but log
`this: unregister of unknown 'skull' ignored` (level 4); the ledger marks
it as a double or unknown release.
"""
from __future__ import annotations

from typing import Any

from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import EBUSY, klog, owner, registry
from kmodgui.kernel.services import KCall

KINDS = ("this", "that", "those")   # "stuff" has its own functions below


def facility(k: KCall, kind: str) -> dict[str, dict[str, Any]]:
    """The registry of one kind: name -> {"owner", "ptr"}."""
    return registry(k, f"skull_{kind}")


def do_register(k: KCall, kind: str, ptr: int, name: str, api: str) -> int:
    table = facility(k, kind)
    if name in table:
        klog(k, 3, f"{kind}: '{name}' is already registered (by {table[name]['owner']})")
        return -EBUSY
    table[name] = {"owner": owner(k), "ptr": ptr}
    k.kernel.ledger.acquire(kind, name, f'{kind} "{name}"', owner(k), k.site, api)
    return 0


def do_unregister(k: KCall, kind: str, name: str, api: str) -> int:
    if facility(k, kind).pop(name, None) is None:
        klog(k, 4, f"{kind}: unregister of unknown '{name}' ignored")
    k.kernel.ledger.release(kind, name, api, k.site, owner(k))
    return 0


def _define(kind: str) -> None:
    def reg(k: KCall, ptr: int, name: int) -> int:
        return do_register(k, kind, ptr, k.cstr(name), f"register_{kind}")

    def unreg(k: KCall, ptr: int, name: int) -> int:
        return do_unregister(k, kind, k.cstr(name), f"unregister_{kind}")

    reg.__doc__ = f"register_{kind}(ptr, name): 0, or -EBUSY if name is taken."
    unreg.__doc__ = f"unregister_{kind}(ptr, name)."
    kapi(f"register_{kind}", fail="errno", errno=EBUSY)(reg)
    kapi(f"unregister_{kind}")(unreg)


for _kind in KINDS:
    _define(_kind)


@kapi("register_stuff", fail="errno", errno=EBUSY)
def register_stuff(k: KCall, ptr: int, name: int) -> int:
    """The shared-cleanup variant's single facility, "stuff"."""
    return do_register(k, "stuff", ptr, k.cstr(name), "register_stuff")


@kapi("unregister_stuff")
def unregister_stuff(k: KCall, ptr: int, name: int) -> int:
    return do_unregister(k, "stuff", k.cstr(name), "unregister_stuff")
