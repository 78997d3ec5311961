// SPDX-License-Identifier: GPL-2.0
/*
 * spin.c - an init routine that never returns.
 *
 * The loop below never ends and never sleeps, so insmod never returns.
 * The kernel's watchdog notices the CPU that stopped scheduling: after
 * some 22-26 seconds it reports "watchdog: BUG: soft lockup - CPU#0 stuck
 * for 26s! [insmod:...]" (taint L), and again every ~26 seconds.  The
 * module stays "Loading" for good: it can neither finish loading nor be
 * removed.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

static int __init spin_init(void)
{
	unsigned long laps = 0;

	printk(KERN_INFO "spin module being loaded (init never returns).\n");
	for (;;)
		laps++;
	return 0;
}

static void __exit spin_exit(void)
{
	printk(KERN_INFO "spin module being unloaded.\n");
}

module_init(spin_init);
module_exit(spin_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("spin: init loops forever (soft lockup)");
