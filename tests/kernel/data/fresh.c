// SPDX-License-Identifier: GPL-2.0
/*
 * fresh.c - what a fresh kmalloc() object holds before anyone writes it.
 *
 * Debian's 6.1 is built with CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y: the slab
 * allocator clears every object it hands out (slab_want_init_on_alloc()
 * in mm/slab.h), unless it comes from a cache with a constructor.
 */
#include <linux/module.h>
#include <linux/slab.h>

static unsigned int nonzero(const unsigned char *p, size_t n)
{
	unsigned int count = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			count++;
	return count;
}

static int __init fresh_init(void)
{
	static const size_t sizes[] = { 8, 128, 1000, 8192, 20000 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned char *p = kmalloc(sizes[i], GFP_KERNEL);

		if (!p)
			return -ENOMEM;
		pr_info("fresh: kmalloc(%zu): %u nonzero bytes, first %02x\n",
			sizes[i], nonzero(p, sizes[i]), p[0]);
		kfree(p);
	}
	return 0;
}

static void __exit fresh_exit(void)
{
}

module_init(fresh_init);
module_exit(fresh_exit);
MODULE_LICENSE("GPL");
