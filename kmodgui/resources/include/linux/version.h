/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/version.h>: the version of the kernel a module is built against.
 *
 * kbuild predefines LINUX_VERSION_CODE and KERNEL_VERSION() for the chosen
 * profile (6.1 -> KERNEL_VERSION(6, 1, 0), 2.6.30 -> KERNEL_VERSION(2, 6, 30)),
 * so modules see them even without including this header.  The fallbacks
 * below only matter when these headers are preprocessed on their own.
 */
#ifndef _LINUX_VERSION_H
#define _LINUX_VERSION_H

#ifndef KERNEL_VERSION
/* Since 4.9.256/5.4.x the sublevel saturates at 255 so it cannot carry. */
#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
#endif

#ifndef LINUX_VERSION_CODE
#define LINUX_VERSION_CODE KERNEL_VERSION(6, 1, 0)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 15, 0)
#define LINUX_VERSION_MAJOR (LINUX_VERSION_CODE >> 16)
#define LINUX_VERSION_PATCHLEVEL ((LINUX_VERSION_CODE >> 8) & 0xff)
#define LINUX_VERSION_SUBLEVEL (LINUX_VERSION_CODE & 0xff)
#endif

#endif /* _LINUX_VERSION_H */
