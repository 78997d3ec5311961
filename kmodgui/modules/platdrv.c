// SPDX-License-Identifier: GPL-2.0
/*
 * platdrv.c - a platform driver for devices named "platdemo" (platdev.c
 * adds one).  The driver core calls probe() when a device of that name
 * meets the driver, whichever of the two came first, and remove() when
 * either goes.  probe() adds a device attribute, `greeting`, under
 * /sys/bus/platform/devices/platdemo.0/.  module_platform_driver() writes
 * the init and exit routines.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include "platdemo.h"

static ssize_t greeting_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct platdemo_data *pd = dev_get_platdata(dev);

	return sysfs_emit(buf, "%s %d\n", pd->greeting, pd->number);
}
static DEVICE_ATTR_RO(greeting);

static int platdrv_probe(struct platform_device *pdev)
{
	struct platdemo_data *pd = dev_get_platdata(&pdev->dev);

	if (!pd)
		return -EINVAL;
	dev_info(&pdev->dev, "probe: %s, %d\n", pd->greeting, pd->number);
	return device_create_file(&pdev->dev, &dev_attr_greeting);
}

static int platdrv_remove(struct platform_device *pdev)
{
	device_remove_file(&pdev->dev, &dev_attr_greeting);
	dev_info(&pdev->dev, "remove\n");
	return 0;
}

static struct platform_driver platdrv_driver = {
	.probe = platdrv_probe,
	.remove = platdrv_remove,
	.driver = {
		.name = "platdemo",
	},
};
module_platform_driver(platdrv_driver);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("A platform driver: probe and remove on a match");
