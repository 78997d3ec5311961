#define 3 x
#include <linux/init.h>
#include <linux/module.h>

static int __init hi_init(void)
{
	return 0;
}

static void __exit hi_exit(void)
{
}

module_init(hi_init);
module_exit(hi_exit);
MODULE_LICENSE("GPL");
