// SPDX-License-Identifier: GPL-2.0
/*
 * procfs.c - a /proc file: "cat /proc/procfs_hello" runs our show().
 *
 * show() writes the file's whole text with seq_printf(); single_open(),
 * seq_read(), seq_lseek() and single_release() do the rest (offsets,
 * partial reads).  The file exists from proc_create() until
 * remove_proc_entry(): forgetting the removal in exit leaves a /proc
 * file whose show() points into freed module memory.
 *
 * Since 5.6 proc_create() takes a struct proc_ops (before, a struct
 * file_operations); the #if lets one source build on both kernels.  On
 * 6.1 proc_create_single(PROC_NAME, 0444, NULL, procfs_show) would do
 * all of this in one call.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/version.h>

#define PROC_NAME "procfs_hello"

static int reads;

static int procfs_show(struct seq_file *m, void *v)
{
	reads++;
	seq_printf(m, "Hello from the %s module.\n", KBUILD_MODNAME);
	seq_printf(m, "This file has been read %d time(s).\n", reads);
	return 0;
}

static int procfs_open(struct inode *inode, struct file *file)
{
	return single_open(file, procfs_show, NULL);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 6, 0)
static const struct proc_ops procfs_ops = {
	.proc_open = procfs_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};
#else
static const struct file_operations procfs_ops = {
	.owner = THIS_MODULE,
	.open = procfs_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};
#endif

static int __init procfs_init(void)
{
	struct proc_dir_entry *entry;

	entry = proc_create(PROC_NAME, 0444, NULL, &procfs_ops);
	if (!entry) {
		pr_err("could not create /proc/%s\n", PROC_NAME);
		return -ENOMEM;
	}
	pr_info("created /proc/%s\n", PROC_NAME);
	return 0;
}

static void __exit procfs_exit(void)
{
	remove_proc_entry(PROC_NAME, NULL);
	pr_info("removed /proc/%s\n", PROC_NAME);
}

module_init(procfs_init);
module_exit(procfs_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("procfs: a read-only /proc file built with seq_file");
