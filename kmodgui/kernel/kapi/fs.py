"""Small VFS helpers modules put in their file_operations (fs/read_write.c,
fs/libfs.c): no_llseek, noop_llseek, default_llseek, simple_read_from_buffer.
"""
from __future__ import annotations

from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import EFAULT, EINVAL, ESPIPE, read_field, write_field
from kmodgui.kernel.kapi.uaccess import copy_to_user
from kmodgui.kernel.services import KCall


@kapi("no_llseek")
def no_llseek(k: KCall, file: int, offset: int, whence: int) -> int:
    """The file cannot seek: -ESPIPE."""
    return -ESPIPE


@kapi("noop_llseek")
def noop_llseek(k: KCall, file: int, offset: int, whence: int) -> int:
    """Seeking "succeeds" and does nothing: returns the current position."""
    return read_field(k, file, "file", "f_pos", 8, signed=True) or 0


@kapi("default_llseek")
def default_llseek(k: KCall, file: int, offset: int, whence: int) -> int:
    """SEEK_SET and SEEK_CUR on file->f_pos."""
    cur = read_field(k, file, "file", "f_pos", 8, signed=True) or 0
    new = {0: offset, 1: cur + offset}.get(whence, -1)
    if new < 0:
        return -EINVAL
    write_field(k, file, "file", "f_pos", new)
    return new


@kapi("simple_read_from_buffer")
def simple_read_from_buffer(k: KCall, to: int, count: int, ppos: int, frm: int,
                            available: int) -> int:
    """Copy from a kernel buffer at *ppos to user space; advance *ppos."""
    pos = k.mem.read_int(ppos, 8, signed=True)
    if pos < 0:
        return -EINVAL
    if pos >= available or not count:
        return 0
    n = min(count, available - pos)
    left = copy_to_user(k, to, frm + pos, n)
    if left == n:
        return -EFAULT
    k.mem.write_int(ppos, 8, pos + n - left)
    return n - left
