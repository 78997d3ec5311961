"""Reading and writing /proc files: what `cat` and `echo >` end up calling.

`read_proc_file(kernel, path)` opens the entry the way the VFS does
(fs/proc/inode.c proc_reg_open/read/release), calls the module's methods
with a struct file, an inode and a user buffer, and returns (0, text) or
(-errno, text read before the error), like Kernel.read_file.  Without a
KCall it asks the kernel to run the work as a `cat` process:
`kernel.run_task(comm, body)` calls body(k) with a KCall whose task is
that process (and turns a crash into the kernel's report).

A method pointer is read from the module's proc_ops (file_operations in
2.6.30) at every open, so an entry left behind by an unloaded module
faults on that read (the ops table went with the module's memory), or on
the instruction fetch of its show function (proc_create_single), the way
the real kernel oopses.  How the reading tool calls read() is reads.py's.
"""
from __future__ import annotations

from typing import Any

from kmodgui.kernel.kapi import chrdev, seq_file
from kmodgui.kernel.kapi.common import (offset, switch, EISDIR, ENOENT, call_module,
                                        free_object, kernel_object,
                                        read_field, registry, s64, scratch,
                                        write_field)
from kmodgui.kernel.kapi.procfs import ProcEntry, lookup
from kmodgui.kernel.kapi.reads import MAX_READ_BYTES, Reader, read_loop
from kmodgui.kernel.kapi.uaccess import drop_user_buffer, user_buffer
from kmodgui.kernel.services import KCall, KernelServices

FILE_SIZE = 256             # struct file, if the headers do not say
INODE_SIZE = 640            # struct inode
PROC_BLOCK_SIZE = 4096 - 1024   # 2.6.30 proc_file_read() chunk


def read_proc_file(kernel: KernelServices, path: str, k: KCall | None = None,
                   reader: Reader | None = None) -> tuple[int, str]:
    """cat PATH: (0, text) or (-errno, text read before the error)."""
    reader = reader or Reader()
    if k is None:
        return kernel.run_task("cat", lambda kk: read_proc_file(kernel, path, kk, reader))
    if path in ("/proc/devices", "/proc/misc"):
        return 0, builtin_text(k, path)
    entry = lookup(k, path)
    if entry is None:
        return -ENOENT, ""
    if entry.is_dir:
        return -EISDIR, ""
    file, inode = _open_objects(k, entry)
    try:
        if entry.show or entry.seq_ops:
            return _read_seq(k, entry, file, reader)
        if _has_read_proc(k, entry):
            return _read_proc_2630(k, entry)
        return _read_ops(k, entry, file, inode, reader)
    finally:
        _close_objects(k, file, inode)


def write_proc_file(kernel: KernelServices, path: str, data: bytes, k: KCall | None = None) -> tuple[int, int]:
    """echo DATA > PATH: (0, bytes written) or (-errno, 0)."""
    if k is None:
        return kernel.run_task("sh", lambda kk: write_proc_file(kernel, path, data, kk))
    entry = lookup(k, path)
    if entry is None:
        return -ENOENT, 0
    if entry.is_dir:
        return -EISDIR, 0
    file, inode = _open_objects(k, entry)
    try:
        return _write_ops(k, entry, file, inode, data)
    finally:
        _close_objects(k, file, inode)


# -- the VFS objects -----------------------------------------------------
def _open_objects(k: KCall, entry: ProcEntry) -> tuple[int, int]:
    inode = kernel_object(k, "inode", INODE_SIZE, f"inode of {entry.path}").base
    file = kernel_object(k, "file", FILE_SIZE, f"file {entry.path}").base
    write_field(k, inode, "inode", "i_private", entry.data)
    write_field(k, file, "file", "f_inode", inode)
    attach_dentry(k, file, inode, entry.path)
    registry(k, "proc_inodes")[inode] = entry
    return file, inode


def _close_objects(k: KCall, file: int, inode: int) -> None:
    registry(k, "proc_inodes").pop(inode, None)
    drop_dentry(k, file)
    free_object(k, file)
    free_object(k, inode)


DENTRY_SIZE = 192           # sizeof(struct dentry) on 6.1 x86_64
DNAME_INLINE_LEN = 32


def attach_dentry(k: KCall, file: int, inode: int, path: str) -> None:
    """file->f_path.dentry: the dentry the file was opened through, its
    d_name the last component of the path (kept inline in d_iname when it
    is short, as d_alloc() keeps it), d_inode the file's inode."""
    f_path, p_dentry = offset(k, "file", "f_path"), offset(k, "path", "dentry")
    if f_path is None or p_dentry is None:
        return                       # headers without struct path
    name = path.rsplit("/", 1)[-1].encode()
    d = kernel_object(k, "dentry", DENTRY_SIZE, f"dentry {path}").base
    d_name, iname = offset(k, "dentry", "d_name"), offset(k, "dentry", "d_iname")
    inline = len(name) < DNAME_INLINE_LEN and iname is not None
    where = d + iname if inline and iname is not None else scratch(k, len(name) + 1, f"name of {path}").base
    k.mem.write_bytes(where, name + b"\0")
    if d_name is not None:
        write_field(k, d + d_name, "qstr", "len", len(name), 4)
        write_field(k, d + d_name, "qstr", "name", where)
    write_field(k, d, "dentry", "d_inode", inode)
    k.mem.write_int(file + f_path + p_dentry, 8, d)
    registry(k, "file_dentries")[file] = (d, 0 if inline else where)


def drop_dentry(k: KCall, file: int) -> None:
    d, name = registry(k, "file_dentries").pop(file, (0, 0))
    if name:
        free_object(k, name)
    if d:
        free_object(k, d)


def _method(k: KCall, entry: ProcEntry, name61: str, name2630: str) -> int:
    """Read one method pointer from the module's ops table."""
    if not entry.ops:
        return 0
    if not switch(k, "proc_ops"):
        return read_field(k, entry.ops, "file_operations", name2630) or 0
    return read_field(k, entry.ops, "proc_ops", name61) or 0


# -- seq_file entries ----------------------------------------------------
def _read_seq(k: KCall, entry: ProcEntry, file: int, reader: Reader) -> tuple[int, str]:
    """The first read() produces all the text.  A reader that wants more
    reads again at the end: seq_read() then calls start() at the final
    position and stop().  head -n, having read past its lines, seeks back
    to the end of its last line: seq_lseek() replays the iterator up to
    that offset (traverse())."""
    st = seq_file.SeqState(show=entry.show, op=entry.seq_ops)
    m = seq_file.new_seq(k, file, st, entry.data)
    try:
        seq_file.produce(k, m, st)
        data = bytes(st.buf)
        if not reader.satisfied(data):
            seq_file.eof_pass(k, m, st)
        elif reader.want_lines:
            end = _end_of_line(data, reader.want_lines)
            if end < len(data):
                seq_file.traverse(k, m, st, end)
    finally:
        seq_file.seqs(k).pop(m, None)
        free_object(k, m)
    return st.error, st.buf.decode("latin-1")


def _end_of_line(data: bytes, n: int) -> int:
    """The offset just past the n-th newline (or the end)."""
    at = 0
    for _ in range(n):
        nl = data.find(b"\n", at)
        if nl < 0:
            return len(data)
        at = nl + 1
    return at


# -- proc_ops / file_operations entries ----------------------------------
def _read_ops(k: KCall, entry: ProcEntry, file: int, inode: int,
              reader: Reader) -> tuple[int, str]:
    open_fn = _method(k, entry, "proc_open", "open")
    read_fn = _method(k, entry, "proc_read", "read")
    release_fn = _method(k, entry, "proc_release", "release")
    if open_fn:
        ret = s64(call_module(k, open_fn, inode, file))
        if ret < 0:
            return ret, ""
    try:
        if not read_fn:
            return -switch(k, "proc_no_method_errno"), ""
        err, data = read_loop(k, lambda: read_fn, file, reader)
        return err, data.decode("latin-1")
    finally:
        if release_fn:
            call_module(k, release_fn, inode, file)


def _write_ops(k: KCall, entry: ProcEntry, file: int, inode: int,
               data: bytes) -> tuple[int, int]:
    write_fn = _method(k, entry, "proc_write", "write")
    wproc = read_field(k, entry.pde, "proc_dir_entry", "write_proc") if switch(k, "proc_read_proc") else None
    if not write_fn and not wproc:
        return -switch(k, "proc_no_method_errno"), 0
    ubuf = user_buffer(k.kernel, len(data), k.task.comm, data)
    try:
        if wproc:
            n = s64(call_module(k, wproc, file, ubuf.base, len(data), entry.data))
        else:
            n = _write_via_ops(k, entry, file, inode, write_fn, ubuf.base, len(data))
        return (n, 0) if n < 0 else (0, n)
    finally:
        drop_user_buffer(k.kernel, ubuf)


def _write_via_ops(k: KCall, entry: ProcEntry, file: int, inode: int, write_fn: int,
                   buf: int, count: int) -> int:
    open_fn = _method(k, entry, "proc_open", "open")
    release_fn = _method(k, entry, "proc_release", "release")
    if open_fn:
        ret = s64(call_module(k, open_fn, inode, file))
        if ret < 0:
            return ret
    pos = scratch(k, 8, "loff_t pos")
    try:
        return s64(call_module(k, write_fn, file, buf, count, pos.base))
    finally:
        free_object(k, pos.base)
        if release_fn:
            call_module(k, release_fn, inode, file)


# -- 2.6.30 read_proc ----------------------------------------------------
def _has_read_proc(k: KCall, entry: ProcEntry) -> bool:
    return switch(k, "proc_read_proc") and bool(_read_proc_ptr(k, entry)
                               or registry(k, "proc_read_proc").get(entry.pde))


def _read_proc_ptr(k: KCall, entry: ProcEntry) -> int:
    if not switch(k, "proc_read_proc"):
        return 0
    return read_field(k, entry.pde, "proc_dir_entry", "read_proc") or 0


def _read_proc_2630(k: KCall, entry: ProcEntry) -> tuple[int, str]:
    """fs/proc/generic.c __proc_file_read(): the three `start` conventions."""
    fn = _read_proc_ptr(k, entry) or registry(k, "proc_read_proc")[entry.pde]
    data = read_field(k, entry.pde, "proc_dir_entry", "data")
    data = entry.data if data is None else data
    page = scratch(k, 4096, "proc page")
    cells = scratch(k, 16, "start/eof")        # char *start; int eof
    out = bytearray()
    off = 0
    try:
        while len(out) < MAX_READ_BYTES:
            k.mem.write_bytes(cells.base, bytes(16))
            n = s64(call_module(k, fn, page.base, cells.base, off, PROC_BLOCK_SIZE,
                                cells.base + 8, data))
            start = k.mem.read_int(cells.base, 8)
            eof = k.mem.read_int(cells.base + 8, 4)
            if n < 0:
                return n, out.decode("latin-1")
            chunk, advance = _proc_chunk(page, start, off, n)
            out += chunk
            off += advance
            if not chunk or (eof and start == 0):
                break
        return 0, out.decode("latin-1")
    finally:
        free_object(k, page.base)
        free_object(k, cells.base)


def _proc_chunk(page: Any, start: int, off: int, n: int) -> tuple[bytes, int]:
    """Which bytes a read_proc call produced, and how far the offset moves."""
    n = min(n, 4096)
    if start == 0:                         # method 0: data at page + off
        return bytes(page.data[off:n]) if n > off else b"", max(n - off, 0)
    if start < page.base:                  # method 2: start is an offset count
        return bytes(page.data[:n]), start
    begin = start - page.base              # method 1: data at *start
    return bytes(page.data[begin:begin + n]), n


# -- files that list the registries --------------------------------------
def builtin_text(k: KCall, path: str) -> str:
    """/proc/devices and /proc/misc: the boot's devices and the modules'."""
    if path == "/proc/devices":
        blk = sorted(registry(k, "blkdev").items())
        lines = ["Character devices:", *chrdev.proc_devices_chr(k), "",
                 "Block devices:", *(f"{major:3d} {name}" for major, name in blk)]
        return "\n".join(lines) + "\n"
    # misc_seq_show() walks misc_list, newest registration first
    miscs = reversed(list(registry(k, "misc").values()))
    return "".join(f"{m.minor:3d} {m.name}\n" for m in miscs)
