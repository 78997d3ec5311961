/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/export.h>: making a symbol available to other modules.
 *
 * EXPORT_SYMBOL(sym) adds sym to the module's __ksymtab, so a module
 * loaded later can link against it (and then pins this one: lsmod's
 * "Used by").  EXPORT_SYMBOL_GPL(sym) offers it only to modules whose
 * MODULE_LICENSE is GPL-compatible.  Here each becomes a marker variable
 * the loader reads: __kmodsim_ksymtab_<sym> / __kmodsim_ksymtab_gpl_<sym>.
 */
#ifndef _LINUX_EXPORT_H
#define _LINUX_EXPORT_H

#define EXPORT_SYMBOL(sym) static const int __kmodsim_ksymtab_##sym = 0
#define EXPORT_SYMBOL_GPL(sym) static const int __kmodsim_ksymtab_gpl_##sym = 0

#endif /* _LINUX_EXPORT_H */
