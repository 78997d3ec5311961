/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/vmalloc.h>: virtually contiguous allocations (mm/vmalloc.c),
 * page-granular, for buffers too big for kmalloc().  May sleep.
 */
#ifndef _LINUX_VMALLOC_H
#define _LINUX_VMALLOC_H

#include <linux/types.h>

void *vmalloc(unsigned long size);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 37)
void *vzalloc(unsigned long size);
#endif
void vfree(const void *addr);

#endif /* _LINUX_VMALLOC_H */
