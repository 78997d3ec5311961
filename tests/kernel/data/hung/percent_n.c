#include <linux/module.h>
MODULE_LICENSE("GPL");

static int __init percent_n_init(void)
{
	int n = 0;

	pr_info("percent_n: a%nb\n", &n);
	pr_info("percent_n: again%n!\n", &n);
	pr_info("percent_n: n=%d\n", n);
	return 0;
}

static void __exit percent_n_exit(void)
{
}
module_init(percent_n_init);
module_exit(percent_n_exit);
