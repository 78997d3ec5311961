// SPDX-License-Identifier: GPL-2.0
/*
 * atomic_sleep.c - a call that may sleep, made under a spinlock.
 *
 * kmalloc(GFP_KERNEL) may sleep to reclaim memory, and code holding a
 * spinlock must not sleep.  Memory is plentiful here, so it does not, and
 * Debian's kernel says nothing.  With CONFIG_DEBUG_ATOMIC_SLEEP=y
 * (Kernel hacking -> Lock Debugging) might_sleep() checks every such call:
 * "BUG: sleeping function called from invalid context at
 * include/linux/sched/mm.h:274", the preempt count, a stack dump, taint W.
 * The fix: GFP_ATOMIC, or allocate before taking the lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

static DEFINE_SPINLOCK(table_lock);
static void *entry;

static int __init atomic_sleep_init(void)
{
	spin_lock(&table_lock);
	entry = kmalloc(64, GFP_KERNEL);	/* the bug: may sleep under the lock */
	spin_unlock(&table_lock);
	if (!entry)
		return -ENOMEM;
	pr_info("allocated under a spinlock\n");
	return 0;
}

static void __exit atomic_sleep_exit(void)
{
	kfree(entry);
}

module_init(atomic_sleep_init);
module_exit(atomic_sleep_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("kmalloc(GFP_KERNEL) under a spinlock: DEBUG_ATOMIC_SLEEP's report");
