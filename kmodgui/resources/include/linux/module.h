/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/module.h>: what makes a .c file a loadable module: the modinfo
 * macros (MODULE_LICENSE, MODULE_AUTHOR, ...), THIS_MODULE and module
 * reference counting.  Pulls in init.h (module_init/module_exit),
 * moduleparam.h, export.h, kernel.h, stat.h, list.h, kobject.h and mutex.h
 * as the real one does (and so wait.h, spinlock.h, atomic.h...).
 */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H

#include <linux/version.h>
#include <linux/types.h>
#include <linux/stat.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/export.h>
#include <linux/errno.h>	/* as the real one does through linux/kmod.h */
#include <linux/list.h>
#include <linux/kobject.h>	/* sysfs, spinlock, atomic, wait, workqueue, completion */
#include <linux/mutex.h>	/* as the real one does through linux/srcu.h */

#define MODULE_NAME_LEN 56	/* 64 - sizeof(unsigned long) */

/* The states a module goes through (kernel/module/main.c). */
enum module_state {
	MODULE_STATE_LIVE,	/* Normal state. */
	MODULE_STATE_COMING,	/* Full formed, running module_init. */
	MODULE_STATE_GOING,	/* Going away. */
	MODULE_STATE_UNFORMED,	/* Still setting it up. */
};

/*
 * The kernel's record of a loaded module (a small part of it).  Each
 * module has one, __this_module, which the loader fills in.
 */
struct module {
	char name[MODULE_NAME_LEN];
	int state;		/* enum module_state */
};

extern struct module __this_module;
#define THIS_MODULE (&__this_module)

#define module_name(mod) ((mod)->name)

/*
 * MODULE_LICENSE: "GPL", "GPL v2", "GPL and additional rights",
 * "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL" are GPL-compatible; any
 * other string ("Proprietary") taints the kernel (P) and hides
 * EXPORT_SYMBOL_GPL symbols.  Without it: a modpost warning in 2.6.30,
 * an error in 6.1.
 */
#define MODULE_INFO(tag, info) __kmodsim_modinfo(tag, info)
#define MODULE_LICENSE(_license) __kmodsim_modinfo(license, _license)
/* "Name <email>"; use several lines for several authors */
#define MODULE_AUTHOR(_author) __kmodsim_modinfo(author, _author)
#define MODULE_DESCRIPTION(_description) __kmodsim_modinfo(description, _description)
#define MODULE_VERSION(_version) __kmodsim_modinfo(version, _version)
/* another name modprobe will load this module under */
#define MODULE_ALIAS(_alias) __kmodsim_modinfo(alias, _alias)
/* e.g. MODULE_SOFTDEP("pre: othermod") */
#define MODULE_SOFTDEP(_softdep) __kmodsim_modinfo(softdep, _softdep)
#define MODULE_FIRMWARE(_firmware) __kmodsim_modinfo(firmware, _firmware)

/*
 * Takes a reference on a module so it cannot be unloaded while in use
 * (lsmod's "Used by" count); fails (0/false) if it is going away.  Every
 * successful try_module_get() needs one module_put().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 0, 0)
bool try_module_get(struct module *module);
void module_put(struct module *module);
int module_refcount(struct module *mod);
#else
int try_module_get(struct module *module);
void module_put(struct module *module);
unsigned int module_refcount(struct module *mod);
#endif

#endif /* _LINUX_MODULE_H */
