#include <linux/module.h>
#include <linux/limits.h>
MODULE_LICENSE("GPL");

static volatile int num = INT_MIN, den = -1;

static int __init mod_intmin_init(void)
{
	pr_info("mod_intmin: %d\n", num % den);
	return 0;
}
module_init(mod_intmin_init);
