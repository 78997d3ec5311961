#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/uaccess.h>
MODULE_LICENSE("GPL");

#define SIZE 5000
static char page[128];

static ssize_t lp_read(struct file *file, char __user *buf, size_t len, loff_t *off)
{
	size_t n = SIZE - *off, i;

	pr_info("read len=%zu pos=%lld\n", len, *off);
	if (*off >= SIZE)
		return 0;
	if (n > len)
		n = len;
	for (i = 0; i < n; i += sizeof(page)) {
		size_t c = n - i < sizeof(page) ? n - i : sizeof(page);
		if (copy_to_user(buf + i, page, c))
			return -EFAULT;
	}
	*off += n;
	return n;
}

static ssize_t lp_write(struct file *file, const char __user *buf, size_t len, loff_t *off)
{
	pr_info("write len=%zu pos=%lld\n", len, *off);
	*off += len;
	return len;
}

static const struct file_operations lp_fops = {
	.owner = THIS_MODULE,
	.read = lp_read,
	.write = lp_write,
};

static struct miscdevice lp_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "lenprobe",
	.fops = &lp_fops,
};

static int __init lp_init(void)
{
	memset(page, 'a', sizeof(page));
	return misc_register(&lp_dev);
}
static void __exit lp_exit(void) { misc_deregister(&lp_dev); }
module_init(lp_init);
module_exit(lp_exit);
