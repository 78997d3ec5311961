#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

static void nothing(void)
{
}

static int __init hi_init(void)
{
	int x = nothing();

	return x;
}

static void __exit hi_exit(void)
{
	printk(KERN_INFO "hi: unloaded\n");
}

module_init(hi_init);
module_exit(hi_exit);
MODULE_LICENSE("GPL");
