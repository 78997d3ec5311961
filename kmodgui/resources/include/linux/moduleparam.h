/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/moduleparam.h>: module parameters and modinfo records.
 *
 * module_param(name, type, perm) lets "insmod mod.ko name=value" set a
 * static variable before init runs (kernel/params.c: parse_args).  The
 * types are byte, short, ushort, int, uint, long, ulong, charp, bool,
 * invbool (and hexint since 5.11); perm is the mode of
 * /sys/module/<mod>/parameters/<name> (0: no sysfs file).
 *
 * Each macro here becomes a static declaration the loader and modinfo read:
 *   modinfo:	static const char __kmodsim_modinfo_<key>_<line>[] = "<key>=" value
 *   parameter:	static const struct __kmodsim_param __kmodsim_param_<name> = { ... }
 */
#ifndef _LINUX_MODULE_PARAMS_H
#define _LINUX_MODULE_PARAMS_H

#include <linux/init.h>
#include <linux/stringify.h>
#include <linux/kernel.h>

/* Paste __LINE__ after the key: two levels so that __LINE__ expands first. */
#define __kmodsim_paste2(a, b) a##b
#define __kmodsim_paste(a, b) __kmodsim_paste2(a, b)

/* One "key=value" string of the .modinfo section. */
#define __kmodsim_modinfo(tag, info) \
	static const char __kmodsim_paste(__kmodsim_modinfo_##tag##_, __LINE__)[] = #tag "=" info

/* One line of "modinfo"'s parm: field, e.g. parm=howmany:how many times */
#define MODULE_PARM_DESC(_parm, desc) __kmodsim_modinfo(parm, #_parm ":" desc)

/*
 * The loader's view of one parameter (the real struct kernel_param):
 * type is the type's name ("int", "charp", or "array:int" for arrays),
 * arg the variable's address; for arrays nump receives the number of
 * values given (may be NULL) and max is the array's length.
 */
struct __kmodsim_param {
	const char *name;
	const char *type;
	unsigned int perm;
	void *arg;
	unsigned int *nump;
	unsigned int max;
};

#define module_param_named(name, value, type, perm) \
	static const struct __kmodsim_param __kmodsim_param_##name = \
	{ #name, #type, perm, (void *)&(value), 0, 0 }

#define module_param(name, type, perm) module_param_named(name, name, type, perm)

#define module_param_array_named(name, array, type, nump, perm) \
	static const struct __kmodsim_param __kmodsim_param_##name = \
	{ #name, "array:" #type, perm, (void *)(array), (unsigned int *)(nump), \
	  sizeof(array) / sizeof((array)[0]) }

#define module_param_array(name, type, nump, perm) \
	module_param_array_named(name, name, type, nump, perm)

/*
 * A parameter with operations of the module's own (6.1's struct
 * kernel_param and kernel_param_ops): set() gets the text of
 * `name=value` at insmod and of a write to /sys/module/<mod>/parameters/
 * <name>, get() fills the page a read of that file shows.
 */
struct module;
struct kernel_param;

struct kernel_param_ops {
	unsigned int flags;
	int (*set)(const char *val, const struct kernel_param *kp);
	int (*get)(char *buffer, const struct kernel_param *kp);
	void (*free)(void *arg);
};

struct kernel_param {
	const char *name;
	struct module *mod;
	const struct kernel_param_ops *ops;
	const u16 perm;
	s8 level;
	u8 flags;
	union {
		void *arg;
		const void *str;
		const void *arr;
	};
};

/* kernel/params.c's standard operations (EXPORT_SYMBOL) */
int param_set_byte(const char *val, const struct kernel_param *kp);
int param_get_byte(char *buffer, const struct kernel_param *kp);
int param_set_short(const char *val, const struct kernel_param *kp);
int param_get_short(char *buffer, const struct kernel_param *kp);
int param_set_ushort(const char *val, const struct kernel_param *kp);
int param_get_ushort(char *buffer, const struct kernel_param *kp);
int param_set_int(const char *val, const struct kernel_param *kp);
int param_get_int(char *buffer, const struct kernel_param *kp);
int param_set_uint(const char *val, const struct kernel_param *kp);
int param_get_uint(char *buffer, const struct kernel_param *kp);
int param_set_long(const char *val, const struct kernel_param *kp);
int param_get_long(char *buffer, const struct kernel_param *kp);
int param_set_ulong(const char *val, const struct kernel_param *kp);
int param_get_ulong(char *buffer, const struct kernel_param *kp);
int param_set_bool(const char *val, const struct kernel_param *kp);
int param_get_bool(char *buffer, const struct kernel_param *kp);

#define module_param_cb(name, ops, arg, perm) \
	static const struct kernel_param __param_##name = \
	{ #name, THIS_MODULE, ops, perm, -1, 0, { (void *)(arg) } }; \
	static const struct __kmodsim_param __kmodsim_param_##name = \
	{ #name, "cb", perm, (void *)&__param_##name, 0, 0 }

#endif /* _LINUX_MODULE_PARAMS_H */
