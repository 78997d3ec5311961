/* SPDX-License-Identifier: GPL-2.0 */
/* <asm/errno.h>: x86 uses the generic error numbers. */
#ifndef _KMODSIM_ASM_ERRNO_H
#define _KMODSIM_ASM_ERRNO_H

#include <uapi/asm-generic/errno.h>

#endif /* _KMODSIM_ASM_ERRNO_H */
