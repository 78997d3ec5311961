#include <linux/module.h>
MODULE_LICENSE("GPL");

static volatile int num = 7, den;

static int __init div_zero_init(void)
{
	pr_info("div_zero: %d\n", num / den);
	return 0;
}
module_init(div_zero_init);
