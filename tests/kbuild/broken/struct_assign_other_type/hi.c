#include <linux/init.h>
#include <linux/module.h>
#include <linux/uidgid.h>

static int __init hi_init(void)
{
	kuid_t uid;
	kgid_t gid = GLOBAL_ROOT_GID;

	uid = gid;
	return __kuid_val(uid);
}

static void __exit hi_exit(void)
{
	printk(KERN_INFO "hi: unloaded\n");
}

module_init(hi_init);
module_exit(hi_exit);
MODULE_LICENSE("GPL");
