/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/platform_device.h>: platform devices and drivers
 * (drivers/base/platform.c), as 6.1 declares them.
 *
 * A platform device is named "NAME.ID" (just NAME for PLATFORM_DEVID_NONE);
 * registering it, or a driver called NAME, binds the two: the driver core
 * calls the driver's probe().  Unregistering either calls remove().
 * platform_device_alloc() + platform_device_add() is
 * platform_device_register() for a device the kernel allocates (and frees
 * at the last platform_device_put()); platform_device_register_simple()
 * does both in one call and returns ERR_PTR(-errno) on failure.
 * module_platform_driver() writes the module's init and exit.
 */
#ifndef _PLATFORM_DEVICE_H_
#define _PLATFORM_DEVICE_H_

#include <linux/types.h>
#include <linux/device.h>
#include <linux/init.h>

#define PLATFORM_DEVID_NONE	(-1)
#define PLATFORM_DEVID_AUTO	(-2)

struct resource;
struct mfd_cell;
struct platform_device_id;

struct platform_device {
	const char	*name;
	int		id;
	bool		id_auto;
	struct device	dev;
	u64		platform_dma_mask;
	u32		num_resources;
	struct resource	*resource;
	const struct platform_device_id	*id_entry;
	const char *driver_override;
	struct mfd_cell *mfd_cell;
};

#define to_platform_device(x) container_of((x), struct platform_device, dev)

struct platform_device_info {
	struct device *parent;
	void *fwnode;
	bool of_node_reused;
	const char *name;
	int id;
	const struct resource *res;
	unsigned int num_res;
	const void *data;
	size_t size_data;
	u64 dma_mask;
	const void *properties;
};

struct platform_device *platform_device_register_full(
		const struct platform_device_info *pdevinfo);

static inline struct platform_device *platform_device_register_resndata(
		struct device *parent, const char *name, int id,
		const struct resource *res, unsigned int num,
		const void *data, size_t size)
{
	struct platform_device_info pdevinfo = {
		.parent = parent,
		.name = name,
		.id = id,
		.res = res,
		.num_res = num,
		.data = data,
		.size_data = size,
		.dma_mask = 0,
	};

	return platform_device_register_full(&pdevinfo);
}

static inline struct platform_device *platform_device_register_simple(
		const char *name, int id, const struct resource *res, unsigned int num)
{
	return platform_device_register_resndata(NULL, name, id, res, num, NULL, 0);
}

static inline struct platform_device *platform_device_register_data(
		struct device *parent, const char *name, int id,
		const void *data, size_t size)
{
	return platform_device_register_resndata(parent, name, id, NULL, 0, data, size);
}

int platform_device_register(struct platform_device *pdev);
void platform_device_unregister(struct platform_device *pdev);
struct platform_device *platform_device_alloc(const char *name, int id);
int platform_device_add_data(struct platform_device *pdev, const void *data,
			     size_t size);
int platform_device_add(struct platform_device *pdev);
void platform_device_del(struct platform_device *pdev);
void platform_device_put(struct platform_device *pdev);

typedef struct pm_message { int event; } pm_message_t;

struct platform_driver {
	int (*probe)(struct platform_device *);
	int (*remove)(struct platform_device *);
	void (*remove_new)(struct platform_device *);
	void (*shutdown)(struct platform_device *);
	int (*suspend)(struct platform_device *, pm_message_t state);
	int (*resume)(struct platform_device *);
	struct device_driver driver;
	const struct platform_device_id *id_table;
	bool prevent_deferred_probe;
	bool driver_managed_dma;
};

#define to_platform_driver(drv) container_of((drv), struct platform_driver, driver)

int __platform_driver_register(struct platform_driver *drv, struct module *owner);
#define platform_driver_register(drv) __platform_driver_register(drv, THIS_MODULE)
void platform_driver_unregister(struct platform_driver *drv);

static inline void *platform_get_drvdata(const struct platform_device *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void platform_set_drvdata(struct platform_device *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

/* <linux/device/driver.h> module_driver() */
#define module_platform_driver(__platform_driver)			\
static int __init __platform_driver##_init(void)			\
{									\
	return platform_driver_register(&(__platform_driver));		\
}									\
module_init(__platform_driver##_init);					\
static void __exit __platform_driver##_exit(void)			\
{									\
	platform_driver_unregister(&(__platform_driver));		\
}									\
module_exit(__platform_driver##_exit)

#endif /* _PLATFORM_DEVICE_H_ */
