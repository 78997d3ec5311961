/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/init.h>: section annotations and the module entry points.
 *
 * The real __init puts a function in .init.text, which the kernel frees
 * once init has succeeded (do_init_module); __exit puts it in .exit.text,
 * dropped when the module can never be unloaded.  pycparser knows no
 * attributes, so each annotation becomes a marker identifier that kbuild
 * (kmodgui/kbuild/sections.py) records for the declarator and then blanks:
 *
 *	__init		__kmodsim_sec_init_text		.init.text
 *	__exit		__kmodsim_sec_exit_text		.exit.text
 *	__initdata	__kmodsim_sec_init_data		.init.data
 *	__exitdata	__kmodsim_sec_exit_data		.exit.data
 *	__initconst	__kmodsim_sec_init_rodata	.init.rodata
 *
 * module_init()/module_exit() lived here in 2.6.30 and moved to
 * <linux/module.h> later; <linux/module.h> includes this file, so both
 * spellings work in both profiles.
 */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#include <linux/compiler.h>
#include <linux/types.h>

#define __init		__kmodsim_sec_init_text
#define __exit		__kmodsim_sec_exit_text
#define __initdata	__kmodsim_sec_init_data
#define __exitdata	__kmodsim_sec_exit_data
#define __initconst	__kmodsim_sec_init_rodata

/*
 * __ref/__refdata tell modpost that a reference to init code is deliberate;
 * the simulator keeps them in the ordinary sections.
 */
#define __ref
#define __refdata
#define __refconst

/* For a module (MODULE is defined by kbuild) these are ordinary. */
#define __init_or_module
#define __initdata_or_module

/* A module's exit function stays (it may be unloaded): __exit_p(x) is x. */
#define __exit_p(x) x

#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 8, 0)
/*
 * Hotplug annotations, removed in 3.8.  With CONFIG_HOTPLUG=y (every
 * distribution kernel) the code stays resident: nothing to mark.
 */
#define __devinit
#define __devinitdata
#define __devinitconst
#define __devexit
#define __devexitdata
#define __devexitconst
#define __devexit_p(x) x
#endif

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

/*
 * module_init(fn): names the module's init routine.  insmod runs it
 * (do_one_initcall) once the module is loaded: it returns 0, or a negative
 * errno to make the load fail.  The loader finds it through the variable
 * __kmodsim_initcall (the real macro makes init_module an alias of fn,
 * __copy(initfn): gcc names the argument as written when it is not a
 * function, hence its spelling beside it).
 */
#define module_init(initfn) int (*__kmodsim_initcall)(void) = initfn; \
	static const char __kmodsim_initcall_spelling[] = #initfn

/*
 * module_exit(fn): names the routine rmmod runs (delete_module) before the
 * module's memory is freed.  Optional, but a module with an init routine
 * and no exit routine can never be unloaded: /proc/modules shows it as
 * [permanent] and only a forced rmmod removes it.
 */
#define module_exit(exitfn) void (*__kmodsim_exitcall)(void) = exitfn; \
	static const char __kmodsim_exitcall_spelling[] = #exitfn

/* In a module every initcall level is just module_init(). */
#define early_initcall(fn)	module_init(fn)
#define core_initcall(fn)	module_init(fn)
#define postcore_initcall(fn)	module_init(fn)
#define arch_initcall(fn)	module_init(fn)
#define subsys_initcall(fn)	module_init(fn)
#define fs_initcall(fn)		module_init(fn)
#define device_initcall(fn)	module_init(fn)
#define late_initcall(fn)	module_init(fn)

#endif /* _LINUX_INIT_H */
