"""Helpers shared by the kapi modules (no kernel functions are registered here).

errno values, ERR_PTR arithmetic, struct field access through the layouts
the module's headers define, kernel-side objects, the kernel's own log
lines, and the WARN/BUG sites printed in reports.
"""
from __future__ import annotations

from typing import Any

from kmodgui.kernel import memory
from kmodgui.kernel.memory import MemoryFault, Region
from kmodgui.kernel.services import InKernel, KCall

# include/uapi/asm-generic/errno-base.h
EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG = 1, 2, 3, 4, 5, 6, 7
EBADF, EAGAIN, ENOMEM, EACCES, EFAULT = 9, 11, 12, 13, 14
EBUSY, EEXIST, ENODEV, EISDIR, EINVAL, ENOSPC, ESPIPE, ERANGE = 16, 17, 19, 21, 22, 28, 29, 34
ENOSYS = 38

MAX_ERRNO = 4095
U64 = (1 << 64) - 1
PTR_SIZE = 8

#: Where the 6.1 (Debian 6.1.x) kernel's WARN/BUG sites are, for reports.
def where(k: KCall, key: str) -> tuple[str, str]:
    """file:line and function of a WARN/BUG site, from the profile's [where]."""
    site, func = k.kernel.profile.kernel["where"][key][:2]
    return site, func


def where_callers(k: KCall, key: str) -> tuple[str, ...]:
    """The kernel functions between the module and a WARN site (the rest
    of its [where] entry, innermost first), as the Call Trace shows them."""
    return tuple(k.kernel.profile.kernel["where"][key][2:])


# -- small facts about the caller ------------------------------------------
def switch(k: KCall, name: str) -> Any:
    """A behaviour switch of the running kernel's profile ([switches])."""
    return k.kernel.profile.kernel["switches"][name]


def owner(k: KCall) -> str:
    """Ledger owner: the calling module's name, or "kernel"."""
    return k.module.name if k.module is not None else "kernel"


def registry(k: InKernel, name: str) -> dict[Any, Any]:
    """A per-boot name registry kept in kernel.names (survives rmmod)."""
    return k.kernel.names.setdefault(name, {})


# -- ERR_PTR (include/linux/err.h) -----------------------------------------
def err_ptr(err: int) -> int:
    """ERR_PTR(-errno) as the unsigned pointer value a C caller sees."""
    return err & U64


def is_err(ptr: int) -> bool:
    return (ptr & U64) >= (1 << 64) - MAX_ERRNO


def s32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


def s64(v: int) -> int:
    v &= U64
    return v - (1 << 64) if v >> 63 else v


# -- the kernel's own log lines --------------------------------------------
def klog(k: KCall, level: int, text: str) -> None:
    """printk(KERN_<level> text) from kernel code (pr_err, pr_warn, ...)."""
    k.kernel.printk(text, level=level, module=None)


def dump_stack(k: KCall, head: tuple[str, ...] = ()) -> None:
    """lib/dump_stack.c dump_stack(): CPU/PID line, Hardware name, Call
    Trace (head: the kernel functions on the way, innermost first)."""
    if head:
        k.dump_stack(head)
    else:
        k.dump_stack()


def warn(k: KCall, key: str, msg: str | None = None, msg_level: int = 4) -> None:
    """WARN(1, msg) / WARN_ON(1) at a kernel site from the WHERE tables
    (msg_level: the KERN_ level the message itself carries)."""
    site, func = where(k, key)
    if msg_level == 4:
        k.warn(site, func, msg=msg, callers=where_callers(k, key))
    else:
        k.warn(site, func, msg=msg, callers=where_callers(k, key), msg_level=msg_level)


def warn_once(k: KCall, key: str, msg: str | None = None) -> None:
    """WARN_ON_ONCE: only the first hit per boot prints."""
    done = registry(k, "warned_once")
    if key not in done:
        done[key] = True
        warn(k, key, msg)


def sysfs_warn_dup(k: KCall, path: str, callers: tuple[str, ...] = ()) -> None:
    """A sysfs name taken twice.

    6.1 fs/sysfs/dir.c sysfs_warn_dup(): pr_warn + dump_stack();
    2.6.30 sysfs_add_one(): WARN(1, "sysfs: cannot create duplicate ...").
    """
    msg = f"sysfs: cannot create duplicate filename '{path}'"
    if switch(k, "sysfs_dup_warn"):
        k.warn("fs/sysfs/dir.c:487", "sysfs_add_one", msg=msg)   # approx line
        return
    klog(k, 4, msg)
    dump_stack(k, ("dump_stack_lvl+0x44/0x5c", "sysfs_warn_dup.cold+0x17/0x23",
                   *callers) if callers else ())


def kobject_eexist(k: KCall, name: str) -> None:
    """lib/kobject.c kobject_add_internal() on -EEXIST (pr_err).

    2.6.30 followed it with a dump_stack().
    """
    klog(k, 3, f"kobject_add_internal failed for {name} with -EEXIST, don't try "
               "to register things with the same name in the same directory.")
    if switch(k, "kobject_eexist_dump_stack"):
        dump_stack(k)


# -- struct fields (layouts come from the module's headers) ----------------
def offset(k: KCall, struct: str, member: str) -> int | None:
    """Offset of a member, or None if the headers do not define it.

    Layouts come from the headers of loaded modules; every module of a boot
    uses the same headers, so a layout once seen is remembered for when no
    module defining it is loaded any more (a /proc entry read after its
    module is gone still finds its proc_ops methods, and faults on them).
    """
    seen = registry(k, "layout")
    try:
        seen[(struct, member)] = k.field_offset(struct, member)
    except KeyError:
        pass
    return seen.get((struct, member))


def sizeof(k: KCall, struct: str, default: int) -> int:
    seen = registry(k, "layout")
    try:
        seen[(struct, None)] = k.sizeof(struct)
    except KeyError:
        pass
    size: int = seen.get((struct, None), default)
    return size


def read_field(k: KCall, base: int, struct: str, member: str, size: int = PTR_SIZE,
               signed: bool = False) -> int | None:
    off = offset(k, struct, member)
    if off is None:
        return None
    return k.mem.read_int(base + off, size, signed=signed)


def write_field(k: KCall, base: int, struct: str, member: str, value: int,
                size: int = PTR_SIZE) -> bool:
    off = offset(k, struct, member)
    if off is None:
        return False
    k.mem.write_int(base + off, size, value)
    return True


def kernel_object(k: KCall, struct: str, default_size: int, label: str) -> Region:
    """A zeroed object the kernel allocates for the caller (kzalloc'd)."""
    size = sizeof(k, struct, default_size)
    return k.mem.map(size, memory.SLAB, "kernel", label=label, site=k.site)


def scratch(k: KCall, size: int, label: str) -> Region:
    """Kernel memory of an exact size (a loff_t, a bounce buffer)."""
    return k.mem.map(size, memory.SLAB, "kernel", label=label)


def free_object(k: KCall, addr: int) -> None:
    """kfree() of a kernel-side object: later accesses are use-after-free."""
    reg = k.mem.region_at(addr)
    if reg is not None and reg.base == addr:
        k.mem.free(reg)


def cstr_or_none(k: KCall, addr: int) -> str | None:
    return None if addr == 0 else k.cstr(addr)


# -- calling module code ---------------------------------------------------
def call_module(k: KCall, fnptr: int, *args: int) -> int:
    """Call a function pointer a module handed to the kernel.

    A pointer into code that is gone (module unloaded, .init.text freed)
    faults on the instruction fetch, as on x86.
    """
    if fnptr == 0:
        raise MemoryFault("null-ptr-deref", 0, 1, False, fetch=True)
    if fnptr not in k.mem.functions:
        raise MemoryFault("page-fault", fnptr, 1, False, k.mem.region_at(fnptr),
                          fetch=True)
    return k.call(fnptr, *args)
