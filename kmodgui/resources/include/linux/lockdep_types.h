/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/lockdep_types.h>: the lock class key each lock initialiser passes
 * (mutex_init, init_waitqueue_head).  Without LOCKDEP (Debian) it is empty
 * in the kernel; here it holds one unused int.
 */
#ifndef __LINUX_LOCKDEP_TYPES_H
#define __LINUX_LOCKDEP_TYPES_H

struct lock_class_key {
	int __kmodsim_unused;
};

#endif /* __LINUX_LOCKDEP_TYPES_H */
