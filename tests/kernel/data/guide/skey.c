// SPDX-License-Identifier: GPL-2.0
/*
 * skey.c: static keys (<linux/jump_label.h>) driven from init and from a
 * device file: `echo on > /dev/skey` enables the key, `cat /dev/skey`
 * tells its state.  misuse=1..3 makes one of the mistakes the kernel warns
 * about: enable after two incs, disable after two incs, dec of a zero key.
 */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/device.h>
#include <linux/jump_label.h>
#include <linux/uaccess.h>

static int misuse;
module_param(misuse, int, 0444);

static DEFINE_STATIC_KEY_FALSE(fkey);
static DEFINE_STATIC_KEY_TRUE(tkey);
static int major;
static struct class *cls;

static void show(const char *when)
{
	pr_info("skey: %s: fkey %d (count %d) unlikely %d likely %d, tkey %d likely %d\n", when,
		static_key_enabled(&fkey), static_key_count(&fkey.key),
		static_branch_unlikely(&fkey) ? 1 : 0, static_branch_likely(&fkey) ? 1 : 0,
		static_key_enabled(&tkey), static_branch_likely(&tkey) ? 1 : 0);
}

static ssize_t skey_read(struct file *f, char __user *buf, size_t len, loff_t *off)
{
	const char *msg = static_branch_unlikely(&fkey) ? "enabled\n" : "disabled\n";
	size_t n = strlen(msg);

	if (*off >= n)
		return 0;
	if (len > n - *off)
		len = n - *off;
	if (copy_to_user(buf, msg + *off, len))
		return -EFAULT;
	*off += len;
	return len;
}

static ssize_t skey_write(struct file *f, const char __user *buf, size_t len, loff_t *off)
{
	char cmd[8] = { 0 };

	if (len > sizeof(cmd) - 1)
		return -EINVAL;
	if (copy_from_user(cmd, buf, len))
		return -EFAULT;
	if (strncmp(cmd, "on", 2) == 0)
		static_branch_enable(&fkey);
	else if (strncmp(cmd, "off", 3) == 0)
		static_branch_disable(&fkey);
	else
		return -EINVAL;
	show("write");
	return len;
}

static const struct file_operations skey_fops = {
	.owner = THIS_MODULE,
	.read = skey_read,
	.write = skey_write,
};

static int __init skey_init(void)
{
	show("start");
	static_branch_enable(&fkey);
	static_branch_enable(&fkey);
	show("enabled twice");
	static_branch_disable(&fkey);
	static_branch_disable(&tkey);
	show("disabled");
	static_branch_inc(&fkey);
	static_branch_inc(&fkey);
	show("two incs");
	if (misuse == 1)
		static_branch_enable(&fkey);
	if (misuse == 2)
		static_branch_disable(&fkey);
	static_branch_dec(&fkey);
	show("one dec");
	static_branch_dec(&fkey);
	show("two decs");
	if (misuse == 3) {
		static_branch_dec(&fkey);
		show("dec of zero");
	}
	static_branch_enable(&tkey);

	major = register_chrdev(0, "skey", &skey_fops);
	if (major < 0)
		return major;
	cls = class_create(THIS_MODULE, "skey");
	if (IS_ERR(cls)) {
		unregister_chrdev(major, "skey");
		return PTR_ERR(cls);
	}
	device_create(cls, NULL, MKDEV(major, 0), NULL, "skey");
	return 0;
}

static void __exit skey_exit(void)
{
	device_destroy(cls, MKDEV(major, 0));
	class_destroy(cls);
	unregister_chrdev(major, "skey");
	show("exit");
}

module_init(skey_init);
module_exit(skey_exit);
MODULE_LICENSE("GPL");
