// SPDX-License-Identifier: GPL-2.0
/*
 * nullderef.c - an init routine that writes through a NULL pointer.
 *
 * The kernel oopses: "BUG: kernel NULL pointer dereference, address:
 * 0000000000000000", "Oops: 0002 [#1] PREEMPT SMP NOPTI" (0002: a write),
 * a register dump and a call trace through do_init_module; taint D.
 * insmod is killed, and the module stays "Loading" forever with a
 * reference held: it can never be removed.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

struct config {
	int verbose;
	int level;
};

static struct config *cfg;	/* never allocated: still NULL */

static int __init nullderef_init(void)
{
	printk(KERN_INFO "nullderef module being loaded.\n");
	cfg->verbose = 1;
	printk(KERN_INFO "nullderef: not reached.\n");
	return 0;
}

static void __exit nullderef_exit(void)
{
	printk(KERN_INFO "nullderef module being unloaded.\n");
}

module_init(nullderef_init);
module_exit(nullderef_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("nullderef: init writes through a NULL pointer (oops)");
