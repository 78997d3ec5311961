/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/printk.h>: printk() and the pr_*() shorthands.
 *
 * printk() is implemented by the simulated kernel (kernel/printk/printk.c:
 * vprintk_emit): it reads the level prefix, formats with the kernel's
 * vsnprintf and appends one record per line to the ring buffer dmesg reads.
 * A message without a level gets the default one (4, KERN_WARNING).
 */
#ifndef __KERNEL_PRINTK__
#define __KERNEL_PRINTK__

#include <linux/version.h>
#include <linux/kern_levels.h>

int printk(const char *fmt, ...);

/*
 * A module may define pr_fmt() before its first #include, typically
 *	#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
 * to prefix every pr_*() message with its name.
 */
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

/* Checks the format like printk() but prints nothing: always 0. */
#define no_printk(fmt, ...) (0)

#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)

/* pr_warning() was renamed pr_warn() (2.6.37) and removed in 5.5. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 37)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#endif
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 5, 0)
#define pr_warning(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#endif

/* Continues a line: no pr_fmt() prefix in the middle of a line. */
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)

/*
 * pr_devel() and pr_debug() print only when the module defines DEBUG
 * before its includes.  (Debian's 6.1 has CONFIG_DYNAMIC_DEBUG: without
 * DEBUG a pr_debug() site is compiled in but off, which prints the same
 * nothing.)
 */
#ifdef DEBUG
#define pr_devel(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_devel(fmt, ...) no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 6, 0)
#define pr_default(fmt, ...) printk(KERN_DEFAULT pr_fmt(fmt), ##__VA_ARGS__)

/*
 * The simulator treats the _once and _ratelimited variants as the plain
 * ones: every call prints (the real ones print once per call site, or at
 * most a burst of 10 per 5 seconds).
 */
#define printk_once(fmt, ...) printk(fmt, ##__VA_ARGS__)
#define pr_emerg_once(fmt, ...) pr_emerg(fmt, ##__VA_ARGS__)
#define pr_alert_once(fmt, ...) pr_alert(fmt, ##__VA_ARGS__)
#define pr_crit_once(fmt, ...) pr_crit(fmt, ##__VA_ARGS__)
#define pr_err_once(fmt, ...) pr_err(fmt, ##__VA_ARGS__)
#define pr_warn_once(fmt, ...) pr_warn(fmt, ##__VA_ARGS__)
#define pr_notice_once(fmt, ...) pr_notice(fmt, ##__VA_ARGS__)
#define pr_info_once(fmt, ...) pr_info(fmt, ##__VA_ARGS__)
#define pr_emerg_ratelimited(fmt, ...) pr_emerg(fmt, ##__VA_ARGS__)
#define pr_alert_ratelimited(fmt, ...) pr_alert(fmt, ##__VA_ARGS__)
#define pr_crit_ratelimited(fmt, ...) pr_crit(fmt, ##__VA_ARGS__)
#define pr_err_ratelimited(fmt, ...) pr_err(fmt, ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...) pr_warn(fmt, ##__VA_ARGS__)
#define pr_notice_ratelimited(fmt, ...) pr_notice(fmt, ##__VA_ARGS__)
#define pr_info_ratelimited(fmt, ...) pr_info(fmt, ##__VA_ARGS__)
#endif

#endif /* __KERNEL_PRINTK__ */
