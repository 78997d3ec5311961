/* SPDX-License-Identifier: GPL-2.0 */
/* <asm/processor.h>: x86 CPU helpers. */
#ifndef _ASM_X86_PROCESSOR_H
#define _ASM_X86_PROCESSOR_H

/* "rep; nop" (pause) in a busy-wait loop: a no-op for the simulated CPU. */
#define cpu_relax() do { } while (0)

#endif /* _ASM_X86_PROCESSOR_H */
