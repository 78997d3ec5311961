#include <linux/init.h>
#include <linux/module.h>
#include <linux/uidgid.h>

static kuid_t owner = GLOBAL_ROOT_UID;
static kuid_t copy = owner;

static int __init hi_init(void)
{
	return __kuid_val(copy);
}

static void __exit hi_exit(void)
{
	printk(KERN_INFO "hi: unloaded\n");
}

module_init(hi_init);
module_exit(hi_exit);
MODULE_LICENSE("GPL");
