/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/slab.h>: kmalloc() and friends (mm/slab_common.c, mm/slub.c).
 *
 * Small objects come from the kmalloc-8 ... kmalloc-8k caches; the
 * contents of kmalloc() memory are whatever was there before (use
 * kzalloc() for zeroes).  Every kmalloc() needs exactly one kfree():
 * forgetting it is a leak that outlives the module, doing it twice
 * corrupts the allocator ("kernel BUG at mm/slub.c").  kfree(NULL) is a
 * no-op.  All return NULL when there is no memory.
 */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/string.h>

void *kmalloc(size_t size, gfp_t flags);
/* kmalloc(size, flags | __GFP_ZERO) */
void *kzalloc(size_t size, gfp_t flags);
/* zeroed array of n elements; NULL if n * size overflows */
void *kcalloc(size_t n, size_t size, gfp_t flags);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 4, 0)
/* array of n elements; NULL if n * size overflows */
void *kmalloc_array(size_t n, size_t size, gfp_t flags);
#endif
/* grows or shrinks p (keeping its contents); on failure p is untouched */
void *krealloc(const void *p, size_t new_size, gfp_t flags);
void kfree(const void *objp);

/* Caches of one object size (mm/slab_common.c): create, alloc, free, destroy. */
#define SLAB_HWCACHE_ALIGN	((slab_flags_t)0x00002000U)	/* align objects on cache lines */
#define SLAB_CACHE_DMA		((slab_flags_t)0x00004000U)
#define SLAB_PANIC		((slab_flags_t)0x00040000U)	/* panic if the create fails */
#define SLAB_ACCOUNT		((slab_flags_t)0x04000000U)
#define SLAB_RECLAIM_ACCOUNT	((slab_flags_t)0x00020000U)

struct kmem_cache;
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags);
void kmem_cache_free(struct kmem_cache *s, void *objp);
unsigned int kmem_cache_size(struct kmem_cache *s);
static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags)
{
	return kmem_cache_alloc(s, flags | __GFP_ZERO);
}

#endif /* _LINUX_SLAB_H */
