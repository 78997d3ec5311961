/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/atomic.h>: atomic_t and atomic64_t operations.
 *
 * On x86_64 these are inline functions (arch/x86/include/asm/atomic.h,
 * atomic64_64.h, wrapped by include/linux/atomic/atomic-instrumented.h):
 * one locked instruction each, no call into the kernel.  Here each one is
 * a single C statement, and the simulated CPU never switches task inside
 * a statement, so each is indivisible as the locked instruction is.
 * atomic_cmpxchg()/atomic_xchg() return the old value; the *_return forms
 * the new one; *_and_test() whether the result is zero;
 * atomic_add_negative() whether it is negative.
 */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H

#include <linux/types.h>
#include <linux/compiler.h>

#define ATOMIC_INIT(i) { (i) }
#define ATOMIC64_INIT(i) { (i) }

static inline int atomic_read(const atomic_t *v) { return v->counter; }
static inline void atomic_set(atomic_t *v, int i) { v->counter = i; }
static inline void atomic_add(int i, atomic_t *v) { v->counter += i; }
static inline void atomic_sub(int i, atomic_t *v) { v->counter -= i; }
static inline void atomic_inc(atomic_t *v) { v->counter += 1; }
static inline void atomic_dec(atomic_t *v) { v->counter -= 1; }
static inline int atomic_add_return(int i, atomic_t *v) { return v->counter += i; }
static inline int atomic_sub_return(int i, atomic_t *v) { return v->counter -= i; }
static inline int atomic_inc_return(atomic_t *v) { return v->counter += 1; }
static inline int atomic_dec_return(atomic_t *v) { return v->counter -= 1; }
static inline int atomic_fetch_add(int i, atomic_t *v) { return (v->counter += i) - i; }
static inline int atomic_fetch_sub(int i, atomic_t *v) { return (v->counter -= i) + i; }
static inline bool atomic_sub_and_test(int i, atomic_t *v) { return (v->counter -= i) == 0; }
static inline bool atomic_inc_and_test(atomic_t *v) { return (v->counter += 1) == 0; }
static inline bool atomic_dec_and_test(atomic_t *v) { return (v->counter -= 1) == 0; }
static inline bool atomic_add_negative(int i, atomic_t *v) { return (v->counter += i) < 0; }
static inline int atomic_xchg(atomic_t *v, int new)
{
	int old;
	return (old = v->counter, v->counter = new, old);
}
static inline int atomic_cmpxchg(atomic_t *v, int old, int new)
{
	int cur;
	return (cur = v->counter, v->counter = cur == old ? new : cur, cur);
}
/* adds a unless the value is u; true if it added (include/linux/atomic/atomic-arch-fallback.h) */
static inline bool atomic_add_unless(atomic_t *v, int a, int u)
{
	int cur;
	return (cur = v->counter, v->counter = cur != u ? cur + a : cur, cur != u);
}
#define atomic_inc_not_zero(v) atomic_add_unless((v), 1, 0)

static inline s64 atomic64_read(const atomic64_t *v) { return v->counter; }
static inline void atomic64_set(atomic64_t *v, s64 i) { v->counter = i; }
static inline void atomic64_add(s64 i, atomic64_t *v) { v->counter += i; }
static inline void atomic64_sub(s64 i, atomic64_t *v) { v->counter -= i; }
static inline void atomic64_inc(atomic64_t *v) { v->counter += 1; }
static inline void atomic64_dec(atomic64_t *v) { v->counter -= 1; }
static inline s64 atomic64_add_return(s64 i, atomic64_t *v) { return v->counter += i; }
static inline s64 atomic64_sub_return(s64 i, atomic64_t *v) { return v->counter -= i; }
static inline s64 atomic64_inc_return(atomic64_t *v) { return v->counter += 1; }
static inline s64 atomic64_dec_return(atomic64_t *v) { return v->counter -= 1; }
static inline bool atomic64_dec_and_test(atomic64_t *v) { return (v->counter -= 1) == 0; }
static inline bool atomic64_inc_and_test(atomic64_t *v) { return (v->counter += 1) == 0; }
static inline bool atomic64_sub_and_test(s64 i, atomic64_t *v) { return (v->counter -= i) == 0; }
static inline s64 atomic64_xchg(atomic64_t *v, s64 new)
{
	s64 old;
	return (old = v->counter, v->counter = new, old);
}
static inline s64 atomic64_cmpxchg(atomic64_t *v, s64 old, s64 new)
{
	s64 cur;
	return (cur = v->counter, v->counter = cur == old ? new : cur, cur);
}

/* atomic_long_t is atomic64_t on 64-bit (include/linux/atomic/atomic-long.h) */
typedef atomic64_t atomic_long_t;
#define ATOMIC_LONG_INIT(i) ATOMIC64_INIT(i)
#define atomic_long_read(v) atomic64_read(v)
#define atomic_long_set(v, i) atomic64_set((v), (i))
#define atomic_long_inc(v) atomic64_inc(v)
#define atomic_long_dec(v) atomic64_dec(v)
#define atomic_long_add(i, v) atomic64_add((i), (v))
#define atomic_long_sub(i, v) atomic64_sub((i), (v))

#include <linux/bitops.h>

#endif /* _LINUX_ATOMIC_H */
