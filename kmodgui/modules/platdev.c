// SPDX-License-Identifier: GPL-2.0
/*
 * platdev.c - adds the platform device "platdemo.0" with its
 * platform_data (a copy: platform_device_add_data() duplicates it).  With
 * platdrv loaded the device is probed as soon as it is added; rmmod
 * platdev unregisters it, and the driver's remove() runs first.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include "platdemo.h"

static struct platdemo_data data = {
	.greeting = "hello from platdev",
	.number = 42,
};
static struct platform_device *pdev;

static int __init platdev_init(void)
{
	int ret;

	pdev = platform_device_alloc("platdemo", 0);
	if (!pdev)
		return -ENOMEM;
	ret = platform_device_add_data(pdev, &data, sizeof(data));
	if (ret)
		goto fail;
	ret = platform_device_add(pdev);
	if (ret)
		goto fail;
	pr_info("platdev: added %s\n", dev_name(&pdev->dev));
	return 0;

fail:
	platform_device_put(pdev);
	return ret;
}

static void __exit platdev_exit(void)
{
	platform_device_unregister(pdev);
	pr_info("platdev: removed\n");
}

module_init(platdev_init);
module_exit(platdev_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("A platform device with platform_data");
