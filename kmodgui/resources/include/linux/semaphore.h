/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/semaphore.h>: counting semaphores (kernel/locking/semaphore.c).
 * down() sleeps while count is 0; down_interruptible() returns -EINTR if a
 * signal arrives; down_trylock() returns 0 on success, 1 if it would sleep.
 */
#ifndef __LINUX_SEMAPHORE_H
#define __LINUX_SEMAPHORE_H

#include <linux/list.h>
#include <linux/spinlock.h>

struct semaphore {
	raw_spinlock_t lock;
	unsigned int count;
	struct list_head wait_list;
};

#define __SEMAPHORE_INITIALIZER(name, n) \
	{ .lock = __RAW_SPIN_LOCK_UNLOCKED((name).lock), .count = n, \
	  .wait_list = LIST_HEAD_INIT((name).wait_list) }
#define DEFINE_SEMAPHORE(name) struct semaphore name = __SEMAPHORE_INITIALIZER(name, 1)

void sema_init(struct semaphore *sem, int val);
void down(struct semaphore *sem);
int down_interruptible(struct semaphore *sem);
int down_killable(struct semaphore *sem);
int down_trylock(struct semaphore *sem);
int down_timeout(struct semaphore *sem, long jiffies);
void up(struct semaphore *sem);

#endif /* __LINUX_SEMAPHORE_H */
