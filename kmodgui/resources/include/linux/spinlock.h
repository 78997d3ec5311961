/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/spinlock.h>: spinlocks.  Layout as 6.1 without DEBUG_SPINLOCK and
 * LOCKDEP (Debian's config): a spinlock_t is a raw_spinlock_t is a 4-byte
 * qspinlock (include/linux/spinlock_types.h, spinlock_types_raw.h,
 * asm-generic/qspinlock_types.h).  spin_lock() and friends are inline
 * wrappers over the exported _raw_spin_* functions (kernel/locking/
 * spinlock.c); the _irqsave forms return the saved flags through a macro.
 */
#ifndef __LINUX_SPINLOCK_H
#define __LINUX_SPINLOCK_H

#include <linux/types.h>
#include <linux/atomic.h>

typedef struct qspinlock {
	atomic_t val;
} arch_spinlock_t;

typedef struct raw_spinlock {
	arch_spinlock_t raw_lock;
} raw_spinlock_t;

/* the real one wraps rlock in an anonymous union (for lockdep's map) */
typedef struct spinlock {
	struct raw_spinlock rlock;
} spinlock_t;

#define __ARCH_SPIN_LOCK_UNLOCKED { .val = ATOMIC_INIT(0) }
#define __RAW_SPIN_LOCK_INITIALIZER(lockname) { .raw_lock = __ARCH_SPIN_LOCK_UNLOCKED }
#define __RAW_SPIN_LOCK_UNLOCKED(lockname) \
	((raw_spinlock_t) __RAW_SPIN_LOCK_INITIALIZER(lockname))
#define DEFINE_RAW_SPINLOCK(x) raw_spinlock_t x = __RAW_SPIN_LOCK_UNLOCKED(x)
#define __SPIN_LOCK_INITIALIZER(lockname) { .rlock = __RAW_SPIN_LOCK_INITIALIZER(lockname) }
#define __SPIN_LOCK_UNLOCKED(lockname) ((spinlock_t) __SPIN_LOCK_INITIALIZER(lockname))
#define DEFINE_SPINLOCK(x) spinlock_t x = __SPIN_LOCK_UNLOCKED(x)

/* kernel/locking/spinlock.c (EXPORT_SYMBOL) */
void _raw_spin_lock(raw_spinlock_t *lock);
void _raw_spin_lock_bh(raw_spinlock_t *lock);
void _raw_spin_lock_irq(raw_spinlock_t *lock);
unsigned long _raw_spin_lock_irqsave(raw_spinlock_t *lock);
int _raw_spin_trylock(raw_spinlock_t *lock);
void _raw_spin_unlock(raw_spinlock_t *lock);
void _raw_spin_unlock_bh(raw_spinlock_t *lock);
void _raw_spin_unlock_irq(raw_spinlock_t *lock);
void _raw_spin_unlock_irqrestore(raw_spinlock_t *lock, unsigned long flags);

#define raw_spin_lock_init(lock) do { (lock)->raw_lock.val.counter = 0; } while (0)
#define spin_lock_init(lock) raw_spin_lock_init(&(lock)->rlock)

/* inline functions in the kernel; macros here, so an unused one references nothing */
#define spin_lock(lock) _raw_spin_lock(&(lock)->rlock)
#define spin_lock_bh(lock) _raw_spin_lock_bh(&(lock)->rlock)
#define spin_lock_irq(lock) _raw_spin_lock_irq(&(lock)->rlock)
#define spin_trylock(lock) _raw_spin_trylock(&(lock)->rlock)
#define spin_unlock(lock) _raw_spin_unlock(&(lock)->rlock)
#define spin_unlock_bh(lock) _raw_spin_unlock_bh(&(lock)->rlock)
#define spin_unlock_irq(lock) _raw_spin_unlock_irq(&(lock)->rlock)
#define spin_unlock_irqrestore(lock, flags) _raw_spin_unlock_irqrestore(&(lock)->rlock, (flags))
#define spin_lock_irqsave(lock, flags) \
	do { flags = _raw_spin_lock_irqsave(&(lock)->rlock); } while (0)
static inline int spin_is_locked(spinlock_t *lock) { return lock->rlock.raw_lock.val.counter != 0; }

#include <linux/rwlock.h>

#endif /* __LINUX_SPINLOCK_H */
