// SPDX-License-Identifier: GPL-2.0
/*
 * ioc.c: a cdev with read, write and unlocked_ioctl methods, as ioctl.c
 * in the guide: __put_user() and __get_user() move single values (the
 * unchecked forms: the range was checked by the caller), __func__ names
 * the method, and the device node comes from devtmpfs.
 */
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/ioctl.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#define IOC_GET _IOR('i', 1, int)
#define IOC_SET _IOW('i', 2, int)

static dev_t devno;
static struct cdev ioc_cdev;
static struct class *cls;
static int value = 'a';

static ssize_t ioc_read(struct file *f, char __user *buf, size_t len, loff_t *off)
{
	size_t i;

	pr_info("ioc: %s len %zu at %lld\n", __func__, len, *off);
	if (*off)
		return 0;
	for (i = 0; i + 1 < len && i < 3; i++)
		if (__put_user((char)(value + i), buf + i))
			return -EFAULT;
	__put_user('\n', buf + i);
	*off = i + 1;
	return i + 1;
}

static ssize_t ioc_write(struct file *f, const char __user *buf, size_t len, loff_t *off)
{
	char c;
	unsigned char wide[2];
	int ret = __get_user(c, buf);

	if (ret)
		return ret;
	value = c;
	if (len >= 2 && !__get_user(wide[0], (const unsigned char __user *)buf + 1))
		pr_info("ioc: %s first %c then %d, len %zu\n", __func__, c, wide[0], len);
	return len;
}

static long ioc_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case IOC_GET:
		return __put_user(value, (int __user *)arg);
	case IOC_SET:
		return __get_user(value, (int __user *)arg);
	}
	return -ENOTTY;
}

static const struct file_operations ioc_fops = {
	.owner = THIS_MODULE,
	.read = ioc_read,
	.write = ioc_write,
	.unlocked_ioctl = ioc_ioctl,
};

static int __init ioc_init(void)
{
	int ret = alloc_chrdev_region(&devno, 0, 1, "ioc");

	if (ret)
		return ret;
	cdev_init(&ioc_cdev, &ioc_fops);
	ret = cdev_add(&ioc_cdev, devno, 1);
	if (ret)
		goto fail_cdev;
	cls = class_create(THIS_MODULE, "ioc");
	if (IS_ERR(cls)) {
		ret = PTR_ERR(cls);
		goto fail_class;
	}
	device_create(cls, NULL, devno, NULL, "ioc");
	pr_info("ioc: %s: IOC_GET %#x IOC_SET %#x\n", __func__, (unsigned int)IOC_GET,
		(unsigned int)IOC_SET);
	return 0;

fail_class:
	cdev_del(&ioc_cdev);
fail_cdev:
	unregister_chrdev_region(devno, 1);
	return ret;
}

static void __exit ioc_exit(void)
{
	device_destroy(cls, devno);
	class_destroy(cls);
	cdev_del(&ioc_cdev);
	unregister_chrdev_region(devno, 1);
	pr_info("ioc: %s\n", __func__);
}

module_init(ioc_init);
module_exit(ioc_exit);
MODULE_LICENSE("GPL");
