"""/dev nodes and what opening one reaches (drivers/base/devtmpfs.c,
fs/char_dev.c chrdev_open(), drivers/char/misc.c misc_open()).

devtmpfs: device_add() of a device that has a dev_t creates /dev/NAME and
device_del() removes it again; `mknod` adds a node by hand, which stays
until the next boot.  Opening a character node does what chrdev_open()
does: look the dev_t up among the live cdevs (cdev_add(), or the cdev
register_chrdev() made for its range) -- none: -ENXIO; take a reference on
fops->owner (fops_get(): a module being removed gives -ENXIO); point
file->f_op at the ops and call ->open(inode, file).  Major 10 belongs to
misc: misc_open() finds the miscdevice by minor (-ENODEV when there is
none), sets file->private_data to it and calls the device's own ->open.

A read is the reading tool's loop of read(2) calls (reads.py).  A write is
the writer's: one write() of each block (all of an echo; bs bytes for dd),
again with what a short write left.  close() calls ->release and drops
the owner's reference.  Method pointers are read from the ops table at
each call, so ops of an unloaded module fault as on the real machine.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kmodgui.kernel.kapi.chrdev import MAJOR, MINOR, MKDEV, cdev_objects, regions
from kmodgui.kernel.kapi.common import (call_module, free_object,
                                        kernel_object, read_field, registry,
                                        s64, scratch, write_field)
from kmodgui.kernel.kapi.procfs_read import (FILE_SIZE, INODE_SIZE, attach_dentry,
                                             drop_dentry)
from kmodgui.kernel.kapi.reads import Reader, read_loop
from kmodgui.kernel.kapi.uaccess import drop_user_buffer, user_buffer
from kmodgui.kernel.services import InKernel, KCall, KernelServices, kernel_of

if TYPE_CHECKING:
    from kmodgui.kernel.module import Module

ENXIO, ENODEV, EINVAL = 6, 19, 22
MISC_MAJOR = 10
#: include/uapi/asm-generic/fcntl.h and include/linux/fs.h
O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC = 0, 0o1, 0o100, 0o1000
FMODE_READ, FMODE_WRITE, FMODE_LSEEK, FMODE_PREAD, FMODE_PWRITE = 1, 2, 4, 8, 0x10
#: full_write() gives up after this many writes that took nothing
MAX_ZERO_WRITES = 1


@dataclass
class Node:
    """A character node in /dev: its dev_t and who made it."""
    devt: int
    by_mknod: bool = False
    builtin: bool = False    # a boot device's node: listed, its driver not simulated


@dataclass
class OpenFile:
    """One open() of a node: the struct file and inode the methods see."""
    path: str
    file: int
    inode: int
    fops: int
    module: Module | None  # the fops owner's Module (holds a reference), or None


def nodes(k_or_kernel: InKernel | KernelServices) -> dict[str, Node]:
    """The /dev nodes of this boot, by path."""
    return kernel_of(k_or_kernel).names.setdefault("devtmpfs", {})


def devtmpfs_create(k: KCall, name: str, devt: int) -> None:
    """devtmpfs_create_node(): device_add() of a device with a number."""
    nodes(k)[f"/dev/{name}"] = Node(devt & 0xFFFFFFFF)


def devtmpfs_delete(k: KCall, name: str, devt: int) -> None:
    """devtmpfs_delete_node(): only the node the device itself made goes."""
    node = nodes(k).get(f"/dev/{name}")
    if node is not None and not node.by_mknod and node.devt == devt & 0xFFFFFFFF:
        del nodes(k)[f"/dev/{name}"]


__all__ = ["MKDEV", "Node", "OpenFile", "nodes", "mknod", "open_node", "read_all",
           "write_all", "release"]


def mknod(kernel: KernelServices, path: str, devt: int) -> int:
    """mknod(2) of a character node: 0, or -EEXIST."""
    if path in nodes(kernel):
        return -17
    nodes(kernel)[path] = Node(devt & 0xFFFFFFFF, by_mknod=True)
    return 0


# -- open -----------------------------------------------------------------
def _cdev_ops(k: KCall, devt: int) -> int | None:
    """kobj_lookup(cdev_map, dev): the ops of the live cdev covering devt
    (cdev->ops as the module's struct holds it now, when the headers
    declare struct cdev; else what cdev_init() was given)."""
    for cdev, obj in cdev_objects(k).items():
        if obj.get("added") and not obj.get("deleted") and \
                obj["dev"] <= devt < obj["dev"] + obj["count"]:
            ops = read_field(k, cdev, "cdev", "ops")
            return obj.get("ops", 0) if ops is None else ops
    for (major, base), r in regions(k).items():
        if r.cdev and major == MAJOR(devt) and base <= MINOR(devt) < base + r.count:
            ops = read_field(k, r.cdev, "cdev", "ops")
            return r.fops if ops is None else ops
    return None


def _misc_device(k: KCall, minor: int) -> int | None:
    """misc_open(): the registered miscdevice with this minor."""
    return next((addr for addr, m in registry(k, "misc").items() if m.minor == minor),
                None)


def _owner_get(k: KCall, fops: int) -> tuple[bool, Any]:
    """fops_get(): try_module_get(fops->owner); False if it is going away."""
    owner = read_field(k, fops, "file_operations", "owner") or 0
    if not owner:
        return True, None
    mod = k.kernel.module_by_struct(owner)
    if mod is None:
        return True, None
    if mod.state == "GOING":
        return False, None
    mod.refcnt += 1
    return True, mod


def _method(k: KCall, fops: int, name: str) -> int:
    if not fops:
        return 0
    return read_field(k, fops, "file_operations", name) or 0


def _new_file(k: KCall, path: str, node: Node, flags: int) -> tuple[int, int]:
    inode = kernel_object(k, "inode", INODE_SIZE, f"inode of {path}").base
    file = kernel_object(k, "file", FILE_SIZE, f"file {path}").base
    write_field(k, inode, "inode", "i_rdev", node.devt, 4)
    write_field(k, inode, "inode", "i_mode", 0o20600, 2)      # S_IFCHR | 0600
    write_field(k, file, "file", "f_inode", inode)
    write_field(k, file, "file", "f_flags", flags, 4)
    mode = FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE
    mode |= FMODE_WRITE if flags & O_WRONLY else FMODE_READ
    write_field(k, file, "file", "f_mode", mode, 4)
    attach_dentry(k, file, inode, path)
    return file, inode


def _drop(k: KCall, file: int, inode: int, mod: Module | None) -> None:
    if mod is not None:
        mod.refcnt -= 1
    drop_dentry(k, file)
    free_object(k, file)
    free_object(k, inode)


def open_node(k: KCall, path: str, flags: int) -> tuple[int, OpenFile | None]:
    """open(path, flags) of a /dev node: (0, the open file) or (-errno, None)."""
    node = nodes(k).get(path)
    if node is None:
        return -2, None
    if node.builtin:
        return -ENXIO, None
    if MAJOR(node.devt) == MISC_MAJOR and _cdev_ops(k, node.devt) is None:
        return _open_misc(k, path, node, flags)
    fops = _cdev_ops(k, node.devt)
    if fops is None:
        return -ENXIO, None
    return _open_with(k, path, node, flags, fops, private=None)


def _open_misc(k: KCall, path: str, node: Node, flags: int) -> tuple[int, OpenFile | None]:
    misc = _misc_device(k, MINOR(node.devt))
    if misc is None:
        return -ENODEV, None
    if misc < 0:                       # a boot device (hpet, psaux, ...)
        return -ENXIO, None
    fops = read_field(k, misc, "miscdevice", "fops") or 0
    return _open_with(k, path, node, flags, fops, private=misc)


def _open_with(k: KCall, path: str, node: Node, flags: int, fops: int,
               private: int | None) -> tuple[int, OpenFile | None]:
    ok, mod = _owner_get(k, fops)
    if not ok:
        return -ENXIO, None
    file, inode = _new_file(k, path, node, flags)
    write_field(k, file, "file", "f_op", fops)
    if private is not None:            # misc_open(): file->private_data = c
        write_field(k, file, "file", "private_data", private)
    open_fn = _method(k, fops, "open")
    if open_fn:
        ret = s64(call_module(k, open_fn, inode, file))
        if ret < 0:
            _drop(k, file, inode, mod)
            return ret, None
    return 0, OpenFile(path, file, inode, fops, mod)


def release(k: KCall, f: OpenFile) -> None:
    """The last close(): ->release(inode, file), then fops_put()."""
    release_fn = _method(k, f.fops, "release")
    try:
        if release_fn:
            call_module(k, release_fn, f.inode, f.file)
    finally:
        _drop(k, f.file, f.inode, f.module)


# -- read and write -------------------------------------------------------
def read_all(k: KCall, f: OpenFile, reader: Reader) -> tuple[int, bytes]:
    """The tool's read(2) calls (reads.py): (0, data) or (-errno, data so
    far).  vfs_read() gives -EINVAL when the ops have no read method."""
    if not _method(k, f.fops, "read"):
        return -EINVAL, b""
    return read_loop(k, lambda: _method(k, f.fops, "read"), f.file, reader)


def write_all(k: KCall, f: OpenFile, data: bytes, block: int | None = None) -> tuple[int, int]:
    """Each block written with write(2), again with what a short write left
    (busybox's full_write()): (0, bytes taken) or (-errno, bytes taken
    before).  vfs_write() gives -EINVAL when the ops have no write method."""
    if not _method(k, f.fops, "write"):
        return -EINVAL, 0
    ubuf = user_buffer(k.kernel, len(data), k.task.comm, data)
    pos = scratch(k, 8, "loff_t pos")
    done = 0
    try:
        for start in range(0, len(data), block or max(len(data), 1)):
            end = min(len(data), start + (block or len(data)))
            err, done = _full_write(k, f, ubuf.base, start, end, pos.base)
            if err < 0:
                return err, done
        return 0, done
    finally:
        drop_user_buffer(k.kernel, ubuf)
        free_object(k, pos.base)


def _full_write(k: KCall, f: OpenFile, buf: int, start: int, end: int,
                pos: int) -> tuple[int, int]:
    done, zero = start, 0
    while done < end and zero <= MAX_ZERO_WRITES:
        n = s64(call_module(k, _method(k, f.fops, "write"), f.file, buf + done,
                            end - done, pos))
        if n < 0:
            return n, done
        zero = zero + 1 if n == 0 else 0
        done += min(n, end - done)
    return 0, done
