"""The sysfs tree (fs/kernfs/, fs/sysfs/): directories, attribute files and
links, as `ls`, `cat` and `echo V >` reach them.

Every /sys path except /sys/module (kernel/sysfs.py serves that from the
module list) is a Node here.  A directory may stand for a kobject (its
address); a file is either an attribute of a module (its struct attribute
address and how its show/store are reached: through the kobject's
sysfs_ops, as kernfs calls sysfs_kf_seq_show() and sysfs_kf_write()) or a
file the kernel fills itself (uevent, modalias).  A link is followed.

Reads and writes run as the calling process (`cat`, `sh`): show() gets a
zeroed PAGE_SIZE kernel buffer, store() a copy of the written bytes with a
NUL after them.  A show or store pointer read from a module that has gone
faults the way the real kernel oopses in kobj_attr_show().
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from kmodgui.kernel.memory import MemoryFault
from kmodgui.kernel.kapi.common import (EACCES, EIO, EISDIR, ENOENT, call_module,
                                        free_object, klog, read_field, registry, s64,
                                        scratch)
from kmodgui.kernel.services import InKernel, KCall, KernelServices, kernel_of

PAGE_SIZE = 4096
ENOTDIR = 20

#: the directories every tree has, when the profile's machine.toml lists none
MINIMAL_DIRS: tuple[str, ...] = (
    "bus/platform/devices", "bus/platform/drivers", "class", "devices/platform",
    "devices/virtual", "fs", "firmware", "kernel/mm",
)

#: How a show()/store() pair is reached: (kernel, KCall, node, buf) -> count
Show = Callable[[Any, "Node", int], int]
Store = Callable[[Any, "Node", int, int], int]


@dataclass(eq=False)
class Node:
    name: str
    parent: "Node | None"
    kind: str                          # "dir" | "file" | "link"
    owner: str = "kernel"
    kobj: int = 0                      # dir: its kobject; file: the kobject it belongs to
    attr: int = 0                      # file: struct attribute *
    mode: int = 0o755
    show: Show | None = None           # a module's attribute, through its sysfs_ops
    store: Store | None = None
    text: Callable[[], str] | None = None   # a file the kernel fills itself
    target: "Node | None" = None       # link
    children: dict[str, "Node"] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The path below /sys, as sysfs_warn_dup() prints it ('/kernel/x')."""
        parts: list[str] = []
        node: Node | None = self
        while node is not None and node.parent is not None:
            parts.append(node.name)
            node = node.parent
        return "/" + "/".join(reversed(parts))


def root(k_or_kernel: InKernel | KernelServices) -> Node:
    """/sys, made with the booted machine's directories on first use."""
    kernel = kernel_of(k_or_kernel)
    tree = kernel.names.setdefault("sysfs_tree", {})
    top = tree.get("/")
    if top is None:
        top = tree["/"] = Node("sys", None, "dir")
        _boot_tree(top, kernel.profile.machine.get("sysfs", {}), kernel)
    return top


def uevent(k_or_kernel: InKernel | KernelServices) -> None:
    """kobject_uevent_env(): an event that reached the netlink socket
    counts in /sys/kernel/uevent_seqnum (no listener runs here)."""
    kernel = kernel_of(k_or_kernel)
    state = kernel.names.setdefault("uevent", {})
    state["sent"] = state.get("sent", 0) + 1


def uevent_seqnum(k_or_kernel: InKernel | KernelServices) -> int:
    kernel = kernel_of(k_or_kernel)
    boot = kernel.profile.machine.get("sysfs", {}).get("uevent_seqnum", 0)
    return boot + kernel.names.get("uevent", {}).get("sent", 0)


def _boot_tree(top: Node, machine: dict, kernel: KernelServices) -> None:
    """What the booted machine has in /sys before any module loads (the
    profile's machine.toml, as recorded)."""
    for path in machine.get("dirs", MINIMAL_DIRS):
        mkdir_p(top, path)
    for path in machine.get("files", ()):
        where, _, name = path.rpartition("/")
        kernel_file(mkdir_p(top, where), name, lambda: "")
    kernel_file(mkdir_p(top, "kernel"), "uevent_seqnum",
                lambda: f"{uevent_seqnum(kernel)}\n")
    for name in machine.get("classes", ()):
        mkdir_p(top, f"class/{name}")
    drivers = mkdir_p(top, "bus/platform/drivers")
    for name in machine.get("platform_drivers", ()):
        builtin_driver_dir(mkdir_p(drivers, name))
    devices = mkdir_p(top, "devices/platform")
    links = mkdir_p(top, "bus/platform/devices")
    for name, driver in machine.get("platform_devices", ()):
        dev = mkdir_p(devices, name)
        for f in ("driver_override", "modalias", "uevent"):
            kernel_file(dev, f, lambda: "")
        mkdir_p(dev, "power")
        link(dev, "subsystem", mkdir_p(top, "bus/platform"))
        if driver:
            link(dev, "driver", mkdir_p(drivers, driver))
            link(mkdir_p(drivers, driver), name, dev)
        link(links, name, dev)
    elsewhere = Node("", None, "dir")     # devices that live outside /sys/devices/platform
    for name in machine.get("platform_links_only", ()):
        link(links, name, mkdir_p(elsewhere, name))


def builtin_driver_dir(node: Node) -> None:
    """A driver's directory on the platform bus: bind, uevent, unbind
    (drivers/base/bus.c bus_add_driver())."""
    kernel_file(node, "bind", lambda: "", mode=0o200)
    kernel_file(node, "uevent", lambda: "", mode=0o200)
    kernel_file(node, "unbind", lambda: "", mode=0o200)


def mkdir_p(top: Node, path: str) -> Node:
    node = top
    for part in [p for p in path.split("/") if p]:
        node = node.children.get(part) or add(node, Node(part, node, "dir"))
    return node


def add(parent: Node, node: Node) -> Node:
    node.parent = parent
    parent.children[node.name] = node
    return node


def remove(node: Node) -> None:
    """kernfs_remove(): the node and everything below it."""
    if node.parent is not None and node.parent.children.get(node.name) is node:
        del node.parent.children[node.name]
    node.parent = None


def lookup(k_or_kernel: KCall | KernelServices, path: str, follow_last: bool = True) -> Node | None:
    """The node at an absolute /sys path, links followed."""
    parts = [p for p in path.split("/") if p]
    if parts[:1] != ["sys"]:
        return None
    node: Node | None = root(k_or_kernel)
    for i, part in enumerate(parts[1:]):
        node = node.children.get(part) if node is not None else None
        if node is None:
            return None
        last = i == len(parts) - 2
        while node.kind == "link" and (follow_last or not last):
            node = node.target
            if node is None or node.parent is None and node is not root(k_or_kernel):
                return None
    return node


def is_ours(path: str) -> bool:
    """A /sys path this tree serves (not /sys/module)."""
    parts = [p for p in path.split("/") if p]
    return parts[:1] == ["sys"] and parts[1:2] != ["module"]


def link(parent: Node, name: str, target: Node, owner: str = "kernel") -> Node:
    return add(parent, Node(name, parent, "link", owner=owner, target=target))


def kernel_file(parent: Node, name: str, text: Callable[[], str], mode: int = 0o444,
                owner: str = "kernel") -> Node:
    return add(parent, Node(name, parent, "file", owner=owner, mode=mode, text=text))


# -- what userspace does -------------------------------------------------
def list_dir(kernel: KernelServices, path: str) -> tuple[int, list[str]]:
    node = lookup(kernel, path)
    if node is None:
        return -ENOENT, []
    if node.kind != "dir":
        return -ENOTDIR, []
    names = set(node.children)
    if node is root(kernel):
        names.add("module")
    if node.path == "/dev/char":
        names |= _char_numbers(kernel)
    return 0, sorted(names)


def _char_numbers(kernel: KernelServices) -> set[str]:
    """/sys/dev/char: a MAJOR:MINOR link for each character device the
    kernel made a node for (devtmpfs), as recorded; mknod's nodes have none."""
    from kmodgui.kernel.kapi import devnodes   # devnodes reaches sysfs through device.py
    return {f"{n.devt >> 20}:{n.devt & 0xFFFFF}" for n in devnodes.nodes(kernel).values()
            if not n.by_mknod}


def read_file(kernel: KernelServices, path: str) -> tuple[int, str]:
    """open(O_RDONLY) + read: kernfs_fop_open() refuses a file without a
    read bit with -EACCES, root included."""
    node = lookup(kernel, path)
    if node is None:
        return -ENOENT, ""
    if node.kind == "dir":
        return -EISDIR, ""
    if not node.mode & 0o444 or (node.text is None and node.show is None):
        return -EACCES, ""
    if node.text is not None:
        return 0, node.text()
    return kernel.run_task("cat", lambda kk: _show(kk, node))


def open_for_write(kernel: KernelServices, path: str) -> int:
    node = lookup(kernel, path)
    if node is None:
        parent = lookup(kernel, path.rsplit("/", 1)[0] or "/")
        return -EACCES if parent is not None and parent.kind == "dir" else -ENOENT
    if node.kind == "dir":
        return -EISDIR
    if not node.mode & 0o222 or node.store is None:
        return -EACCES
    return 0


def write_file(kernel: KernelServices, path: str, data: bytes) -> tuple[int, int]:
    err = open_for_write(kernel, path)
    if err:
        return err, 0
    node = lookup(kernel, path)
    assert node is not None
    return kernel.run_task("sh", lambda kk: _store_all(kk, node, data))


def _show(k: KCall, node: Node) -> tuple[int, str]:
    """sysfs_kf_seq_show(): one show() per open, into a PAGE_SIZE buffer."""
    page = scratch(k, PAGE_SIZE, f"sysfs page {node.path}")
    pages = registry(k, "sysfs_pages")
    pages[page.base] = node
    try:
        assert node.show is not None
        count = s64(node.show(k, node, page.base))
        if count < 0:
            return count, ""
        if count >= PAGE_SIZE:
            klog(k, 4, "fill_read_buffer: returned bad count")
            count = PAGE_SIZE - 1
        return 0, bytes(page.data[:count]).decode("latin-1")
    finally:
        pages.pop(page.base, None)
        free_object(k, page.base)


def _store_all(k: KCall, node: Node, data: bytes) -> tuple[int, int]:
    """kernfs_fop_write_iter(): at most PAGE_SIZE bytes per write(2), copied
    into a kernel buffer with a NUL after them; the shell writes again what
    store() did not take."""
    done = 0
    while done < len(data):
        chunk = data[done:done + PAGE_SIZE]
        buf = scratch(k, len(chunk) + 1, f"sysfs write {node.path}")
        try:
            k.mem.write_bytes(buf.base, chunk + b"\0")
            assert node.store is not None
            n = s64(node.store(k, node, buf.base, len(chunk)))
        finally:
            free_object(k, buf.base)
        if n < 0:
            return n, done
        if n == 0:
            break
        done += min(n, len(chunk))
    return 0, done


def is_show_buffer(k: KCall, buf: int) -> bool:
    """sysfs_emit()'s check: buf is the start of a show() page."""
    return buf in registry(k, "sysfs_pages")


# -- the sysfs_ops the kernel's own kobject types use ----------------------
#: where cat's read(2) runs when kobj_attr_show() reads the attribute
READ_PATH = ("sysfs_kf_seq_show+0xa3/0xe0", "seq_read_iter+0x122/0x450",
             "vfs_read+0x23f/0x310", "ksys_read+0x6b/0xf0")


def kobj_attr_show(k: KCall, node: Node, buf: int) -> int:
    """lib/kobject.c kobj_attr_show(): kattr->show(kobj, kattr, buf), -EIO
    without one.  The attribute lives in the module's data: once the
    module is gone, reading kattr->show faults there (the oops names
    kobj_attr_show, as recorded)."""
    try:
        fn = read_field(k, node.attr, "kobj_attribute", "show") or 0
    except MemoryFault as e:
        e.kernel_frames = ("kobj_attr_show+0x0/0x20", *READ_PATH)
        raise
    return call_module(k, fn, node.kobj, node.attr, buf) if fn else -EIO


def kobj_attr_store(k: KCall, node: Node, buf: int, count: int) -> int:
    fn = read_field(k, node.attr, "kobj_attribute", "store") or 0
    return call_module(k, fn, node.kobj, node.attr, buf, count) if fn else -EIO


def dev_attr_show(k: KCall, node: Node, buf: int) -> int:
    """drivers/base/core.c dev_attr_show(): the device embeds its kobject."""
    fn = read_field(k, node.attr, "device_attribute", "show") or 0
    dev = node.kobj - (read_offset(k, "device", "kobj"))
    ret = s64(call_module(k, fn, dev, node.attr, buf)) if fn else -EIO
    if ret >= PAGE_SIZE:
        klog(k, 4, "dev_attr_show: returned bad count")
    return ret


def dev_attr_store(k: KCall, node: Node, buf: int, count: int) -> int:
    fn = read_field(k, node.attr, "device_attribute", "store") or 0
    dev = node.kobj - (read_offset(k, "device", "kobj"))
    return call_module(k, fn, dev, node.attr, buf, count) if fn else -EIO


def ops_show(k: KCall, node: Node, buf: int, ops: int) -> int:
    """A module's own kobj_type: its sysfs_ops->show(kobj, attr, buf)."""
    fn = read_field(k, ops, "sysfs_ops", "show") or 0
    return call_module(k, fn, node.kobj, node.attr, buf) if fn else -EIO


def ops_store(k: KCall, node: Node, buf: int, count: int, ops: int) -> int:
    fn = read_field(k, ops, "sysfs_ops", "store") or 0
    return call_module(k, fn, node.kobj, node.attr, buf, count) if fn else -EIO


def read_offset(k: KCall, struct: str, member: str) -> int:
    from kmodgui.kernel.kapi.common import offset
    return offset(k, struct, member) or 0
