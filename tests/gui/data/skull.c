// SPDX-License-Identifier: GPL-2.0
/*
 * skull.c - LDD3 chapter 2: init registers three facilities and
 * unwinds with a goto ladder when one fails.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/skull.h>

static int ptr1, ptr2, ptr3;

static int __init my_init(void)
{
	int err;

	err = register_this(&ptr1, "skull");
	if (err)
		goto fail_this;
	err = register_that(&ptr2, "skull");
	if (err)
		goto fail_that;
	err = register_those(&ptr3, "skull");
	if (err)
		goto fail_those;
	return 0; /* success */

fail_those:
	unregister_that(&ptr2, "skull");
fail_that:
	unregister_this(&ptr1, "skull");
fail_this:
	return err; /* propagate the error */
}

static void __exit my_exit(void)
{
	unregister_those(&ptr3, "skull");
	unregister_that(&ptr2, "skull");
	unregister_this(&ptr1, "skull");
}

module_init(my_init);
module_exit(my_exit);
MODULE_LICENSE("GPL");
