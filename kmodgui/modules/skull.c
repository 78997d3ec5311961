// SPDX-License-Identifier: GPL-2.0
/*
 * skull.c - error handling in an init routine: the goto ladder (LDD3, ch. 2).
 *
 * my_init() registers three facilities, this, that and those.  Any step can
 * fail; when one does, init must undo every step that already succeeded
 * before returning the error, or the kernel keeps registrations that point
 * into a module that no longer exists.  The classic shape is a ladder of
 * labels in reverse order: a failure jumps to the label that undoes
 * exactly what was done before it, and falls through the rest.
 *
 * my_exit() undoes everything, in the reverse order of registration.
 *
 * Try: inject a fault into register_those() and watch the unwind.
 * (register_this() & co. are the lesson's placeholders: see <linux/skull.h>.)
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
MODULE_DESCRIPTION("skull: init with a goto unwind ladder, exit in reverse order");
