#include <linux/init.h>
#include <linux/module.h>

int provider_twice(int x);

static int __init user_init(void)
{
	pr_info("user: %d\n", provider_twice(21));
	return 0;
}

static void __exit user_exit(void)
{
}

module_init(user_init);
module_exit(user_exit);
MODULE_LICENSE("GPL");
