#include <linux/init.h>
#include <linux/module.h>
#include <linux/uidgid.h>

static unsigned int uid_of(kuid_t uid)
{
	return uid.val;
}

static int __init hi_init(void)
{
	return uid_of(0);
}

static void __exit hi_exit(void)
{
	printk(KERN_INFO "hi: unloaded\n");
}

module_init(hi_init);
module_exit(hi_exit);
MODULE_LICENSE("GPL");
