/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/compiler.h>: compiler annotations.
 *
 * The real header maps these onto gcc attributes and sparse checks.  The
 * simulator's C front end (pycparser) is plain C99, so almost all of them
 * expand to nothing.  The section markers __init/__exit are NOT here: they
 * live in <linux/init.h> and expand to marker identifiers that kbuild reads.
 */
#ifndef __LINUX_COMPILER_H
#define __LINUX_COMPILER_H

#include <linux/version.h>

/* sparse address-space and type checks: nothing for the compiler */
#define __user
#define __kernel
#define __iomem
#define __percpu
#define __rcu
#define __force
#define __nocast
#define __safe
#define __bitwise
#define __bitwise__
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)
#define __acquire(x) ((void)0)
#define __release(x) ((void)0)

/* gcc attributes: hints the simulated CPU does not need */
#define __must_check
#define __maybe_unused
#define __always_unused
#define __used
#define __cold
#define __hot
#define __pure
#define __malloc
#define __read_mostly
#define __printf(a, b)
#define __scanf(a, b)
#define notrace
#define noinline
#define __noreturn
#define __visible
#define __always_inline inline
#define __inline__ inline
#define __inline inline
#define __volatile__ volatile
#define __restrict restrict
#define __extension__
/*
 * Layout attributes cannot be honoured: a __packed or __aligned() struct
 * gets the natural x86_64 layout in the simulator.
 */
#define __packed
#define __aligned(x)
/* Any remaining GNU attribute, e.g. __attribute__((unused)), is dropped. */
#define __attribute__(x)
#define __attribute(x)

#define __FUNCTION__ __func__

/* The real ones are __builtin_expect(!!(x), 1/0): the value is 0 or 1. */
#define likely(x) (!!(x))
#define unlikely(x) (!!(x))
#define likely_notrace(x) (!!(x))
#define unlikely_notrace(x) (!!(x))

/* One simulated CPU runs one statement at a time: no reordering to stop. */
#define barrier() do { } while (0)
#define READ_ONCE(x) (x)
#define WRITE_ONCE(x, val) do { (x) = (val); } while (0)
#define ACCESS_ONCE(x) (x)

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 7, 0)
/* The statement form the kernel uses when gcc lacks the attribute. */
#define fallthrough do { } while (0)
#endif

#endif /* __LINUX_COMPILER_H */
