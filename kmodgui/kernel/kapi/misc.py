"""Misc character devices, major 10 (drivers/char/misc.c).

misc_register() takes a minor (MISC_DYNAMIC_MINOR asks for one: 6.1 hands
out DYNAMIC_MINORS - 1 - first free bit, i.e. 127, 126, ... ; 2.6.30 the
same with 64 dynamic minors: 63, 62, ...) and writes it back into the
struct, then creates /sys/devices/virtual/misc/NAME.  A minor in use fails
with -EBUSY; a name in use fails in sysfs with -EEXIST (the minor is given
back and reset to MISC_DYNAMIC_MINOR, as 6.1 does).

misc_deregister() of a device that is not registered does what list_del()
does to such a struct: a never-registered (zeroed) one writes through a
NULL `list.next` (NULL dereference at 0x8); one already deregistered
writes through LIST_POISON1 (a non-canonical address in 6.1: the report
is a general protection fault there).  Built-in misc devices of a real
system (fuse, hpet, ...) are not simulated.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.chrdev import MKDEV
from kmodgui.kernel.kapi.common import (switch, EBUSY, is_err, owner,
                                        read_field, registry, s64, write_field)
from kmodgui.kernel.kapi.device import (ClassDevice, create_class_device,
                                        remove_class_device)
from kmodgui.kernel.memory import MemoryFault
from kmodgui.kernel.services import InKernel, KCall

MISC_MAJOR = 10
MISC_DYNAMIC_MINOR = 255


@dataclass
class MiscEntry:
    addr: int
    name: str
    minor: int
    dynamic: bool
    owner: str
    device: ClassDevice


def miscs(k: InKernel) -> dict[int, MiscEntry]:
    """Registered struct miscdevice, by address."""
    return registry(k, "misc")


def misc_devices(k: InKernel) -> dict[str, ClassDevice]:
    """The misc class's devices, by name (/sys/devices/virtual/misc)."""
    return registry(k, "misc_devices")


def _dynamic_minors(k: KCall) -> int:
    return int(switch(k, "misc_dynamic_minors"))


def _alloc_minor(k: KCall) -> int:
    used = {m.minor for m in miscs(k).values() if m.dynamic}
    n = _dynamic_minors(k)
    for bit in range(n):
        if n - bit - 1 not in used:
            return n - bit - 1
    return -EBUSY


@kapi("misc_register", fail="errno", errno=EBUSY)
def misc_register(k: KCall, misc: int) -> int:
    """Register a misc device; returns 0 or -errno."""
    minor = read_field(k, misc, "miscdevice", "minor", 4, signed=True)
    if minor is None:                   # headers without miscdevice.minor
        minor = MISC_DYNAMIC_MINOR
    name_ptr = read_field(k, misc, "miscdevice", "name") or 0
    name = k.cstr(name_ptr) if name_ptr else "(null)"
    dynamic = minor == MISC_DYNAMIC_MINOR
    if dynamic:
        minor = _alloc_minor(k)
        if minor < 0:
            return -EBUSY
    elif any(m.minor == minor for m in miscs(k).values()):
        return -EBUSY
    write_field(k, misc, "miscdevice", "minor", minor, 4)
    dev = create_class_device(k, "misc", misc_devices(k), MKDEV(MISC_MAJOR, minor),
                              misc, name, "misc_register", track=False)
    write_field(k, misc, "miscdevice", "this_device", dev)
    if is_err(dev):
        if dynamic:
            write_field(k, misc, "miscdevice", "minor", MISC_DYNAMIC_MINOR, 4)
        return s64(dev)
    miscs(k)[misc] = MiscEntry(misc, name, minor, dynamic, owner(k),
                               misc_devices(k)[name])
    registry(k, "misc_gone").pop(misc, None)
    k.kernel.ledger.acquire("misc", misc, f'misc "{name}" ({MISC_MAJOR}:{minor})',
                            owner(k), k.site, "misc_register")
    return 0


@kapi("misc_deregister")
def misc_deregister(k: KCall, misc: int) -> int:
    entry = miscs(k).pop(misc, None)
    if entry is None:
        _list_del_crash(k, misc)
    remove_class_device(k, misc_devices(k), entry.device, "misc_deregister",
                        track=False)
    registry(k, "misc_gone")[misc] = True
    k.kernel.ledger.release("misc", misc, "misc_deregister", k.site, owner(k))
    return 0


def _list_del_crash(k: KCall, misc: int) -> NoReturn:
    """list_del(&misc->list) on a list_head that was never (or no longer) linked."""
    k.kernel.ledger.release("misc", misc, "misc_deregister", k.site, owner(k))
    if misc in registry(k, "misc_gone"):
        poison = int(switch(k, "list_poison1"))
        raise MemoryFault("page-fault", poison + 8, 8, True)
    raise MemoryFault("null-ptr-deref", 8, 8, True)
