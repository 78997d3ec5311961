/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/sched.h>: tasks.  `current` is the task running the code: insmod
 * while an init routine runs, rmmod during exit, a kernel thread in its
 * thread function.
 */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <linux/version.h>
#include <linux/types.h>
#include <linux/jiffies.h>
#include <linux/limits.h>
#include <linux/signal_types.h>
#include <asm/current.h>

#define TASK_COMM_LEN 16

/* task states */
#define TASK_RUNNING		0x0000
#define TASK_INTERRUPTIBLE	0x0001
#define TASK_UNINTERRUPTIBLE	0x0002

/* A task (a small part of it). */
struct task_struct {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 14, 0)
	unsigned int __state;
#else
	volatile long state;
#endif
	pid_t pid;
	pid_t tgid;
	char comm[TASK_COMM_LEN];	/* the command name, e.g. "insmod" */
	sigset_t blocked;		/* signals the task blocks */
	struct sigpending pending;	/* signals sent to it, not yet handled */
};

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 14, 0)
#define set_current_state(state_value) do { current->__state = (state_value); } while (0)
#else
#define set_current_state(state_value) do { current->state = (state_value); } while (0)
#endif

/* Gives the CPU to another task; sleeps if the state is not TASK_RUNNING. */
void schedule(void);
/* Makes a sleeping task runnable; 1 if it was sleeping. */
int wake_up_process(struct task_struct *tsk);

/* Sleeps at most `timeout` jiffies (MAX_SCHEDULE_TIMEOUT: until woken) in the
 * state set before (schedule_timeout), or in TASK_INTERRUPTIBLE /
 * TASK_UNINTERRUPTIBLE; returns the jiffies left.  A task that stays in
 * TASK_UNINTERRUPTIBLE for 120 s is reported by khungtaskd. */
#define MAX_SCHEDULE_TIMEOUT LONG_MAX
long schedule_timeout(long timeout);
long schedule_timeout_interruptible(long timeout);
long schedule_timeout_uninterruptible(long timeout);

#endif /* _LINUX_SCHED_H */
