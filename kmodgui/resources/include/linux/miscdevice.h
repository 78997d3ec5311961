/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/miscdevice.h>: the simplest character device.  All misc devices
 * share major 10; misc_register() picks a free minor when .minor is
 * MISC_DYNAMIC_MINOR (and writes it back), creates /dev/<name>, and fails
 * if the name or minor is taken.
 */
#ifndef _LINUX_MISCDEVICE_H
#define _LINUX_MISCDEVICE_H

#include <linux/version.h>
#include <linux/types.h>

#define MISC_MAJOR		10
#define MISC_DYNAMIC_MINOR	255

struct file_operations;
struct device;

struct miscdevice {
	int minor;
	const char *name;
	const struct file_operations *fops;
	struct list_head list;
	struct device *parent;
	struct device *this_device;
	const char *nodename;
	umode_t mode;
};

int misc_register(struct miscdevice *misc);
/* void since 4.3; it returned int (always 0) before */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 3, 0)
void misc_deregister(struct miscdevice *misc);
#else
int misc_deregister(struct miscdevice *misc);
#endif

#endif /* _LINUX_MISCDEVICE_H */
