/* SPDX-License-Identifier: GPL-2.0 */
/* <linux/container_of.h>: from a pointer to a member, the enclosing struct. */
#ifndef _LINUX_CONTAINER_OF_H
#define _LINUX_CONTAINER_OF_H

#include <linux/stddef.h>

/*
 * container_of - cast a member of a structure out to the containing structure
 * @ptr:	the pointer to the member.
 * @type:	the type of the container struct this is embedded in.
 * @member:	the name of the member within the struct.
 *
 * The real macro also checks with typeof() that @ptr points to the type of
 * @member; the simulator cannot (no typeof), so it is the plain subtraction.
 */
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#endif /* _LINUX_CONTAINER_OF_H */
