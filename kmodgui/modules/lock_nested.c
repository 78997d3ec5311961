// SPDX-License-Identifier: GPL-2.0
/*
 * lock_nested.c - two locks of one lock class, taken one inside the other.
 *
 * Both mutexes are initialised by the same mutex_init() line, so lockdep
 * sees one lock class, "&it->lock".  Taking b's while holding a's is fine
 * here (they are different locks), but in code that may pick them in
 * either order it deadlocks, and lockdep cannot tell: with
 * CONFIG_PROVE_LOCKING=y (Kernel hacking -> Lock Debugging) it reports
 * "possible recursive locking detected" ("May be due to missing lock
 * nesting notation": mutex_lock_nested() says which is which).  Debian's
 * kernel says nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/mutex.h>

struct item {
	struct mutex lock;
	int value;
};

static struct item a, b;

static void item_init(struct item *it, int value)
{
	mutex_init(&it->lock);
	it->value = value;
}

static int __init lock_nested_init(void)
{
	item_init(&a, 1);
	item_init(&b, 2);
	mutex_lock(&a.lock);
	mutex_lock(&b.lock);		/* same class as the one held */
	a.value += b.value;
	mutex_unlock(&b.lock);
	mutex_unlock(&a.lock);
	pr_info("a = %d\n", a.value);
	return 0;
}

static void __exit lock_nested_exit(void)
{
}

module_init(lock_nested_init);
module_exit(lock_nested_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("Two locks of one class nested: lockdep's recursive locking report");
