/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/jiffies.h>: the kernel's tick counter.  jiffies grows by HZ every
 * second (Debian's kernels: CONFIG_HZ=250, one tick = 4 ms) and wraps, so
 * compare with time_after()/time_before(), never with < or >.
 */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H

#include <linux/types.h>

#define HZ 250

/* A kernel variable the simulated clock advances. */
extern volatile unsigned long jiffies;

/* wrap-safe comparisons: true if a is after b */
#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)

unsigned long msecs_to_jiffies(const unsigned int m);
unsigned int jiffies_to_msecs(const unsigned long j);

#endif /* _LINUX_JIFFIES_H */
