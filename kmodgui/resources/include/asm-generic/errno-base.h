/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <asm-generic/errno-base.h>: where 2.6.30 kept these numbers; since 3.7 they
 * live under include/uapi/.  Same values.
 */
#ifndef _KMODSIM_ASM_GENERIC_ERRNO_BASE_H
#define _KMODSIM_ASM_GENERIC_ERRNO_BASE_H

#include <uapi/asm-generic/errno-base.h>

#endif /* _KMODSIM_ASM_GENERIC_ERRNO_BASE_H */
