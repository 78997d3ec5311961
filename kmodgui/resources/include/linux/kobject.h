/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/kobject.h>: the objects behind /sys directories (lib/kobject.c),
 * as 6.1 declares them.
 *
 * kobject_create_and_add(name, parent) makes /sys/<parent>/<name> (parent
 * kernel_kobj is /sys/kernel, NULL is /sys itself) and returns NULL on
 * failure; kobject_put() drops a reference, and the last one removes the
 * directory with every file and group in it.  A kobj_attribute's
 * show/store receive the kobject and the attribute; a kset is a kobject
 * that other kobjects join (their directories go under it).
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

/* <linux/refcount.h> and <linux/kref.h> */
typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

struct kref {
	refcount_t refcount;
};

enum kobject_action {
	KOBJ_ADD,
	KOBJ_REMOVE,
	KOBJ_CHANGE,
	KOBJ_MOVE,
	KOBJ_ONLINE,
	KOBJ_OFFLINE,
	KOBJ_BIND,
	KOBJ_UNBIND,
};

struct kset;
struct kobj_type;
struct kernfs_node;

struct kobject {
	const char		*name;
	struct list_head	entry;
	struct kobject		*parent;
	struct kset		*kset;
	const struct kobj_type	*ktype;
	struct kernfs_node	*sd;	/* its sysfs directory */
	struct kref		kref;
	/*
	 * 6.1: the bit-fields state_initialized, state_in_sysfs,
	 * state_add_uevent_sent, state_remove_uevent_sent and
	 * uevent_suppress, in this one word (same size and place).
	 */
	unsigned int state_bits;
};

extern struct kobject *kernel_kobj;	/* /sys/kernel */
extern struct kobject *mm_kobj;		/* /sys/kernel/mm */
extern struct kobject *fs_kobj;		/* /sys/fs */
extern struct kobject *firmware_kobj;	/* /sys/firmware */

int kobject_set_name(struct kobject *kobj, const char *name, ...);

static inline const char *kobject_name(const struct kobject *kobj)
{
	return kobj->name;
}

void kobject_init(struct kobject *kobj, const struct kobj_type *ktype);
int kobject_add(struct kobject *kobj, struct kobject *parent, const char *fmt, ...);
int kobject_init_and_add(struct kobject *kobj, const struct kobj_type *ktype,
			 struct kobject *parent, const char *fmt, ...);
void kobject_del(struct kobject *kobj);
struct kobject *kobject_create_and_add(const char *name, struct kobject *parent);
struct kobject *kobject_get(struct kobject *kobj);
void kobject_put(struct kobject *kobj);
char *kobject_get_path(const struct kobject *kobj, gfp_t flag);

struct kobj_type {
	void (*release)(struct kobject *kobj);
	const struct sysfs_ops *sysfs_ops;
	const struct attribute_group **default_groups;
	const void *(*child_ns_type)(struct kobject *kobj);
	const void *(*namespace)(struct kobject *kobj);
	void (*get_ownership)(struct kobject *kobj, void *uid, void *gid);
};

struct kobj_attribute {
	struct attribute attr;
	ssize_t (*show)(struct kobject *kobj, struct kobj_attribute *attr, char *buf);
	ssize_t (*store)(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count);
};

extern const struct sysfs_ops kobj_sysfs_ops;

struct kset_uevent_ops;

struct kset {
	struct list_head list;
	spinlock_t list_lock;
	struct kobject kobj;
	const struct kset_uevent_ops *uevent_ops;
};

int kset_register(struct kset *kset);
void kset_unregister(struct kset *kset);
struct kset *kset_create_and_add(const char *name, const struct kset_uevent_ops *u,
				 struct kobject *parent_kobj);

static inline struct kset *to_kset(struct kobject *kobj)
{
	return kobj ? container_of(kobj, struct kset, kobj) : NULL;
}

int kobject_uevent(struct kobject *kobj, enum kobject_action action);

#endif /* _KOBJECT_H_ */
