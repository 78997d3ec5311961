#include <linux/init.h>
#include <linux/module.h>

static int __init hi_init(void)
{
	void *p = kmalloc(16, GFP_KERNEL);
	return p ? 0 : -1;
}

static void __exit hi_exit(void)
{
	printk(KERN_INFO "hi: unloaded\n");
}

module_init(hi_init);
module_exit(hi_exit);
MODULE_LICENSE("GPL");
