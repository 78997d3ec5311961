#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

static int __init hi_init(void)
{
	printk(KERN_INFO "hi: loaded\n");
	return 0;
}

module_init(hi_init);
module_exit(hi_exit);
MODULE_LICENSE("GPL");
