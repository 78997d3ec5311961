// SPDX-License-Identifier: GPL-2.0
/*
 * ksetdemo.c - a kset /sys/kernel/ksetdemo with two kobjects embedded in
 * the module's own struct, a kobj_type of the module's (sysfs_ops,
 * default_groups, a release that frees the struct), an attribute read and
 * written through those sysfs_ops, and a uevent for each object.
 */
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

struct item {
	struct kobject kobj;
	int count;
};
#define to_item(x) container_of(x, struct item, kobj)

struct item_attribute {
	struct attribute attr;
	ssize_t (*show)(struct item *item, struct item_attribute *attr, char *buf);
	ssize_t (*store)(struct item *item, struct item_attribute *attr,
			 const char *buf, size_t count);
};
#define to_item_attr(x) container_of(x, struct item_attribute, attr)

static ssize_t item_attr_show(struct kobject *kobj, struct attribute *attr, char *buf)
{
	struct item_attribute *a = to_item_attr(attr);

	if (!a->show)
		return -EIO;
	return a->show(to_item(kobj), a, buf);
}

static ssize_t item_attr_store(struct kobject *kobj, struct attribute *attr,
			       const char *buf, size_t len)
{
	struct item_attribute *a = to_item_attr(attr);

	if (!a->store)
		return -EIO;
	return a->store(to_item(kobj), a, buf, len);
}

static const struct sysfs_ops item_sysfs_ops = {
	.show = item_attr_show,
	.store = item_attr_store,
};

static void item_release(struct kobject *kobj)
{
	struct item *item = to_item(kobj);

	pr_info("ksetdemo: release %s\n", kobject_name(kobj));
	kfree(item);
}

static ssize_t count_show(struct item *item, struct item_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", item->count);
}

static ssize_t count_store(struct item *item, struct item_attribute *attr,
			   const char *buf, size_t len)
{
	int ret = kstrtoint(buf, 10, &item->count);

	return ret ? ret : len;
}

static struct item_attribute count_attr = __ATTR(count, 0664, count_show, count_store);

static struct attribute *item_attrs[] = {
	&count_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(item);

static const struct kobj_type item_ktype = {
	.sysfs_ops = &item_sysfs_ops,
	.release = item_release,
	.default_groups = item_groups,
};

static struct kset *demo_kset;
static struct item *one, *two;

static struct item *make_item(const char *name)
{
	struct item *item = kzalloc(sizeof(*item), GFP_KERNEL);

	if (!item)
		return NULL;
	item->kobj.kset = demo_kset;
	if (kobject_init_and_add(&item->kobj, &item_ktype, NULL, "%s", name)) {
		kobject_put(&item->kobj);
		return NULL;
	}
	kobject_uevent(&item->kobj, KOBJ_ADD);
	return item;
}

static int __init ksetdemo_init(void)
{
	demo_kset = kset_create_and_add("ksetdemo", NULL, kernel_kobj);
	if (!demo_kset)
		return -ENOMEM;
	one = make_item("one");
	if (!one)
		goto fail_one;
	two = make_item("two");
	if (!two)
		goto fail_two;
	return 0;

fail_two:
	kobject_put(&one->kobj);
fail_one:
	kset_unregister(demo_kset);
	return -EINVAL;
}

static void __exit ksetdemo_exit(void)
{
	kobject_put(&two->kobj);
	kobject_put(&one->kobj);
	kset_unregister(demo_kset);
}

module_init(ksetdemo_init);
module_exit(ksetdemo_exit);
MODULE_LICENSE("GPL");
