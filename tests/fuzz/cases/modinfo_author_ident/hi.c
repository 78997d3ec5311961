// SPDX-License-Identifier: GPL-2.0
/* hi.c - the smallest useful loadable module: init + exit. */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

static int __init hi_init(void)
{
	printk(KERN_INFO "hi module loaded.\n");
	return 0;
}

static void __exit hi_exit(void)
{
	printk(KERN_INFO "hi module being unloaded.\n");
}

module_init(hi_init);
module_exit(hi_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR(x);
MODULE_DESCRIPTION("hi: prints a line on load and on unload");
