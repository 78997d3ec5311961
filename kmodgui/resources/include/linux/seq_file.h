/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/seq_file.h>: building the text of a virtual file (fs/seq_file.c).
 *
 * The usual /proc file: .open calls single_open(file, show, data); show()
 * writes the whole text with seq_printf()/seq_puts(); .read is seq_read,
 * .llseek seq_lseek, .release single_release.  seq_file takes care of
 * offsets and partial reads.
 */
#ifndef _LINUX_SEQ_FILE_H
#define _LINUX_SEQ_FILE_H

#include <linux/version.h>
#include <linux/types.h>
#include <linux/mutex.h>

struct file;
struct inode;
struct seq_file;

/*
 * An iterator over records: start(m, pos) returns the record at *pos (or
 * NULL at the end; SEQ_START_TOKEN for a header), show() prints one,
 * next() advances *pos and returns the next record, stop() ends a pass.
 */
struct seq_operations {
	void * (*start) (struct seq_file *m, loff_t *pos);
	void (*stop) (struct seq_file *m, void *v);
	void * (*next) (struct seq_file *m, void *v, loff_t *pos);
	int (*show) (struct seq_file *m, void *v);
};

#define SEQ_START_TOKEN ((void *)1)

struct seq_file {
	char *buf;
	size_t size;
	size_t from;
	size_t count;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 19, 0)
	size_t pad_until;
#endif
	loff_t index;
	loff_t read_pos;
	struct mutex lock;
	const struct seq_operations *op;
	int poll_event;
	const struct file *file;
	void *private;		/* the data given to single_open() */
};

/* The output functions return nothing since 4.3 (int before). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 3, 0)
void seq_printf(struct seq_file *m, const char *fmt, ...);
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
#else
int seq_printf(struct seq_file *m, const char *fmt, ...);
int seq_puts(struct seq_file *m, const char *s);
int seq_putc(struct seq_file *m, char c);
#endif

int seq_write(struct seq_file *seq, const void *data, size_t len);

int seq_open(struct file *file, const struct seq_operations *op);
int seq_release(struct inode *inode, struct file *file);
int single_open(struct file *file, int (*show)(struct seq_file *, void *),
		void *data);
int single_open_size(struct file *file, int (*show)(struct seq_file *, void *),
		     void *data, size_t size);
int single_release(struct inode *inode, struct file *file);
ssize_t seq_read(struct file *file, char __user *buf, size_t size, loff_t *ppos);
loff_t seq_lseek(struct file *file, loff_t offset, int whence);

#endif /* _LINUX_SEQ_FILE_H */
