/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/minmax.h>: min(), max(), clamp() and their _t forms, min3/max3,
 * swap().  The kernel's versions use typeof() to evaluate each argument
 * once and to warn on mixed signedness; these evaluate arguments twice.
 */
#ifndef _LINUX_MINMAX_H
#define _LINUX_MINMAX_H

#ifndef min
#define min(x, y) ((x) < (y) ? (x) : (y))
#define max(x, y) ((x) > (y) ? (x) : (y))
#define min_t(type, x, y) ((type)(x) < (type)(y) ? (type)(x) : (type)(y))
#define max_t(type, x, y) ((type)(x) > (type)(y) ? (type)(x) : (type)(y))
#define clamp(val, lo, hi) min(max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#endif
#define min3(x, y, z) min(min(x, y), z)
#define max3(x, y, z) max(max(x, y), z)
#define min_not_zero(x, y) ((x) == 0 ? (y) : ((y) == 0 ? (x) : min(x, y)))
#define clamp_val(val, lo, hi) clamp_t(typeof(val), val, lo, hi)

#endif /* _LINUX_MINMAX_H */
