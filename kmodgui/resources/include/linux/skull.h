/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/skull.h>: the facilities of the init/exit lesson.
 *
 * THIS HEADER EXISTS ONLY IN THE SIMULATOR'S KERNEL.  LDD3's chapter 2
 * explains error handling with placeholder calls, register_this(),
 * register_that() and register_those(), and the cleanup() variant with
 * register_stuff().  They stand for any registration a real module makes
 * (a char device major, a class, a /proc entry, a misc device, ...); this
 * kernel implements them so the lesson's code runs as written.
 *
 * Each register_*() records a registration under (facility, name) and
 * returns 0, or a negative errno: -EBUSY if that name is registered
 * already (e.g. left behind by a module that forgot to unregister), or an
 * injected fault.  Each unregister_*() releases it.  The simulated kernel
 * keeps the registrations across rmmod, exactly like a real leaked one.
 */
#ifndef _LINUX_SKULL_H
#define _LINUX_SKULL_H

int register_this(void *ptr, const char *name);
void unregister_this(void *ptr, const char *name);

int register_that(void *ptr, const char *name);
void unregister_that(void *ptr, const char *name);

int register_those(void *ptr, const char *name);
void unregister_those(void *ptr, const char *name);

/* the cleanup() variant: one facility, "stuff" */
int register_stuff(void *ptr, const char *name);
void unregister_stuff(void *ptr, const char *name);

#endif /* _LINUX_SKULL_H */
