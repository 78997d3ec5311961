#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

static int twice(int x)
{
	if (x > 0)
		return 2 * x;
}

static int __init hi_init(void)
{
	return twice(1) - 2;
}

static void __exit hi_exit(void)
{
	printk(KERN_INFO "hi: unloaded\n");
}

module_init(hi_init);
module_exit(hi_exit);
MODULE_LICENSE("GPL");
