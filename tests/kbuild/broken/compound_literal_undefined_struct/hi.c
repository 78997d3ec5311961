#include <linux/init.h>
#include <linux/module.h>

struct settings;

static int __init hi_init(void)
{
	struct settings *s = &(struct settings){ };

	return s != NULL ? 0 : -EINVAL;
}

static void __exit hi_exit(void)
{
	printk(KERN_INFO "hi: unloaded\n");
}

module_init(hi_init);
module_exit(hi_exit);
MODULE_LICENSE("GPL");
