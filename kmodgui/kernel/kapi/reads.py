"""How a userspace tool calls read(2) on a file whose read method is a
module's: the request size and when the tool stops are the tool's.

The tools are Debian's coreutils 9.1, as on the real-kernel backend's
machine (its recordings are the truth here): cat asks for 128 KiB at a
time (io_blksize()), head -c N for min(N, BUFSIZ) and goes on until it
has counted N bytes (a read that returns more than asked makes its count
wrap, so it reads on to end of file), head -n N for BUFSIZ until it has
N lines, dd for bs bytes, count times.  A read method that never returns 0 would make a real cat loop
forever; here reading stops after MAX_READ_BYTES.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from kmodgui.kernel.kapi.common import call_module, free_object, s64, scratch
from kmodgui.kernel.kapi.uaccess import drop_user_buffer, user_buffer
from kmodgui.kernel.services import KCall

CAT_CHUNK = 131072
BUFSIZ = 8192
MAX_READ_BYTES = 1 << 20
#: a tool's buffer lies in its heap: bytes past the request are still mapped
HEAP_SLACK = 65536


@dataclass
class Reader:
    """One tool's read(2) calls on one file, and what each returned."""
    chunk: int = CAT_CHUNK
    want_bytes: int | None = None     # head -c N: stop when exactly N were read
    want_lines: int | None = None     # head -n N
    calls: int | None = None          # dd count=N
    sizes: list[int] = field(default_factory=list)

    def satisfied(self, data: bytes) -> bool:
        if self.calls is not None and len(self.sizes) >= self.calls:
            return True
        if self.want_bytes is not None and len(data) == self.want_bytes:
            return True
        return self.want_lines is not None and data.count(b"\n") >= self.want_lines


def read_loop(k: KCall, method: Callable[[], int], file: int,
              reader: Reader) -> tuple[int, bytes]:
    """read(fd, buf, chunk) until end of file, an error, or the tool has
    enough: (0, data) or (-errno, data read before the error).  The method
    pointer is fetched again for every call, as vfs_read() does."""
    ubuf = user_buffer(k.kernel, reader.chunk + HEAP_SLACK, k.task.comm)
    pos = scratch(k, 8, "loff_t pos")
    out = bytearray()
    try:
        while len(out) < MAX_READ_BYTES and not reader.satisfied(bytes(out)):
            n = s64(call_module(k, method(), file, ubuf.base, reader.chunk, pos.base))
            reader.sizes.append(n)
            if n <= 0:
                return (n if n < 0 else 0), bytes(out)
            out += ubuf.data[:min(n, len(ubuf.data))]
        return 0, bytes(out)
    finally:
        drop_user_buffer(k.kernel, ubuf)
        free_object(k, pos.base)
