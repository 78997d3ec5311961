/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/completion.h>: a count of "done" events and a wait queue
 * (kernel/sched/completion.c).  complete() adds one, complete_all() makes
 * it UINT_MAX; wait_for_completion() sleeps until done is non-zero and
 * consumes one.
 */
#ifndef __LINUX_COMPLETION_H
#define __LINUX_COMPLETION_H

#include <linux/wait.h>

struct swait_queue_head {
	raw_spinlock_t lock;
	struct list_head task_list;
};

struct completion {
	unsigned int done;
	struct swait_queue_head wait;
};

#define COMPLETION_INITIALIZER(work) \
	{ 0, { .lock = __RAW_SPIN_LOCK_UNLOCKED((work).wait.lock), \
	       .task_list = LIST_HEAD_INIT((work).wait.task_list) } }
#define DECLARE_COMPLETION(work) struct completion work = COMPLETION_INITIALIZER(work)

static inline void init_completion(struct completion *x)
{
	x->done = 0;
	INIT_LIST_HEAD(&x->wait.task_list);
	raw_spin_lock_init(&x->wait.lock);
}
static inline void reinit_completion(struct completion *x) { x->done = 0; }

void wait_for_completion(struct completion *x);
void wait_for_completion_io(struct completion *x);
int wait_for_completion_interruptible(struct completion *x);
int wait_for_completion_killable(struct completion *x);
unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout);
long wait_for_completion_interruptible_timeout(struct completion *x, unsigned long timeout);
bool try_wait_for_completion(struct completion *x);
bool completion_done(struct completion *x);
void complete(struct completion *x);
void complete_all(struct completion *x);

#endif /* __LINUX_COMPLETION_H */
