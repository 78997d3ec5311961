// SPDX-License-Identifier: GPL-2.0
/*
 * kobjdemo.c - a directory /sys/kernel/kobjdemo with three attributes:
 * `value` (read and write: cat shows it, echo N > value sets it, anything
 * but a number is -EINVAL), `stats/writes` (read-only, in a named group:
 * how many stores were accepted) and `reset` (write-only).  Exit removes
 * them in reverse order and drops the kobject, which takes the directory
 * away.
 */
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>

static struct kobject *demo_kobj;
static int value = 7;
static int writes;

static ssize_t value_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%d\n", value);
}

static ssize_t value_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	int ret = kstrtoint(buf, 10, &value);

	if (ret)
		return ret;
	writes++;
	pr_info("kobjdemo: value set to %d\n", value);
	return count;
}

static ssize_t writes_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", writes);
}

static ssize_t reset_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	value = 0;
	writes = 0;
	pr_info("kobjdemo: reset by %s", buf);
	return count;
}

static struct kobj_attribute value_attr = __ATTR_RW(value);
static struct kobj_attribute writes_attr = __ATTR_RO(writes);
static struct kobj_attribute reset_attr = __ATTR_WO(reset);

static struct attribute *demo_attrs[] = {
	&value_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(demo);

static struct attribute *stats_attrs[] = {
	&writes_attr.attr,
	NULL,
};
static const struct attribute_group stats_group = {
	.name = "stats",
	.attrs = stats_attrs,
};

static int __init kobjdemo_init(void)
{
	int ret;

	demo_kobj = kobject_create_and_add("kobjdemo", kernel_kobj);
	if (!demo_kobj)
		return -ENOMEM;
	ret = sysfs_create_groups(demo_kobj, demo_groups);
	if (ret)
		goto fail_groups;
	ret = sysfs_create_group(demo_kobj, &stats_group);
	if (ret)
		goto fail_stats;
	ret = sysfs_create_file(demo_kobj, &reset_attr.attr);
	if (ret)
		goto fail_file;
	pr_info("kobjdemo: /sys/kernel/%s ready\n", kobject_name(demo_kobj));
	return 0;

fail_file:
	sysfs_remove_group(demo_kobj, &stats_group);
fail_stats:
	sysfs_remove_groups(demo_kobj, demo_groups);
fail_groups:
	kobject_put(demo_kobj);
	return ret;
}

static void __exit kobjdemo_exit(void)
{
	sysfs_remove_file(demo_kobj, &reset_attr.attr);
	sysfs_remove_group(demo_kobj, &stats_group);
	sysfs_remove_groups(demo_kobj, demo_groups);
	kobject_put(demo_kobj);
	pr_info("kobjdemo: gone\n");
}

module_init(kobjdemo_init);
module_exit(kobjdemo_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("A kobject with attributes under /sys/kernel");
