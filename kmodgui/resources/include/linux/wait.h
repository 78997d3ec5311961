/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/wait.h>: wait queues.  A wait_queue_head is a spinlock and a list
 * of waiters (include/linux/wait.h); wake_up() and wake_up_interruptible()
 * are macros over __wake_up() (kernel/sched/wait.c) waking one exclusive
 * waiter (nr_exclusive 1) in TASK_NORMAL or TASK_INTERRUPTIBLE sleep.
 */
#ifndef _LINUX_WAIT_H
#define _LINUX_WAIT_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <linux/lockdep_types.h>

#ifndef TASK_NORMAL
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)
#endif

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) \
	{ .lock = __SPIN_LOCK_UNLOCKED(name.lock), .head = LIST_HEAD_INIT(name.head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

void __init_waitqueue_head(struct wait_queue_head *wq_head, const char *name,
			   struct lock_class_key *key);
#define init_waitqueue_head(wq_head) __init_waitqueue_head((wq_head), #wq_head, NULL)

void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr, void *key);
#define wake_up(x) __wake_up(x, TASK_NORMAL, 1, NULL)
#define wake_up_all(x) __wake_up(x, TASK_NORMAL, 0, NULL)
#define wake_up_interruptible(x) __wake_up(x, TASK_INTERRUPTIBLE, 1, NULL)
#define wake_up_interruptible_all(x) __wake_up(x, TASK_INTERRUPTIBLE, 0, NULL)

/* wait_event() and its forms (include/linux/wait.h ___wait_event()): queue
 * the task, test the condition, sleep until a wake_up() of the head or the
 * timeout; the _timeout forms give the jiffies left (at least 1) once the
 * condition holds, 0 when it timed out; the interruptible forms 0 (no
 * signal reaches a kernel task here). */
struct wait_queue_entry {
	unsigned int flags;
	void *private;
	struct list_head entry;
};
void init_wait_entry(struct wait_queue_entry *wq_entry, int flags);
long prepare_to_wait_event(struct wait_queue_head *wq_head,
			   struct wait_queue_entry *wq_entry, int state);
void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
/* schedule() or schedule_timeout() until a wake_up() of the head */
long __wait_event_sleep(struct wait_queue_head *wq_head, int state, long timeout);

#define ___wait_event(wq_head, condition, state, timeout) ({		\
	long __ret = (timeout);						\
	struct wait_queue_entry __wq_entry;				\
	init_wait_entry(&__wq_entry, 0);				\
	for (;;) {							\
		prepare_to_wait_event(&(wq_head), &__wq_entry, (state));	\
		if (condition) {					\
			if (__ret == 0)					\
				__ret = 1;				\
			break;						\
		}							\
		if (__ret == 0)						\
			break;						\
		__ret = __wait_event_sleep(&(wq_head), (state), __ret);	\
	}								\
	finish_wait(&(wq_head), &__wq_entry);				\
	__ret; })

#define wait_event(wq_head, condition) \
	do { ___wait_event(wq_head, condition, TASK_UNINTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT); } while (0)
#define wait_event_timeout(wq_head, condition, timeout) \
	___wait_event(wq_head, condition, TASK_UNINTERRUPTIBLE, (long)(timeout))
#define wait_event_interruptible(wq_head, condition) \
	({ ___wait_event(wq_head, condition, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT); 0; })
#define wait_event_interruptible_timeout(wq_head, condition, timeout) \
	___wait_event(wq_head, condition, TASK_INTERRUPTIBLE, (long)(timeout))
#define wait_event_killable(wq_head, condition) \
	({ ___wait_event(wq_head, condition, TASK_UNINTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT); 0; })

static inline int waitqueue_active(struct wait_queue_head *wq_head)
{
	return wq_head->head.next != &wq_head->head;
}

#endif /* _LINUX_WAIT_H */
