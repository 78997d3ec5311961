// SPDX-License-Identifier: GPL-2.0
/*
 * pcb.c: a parameter with operations of its own (module_param_cb()), as
 * hello-6.c in the guide: set() runs for `insmod pcb.ko level=N` and for
 * each write to /sys/module/pcb/parameters/level, get() for each read;
 * both wrap kernel/params.c's param_set_int()/param_get_int().
 */
#include <linux/module.h>
#include <linux/moduleparam.h>

static int level = 3;
static int sets, gets;

static int level_set(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_int(val, kp);

	sets++;
	pr_info("pcb: set '%s' of %s: %d, level %d (set %d)\n", val, kp->name, ret,
		*(int *)kp->arg, sets);
	return ret;
}

static int level_get(char *buffer, const struct kernel_param *kp)
{
	int ret = param_get_int(buffer, kp);

	gets++;
	pr_info("pcb: get of %s: %d bytes (get %d)\n", kp->name, ret, gets);
	return ret;
}

static const struct kernel_param_ops level_ops = {
	.set = level_set,
	.get = level_get,
};

module_param_cb(level, &level_ops, &level, 0644);
MODULE_PARM_DESC(level, "a level that logs every access");

static int __init pcb_init(void)
{
	pr_info("pcb: level %d at init\n", level);
	return 0;
}

static void __exit pcb_exit(void)
{
	pr_info("pcb: level %d at exit, %d sets, %d gets\n", level, sets, gets);
}

module_init(pcb_init);
module_exit(pcb_exit);
MODULE_LICENSE("GPL");
