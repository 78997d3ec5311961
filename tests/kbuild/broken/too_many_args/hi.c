#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

static int add(int a, int b)
{
	return a + b;
}

static int __init hi_init(void)
{
	return add(1, 2, 3);
}

static void __exit hi_exit(void)
{
	printk(KERN_INFO "hi: unloaded\n");
}

module_init(hi_init);
module_exit(hi_exit);
MODULE_LICENSE("GPL");
