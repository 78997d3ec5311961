/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/kobject.h>: the objects behind /sys directories (lib/kobject.c).
 * kobject_create_and_add(name, parent) makes /sys/<parent>/<name> (parent
 * kernel_kobj is /sys/kernel) and returns NULL on failure; kobject_put()
 * drops the reference and removes it when the last one goes.  A
 * kobj_attribute's show/store receive the kobject and the attribute.
 */
#ifndef _KOBJECT_H_
#define _KOBJECT_H_

#include <linux/types.h>
#include <linux/list.h>
#include <linux/sysfs.h>
#include <linux/spinlock.h>
#include <linux/atomic.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/completion.h>

struct kobject;		/* opaque: made by kobject_create_and_add() */

extern struct kobject *kernel_kobj;	/* /sys/kernel */
extern struct kobject *mm_kobj;		/* /sys/kernel/mm */
extern struct kobject *fs_kobj;		/* /sys/fs */
extern struct kobject *firmware_kobj;	/* /sys/firmware */

struct kobject *kobject_create_and_add(const char *name, struct kobject *parent);
struct kobject *kobject_get(struct kobject *kobj);
void kobject_put(struct kobject *kobj);
void kobject_del(struct kobject *kobj);
const char *kobject_name(const struct kobject *kobj);

struct kobj_attribute {
	struct attribute attr;
	ssize_t (*show)(struct kobject *kobj, struct kobj_attribute *attr, char *buf);
	ssize_t (*store)(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count);
};

#endif /* _KOBJECT_H_ */
