/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/platform_device.h>: platform devices and drivers
 * (drivers/base/platform.c).  platform_driver_register() binds the driver
 * to every device of the same name, calling probe(); unregistering calls
 * remove().  module_platform_driver() writes the module's init and exit.
 */
#ifndef _PLATFORM_DEVICE_H_
#define _PLATFORM_DEVICE_H_

#include <linux/types.h>
#include <linux/device.h>
#include <linux/init.h>

struct module;

struct platform_device {
	const char *name;
	int id;
	bool id_auto;
	struct device *__kmodsim_dev;	/* the real one embeds struct device dev */
};

struct pm_message { int event; };
typedef struct pm_message pm_message_t;

struct device_driver {
	const char *name;
	struct module *owner;
};

struct platform_driver {
	int (*probe)(struct platform_device *);
	int (*remove)(struct platform_device *);
	void (*shutdown)(struct platform_device *);
	int (*suspend)(struct platform_device *, pm_message_t state);
	int (*resume)(struct platform_device *);
	struct device_driver driver;
};

#define PLATFORM_DEVID_NONE (-1)
#define PLATFORM_DEVID_AUTO (-2)

int __platform_driver_register(struct platform_driver *drv, struct module *owner);
#define platform_driver_register(drv) __platform_driver_register(drv, THIS_MODULE)
void platform_driver_unregister(struct platform_driver *drv);
struct platform_device *platform_device_register_simple(const char *name, int id,
		const void *res, unsigned int num);
int platform_device_register(struct platform_device *pdev);
void platform_device_unregister(struct platform_device *pdev);
struct platform_device *platform_device_alloc(const char *name, int id);
int platform_device_add(struct platform_device *pdev);
void platform_device_put(struct platform_device *pdev);
void *platform_get_drvdata(const struct platform_device *pdev);
void platform_set_drvdata(struct platform_device *pdev, void *data);

#define module_platform_driver(__platform_driver) \
	static int __init __platform_driver##_init(void) \
	{ return platform_driver_register(&(__platform_driver)); } \
	module_init(__platform_driver##_init); \
	static void __exit __platform_driver##_exit(void) \
	{ platform_driver_unregister(&(__platform_driver)); } \
	module_exit(__platform_driver##_exit)

#endif /* _PLATFORM_DEVICE_H_ */
