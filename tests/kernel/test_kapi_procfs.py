"""/proc entries: registration, clashes, removal, and reading them back."""
from __future__ import annotations

import pytest

from kmodgui.kernel.kapi import procfs, seq_file, uaccess
from kmodgui.kernel.kapi.reads import MAX_READ_BYTES as MAX_CAT_BYTES
from kmodgui.kernel.memory import MemoryFault
from tests.kernel.kapi_fake import FakeKernel, setup

ENOENT, EIO, EISDIR = 2, 5, 21


def show_fn(kernel: FakeKernel, text: str, ret: int = 0) -> int:
    """A module show function: seq_printf(m, "%s", text)."""
    fmt, arg = kernel.cstring("%s"), kernel.cstring(text)

    def show(k, m: int, v: int) -> int:
        seq_file.seq_printf(k, m, fmt, arg)
        return ret
    return kernel.define(show, "skull_show", kernel.modules["hi"])


def test_proc_create_single_and_read() -> None:
    kernel, k = setup()
    pde = procfs.proc_create_single(k, kernel.cstring("skull"), 0o444, 0,
                                    show_fn(kernel, "hello\n"))
    assert pde != 0
    res = kernel.ledger.find("proc", "/proc/skull")
    assert (res.name, res.api, res.owner) == ("/proc/skull", "proc_create_single", "hi")
    assert procfs.read_proc_file(kernel, "/proc/skull") == (0, "hello\n")


def test_duplicate_entry_warns_and_returns_null() -> None:
    kernel, k = setup()
    show = show_fn(kernel, "x")
    procfs.proc_create_single(k, kernel.cstring("skull"), 0, 0, show)
    assert procfs.proc_create_single(k, kernel.cstring("skull"), 0, 0, show) == 0
    (where, func, msg), = k.warnings
    assert (func, msg) == ("proc_register", "proc_dir_entry '/proc/skull' already registered")
    assert kernel.lines()[:2] == ["------------[ cut here ]------------", msg]


def test_builtin_names_clash() -> None:
    kernel, k = setup()
    assert procfs.proc_create(k, kernel.cstring("modules"), 0, 0, 0) == 0
    assert procfs.proc_mkdir(k, kernel.cstring("driver"), 0) == 0
    assert k.warnings[1][2] == "proc_dir_entry '/proc/driver' already registered"


def test_2630_duplicate_warns_but_registers() -> None:
    kernel, k = setup("2.6.30")
    procfs.proc_create(k, kernel.cstring("skull"), 0, 0, 0)
    assert procfs.proc_create(k, kernel.cstring("skull"), 0, 0, 0) != 0
    assert len(procfs.entries(kernel)["/proc/skull"]) == 2


def test_subdirectories_and_parent_names_in_messages() -> None:
    kernel, k = setup()
    d = procfs.proc_mkdir(k, kernel.cstring("skull"), 0)
    show = show_fn(kernel, "x")
    assert procfs.proc_create_single(k, kernel.cstring("stats"), 0, d, show)
    assert procfs.proc_create_single(k, kernel.cstring("stats"), 0, d, show) == 0
    assert k.warnings[0][2] == "proc_dir_entry 'skull/stats' already registered"
    assert procfs.proc_create_single(k, kernel.cstring("driver/skull"), 0, 0, show)
    assert procfs.lookup(kernel, "/proc/driver/skull") is not None
    assert procfs.read_proc_file(kernel, "/proc/skull") == (-EISDIR, "")


def test_missing_intermediate_directory_warns() -> None:
    kernel, k = setup()
    assert procfs.proc_create(k, kernel.cstring("nodir/skull"), 0, 0, 0) == 0
    assert k.warnings[0][2] == "name 'nodir/skull'"


def test_remove_proc_entry() -> None:
    kernel, k = setup()
    procfs.proc_create(k, kernel.cstring("skull"), 0, 0, 0)
    procfs.remove_proc_entry(k, kernel.cstring("skull"), 0)
    assert procfs.lookup(kernel, "/proc/skull") is None
    assert kernel.ledger.held_by("hi") == []
    assert procfs.read_proc_file(kernel, "/proc/skull") == (-ENOENT, "")
    procfs.remove_proc_entry(k, kernel.cstring("skull"), 0)
    assert k.warnings[-1][2] == "name 'skull'"


def test_remove_non_empty_directory_leaks_children() -> None:
    kernel, k = setup()
    d = procfs.proc_mkdir(k, kernel.cstring("skull"), 0)
    procfs.proc_create(k, kernel.cstring("stats"), 0, d, 0)
    procfs.remove_proc_entry(k, kernel.cstring("skull"), 0)
    assert k.warnings[-1][2] == ("remove_proc_entry: removing non-empty directory "
                                 "'/proc/skull', leaking at least 'stats'")
    assert procfs.lookup(kernel, "/proc/skull/stats") is None
    assert [r.name for r in kernel.ledger.held_by("hi")] == ["/proc/skull/stats"]


def test_proc_remove_takes_the_subtree() -> None:
    kernel, k = setup()
    d = procfs.proc_mkdir(k, kernel.cstring("skull"), 0)
    procfs.proc_create(k, kernel.cstring("stats"), 0, d, 0)
    procfs.proc_remove(k, d)
    procfs.proc_remove(k, 0)
    assert kernel.ledger.held_by("hi") == [] and k.warnings == []


def proc_ops(kernel: FakeKernel, **methods: int) -> int:
    return kernel.struct("proc_ops", **methods)


def test_read_through_single_open_and_seq_read() -> None:
    """The usual 6.1 pattern: .proc_open = skull_open (single_open), .proc_read = seq_read."""
    kernel, k = setup()
    show = show_fn(kernel, "count: 3\n")

    def skull_open(kk, inode: int, file: int) -> int:
        return seq_file.single_open(kk, file, show, 0)
    ops = proc_ops(kernel,
                   proc_open=kernel.define(skull_open, "skull_open", kernel.modules["hi"]),
                   proc_read=_kapi_addr(kernel, "seq_read"),
                   proc_release=_kapi_addr(kernel, "single_release"))
    procfs.proc_create(k, kernel.cstring("skull"), 0, 0, ops)
    assert procfs.read_proc_file(kernel, "/proc/skull") == (0, "count: 3\n")
    assert seq_file.seqs(k) == {}                             # released


def _kapi_addr(kernel: FakeKernel, name: str) -> int:
    from kmodgui.kernel.kapi import REGISTRY
    return kernel.mem.text_address(REGISTRY[name])


def test_read_with_custom_proc_read_and_offsets() -> None:
    kernel, k = setup()
    text = kernel.cstring("abcdef")

    def skull_read(kk, file: int, buf: int, count: int, ppos: int) -> int:
        pos = kk.mem.read_int(ppos, 8)
        if pos >= 6:
            return 0
        n = min(count, 6 - pos)
        if uaccess.copy_to_user(kk, buf, text + pos, n):
            return -14
        kk.mem.write_int(ppos, 8, pos + n)
        return n
    ops = proc_ops(kernel, proc_read=kernel.define(skull_read, "skull_read",
                                                   kernel.modules["hi"]))
    procfs.proc_create(k, kernel.cstring("skull"), 0, 0, ops)
    assert procfs.read_proc_file(kernel, "/proc/skull") == (0, "abcdef")


def test_read_that_never_ends_is_cut() -> None:
    kernel, k = setup()
    text = kernel.cstring("y\n")

    def forever(kk, file: int, buf: int, count: int, ppos: int) -> int:
        uaccess.copy_to_user(kk, buf, text, 2)
        return 2
    ops = proc_ops(kernel, proc_read=kernel.define(forever, "forever", kernel.modules["hi"]))
    procfs.proc_create(k, kernel.cstring("yes"), 0, 0, ops)
    err, out = procfs.read_proc_file(kernel, "/proc/yes")
    assert err == 0 and len(out) == MAX_CAT_BYTES and out.startswith("y\ny\n")


def test_read_errors() -> None:
    kernel, k = setup()
    procfs.proc_create(k, kernel.cstring("noread"), 0, 0, proc_ops(kernel))
    assert procfs.read_proc_file(kernel, "/proc/noread") == (-EIO, "")
    failing = show_fn(kernel, "partial", ret=-12)
    procfs.proc_create_single(k, kernel.cstring("bad"), 0, 0, failing)
    assert procfs.read_proc_file(kernel, "/proc/bad") == (-12, "partial")


def test_open_failure_is_returned() -> None:
    kernel, k = setup()
    ops = proc_ops(kernel, proc_open=kernel.define(lambda kk, i, f: -13, "deny"),
                   proc_read=_kapi_addr(kernel, "seq_read"))
    procfs.proc_create(k, kernel.cstring("deny"), 0, 0, ops)
    assert procfs.read_proc_file(kernel, "/proc/deny") == (-13, "")


def test_entry_left_by_unloaded_module_crashes_the_reader() -> None:
    kernel, k = setup()
    show = show_fn(kernel, "x")
    procfs.proc_create_single(k, kernel.cstring("skull"), 0, 0, show)
    kernel.unload_code(show)                        # rmmod without remove_proc_entry
    with pytest.raises(MemoryFault) as e:
        procfs.read_proc_file(kernel, "/proc/skull")
    assert (e.value.kind, e.value.addr, e.value.fetch) == ("page-fault", show, True)


def test_ops_table_of_unloaded_module_faults_on_read() -> None:
    kernel, k = setup()
    ops = proc_ops(kernel, proc_read=_kapi_addr(kernel, "seq_read"))
    procfs.proc_create(k, kernel.cstring("skull"), 0, 0, ops)
    kernel.mem.unmap(kernel.mem.region_at(ops))     # the module's .rodata is gone
    with pytest.raises(MemoryFault) as e:
        procfs.read_proc_file(kernel, "/proc/skull")
    assert e.value.kind == "page-fault"


def test_pde_data_reaches_the_show_through_the_inode() -> None:
    kernel, k = setup()
    seen = []

    def opener(kk, inode: int, file: int) -> int:
        seen.append(procfs.pde_data(kk, inode))
        return 0
    ops = proc_ops(kernel, proc_open=kernel.define(opener, "opener"),
                   proc_read=kernel.define(lambda kk, f, b, c, p: 0, "rd"))
    procfs.proc_create_data(k, kernel.cstring("d"), 0, 0, ops, 0x1234)
    procfs.read_proc_file(kernel, "/proc/d")
    assert seen == [0x1234]


def test_write_proc_file_with_copy_from_user() -> None:
    kernel, k = setup()
    got = kernel.buf(16)

    def skull_write(kk, file: int, buf: int, count: int, ppos: int) -> int:
        if uaccess.copy_from_user(kk, got, buf, count):
            return -14
        return count
    ops = proc_ops(kernel, proc_write=kernel.define(skull_write, "skull_write"))
    procfs.proc_create(k, kernel.cstring("skull"), 0o644, 0, ops)
    assert procfs.write_proc_file(kernel, "/proc/skull", b"42\n") == (0, 3)
    assert kernel.mem.read_bytes(got, 3) == b"42\n"


def test_copy_to_user_refuses_kernel_addresses() -> None:
    kernel, k = setup()
    src, dst = kernel.cstring("abc"), kernel.buf(8)
    assert uaccess.copy_to_user(k, dst, src, 3) == 3
    assert uaccess.copy_from_user(k, dst, src, 3) == 3
    assert kernel.mem.read_bytes(dst, 3) == bytes(3)          # zero-filled


def test_seq_open_iterator() -> None:
    kernel, k = setup()
    fmt = kernel.cstring("%d\n")
    items = [10, 20, 30]

    def start(kk, m: int, pos: int) -> int:
        i = kk.mem.read_int(pos, 8)
        return i + 1 if i < len(items) else 0
    def nxt(kk, m: int, v: int, pos: int) -> int:
        kk.mem.write_int(pos, 8, v)
        return v + 1 if v < len(items) else 0
    def show(kk, m: int, v: int) -> int:
        seq_file.seq_printf(kk, m, fmt, items[v - 1])
        return 0
    seq_ops = kernel.struct("seq_operations", start=kernel.define(start, "s"),
                            next=kernel.define(nxt, "n"), show=kernel.define(show, "sh"),
                            stop=kernel.define(lambda kk, m, v: 0, "st"))
    procfs.proc_create_seq(k, kernel.cstring("list"), 0, 0, seq_ops)
    assert procfs.read_proc_file(kernel, "/proc/list") == (0, "10\n20\n30\n")


def test_2630_create_proc_read_entry() -> None:
    kernel, k = setup("2.6.30")
    fmt = kernel.cstring("skull %d\n")

    def read_proc(kk, page: int, start: int, off: int, count: int, eof: int,
                  data: int) -> int:
        from kmodgui.kernel.kapi import string
        n = string.sprintf(kk, page, fmt, data)
        kk.mem.write_int(eof, 4, 1)
        return n
    fn = kernel.define(read_proc, "skull_read_proc")
    pde = procfs.create_proc_read_entry(k, kernel.cstring("skull"), 0, 0, fn, 7)
    assert pde != 0
    assert procfs.read_proc_file(kernel, "/proc/skull") == (0, "skull 7\n")


def test_proc_devices_text() -> None:
    from kmodgui.kernel.kapi import chrdev
    kernel, k = setup()
    chrdev.register_chrdev(k, 0, kernel.cstring("skull"), 0)
    err, text = procfs.read_proc_file(kernel, "/proc/devices")
    assert err == 0 and text.startswith("Character devices:\n254 skull\n")


def test_methods_are_found_after_the_last_module_defining_proc_ops_left() -> None:
    """Layouts come from loaded modules' headers; a leaked entry still faults."""
    kernel, k = setup()
    ops = proc_ops(kernel, proc_read=_kapi_addr(kernel, "seq_read"))
    procfs.proc_create(k, kernel.cstring("skull"), 0, 0, ops)
    kernel.layout = {n: v for n, v in kernel.layout.items() if n != "proc_ops"}
    kernel.mem.unmap(kernel.mem.region_at(ops))
    with pytest.raises(MemoryFault) as e:
        procfs.read_proc_file(kernel, "/proc/skull")
    assert e.value.addr == ops + 8                  # open reads proc_ops.proc_open first


def test_seq_puts_putc_write() -> None:
    kernel, k = setup()
    hello, raw = kernel.cstring("hello"), kernel.cstring("XYZ")

    def show(kk, m: int, v: int) -> int:
        seq_file.seq_puts(kk, m, hello)
        seq_file.seq_putc(kk, m, ord(","))
        seq_file.seq_write(kk, m, raw, 2)
        return 0
    procfs.proc_create_single(k, kernel.cstring("p"), 0, 0, kernel.define(show, "show"))
    assert procfs.read_proc_file(kernel, "/proc/p") == (0, "hello,XY")
