#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>
MODULE_LICENSE("GPL");

static ssize_t lp_read(struct file *file, char __user *buf, size_t len, loff_t *off)
{
	pr_info("read len=%zu pos=%lld\n", len, *off);
	if (*off >= 10)
		return 0;
	if (copy_to_user(buf, "0123456789", 10))
		return -EFAULT;
	*off += 10;
	return 10;
}

static ssize_t lp_write(struct file *file, const char __user *buf, size_t len, loff_t *off)
{
	pr_info("write len=%zu pos=%lld\n", len, *off);
	return len;
}

static const struct proc_ops lp_ops = {
	.proc_read = lp_read,
	.proc_write = lp_write,
};

static int __init lp_init(void)
{
	return proc_create("lenproc", 0666, NULL, &lp_ops) ? 0 : -ENOMEM;
}
static void __exit lp_exit(void) { remove_proc_entry("lenproc", NULL); }
module_init(lp_init);
module_exit(lp_exit);
