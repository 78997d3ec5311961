"""The device core's helpers a driver calls on any struct device
(drivers/base/core.c): device attributes and dev_printk.

A device known to the device core (a platform device, for now) has a
kobject entry of kind "device": its directory in the sysfs tree, whose
attribute files are reached through dev_attr_show()/dev_attr_store().
"""
from __future__ import annotations

from kmodgui.kernel import vsprintf
from kmodgui.kernel.kapi import kapi, kobject
from kmodgui.kernel.kapi.common import (EINVAL, ENOMEM, offset, owner, read_field,
                                        registry, switch, warn)
from kmodgui.kernel.kapi.workqueue import preempt_point
from kmodgui.kernel.services import KCall


def kobj_of(k: KCall, dev: int) -> int:
    """&dev->kobj."""
    return dev + (offset(k, "device", "kobj") or 0)


def register_device_kobject(k: KCall, dev: int, obj: kobject.KObject) -> None:
    """Make the device's directory reachable by its struct device."""
    kobject.kobjects(k)[kobj_of(k, dev)] = obj
    registry(k, "kobject_kind")[kobj_of(k, dev)] = "device"


def forget_device_kobject(k: KCall, dev: int) -> None:
    kobject.kobjects(k).pop(kobj_of(k, dev), None)
    registry(k, "kobject_kind").pop(kobj_of(k, dev), None)


@kapi("device_create_file", fail="errno", errno=ENOMEM, gpl=True)
def device_create_file(k: KCall, dev: int, attr: int) -> int:
    """A file in the device's directory; -EINVAL for a device without one.
    A write bit without store() (or a read bit without show()) is the
    kernel's WARN before the file is made all the same."""
    if dev == 0:
        return -EINVAL
    mode = read_field(k, attr, "attribute", "mode", 2) or 0
    name = k.cstr(read_field(k, attr, "attribute", "name") or 0)
    if mode & 0o222 and not read_field(k, attr, "device_attribute", "store"):
        warn(k, "dev_attr_mode", f"Attribute {name}: write permission without 'store'")
    if mode & 0o444 and not read_field(k, attr, "device_attribute", "show"):
        warn(k, "dev_attr_mode", f"Attribute {name}: read permission without 'show'")
    obj = kobject.kobjects(k).get(kobj_of(k, dev))
    if obj is None or obj.node is None:
        k.mem.read_int(dev, 8)
        return -EINVAL
    kobject._remember_layouts(k)
    err = kobject.add_file(k, obj, obj.node, attr)
    if not err:
        name = k.cstr(read_field(k, attr, "attribute", "name") or 0)
        k.kernel.ledger.acquire("sysfs", (obj.addr, attr), f"/sys{obj.path}/{name}",
                                owner(k), k.site, "device_create_file")
    return err


@kapi("device_remove_file", gpl=True)
def device_remove_file(k: KCall, dev: int, attr: int) -> int:
    if dev:
        kobject.sysfs_remove_file_ns(k, kobj_of(k, dev), attr, 0)
    return 0


# -- dev_printk (drivers/base/core.c __dev_printk) ---------------------------
def dev_name(k: KCall, dev: int) -> str:
    """dev_name(): init_name until the kobject has its name."""
    init = read_field(k, dev, "device", "init_name") or 0
    if init:
        return k.cstr(init)
    name = read_field(k, kobj_of(k, dev), "kobject", "name") or 0
    return k.cstr(name) if name else ""


def dev_driver_string(k: KCall, dev: int) -> str:
    """The bound driver's name, else the bus's, else the class's."""
    drv = read_field(k, dev, "device", "driver") or 0
    if drv:
        return k.cstr(read_field(k, drv, "device_driver", "name") or 0)
    bus = read_field(k, dev, "device", "bus") or 0
    if bus:
        return k.cstr(read_field(k, bus, "bus_type", "name") or 0)
    from kmodgui.kernel.kapi.device import all_devices   # device.py imports this module
    return next((d.cls for d in all_devices(k) if d.addr == dev), "")


def _dev_printk(k: KCall, level: int, dev: int, fmt: int, args: tuple[int, ...]) -> int:
    """"DRIVER DEVICE: message" at `level`; a NULL device prints "(NULL
    device *): message"."""
    text = vsprintf.format(k, k.mem.read_cstring(fmt), list(args), vsprintf.VIA_PRINTK)
    prefix = f"{dev_driver_string(k, dev)} {dev_name(k, dev)}: " if dev else "(NULL device *): "
    mark = f"\001{level}" if switch(k, "printk_kern_levels") else f"<{level}>"
    n = k.kernel.vprintk(f"{mark}{prefix}".encode("latin-1") + text,
                         k.module.name if k.module is not None else None)
    preempt_point(k.kernel, printk=True)
    return n


def _register(name: str, level: int) -> None:
    def impl(k: KCall, dev: int, fmt: int, *args: int) -> int:
        _dev_printk(k, level, dev, fmt, args)
        return 0
    impl.__name__ = name
    kapi(name, variadic=True)(impl)


for _name, _level in (("_dev_emerg", 0), ("_dev_alert", 1), ("_dev_crit", 2),
                      ("_dev_err", 3), ("_dev_warn", 4), ("_dev_notice", 5),
                      ("_dev_info", 6)):
    _register(_name, _level)


@kapi("dev_printk", variadic=True)
def dev_printk(k: KCall, level: int, dev: int, fmt: int, *args: int) -> int:
    """dev_printk(KERN_x, dev, fmt, ...): the level comes as a string."""
    raw = k.mem.read_cstring(level) if level else b""
    lvl = raw[1] - 0x30 if len(raw) >= 2 and raw[0] == 1 and 0x30 <= raw[1] <= 0x37 else 4
    _dev_printk(k, lvl, dev, fmt, args)
    return 0


@kapi("dev_driver_string", gpl=False)
def dev_driver_string_(k: KCall, dev: int) -> int:
    """The driver's (or bus's) name: a pointer to the string it lives in."""
    drv = read_field(k, dev, "device", "driver") or 0
    if drv:
        return read_field(k, drv, "device_driver", "name") or 0
    bus = read_field(k, dev, "device", "bus") or 0
    return read_field(k, bus, "bus_type", "name") or 0 if bus else 0
