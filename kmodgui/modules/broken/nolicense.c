// SPDX-License-Identifier: GPL-2.0
/*
 * nolicense.c - hi.c without MODULE_LICENSE().
 *
 * The license line is what lets the kernel decide whether a module may
 * use GPL-only symbols and whether loading it taints the kernel.  In 6.1
 * a missing one is a build error: modpost stops with
 * "ERROR: modpost: missing MODULE_LICENSE() in .../nolicense.o".  In
 * 2.6.30 it was only a warning, and loading the module tainted the kernel
 * as proprietary (P).
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

static int __init nolicense_init(void)
{
	printk(KERN_INFO "nolicense module being loaded.\n");
	return 0;
}

static void __exit nolicense_exit(void)
{
	printk(KERN_INFO "nolicense module being unloaded.\n");
}

module_init(nolicense_init);
module_exit(nolicense_exit);

MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("nolicense: no MODULE_LICENSE(), so modpost refuses it");
