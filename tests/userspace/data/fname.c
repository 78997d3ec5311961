#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/proc_fs.h>
MODULE_LICENSE("GPL");

static int fn_open(struct inode *inode, struct file *file)
{
	pr_info("open %s (len %u), d_inode is the inode: %d\n",
		file->f_path.dentry->d_name.name, file->f_path.dentry->d_name.len,
		file->f_path.dentry->d_inode == inode);
	return 0;
}

static ssize_t fn_read(struct file *file, char __user *buf, size_t len, loff_t *off)
{
	return 0;
}

static const struct file_operations fn_fops = {
	.owner = THIS_MODULE,
	.open = fn_open,
	.read = fn_read,
};

static const struct proc_ops fn_pops = {
	.proc_open = fn_open,
	.proc_read = fn_read,
};

static struct miscdevice fn_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "fname_device_with_a_rather_long_name",
	.fops = &fn_fops,
};

static int __init fn_init(void)
{
	if (!proc_create("fname_proc", 0444, NULL, &fn_pops))
		return -ENOMEM;
	return misc_register(&fn_dev);
}

static void __exit fn_exit(void)
{
	misc_deregister(&fn_dev);
	remove_proc_entry("fname_proc", NULL);
}
module_init(fn_init);
module_exit(fn_exit);
