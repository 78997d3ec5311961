/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/rwlock.h>: reader-writer spinlocks (included by spinlock.h, as in
 * the kernel).  rwlock_t is an 8-byte qrwlock (asm-generic/qrwlock_types.h:
 * a count of readers and a writer byte, then a wait lock); read_lock/
 * write_lock wrap the exported _raw_read_* / _raw_write_* functions
 * (kernel/locking/spinlock.c).
 */
#ifndef __LINUX_RWLOCK_H
#define __LINUX_RWLOCK_H

#include <linux/spinlock.h>	/* arch_spinlock_t, atomic_t */

typedef struct qrwlock {
	atomic_t cnts;
	arch_spinlock_t wait_lock;
} arch_rwlock_t;

typedef struct {
	arch_rwlock_t raw_lock;
} rwlock_t;

#define __ARCH_RW_LOCK_UNLOCKED { .cnts = ATOMIC_INIT(0), .wait_lock = __ARCH_SPIN_LOCK_UNLOCKED }
#define __RW_LOCK_UNLOCKED(lockname) (rwlock_t) { .raw_lock = __ARCH_RW_LOCK_UNLOCKED }
#define DEFINE_RWLOCK(x) rwlock_t x = __RW_LOCK_UNLOCKED(x)
#define rwlock_init(lock) do { (lock)->raw_lock.cnts.counter = 0; } while (0)

void _raw_read_lock(rwlock_t *lock);
void _raw_write_lock(rwlock_t *lock);
void _raw_read_unlock(rwlock_t *lock);
void _raw_write_unlock(rwlock_t *lock);
void _raw_read_lock_irq(rwlock_t *lock);
void _raw_write_lock_irq(rwlock_t *lock);
void _raw_read_unlock_irq(rwlock_t *lock);
void _raw_write_unlock_irq(rwlock_t *lock);
unsigned long _raw_read_lock_irqsave(rwlock_t *lock);
unsigned long _raw_write_lock_irqsave(rwlock_t *lock);
void _raw_read_unlock_irqrestore(rwlock_t *lock, unsigned long flags);
void _raw_write_unlock_irqrestore(rwlock_t *lock, unsigned long flags);

#define read_lock(lock) _raw_read_lock(lock)
#define write_lock(lock) _raw_write_lock(lock)
#define read_unlock(lock) _raw_read_unlock(lock)
#define write_unlock(lock) _raw_write_unlock(lock)
#define read_lock_irq(lock) _raw_read_lock_irq(lock)
#define write_lock_irq(lock) _raw_write_lock_irq(lock)
#define read_unlock_irq(lock) _raw_read_unlock_irq(lock)
#define write_unlock_irq(lock) _raw_write_unlock_irq(lock)
#define read_lock_irqsave(lock, flags) do { flags = _raw_read_lock_irqsave(lock); } while (0)
#define write_lock_irqsave(lock, flags) do { flags = _raw_write_lock_irqsave(lock); } while (0)
#define read_unlock_irqrestore(lock, flags) _raw_read_unlock_irqrestore((lock), (flags))
#define write_unlock_irqrestore(lock, flags) _raw_write_unlock_irqrestore((lock), (flags))

#endif /* __LINUX_RWLOCK_H */
