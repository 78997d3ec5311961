"""seq_file (fs/seq_file.c): how most /proc files produce their text.

A seq_file object is allocated by single_open()/seq_open() and its output
kept in kernel.names["seq"] by address.  The first read runs the module's
show function (single_open) or start/show/next/stop iterator (seq_open)
to completion and then serves the text in chunks; a SEQ_SKIP (1) return
discards what that show call printed.  An iterator that never ends would
make a real `cat` run forever: here production stops at SEQ_MAX_BYTES.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kmodgui.kernel import vsprintf
from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import (EFAULT, ENOMEM, call_module, free_object,
                                        is_err, kernel_object, read_field,
                                        registry, s32, s64, scratch,
                                        write_field)
from kmodgui.kernel.kapi.fs import default_llseek
from kmodgui.kernel.kapi.uaccess import copy_to_user
from kmodgui.kernel.services import KCall

SEQ_START_TOKEN = 1
SEQ_SKIP = 1
SEQ_MAX_BYTES = 1 << 20
SEQ_FILE_SIZE = 128


@dataclass
class SeqState:
    show: int = 0            # single_open(): the show function
    op: int = 0              # seq_open(): struct seq_operations *
    buf: bytearray = field(default_factory=bytearray)
    produced: bool = False
    error: int = 0
    index: int = 0           # m->index when the iterator ended


def seqs(k: KCall) -> dict[int, SeqState]:
    return registry(k, "seq")


def state(k: KCall, m: int) -> SeqState:
    st = seqs(k).get(m)
    if st is None:
        # a seq_file the kernel never opened: the module's pointer is bogus
        k.mem.read_int(m, 8)
        st = seqs(k).setdefault(m, SeqState())
    return st


def new_seq(k: KCall, file: int, st: SeqState, private: int) -> int:
    m = kernel_object(k, "seq_file", SEQ_FILE_SIZE, "seq_file").base
    write_field(k, m, "seq_file", "private", private)
    write_field(k, m, "seq_file", "op", st.op)
    write_field(k, m, "seq_file", "file", file)
    if file:
        write_field(k, file, "file", "private_data", m)
    seqs(k)[m] = st
    return m


def produce(k: KCall, m: int, st: SeqState) -> None:
    """Run show (or the iterator) once, filling st.buf."""
    st.produced = True
    if st.show:
        _show(k, m, st, st.show, SEQ_START_TOKEN)
        return
    fns = _iterator(k, st)
    pos = scratch(k, 8, "seq_file pos").base
    p = call_module(k, fns["start"], m, pos)
    while p and not is_err(p) and len(st.buf) < SEQ_MAX_BYTES:
        if not _show(k, m, st, fns["show"], p):
            break
        p = call_module(k, fns["next"], m, p, pos)
    if is_err(p):
        st.error = s64(p)
    if fns["stop"]:
        call_module(k, fns["stop"], m, p)
    st.index = k.mem.read_int(pos, 8, signed=True)
    free_object(k, pos)


def _iterator(k: KCall, st: SeqState) -> dict[str, int]:
    return {f: read_field(k, st.op, "seq_operations", f) or 0
            for f in ("start", "next", "stop", "show")}


def eof_pass(k: KCall, m: int, st: SeqState) -> None:
    """seq_read_iter() at end of file: start() at m->index gives NULL, stop()."""
    if st.show or not st.op:
        return                       # single_start() is the kernel's own
    fns = _iterator(k, st)
    pos = scratch(k, 8, "seq_file pos").base
    k.mem.write_int(pos, 8, st.index)
    p = call_module(k, fns["start"], m, pos)
    if fns["stop"]:
        call_module(k, fns["stop"], m, p)
    free_object(k, pos)


def traverse(k: KCall, m: int, st: SeqState, offset: int) -> None:
    """fs/seq_file.c traverse(): from index 0, show records (their text is
    dropped) until `offset` bytes are passed or reached, then stop()."""
    if st.show or not st.op:
        return
    fns = _iterator(k, st)
    pos = scratch(k, 8, "seq_file pos").base
    probe = SeqState(op=st.op)
    seqs(k)[m] = probe               # the replayed records print into probe
    done = 0
    p = call_module(k, fns["start"], m, pos)
    while p and not is_err(p):
        mark = len(probe.buf)
        if not _show(k, m, probe, fns["show"], p):
            break
        if done + len(probe.buf) - mark > offset:
            break
        done += len(probe.buf) - mark
        p = call_module(k, fns["next"], m, p, pos)
        if done == offset:
            break
    if fns["stop"]:
        call_module(k, fns["stop"], m, p)
    seqs(k)[m] = st
    free_object(k, pos)


def _show(k: KCall, m: int, st: SeqState, show: int, v: int) -> bool:
    mark = len(st.buf)
    ret = s32(call_module(k, show, m, v))
    if ret == SEQ_SKIP:
        del st.buf[mark:]
    elif ret < 0:
        st.error = ret
        return False
    return True


# -- opening and closing -------------------------------------------------
@kapi("single_open", fail="errno", errno=ENOMEM)
def single_open(k: KCall, file: int, show: int, data: int) -> int:
    new_seq(k, file, SeqState(show=show), data)
    return 0


@kapi("single_open_size", fail="errno", errno=ENOMEM)
def single_open_size(k: KCall, file: int, show: int, data: int, size: int) -> int:
    return single_open(k, file, show, data)


@kapi("seq_open", fail="errno", errno=ENOMEM)
def seq_open(k: KCall, file: int, op: int) -> int:
    new_seq(k, file, SeqState(op=op), 0)
    return 0


def _close(k: KCall, file: int) -> int:
    m = read_field(k, file, "file", "private_data") or 0
    if seqs(k).pop(m, None) is not None:
        free_object(k, m)
    return 0


@kapi("single_release")
def single_release(k: KCall, inode: int, file: int) -> int:
    return _close(k, file)


@kapi("seq_release")
def seq_release(k: KCall, inode: int, file: int) -> int:
    return _close(k, file)


# -- output --------------------------------------------------------------
@kapi("seq_printf", variadic=True)
def seq_printf(k: KCall, m: int, fmt: int, *args: int) -> int:
    """seq_printf(): void in 6.1 (int 0 in 2.6.30)."""
    state(k, m).buf += vsprintf.format(k, k.mem.read_cstring(fmt), list(args))
    return 0


@kapi("seq_puts")
def seq_puts(k: KCall, m: int, s: int) -> int:
    state(k, m).buf += k.mem.read_cstring(s)
    return 0


@kapi("seq_putc")
def seq_putc(k: KCall, m: int, c: int) -> int:
    state(k, m).buf.append(c & 0xFF)
    return 0


@kapi("seq_write")
def seq_write(k: KCall, m: int, data: int, length: int) -> int:
    state(k, m).buf += k.mem.read_bytes(data, length)
    return 0


# -- the read side -------------------------------------------------------
@kapi("seq_read")
def seq_read(k: KCall, file: int, buf: int, size: int, ppos: int) -> int:
    """Serve the produced text from *ppos; -errno if show failed."""
    m = read_field(k, file, "file", "private_data") or 0
    st = state(k, m)
    if not st.produced:
        produce(k, m, st)
    if st.error and not st.buf:
        return st.error
    pos = k.mem.read_int(ppos, 8, signed=True)
    chunk = bytes(st.buf[pos:pos + size])
    if not chunk:
        return 0
    tmp = scratch(k, len(chunk), "seq_file buffer")
    tmp.data[:] = chunk
    left = copy_to_user(k, buf, tmp.base, len(chunk))
    free_object(k, tmp.base)
    if left == len(chunk):
        return -EFAULT
    k.mem.write_int(ppos, 8, pos + len(chunk) - left)
    return len(chunk) - left


@kapi("seq_lseek")
def seq_lseek(k: KCall, file: int, offset: int, whence: int) -> int:
    """SEEK_SET / SEEK_CUR on the file position."""
    return default_llseek(k, file, offset, whence)
