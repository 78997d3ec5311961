// SPDX-License-Identifier: GPL-2.0
/*
 * leak.c - a memory leak: what init allocates, exit must free.
 *
 * init kmalloc()s a buffer and keeps the pointer in a static variable;
 * exit forgets the matching kfree().  rmmod succeeds and says nothing, but
 * the 128 bytes stay allocated for as long as the kernel runs: nobody
 * holds the pointer any more.  kmemleak reports such objects as
 * "unreferenced object ... (size 128)" with the allocation's backtrace.
 *
 * Try: load and unload it a few times and watch the memory lane, or ask
 * for a kmemleak scan.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>

#define BUF_SIZE 128

static char *buffer;

static int __init leak_init(void)
{
	buffer = kmalloc(BUF_SIZE, GFP_KERNEL);
	if (!buffer)
		return -ENOMEM;
	snprintf(buffer, BUF_SIZE, "allocated by %s", KBUILD_MODNAME);
	pr_info("allocated %d bytes: \"%s\"\n", BUF_SIZE, buffer);
	return 0;
}

static void __exit leak_exit(void)
{
	/* The kfree(buffer) that belongs here is missing. */
	pr_info("unloading\n");
}

module_init(leak_init);
module_exit(leak_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("leak: exit forgets to kfree what init allocated");
