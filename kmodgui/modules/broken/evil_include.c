// SPDX-License-Identifier: GPL-2.0
/*
 * evil_include.c - a module trying to read a file of the host.
 *
 * Module source is untrusted input.  The simulator's preprocessor only
 * looks for includes in its own kernel headers and in the module's folder,
 * so this include is "No such file or directory" and the build stops
 * there, exactly as if the file did not exist.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include "/etc/passwd"

static int __init evil_include_init(void)
{
	printk(KERN_INFO "evil_include module being loaded.\n");
	return 0;
}

static void __exit evil_include_exit(void)
{
	printk(KERN_INFO "evil_include module being unloaded.\n");
}

module_init(evil_include_init);
module_exit(evil_include_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("evil_include: includes a host file (refused)");
