// SPDX-License-Identifier: GPL-2.0
/*
 * lock_abba.c - two mutexes taken in both orders (AB, then BA).
 *
 * Run by one task one after the other, nothing deadlocks, and Debian's
 * kernel says nothing.  But were the two paths run by two tasks at once,
 * each could hold one lock and wait for the other forever.  With
 * CONFIG_PROVE_LOCKING=y (Kernel hacking -> Lock Debugging) lockdep
 * remembers that lock_b was taken under lock_a and reports the reverse
 * order the first time it happens: "possible circular locking dependency
 * detected".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/mutex.h>

static DEFINE_MUTEX(lock_a);
static DEFINE_MUTEX(lock_b);
static int shared;

static void path_ab(void)
{
	mutex_lock(&lock_a);
	mutex_lock(&lock_b);
	shared++;
	mutex_unlock(&lock_b);
	mutex_unlock(&lock_a);
}

static void path_ba(void)
{
	mutex_lock(&lock_b);
	mutex_lock(&lock_a);		/* the reverse order */
	shared++;
	mutex_unlock(&lock_a);
	mutex_unlock(&lock_b);
}

static int __init lock_abba_init(void)
{
	path_ab();
	path_ba();
	pr_info("shared = %d\n", shared);
	return 0;
}

static void __exit lock_abba_exit(void)
{
}

module_init(lock_abba_init);
module_exit(lock_abba_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("Two mutexes taken in both orders: lockdep's circular dependency");
