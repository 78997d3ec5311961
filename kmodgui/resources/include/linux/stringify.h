/* SPDX-License-Identifier: GPL-2.0 */
/* <linux/stringify.h>: turn a macro's expansion into a string literal. */
#ifndef __LINUX_STRINGIFY_H
#define __LINUX_STRINGIFY_H

/* Two levels so that the argument is macro-expanded before # applies. */
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)

#endif /* __LINUX_STRINGIFY_H */
