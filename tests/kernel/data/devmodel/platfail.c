// SPDX-License-Identifier: GPL-2.0
/*
 * platfail.c - two platform devices named "platdemo" without
 * platform_data (platdrv's probe refuses them with -EINVAL), and one
 * registered twice under the same id (-EEXIST).
 */
#include <linux/module.h>
#include <linux/platform_device.h>

static struct platform_device *one, *two;

static int __init platfail_init(void)
{
	struct platform_device *again;

	one = platform_device_register_simple("platdemo", 1, NULL, 0);
	if (IS_ERR(one))
		return PTR_ERR(one);
	pr_info("platfail: registered %s\n", dev_name(&one->dev));
	again = platform_device_register_simple("platdemo", 1, NULL, 0);
	pr_info("platfail: again: %d\n", PTR_ERR_OR_ZERO(again));
	two = platform_device_register_simple("platdemo", PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(two)) {
		platform_device_unregister(one);
		return PTR_ERR(two);
	}
	pr_info("platfail: registered %s, bound %d\n", dev_name(&two->dev),
		two->dev.driver != NULL);
	return 0;
}

static void __exit platfail_exit(void)
{
	platform_device_unregister(two);
	platform_device_unregister(one);
}

module_init(platfail_init);
module_exit(platfail_exit);
MODULE_LICENSE("GPL");
