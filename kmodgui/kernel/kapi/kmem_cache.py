"""Slab caches of one object size (mm/slab_common.c kmem_cache_create(),
mm/slub.c): a module's own cache, its objects allocated and freed one by one.

kmem_cache_create() returns the cache (NULL on failure); its objects are
slab objects labelled with the cache's name, so Resources, kmemleak and
the use-after-free checks treat them as kmalloc memory.

SLUB merges a new cache into an existing one of the same rounded size
(find_mergeable(): no constructor, no debug flags): the words are ALIGNed
to 8 bytes, or with SLAB_HWCACHE_ALIGN to the smallest power of two from
the cache line down that still holds the object (calculate_alignment()).
Merged into a kmalloc-N cache, kmem_cache_size() says N and
kmem_cache_destroy() only drops the alias, whatever is still allocated
(as recorded on the real 6.1 machine).  A cache of its own (a
constructor, or no kmalloc size to merge with) runs the constructor on
each object the first time it is handed out, and warns when destroyed
with objects left.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kmodgui.kernel import panic, vsprintf
from kmodgui.kernel.kapi import gfp, kapi
from kmodgui.kernel.kapi.common import (call_module, free_object, kernel_object,
                                        klog, owner, registry)
from kmodgui.kernel.kapi.slab import allocate, release
from kmodgui.kernel.memory import MemoryFault
from kmodgui.kernel.services import KCall

KMEM_CACHE_SIZE = 232      # sizeof(struct kmem_cache), SLUB on 6.1 x86_64


KMALLOC_SIZES = (8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192)
CACHE_LINE = 64
SLAB_HWCACHE_ALIGN = 0x00002000
#: flags that keep a cache from being merged (SLAB_NEVER_MERGE and friends)
SLAB_NEVER_MERGE = 0x00000400 | 0x00000800 | 0x00010000 | 0x00200000 | 0x00080000


@dataclass
class Cache:
    addr: int
    name: str
    size: int              # s->object_size as kmem_cache_size() reports it
    ctor: int
    merged: bool = False   # an alias of a kmalloc-N cache
    stride: int = 8        # the slot size in its slabs (s->size)
    objects: dict[int, int] = field(default_factory=dict)   # object -> slot
    slots: int = 0         # slots handed out so far


def _slot_size(size: int, align: int, flags: int) -> int:
    """calculate_alignment() and ALIGN(): the size of one object's slot."""
    ralign = max(align, 8)
    if flags & SLAB_HWCACHE_ALIGN:
        hw = CACHE_LINE
        while size <= hw // 2:
            hw //= 2
        ralign = max(ralign, hw)
    return (size + ralign - 1) // ralign * ralign


def _merged_size(stride: int, flags: int, ctor: int) -> int | None:
    """The kmalloc cache size a new cache merges into, if any."""
    if ctor or flags & SLAB_NEVER_MERGE:
        return None
    return stride if stride in KMALLOC_SIZES else None


def caches(k: KCall) -> dict[int, Cache]:
    return registry(k, "kmem_cache")


def _cache(k: KCall, addr: int) -> Cache:
    c = caches(k).get(addr)
    if c is None:
        k.mem.read_int(addr, 8)        # a destroyed cache's memory faults here
        # readable memory that is no cache: SLUB follows its garbage
        raise MemoryFault("page-fault", addr + 0x18, 8, False)
    return c


@kapi("kmem_cache_create", fail="null", slab=True)
def kmem_cache_create(k: KCall, name: int, size: int, align: int, flags: int, ctor: int) -> int:
    cname = k.cstr(name)
    size &= 0xFFFFFFFF
    stride = _slot_size(size, align & 0xFFFFFFFF, flags & 0xFFFFFFFF)
    merged = _merged_size(stride, flags & 0xFFFFFFFF, ctor)
    addr = kernel_object(k, "kmem_cache", KMEM_CACHE_SIZE, f"kmem_cache {cname}").base
    caches(k)[addr] = Cache(addr, cname, merged or size, ctor, merged is not None, stride)
    k.kernel.ledger.acquire("kmem_cache", addr, f'kmem_cache "{cname}"', owner(k), k.site,
                            "kmem_cache_create")
    return addr


@kapi("kmem_cache_size")
def kmem_cache_size(k: KCall, cache: int) -> int:
    """The object size the cache was created with (s->object_size)."""
    return _cache(k, cache).size


def _alloc(k: KCall, cache: int, flags: int, api: str) -> int:
    """slab_alloc(): the constructor ran when the object was first handed
    out; __GFP_ZERO clears it (kmem_cache_zalloc()) unless the cache has a
    constructor: with init_on_alloc (Debian's INIT_ON_ALLOC_DEFAULT_ON)
    slab_want_init_on_alloc() leaves such objects as the ctor made them."""
    c = _cache(k, cache)
    zero = gfp.has(k, flags, "__GFP_ZERO") and not c.ctor
    obj = allocate(k, c.size, flags, api, zero=zero, name=f"{c.name} object", cache=c.name,
                   ctor=bool(c.ctor))
    if obj:
        c.objects[obj] = c.slots
        c.slots += 1
        if c.ctor:
            call_module(k, c.ctor, obj)
    return obj


@kapi("kmem_cache_alloc", fail="null", slab=True)
def kmem_cache_alloc(k: KCall, cache: int, flags: int) -> int:
    return _alloc(k, cache, flags, "kmem_cache_alloc")


@kapi("kmem_cache_free")
def kmem_cache_free(k: KCall, cache: int, obj: int) -> int:
    c = caches(k).get(cache)
    if c is not None:
        c.objects.pop(obj, None)
    release(k, obj, "kmem_cache_free")
    return 0


@kapi("kmem_cache_destroy")
def kmem_cache_destroy(k: KCall, cache: int) -> int:
    """NULL is ignored; a cache with objects left is kept, with the warning."""
    if cache == 0:
        return 0
    c = _cache(k, cache)
    if c.objects and not c.merged:
        _objects_remaining(k, c)
        panic.warn(k.kernel, k.task, "mm/slab_common.c:493", "kmem_cache_destroy",
                   k.module.name if k.module else None,
                   msg=f"kmem_cache_destroy {c.name}: Slab cache still has objects "
                       f"when called from {panic.sym(k.kernel, k.task)}",
                   off=0x141, size=0x150)
        return 0
    del caches(k)[cache]
    free_object(k, cache)
    k.kernel.ledger.release("kmem_cache", cache, "kmem_cache_destroy", k.site, owner(k))
    return 0


SLAB_FLAGS = "0xfffffc0000200(slab|node=0|zone=1|lastcpupid=0x1fffff)"


def _objects_remaining(k: KCall, c: Cache) -> None:
    """mm/slub.c list_slab_objects() on __kmem_cache_shutdown(): slab_err()
    (slab_bug() banner, print_slab_info(), dump_stack(), taint B), then one
    line per object still allocated.  The offsets are the slots in the
    order they were handed out (the real freelist is randomised)."""
    bar, rule = "=" * 77, "-" * 77
    klog(k, 3, bar)
    klog(k, 3, f"BUG {c.name} ({panic.tainted_str(k.kernel)}): Objects remaining in "
               f"{c.name} on __kmem_cache_shutdown()")
    klog(k, 3, rule)
    klog(k, 3, "")
    ptr = vsprintf.format(k, b"%p", [c.addr]).decode()
    klog(k, 3, f"Slab 0x{ptr} objects={4096 // c.stride} used={len(c.objects)} "
               f"fp=0x{ptr} flags={SLAB_FLAGS}")
    panic.dump_stack(k.kernel, k.task,
                     ["dump_stack_lvl+0x44/0x5c", "slab_err+0xae/0xe7",
                      "__kmem_cache_shutdown.cold+0x34/0xe9", "kmem_cache_destroy+0x51/0x150",
                      panic.sym(k.kernel, k.task)] + panic.syscall_tail(k.task))
    k.kernel.add_taint("B")
    for obj, slot in sorted(c.objects.items(), key=lambda kv: kv[1]):
        p = vsprintf.format(k, b"%p", [obj]).decode()
        klog(k, 3, f"Object 0x{p} @offset={slot * c.stride}")
