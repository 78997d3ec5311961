/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/bug.h>: BUG() and WARN_ON().
 *
 * On x86 the real macros plant a ud2 instruction; the trap handler prints
 * "kernel BUG at <file>:<line>!" and an oops (BUG), or a
 * "WARNING: CPU: 0 PID: ... at <file>:<line> <func>" report and goes on
 * (WARN).  Here they call two functions of the simulated kernel with the
 * call site.
 */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/compiler.h>

/* Prints the BUG report and kills the current task: never returns. */
void __kmodsim_bug(const char *file, int line);
/* Prints the WARNING report when cond is non-zero; returns cond. */
int __kmodsim_warn_on(int cond, const char *file, int line);
/* The same, only the first time this call site warns. */
int __kmodsim_warn_on_once(int cond, const char *file, int line);
/* WARN(cond, fmt, ...): the report carries the formatted message. */
int __kmodsim_warn(int cond, const char *file, int line, const char *fmt, ...);

#define BUG() __kmodsim_bug(__FILE__, __LINE__)
#define BUG_ON(condition) do { if (unlikely(condition)) BUG(); } while (0)

/* WARN_ON(c) is an expression: if (WARN_ON(!ptr)) return -EINVAL; */
#define WARN_ON(condition) __kmodsim_warn_on(!!(condition), __FILE__, __LINE__)
#define WARN_ON_ONCE(condition) __kmodsim_warn_on_once(!!(condition), __FILE__, __LINE__)
#define WARN(condition, ...) __kmodsim_warn(!!(condition), __FILE__, __LINE__, __VA_ARGS__)

#endif /* _LINUX_BUG_H */
