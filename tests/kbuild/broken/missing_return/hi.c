#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

static int __init hi_init(void)
{
	printk(KERN_INFO "hi\n");
}

static void __exit hi_exit(void)
{
	printk(KERN_INFO "hi: unloaded\n");
}

module_init(hi_init);
module_exit(hi_exit);
MODULE_LICENSE("GPL");
