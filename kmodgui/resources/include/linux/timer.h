/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/timer.h>: one-shot kernel timers (kernel/time/timer.c).
 *
 * A timer calls its function once, in softirq context, when jiffies
 * reaches .expires; mod_timer() (re)arms it.  The exit routine must
 * del_timer_sync() every timer it armed: a timer firing after rmmod calls
 * freed code.
 *
 * 4.15 changed the API: the callback receives the timer itself (find your
 * structure with from_timer()) and timer_setup() replaced setup_timer()
 * with its unsigned long data argument.
 */
#ifndef _LINUX_TIMER_H
#define _LINUX_TIMER_H

#include <linux/version.h>
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/jiffies.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 15, 0)

struct timer_list {
	struct hlist_node entry;
	unsigned long expires;
	void (*function)(struct timer_list *);
	u32 flags;
};

/* the real one is a macro around __init_timer() */
void timer_setup(struct timer_list *timer,
		 void (*callback)(struct timer_list *), unsigned int flags);

/*
 * from_timer(var, timer, field): the structure (of var's type) whose member
 * `field` is this timer.  The real macro names var's type with typeof();
 * without it, the member's offset is measured on var itself (only its
 * address arithmetic is used, never its value), and the void * result
 * converts to var's type on assignment:
 *	struct my_dev *dev = from_timer(dev, t, timer);
 */
#define from_timer(var, callback_timer, timer_fieldname) \
	((void *)((char *)(callback_timer) - \
		  ((char *)&(var)->timer_fieldname - (char *)(var))))

#else /* 2.6.30 */

struct timer_list {
	struct list_head entry;
	unsigned long expires;
	void (*function)(unsigned long);
	unsigned long data;	/* passed to function */
};

void init_timer(struct timer_list *timer);
void setup_timer(struct timer_list *timer, void (*function)(unsigned long),
		 unsigned long data);

#endif

void add_timer(struct timer_list *timer);
/* arms (or re-arms) the timer; 1 if it was pending already */
int mod_timer(struct timer_list *timer, unsigned long expires);
/* disarms; 1 if it was pending.  _sync also waits for a running callback. */
int del_timer(struct timer_list *timer);
int del_timer_sync(struct timer_list *timer);

#endif /* _LINUX_TIMER_H */
