// SPDX-License-Identifier: GPL-2.0
/*
 * skull_wrong_order.c - skull.c with a planted bug: find it.
 *
 * init is the same as skull.c's, and exit does release everything, but not
 * in the reverse order of registration.  LDD3 calls the reverse order a
 * custom rather than a rule, but it is the safe habit: a facility
 * registered later may depend on an earlier one (a device on its class,
 * a /proc file on its directory), and releasing the earlier one first
 * leaves the later one dangling for a moment.
 *
 * Try: load and unload it, compare the timeline with skull.c, run the audit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/skull.h>

static int this_item, that_item, those_item;	/* what we register */

static int __init my_init(void)
{
	int err;

	pr_info("registering this\n");
	err = register_this(&this_item, KBUILD_MODNAME);
	if (err)
		goto fail_this;

	pr_info("registering that\n");
	err = register_that(&that_item, KBUILD_MODNAME);
	if (err)
		goto fail_that;

	pr_info("registering those\n");
	err = register_those(&those_item, KBUILD_MODNAME);
	if (err)
		goto fail_those;

	pr_info("loaded\n");
	return 0; /* success */

fail_those:
	pr_info("unwinding: unregistering that\n");
	unregister_that(&that_item, KBUILD_MODNAME);
fail_that:
	pr_info("unwinding: unregistering this\n");
	unregister_this(&this_item, KBUILD_MODNAME);
fail_this:
	pr_err("init failed with error %d\n", err);
	return err; /* propagate the error */
}

static void __exit my_exit(void)
{
	pr_info("unregistering this, that, those\n");
	unregister_this(&this_item, KBUILD_MODNAME);
	unregister_that(&that_item, KBUILD_MODNAME);
	unregister_those(&those_item, KBUILD_MODNAME);
	pr_info("unloaded\n");
}

module_init(my_init);
module_exit(my_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("skull_wrong_order: exit releases in the order of registration");
