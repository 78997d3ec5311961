"""Device classes and class devices (drivers/base/class.c, core.c).

class_create() registers /sys/class/NAME; device_create() a device under
/sys/devices/virtual/CLASS/NAME (and /sys/dev/char/MAJ:MIN when it has a
number).  Names are checked the way sysfs checks them: a duplicate prints
the sysfs and kobject complaints and fails with -EEXIST.  Both objects are
kzalloc'd by the kernel and kfree'd on destroy, so using a destroyed class
is a use-after-free.  All four are EXPORT_SYMBOL_GPL in both profiles.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kmodgui.kernel import vsprintf
from kmodgui.kernel.kapi import devcore, devnodes, kapi, kernfs, kobject
from kmodgui.kernel.kapi.chrdev import MAJOR, MINOR
from kmodgui.kernel.kapi.common import (EEXIST, EINVAL, EIO, ENODEV, call_module,
                                        err_ptr, free_object, is_err, kernel_object,
                                        kobject_eexist, offset, owner, read_field,
                                        registry, sysfs_warn_dup, write_field)
from kmodgui.kernel.memory import KOBJ
from kmodgui.kernel.services import KCall

#: classes every booted kernel already has (so class_create("misc") clashes)
BUILTIN_CLASSES = ("mem", "misc", "tty", "vc", "input", "net", "block",
                   "graphics", "bdi", "rtc")
CLASS_SIZE = 96       # sizeof(struct class), if the headers do not say
DEVICE_SIZE = 768     # sizeof(struct device)


@dataclass
class ClassDevice:
    addr: int
    name: str
    devt: int
    owner: str
    cls: str = ""          # the class's name (dev_driver_string() of the device)


@dataclass
class DeviceClass:
    addr: int
    name: str
    owner: str
    devices: dict[str, ClassDevice] = field(default_factory=dict)


def classes(k: KCall) -> dict[str, DeviceClass]:
    return registry(k, "class")


def class_at(k: KCall, addr: int) -> DeviceClass | None:
    return next((c for c in classes(k).values() if c.addr == addr), None)


def all_devices(k: KCall) -> list[ClassDevice]:
    """Every class device, including misc devices (drivers/char/misc.c)."""
    devs = [d for c in classes(k).values() for d in c.devices.values()]
    return devs + list(registry(k, "misc_devices").values())


@kapi("class_create", fail="errptr", gpl=True)
def class_create(k: KCall, module: int, name: int) -> int:
    """class_create(THIS_MODULE, name): the class, or ERR_PTR(-errno)."""
    return __class_create(k, module, name, 0)


@kapi("__class_create", fail="errptr", gpl=True)
def __class_create(k: KCall, module: int, name: int, key: int) -> int:
    cname = k.cstr(name)
    if cname in classes(k) or cname in BUILTIN_CLASSES:
        sysfs_warn_dup(k, f"/class/{cname}")
        kobject_eexist(k, cname)
        return err_ptr(-EEXIST)
    addr = kernel_object(k, "class", CLASS_SIZE, f"class {cname}").base
    write_field(k, addr, "class", "name", name)
    write_field(k, addr, "class", "owner", module)
    classes(k)[cname] = DeviceClass(addr, cname, owner(k))
    kernfs.mkdir_p(kernfs.root(k), "class").children.pop(cname, None)
    kernfs.mkdir_p(kernfs.root(k), f"class/{cname}").owner = owner(k)
    kernfs.uevent(k)          # class_register(): its kset's KOBJ_ADD
    k.kernel.ledger.acquire("class", addr, f'class "{cname}"', owner(k), k.site,
                            "class_create")
    return addr


@kapi("class_destroy", gpl=True)
def class_destroy(k: KCall, cls: int) -> int:
    """class_destroy(): NULL and ERR_PTR are ignored; the class is kfree'd."""
    if cls == 0 or is_err(cls):
        return 0
    k.mem.read_int(cls, 8)            # a freed class faults here (cls->p)
    entry = class_at(k, cls)
    if entry is None:
        k.kernel.ledger.release("class", cls, "class_destroy", k.site, owner(k))
        return 0
    del classes(k)[entry.name]
    gone = kernfs.lookup(k, f"/sys/class/{entry.name}")
    if gone is not None:
        kernfs.remove(gone)
    _release_files(k, cls, "class_destroy")
    kernfs.uevent(k)          # class_unregister(): the kset's KOBJ_REMOVE
    free_object(k, cls)
    k.kernel.ledger.release("class", cls, "class_destroy", k.site, owner(k))
    return 0


def _device_key(dev: ClassDevice) -> int:
    return dev.devt if dev.devt else dev.addr


@kapi("device_create", fail="errptr", gpl=True, variadic=True)
def device_create(k: KCall, cls: int, parent: int, devt: int, drvdata: int,
                  fmt: int, *args: int) -> int:
    """device_create(class, parent, devt, drvdata, fmt, ...)."""
    if cls == 0 or is_err(cls):
        return err_ptr(-ENODEV)
    k.mem.read_int(cls, 8)            # a destroyed class faults here
    entry = class_at(k, cls)
    if entry is None:
        return err_ptr(-ENODEV)
    name = vsprintf.format(k, k.mem.read_cstring(fmt), list(args)).decode("latin-1")
    return create_class_device(k, entry.name, entry.devices, devt, drvdata, name,
                               "device_create")


def create_class_device(k: KCall, class_name: str, devices: dict[str, ClassDevice],
                        devt: int, drvdata: int, name: str, api: str,
                        track: bool = True) -> int:
    """device_add(): sysfs name, then the /sys/dev/char link, then record.

    `track`: open a "device" ledger entry (misc_register keeps its own).
    """
    devt &= 0xFFFFFFFF
    if name in devices:
        sysfs_warn_dup(k, f"/devices/virtual/{class_name}/{name}")
        kobject_eexist(k, name)
        return err_ptr(-EEXIST)
    if MAJOR(devt) and any(d.devt == devt for d in all_devices(k)):
        sysfs_warn_dup(k, f"/dev/char/{MAJOR(devt)}:{MINOR(devt)}")
        return err_ptr(-EEXIST)
    addr = kernel_object(k, "device", DEVICE_SIZE, f"device {name}").base
    write_field(k, addr, "device", "devt", devt, 4)
    write_field(k, addr, "device", "driver_data", drvdata)
    dev = ClassDevice(addr, name, devt, owner(k), class_name)
    devices[name] = dev
    _device_dir(k, dev)
    if devt:
        devnodes.devtmpfs_create(k, name, devt)
    if track:
        label = f'device "{name}"' + (f" ({MAJOR(devt)}:{MINOR(devt)})" if devt else "")
        k.kernel.ledger.acquire("device", _device_key(dev), label, owner(k),
                                k.site, api)
    return addr


@kapi("device_destroy", gpl=True)
def device_destroy(k: KCall, cls: int, devt: int) -> int:
    """Find the class's device with this number and unregister it."""
    k.mem.read_int(cls, 8)            # a destroyed class faults here
    entry = class_at(k, cls)
    devt &= 0xFFFFFFFF
    if entry is None:
        return 0                      # no such class
    dev = next((d for d in entry.devices.values() if d.devt == devt), None)
    if dev is None:
        return 0                      # class_find_device() found nothing
    remove_class_device(k, entry.devices, dev, "device_destroy")
    return 0


def remove_class_device(k: KCall, devices: dict[str, ClassDevice], dev: ClassDevice,
                        api: str, track: bool = True) -> None:
    del devices[dev.name]
    _drop_device_dir(k, dev, api)
    if dev.devt:
        devnodes.devtmpfs_delete(k, dev.name, dev.devt)
    free_object(k, dev.addr)
    if track:
        k.kernel.ledger.release("device", _device_key(dev), api, k.site, owner(k))


# -- sysfs: the device's directory, class attributes ------------------------
def _device_dir(k: KCall, dev: ClassDevice) -> None:
    """device_add() of a class device: /sys/devices/virtual/CLASS/NAME with
    dev (when it has a number), power/, subsystem and uevent, linked from
    /sys/class/CLASS/NAME; its kobject is named for dev_name()."""
    top = kernfs.root(k)
    node = kernfs.mkdir_p(top, f"devices/virtual/{dev.cls}/{dev.name}")
    node.owner = dev.owner
    if dev.devt:
        kernfs.kernel_file(node, "dev", lambda: f"{MAJOR(dev.devt)}:{MINOR(dev.devt)}\n")
    kernfs.mkdir_p(node, "power")
    kernfs.link(node, "subsystem", kernfs.mkdir_p(top, f"class/{dev.cls}"))
    kernfs.kernel_file(node, "uevent", lambda: _uevent(dev), mode=0o644)
    kernfs.link(kernfs.mkdir_p(top, f"class/{dev.cls}"), dev.name, node)
    kernfs.uevent(k)          # device_add(): KOBJ_ADD
    if not dev.addr:
        return
    name = dev.name.encode("latin-1", "replace")
    copy = k.mem.map(len(name) + 1, KOBJ, "kernel", label=f"name {dev.name}")
    copy.data[:len(name)] = name
    write_field(k, devcore.kobj_of(k, dev.addr), "kobject", "name", copy.base)
    obj = kobject.KObject(devcore.kobj_of(k, dev.addr), dev.name, node, None, dev.owner,
                          dynamic=False, name_addr=copy.base)
    devcore.register_device_kobject(k, dev.addr, obj)


def _uevent(dev: ClassDevice) -> str:
    """dev_uevent(): MAJOR, MINOR and DEVNAME for a device with a number."""
    if not dev.devt:
        return ""
    return f"MAJOR={MAJOR(dev.devt)}\nMINOR={MINOR(dev.devt)}\nDEVNAME={dev.name}\n"


def _drop_device_dir(k: KCall, dev: ClassDevice, api: str) -> None:
    kernfs.uevent(k)          # device_del(): KOBJ_REMOVE
    node = kernfs.lookup(k, f"/sys/devices/virtual/{dev.cls}/{dev.name}")
    if node is not None:
        kernfs.remove(node)
    link = kernfs.mkdir_p(kernfs.root(k), f"class/{dev.cls}").children.get(dev.name)
    if link is not None and link.kind == "link":
        kernfs.remove(link)
    if dev.addr:
        obj = kobject.kobjects(k).get(devcore.kobj_of(k, dev.addr))
        if obj is not None and obj.name_addr:
            free_object(k, obj.name_addr)
        _release_files(k, devcore.kobj_of(k, dev.addr), api)
        devcore.forget_device_kobject(k, dev.addr)


def _release_files(k: KCall, owner_addr: int, api: str) -> None:
    """Files still in a directory that goes: removed with it, not leaked."""
    for held in [r for r in k.kernel.ledger.held() if r.kind == "sysfs"
                 and isinstance(r.key, tuple) and r.key[0] == owner_addr]:
        k.kernel.ledger.release("sysfs", held.key, api, k.site, owner(k))


def _class_attr_show(cls: int) -> Any:
    """drivers/base/class.c class_attr_show(): cattr->show(class, cattr, buf)."""
    def show(k: KCall, node: kernfs.Node, buf: int) -> int:
        fn = read_field(k, node.attr, "class_attribute", "show") or 0
        return call_module(k, fn, cls, node.attr, buf) if fn else -EIO
    return show


def _class_attr_store(cls: int) -> Any:
    def store(k: KCall, node: kernfs.Node, buf: int, count: int) -> int:
        fn = read_field(k, node.attr, "class_attribute", "store") or 0
        return call_module(k, fn, cls, node.attr, buf, count) if fn else -EIO
    return store


@kapi("class_create_file_ns", fail="errno", gpl=True)
def class_create_file_ns(k: KCall, cls: int, attr: int, ns: int) -> int:
    """A file in /sys/class/NAME; -EINVAL for a class that is not there."""
    entry = class_at(k, cls) if cls and not is_err(cls) else None
    node = kernfs.lookup(k, f"/sys/class/{entry.name}") if entry else None
    if entry is None or node is None:
        return -EINVAL
    for member in ("show", "store"):
        offset(k, "class_attribute", member)     # remembered for a later read
    name = k.cstr(read_field(k, attr, "attribute", "name") or 0)
    mode = read_field(k, attr, "attribute", "mode", 2) or 0
    if name in node.children:
        sysfs_warn_dup(k, f"/sys/class/{entry.name}/{name}", kobject.FILE_DUP +
                       ("class_create_file_ns+0x2d/0x50",))
        return -EEXIST
    kernfs.add(node, kernfs.Node(name, node, "file", owner=owner(k), kobj=cls, attr=attr,
                                 mode=mode & 0o777, show=_class_attr_show(cls),
                                 store=_class_attr_store(cls)))
    k.kernel.ledger.acquire("sysfs", (cls, attr), f"/sys/class/{entry.name}/{name}",
                            owner(k), k.site, "class_create_file")
    return 0


@kapi("class_remove_file_ns", gpl=True)
def class_remove_file_ns(k: KCall, cls: int, attr: int, ns: int) -> int:
    entry = class_at(k, cls) if cls and not is_err(cls) else None
    node = kernfs.lookup(k, f"/sys/class/{entry.name}") if entry else None
    if node is None:
        return 0
    name = k.cstr(read_field(k, attr, "attribute", "name") or 0)
    f = node.children.get(name)
    if f is not None and f.kind == "file":
        kernfs.remove(f)
    if k.kernel.ledger.find("sysfs", (cls, attr)) is not None:
        k.kernel.ledger.release("sysfs", (cls, attr), "class_remove_file", k.site, owner(k))
    return 0
