/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/kern_levels.h>: the log level prefix printk() reads off the front
 * of a message.
 *
 * Since 3.6 a level is the ASCII SOH byte followed by the level character
 * ("\001" "6" for KERN_INFO).  Before that (2.6.30 here) it was the text
 * "<6>"; KERN_CONT was the empty string and KERN_DEFAULT did not exist yet.
 */
#ifndef __KERN_LEVELS_H__
#define __KERN_LEVELS_H__

#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 6, 0)

#define KERN_SOH "\001"		/* ASCII Start Of Header */
#define KERN_SOH_ASCII '\001'

#define KERN_EMERG KERN_SOH "0"		/* system is unusable */
#define KERN_ALERT KERN_SOH "1"		/* action must be taken immediately */
#define KERN_CRIT KERN_SOH "2"		/* critical conditions */
#define KERN_ERR KERN_SOH "3"		/* error conditions */
#define KERN_WARNING KERN_SOH "4"	/* warning conditions */
#define KERN_NOTICE KERN_SOH "5"	/* normal but significant condition */
#define KERN_INFO KERN_SOH "6"		/* informational */
#define KERN_DEBUG KERN_SOH "7"		/* debug-level messages */

#define KERN_DEFAULT KERN_SOH "d"	/* the default kernel loglevel */

/* Continues the previous line (no level, no new timestamp). */
#define KERN_CONT KERN_SOH "c"

#else /* 2.6.30 */

#define KERN_EMERG "<0>"	/* system is unusable */
#define KERN_ALERT "<1>"	/* action must be taken immediately */
#define KERN_CRIT "<2>"		/* critical conditions */
#define KERN_ERR "<3>"		/* error conditions */
#define KERN_WARNING "<4>"	/* warning conditions */
#define KERN_NOTICE "<5>"	/* normal but significant condition */
#define KERN_INFO "<6>"		/* informational */
#define KERN_DEBUG "<7>"	/* debug-level messages */

/* Continues the previous line. */
#define KERN_CONT ""

#endif

#endif /* __KERN_LEVELS_H__ */
