"""copy_to_user / copy_from_user (include/linux/uaccess.h, lib/usercopy.c).

User memory of the simulated process (the buffer `cat` reads into, the
bytes `echo` writes) is a region registered as user memory with
`user_buffer()`.  access_ok() fails for anything else, as it does for a
kernel address on a real kernel: nothing is copied and the whole count is
returned.  A short user buffer copies what fits and returns the rest.
"""
from __future__ import annotations

from kmodgui.kernel import memory
from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import EFAULT, U64
from kmodgui.kernel.memory import Region
from kmodgui.kernel.services import KCall, KernelServices


def user_buffer(kernel: KernelServices, size: int, comm: str, data: bytes = b"") -> Region:
    """Map `size` bytes of the process's memory (a read or write buffer)."""
    reg = kernel.mem.map(max(size, 1), memory.KOBJ, comm, label=f"user memory of {comm}")
    reg.data[:len(data)] = data
    kernel.names.setdefault("user_memory", {})[reg.base] = reg
    return reg


def drop_user_buffer(kernel: KernelServices, reg: Region) -> None:
    kernel.names.setdefault("user_memory", {}).pop(reg.base, None)
    kernel.mem.unmap(reg)


def user_room(k: KCall, addr: int, n: int) -> int:
    """How many of n bytes at addr are user memory (0 if access_ok fails)."""
    reg = k.mem.region_at(addr)
    if reg is None or reg.base not in k.kernel.names.get("user_memory", {}):
        return 0
    if not reg.base <= addr < reg.end:
        return 0
    return min(n, reg.end - addr)


@kapi("copy_to_user")
def copy_to_user(k: KCall, to: int, frm: int, n: int) -> int:
    """Returns the number of bytes that could NOT be copied."""
    n &= U64
    room = user_room(k, to, n)
    if room:
        k.mem.write_bytes(to, k.mem.read_bytes(frm, room))
    return n - room


@kapi("copy_from_user")
def copy_from_user(k: KCall, to: int, frm: int, n: int) -> int:
    """Returns the bytes not copied; the uncopied tail of `to` is zeroed."""
    n &= U64
    room = user_room(k, frm, n)
    if room:
        k.mem.write_bytes(to, k.mem.read_bytes(frm, room))
    if n > room:
        k.mem.fill(to + room, 0, n - room)
    return n - room


@kapi("strncpy_from_user")
def strncpy_from_user(k: KCall, dst: int, src: int, count: int) -> int:
    """Copy a user string; its length, or -EFAULT."""
    out = bytearray()
    while len(out) < count:
        if not user_room(k, src + len(out), 1):
            return -EFAULT
        c = k.mem.read_int(src + len(out), 1)
        out.append(c)
        if c == 0:
            break
    k.mem.write_bytes(dst, bytes(out))
    return len(out) - 1 if out and out[-1] == 0 else len(out)


@kapi("clear_user")
def clear_user(k: KCall, to: int, n: int) -> int:
    room = user_room(k, to, n)
    if room:
        k.mem.fill(to, 0, room)
    return n - room
