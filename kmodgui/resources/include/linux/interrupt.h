/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/interrupt.h>: tasklets (kernel/softirq.c) and interrupt handler
 * types.  Since 5.9 a tasklet callback takes the struct tasklet_struct *
 * (use from_tasklet() to reach the containing object); DECLARE_TASKLET_OLD
 * keeps the unsigned long data form.  tasklet_schedule() sets the SCHED
 * state bit (a second call before it runs does nothing) and raises
 * TASKLET_SOFTIRQ; tasklet_kill() waits until it is neither scheduled nor
 * running.
 */
#ifndef _LINUX_INTERRUPT_H
#define _LINUX_INTERRUPT_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/container_of.h>

struct tasklet_struct {
	struct tasklet_struct *next;
	unsigned long state;
	atomic_t count;
	bool use_callback;
	void (*callback)(struct tasklet_struct *t);	/* the real one: a union with func */
	void (*func)(unsigned long data);
	unsigned long data;
};

enum { TASKLET_STATE_SCHED, TASKLET_STATE_RUN };

#define DECLARE_TASKLET(name, _callback) \
	struct tasklet_struct name = { .count = ATOMIC_INIT(0), \
		.callback = _callback, .use_callback = true, }
#define DECLARE_TASKLET_DISABLED(name, _callback) \
	struct tasklet_struct name = { .count = ATOMIC_INIT(1), \
		.callback = _callback, .use_callback = true, }
#define DECLARE_TASKLET_OLD(name, _func) \
	struct tasklet_struct name = { .count = ATOMIC_INIT(0), .func = _func, }
#define from_tasklet(var, callback_tasklet, tasklet_fieldname) \
	container_of(callback_tasklet, typeof(*var), tasklet_fieldname)

void tasklet_setup(struct tasklet_struct *t, void (*callback)(struct tasklet_struct *));
void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data);
void __tasklet_schedule(struct tasklet_struct *t);
void __tasklet_hi_schedule(struct tasklet_struct *t);
void tasklet_kill(struct tasklet_struct *t);

/* inline functions in the kernel; macros here, so an unused one references nothing */
#define tasklet_schedule(t) \
	do { if (!test_and_set_bit(TASKLET_STATE_SCHED, &(t)->state)) \
		__tasklet_schedule(t); } while (0)
#define tasklet_hi_schedule(t) \
	do { if (!test_and_set_bit(TASKLET_STATE_SCHED, &(t)->state)) \
		__tasklet_hi_schedule(t); } while (0)
static inline void tasklet_disable_nosync(struct tasklet_struct *t) { atomic_inc(&t->count); }
static inline void tasklet_enable(struct tasklet_struct *t) { atomic_dec(&t->count); }

/* the softirq bits of preempt_count() (<linux/preempt.h>, which
 * interrupt.h pulls in through hardirq.h) */
unsigned long __softirq_count(void);
#define softirq_count() (__softirq_count())
#define in_softirq() (softirq_count())
#define in_serving_softirq() (softirq_count())
#define in_interrupt() (softirq_count())

/* hard interrupt handlers (include/linux/irqreturn.h) */
enum irqreturn { IRQ_NONE = 0, IRQ_HANDLED = 1, IRQ_WAKE_THREAD = 2 };
typedef enum irqreturn irqreturn_t;
typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);
#define IRQF_SHARED 0x00000080
int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev);
const void *free_irq(unsigned int irq, void *dev_id);

#endif /* _LINUX_INTERRUPT_H */
