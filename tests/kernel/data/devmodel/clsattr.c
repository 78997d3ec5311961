// SPDX-License-Identifier: GPL-2.0
/*
 * clsattr.c - a class with a class attribute (/sys/class/clsdemo/version)
 * and a device of that class with a read-write device attribute
 * (/sys/class/clsdemo/clsdev0/level).
 */
#include <linux/device.h>
#include <linux/kdev_t.h>
#include <linux/module.h>

static struct class *cls;
static struct device *dev;
static int level = 3;

static ssize_t version_show(struct class *c, struct class_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "1.0\n");
}
static CLASS_ATTR_RO(version);

static ssize_t level_show(struct device *d, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", level);
}

static ssize_t level_store(struct device *d, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	int ret = kstrtoint(buf, 0, &level);

	if (ret)
		return ret;
	dev_info(d, "level %d\n", level);
	return count;
}
static DEVICE_ATTR_RW(level);

static int __init clsattr_init(void)
{
	int ret;

	cls = class_create(THIS_MODULE, "clsdemo");
	if (IS_ERR(cls))
		return PTR_ERR(cls);
	ret = class_create_file(cls, &class_attr_version);
	if (ret)
		goto fail_cfile;
	dev = device_create(cls, NULL, MKDEV(0, 0), NULL, "clsdev%d", 0);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto fail_dev;
	}
	ret = device_create_file(dev, &dev_attr_level);
	if (ret)
		goto fail_dfile;
	dev_info(dev, "ready\n");
	return 0;

fail_dfile:
	device_destroy(cls, MKDEV(0, 0));
fail_dev:
	class_remove_file(cls, &class_attr_version);
fail_cfile:
	class_destroy(cls);
	return ret;
}

static void __exit clsattr_exit(void)
{
	device_remove_file(dev, &dev_attr_level);
	device_destroy(cls, MKDEV(0, 0));
	class_remove_file(cls, &class_attr_version);
	class_destroy(cls);
}

module_init(clsattr_init);
module_exit(clsattr_exit);
MODULE_LICENSE("GPL");
