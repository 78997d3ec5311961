/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/types.h>: the kernel's basic types, with x86_64 (LP64) sizes:
 * char 1, short 2, int 4, long 8, long long 8, pointers 8.
 */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

#include <linux/compiler.h>

/* <asm-generic/int-ll64.h> */
typedef signed char __s8;
typedef unsigned char __u8;
typedef signed short __s16;
typedef unsigned short __u16;
typedef signed int __s32;
typedef unsigned int __u32;
typedef signed long long __s64;
typedef unsigned long long __u64;

typedef __s8 s8;
typedef __u8 u8;
typedef __s16 s16;
typedef __u16 u16;
typedef __s32 s32;
typedef __u32 u32;
typedef __s64 s64;
typedef __u64 u64;

/* byte-order annotated types (sparse only): x86 is little endian */
typedef __u16 __le16;
typedef __u16 __be16;
typedef __u32 __le32;
typedef __u32 __be32;
typedef __u64 __le64;
typedef __u64 __be64;

/* C99 names the kernel also provides */
typedef __s8 int8_t;
typedef __u8 uint8_t;
typedef __s16 int16_t;
typedef __u16 uint16_t;
typedef __s32 int32_t;
typedef __u32 uint32_t;
typedef __s64 int64_t;
typedef __u64 uint64_t;
typedef __u8 u_int8_t;
typedef __u16 u_int16_t;
typedef __u32 u_int32_t;
typedef __u64 u_int64_t;
typedef unsigned long uintptr_t;

/* BSD/SysV shorthands */
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
typedef unsigned char unchar;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef unsigned long ulong;

/* <asm-generic/posix_types.h> on x86_64 */
typedef unsigned long size_t;
typedef long ssize_t;
typedef long ptrdiff_t;
typedef long off_t;
typedef long long loff_t;
typedef u32 dev_t;
typedef unsigned short umode_t;
typedef unsigned int mode_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int fmode_t;
typedef long time_t;
typedef s64 time64_t;
typedef s64 ktime_t;
typedef long clock_t;
typedef int clockid_t;

typedef _Bool bool;

/* allocation flags, see <linux/gfp.h> */
typedef unsigned int gfp_t;
typedef unsigned int slab_flags_t;

typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef phys_addr_t resource_size_t;
typedef unsigned long pgoff_t;
typedef u64 sector_t;
typedef u64 blkcnt_t;

/* The simulator runs one CPU: atomics are plain integers in a struct. */
typedef struct {
	int counter;
} atomic_t;

typedef struct {
	s64 counter;
} atomic64_t;

/* doubly linked lists, see <linux/list.h> */
struct list_head {
	struct list_head *next, *prev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

#endif /* _LINUX_TYPES_H */
