"""/proc entries (fs/proc/generic.c, fs/proc/proc_net.c-free subset).

Entries live in kernel.names["proc"], path -> list of ProcEntry (more than
one only on 2.6.30, which warned about a duplicate and added it anyway;
6.1 warns and returns NULL).  Paths are full ("/proc/driver/skull").  The
directories a booted kernel already has are in BUILTIN_PROC, so creating
/proc/modules or proc_mkdir("driver") collides as on a real system.
Reading and writing the files is in procfs_read.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import (switch, ENOENT, free_object,
                                        kernel_object, offset, owner, registry,
                                        warn, write_field)
from kmodgui.kernel.kapi.reads import Reader
from kmodgui.kernel.services import InKernel, KCall, KernelServices, kernel_of

#: names a booted x86_64 kernel already has under /proc (files and dirs)
BUILTIN_PROC_FILES = (
    "buddyinfo", "cgroups", "cmdline", "consoles", "cpuinfo", "crypto",
    "devices", "diskstats", "dma", "execdomains", "fb", "filesystems",
    "interrupts", "iomem", "ioports", "kallsyms", "kcore", "key-users",
    "keys", "kmsg", "kpagecgroup", "kpagecount", "kpageflags", "loadavg",
    "locks", "meminfo", "misc", "modules", "mounts", "mtrr", "pagetypeinfo",
    "partitions", "schedstat", "slabinfo", "softirqs", "stat", "swaps",
    "sysrq-trigger", "timer_list", "uptime", "version", "vmallocinfo",
    "vmstat", "zoneinfo", "self", "thread-self",
)
BUILTIN_PROC_DIRS = ("acpi", "bus", "driver", "fs", "irq", "net", "pressure",
                     "sys", "sysvipc", "tty")
PDE_SIZE = 192


@dataclass
class ProcEntry:
    path: str
    name: str
    parent: str           # parent directory path ("/proc" for the root)
    is_dir: bool
    mode: int
    pde: int              # address of the struct proc_dir_entry
    owner: str
    module: object = None
    ops: int = 0          # struct proc_ops * (6.1) / file_operations * (2.6.30)
    show: int = 0         # proc_create_single(): the show function
    seq_ops: int = 0      # proc_create_seq(): struct seq_operations *
    data: int = 0
    key: object = None    # ledger key
    size: int = 0         # proc_set_size(): what stat() reports


def entries(k_or_kernel: InKernel | KernelServices) -> dict[str, list[ProcEntry]]:
    return kernel_of(k_or_kernel).names.setdefault("proc", {})


def builtin_dir(path: str) -> bool:
    return path == "/proc" or path in {f"/proc/{d}" for d in BUILTIN_PROC_DIRS}


def builtin_name(path: str) -> bool:
    return builtin_dir(path) or path in {f"/proc/{f}" for f in BUILTIN_PROC_FILES}


def lookup(k_or_kernel: KCall | KernelServices, path: str) -> ProcEntry | None:
    """The live entry at path, if every directory above it still exists."""
    found = entries(k_or_kernel).get(path)
    if not found:
        return None
    entry = found[-1]
    if entry.parent == "/proc" or builtin_dir(entry.parent):
        return entry
    parent = lookup(k_or_kernel, entry.parent)
    return entry if parent is not None and parent.is_dir else None


def by_pde(k: KCall, pde: int) -> ProcEntry | None:
    for group in entries(k).values():
        for e in group:
            if e.pde == pde:
                return e
    return None


def _dir_path(k: KCall, parent: int) -> str | None:
    if parent == 0:
        return "/proc"
    e = by_pde(k, parent)
    if e is None:
        k.mem.read_int(parent, 8)    # a removed (freed) parent faults here
        return None
    return e.path


def _dir_name(path: str) -> str:
    """proc_dir_entry->name of a directory: "/proc" for the root."""
    return "/proc" if path == "/proc" else path.rsplit("/", 1)[1]


def _resolve(k: KCall, name: str, parent: int) -> tuple[str, str] | None:
    """xlate_proc_name(): (directory path, last component) or None (warned)."""
    base = _dir_path(k, parent)
    if base is None:
        return None
    *dirs, last = name.split("/")
    for d in dirs:
        cand = f"{base}/{d}"
        found = lookup(k, cand)
        if not (builtin_dir(cand) or (found is not None and found.is_dir)):
            k.warn(*_where_xlate(k), msg=f"name '{name}'")
            return None
        base = cand
    if not last:
        k.warn(*_where_xlate(k), msg="name len 0")
        return None
    return base, last


def _where_xlate(k: KCall) -> tuple[str, str]:
    return ("fs/proc/generic.c:163", "__xlate_proc_name")     # approx


def register(k: KCall, name: int, mode: int, parent: int, is_dir: bool,
             api: str, **fields: int) -> int:
    """__proc_create() + proc_register(): the new pde address, or 0."""
    cname = k.cstr(name)
    where = _resolve(k, cname, parent)
    if where is None:
        return 0
    dpath, last = where
    path = f"{dpath}/{last}"
    if builtin_name(path) or lookup(k, path) is not None:
        warn(k, "proc_dup", msg=f"proc_dir_entry '{_dir_name(dpath)}/{last}' "
                               "already registered")
        if switch(k, "proc_dup_refuses"):
            return 0
    pde = kernel_object(k, "proc_dir_entry", PDE_SIZE, f"proc_dir_entry {path}").base
    write_field(k, pde, "proc_dir_entry", "name", name)
    write_field(k, pde, "proc_dir_entry", "mode", mode, 2)
    group = entries(k).setdefault(path, [])
    key = path if not group else f"{path} ({pde:#x})"
    entry = ProcEntry(path, last, dpath, is_dir, mode, pde, owner(k), k.module,
                      key=key, **fields)
    group.append(entry)
    if fields.get("ops"):
        write_field(k, pde, "proc_dir_entry", "proc_fops", fields["ops"])
        _remember_ops_layout(k)
    if fields.get("data"):
        write_field(k, pde, "proc_dir_entry", "data", fields["data"])
    k.kernel.ledger.acquire("proc", key, path, owner(k), k.site, api)
    return pde


def _remember_ops_layout(k: KCall) -> None:
    """Note where the methods are while the module's headers are at hand."""
    struct = "proc_ops" if switch(k, "proc_ops") else "file_operations"
    prefix = "proc_" if switch(k, "proc_ops") else ""
    for method in ("open", "read", "write", "release"):
        offset(k, struct, prefix + method)


def unregister(k: KCall, entry: ProcEntry, api: str) -> None:
    group = entries(k)[entry.path]
    group.remove(entry)
    if not group:
        del entries(k)[entry.path]
    free_object(k, entry.pde)
    k.kernel.ledger.release("proc", entry.key, api, k.site, owner(k))


def children(k: InKernel | KernelServices, path: str) -> list[ProcEntry]:
    return [g[-1] for p, g in entries(k).items() if g and g[-1].parent == path]


# -- creating ------------------------------------------------------------
@kapi("proc_create", fail="null")
def proc_create(k: KCall, name: int, mode: int, parent: int, ops: int) -> int:
    """proc_create(name, mode, parent, proc_ops) (file_operations in 2.6.30)."""
    return register(k, name, mode, parent, False, "proc_create", ops=ops)


@kapi("proc_create_data", fail="null")
def proc_create_data(k: KCall, name: int, mode: int, parent: int, ops: int,
                     data: int) -> int:
    return register(k, name, mode, parent, False, "proc_create_data", ops=ops,
                    data=data)


@kapi("proc_create_single_data", fail="null")
def proc_create_single_data(k: KCall, name: int, mode: int, parent: int,
                            show: int, data: int) -> int:
    return register(k, name, mode, parent, False, "proc_create_single",
                    show=show, data=data)


@kapi("proc_create_single", fail="null")
def proc_create_single(k: KCall, name: int, mode: int, parent: int, show: int) -> int:
    return proc_create_single_data(k, name, mode, parent, show, 0)


@kapi("proc_create_seq_private", fail="null")
def proc_create_seq_private(k: KCall, name: int, mode: int, parent: int, ops: int,
                            state_size: int, data: int) -> int:
    return register(k, name, mode, parent, False, "proc_create_seq",
                    seq_ops=ops, data=data)


@kapi("proc_create_seq", fail="null")
def proc_create_seq(k: KCall, name: int, mode: int, parent: int, ops: int) -> int:
    return proc_create_seq_private(k, name, mode, parent, ops, 0, 0)


@kapi("proc_set_size")
def proc_set_size(k: KCall, pde: int, size: int) -> int:
    """The size stat() gives the file (ls -l); reads are not affected."""
    e = by_pde(k, pde)
    if e is None:
        k.mem.read_int(pde, 8)       # not an entry: the write would fault
        return 0
    e.size = size
    return 0


@kapi("proc_set_user")
def proc_set_user(k: KCall, pde: int, uid: int, gid: int) -> int:
    """The owner stat() gives the file; every simulated process is root."""
    if by_pde(k, pde) is None:
        k.mem.read_int(pde, 8)
    return 0


@kapi("proc_mkdir", fail="null")
def proc_mkdir(k: KCall, name: int, parent: int) -> int:
    return register(k, name, 0o40555, parent, True, "proc_mkdir")


@kapi("proc_mkdir_mode", fail="null")
def proc_mkdir_mode(k: KCall, name: int, mode: int, parent: int) -> int:
    return register(k, name, mode | 0o40000, parent, True, "proc_mkdir")


@kapi("proc_mkdir_data", fail="null")
def proc_mkdir_data(k: KCall, name: int, mode: int, parent: int, data: int) -> int:
    return register(k, name, mode | 0o40000, parent, True, "proc_mkdir", data=data)


@kapi("create_proc_entry", fail="null")
def create_proc_entry(k: KCall, name: int, mode: int, parent: int) -> int:
    """2.6.30: an entry whose read_proc/write_proc/data the module fills in."""
    return register(k, name, mode, parent, bool(mode & 0o40000), "create_proc_entry")


@kapi("create_proc_read_entry", fail="null")
def create_proc_read_entry(k: KCall, name: int, mode: int, base: int,
                           read_proc: int, data: int) -> int:
    """2.6.30 helper: create_proc_entry() then set ->read_proc and ->data."""
    pde = create_proc_entry(k, name, mode, base)
    if pde:
        write_field(k, pde, "proc_dir_entry", "read_proc", read_proc)
        write_field(k, pde, "proc_dir_entry", "data", data)
        entry = by_pde(k, pde)
        if entry is not None:
            entry.data = data
            registry(k, "proc_read_proc")[pde] = read_proc
    return pde


# -- removing ------------------------------------------------------------
@kapi("remove_proc_entry")
def remove_proc_entry(k: KCall, name: int, parent: int) -> int:
    cname = k.cstr(name)
    where = _resolve(k, cname, parent)
    if where is None:
        return 0
    path = f"{where[0]}/{where[1]}"
    entry = lookup(k, path)
    if entry is None:
        if switch(k, "proc_remove_missing_warns"):
            warn(k, "proc_remove", msg=f"name '{cname}'")
        k.kernel.ledger.release("proc", path, "remove_proc_entry", k.site, owner(k))
        return 0
    kids = children(k, path)
    if entry.is_dir and kids:
        k.warn(*_where_nonempty(k), msg=(
            f"remove_proc_entry: removing non-empty directory "
            f"'{_dir_name(entry.parent)}/{entry.name}', leaking at least "
            f"'{kids[0].name}'"))
    unregister(k, entry, "remove_proc_entry")
    return 0


def _where_nonempty(k: KCall) -> tuple[str, str]:
    return ("fs/proc/generic.c:718", "remove_proc_entry")    # approx


@kapi("remove_proc_subtree")
def remove_proc_subtree(k: KCall, name: int, parent: int) -> int:
    where = _resolve(k, k.cstr(name), parent)
    entry = lookup(k, f"{where[0]}/{where[1]}") if where else None
    if entry is None:
        return -ENOENT
    _remove_tree(k, entry, "remove_proc_subtree")
    return 0


@kapi("proc_remove")
def proc_remove(k: KCall, pde: int) -> int:
    """proc_remove(de): the entry and everything under it; NULL is fine."""
    if pde == 0:
        return 0
    entry = by_pde(k, pde)
    if entry is None:
        k.mem.read_int(pde, 8)       # a removed entry was freed: use-after-free
        return 0
    _remove_tree(k, entry, "proc_remove")
    return 0


def _remove_tree(k: KCall, entry: ProcEntry, api: str) -> None:
    for kid in children(k, entry.path):
        _remove_tree(k, kid, api)
    unregister(k, entry, api)


# -- inode helpers -------------------------------------------------------
def _inode_entry(k: KCall, inode: int) -> ProcEntry | None:
    return registry(k, "proc_inodes").get(inode)


@kapi("PDE_DATA")
def PDE_DATA(k: KCall, inode: int) -> int:
    """The data pointer given to proc_create_data() (PDE_DATA until 5.16)."""
    entry = _inode_entry(k, inode)
    return entry.data if entry else 0


@kapi("pde_data")
def pde_data(k: KCall, inode: int) -> int:
    return PDE_DATA(k, inode)


# -- what the kernel's cat and echo call (the code is in procfs_read.py) ----
def read_proc_file(kernel: KernelServices, path: str, k: KCall | None = None,
                   reader: Reader | None = None) -> tuple[int, str]:
    """(0, text) or (-errno, text): see procfs_read.read_proc_file."""
    from kmodgui.kernel.kapi import procfs_read    # imports this module
    return procfs_read.read_proc_file(kernel, path, k, reader)


def write_proc_file(kernel: KernelServices, path: str, data: bytes, k: KCall | None = None) -> tuple[int, int]:
    from kmodgui.kernel.kapi import procfs_read
    return procfs_read.write_proc_file(kernel, path, data, k)
