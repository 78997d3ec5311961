/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/mutex.h>: sleeping locks.  struct mutex as 6.1 lays it out without
 * DEBUG_MUTEXES (Debian's config): the owner task pointer (low bits are
 * flags), a wait lock, the optimistic-spin queue and the list of waiters.
 * mutex_is_locked() is true while it has an owner (kernel/locking/mutex.c).
 */
#ifndef __LINUX_MUTEX_H
#define __LINUX_MUTEX_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/list.h>
#include <linux/lockdep_types.h>

struct optimistic_spin_queue {
	atomic_t tail;
};

struct mutex {
	atomic_long_t owner;
	raw_spinlock_t wait_lock;
	struct optimistic_spin_queue osq;
	struct list_head wait_list;
};

#define __MUTEX_INITIALIZER(lockname) \
	{ .owner = ATOMIC_LONG_INIT(0), \
	  .wait_lock = __RAW_SPIN_LOCK_UNLOCKED(lockname.wait_lock), \
	  .wait_list = LIST_HEAD_INIT(lockname.wait_list) }
#define DEFINE_MUTEX(mutexname) struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)

void __mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key);
#define mutex_init(mutex) __mutex_init((mutex), #mutex, NULL)

void mutex_lock(struct mutex *lock);
int mutex_lock_interruptible(struct mutex *lock);
int mutex_lock_killable(struct mutex *lock);
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
bool mutex_is_locked(struct mutex *lock);
static inline void mutex_destroy(struct mutex *lock) {}

#endif /* __LINUX_MUTEX_H */
