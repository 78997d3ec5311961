// SPDX-License-Identifier: GPL-2.0
/*
 * user.c - using symbols another module exports (see expo.c).
 *
 * expo_add() and expo_mul() are not defined here: the loader resolves them
 * against the symbols exported by modules already loaded.  So expo.ko
 * must be loaded first (modprobe would do it from the dependency list;
 * insmod does not), and while user is loaded expo cannot be removed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

extern int expo_add(int, int);
extern int expo_mul(int, int);

static int __init user_init(void)
{
	pr_info("expo_add(2, 3) = %d\n", expo_add(2, 3));
	pr_info("expo_mul(4, 5) = %d\n", expo_mul(4, 5));
	return 0;
}

static void __exit user_exit(void)
{
	pr_info("unloading\n");
}

module_init(user_init);
module_exit(user_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("user: calls the functions expo exports");
