/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/proc_fs.h>: files in /proc (fs/proc/generic.c).
 *
 * proc_create(name, mode, parent, ops) makes /proc/<name> (parent NULL) and
 * returns its entry, or NULL if it failed (e.g. the name exists).  A module
 * MUST remove its entries in its exit routine: a /proc file left behind
 * points into the module's freed code.
 *
 * 5.6 gave /proc files their own struct proc_ops; before that (2.6.30)
 * proc_create() took a struct file_operations.  A module for both:
 *	#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 6, 0)
 */
#ifndef _LINUX_PROC_FS_H
#define _LINUX_PROC_FS_H

#include <linux/version.h>
#include <linux/types.h>
#include <linux/fs.h>

struct proc_dir_entry;		/* opaque */
struct seq_file;
struct seq_operations;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 6, 0)

#define PROC_ENTRY_PERMANENT 1U

struct proc_ops {
	unsigned int proc_flags;
	int (*proc_open)(struct inode *, struct file *);
	ssize_t (*proc_read)(struct file *, char __user *, size_t, loff_t *);
	ssize_t (*proc_write)(struct file *, const char __user *, size_t, loff_t *);
	loff_t (*proc_lseek)(struct file *, loff_t, int);
	int (*proc_release)(struct inode *, struct file *);
	long (*proc_ioctl)(struct file *, unsigned int, unsigned long);
};

struct proc_dir_entry *proc_create(const char *name, umode_t mode,
				   struct proc_dir_entry *parent,
				   const struct proc_ops *proc_ops);
struct proc_dir_entry *proc_create_data(const char *name, umode_t mode,
					struct proc_dir_entry *parent,
					const struct proc_ops *proc_ops, void *data);
/* A read-only file whose whole text is written by show() (single_open). */
struct proc_dir_entry *proc_create_single(const char *name, umode_t mode,
					  struct proc_dir_entry *parent,
					  int (*show)(struct seq_file *, void *));
/* A read-only file produced by a seq_file iterator (start/next/stop/show). */
struct proc_dir_entry *proc_create_seq_private(const char *name, umode_t mode,
					       struct proc_dir_entry *parent,
					       const struct seq_operations *ops,
					       unsigned int state_size, void *data);
#define proc_create_seq_data(name, mode, parent, ops, data) \
	proc_create_seq_private(name, mode, parent, ops, 0, data)
#define proc_create_seq(name, mode, parent, ops) \
	proc_create_seq_private(name, mode, parent, ops, 0, NULL)
/* the size stat() reports (ls -l); what a read returns is the module's */
void proc_set_size(struct proc_dir_entry *de, loff_t size);
/* the owner stat() reports */
void proc_set_user(struct proc_dir_entry *de, kuid_t uid, kgid_t gid);

#else /* 2.6.30 */

struct proc_dir_entry *proc_create(const char *name, mode_t mode,
				   struct proc_dir_entry *parent,
				   const struct file_operations *proc_fops);

#endif

struct proc_dir_entry *proc_mkdir(const char *name, struct proc_dir_entry *parent);
void remove_proc_entry(const char *name, struct proc_dir_entry *parent);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 10, 0)
/* removes an entry (and everything under it) given its pointer */
void proc_remove(struct proc_dir_entry *de);
#endif

#endif /* _LINUX_PROC_FS_H */
