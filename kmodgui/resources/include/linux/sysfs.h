/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/sysfs.h>: attributes, the files of sysfs (fs/sysfs/file.c,
 * group.c).  __ATTR(name, mode, show, store) fills an attribute-holding
 * struct; __ATTR_RO(x) uses x_show and mode 0444, __ATTR_RW(x) x_show,
 * x_store and 0644.  sysfs_emit() formats at most PAGE_SIZE bytes into a
 * show() buffer.
 */
#ifndef _SYSFS_H_
#define _SYSFS_H_

#include <linux/types.h>
#include <linux/stat.h>

struct kobject;
struct module;

struct attribute {
	const char *name;
	umode_t mode;
};

struct attribute_group {
	const char *name;
	umode_t (*is_visible)(struct kobject *, struct attribute *, int);
	struct attribute **attrs;
};

#define __ATTR(_name, _mode, _show, _store) { \
	.attr = { .name = #_name, .mode = _mode }, \
	.show = _show, .store = _store, }
#define __ATTR_RO(_name) { .attr = { .name = #_name, .mode = 0444 }, .show = _name##_show, }
#define __ATTR_RO_MODE(_name, _mode) { .attr = { .name = #_name, .mode = _mode }, \
	.show = _name##_show, }
#define __ATTR_WO(_name) { .attr = { .name = #_name, .mode = 0200 }, .store = _name##_store, }
#define __ATTR_RW(_name) __ATTR(_name, 0644, _name##_show, _name##_store)
#define __ATTR_NULL { .attr = { .name = NULL } }

int sysfs_create_file(struct kobject *kobj, const struct attribute *attr);
void sysfs_remove_file(struct kobject *kobj, const struct attribute *attr);
int sysfs_create_group(struct kobject *kobj, const struct attribute_group *grp);
void sysfs_remove_group(struct kobject *kobj, const struct attribute_group *grp);
int sysfs_emit(char *buf, const char *fmt, ...);
int sysfs_emit_at(char *buf, int at, const char *fmt, ...);

#endif /* _SYSFS_H_ */
