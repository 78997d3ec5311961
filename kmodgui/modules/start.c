// SPDX-License-Identifier: GPL-2.0
/*
 * start.c - half of a module built from two source files (with stop.c).
 *
 * The Makefile says
 *	obj-m += startstop.o
 *	startstop-objs := start.o stop.o
 * so kbuild links start.o and stop.o into one module, startstop.ko.
 *
 * This file also shows the old way to name the entry points: functions
 * called init_module() and cleanup_module(), which the loader finds by
 * name, with no module_init()/module_exit().  Prefer module_init():
 * LKMPG reports that kernels built with x86 IBT refuse this style since
 * 6.15.
 */
#include <linux/kernel.h>
#include <linux/module.h>

int init_module(void)
{
	pr_info("startstop: init_module() in start.c\n");
	/* A non-zero return means init failed: the module is not loaded. */
	return 0;
}

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("startstop: one module from two files, old-style entry points");
