// SPDX-License-Identifier: GPL-2.0
/*
 * stop.c - the other half of startstop.ko (see start.c).
 *
 * cleanup_module() is the old-style exit routine, found by name.  The
 * modinfo lines (license, author, ...) are in start.c: one per module is
 * enough.
 */
#include <linux/kernel.h>
#include <linux/module.h>

void cleanup_module(void)
{
	pr_info("startstop: cleanup_module() in stop.c\n");
}
