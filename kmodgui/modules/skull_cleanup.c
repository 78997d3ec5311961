// SPDX-License-Identifier: GPL-2.0
/*
 * skull_cleanup.c - error handling with a shared cleanup routine (LDD3 ch. 2).
 *
 * The alternative to the goto ladder: init records what it has done (a
 * non-NULL pointer, a flag) and on any failure calls my_cleanup(), which
 * undoes exactly what was recorded.  exit calls the same routine, so the
 * undo code exists once.  The price is a little more code and CPU time,
 * which is why fast paths still use goto.
 *
 * my_cleanup() is called from both init and exit, so it must be neither
 * __init (freed after init) nor __exit (may be discarded).
 *
 * Try: inject a fault into the second kmalloc() or into register_stuff().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/skull.h>

struct item {
	int id;
	unsigned long flags;
};

static struct item *item1;
static struct item *item2;
static int stuff_ok;	/* set once register_stuff() succeeded */

/* Undoes whatever init managed to do; safe to call at any point. */
static void my_cleanup(void)
{
	if (stuff_ok) {
		pr_info("cleanup: unregistering stuff\n");
		unregister_stuff(item1, KBUILD_MODNAME);
		stuff_ok = 0;
	}
	if (item2) {
		pr_info("cleanup: freeing item2\n");
		kfree(item2);
		item2 = NULL;
	}
	if (item1) {
		pr_info("cleanup: freeing item1\n");
		kfree(item1);
		item1 = NULL;
	}
}

static int __init my_init(void)
{
	int err = -ENOMEM;

	item1 = kmalloc(sizeof(*item1), GFP_KERNEL);
	item2 = kmalloc(sizeof(*item2), GFP_KERNEL);
	if (!item1 || !item2)
		goto fail;
	item1->id = 1;
	item2->id = 2;
	pr_info("allocated item1 and item2\n");

	err = register_stuff(item1, KBUILD_MODNAME);
	if (err)
		goto fail;
	stuff_ok = 1;
	pr_info("registered stuff\n");

	return 0; /* success */

fail:
	pr_err("init failed with error %d, cleaning up\n", err);
	my_cleanup();
	return err;
}

static void __exit my_exit(void)
{
	my_cleanup();
	pr_info("unloaded\n");
}

module_init(my_init);
module_exit(my_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("skull_cleanup: init and exit share one cleanup routine");
