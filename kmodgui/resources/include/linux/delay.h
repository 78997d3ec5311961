/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/delay.h>: waiting.  msleep()/ssleep() sleep (other tasks run; not
 * allowed in atomic context); udelay()/mdelay() busy-wait the CPU.
 */
#ifndef _LINUX_DELAY_H
#define _LINUX_DELAY_H

void msleep(unsigned int msecs);
void ssleep(unsigned int seconds);
void udelay(unsigned long usecs);
void mdelay(unsigned long msecs);

#endif /* _LINUX_DELAY_H */
