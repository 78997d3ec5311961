// SPDX-License-Identifier: GPL-2.0
/*
 * expo.c - exporting symbols to other modules (see user.c).
 *
 * A module's functions are private unless exported.  EXPORT_SYMBOL()
 * makes expo_add() callable from any module loaded after this one;
 * EXPORT_SYMBOL_GPL() offers expo_mul() only to modules with a
 * GPL-compatible license.  Once user.ko uses them, expo is pinned: lsmod
 * shows "expo ... 1 user" and "rmmod expo" fails as in use until user is
 * removed.  Loading user.ko without expo fails: "Unknown symbol".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/export.h>

int expo_add(int a, int b)
{
	return a + b;
}
EXPORT_SYMBOL(expo_add);

int expo_mul(int a, int b)
{
	return a * b;
}
EXPORT_SYMBOL_GPL(expo_mul);

static int __init expo_init(void)
{
	pr_info("exporting expo_add and expo_mul (GPL only)\n");
	return 0;
}

static void __exit expo_exit(void)
{
	pr_info("unloading\n");
}

module_init(expo_init);
module_exit(expo_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("expo: exports expo_add() and the GPL-only expo_mul()");
