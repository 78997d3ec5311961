"""Character device numbers and cdevs (fs/char_dev.c).

A registration is a (major, baseminor, count, name) range, kept in the
boot-long registry kernel.names["chrdev"], exactly as fs/char_dev.c keeps
its chrdevs[] table: the same name may be registered under several majors,
overlapping minor ranges of one major are refused with -EBUSY, and a
dynamic major is the first free one from 254 down to 234 (then 511 down
to 384) in 6.1, from 254 down to 1 in 2.6.30.  Releases must name the
exact range registered; anything else is silently ignored by the kernel
(the range stays registered: the ledger shows it as a leak).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kmodgui.kernel import vsprintf
from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import (switch, EBUSY, EINVAL, free_object,
                                        kernel_object, klog, owner,
                                        read_field, registry, sizeof,
                                        write_field)
from kmodgui.kernel.memory import MemoryFault
from kmodgui.kernel.services import InKernel, KCall, KernelServices, kernel_of

MINORBITS = 20
MINORMASK = (1 << MINORBITS) - 1
CHRDEV_MAJOR_HASH_SIZE = 255
CHRDEV_MAJOR_MAX = 512
CHRDEV_MAJOR_DYN_END = 234
CHRDEV_MAJOR_DYN_EXT_START = 511
CHRDEV_MAJOR_DYN_EXT_END = 384
CDEV_SIZE = 104   # sizeof(struct cdev) on x86_64, if the headers do not say


def MKDEV(major: int, minor: int) -> int:
    return ((major << MINORBITS) | minor) & 0xFFFFFFFF


def MAJOR(dev: int) -> int:
    return (dev & 0xFFFFFFFF) >> MINORBITS


def MINOR(dev: int) -> int:
    return dev & MINORMASK


@dataclass
class CharRegion:
    """struct char_device_struct."""
    major: int
    baseminor: int
    count: int
    name: str
    owner: str
    cdev: int = 0         # the cdev register_chrdev() made, if any
    fops: int = 0         # its ops (what chrdev_open() finds for the range)


def regions(k: InKernel) -> dict[tuple[int, int], CharRegion]:
    return registry(k, "chrdev")


def _bucket_empty(k: KCall, index: int) -> bool:
    """chrdevs[index] == NULL: no registered major hashes to this slot."""
    return all(m % CHRDEV_MAJOR_HASH_SIZE != index for m, _ in regions(k))


def _major_free(k: KCall, major: int) -> bool:
    return all(m != major for m, _ in regions(k))


def find_dynamic_major(k: KCall) -> int:
    """fs/char_dev.c find_dynamic_major()."""
    if not switch(k, "chrdev_dyn_ext"):
        return next((i for i in range(254, 0, -1) if _bucket_empty(k, i)), -EBUSY)
    for i in range(CHRDEV_MAJOR_HASH_SIZE - 1, CHRDEV_MAJOR_DYN_END - 1, -1):
        if _bucket_empty(k, i):
            return i
    for i in range(CHRDEV_MAJOR_DYN_EXT_START, CHRDEV_MAJOR_DYN_EXT_END - 1, -1):
        if _major_free(k, i):
            return i
    return -EBUSY


def register_region(k: KCall, major: int, baseminor: int, count: int,
                    name: str) -> CharRegion | int:
    """__register_chrdev_region(): the region, or -errno."""
    count = count & 0xFFFFFFFF
    if switch(k, "chrdev_range_checks"):
        if major >= CHRDEV_MAJOR_MAX:
            klog(k, 3, f'CHRDEV "{name}" major requested ({major}) is greater '
                       f"than the maximum ({CHRDEV_MAJOR_MAX - 1})")
            return -EINVAL
        if count > MINORMASK + 1 - baseminor:
            klog(k, 3, f'CHRDEV "{name}" minor range requested ({baseminor}-'
                       f"{baseminor + count - 1}) is out of range of maximum "
                       f"range (0-{MINORMASK}) for a single major")
            return -EINVAL
    if major == 0:
        major = find_dynamic_major(k)
        if major < 0:
            if switch(k, "chrdev_range_checks"):
                klog(k, 3, f'CHRDEV "{name}" dynamic allocation region is full')
            return major
    for (m, base), r in regions(k).items():
        if m == major and base < baseminor + count and baseminor < base + r.count:
            return -EBUSY
    region = CharRegion(major, baseminor, count, name[:63], owner(k))
    regions(k)[(major, baseminor)] = region
    return region


def unregister_region(k: KCall, major: int, baseminor: int, count: int) -> CharRegion | None:
    """__unregister_chrdev_region(): only an exact match is removed."""
    r = regions(k).get((major, baseminor))
    if r is None or r.count != count:
        return None
    return regions(k).pop((major, baseminor))


def _region_name(major: int, minor: int, count: int, name: str) -> str:
    last = minor + count - 1
    span = f"{major}:{minor}" if count == 1 else f"{major}:{minor}-{last}"
    return f'chrdev region {span} "{name}"'


# -- register_chrdev / unregister_chrdev ---------------------------------
@kapi("register_chrdev", fail="errno", errno=EBUSY)
def register_chrdev(k: KCall, major: int, name: int, fops: int) -> int:
    """register_chrdev(major, name, fops): minors 0..255 and a cdev.

    Returns the dynamic major when major == 0, else 0; -errno on failure.
    """
    return __register_chrdev(k, major, 0, 256, name, fops)


@kapi("__register_chrdev", fail="errno", errno=EBUSY)
def __register_chrdev(k: KCall, major: int, baseminor: int, count: int,
                      name: int, fops: int) -> int:
    cname = k.cstr(name)
    r = register_region(k, major, baseminor, count, cname)
    if isinstance(r, int):
        return r
    cdev = kernel_object(k, "cdev", CDEV_SIZE, f"cdev {cname}").base
    fops_owner = read_field(k, fops, "file_operations", "owner") if fops else 0
    write_field(k, cdev, "cdev", "owner", fops_owner or 0)
    write_field(k, cdev, "cdev", "ops", fops)
    r.cdev, r.fops = cdev, fops
    k.kernel.ledger.acquire("chrdev", r.major, f'chrdev {r.major} "{cname}"',
                            owner(k), k.site, "register_chrdev")
    return 0 if major else r.major


@kapi("unregister_chrdev")
def unregister_chrdev(k: KCall, major: int, name: int) -> int:
    return __unregister_chrdev(k, major, 0, 256, name)


@kapi("__unregister_chrdev")
def __unregister_chrdev(k: KCall, major: int, baseminor: int, count: int,
                        name: int) -> int:
    r = unregister_region(k, major, baseminor, count)
    if r is None:
        # the kernel ignores it; a release with no registration behind it
        if k.kernel.ledger.find("chrdev", major) is None:
            k.kernel.ledger.release("chrdev", major, "unregister_chrdev",
                                    k.site, owner(k))
        return 0
    if r.cdev:
        free_object(k, r.cdev)
    k.kernel.ledger.release("chrdev", major, "unregister_chrdev", k.site, owner(k))
    return 0


# -- device number ranges ------------------------------------------------
@kapi("register_chrdev_region", fail="errno", errno=EBUSY)
def register_chrdev_region(k: KCall, first: int, count: int, name: int) -> int:
    """Register [first, first+count); a range may span several majors."""
    cname = k.cstr(name)
    first &= 0xFFFFFFFF
    end = first + (count & 0xFFFFFFFF)
    done: list[CharRegion] = []
    n = first
    while n < end:
        nxt = min((MAJOR(n) + 1) << MINORBITS, end)
        r = register_region(k, MAJOR(n), MINOR(n), nxt - n, cname)
        if isinstance(r, int):
            for d in done:
                regions(k).pop((d.major, d.baseminor), None)
            return r
        done.append(r)
        n = nxt
    k.kernel.ledger.acquire("chrdev_region", first,
                            _region_name(MAJOR(first), MINOR(first), end - first, cname),
                            owner(k), k.site, "register_chrdev_region")
    return 0


@kapi("alloc_chrdev_region", fail="errno", errno=EBUSY)
def alloc_chrdev_region(k: KCall, dev: int, baseminor: int, count: int,
                        name: int) -> int:
    """Dynamic major; the first dev_t is written through `dev`."""
    cname = k.cstr(name)
    r = register_region(k, 0, baseminor, count, cname)
    if isinstance(r, int):
        return r
    first = MKDEV(r.major, r.baseminor)
    k.mem.write_int(dev, 4, first)
    k.kernel.ledger.acquire("chrdev_region", first,
                            _region_name(r.major, r.baseminor, r.count, cname),
                            owner(k), k.site, "alloc_chrdev_region")
    return 0


@kapi("unregister_chrdev_region")
def unregister_chrdev_region(k: KCall, first: int, count: int) -> int:
    first &= 0xFFFFFFFF
    end = first + (count & 0xFFFFFFFF)
    n, found = first, False
    while n < end:
        nxt = min((MAJOR(n) + 1) << MINORBITS, end)
        found |= unregister_region(k, MAJOR(n), MINOR(n), nxt - n) is not None
        n = nxt
    held = k.kernel.ledger.find("chrdev_region", first) is not None
    if found or not held:
        k.kernel.ledger.release("chrdev_region", first, "unregister_chrdev_region",
                                k.site, owner(k))
    return 0


# -- struct cdev ---------------------------------------------------------
def cdev_objects(k: KCall) -> dict[int, dict[str, Any]]:
    """cdevs the kernel knows: address -> {"dynamic", "added", "dev", "count"}."""
    return registry(k, "cdev")


@kapi("cdev_init")
def cdev_init(k: KCall, cdev: int, fops: int) -> int:
    """memset the cdev, kobject_init it, remember fops."""
    size = sizeof(k, "cdev", 0)
    if size:
        k.mem.fill(cdev, 0, size)
    write_field(k, cdev, "cdev", "ops", fops)
    cdev_objects(k)[cdev] = {"dynamic": False, "added": False, "ops": fops}
    return 0


@kapi("cdev_alloc", fail="null", slab=True)
def cdev_alloc(k: KCall) -> int:
    """kzalloc a cdev whose release frees it (ktype_cdev_dynamic)."""
    addr = kernel_object(k, "cdev", CDEV_SIZE, "cdev (cdev_alloc)").base
    cdev_objects(k)[addr] = {"dynamic": True, "added": False}
    return addr


@kapi("cdev_add", fail="errno", errno=12)
def cdev_add(k: KCall, cdev: int, dev: int, count: int) -> int:
    """Make the device live: opens of dev..dev+count-1 now reach cdev->ops."""
    write_field(k, cdev, "cdev", "dev", dev, 4)
    write_field(k, cdev, "cdev", "count", count, 4)
    obj = cdev_objects(k).setdefault(cdev, {"dynamic": False, "added": False})
    obj.update(added=True, dev=dev & 0xFFFFFFFF, count=count)
    if k.kernel.ledger.find("cdev", cdev) is None:
        k.kernel.ledger.acquire("cdev", cdev, f"cdev {MAJOR(dev)}:{MINOR(dev)}",
                                owner(k), k.site, "cdev_add")
    return 0


@kapi("cdev_del")
def cdev_del(k: KCall, cdev: int) -> int:
    """cdev_unmap + kobject_put: a cdev_alloc'd cdev is freed here."""
    obj = cdev_objects(k).get(cdev)
    if obj is None:
        # kobject_put() on a kobject nobody initialised
        k.warn("lib/kobject.c:730", "kobject_put",
               msg="kobject: '(null)' (" + _hashed(k, cdev) + "): is not "
                   "initialized, yet kobject_put() is being called.")
        return 0
    if obj.get("freed"):
        # the cdev_alloc'd object was kfree'd by the first cdev_del
        raise MemoryFault("slab-use-after-free", cdev, 8, False, k.mem.region_at(cdev))
    if obj.get("deleted"):
        k.warn("lib/refcount.c:28", "refcount_warn_saturate",
               msg="refcount_t: underflow; use-after-free.")
        return 0
    obj["deleted"] = True
    k.kernel.ledger.release("cdev", cdev, "cdev_del", k.site, owner(k))
    if obj["dynamic"]:
        obj["freed"] = True
        free_object(k, cdev)
    return 0


def _hashed(k: KCall, addr: int) -> str:
    return vsprintf.format(k, b"%p", [addr]).decode()


def proc_devices_chr(k_or_kernel: InKernel | KernelServices) -> list[str]:
    """The "Character devices:" lines of /proc/devices added by modules."""
    regs = kernel_of(k_or_kernel).names.get("chrdev", {})
    return [f"{r.major:3d} {r.name}" for _, r in sorted(regs.items())]
