// SPDX-License-Identifier: GPL-2.0
/*
 * chardev.c - a character device: /dev/chardev, readable and writable.
 *
 * init takes three steps, each undone by exit in reverse order:
 *   1. register_chrdev(0, ...) asks for a free major number and ties it to
 *      our file_operations;
 *   2. class_create() makes /sys/class/chardev;
 *   3. device_create() adds the device, so /dev/chardev appears.
 * If step 2 or 3 fails, the goto ladder undoes the steps before it.
 * class_create() and device_create() return ERR_PTR(-errno) on failure,
 * not NULL: test them with IS_ERR().
 *
 * .owner = THIS_MODULE makes every open file hold a reference on the
 * module: while /dev/chardev is open, rmmod says the module is in use.
 * read() returns the current message; write() replaces it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/device.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define DEVICE_NAME "chardev"
#define MSG_LEN 80

static int major;
static struct class *chardev_class;
static char message[MSG_LEN] = "Hello from chardev\n";
static int open_count;

static int chardev_open(struct inode *inode, struct file *file)
{
	open_count++;
	pr_info("opened (%d times so far)\n", open_count);
	return 0;
}

static int chardev_release(struct inode *inode, struct file *file)
{
	pr_info("closed\n");
	return 0;
}

/* Copies what is left of the message after *offset; 0 means end of file. */
static ssize_t chardev_read(struct file *file, char __user *buf, size_t len,
			    loff_t *offset)
{
	size_t size = strlen(message);

	if (*offset >= size)
		return 0;
	if (len > size - *offset)
		len = size - *offset;
	if (copy_to_user(buf, message + *offset, len))
		return -EFAULT;
	*offset += len;
	return len;
}

/* Replaces the message (at most MSG_LEN - 1 bytes are kept). */
static ssize_t chardev_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *offset)
{
	size_t n = len < MSG_LEN - 1 ? len : MSG_LEN - 1;

	if (copy_from_user(message, buf, n))
		return -EFAULT;
	message[n] = '\0';
	return len;
}

static const struct file_operations chardev_fops = {
	.owner = THIS_MODULE,
	.open = chardev_open,
	.release = chardev_release,
	.read = chardev_read,
	.write = chardev_write,
};

static int __init chardev_init(void)
{
	struct device *dev;
	int err;

	major = register_chrdev(0, DEVICE_NAME, &chardev_fops);
	if (major < 0) {
		pr_err("register_chrdev failed with %d\n", major);
		return major;
	}
	pr_info("got major number %d\n", major);

	chardev_class = class_create(THIS_MODULE, DEVICE_NAME);
	if (IS_ERR(chardev_class)) {
		err = PTR_ERR(chardev_class);
		goto fail_class;
	}

	dev = device_create(chardev_class, NULL, MKDEV(major, 0), NULL,
			    DEVICE_NAME);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto fail_device;
	}

	pr_info("created /dev/%s\n", DEVICE_NAME);
	return 0;

fail_device:
	class_destroy(chardev_class);
fail_class:
	unregister_chrdev(major, DEVICE_NAME);
	pr_err("init failed with error %d\n", err);
	return err;
}

static void __exit chardev_exit(void)
{
	device_destroy(chardev_class, MKDEV(major, 0));
	class_destroy(chardev_class);
	unregister_chrdev(major, DEVICE_NAME);
	pr_info("removed /dev/%s\n", DEVICE_NAME);
}

module_init(chardev_init);
module_exit(chardev_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("chardev: a character device with a class and a /dev node");
