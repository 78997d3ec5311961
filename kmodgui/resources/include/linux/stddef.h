/* SPDX-License-Identifier: GPL-2.0 */
/* <linux/stddef.h>: NULL, true/false, offsetof. */
#ifndef _LINUX_STDDEF_H
#define _LINUX_STDDEF_H

#include <linux/types.h>

#undef NULL
#define NULL ((void *)0)

enum {
	false = 0,
	true = 1
};

/* The real one is __builtin_offsetof(); this is the classic C form. */
#undef offsetof
#define offsetof(TYPE, MEMBER) ((size_t)&((TYPE *)0)->MEMBER)

#define sizeof_field(TYPE, MEMBER) sizeof((((TYPE *)0)->MEMBER))

#endif /* _LINUX_STDDEF_H */
