// SPDX-License-Identifier: GPL-2.0
/*
 * kobjleak.c - a kobject under /sys/kernel with one attribute, and an exit
 * that forgets kobject_put(): the directory outlives the module.
 */
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>

static struct kobject *leak_kobj;
static int hits;

static ssize_t hits_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%d\n", ++hits);
}

static struct kobj_attribute hits_attr = __ATTR_RO(hits);

static int __init kobjleak_init(void)
{
	leak_kobj = kobject_create_and_add("kobjleak", kernel_kobj);
	if (!leak_kobj)
		return -ENOMEM;
	return sysfs_create_file(leak_kobj, &hits_attr.attr);
}

static void __exit kobjleak_exit(void)
{
	pr_info("kobjleak: exit without kobject_put\n");
}

module_init(kobjleak_init);
module_exit(kobjleak_exit);
MODULE_LICENSE("GPL");
