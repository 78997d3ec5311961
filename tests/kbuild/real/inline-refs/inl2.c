#include <linux/module.h>
#include <linux/sysfs.h>
static struct kobject *k;
static struct attribute at;
static int __init t_init(void) { return sysfs_create_file(k, &at); }
static void __exit t_exit(void) { }
module_init(t_init); module_exit(t_exit);
MODULE_LICENSE("GPL");
