#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

static int __init printloop_init(void)
{
	int i;

	for (i = 0; i < 10; i)
		printk(KERN_ALERT "(%d) Hello, %s\n", i, "world");
	return 0;
}

static void __exit printloop_exit(void)
{
}

module_init(printloop_init);
module_exit(printloop_exit);
MODULE_LICENSE("GPL");
