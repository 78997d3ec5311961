// SPDX-License-Identifier: GPL-2.0
/* hi_permanent.c - has an init routine but NO exit routine: cannot be unloaded
 * (shows as [permanent] in /proc/modules) unless forced. */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

static int __init hi_permanent_init(void)
{
	printk(KERN_INFO "hi_permanent module being loaded (no exit routine).\n");
	return 0;
}

module_init(hi_permanent_init);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Oracle Recorder");
MODULE_DESCRIPTION("hi_permanent: init only, no module_exit");
