/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/fs.h>: files as a driver sees them, and character device numbers.
 *
 * A character driver fills a struct file_operations with its methods and
 * registers it under a major number (fs/char_dev.c); an open() of a
 * /dev node with that major then calls the driver's .open, read() its
 * .read, and so on.  Set .owner = THIS_MODULE: the VFS then holds a
 * reference on the module while a file is open, so rmmod says it is busy.
 */
#ifndef _LINUX_FS_H
#define _LINUX_FS_H

#include <linux/version.h>
#include <linux/types.h>
#include <linux/kdev_t.h>
#include <linux/ioctl.h>
#include <linux/fcntl.h>
#include <linux/err.h>
#include <linux/uidgid.h>
#include <linux/dcache.h>
#include <linux/path.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)
/* 6.1's fs.h includes uuid.h, which includes string.h: memset & co. come along */
#include <linux/string.h>
#endif

struct module;
struct cdev;
struct poll_table_struct;
struct vm_area_struct;

/* the opened-by identity passed to .flush (a struct files_struct *) */
typedef void *fl_owner_t;

/* An inode: one file or device node (a small part of it). */
struct inode {
	umode_t i_mode;
	unsigned long i_ino;
	dev_t i_rdev;		/* the device number of a /dev node */
	loff_t i_size;
	struct cdev *i_cdev;	/* set when the node is a cdev's */
	void *i_private;	/* the data given to proc_create_data() & co */
};

/* One open() of a file: what the driver's methods receive. */
struct file {
	struct path f_path;	/* f_path.dentry->d_name.name: the file's name */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 9, 0)
	struct inode *f_inode;
#endif
	const struct file_operations *f_op;
	unsigned int f_flags;	/* O_RDONLY, O_NONBLOCK, ... */
	fmode_t f_mode;
	loff_t f_pos;
	void *private_data;	/* free for the driver (single_open uses it) */
};

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 9, 0)
#define file_inode(f) ((f)->f_inode)
#endif

#define iminor(inode) MINOR((inode)->i_rdev)
#define imajor(inode) MAJOR((inode)->i_rdev)

/*
 * The driver's methods.  read/write return the number of bytes moved (0 at
 * end of file) or a negative errno, and advance *offset themselves; the
 * buffers are user-space addresses: use copy_to_user()/copy_from_user().
 */
struct file_operations {
	struct module *owner;
	loff_t (*llseek)(struct file *, loff_t, int);
	ssize_t (*read)(struct file *, char __user *, size_t, loff_t *);
	ssize_t (*write)(struct file *, const char __user *, size_t, loff_t *);
	unsigned int (*poll)(struct file *, struct poll_table_struct *);
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 36)
	/* the old ioctl, called with the big kernel lock held */
	int (*ioctl)(struct inode *, struct file *, unsigned int, unsigned long);
#endif
	long (*unlocked_ioctl)(struct file *, unsigned int, unsigned long);
	long (*compat_ioctl)(struct file *, unsigned int, unsigned long);
	int (*mmap)(struct file *, struct vm_area_struct *);
	int (*open)(struct inode *, struct file *);
	int (*flush)(struct file *, fl_owner_t id);
	int (*release)(struct inode *, struct file *);
};

/*
 * register_chrdev(major, name, fops): claims all 256 minors of a major.
 * major 0 asks for a free (dynamic) major and returns it; otherwise it
 * returns 0, or -EBUSY if the major is taken.  Undo with unregister_chrdev().
 */
int register_chrdev(unsigned int major, const char *name,
		    const struct file_operations *fops);
void unregister_chrdev(unsigned int major, const char *name);

/* the cdev way: reserve a range of device numbers, then cdev_add() */
int alloc_chrdev_region(dev_t *dev, unsigned int baseminor, unsigned int count,
			const char *name);
int register_chrdev_region(dev_t from, unsigned int count, const char *name);
void unregister_chrdev_region(dev_t from, unsigned int count);

/* llseek methods: refuse seeking (-ESPIPE) / accept and ignore it */
loff_t no_llseek(struct file *file, loff_t offset, int whence);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 37)
loff_t noop_llseek(struct file *file, loff_t offset, int whence);
#endif
loff_t default_llseek(struct file *file, loff_t offset, int whence);

/* fs/libfs.c: copy from a kernel buffer at *ppos to user space, advance *ppos */
ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos,
				const void *from, size_t available);

#endif /* _LINUX_FS_H */
