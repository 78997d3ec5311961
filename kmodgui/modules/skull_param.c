// SPDX-License-Identifier: GPL-2.0
/*
 * skull_param.c - skull's goto ladder with real kernel calls, and a module
 * parameter that makes one step fail, so the unwind can be seen on any
 * kernel (a real one has no fault injection unless it was built with it).
 *
 *   insmod skull_param.ko                 all three steps, loads
 *   insmod skull_param.ko fail_at=3       the third step fails: the first
 *                                         two are undone, init returns -ENOMEM
 *
 * The steps: a buffer from kmalloc(), a second one, a /proc file.  A
 * failure jumps to the label that undoes exactly what was already done.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static int fail_at;
module_param(fail_at, int, 0444);
MODULE_PARM_DESC(fail_at, "make step 1, 2 or 3 of init fail (0: none)");

static char *this_buf, *that_buf;
static struct proc_dir_entry *those_entry;

static int those_show(struct seq_file *m, void *v)
{
	seq_puts(m, "skull_param: this, that and those are registered\n");
	return 0;
}

static int __init skull_param_init(void)
{
	int err = -ENOMEM;

	pr_info("registering this\n");
	this_buf = fail_at == 1 ? NULL : kmalloc(64, GFP_KERNEL);
	if (!this_buf)
		goto fail_this;

	pr_info("registering that\n");
	that_buf = fail_at == 2 ? NULL : kmalloc(64, GFP_KERNEL);
	if (!that_buf)
		goto fail_that;

	pr_info("registering those\n");
	those_entry = fail_at == 3 ? NULL
		: proc_create_single("skull_param", 0444, NULL, those_show);
	if (!those_entry)
		goto fail_those;

	pr_info("loaded\n");
	return 0;

fail_those:
	pr_info("unwinding: freeing that\n");
	kfree(that_buf);
fail_that:
	pr_info("unwinding: freeing this\n");
	kfree(this_buf);
fail_this:
	pr_err("init failed with error %d\n", err);
	return err;
}

static void __exit skull_param_exit(void)
{
	pr_info("unregistering those, that, this\n");
	proc_remove(those_entry);
	kfree(that_buf);
	kfree(this_buf);
	pr_info("unloaded\n");
}

module_init(skull_param_init);
module_exit(skull_param_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("skull_param: the goto unwind ladder, a step made to fail by fail_at=N");
