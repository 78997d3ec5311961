"""kmalloc and friends (mm/slab_common.c, mm/slub.c, mm/util.c).

Objects are regions of exactly the requested size (so an overrun past
the request is caught, as KASAN would), labelled with the SLUB cache
they come from.  A freed object stays mapped, marked freed, so a later
access is a use-after-free.

Choices (documented, deterministic):
  * A fresh object on 6.1 is cleared: Debian builds it with
    CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y, so slab_post_alloc_hook() zeroes
    every object slab_want_init_on_alloc() allows (all but a cache with a
    constructor), and the page allocator's post_alloc_hook() the pages of
    a large kmalloc.  2.6.30 had no init_on_alloc: the object holds
    whatever its previous owner left; here it is filled with 0x5a
    (POISON_INUSE), so code that forgets to initialise sees junk, and a
    string left unterminated runs off the end.
  * kmalloc(0) returns ZERO_SIZE_PTR (16): dereferencing it is a NULL-page
    fault; kfree(ZERO_SIZE_PTR) is a no-op.
  * Above KMALLOC_MAX_SIZE (4 MiB, order 10) the page allocator refuses:
    6.1 WARN_ON_ONCE_GFP(order >= MAX_ORDER) in __alloc_pages (silenced by
    __GFP_NOWARN) and NULL; 2.6.30 prints the "page allocation failure"
    line and a stack dump.
  * Double kfree: 6.1 (Debian, no KASAN) hits `kernel BUG at
    mm/slub.c:419!` in __kmem_cache_free (freelist hardening sees the
    object freed twice): raised as KernelBug.  2.6.30 SLUB had no such
    check: the free "succeeds" (the ledger still records the double
    release) and the freelist is silently corrupted.
  * kfree of a pointer that is not the start of a live slab object
    (a stack, module or vmalloc address, or the middle of an object)
    raises MemoryFault("invalid-free"); the CPU reports it.
  * The machine has vmalloc.TOTAL_RAM_BYTES of RAM.  A request that would
    not fit fails as the page allocator fails it: warn_alloc()'s "page
    allocation failure" line and a stack dump (unless __GFP_NOWARN), then
    NULL.  The OOM killer is not simulated: on a real kernel it is not
    invoked for orders above PAGE_ALLOC_COSTLY_ORDER (3), which is what a
    runaway allocation loop of large objects meets; small objects on a
    real machine would wake it first.
"""
from __future__ import annotations

from kmodgui.kernel import memory
from kmodgui.kernel.kapi import gfp, kapi
from kmodgui.kernel.might_sleep import MIGHT_ALLOC, might_sleep
from kmodgui.kernel.kapi.bug import KernelBug
from kmodgui.kernel.kapi.common import (switch, U64, dump_stack, klog, owner,
                                        warn_once, where)
from kmodgui.kernel.memory import MemoryFault
from kmodgui.kernel.services import KCall

ZERO_SIZE_PTR = 16
KMALLOC_MAX_CACHE_SIZE = 8192          # 2 pages: bigger goes to the page allocator
MAX_ORDER = 11                         # orders 0..10 exist
KMALLOC_MAX_SIZE = 4096 << (MAX_ORDER - 1)   # 4 MiB
POISON_INUSE = 0x5A
_BUCKETS = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192]


def bucket(size: int) -> int:
    """kmalloc_index(): the size of the cache an allocation comes from."""
    return next(b for b in _BUCKETS if size <= b)


def cache_name(k: KCall, size: int) -> str:
    """"kmalloc-1k" in 6.1, "kmalloc-1024" in 2.6.30."""
    b = bucket(size)
    if b >= 1024 and switch(k, "kmalloc_short_names"):
        return f"kmalloc-{b // 1024}k"
    return f"kmalloc-{b}"


def get_order(size: int) -> int:
    order, pages = 0, (size + 4095) // 4096
    while (1 << order) < pages:
        order += 1
    return order


def _large_refused(k: KCall, size: int, flags: int) -> bool:
    """The page allocator's answer to an order >= MAX_ORDER request."""
    if size <= KMALLOC_MAX_SIZE:
        return False
    if switch(k, "slab_large_failure_warn"):
        if not gfp.has(k, flags, "__GFP_NOWARN"):
            mode = flags | gfp.table(k)["__GFP_COMP"]
            klog(k, 4, f"{k.task.comm}: page allocation failure. "
                       f"order:{get_order(size)}, mode:{mode:#x}")
            dump_stack(k)
    elif not gfp.has(k, flags, "__GFP_NOWARN"):
        warn_once(k, "alloc_pages")
    return True


def out_of_memory(k: KCall, size: int, flags: int) -> bool:
    """__alloc_pages_slowpath() giving up: no free pages left for `size`."""
    if k.mem.ram_used + memory.ram_charge(size, memory.SLAB) <= memory.TOTAL_RAM_BYTES:
        return False
    if not gfp.has(k, flags, "__GFP_NOWARN"):
        order = get_order(size)
        mode = flags | gfp.table(k)["__GFP_COMP"] if size > KMALLOC_MAX_CACHE_SIZE else flags
        if not switch(k, "warn_alloc_nodemask"):
            klog(k, 4, f"{k.task.comm}: page allocation failure. order:{order}, mode:{mode:#x}")
        else:
            # warn_alloc(gfp_mask, ac->nodemask, "page allocation failure: order:%u", order)
            klog(k, 4, f"{k.task.comm}: page allocation failure: order:{order}, "
                       f"mode:{mode:#x}({gfp.names_61(mode)}), "
                       "nodemask=(null),cpuset=/,mems_allowed=0")
        dump_stack(k)
    return True


def _init_on_alloc(k: KCall, ctor: bool) -> bool:
    """slab_want_init_on_alloc() in mm/slab.h: with init_on_alloc every
    object is cleared, except those of a cache with a constructor."""
    return bool(switch(k, "init_on_alloc")) and not ctor


def _may_block(k: KCall, flags: int) -> bool:
    """gfpflags_allow_blocking(): __GFP_DIRECT_RECLAIM (__GFP_WAIT before 4.4)."""
    bit = "__GFP_DIRECT_RECLAIM" if "__GFP_DIRECT_RECLAIM" in gfp.table(k) else "__GFP_WAIT"
    return bit in gfp.table(k) and gfp.has(k, flags, bit)


def allocate(k: KCall, size: int, flags: int, api: str, zero: bool = False,
             name: str | None = None, cache: str | None = None, ctor: bool = False) -> int:
    """The common path of every slab allocation; returns the address or 0.
    `cache`: the kmem_cache it comes from (else the kmalloc-N cache);
    `ctor`: that cache has a constructor."""
    size &= U64
    if _may_block(k, flags):           # slab_pre_alloc_hook(): might_alloc()
        might_sleep(k, MIGHT_ALLOC, ("__kmem_cache_alloc_node+0x2e9/0x3e0",
                                     "kmalloc_trace+0x26/0x90"))
    if size == 0:
        return ZERO_SIZE_PTR
    if _large_refused(k, size, flags) or out_of_memory(k, size, flags):
        return 0
    label = cache or (cache_name(k, size) if size <= KMALLOC_MAX_CACHE_SIZE
                      else "kmalloc-large")
    reg = k.mem.map(size, memory.SLAB, owner(k), label=label, site=k.site)
    if not (zero or gfp.has(k, flags, "__GFP_ZERO") or _init_on_alloc(k, ctor)):
        reg.data[:] = bytes([POISON_INUSE]) * size
    k.kernel.ledger.acquire("memory", reg.base, name or f"{api}({size})",
                            owner(k), k.site, api)
    return reg.base


def release(k: KCall, ptr: int, api: str) -> None:
    """kfree(): checks, then mark the object freed and close its ledger entry."""
    ptr &= U64
    if ptr <= ZERO_SIZE_PTR:                       # ZERO_OR_NULL_PTR()
        return
    reg = k.mem.region_at(ptr)
    if reg is None or reg.base != ptr or reg.kind != memory.SLAB:
        raise MemoryFault("invalid-free", ptr, 0, True, reg)
    if reg.freed:
        k.kernel.ledger.release("memory", ptr, api, k.site, owner(k))
        if switch(k, "slab_double_free_bug"):
            raise KernelBug(*where(k, "double_free"))
        return
    k.mem.free(reg)
    k.kernel.ledger.release("memory", ptr, api, k.site, owner(k))


def object_size(k: KCall, ptr: int) -> int:
    """The requested size of a live object (0 for NULL/ZERO_SIZE_PTR)."""
    if ptr <= ZERO_SIZE_PTR:
        return 0
    reg = k.mem.region_at(ptr)
    if reg is None or reg.base != ptr or reg.kind != memory.SLAB:
        raise MemoryFault("invalid-free", ptr, 0, False, reg)
    if reg.freed:
        raise MemoryFault("slab-use-after-free", ptr, 1, False, reg)
    return reg.size


@kapi("kmalloc", fail="null", slab=True)
def kmalloc(k: KCall, size: int, flags: int) -> int:
    return allocate(k, size, flags, "kmalloc")


@kapi("__kmalloc", fail="null", slab=True)
def __kmalloc(k: KCall, size: int, flags: int) -> int:
    return allocate(k, size, flags, "kmalloc")


@kapi("kzalloc", fail="null", slab=True)
def kzalloc(k: KCall, size: int, flags: int) -> int:
    return allocate(k, size, flags, "kzalloc", zero=True)


def _array(k: KCall, n: int, size: int, flags: int, api: str, zero: bool) -> int:
    """kmalloc_array(): NULL when n * size overflows size_t."""
    n &= U64
    size &= U64
    if size and n > U64 // size:
        return 0
    return allocate(k, n * size, flags, api, zero=zero)


@kapi("kmalloc_array", fail="null", slab=True)
def kmalloc_array(k: KCall, n: int, size: int, flags: int) -> int:
    return _array(k, n, size, flags, "kmalloc_array", False)


@kapi("kcalloc", fail="null", slab=True)
def kcalloc(k: KCall, n: int, size: int, flags: int) -> int:
    return _array(k, n, size, flags, "kcalloc", True)


@kapi("krealloc", fail="null", slab=True)
def krealloc(k: KCall, ptr: int, new_size: int, flags: int) -> int:
    """krealloc(): grow in place if the cache object is big enough, else move."""
    new_size &= U64
    if new_size == 0:
        release(k, ptr, "krealloc")
        return ZERO_SIZE_PTR
    old = object_size(k, ptr)
    if old and new_size <= old:
        return ptr
    new = allocate(k, new_size, flags, "krealloc")
    if new and old:
        k.mem.write_bytes(new, k.mem.read_bytes(ptr, old))
        release(k, ptr, "krealloc")
    return new


@kapi("kfree")
def kfree(k: KCall, ptr: int) -> int:
    release(k, ptr, "kfree")
    return 0


@kapi("kfree_sensitive")
def kfree_sensitive(k: KCall, ptr: int) -> int:
    """kfree_sensitive(): zero the object, then kfree it."""
    size = object_size(k, ptr & U64)
    if size:
        k.mem.fill(ptr, 0, size)
    release(k, ptr, "kfree_sensitive")
    return 0


@kapi("ksize")
def ksize(k: KCall, ptr: int) -> int:
    """ksize(): the usable size, i.e. the cache's object size."""
    size = object_size(k, ptr & U64)
    return bucket(size) if 0 < size <= KMALLOC_MAX_CACHE_SIZE else \
        (4096 << get_order(size) if size else 0)


@kapi("kstrdup", fail="null", slab=True)
def kstrdup(k: KCall, s: int, flags: int) -> int:
    """kstrdup(): NULL in, NULL out; copies the terminator too."""
    if s == 0:
        return 0
    text = k.mem.read_cstring(s) + b"\0"
    new = allocate(k, len(text), flags, "kstrdup", zero=True)
    if new:
        k.mem.write_bytes(new, text)
    return new


@kapi("kmemdup", fail="null", slab=True)
def kmemdup(k: KCall, src: int, length: int, flags: int) -> int:
    data = k.mem.read_bytes(src, length)
    new = allocate(k, length, flags, "kmemdup", zero=True)
    if new and new != ZERO_SIZE_PTR:
        k.mem.write_bytes(new, data)
    return new
