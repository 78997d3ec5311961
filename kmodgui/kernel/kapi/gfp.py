"""GFP flag values and their names (include/linux/gfp_types.h, %pGg).

The values differ between the profiles, so the headers of each profile
must define GFP_KERNEL etc. with these numbers.  Only what the allocators
need is here: NOWARN and ZERO, the masks and the %pGg names.
"""
from __future__ import annotations

from kmodgui.kernel.services import KCall

#: 6.1 (include/linux/gfp_types.h)
GFP_61 = {
    "__GFP_DMA": 0x01, "__GFP_HIGHMEM": 0x02, "__GFP_DMA32": 0x04,
    "__GFP_MOVABLE": 0x08, "__GFP_RECLAIMABLE": 0x10, "__GFP_HIGH": 0x20,
    "__GFP_IO": 0x40, "__GFP_FS": 0x80, "__GFP_ZERO": 0x100,
    "__GFP_ATOMIC": 0x200, "__GFP_DIRECT_RECLAIM": 0x400,
    "__GFP_KSWAPD_RECLAIM": 0x800, "__GFP_WRITE": 0x1000,
    "__GFP_NOWARN": 0x2000, "__GFP_RETRY_MAYFAIL": 0x4000,
    "__GFP_NOFAIL": 0x8000, "__GFP_NORETRY": 0x10000,
    "__GFP_MEMALLOC": 0x20000, "__GFP_COMP": 0x40000,
    "__GFP_NOMEMALLOC": 0x80000, "__GFP_HARDWALL": 0x100000,
    "__GFP_THISNODE": 0x200000, "__GFP_ACCOUNT": 0x400000,
}
GFP_KERNEL_61 = 0xCC0

#: 2.6.30 (include/linux/gfp.h)
GFP_2630 = {
    "__GFP_DMA": 0x01, "__GFP_HIGHMEM": 0x02, "__GFP_DMA32": 0x04,
    "__GFP_MOVABLE": 0x08, "__GFP_WAIT": 0x10, "__GFP_HIGH": 0x20,
    "__GFP_IO": 0x40, "__GFP_FS": 0x80, "__GFP_COLD": 0x100,
    "__GFP_NOWARN": 0x200, "__GFP_REPEAT": 0x400, "__GFP_NOFAIL": 0x800,
    "__GFP_NORETRY": 0x1000, "__GFP_COMP": 0x4000, "__GFP_ZERO": 0x8000,
    "__GFP_NOMEMALLOC": 0x10000, "__GFP_HARDWALL": 0x20000,
    "__GFP_THISNODE": 0x40000, "__GFP_RECLAIMABLE": 0x80000,
}
GFP_KERNEL_2630 = 0xD0

# format_flags() order for %pGg (include/trace/events/mmflags.h), 6.1:
# composite names first, then single bits.
_COMPOSITES_61 = [
    ("GFP_HIGHUSER_MOVABLE", 0x100cca), ("GFP_HIGHUSER", 0x100cc2),
    ("GFP_USER", 0x100cc0), ("GFP_KERNEL_ACCOUNT", 0x400cc0),
    ("GFP_KERNEL", 0xcc0), ("GFP_NOFS", 0xc40), ("GFP_ATOMIC", 0xa20),
    ("GFP_NOIO", 0xc00), ("GFP_NOWAIT", 0x800),
]
_SINGLES_61 = [
    "__GFP_DMA", "__GFP_HIGHMEM", "__GFP_DMA32", "__GFP_HIGH", "__GFP_ATOMIC",
    "__GFP_IO", "__GFP_FS", "__GFP_NOWARN", "__GFP_RETRY_MAYFAIL",
    "__GFP_NOFAIL", "__GFP_NORETRY", "__GFP_COMP", "__GFP_ZERO",
    "__GFP_NOMEMALLOC", "__GFP_MEMALLOC", "__GFP_HARDWALL", "__GFP_THISNODE",
    "__GFP_RECLAIMABLE", "__GFP_MOVABLE", "__GFP_ACCOUNT", "__GFP_WRITE",
    "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM",
]


def table(k: KCall) -> dict[str, int]:
    return GFP_61 if k.kernel.profile.kernel["switches"]["gfp_direct_reclaim"] else GFP_2630


def has(k: KCall, flags: int, name: str) -> bool:
    return bool(flags & table(k)[name])


def gfp_kernel(k: KCall) -> int:
    return (GFP_KERNEL_61 if k.kernel.profile.kernel["switches"]["gfp_direct_reclaim"]
            else GFP_KERNEL_2630)


def names_61(flags: int) -> str:
    """%pGg: "GFP_KERNEL|__GFP_ZERO"; leftover bits as hex."""
    parts = []
    for name, mask in _COMPOSITES_61:
        if flags & mask == mask:
            parts.append(name)
            flags &= ~mask
    for name in _SINGLES_61:
        mask = GFP_61[name]
        if flags & mask:
            parts.append(name)
            flags &= ~mask
    if flags:
        parts.append(f"{flags:#x}")
    return "|".join(parts)
