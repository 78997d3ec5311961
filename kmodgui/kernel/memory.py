"""The simulated kernel address space: byte-addressed regions, x86_64 layout.

Every object a module can point at lives in a Region: module sections
(.text/.data/.rodata/.init.*), kmalloc'd slab objects, vmalloc areas,
kernel stacks, and kernel-owned objects handed out by kapi.  Pointers are
plain integers, so casts, pointer arithmetic, memcpy and memset behave as
in C.  Every access is checked the way KASAN (mm/kasan/) and the x86 page
fault handler (arch/x86/mm/fault.c) would: NULL page, unmapped address,
out of bounds, use after free.  A violation raises MemoryFault; the CPU
turns it into the kernel's report.
"""
from __future__ import annotations

import bisect
import collections
from dataclasses import dataclass, field
from typing import Callable, TypeVar, cast

PAGE_SIZE = 4096
#: the simulated machine's RAM
TOTAL_RAM_BYTES = 512 << 20
#: freed objects kept poisoned before their address is forgotten
QUARANTINE_OBJECTS = 4096
#: the least a slab object counts against the RAM.  A real kmalloc-8
#: object costs 8 bytes; keeping one costs the host a few hundred (its
#: Region, its ledger entry), so each counts that much and the simulated
#: RAM, not the host's, runs out first: at most 1 Mi objects are held
MIN_OBJECT_CHARGE = 512
#: distinct labels and sites the allocator shares between its objects
SHARED_VALUES = 4096
_T = TypeVar("_T")

# x86_64 virtual memory map (Documentation/x86/x86_64/mm.rst), simplified.
KERNEL_TEXT_BASE = 0xFFFFFFFF81000000   # kernel functions (kapi "addresses")
MODULES_VADDR = 0xFFFFFFFFC0000000      # module sections
DIRECT_MAP_BASE = 0xFFFF888000000000    # kmalloc / slab objects
VMALLOC_BASE = 0xFFFFC90000000000       # vmalloc areas and kernel stacks
KERNEL_OBJ_BASE = 0xFFFF888100000000    # objects the kernel itself allocates

# Kinds of region.
SLAB, VMALLOC, STACK, MODULE, KOBJ, RODATA = (
    "slab", "vmalloc", "stack", "module", "kobj", "rodata")


def ram_charge(size: int, kind: str) -> int:
    """What an object of `size` bytes counts against the machine's RAM."""
    if kind == SLAB:
        return max(size, MIN_OBJECT_CHARGE)
    return size if kind == VMALLOC else 0


class MemoryFault(Exception):
    """An access the real kernel would oops or KASAN-report on.

    kind: null-ptr-deref | page-fault | slab-out-of-bounds |
          global-out-of-bounds | stack-out-of-bounds | vmalloc-out-of-bounds |
          use-after-free | slab-use-after-free | double-free | invalid-free
    """

    def __init__(self, kind: str, addr: int, size: int, write: bool,
                 region: "Region | None" = None, fetch: bool = False):
        super().__init__(f"{kind} at {addr:#x} size {size}")
        self.kind = kind
        self.addr = addr
        self.size = size
        self.write = write
        self.region = region
        self.fetch = fetch
        #: the kernel functions running when it faulted, innermost first
        #: (the first is RIP), when the access was the kernel's own
        self.kernel_frames: tuple[str, ...] = ()


@dataclass(eq=False, slots=True)
class Region:
    base: int
    size: int
    kind: str
    owner: str            # module name, or "kernel"
    label: str = ""       # e.g. "kmalloc-64", "hi .data", "stack of insmod"
    data: bytearray = field(default_factory=bytearray)
    freed: bool = False
    readonly: bool = False
    site: object = None   # events.Site of the allocation, if a module made it

    @property
    def end(self) -> int:
        return self.base + self.size


class Memory:
    """All regions, sorted by base; O(log n) lookup with a one-entry cache."""

    def __init__(self) -> None:
        self._bases: list[int] = []
        self._regions: list[Region] = []
        self._last: Region | None = None
        self._next = {SLAB: DIRECT_MAP_BASE, VMALLOC: VMALLOC_BASE,
                      STACK: VMALLOC_BASE + 0x10000000000,
                      MODULE: MODULES_VADDR, KOBJ: KERNEL_OBJ_BASE,
                      RODATA: KERNEL_TEXT_BASE + 0x1000000}
        #: function pointer targets: address -> callable descriptor
        self.functions: dict[int, object] = {}
        self._next_text = KERNEL_TEXT_BASE
        #: when set, out-of-bounds and use-after-free accesses are reported
        #: through it (KASAN, kasan.fault=report) and the access is dropped
        #: instead of raising; NULL and wild pointers always raise.
        self.kasan_report: Callable[[MemoryFault], None] | None = None
        #: bytes of RAM held by live kmalloc/vmalloc objects (the machine's
        #: RAM is finite: the allocators refuse what would not fit)
        self.ram_used = 0
        #: freed objects stay mapped (a later access is a use-after-free)
        #: until this many newer frees push them out, as KASAN's quarantine
        #: does; their bytes are dropped at once
        self._quarantine: collections.deque[Region] = collections.deque()
        self._shared: dict[object, object] = {}     # see _share

    # -- allocation -------------------------------------------------------
    def map(self, size: int, kind: str, owner: str, label: str = "",
            align: int = 16, site: object = None) -> Region:
        """Create a region of `size` zero bytes (kmalloc/vmalloc/module_alloc)."""
        base = self._next[kind]
        base = (base + align - 1) & ~(align - 1)
        # leave a redzone gap after each object so overruns hit no neighbour
        step = max(size, 1)
        if kind in (VMALLOC, STACK, MODULE):
            step = (step + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)
            self._next[kind] = base + step + PAGE_SIZE
        else:
            self._next[kind] = base + step + 64
        reg = Region(base, size, kind, owner, self._share(label), bytearray(size),
                     site=self._share(site))
        self.ram_used += ram_charge(size, kind)
        i = bisect.bisect(self._bases, base)
        self._bases.insert(i, base)
        self._regions.insert(i, reg)
        return reg

    def _share(self, value: _T) -> _T:
        """One object for equal labels and sites: a leaked object costs the
        host its Region and its bytes, not copies of the same strings."""
        if value is None:
            return value
        if len(self._shared) >= SHARED_VALUES:
            self._shared.clear()
        return cast(_T, self._shared.setdefault(value, value))

    def free(self, reg: Region) -> None:
        """kfree()/vfree() of a live object: its RAM goes back, its address
        stays poisoned while it sits in the quarantine."""
        if reg.freed:
            return
        reg.freed = True
        self.ram_used -= ram_charge(reg.size, reg.kind)
        reg.data = bytearray()
        self._quarantine.append(reg)
        if len(self._quarantine) > QUARANTINE_OBJECTS:
            old = self._quarantine.popleft()
            if old.freed:
                self.unmap(old)

    def unmap(self, reg: Region) -> None:
        """Forget a region entirely (freed module memory, popped stacks)."""
        i = bisect.bisect_left(self._bases, reg.base)
        if i < len(self._regions) and self._regions[i] is reg:
            del self._bases[i]
            del self._regions[i]
        if self._last is reg:
            self._last = None

    def text_address(self, target: object) -> int:
        """Give a function (kernel or module) an address for pointers."""
        addr = self._next_text
        self._next_text += 0x40
        self.functions[addr] = target
        return addr

    # -- lookup -----------------------------------------------------------
    def region_at(self, addr: int) -> Region | None:
        i = bisect.bisect(self._bases, addr) - 1
        if i >= 0:
            reg = self._regions[i]
            if addr < reg.base + max(reg.size, 1) + 32:
                return reg
        return None

    def _find(self, addr: int, size: int, write: bool) -> tuple[Region, int]:
        reg = self._last
        if reg is not None and reg.base <= addr and addr + size <= reg.base + reg.size \
                and not reg.freed:
            if write and reg.readonly:
                raise MemoryFault("page-fault", addr, size, write, reg)
            return reg, addr - reg.base
        return self._find_slow(addr, size, write)

    def _find_slow(self, addr: int, size: int, write: bool) -> tuple[Region, int]:
        if 0 <= addr < PAGE_SIZE:
            raise MemoryFault("null-ptr-deref", addr, size, write)
        reg = self.region_at(addr)
        if reg is None:
            raise MemoryFault("page-fault", addr, size, write)
        if reg.freed:
            kind = "slab-use-after-free" if reg.kind == SLAB else "use-after-free"
            return self._bad(MemoryFault(kind, addr, size, write, reg))
        if addr + size > reg.base + reg.size or addr < reg.base:
            kind = {SLAB: "slab-out-of-bounds", VMALLOC: "vmalloc-out-of-bounds",
                    STACK: "stack-out-of-bounds"}.get(reg.kind, "global-out-of-bounds")
            return self._bad(MemoryFault(kind, addr, size, write, reg))
        if write and reg.readonly:
            raise MemoryFault("page-fault", addr, size, write, reg)
        self._last = reg
        return reg, addr - reg.base

    def _bad(self, fault: MemoryFault) -> tuple[Region, int]:
        if self.kasan_report is None:
            raise fault
        self.kasan_report(fault)
        # the access goes to a scratch object: reads see zeroes
        return Region(0, fault.size, "scratch", "kernel", data=bytearray(fault.size)), 0

    # -- access -----------------------------------------------------------
    def read_int(self, addr: int, size: int, signed: bool = False) -> int:
        reg, off = self._find(addr, size, False)
        return int.from_bytes(reg.data[off:off + size], "little", signed=signed)

    def write_int(self, addr: int, size: int, value: int) -> None:
        reg, off = self._find(addr, size, True)
        reg.data[off:off + size] = (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little")

    def read_bytes(self, addr: int, n: int) -> bytes:
        if n == 0:
            return b""
        reg, off = self._find(addr, n, False)
        return bytes(reg.data[off:off + n])

    def write_bytes(self, addr: int, data: bytes) -> None:
        if not data:
            return
        reg, off = self._find(addr, len(data), True)
        reg.data[off:off + len(data)] = data

    def fill(self, addr: int, byte: int, n: int) -> None:
        if n:
            reg, off = self._find(addr, n, True)
            reg.data[off:off + n] = bytes([byte & 0xFF]) * n

    def read_cstring(self, addr: int, limit: int = 1 << 16) -> bytes:
        """Bytes up to (not including) the NUL, checked like strlen()."""
        reg, off = self._find(addr, 1, False)
        end = reg.data.find(b"\0", off, reg.size)
        if end < 0:
            # ran off the end of the object without a terminator
            self._bad(MemoryFault(
                {SLAB: "slab-out-of-bounds"}.get(reg.kind, "global-out-of-bounds"),
                reg.base + reg.size, 1, False, reg))
            end = reg.size
        return bytes(reg.data[off:min(end, off + limit)])

    def live_regions(self, kind: str | None = None, owner: str | None = None) -> list[Region]:
        return [r for r in self._regions if not r.freed
                and (kind is None or r.kind == kind)
                and (owner is None or r.owner == owner)]
