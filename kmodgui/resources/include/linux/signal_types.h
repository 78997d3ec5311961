/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/signal_types.h>: a task's signal sets (x86_64: 64 signals, one
 * unsigned long per set).
 */
#ifndef _LINUX_SIGNAL_TYPES_H
#define _LINUX_SIGNAL_TYPES_H

#include <linux/list.h>

#define _NSIG		64
#define _NSIG_BPW	64
#define _NSIG_WORDS	(_NSIG / _NSIG_BPW)

typedef struct {
	unsigned long sig[_NSIG_WORDS];
} sigset_t;

struct sigpending {
	struct list_head list;
	sigset_t signal;
};

#endif /* _LINUX_SIGNAL_TYPES_H */
