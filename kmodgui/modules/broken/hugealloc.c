// SPDX-License-Identifier: GPL-2.0
/*
 * hugealloc.c - asking kmalloc() for far too much memory.
 *
 * kmalloc() serves small objects; a 1 TiB request goes to the page
 * allocator, which refuses an order that large with a warning and a stack
 * dump, and kmalloc() returns NULL.  init checks for that and fails with
 * -ENOMEM, so insmod prints "Cannot allocate memory".  (Without the check,
 * the next line would dereference NULL.)
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>

static char *huge;

static int __init hugealloc_init(void)
{
	printk(KERN_INFO "hugealloc module being loaded.\n");
	huge = kmalloc(1UL << 40, GFP_KERNEL);
	if (!huge) {
		printk(KERN_ERR "hugealloc: kmalloc of 1 TiB failed\n");
		return -ENOMEM;
	}
	huge[0] = 'x';
	return 0;
}

static void __exit hugealloc_exit(void)
{
	kfree(huge);
	printk(KERN_INFO "hugealloc module being unloaded.\n");
}

module_init(hugealloc_init);
module_exit(hugealloc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("hugealloc: kmalloc(1 TiB) fails");
