/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <asm/current.h>: `current`, the task running the code.  On x86_64 it is
 * an inline read of the per-CPU pcpu_hot.current_task (6.1: this_cpu_read
 * of current_task), no call into the kernel; the simulated CPU answers it
 * through get_current().  The fields of struct task_struct are in
 * <linux/sched.h>, which the real headers reach through module.h too.
 */
#ifndef _ASM_X86_CURRENT_H
#define _ASM_X86_CURRENT_H

struct task_struct;

struct task_struct *get_current(void);
#define current get_current()

#endif /* _ASM_X86_CURRENT_H */
