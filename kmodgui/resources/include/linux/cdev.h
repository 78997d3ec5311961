/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/cdev.h>: a character device as an object (fs/char_dev.c).
 *
 * The sequence: alloc_chrdev_region() for device numbers, cdev_init() (or
 * cdev_alloc()) with the file_operations, cdev_add() to make it live;
 * undo with cdev_del() and unregister_chrdev_region(), in reverse order.
 * Once cdev_add() returns, open() may already call into the driver.
 */
#ifndef _LINUX_CDEV_H
#define _LINUX_CDEV_H

#include <linux/types.h>
#include <linux/kdev_t.h>

struct module;
struct file_operations;

struct cdev {
	struct module *owner;
	const struct file_operations *ops;
	struct list_head list;
	dev_t dev;
	unsigned int count;
};

void cdev_init(struct cdev *cdev, const struct file_operations *fops);
/* a kmalloc()ed cdev, freed by cdev_del(); NULL if no memory */
struct cdev *cdev_alloc(void);
int cdev_add(struct cdev *p, dev_t dev, unsigned int count);
void cdev_del(struct cdev *p);

#endif /* _LINUX_CDEV_H */
