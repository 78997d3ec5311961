/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/err.h>: errors encoded in pointers.
 *
 * A function returning a pointer reports failure as ERR_PTR(-ENAME): the
 * top 4095 addresses (0xfffffffffffff001 and up) are never valid kernel
 * pointers, so they can carry an errno.  class_create(), device_create()
 * and kthread_run() fail this way: test with IS_ERR(), never with == NULL.
 *
 * The real ones are static inline; here the simulated kernel implements
 * them, so stepping over IS_ERR() is one step.
 */
#ifndef _LINUX_ERR_H
#define _LINUX_ERR_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/errno.h>

#define MAX_ERRNO	4095

#define IS_ERR_VALUE(x) ((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

/* (void *)error */
void *__must_check ERR_PTR(long error);
/* (long)ptr: the negative errno inside an error pointer */
long __must_check PTR_ERR(const void *ptr);
/* IS_ERR_VALUE(ptr) */
bool __must_check IS_ERR(const void *ptr);
/* the same pointer, retyped: passes an error pointer on */
void *__must_check ERR_CAST(const void *ptr);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 33)
/* !ptr || IS_ERR_VALUE(ptr) */
bool __must_check IS_ERR_OR_NULL(const void *ptr);
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 12, 0)
/* 0, or the errno inside an error pointer (ptr is evaluated twice) */
#define PTR_ERR_OR_ZERO(ptr) (IS_ERR(ptr) ? (int)PTR_ERR(ptr) : 0)
#endif

#endif /* _LINUX_ERR_H */
