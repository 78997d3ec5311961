"""The platform bus (drivers/base/platform.c, bus.c, dd.c).

Devices and drivers meet by name (platform_match(): an id_table entry, else
the device's base name against the driver's): registering either binds
every unbound pair, calling the driver's probe() in the registering task
(really_probe(): dev->driver is set first, and reset when probe fails);
unregistering either calls remove().  A device is a directory under
/sys/devices/platform (linked from /sys/bus/platform/devices), a driver
one under /sys/bus/platform/drivers with links to its devices and to its
module, which gets /sys/module/M/drivers/platform:NAME.

platform_device_alloc()'d devices are the kernel's (freed, with their
platform_data copy, at the last platform_device_put()); a device in the
module's own memory is registered with platform_device_register().
Drivers and devices are Resources entries of the module that registered
them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kmodgui.kernel.kapi import devcore, kapi, kapi_data, kernfs, kobject
from kmodgui.kernel.kapi.common import (EBUSY, EEXIST, EINVAL, ENODEV, ENOMEM, ENXIO,
                                        call_module, err_ptr, free_object, is_err,
                                        kernel_object, klog, kobject_eexist, offset,
                                        owner, read_field, registry, s32,
                                        sysfs_warn_dup, warn, write_field)
from kmodgui.kernel.kapi.kernfs import Node
from kmodgui.kernel.memory import KOBJ
from kmodgui.kernel.services import KCall, KernelServices

PDEV_SIZE = 840            # sizeof(struct platform_device), if the headers do not say
EPROBE_DEFER = 517


@dataclass(eq=False)
class PlatformDriver:
    addr: int              # struct platform_driver *
    name: str
    owner: str
    node: Node
    devices: list["PlatformDevice"] = field(default_factory=list)


@dataclass(eq=False)
class PlatformDevice:
    addr: int              # struct platform_device *
    base: str              # pdev->name
    owner: str
    allocated: bool        # platform_device_alloc(): the kernel frees it
    refs: int = 1
    name: str = ""         # dev_name(): "base.id" once added
    node: Node | None = None
    driver: PlatformDriver | None = None
    name_addr: int = 0
    pdata: int = 0         # platform_device_add_data()'s copy
    extra: list[int] = field(default_factory=list)   # kernel memory freed with it


def drivers(k: KCall) -> dict[str, PlatformDriver]:
    return registry(k, "platform_drivers")


def devices(k: KCall) -> dict[int, PlatformDevice]:
    """Every platform device a module made (added or not), by address."""
    return registry(k, "platform_devices")


def _added(k: KCall) -> list[PlatformDevice]:
    return [d for d in devices(k).values() if d.node is not None]


@kapi_data("platform_bus_type", gpl=True)
def platform_bus_type(kernel: KernelServices) -> int:
    """struct bus_type platform_bus_type: its name is "platform"."""
    seen = kernel.names.setdefault("platform_bus", {})
    if "addr" not in seen:
        name = kernel.mem.map(16, KOBJ, "kernel", label="\"platform\"")
        name.data[:8] = b"platform"
        bus = kernel.mem.map(64, KOBJ, "kernel", label="platform_bus_type")
        bus.data[:8] = name.base.to_bytes(8, "little")
        seen["addr"] = bus.base
    return seen["addr"]


# -- struct fields ---------------------------------------------------------
def _dev(k: KCall, pdev: int) -> int:
    """&pdev->dev."""
    return pdev + (offset(k, "platform_device", "dev") or 0)


def _drv_core(k: KCall, drv: int) -> int:
    """&drv->driver (the struct device_driver inside)."""
    return drv + (offset(k, "platform_driver", "driver") or 0)


def _set_bound(k: KCall, pdev: PlatformDevice, drv: PlatformDriver | None) -> None:
    pdev.driver = drv
    write_field(k, _dev(k, pdev.addr), "device", "driver",
                _drv_core(k, drv.addr) if drv is not None else 0)


# -- matching, probing, removing ---------------------------------------------
def _matches(k: KCall, pdev: PlatformDevice, drv: PlatformDriver) -> bool:
    """platform_match(): the id_table's names, else the driver's name."""
    table = read_field(k, drv.addr, "platform_driver", "id_table") or 0
    if table:
        size = _id_size(k)
        for i in range(256):
            entry = k.mem.read_cstring(table + i * size)
            if not entry:
                break
            if entry.decode("latin-1") == pdev.base:
                write_field(k, pdev.addr, "platform_device", "id_entry", table + i * size)
                return True
        return False
    return pdev.base == drv.name


def _id_size(k: KCall) -> int:
    try:
        return k.sizeof("platform_device_id")
    except KeyError:
        return 32


def _probe(k: KCall, pdev: PlatformDevice, drv: PlatformDriver) -> None:
    """really_probe() -> platform_probe() -> drv->probe(pdev)."""
    _set_bound(k, pdev, drv)
    _driver_links(pdev, drv)
    fn = read_field(k, drv.addr, "platform_driver", "probe") or 0
    ret = s32(call_module(k, fn, pdev.addr)) if fn else 0
    if ret == 0:
        drv.devices.append(pdev)
        kernfs.uevent(k)                 # driver_bound(): KOBJ_BIND
        return
    _unlink_driver(pdev, drv)
    _set_bound(k, pdev, None)
    if ret not in (-ENODEV, -ENXIO, -EPROBE_DEFER):
        # dd.c call_driver_probe(): the match was right but probe failed
        klog(k, 4, f"{drv.name}: probe of {pdev.name} failed with error {ret}")


def _remove(k: KCall, pdev: PlatformDevice) -> None:
    """device_release_driver() -> platform_remove() -> drv->remove(pdev)."""
    drv = pdev.driver
    if drv is None:
        return
    fn = read_field(k, drv.addr, "platform_driver", "remove") or 0
    if fn and s32(call_module(k, fn, pdev.addr)):
        _dev_warn(k, pdev, "remove callback returned a non-zero value. This will be ignored.")
    if pdev in drv.devices:
        drv.devices.remove(pdev)
    kernfs.uevent(k)                     # __device_release_driver(): KOBJ_UNBIND
    _unlink_driver(pdev, drv)
    _set_bound(k, pdev, None)


def _dev_warn(k: KCall, pdev: PlatformDevice, text: str) -> None:
    drv = pdev.driver.name if pdev.driver else "platform"
    klog(k, 4, f"{drv} {pdev.name}: {text}")


def _driver_links(pdev: PlatformDevice, drv: PlatformDriver) -> None:
    """driver_sysfs_add(): DRIVER/DEVICE and DEVICE/driver."""
    if pdev.node is not None:
        kernfs.link(drv.node, pdev.name, pdev.node)
        kernfs.link(pdev.node, "driver", drv.node)


def _unlink_driver(pdev: PlatformDevice, drv: PlatformDriver) -> None:
    for parent, name in ((drv.node, pdev.name), (pdev.node, "driver")):
        node = parent.children.get(name) if parent is not None else None
        if node is not None:
            kernfs.remove(node)


# -- drivers -----------------------------------------------------------------
@kapi("__platform_driver_register", fail="errno", gpl=True)
def __platform_driver_register(k: KCall, drv: int, module: int) -> int:
    """driver_register(): a name the bus has is -EBUSY; then every
    matching unbound device is probed."""
    core = _drv_core(k, drv)
    name = k.cstr(read_field(k, core, "device_driver", "name") or 0)
    write_field(k, core, "device_driver", "owner", module)
    write_field(k, core, "device_driver", "bus", platform_bus_type(k.kernel))
    top = kernfs.root(k)
    where = kernfs.mkdir_p(top, "bus/platform/drivers")
    if name in drivers(k) or name in where.children:
        klog(k, 3, f"Error: Driver '{name}' is already registered, aborting...")
        return -EBUSY
    node = kernfs.add(where, Node(name, where, "dir", owner=owner(k)))
    kernfs.builtin_driver_dir(node)
    entry = PlatformDriver(drv, name, owner(k), node)
    if k.module is not None:
        kernfs.link(node, "module", kernfs.mkdir_p(top, f"module/{k.module.name}"))
    drivers(k)[name] = entry
    k.kernel.ledger.acquire("platform_driver", drv, f'platform driver "{name}"',
                            owner(k), k.site, "platform_driver_register")
    kernfs.uevent(k)                     # bus_add_driver(): the driver's KOBJ_ADD
    for pdev in _added(k):
        if pdev.driver is None and _matches(k, pdev, entry):
            _probe(k, pdev, entry)
    return 0


@kapi("platform_driver_unregister", gpl=True)
def platform_driver_unregister(k: KCall, drv: int) -> int:
    """driver_unregister(): remove() for every bound device, then the
    driver goes; one never registered is the kernel's WARN."""
    entry = next((d for d in drivers(k).values() if d.addr == drv), None)
    if entry is None:
        k.mem.read_int(drv, 8)
        warn(k, "driver_unregister", "Unexpected driver unregister!")
        return 0
    for pdev in list(entry.devices):
        _remove(k, pdev)
    kernfs.remove(entry.node)
    kernfs.uevent(k)                     # bus_remove_driver(): KOBJ_REMOVE
    del drivers(k)[entry.name]
    k.kernel.ledger.release("platform_driver", drv, "platform_driver_unregister",
                            k.site, owner(k))
    return 0


def module_drivers(kernel: KernelServices, module: str) -> list[str]:
    """/sys/module/M/drivers: "platform:NAME" for each driver it registered."""
    known = kernel.names.get("platform_drivers", {})
    return sorted(f"platform:{d.name}" for d in known.values() if d.owner == module)


# -- devices -----------------------------------------------------------------
@kapi("platform_device_alloc", fail="null", gpl=True)
def platform_device_alloc(k: KCall, name: int, id_: int) -> int:
    """A zeroed platform_object with the name copied after it."""
    base = k.cstr(name)
    obj = kernel_object(k, "platform_device", PDEV_SIZE, f"platform_device {base}")
    raw = base.encode("latin-1", "replace")
    copy = k.mem.map(len(raw) + 1, KOBJ, "kernel", label=f"name {base}")
    copy.data[:len(raw)] = raw
    write_field(k, obj.base, "platform_device", "name", copy.base)
    write_field(k, obj.base, "platform_device", "id", id_ & 0xFFFFFFFF, 4)
    entry = PlatformDevice(obj.base, base, owner(k), True, extra=[copy.base])
    devices(k)[obj.base] = entry
    k.kernel.ledger.acquire("platform_device", obj.base, f'platform device "{base}"',
                            owner(k), k.site, "platform_device_alloc")
    return obj.base


@kapi("platform_device_add_data", fail="errno", gpl=True)
def platform_device_add_data(k: KCall, pdev: int, data: int, size: int) -> int:
    """kmemdup() of the data into dev.platform_data (NULL data: none)."""
    entry = _entry(k, pdev)
    if entry is None:
        return -EINVAL
    copy = 0
    if data:
        reg = k.mem.map(size, KOBJ, "kernel", label=f"platform_data of {entry.base}")
        reg.data[:size] = k.mem.read_bytes(data, size)
        copy = reg.base
    if entry.pdata:
        free_object(k, entry.pdata)
    entry.pdata = copy
    write_field(k, _dev(k, pdev), "device", "platform_data", copy)
    return 0


def _entry(k: KCall, pdev: int) -> PlatformDevice | None:
    entry = devices(k).get(pdev)
    if entry is None and pdev:
        k.mem.read_int(pdev, 8)          # a freed device faults here
    return entry


def _dev_name(entry: PlatformDevice, id_: int) -> str:
    """platform_device_add(): "name.id", just "name" for PLATFORM_DEVID_NONE."""
    if id_ == -1:
        return entry.base
    if id_ == -2:
        return f"{entry.base}.0.auto"
    return f"{entry.base}.{id_}"


@kapi("platform_device_add", fail="errno", gpl=True)
def platform_device_add(k: KCall, pdev: int) -> int:
    entry = _entry(k, pdev)
    if entry is None:
        return -EINVAL
    return _add(k, entry)


def _add(k: KCall, entry: PlatformDevice, callers: tuple[str, ...] = ()) -> int:
    """device_add(): the directory (-EEXIST and the kernel's complaints for
    a name in use), the files every platform device has, then a probe."""
    id_ = s32(read_field(k, entry.addr, "platform_device", "id", 4) or 0)
    name = _dev_name(entry, id_)
    top = kernfs.root(k)
    where = kernfs.mkdir_p(top, "devices/platform")
    if name in where.children:
        sysfs_warn_dup(k, f"/devices/platform/{name}", kobject.DIR_DUP + (
            "device_add+0xe0/0x8d0", "platform_device_add+0xee/0x240", *callers))
        kobject_eexist(k, name)
        return -EEXIST
    entry.name = name
    _write_name(k, entry)
    write_field(k, _dev(k, entry.addr), "device", "bus", platform_bus_type(k.kernel))
    entry.node = _device_dir(k, entry, where, top)
    entry.refs += 1                      # device_add()'s get_device()
    kobj = kobject.KObject(devcore.kobj_of(k, _dev(k, entry.addr)), name, entry.node,
                           None, entry.owner, dynamic=False)
    devcore.register_device_kobject(k, _dev(k, entry.addr), kobj)
    kernfs.uevent(k)                     # device_add(): KOBJ_ADD, then the probe
    for drv in list(drivers(k).values()):
        if _matches(k, entry, drv):
            _probe(k, entry, drv)
            break
    return 0


def _write_name(k: KCall, entry: PlatformDevice) -> None:
    raw = entry.name.encode("latin-1", "replace")
    reg = k.mem.map(len(raw) + 1, KOBJ, "kernel", label=f"name {entry.name}")
    reg.data[:len(raw)] = raw
    entry.name_addr = reg.base
    write_field(k, devcore.kobj_of(k, _dev(k, entry.addr)), "kobject", "name", reg.base)


def _device_dir(k: KCall, entry: PlatformDevice, where: Node, top: Node) -> Node:
    node = kernfs.add(where, Node(entry.name, where, "dir", owner=entry.owner,
                                  kobj=devcore.kobj_of(k, _dev(k, entry.addr))))
    kernfs.kernel_file(node, "modalias", lambda: f"platform:{entry.base}\n")
    kernfs.kernel_file(node, "uevent", lambda: _uevent(entry), mode=0o644)
    kernfs.kernel_file(node, "driver_override", lambda: "(null)\n", mode=0o644)
    kernfs.mkdir_p(node, "power")
    kernfs.link(node, "subsystem", kernfs.mkdir_p(top, "bus/platform"))
    kernfs.link(kernfs.mkdir_p(top, "bus/platform/devices"), entry.name, node)
    return node


def _uevent(entry: PlatformDevice) -> str:
    """platform_uevent() after the core's DRIVER= line."""
    driver = f"DRIVER={entry.driver.name}\n" if entry.driver is not None else ""
    return f"{driver}MODALIAS=platform:{entry.base}\n"


@kapi("platform_device_register", fail="errno", gpl=True)
def platform_device_register(k: KCall, pdev: int) -> int:
    """device_initialize() + platform_device_add() of a module's own struct."""
    entry = devices(k).get(pdev)
    if entry is None:
        base = k.cstr(read_field(k, pdev, "platform_device", "name") or 0)
        entry = PlatformDevice(pdev, base, owner(k), False)
        devices(k)[pdev] = entry
        k.kernel.ledger.acquire("platform_device", pdev, f'platform device "{base}"',
                                owner(k), k.site, "platform_device_register")
    return _add(k, entry, ("platform_device_register+0x1f/0x30",))


@kapi("platform_device_del", gpl=True)
def platform_device_del(k: KCall, pdev: int) -> int:
    """device_del(): remove() by the bound driver, then the directory."""
    if pdev == 0 or is_err(pdev):
        return 0
    entry = _entry(k, pdev)
    if entry is None or entry.node is None:
        return 0
    _remove(k, entry)
    kernfs.uevent(k)                     # device_del(): KOBJ_REMOVE
    top = kernfs.root(k)
    link = kernfs.mkdir_p(top, "bus/platform/devices").children.get(entry.name)
    if link is not None:
        kernfs.remove(link)
    kernfs.remove(entry.node)
    entry.node = None
    devcore.forget_device_kobject(k, _dev(k, pdev))
    _put(k, entry, "platform_device_del")
    return 0


@kapi("platform_device_put", gpl=True)
def platform_device_put(k: KCall, pdev: int) -> int:
    if pdev == 0 or is_err(pdev):
        return 0
    entry = _entry(k, pdev)
    if entry is not None:
        _put(k, entry, "platform_device_put")
    return 0


@kapi("platform_device_unregister", gpl=True)
def platform_device_unregister(k: KCall, pdev: int) -> int:
    platform_device_del(k, pdev)
    return platform_device_put(k, pdev)


def _put(k: KCall, entry: PlatformDevice, api: str) -> None:
    """put_device(): the last reference runs the release -- the kernel's
    platform_device_release() frees what platform_device_alloc() made."""
    entry.refs -= 1
    if entry.refs > 0:
        return
    del devices(k)[entry.addr]
    for addr in [entry.pdata, entry.name_addr, *entry.extra]:
        if addr:
            free_object(k, addr)
    if entry.allocated:
        free_object(k, entry.addr)
    else:
        _static_release(k, entry)
    k.kernel.ledger.release("platform_device", entry.addr, api, k.site, owner(k))


def _static_release(k: KCall, entry: PlatformDevice) -> None:
    """drivers/base/core.c device_release() of a device in the module's
    memory: its own dev.release, or the kernel's WARN when it has none."""
    fn = read_field(k, _dev(k, entry.addr), "device", "release") or 0
    if fn:
        call_module(k, fn, _dev(k, entry.addr))
        return
    warn(k, "device_release", f"Device '{entry.name or entry.base}' does not have a "
         "release() function, it is broken and must be fixed. See "
         "Documentation/core-api/kobject.rst.", msg_level=3)


@kapi("platform_device_register_full", fail="errptr", gpl=True)
def platform_device_register_full(k: KCall, info: int) -> int:
    """alloc + add_data + add from a platform_device_info; ERR_PTR on failure."""
    name = read_field(k, info, "platform_device_info", "name") or 0
    id_ = s32(read_field(k, info, "platform_device_info", "id", 4) or 0)
    pdev = platform_device_alloc(k, name, id_)
    if not pdev:
        return err_ptr(-ENOMEM)
    data = read_field(k, info, "platform_device_info", "data") or 0
    size = read_field(k, info, "platform_device_info", "size_data") or 0
    err = platform_device_add_data(k, pdev, data, size) if data else 0
    entry = devices(k).get(pdev)
    err = err or (_add(k, entry, ("platform_device_register_full+0xbe/0x130",))
                  if entry is not None else -EINVAL)
    if err:
        platform_device_put(k, pdev)
        return err_ptr(err)
    return pdev
