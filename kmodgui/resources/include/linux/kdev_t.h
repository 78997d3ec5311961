/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/kdev_t.h>: device numbers.  A dev_t packs a major number (which
 * driver) and a minor number (which device of that driver): 12 + 20 bits.
 */
#ifndef _LINUX_KDEV_T_H
#define _LINUX_KDEV_T_H

#define MINORBITS	20
#define MINORMASK	((1U << MINORBITS) - 1)

#define MAJOR(dev)	((unsigned int) ((dev) >> MINORBITS))
#define MINOR(dev)	((unsigned int) ((dev) & MINORMASK))
#define MKDEV(ma, mi)	(((ma) << MINORBITS) | (mi))

#endif /* _LINUX_KDEV_T_H */
