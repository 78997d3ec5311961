// SPDX-License-Identifier: GPL-2.0
/*
 * counters.c - atomic counters and a bitmap, with only <linux/module.h>
 * included (on 6.1 it brings in atomic.h and the bit operations).
 */
#include <linux/module.h>

static atomic_t opens = ATOMIC_INIT(0);
static atomic64_t bytes = ATOMIC64_INIT(0);
static DECLARE_BITMAP(slots, 128);

static int __init counters_init(void)
{
	int old;

	atomic_inc(&opens);
	atomic_add(4, &opens);
	old = atomic_cmpxchg(&opens, 5, 10);
	atomic64_add(1L << 40, &bytes);
	set_bit(3, slots);
	set_bit(100, slots);
	pr_info("counters: opens=%d (was %d) bytes=%lld\n",
		atomic_read(&opens), old, atomic64_read(&bytes));
	pr_info("counters: slot 3 %d, slot 4 %d, slot 100 %d, taken again %d\n",
		test_bit(3, slots), test_bit(4, slots), test_bit(100, slots),
		test_and_set_bit(100, slots));
	pr_info("counters: dec_and_test %d\n", atomic_sub_and_test(10, &opens));
	return 0;
}

static void __exit counters_exit(void)
{
	pr_info("counters: bye\n");
}

module_init(counters_init);
module_exit(counters_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("atomic_t, atomic64_t and bit operations");
