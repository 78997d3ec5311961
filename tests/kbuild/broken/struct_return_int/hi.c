#include <linux/init.h>
#include <linux/module.h>
#include <linux/uidgid.h>

static kuid_t root_uid(void)
{
	return 0;
}

static int __init hi_init(void)
{
	return __kuid_val(root_uid());
}

static void __exit hi_exit(void)
{
	printk(KERN_INFO "hi: unloaded\n");
}

module_init(hi_init);
module_exit(hi_exit);
MODULE_LICENSE("GPL");
