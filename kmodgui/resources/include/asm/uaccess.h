/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <asm/uaccess.h>: moving data between the kernel and a user process.
 *
 * A driver's read/write methods get user-space addresses: never
 * dereference them, copy with these.  copy_to_user()/copy_from_user()
 * return the number of bytes NOT copied (0 on success); a driver turns a
 * non-zero result into -EFAULT.  2009-era modules included this file;
 * today's include <linux/uaccess.h>, which includes it.
 */
#ifndef _ASM_X86_UACCESS_H
#define _ASM_X86_UACCESS_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/errno.h>

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);

/*
 * put_user(x, ptr) / get_user(x, ptr): one value of *ptr's size; 0 or
 * -EFAULT.  The real macros pick the access size with typeof(); here
 * sizeof() does, and the value travels through an unsigned long (x86 is
 * little endian, so its first bytes are the low ones).  get_user() into a
 * wider variable zero-extends (the real one sign-extends a signed *ptr).
 */
static inline int __kmodsim_put_user(unsigned long val, void __user *ptr,
				     unsigned long size)
{
	if (copy_to_user(ptr, &val, size))
		return -EFAULT;
	return 0;
}

static inline int __kmodsim_get_user(void *dst, unsigned long dst_size,
				     const void __user *ptr, unsigned long size)
{
	unsigned long val = 0;
	unsigned char *from = (unsigned char *)&val;
	unsigned char *to = (unsigned char *)dst;
	unsigned long i;

	if (copy_from_user(&val, ptr, size))
		return -EFAULT;
	for (i = 0; i < dst_size; i++)
		to[i] = i < sizeof(val) ? from[i] : 0;
	return 0;
}

#define put_user(x, ptr) \
	__kmodsim_put_user((unsigned long)(x), (ptr), sizeof(*(ptr)))
#define get_user(x, ptr) \
	__kmodsim_get_user(&(x), sizeof(x), (ptr), sizeof(*(ptr)))

/*
 * __put_user(x, ptr) / __get_user(x, ptr): the same access without the
 * access_ok() range check (6.1: __put_user_nocheck_N / __get_user_nocheck_N),
 * for a pointer the caller has checked.  The simulated copy checks the
 * address either way: the outcome for a user buffer is the same.
 */
#define __put_user(x, ptr) put_user(x, ptr)
#define __get_user(x, ptr) get_user(x, ptr)

#endif /* _ASM_X86_UACCESS_H */
