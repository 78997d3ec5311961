/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/kthread.h>: kernel threads (kernel/kthread.c).
 *
 * kthread_run(fn, data, "name%d", ...) starts fn(data) in a new task shown
 * as [name] by ps; it returns ERR_PTR(-errno) on failure.  The thread
 * loops until kthread_should_stop() is true; the module's exit routine
 * calls kthread_stop(), which waits for fn to return and hands back its
 * return value.  A thread still running after rmmod runs freed code.
 */
#ifndef _LINUX_KTHREAD_H
#define _LINUX_KTHREAD_H

#include <linux/version.h>
#include <linux/err.h>
#include <linux/sched.h>

/* created asleep: wake_up_process() starts it */
struct task_struct *kthread_create(int (*threadfn)(void *data), void *data,
				   const char *namefmt, ...);
/* kthread_create() + wake_up_process() (a macro in the real kernel) */
struct task_struct *kthread_run(int (*threadfn)(void *data), void *data,
				const char *namefmt, ...);
int kthread_stop(struct task_struct *k);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 0, 0)
bool kthread_should_stop(void);
#else
int kthread_should_stop(void);
#endif

struct completion;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 17, 0)
/* complete(comp) if comp is not NULL, then do_exit(code): never returns */
void __noreturn kthread_complete_and_exit(struct completion *comp, long code);
void __noreturn kthread_exit(long code);
#else
void complete_and_exit(struct completion *comp, long code);
#endif

#endif /* _LINUX_KTHREAD_H */
