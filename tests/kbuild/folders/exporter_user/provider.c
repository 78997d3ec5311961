#include <linux/init.h>
#include <linux/module.h>

int provider_twice(int x)
{
	return 2 * x;
}
EXPORT_SYMBOL(provider_twice);

static int __init provider_init(void)
{
	return 0;
}

static void __exit provider_exit(void)
{
}

module_init(provider_init);
module_exit(provider_exit);
MODULE_LICENSE("GPL");
