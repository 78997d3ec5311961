/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/gfp.h>: "get free pages" flags, the second argument of kmalloc().
 *
 * GFP_KERNEL may sleep to reclaim memory (process context, e.g. init and
 * exit routines); GFP_ATOMIC never sleeps (interrupt context, spinlocks).
 * The bit values are ABI-internal and changed over time: 6.1 and 2.6.30
 * differ, so kmalloc's trace shows the profile's real numbers
 * (6.1: GFP_KERNEL = 0xcc0, 2.6.30: GFP_KERNEL = 0xd0).
 */
#ifndef __LINUX_GFP_H
#define __LINUX_GFP_H

#include <linux/types.h>

/*
 * Only the two profiles matter: the first branch has 6.1's values, the
 * second 2.6.30's (the bits moved several times in between).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 0, 0)

/* 6.1 (include/linux/gfp_types.h) */
#define __GFP_DMA		0x01u
#define __GFP_HIGHMEM		0x02u
#define __GFP_DMA32		0x04u
#define __GFP_MOVABLE		0x08u
#define __GFP_RECLAIMABLE	0x10u
#define __GFP_HIGH		0x20u
#define __GFP_IO		0x40u
#define __GFP_FS		0x80u
#define __GFP_ZERO		0x100u
#define __GFP_ATOMIC		0x200u
#define __GFP_DIRECT_RECLAIM	0x400u
#define __GFP_KSWAPD_RECLAIM	0x800u
#define __GFP_WRITE		0x1000u
#define __GFP_NOWARN		0x2000u
#define __GFP_RETRY_MAYFAIL	0x4000u
#define __GFP_NOFAIL		0x8000u
#define __GFP_NORETRY		0x10000u
#define __GFP_MEMALLOC		0x20000u
#define __GFP_COMP		0x40000u
#define __GFP_NOMEMALLOC	0x80000u
#define __GFP_HARDWALL		0x100000u
#define __GFP_THISNODE		0x200000u
#define __GFP_ACCOUNT		0x400000u

#define __GFP_RECLAIM (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

#define GFP_ATOMIC	(__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT	(__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO	(__GFP_RECLAIM)
#define GFP_NOFS	(__GFP_RECLAIM | __GFP_IO)
#define GFP_USER	(__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA		__GFP_DMA
#define GFP_DMA32	__GFP_DMA32
#define GFP_HIGHUSER	(GFP_USER | __GFP_HIGHMEM)

#else

/* 2.6.30 (include/linux/gfp.h) */
#define __GFP_DMA		0x01u
#define __GFP_HIGHMEM		0x02u
#define __GFP_DMA32		0x04u
#define __GFP_MOVABLE		0x08u
#define __GFP_WAIT		0x10u	/* Can wait and reschedule? */
#define __GFP_HIGH		0x20u	/* Should access emergency pools? */
#define __GFP_IO		0x40u	/* Can start physical IO? */
#define __GFP_FS		0x80u	/* Can call down to low-level FS? */
#define __GFP_COLD		0x100u
#define __GFP_NOWARN		0x200u	/* Suppress page allocation failure warning */
#define __GFP_REPEAT		0x400u
#define __GFP_NOFAIL		0x800u
#define __GFP_NORETRY		0x1000u
#define __GFP_COMP		0x4000u
#define __GFP_ZERO		0x8000u
#define __GFP_NOMEMALLOC	0x10000u
#define __GFP_HARDWALL		0x20000u
#define __GFP_THISNODE		0x40000u
#define __GFP_RECLAIMABLE	0x80000u

#define GFP_NOWAIT	(GFP_ATOMIC & ~__GFP_HIGH)
#define GFP_ATOMIC	(__GFP_HIGH)
#define GFP_NOIO	(__GFP_WAIT)
#define GFP_NOFS	(__GFP_WAIT | __GFP_IO)
#define GFP_KERNEL	(__GFP_WAIT | __GFP_IO | __GFP_FS)
#define GFP_USER	(__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_HIGHUSER	(GFP_USER | __GFP_HIGHMEM)
#define GFP_DMA		__GFP_DMA
#define GFP_DMA32	__GFP_DMA32

#endif

#endif /* __LINUX_GFP_H */
