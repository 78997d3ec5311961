"""vmalloc, vzalloc, vfree, kvmalloc, kvfree (mm/vmalloc.c, mm/util.c).

vmalloc areas are page-granular regions in the vmalloc range with a guard
page after each.  Their pages are handed out zeroed here (fresh pages; the
simulation does not model stale page contents).  The machine has
TOTAL_RAM_BYTES of RAM: a request for more pages than that fails the way
the profile's kernel fails it.  6.1 prints warn_alloc()'s line and a stack
dump (the "Mem-Info:" memory summary that follows on a real kernel is not
reproduced); 2.6.30 returns NULL silently.
"""
from __future__ import annotations

from kmodgui.kernel import memory, vsprintf
from kmodgui.kernel.kapi import gfp, kapi
from kmodgui.kernel.kapi import slab
from kmodgui.kernel.kapi.common import U64, dump_stack, klog, owner, switch, where
from kmodgui.kernel.services import KCall

PAGE_SIZE = 4096
TOTAL_RAM_BYTES = memory.TOTAL_RAM_BYTES          # the simulated machine: 512 MiB
TOTAL_RAM_PAGES = TOTAL_RAM_BYTES // PAGE_SIZE  # totalram_pages()

def _where(k: KCall, key: str) -> tuple[str, str]:
    return where(k, "vmalloc_" + key)


def _too_big(k: KCall, size: int, flags: int) -> bool:
    """__vmalloc_node_range(): more pages than the machine has."""
    pages = (size + PAGE_SIZE - 1) // PAGE_SIZE
    if pages <= TOTAL_RAM_PAGES:
        return False
    if switch(k, "vmalloc_warn_alloc") and not gfp.has(k, flags, "__GFP_NOWARN"):
        # warn_alloc(gfp, NULL, "vmalloc error: size %lu, exceeds total pages")
        klog(k, 4, f"{k.task.comm}: vmalloc error: size {size}, exceeds total "
                   f"pages, mode:{flags:#x}({gfp.names_61(flags)}), "
                   "nodemask=(null),cpuset=/,mems_allowed=0")
        dump_stack(k)
    return True


def vallocate(k: KCall, size: int, flags: int, api: str) -> int:
    size &= U64
    if size == 0:
        # 6.1: WARN_ON_ONCE(!size); 2.6.30 just returned NULL
        seen = k.kernel.names.setdefault("warned_once", {})
        if switch(k, "vmalloc_warn_alloc") and "vmalloc0" not in seen:
            seen["vmalloc0"] = True
            k.warn(*_where(k, "zero"))
        return 0
    if _too_big(k, size, flags) or slab.out_of_memory(k, size, flags):
        return 0
    reg = k.mem.map(size, memory.VMALLOC, owner(k), label=f"vmalloc-{size}",
                    align=PAGE_SIZE, site=k.site)
    k.kernel.ledger.acquire("memory", reg.base, f"{api}({size})", owner(k),
                            k.site, api)
    return reg.base


def vrelease(k: KCall, addr: int, api: str) -> None:
    """vfree(): WARN on an address that is not a live vmalloc area."""
    addr &= U64
    if addr == 0:
        return
    ptr = vsprintf.format(k, b"%p", [addr]).decode()
    if addr % PAGE_SIZE:
        k.warn(*_where(k, "bad"), msg=f"Trying to vfree() bad address ({ptr})")
        return
    reg = k.mem.region_at(addr)
    if reg is None or reg.base != addr or reg.kind != memory.VMALLOC or reg.freed:
        if k.kernel.ledger.find("memory", addr) is None:    # double or unknown
            k.kernel.ledger.release("memory", addr, api, k.site, owner(k))
        k.warn(*_where(k, "nonexistent"),
               msg=f"Trying to vfree() nonexistent vm area ({ptr})")
        return
    k.mem.free(reg)
    k.kernel.ledger.release("memory", addr, api, k.site, owner(k))


@kapi("vmalloc", fail="null")
def vmalloc(k: KCall, size: int) -> int:
    return vallocate(k, size, gfp.gfp_kernel(k), "vmalloc")


@kapi("vzalloc", fail="null")
def vzalloc(k: KCall, size: int) -> int:
    return vallocate(k, size, gfp.gfp_kernel(k) | gfp.table(k)["__GFP_ZERO"],
                     "vzalloc")


@kapi("vfree")
def vfree(k: KCall, addr: int) -> int:
    vrelease(k, addr, "vfree")
    return 0


@kapi("kvmalloc", fail="null", slab=True)
def kvmalloc(k: KCall, size: int, flags: int) -> int:
    """kvmalloc(): try kmalloc quietly, fall back to vmalloc for big sizes."""
    size &= U64
    if size <= slab.KMALLOC_MAX_CACHE_SIZE:
        return slab.allocate(k, size, flags, "kvmalloc")
    return vallocate(k, size, flags, "kvmalloc")


@kapi("kvzalloc", fail="null", slab=True)
def kvzalloc(k: KCall, size: int, flags: int) -> int:
    return kvmalloc(k, size, flags | gfp.table(k)["__GFP_ZERO"])


@kapi("kvfree")
def kvfree(k: KCall, addr: int) -> int:
    """kvfree(): vfree for vmalloc addresses, kfree otherwise."""
    reg = k.mem.region_at(addr & U64)
    if reg is not None and reg.kind == memory.VMALLOC:
        vrelease(k, addr, "kvfree")
    else:
        slab.release(k, addr, "kvfree")
    return 0
