/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/uidgid.h>: user and group ids as the kernel holds them: kuid_t and
 * kgid_t wrap the number so that a namespace-relative id cannot be mixed
 * up with a global one by accident.  GLOBAL_ROOT_UID is root everywhere.
 */
#ifndef _LINUX_UIDGID_H
#define _LINUX_UIDGID_H

#include <linux/types.h>

typedef struct {
	uid_t val;
} kuid_t;

typedef struct {
	gid_t val;
} kgid_t;

#define KUIDT_INIT(value) (kuid_t){ value }
#define KGIDT_INIT(value) (kgid_t){ value }

#define GLOBAL_ROOT_UID KUIDT_INIT(0)
#define GLOBAL_ROOT_GID KGIDT_INIT(0)

static inline uid_t __kuid_val(kuid_t uid) { return uid.val; }
static inline gid_t __kgid_val(kgid_t gid) { return gid.val; }

#endif /* _LINUX_UIDGID_H */
