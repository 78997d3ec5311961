/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/bitops.h>: bit operations on arrays of unsigned long.
 *
 * Bit nr lives in word nr / BITS_PER_LONG, at bit nr % BITS_PER_LONG
 * (include/asm-generic/bitops/generic-non-atomic.h; x86's locked bts/btr/
 * btc do the same).  set_bit/clear_bit/change_bit are atomic; the
 * test_and_* forms return the bit's old value; __set_bit etc. are the
 * non-atomic forms.  Each is one statement here, so indivisible.
 */
#ifndef _LINUX_BITOPS_H
#define _LINUX_BITOPS_H

#include <linux/types.h>

#define BITS_PER_LONG 64
#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))
#define BIT_MASK(nr) (1UL << ((nr) % BITS_PER_LONG))
#define BIT_WORD(nr) ((nr) / BITS_PER_LONG)
#define BITS_TO_LONGS(nr) (((nr) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

static inline void set_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}
static inline void clear_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}
static inline void change_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] ^= BIT_MASK(nr);
}
static inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	return (addr[BIT_WORD(nr)] >> (nr % BITS_PER_LONG)) & 1;
}
static inline bool test_and_set_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old;
	return (old = addr[BIT_WORD(nr)], addr[BIT_WORD(nr)] = old | BIT_MASK(nr),
		(old & BIT_MASK(nr)) != 0);
}
static inline bool test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old;
	return (old = addr[BIT_WORD(nr)], addr[BIT_WORD(nr)] = old & ~BIT_MASK(nr),
		(old & BIT_MASK(nr)) != 0);
}
static inline bool test_and_change_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old;
	return (old = addr[BIT_WORD(nr)], addr[BIT_WORD(nr)] = old ^ BIT_MASK(nr),
		(old & BIT_MASK(nr)) != 0);
}
#define __set_bit(nr, addr) set_bit((nr), (addr))
#define __clear_bit(nr, addr) clear_bit((nr), (addr))
#define __change_bit(nr, addr) change_bit((nr), (addr))
#define __test_and_set_bit(nr, addr) test_and_set_bit((nr), (addr))
#define __test_and_clear_bit(nr, addr) test_and_clear_bit((nr), (addr))

#endif /* _LINUX_BITOPS_H */
