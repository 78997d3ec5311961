// SPDX-License-Identifier: GPL-2.0
/*
 * skull_double.c - skull.c with a planted bug: find it.
 *
 * Someone rewrote the first step of the unwind ladder to undo everything
 * by itself, but left the ladder's fall-through in place: on one failure
 * path a registration is released twice.  Releasing something twice is
 * as wrong as not releasing it (think of a double kfree()).
 *
 * Try: inject a fault into each register_*() call in turn, then run the
 * audit.
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
	pr_info("unwinding: unregistering that and this\n");
	unregister_that(&that_item, KBUILD_MODNAME);
	unregister_this(&this_item, KBUILD_MODNAME);
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
MODULE_DESCRIPTION("skull_double: an unwind path releases a registration twice");
