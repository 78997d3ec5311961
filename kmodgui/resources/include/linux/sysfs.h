/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/sysfs.h>: attributes, the files of sysfs (fs/sysfs/file.c,
 * group.c), as 6.1 declares them.
 *
 * __ATTR(name, mode, show, store) fills an attribute-holding struct;
 * __ATTR_RO(x) uses x_show and mode 0444, __ATTR_WO(x) x_store and 0200,
 * __ATTR_RW(x) both and 0644.  ATTRIBUTE_GROUPS(x) turns the NULL-ended
 * array x_attrs into the group x_group and the array x_groups.  A group
 * with a name is a subdirectory.  sysfs_emit() formats at most PAGE_SIZE
 * bytes into a show() buffer.  sysfs_create_file()/sysfs_remove_file()
 * are the _ns functions with no namespace.
 */
#ifndef _SYSFS_H_
#define _SYSFS_H_

#include <linux/types.h>
#include <linux/stat.h>
#include <linux/stringify.h>
#include <linux/stddef.h>
#include <linux/version.h>

struct kobject;
struct module;

struct attribute {
	const char *name;
	umode_t mode;
};

struct bin_attribute;

struct attribute_group {
	const char *name;
	umode_t (*is_visible)(struct kobject *, struct attribute *, int);
	umode_t (*is_bin_visible)(struct kobject *, struct bin_attribute *, int);
	struct attribute **attrs;
	struct bin_attribute **bin_attrs;
};

#define __ATTR(_name, _mode, _show, _store) {				\
	.attr = { .name = __stringify(_name), .mode = _mode },		\
	.show = _show,							\
	.store = _store,						\
}
#define __ATTR_PREALLOC(_name, _mode, _show, _store)			\
	__ATTR(_name, (_mode) | 0x1000, _show, _store)
#define __ATTR_RO(_name) {						\
	.attr = { .name = __stringify(_name), .mode = 0444 },		\
	.show = _name##_show,						\
}
#define __ATTR_RO_MODE(_name, _mode) {					\
	.attr = { .name = __stringify(_name), .mode = _mode },		\
	.show = _name##_show,						\
}
#define __ATTR_RW_MODE(_name, _mode) {					\
	.attr = { .name = __stringify(_name), .mode = _mode },		\
	.show = _name##_show,						\
	.store = _name##_store,						\
}
#define __ATTR_WO(_name) {						\
	.attr = { .name = __stringify(_name), .mode = 0200 },		\
	.store = _name##_store,						\
}
#define __ATTR_RW(_name) __ATTR(_name, 0644, _name##_show, _name##_store)
#define __ATTR_NULL { .attr = { .name = NULL } }

#define __ATTRIBUTE_GROUPS(_name)					\
static const struct attribute_group *_name##_groups[] = {		\
	&_name##_group,							\
	NULL,								\
}

#define ATTRIBUTE_GROUPS(_name)						\
static const struct attribute_group _name##_group = {			\
	.attrs = _name##_attrs,						\
};									\
__ATTRIBUTE_GROUPS(_name)

struct sysfs_ops {
	ssize_t (*show)(struct kobject *, struct attribute *, char *);
	ssize_t (*store)(struct kobject *, struct attribute *, const char *, size_t);
};

int sysfs_create_file_ns(struct kobject *kobj, const struct attribute *attr,
			 const void *ns);
int sysfs_create_files(struct kobject *kobj, const struct attribute * const *attr);
void sysfs_remove_file_ns(struct kobject *kobj, const struct attribute *attr,
			  const void *ns);
void sysfs_remove_files(struct kobject *kobj, const struct attribute * const *attr);
int sysfs_create_group(struct kobject *kobj, const struct attribute_group *grp);
int sysfs_create_groups(struct kobject *kobj, const struct attribute_group **groups);
void sysfs_remove_group(struct kobject *kobj, const struct attribute_group *grp);
void sysfs_remove_groups(struct kobject *kobj, const struct attribute_group **groups);
void sysfs_notify(struct kobject *kobj, const char *dir, const char *attr);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 10, 0)	/* new in 5.10 */
int sysfs_emit(char *buf, const char *fmt, ...);
int sysfs_emit_at(char *buf, int at, const char *fmt, ...);
#endif

static inline int sysfs_create_file(struct kobject *kobj,
				    const struct attribute *attr)
{
	return sysfs_create_file_ns(kobj, attr, NULL);
}

static inline void sysfs_remove_file(struct kobject *kobj,
				     const struct attribute *attr)
{
	sysfs_remove_file_ns(kobj, attr, NULL);
}

#endif /* _SYSFS_H_ */
