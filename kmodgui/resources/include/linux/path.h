/* SPDX-License-Identifier: GPL-2.0 */
/* <linux/path.h>: where a file was opened: its mount and its dentry. */
#ifndef _LINUX_PATH_H
#define _LINUX_PATH_H

struct dentry;
struct vfsmount;

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

#endif /* _LINUX_PATH_H */
