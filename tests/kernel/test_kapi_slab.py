"""kmalloc/kfree/vmalloc and friends: memory, ledger, failures, reports."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kmodgui.kernel.events import ResourceProblem, Site
from kmodgui.kernel.kapi import slab, string, vmalloc
from kmodgui.kernel.kapi.bug import KernelBug
from kmodgui.kernel.kapi.gfp import GFP_61, GFP_KERNEL_61, names_61
from kmodgui.kernel.memory import MemoryFault
from kmodgui.realkernel.compare import compare_file, render
from tests.kernel.kapi_fake import setup

GFP_KERNEL = GFP_KERNEL_61
DATA = Path(__file__).parent / "data"


def test_kmalloc_object_ledger_and_junk() -> None:
    kernel, k = setup()
    p = slab.kmalloc(k, 100, GFP_KERNEL)
    reg = kernel.mem.region_at(p)
    assert (reg.base, reg.size, reg.label, reg.owner) == (p, 100, "kmalloc-128", "hi")
    # Debian's 6.1 clears a fresh object (CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y),
    # as recorded: tests/kernel/data/real-fresh.txt
    assert kernel.mem.read_bytes(p, 100) == bytes(100)
    res = kernel.ledger.find("memory", p)
    assert (res.name, res.owner, res.api) == ("kmalloc(100)", "hi", "kmalloc")
    assert res.site == Site("hi.c", 10, "hi_init")


def test_a_fresh_object_holds_junk_without_init_on_alloc() -> None:
    """2.6.30 had no init_on_alloc: the bytes are the previous owner's,
    here POISON_INUSE (include/linux/poison.h)."""
    kernel, k = setup("2.6.30")
    p = slab.kmalloc(k, 100, GFP_KERNEL)
    assert kernel.mem.read_bytes(p, 4) == b"\x5a" * 4


def test_kzalloc_and_gfp_zero_are_zeroed() -> None:
    kernel, k = setup()
    a = slab.kzalloc(k, 32, GFP_KERNEL)
    b = slab.kmalloc(k, 32, GFP_KERNEL | GFP_61["__GFP_ZERO"])
    assert kernel.mem.read_bytes(a, 32) == bytes(32)
    assert kernel.mem.read_bytes(b, 32) == bytes(32)


@pytest.mark.parametrize("size,cache", [(1, "kmalloc-8"), (8, "kmalloc-8"),
                                        (9, "kmalloc-16"), (65, "kmalloc-96"),
                                        (150, "kmalloc-192"), (1000, "kmalloc-1k"),
                                        (8192, "kmalloc-8k"), (8193, "kmalloc-large")])
def test_cache_names(size: int, cache: str) -> None:
    kernel, k = setup()
    assert kernel.mem.region_at(slab.kmalloc(k, size, GFP_KERNEL)).label == cache


def test_2630_cache_names() -> None:
    kernel, k = setup("2.6.30")
    p = slab.kmalloc(k, 1000, 0xD0)
    assert kernel.mem.region_at(p).label == "kmalloc-1024"


def test_overrun_past_the_request_faults() -> None:
    kernel, k = setup()
    p = slab.kmalloc(k, 10, GFP_KERNEL)
    with pytest.raises(MemoryFault) as e:
        kernel.mem.write_int(p + 10, 1, 0)
    assert e.value.kind == "slab-out-of-bounds"


def test_kmalloc_zero_is_zero_size_ptr() -> None:
    kernel, k = setup()
    assert slab.kmalloc(k, 0, GFP_KERNEL) == slab.ZERO_SIZE_PTR
    with pytest.raises(MemoryFault) as e:
        kernel.mem.read_int(slab.ZERO_SIZE_PTR, 1)
    assert e.value.kind == "null-ptr-deref"
    slab.kfree(k, slab.ZERO_SIZE_PTR)
    slab.kfree(k, 0)
    assert kernel.ledger.entries == []


def test_kfree_then_use_is_use_after_free() -> None:
    kernel, k = setup()
    p = slab.kmalloc(k, 16, GFP_KERNEL)
    slab.kfree(k, p)
    assert kernel.ledger.find("memory", p) is None
    assert kernel.ledger.entries[0].released_by == "kfree"
    with pytest.raises(MemoryFault) as e:
        kernel.mem.read_int(p, 4)
    assert e.value.kind == "slab-use-after-free"


def test_double_kfree_is_kernel_bug_on_61() -> None:
    kernel, k = setup()
    p = slab.kmalloc(k, 16, GFP_KERNEL)
    slab.kfree(k, p)
    with pytest.raises(KernelBug) as e:
        slab.kfree(k, p)
    assert (e.value.where, e.value.func) == ("mm/slub.c:419", "__kmem_cache_free")
    problems = [ev for ev in kernel.trace.events if isinstance(ev, ResourceProblem)]
    assert [p.problem for p in problems] == ["double-release"]


def test_double_kfree_is_silent_on_2630() -> None:
    kernel, k = setup("2.6.30")
    p = slab.kmalloc(k, 16, 0xD0)
    slab.kfree(k, p)
    slab.kfree(k, p)
    assert any(isinstance(ev, ResourceProblem) for ev in kernel.trace.events)


@pytest.mark.parametrize("where", ["inside", "module", "unmapped"])
def test_kfree_of_a_non_object_is_invalid_free(where: str) -> None:
    kernel, k = setup()
    p = slab.kmalloc(k, 64, GFP_KERNEL)
    addr = {"inside": p + 8, "module": kernel.buf(16),
            "unmapped": 0xFFFF888012345000}[where]
    with pytest.raises(MemoryFault) as e:
        slab.kfree(k, addr)
    assert e.value.kind == "invalid-free"


def test_kmalloc_too_big_warns_once_and_returns_null() -> None:
    kernel, k = setup()
    assert slab.kmalloc(k, 4 << 20, GFP_KERNEL) != 0       # order 10 is fine
    assert slab.kmalloc(k, (4 << 20) + 1, GFP_KERNEL) == 0
    # the site Debian's 6.1.0-56 reports (tests/reference/real/module-hugealloc.txt)
    assert k.warnings == [("mm/page_alloc.c:5634", "__alloc_pages", None)]
    assert slab.kmalloc(k, 8 << 20, GFP_KERNEL) == 0
    assert len(k.warnings) == 1                              # WARN_ON_ONCE
    assert "W" in kernel.taints


def test_kmalloc_too_big_with_nowarn_is_quiet() -> None:
    kernel, k = setup()
    assert slab.kmalloc(k, 1 << 30, GFP_KERNEL | GFP_61["__GFP_NOWARN"]) == 0
    assert k.warnings == [] and kernel.log == []


def test_kmalloc_too_big_2630_page_allocation_failure() -> None:
    kernel, k = setup("2.6.30")
    assert slab.kmalloc(k, 8 << 20, 0xD0) == 0
    assert kernel.lines()[0] == "insmod: page allocation failure. order:11, mode:0x40d0"


def test_negative_size_is_a_huge_request() -> None:
    kernel, k = setup()
    assert slab.kmalloc(k, -1, GFP_KERNEL) == 0


def test_kcalloc_overflow_and_zeroing() -> None:
    kernel, k = setup()
    assert slab.kcalloc(k, 2**62, 8, GFP_KERNEL) == 0
    assert kernel.log == []
    p = slab.kcalloc(k, 4, 8, GFP_KERNEL)
    assert kernel.mem.read_bytes(p, 32) == bytes(32)
    q = slab.kmalloc_array(k, 4, 8, GFP_KERNEL)
    assert kernel.mem.region_at(q).size == 32


def test_krealloc_moves_and_keeps_contents() -> None:
    kernel, k = setup()
    p = slab.kmalloc(k, 8, GFP_KERNEL)
    kernel.mem.write_bytes(p, b"abcdefgh")
    assert slab.krealloc(k, p, 4, GFP_KERNEL) == p          # shrinking stays
    q = slab.krealloc(k, p, 64, GFP_KERNEL)
    assert q != p and kernel.mem.read_bytes(q, 8) == b"abcdefgh"
    assert kernel.mem.region_at(p).freed
    assert kernel.ledger.find("memory", q).api == "krealloc"
    assert slab.krealloc(k, 0, 16, GFP_KERNEL) != 0          # NULL: plain kmalloc


def test_kstrdup_copies_with_terminator() -> None:
    kernel, k = setup()
    s = kernel.cstring("skull")
    d = slab.kstrdup(k, s, GFP_KERNEL)
    assert kernel.mem.region_at(d).size == 6
    assert string.strlen(k, d) == 5 and k.cstr(d) == "skull"
    assert slab.kstrdup(k, 0, GFP_KERNEL) == 0


def test_vmalloc_vfree() -> None:
    kernel, k = setup()
    p = vmalloc.vmalloc(k, 10000)
    reg = kernel.mem.region_at(p)
    assert reg.kind == "vmalloc" and p % 4096 == 0 and reg.size == 10000
    assert kernel.ledger.find("memory", p).name == "vmalloc(10000)"
    vmalloc.vfree(k, p)
    assert reg.freed and kernel.ledger.find("memory", p) is None


def test_vfree_twice_warns_nonexistent_area() -> None:
    kernel, k = setup()
    p = vmalloc.vmalloc(k, 100)
    vmalloc.vfree(k, p)
    vmalloc.vfree(k, p)
    (where, func, msg), = k.warnings
    assert func == "__vunmap"
    assert msg.startswith("Trying to vfree() nonexistent vm area (00000000")


def test_vfree_of_kmalloc_pointer_warns_and_frees_nothing() -> None:
    kernel, k = setup()
    first = slab.kmalloc(k, 100, GFP_KERNEL)          # page aligned: first in its page
    second = slab.kmalloc(k, 100, GFP_KERNEL)
    vmalloc.vfree(k, first)
    vmalloc.vfree(k, second)
    assert k.warnings[0][2].startswith("Trying to vfree() nonexistent vm area (")
    assert k.warnings[1][2].startswith("Trying to vfree() bad address (")
    assert kernel.ledger.find("memory", first) is not None    # still allocated
    assert not kernel.mem.region_at(first).freed


def test_vmalloc_beyond_ram_fails_with_warn_alloc_line() -> None:
    kernel, k = setup()
    size = 3 << 30
    assert vmalloc.vmalloc(k, size) == 0
    assert kernel.lines()[0] == (
        f"insmod: vmalloc error: size {size}, exceeds total pages, "
        "mode:0xcc0(GFP_KERNEL), nodemask=(null),cpuset=/,mems_allowed=0")
    assert kernel.lines()[1].startswith("CPU: 0 PID:")
    assert vmalloc.vzalloc(k, size) == 0
    assert "mode:0xdc0(GFP_KERNEL|__GFP_ZERO)" in kernel.lines()[3]


def test_vmalloc_beyond_ram_2630_is_silent() -> None:
    kernel, k = setup("2.6.30")
    assert vmalloc.vmalloc(k, 3 << 30) == 0
    assert kernel.log == []


def test_gfp_names() -> None:
    assert names_61(0xCC0) == "GFP_KERNEL"
    assert names_61(0xA20) == "GFP_ATOMIC"
    assert names_61(0xCC0 | 0x2000) == "GFP_KERNEL|__GFP_NOWARN"
    assert names_61(0x4000000) == "0x4000000"


def test_kvmalloc_picks_allocator_and_kvfree_follows() -> None:
    kernel, k = setup()
    small = vmalloc.kvmalloc(k, 100, GFP_KERNEL)
    big = vmalloc.kvmalloc(k, 1 << 20, GFP_KERNEL)
    assert kernel.mem.region_at(small).kind == "slab"
    assert kernel.mem.region_at(big).kind == "vmalloc"
    vmalloc.kvfree(k, small)
    vmalloc.kvfree(k, big)
    assert kernel.ledger.held_by("hi") == []


def test_fresh_objects_are_cleared_as_recorded(tmp_path: Path) -> None:
    """tests/kernel/data/real-fresh.txt: `kmodsim record --real` of
    `insmod fresh.ko; rmmod fresh` on Debian's 6.1: kmalloc() of 8 bytes to
    20000 (the page allocator's size) hands out zeroes."""
    shutil.copy(DATA / "fresh.c", tmp_path / "fresh.c")
    c = compare_file(DATA / "real-fresh.txt", folder=tmp_path)
    assert c.ok, render(c)
