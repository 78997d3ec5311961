/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/device.h>: the driver model (drivers/base/), as 6.1 declares
 * what a simple driver uses: struct device with its embedded kobject, a
 * class (/sys/class/<name>) and a device in it, which makes udev create
 * the /dev/<name> node, device attributes (files in the device's sysfs
 * directory) and dev_printk (messages prefixed with the driver and the
 * device's name).
 *
 * class_create() and device_create() return ERR_PTR(-errno) on failure,
 * never NULL: check with IS_ERR().  Both profiles take the owner argument
 * (it was dropped in 6.4).
 */
#ifndef _DEVICE_H_
#define _DEVICE_H_

#include <linux/types.h>
#include <linux/kdev_t.h>
#include <linux/err.h>
#include <linux/kobject.h>
#include <linux/mutex.h>

struct module;
struct class;		/* opaque: created by class_create() */
struct device;
struct device_driver;
struct device_private;
struct device_type;
struct device;
/* <linux/pm.h>: the power-management callbacks a driver may give */
struct dev_pm_ops {
	int (*prepare)(struct device *dev);
	void (*complete)(struct device *dev);
	int (*suspend)(struct device *dev);
	int (*resume)(struct device *dev);
	int (*freeze)(struct device *dev);
	int (*thaw)(struct device *dev);
	int (*poweroff)(struct device *dev);
	int (*restore)(struct device *dev);
	int (*suspend_late)(struct device *dev);
	int (*resume_early)(struct device *dev);
	int (*freeze_late)(struct device *dev);
	int (*thaw_early)(struct device *dev);
	int (*poweroff_late)(struct device *dev);
	int (*restore_early)(struct device *dev);
	int (*suspend_noirq)(struct device *dev);
	int (*resume_noirq)(struct device *dev);
	int (*freeze_noirq)(struct device *dev);
	int (*thaw_noirq)(struct device *dev);
	int (*poweroff_noirq)(struct device *dev);
	int (*restore_noirq)(struct device *dev);
	int (*runtime_suspend)(struct device *dev);
	int (*runtime_resume)(struct device *dev);
	int (*runtime_idle)(struct device *dev);
};

struct bus_type {
	const char *name;
	const char *dev_name;
};

extern struct bus_type platform_bus_type;

struct device_driver {
	const char		*name;
	struct bus_type		*bus;
	struct module		*owner;
	const char		*mod_name;
	bool suppress_bind_attrs;
	int probe_type;
	const void		*of_match_table;
	const void		*acpi_match_table;
	int (*probe)(struct device *dev);
	void (*sync_state)(struct device *dev);
	int (*remove)(struct device *dev);
	void (*shutdown)(struct device *dev);
	int (*suspend)(struct device *dev, int state);
	int (*resume)(struct device *dev);
	const struct attribute_group **groups;
	const struct attribute_group **dev_groups;
	const struct dev_pm_ops *pm;
	void (*coredump)(struct device *dev);
	void *p;
};

struct device {
	struct kobject kobj;
	struct device		*parent;
	struct device_private	*p;
	const char		*init_name;
	const struct device_type *type;
	struct bus_type		*bus;
	struct device_driver	*driver;
	void		*platform_data;
	void		*driver_data;
	struct mutex		mutex;
	u64		*dma_mask;
	u64		coherent_dma_mask;
	void		*of_node;
	void		*fwnode;
	int		numa_node;
	dev_t			devt;
	u32			id;
	struct class		*class;
	const struct attribute_group **groups;
	void	(*release)(struct device *dev);
};

struct device_attribute {
	struct attribute	attr;
	ssize_t (*show)(struct device *dev, struct device_attribute *attr, char *buf);
	ssize_t (*store)(struct device *dev, struct device_attribute *attr,
			 const char *buf, size_t count);
};

#define DEVICE_ATTR(_name, _mode, _show, _store) \
	struct device_attribute dev_attr_##_name = __ATTR(_name, _mode, _show, _store)
#define DEVICE_ATTR_RW(_name) \
	struct device_attribute dev_attr_##_name = __ATTR_RW(_name)
#define DEVICE_ATTR_ADMIN_RW(_name) \
	struct device_attribute dev_attr_##_name = __ATTR_RW_MODE(_name, 0600)
#define DEVICE_ATTR_RO(_name) \
	struct device_attribute dev_attr_##_name = __ATTR_RO(_name)
#define DEVICE_ATTR_ADMIN_RO(_name) \
	struct device_attribute dev_attr_##_name = __ATTR_RO_MODE(_name, 0400)
#define DEVICE_ATTR_WO(_name) \
	struct device_attribute dev_attr_##_name = __ATTR_WO(_name)

int device_create_file(struct device *device, const struct device_attribute *entry);
void device_remove_file(struct device *dev, const struct device_attribute *attr);

static inline const char *dev_name(const struct device *dev)
{
	/* Use the init name until the kobject becomes available */
	if (dev->init_name)
		return dev->init_name;
	return kobject_name(&dev->kobj);
}

int dev_set_name(struct device *dev, const char *name, ...);

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

static inline void *dev_get_platdata(const struct device *dev)
{
	return dev->platform_data;
}

const char *dev_driver_string(const struct device *dev);

struct device *get_device(struct device *dev);
void put_device(struct device *dev);

struct class *class_create(struct module *owner, const char *name);
void class_destroy(struct class *cls);

/* <linux/device/class.h>: files in /sys/class/<name> */
struct class_attribute {
	struct attribute attr;
	ssize_t (*show)(struct class *class, struct class_attribute *attr, char *buf);
	ssize_t (*store)(struct class *class, struct class_attribute *attr,
			 const char *buf, size_t count);
};

#define CLASS_ATTR_RW(_name) \
	struct class_attribute class_attr_##_name = __ATTR_RW(_name)
#define CLASS_ATTR_RO(_name) \
	struct class_attribute class_attr_##_name = __ATTR_RO(_name)
#define CLASS_ATTR_WO(_name) \
	struct class_attribute class_attr_##_name = __ATTR_WO(_name)

int class_create_file_ns(struct class *class, const struct class_attribute *attr,
			 const void *ns);
void class_remove_file_ns(struct class *class, const struct class_attribute *attr,
			  const void *ns);

static inline int class_create_file(struct class *class,
				    const struct class_attribute *attr)
{
	return class_create_file_ns(class, attr, NULL);
}

static inline void class_remove_file(struct class *class,
				     const struct class_attribute *attr)
{
	class_remove_file_ns(class, attr, NULL);
}

/*
 * The device's name is printf-formatted:
 *	device_create(cls, NULL, MKDEV(major, i), NULL, "skull%d", i);
 */
struct device *device_create(struct class *cls, struct device *parent,
			     dev_t devt, void *drvdata, const char *fmt, ...);
void device_destroy(struct class *cls, dev_t devt);

/* <linux/dev_printk.h>: "DRIVER DEVICE: message" at the level of the name */
void _dev_emerg(const struct device *dev, const char *fmt, ...);
void _dev_alert(const struct device *dev, const char *fmt, ...);
void _dev_crit(const struct device *dev, const char *fmt, ...);
void _dev_err(const struct device *dev, const char *fmt, ...);
void _dev_warn(const struct device *dev, const char *fmt, ...);
void _dev_notice(const struct device *dev, const char *fmt, ...);
void _dev_info(const struct device *dev, const char *fmt, ...);
void dev_printk(const char *level, const struct device *dev, const char *fmt, ...);

#define dev_emerg(dev, fmt, ...) _dev_emerg(dev, fmt, ##__VA_ARGS__)
#define dev_alert(dev, fmt, ...) _dev_alert(dev, fmt, ##__VA_ARGS__)
#define dev_crit(dev, fmt, ...) _dev_crit(dev, fmt, ##__VA_ARGS__)
#define dev_err(dev, fmt, ...) _dev_err(dev, fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...) _dev_warn(dev, fmt, ##__VA_ARGS__)
#define dev_notice(dev, fmt, ...) _dev_notice(dev, fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...) _dev_info(dev, fmt, ##__VA_ARGS__)
/* dynamic debug is off for these: nothing is printed */
#define dev_dbg(dev, fmt, ...) do { if (0) _dev_info(dev, fmt, ##__VA_ARGS__); } while (0)

#endif /* _DEVICE_H_ */
