"""String and memory functions (lib/string.c, lib/vsprintf.c).

All of them work on simulated memory: an overrun of the destination or a
source without a terminator faults where the real copy would run off the
object.  strcmp/strncmp return -1/0/1 as lib/string.c does; memcmp returns
the difference of the first differing bytes.
"""
from __future__ import annotations

from kmodgui.kernel import vsprintf
from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi import slab
from kmodgui.kernel.kapi.common import E2BIG, U64
from kmodgui.kernel.services import KCall

INT_MAX = (1 << 31) - 1


def read_bounded(k: KCall, addr: int, n: int) -> bytes:
    """Bytes of a string up to its NUL or n bytes, reading no further."""
    out = bytearray()
    while len(out) < n:
        reg = k.mem.region_at(addr + len(out))
        room = n - len(out)
        if reg is not None and not reg.freed and reg.base <= addr + len(out) < reg.end:
            room = min(room, reg.end - addr - len(out))
        chunk = k.mem.read_bytes(addr + len(out), room)
        nul = chunk.find(b"\0")
        if nul >= 0:
            return bytes(out + chunk[:nul])
        out += chunk
    return bytes(out)


def cstring(k: KCall, addr: int) -> bytes:
    return k.mem.read_cstring(addr)


def _cmp(a: bytes, b: bytes) -> int:
    for x, y in zip(a, b):
        if x != y:
            return -1 if x < y else 1
    return 0


@kapi("strlen")
def strlen(k: KCall, s: int) -> int:
    return len(cstring(k, s))


@kapi("strnlen")
def strnlen(k: KCall, s: int, n: int) -> int:
    return len(read_bounded(k, s, n & U64))


@kapi("strcpy")
def strcpy(k: KCall, dst: int, src: int) -> int:
    k.mem.write_bytes(dst, cstring(k, src) + b"\0")
    return dst


@kapi("strncpy")
def strncpy(k: KCall, dst: int, src: int, n: int) -> int:
    """Copy at most n bytes and pad with NULs to n (no terminator if full)."""
    data = read_bounded(k, src, n)
    k.mem.write_bytes(dst, data + bytes(n - len(data)))
    return dst


@kapi("strscpy")
def strscpy(k: KCall, dst: int, src: int, count: int) -> int:
    """Always terminated; the length copied or -E2BIG when truncated."""
    if count == 0 or count > INT_MAX:
        return -E2BIG
    data = read_bounded(k, src, count)
    if len(data) == count:
        k.mem.write_bytes(dst, data[:count - 1] + b"\0")
        return -E2BIG
    k.mem.write_bytes(dst, data + b"\0")
    return len(data)


@kapi("strlcpy")
def strlcpy(k: KCall, dst: int, src: int, size: int) -> int:
    """Copy what fits, terminated; returns strlen(src)."""
    data = cstring(k, src)
    if size:
        k.mem.write_bytes(dst, data[:size - 1] + b"\0")
    return len(data)


@kapi("strcat")
def strcat(k: KCall, dst: int, src: int) -> int:
    k.mem.write_bytes(dst + len(cstring(k, dst)), cstring(k, src) + b"\0")
    return dst


@kapi("strncat")
def strncat(k: KCall, dst: int, src: int, n: int) -> int:
    k.mem.write_bytes(dst + len(cstring(k, dst)), read_bounded(k, src, n) + b"\0")
    return dst


@kapi("strlcat")
def strlcat(k: KCall, dst: int, src: int, size: int) -> int:
    """Append what fits in size; returns the length it tried to create."""
    dlen = len(read_bounded(k, dst, size))
    data = cstring(k, src)
    if dlen < size:
        room = size - dlen - 1
        k.mem.write_bytes(dst + dlen, data[:room] + b"\0")
    return dlen + len(data)


@kapi("strcmp")
def strcmp(k: KCall, a: int, b: int) -> int:
    return _cmp(cstring(k, a) + b"\0", cstring(k, b) + b"\0")


@kapi("strncmp")
def strncmp(k: KCall, a: int, b: int, n: int) -> int:
    x, y = read_bounded(k, a, n), read_bounded(k, b, n)
    return _cmp((x + b"\0")[:n], (y + b"\0")[:n])


@kapi("strcasecmp")
def strcasecmp(k: KCall, a: int, b: int) -> int:
    x, y = cstring(k, a).lower(), cstring(k, b).lower()
    return _cmp(x + b"\0", y + b"\0")


@kapi("strchr")
def strchr(k: KCall, s: int, c: int) -> int:
    data = cstring(k, s)
    c &= 0xFF
    if c == 0:
        return s + len(data)
    i = data.find(bytes([c]))
    return s + i if i >= 0 else 0


@kapi("strrchr")
def strrchr(k: KCall, s: int, c: int) -> int:
    data = cstring(k, s)
    c &= 0xFF
    if c == 0:
        return s + len(data)
    i = data.rfind(bytes([c]))
    return s + i if i >= 0 else 0


@kapi("strstr")
def strstr(k: KCall, hay: int, needle: int) -> int:
    h, n = cstring(k, hay), cstring(k, needle)
    i = h.find(n)
    return hay + i if i >= 0 else 0


@kapi("memset")
def memset(k: KCall, s: int, c: int, n: int) -> int:
    k.mem.fill(s, c, n & U64)
    return s


@kapi("memcpy")
def memcpy(k: KCall, dst: int, src: int, n: int) -> int:
    k.mem.write_bytes(dst, k.mem.read_bytes(src, n & U64))
    return dst


@kapi("memmove")
def memmove(k: KCall, dst: int, src: int, n: int) -> int:
    return memcpy(k, dst, src, n)


@kapi("memcmp")
def memcmp(k: KCall, a: int, b: int, n: int) -> int:
    x, y = k.mem.read_bytes(a, n), k.mem.read_bytes(b, n)
    return next((p - q for p, q in zip(x, y) if p != q), 0)


@kapi("memchr")
def memchr(k: KCall, s: int, c: int, n: int) -> int:
    i = k.mem.read_bytes(s, n).find(bytes([c & 0xFF]))
    return s + i if i >= 0 else 0


# -- formatted output ----------------------------------------------------
def _format(k: KCall, fmt: int, args: tuple[int, ...]) -> bytes:
    return vsprintf.format(k, cstring(k, fmt), list(args))


@kapi("sprintf", variadic=True)
def sprintf(k: KCall, buf: int, fmt: int, *args: int) -> int:
    text = _format(k, fmt, args)
    k.mem.write_bytes(buf, text + b"\0")
    return len(text)


@kapi("snprintf", variadic=True)
def snprintf(k: KCall, buf: int, size: int, fmt: int, *args: int) -> int:
    """Writes at most size-1 bytes + NUL; returns the untruncated length."""
    text = _format(k, fmt, args)
    if size:
        k.mem.write_bytes(buf, text[:size - 1] + b"\0")
    return len(text)


@kapi("scnprintf", variadic=True)
def scnprintf(k: KCall, buf: int, size: int, fmt: int, *args: int) -> int:
    """Like snprintf but returns what was really written (without NUL)."""
    full = snprintf(k, buf, size, fmt, *args)
    return full if full < size else max(size - 1, 0)


@kapi("kasprintf", fail="null", slab=True, variadic=True)
def kasprintf(k: KCall, gfp: int, fmt: int, *args: int) -> int:
    text = _format(k, fmt, args) + b"\0"
    ptr = slab.allocate(k, len(text), gfp, "kasprintf", zero=True)
    if ptr:
        k.mem.write_bytes(ptr, text)
    return ptr
