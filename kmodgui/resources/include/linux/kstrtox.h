/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/kstrtox.h>: string to integer conversion (lib/kstrtox.c).
 *
 * Each returns 0 on success, -EINVAL if the string is not a number of that
 * base (one trailing newline is accepted) and -ERANGE on overflow; *res is
 * written only on success.  Added in 2.6.39: 2.6.30 had strict_strtoul().
 */
#ifndef _LINUX_KSTRTOX_H
#define _LINUX_KSTRTOX_H

#include <linux/types.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
int __must_check kstrtoint(const char *s, unsigned int base, int *res);
int __must_check kstrtol(const char *s, unsigned int base, long *res);
int __must_check kstrtoul(const char *s, unsigned int base, unsigned long *res);
#endif

#endif /* _LINUX_KSTRTOX_H */
