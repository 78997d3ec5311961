// SPDX-License-Identifier: GPL-2.0
/*
 * platstatic.c - a platform device in the module's own memory, registered
 * with platform_device_register(), without a release function: the
 * driver core complains when its last reference goes.
 */
#include <linux/module.h>
#include <linux/platform_device.h>

static struct platform_device pdev = {
	.name = "platdemo",
	.id = 7,
};

static int __init platstatic_init(void)
{
	int ret = platform_device_register(&pdev);

	pr_info("platstatic: register %d, %s bound %d\n", ret, dev_name(&pdev.dev),
		pdev.dev.driver != NULL);
	return ret;
}

static void __exit platstatic_exit(void)
{
	platform_device_unregister(&pdev);
	pr_info("platstatic: unregistered\n");
}

module_init(platstatic_init);
module_exit(platstatic_exit);
MODULE_LICENSE("GPL");
