// SPDX-License-Identifier: GPL-2.0
/*
 * skull_leaky.c - skull.c with a planted bug: find it.
 *
 * The same three registrations and the same goto ladder as skull.c, but
 * one label is in the wrong place, so one of the failure paths returns
 * without undoing a registration that succeeded.  The leaked registration
 * outlives the module: the next insmod of it fails on that name.
 *
 * Try: inject a fault into each register_*() call in turn, compare the
 * timeline with skull.c, then run the audit.
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

	pr_info("unwinding: unregistering that\n");
	unregister_that(&that_item, KBUILD_MODNAME);
fail_those:
fail_that:
	pr_info("unwinding: unregistering this\n");
	unregister_this(&this_item, KBUILD_MODNAME);
fail_this:
	pr_err("init failed with error %d\n", err);
	return err; /* propagate the error */
}

static void __exit my_exit(void)
{
	pr_info("unregistering those, that, this\n");
	unregister_those(&those_item, KBUILD_MODNAME);
	unregister_that(&that_item, KBUILD_MODNAME);
	unregister_this(&this_item, KBUILD_MODNAME);
	pr_info("unloaded\n");
}

module_init(my_init);
module_exit(my_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("skull_leaky: a misplaced unwind label leaks a registration");
