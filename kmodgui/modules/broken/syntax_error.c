// SPDX-License-Identifier: GPL-2.0
/*
 * syntax_error.c - a module that does not compile.
 *
 * A semicolon is missing at the end of the printk() statement: the build
 * stops with a syntax error and there is nothing to insmod.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

static int __init syntax_error_init(void)
{
	printk(KERN_INFO "syntax_error module being loaded.\n")
	return 0;
}

static void __exit syntax_error_exit(void)
{
	printk(KERN_INFO "syntax_error module being unloaded.\n");
}

module_init(syntax_error_init);
module_exit(syntax_error_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("syntax_error: a missing semicolon");
