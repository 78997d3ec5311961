/* SPDX-License-Identifier: GPL-2.0 */
/* <linux/uaccess.h>: copy_to_user(), copy_from_user(), put_user(), get_user(). */
#ifndef __LINUX_UACCESS_H__
#define __LINUX_UACCESS_H__

#include <asm/uaccess.h>

#endif /* __LINUX_UACCESS_H__ */
