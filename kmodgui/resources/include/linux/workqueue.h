/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/workqueue.h>: deferred work run by kworker threads
 * (kernel/workqueue.c).  A work_struct holds its pending bit in data, the
 * list entry and the function; a delayed_work adds a timer that queues it
 * later.  schedule_work() queues on system_wq; queue_work() returns false
 * when the work was already pending.
 */
#ifndef _LINUX_WORKQUEUE_H
#define _LINUX_WORKQUEUE_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/timer.h>

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	atomic_long_t data;
	struct list_head entry;
	work_func_t func;
};

struct workqueue_struct;

struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
	struct workqueue_struct *wq;
	int cpu;
};

#define WORK_DATA_INIT() ATOMIC_LONG_INIT(0)
#define __WORK_INITIALIZER(n, f) \
	{ .data = WORK_DATA_INIT(), .entry = LIST_HEAD_INIT((n).entry), .func = (f) }
#define DECLARE_WORK(n, f) struct work_struct n = __WORK_INITIALIZER(n, f)
#define __DELAYED_WORK_INITIALIZER(n, f, tflags) \
	{ .work = __WORK_INITIALIZER((n).work, (f)) }
#define DECLARE_DELAYED_WORK(n, f) struct delayed_work n = __DELAYED_WORK_INITIALIZER(n, f, 0)

#define INIT_WORK(_work, _func) \
	do { (_work)->data.counter = 0; INIT_LIST_HEAD(&(_work)->entry); \
	     (_work)->func = (_func); } while (0)
#define INIT_DELAYED_WORK(_work, _func) INIT_WORK(&(_work)->work, (_func))

static inline struct delayed_work *to_delayed_work(struct work_struct *work)
{
	return container_of(work, struct delayed_work, work);
}

/* alloc_workqueue() flags (enum in include/linux/workqueue.h) */
#define WQ_UNBOUND		(1 << 1)
#define WQ_FREEZABLE		(1 << 2)
#define WQ_MEM_RECLAIM		(1 << 3)
#define WQ_HIGHPRI		(1 << 4)
#define WQ_CPU_INTENSIVE	(1 << 5)
#define WQ_SYSFS		(1 << 6)
#define __WQ_ORDERED		(1 << 17)
#define __WQ_LEGACY		(1 << 18)

/* the kernel's own queue; a variable there (extern struct workqueue_struct
 * *system_wq), read through a function here */
struct workqueue_struct *__system_wq(void);
#define system_wq (__system_wq())

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...);
#define alloc_ordered_workqueue(fmt, flags, args...) \
	alloc_workqueue(fmt, __WQ_ORDERED | (flags), 1, ##args)
#define create_workqueue(name) \
	alloc_workqueue("%s", __WQ_LEGACY | WQ_MEM_RECLAIM, 1, (name))
#define create_singlethread_workqueue(name) \
	alloc_ordered_workqueue("%s", __WQ_LEGACY | WQ_MEM_RECLAIM, name)
void destroy_workqueue(struct workqueue_struct *wq);

bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work);
bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq,
			   struct delayed_work *work, unsigned long delay);
#define WORK_CPU_UNBOUND 8192
/* inline functions in the kernel; macros here, so an unused one references nothing */
#define queue_work(wq, work) queue_work_on(WORK_CPU_UNBOUND, (wq), (work))
#define queue_delayed_work(wq, dwork, delay) \
	queue_delayed_work_on(WORK_CPU_UNBOUND, (wq), (dwork), (delay))
#define schedule_work(work) queue_work(system_wq, (work))
#define schedule_delayed_work(dwork, delay) queue_delayed_work(system_wq, (dwork), (delay))

void flush_workqueue(struct workqueue_struct *wq);
bool flush_work(struct work_struct *work);
bool flush_delayed_work(struct delayed_work *dwork);
bool cancel_work_sync(struct work_struct *work);
bool cancel_delayed_work(struct delayed_work *dwork);
bool cancel_delayed_work_sync(struct delayed_work *dwork);
#define work_pending(work) (((work)->data.counter & 1) != 0)
#define delayed_work_pending(w) work_pending(&(w)->work)
bool cancel_work(struct work_struct *work);
#define flush_scheduled_work() flush_workqueue(system_wq)

#endif /* _LINUX_WORKQUEUE_H */
