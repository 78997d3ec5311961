/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/device.h>: the driver model, as far as a simple driver needs it:
 * a class (/sys/class/<name>) and a device in it, which makes udev create
 * the /dev/<name> node.
 *
 * class_create() and device_create() return ERR_PTR(-errno) on failure,
 * never NULL: check with IS_ERR().  Both profiles take the owner argument
 * (it was dropped in 6.4).
 */
#ifndef _DEVICE_H_
#define _DEVICE_H_

#include <linux/types.h>
#include <linux/kdev_t.h>
#include <linux/err.h>

struct module;
struct class;		/* opaque: created by class_create() */
struct device;		/* opaque: created by device_create() */

struct class *class_create(struct module *owner, const char *name);
void class_destroy(struct class *cls);

/*
 * The device's name is printf-formatted:
 *	device_create(cls, NULL, MKDEV(major, i), NULL, "skull%d", i);
 */
struct device *device_create(struct class *cls, struct device *parent,
			     dev_t devt, void *drvdata, const char *fmt, ...);
void device_destroy(struct class *cls, dev_t devt);

#endif /* _DEVICE_H_ */
