// SPDX-License-Identifier: GPL-2.0
/*
 * uaf.c - a use-after-free: init frees its buffer, then writes to it.
 *
 * Debian's kernel (no KASAN) lets the write land in the freed object and
 * says nothing; the module loads.  With CONFIG_KASAN=y (Kernel hacking ->
 * Memory Debugging) the write is caught as it happens: "BUG: KASAN:
 * use-after-free in uaf_init", the access and the stack, taint B.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/slab.h>

static int __init uaf_init(void)
{
	char *buf = kmalloc(32, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	kfree(buf);
	buf[0] = 'x';		/* the bug: buf is gone */
	pr_info("wrote to a freed buffer\n");
	return 0;
}

static void __exit uaf_exit(void)
{
}

module_init(uaf_init);
module_exit(uaf_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("A use-after-free that only KASAN reports");
