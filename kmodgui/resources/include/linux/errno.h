/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/errno.h>: the error numbers, plus the kernel-internal ones
 * (512 and up) that must never reach user space as they are.
 */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

#include <linux/version.h>
#include <asm/errno.h>

/* Should never be seen by user programs */
#define ERESTARTSYS	512
#define ERESTARTNOINTR	513
#define ERESTARTNOHAND	514	/* restart if no handler.. */
#define ENOIOCTLCMD	515	/* No ioctl command */
#define ERESTART_RESTARTBLOCK 516 /* restart by calling sys_restart_syscall */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 4, 0)
#define EPROBE_DEFER	517	/* Driver requests probe retry */
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 6, 0)
#define EOPENSTALE	518	/* open found a stale dentry */
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 1, 0)
#define ENOPARAM	519	/* Parameter not supported */
#endif

/* Defined for the NFSv3 protocol */
#define EBADHANDLE	521	/* Illegal NFS file handle */
#define ENOTSYNC	522	/* Update synchronization mismatch */
#define EBADCOOKIE	523	/* Cookie is stale */
#define ENOTSUPP	524	/* Operation is not supported */
#define ETOOSMALL	525	/* Buffer or request is too small */
#define ESERVERFAULT	526	/* An untranslatable error occurred */
#define EBADTYPE	527	/* Type not supported by server */
#define EJUKEBOX	528	/* Request initiated, but will not complete before timeout */
#define EIOCBQUEUED	529	/* iocb queued, will get completion event */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 0, 0)
#define ERECALLCONFLICT	530	/* conflict with recalled state */
#define ENOGRACE	531	/* NFS file lock reclaim refused */
#else
#define EIOCBRETRY	530	/* iocb queued, will trigger a retry */
#endif

#endif /* _LINUX_ERRNO_H */
