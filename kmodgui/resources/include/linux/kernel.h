/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/kernel.h>: the grab bag every module includes: printk and its
 * levels, min/max, ARRAY_SIZE, container_of, BUG/WARN, the sprintf family.
 */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H

#include <linux/version.h>
#include <linux/compiler.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <linux/limits.h>
#include <linux/stringify.h>
#include <linux/container_of.h>
#include <linux/bug.h>
#include <linux/kstrtox.h>
#include <linux/printk.h>
#include <asm/processor.h>

/* The real one also refuses pointers (__must_be_array); this cannot. */
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))

/*
 * The real min()/max() use typeof() to evaluate each argument once and to
 * refuse mixed signedness.  These are the plain ternaries: arguments with
 * side effects are evaluated twice.
 */
#define min(x, y) ((x) < (y) ? (x) : (y))
#define max(x, y) ((x) > (y) ? (x) : (y))
#define min_t(type, x, y) ((type)(x) < (type)(y) ? (type)(x) : (type)(y))
#define max_t(type, x, y) ((type)(x) > (type)(y) ? (type)(x) : (type)(y))
#define clamp(val, lo, hi) min(max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define clamp_val(val, lo, hi) clamp(val, lo, hi)
#define abs(x) ((x) < 0 ? -(x) : (x))

#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define roundup(x, y) ((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y) ((x) - ((x) % (y)))
#define ALIGN(x, a) (((x) + ((a) - 1)) & ~((a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((a) - 1)) == 0)

/* Debug aid: complains if called in atomic context.  Nothing to check here. */
#define might_sleep() do { } while (0)

/* lib/vsprintf.c: the kernel's own formatting (%p prints a hashed pointer) */
int sprintf(char *buf, const char *fmt, ...);
int snprintf(char *buf, size_t size, const char *fmt, ...);
/* Returns the number of characters written, not the length it needed. */
int scnprintf(char *buf, size_t size, const char *fmt, ...);

/* lib/vsprintf.c: returns the number of conversions stored */
int sscanf(const char *buf, const char *fmt, ...) __attribute__((format(scanf, 2, 3)));

#endif /* _LINUX_KERNEL_H */
