// SPDX-License-Identifier: GPL-2.0
/*
 * cur.c: `current` from <asm/current.h>, a task's signal sets, the open
 * flags a file carries (O_NONBLOCK), wait_event_interruptible() and
 * noop_llseek(), as a /proc file that lets one opener in at a time uses
 * them.
 */
#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <asm/current.h>

static atomic_t busy = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(waitq);
static struct proc_dir_entry *pde;

static int pending_signals(void)
{
	int i, sig = 0;

	for (i = 0; i < _NSIG_WORDS && !sig; i++)
		sig = current->pending.signal.sig[i] & ~current->blocked.sig[i];
	return sig;
}

static int cur_open(struct inode *inode, struct file *file)
{
	pr_info("cur: open by %s, nonblock %d, accmode %d, signals %d\n", current->comm,
		!!(file->f_flags & O_NONBLOCK), file->f_flags & O_ACCMODE, pending_signals());
	if (!atomic_cmpxchg(&busy, 0, 1))
		return 0;
	if (file->f_flags & O_NONBLOCK)
		return -EAGAIN;
	while (atomic_cmpxchg(&busy, 0, 1)) {
		if (wait_event_interruptible(waitq, !atomic_read(&busy)))
			return -EINTR;
	}
	return 0;
}

static int cur_release(struct inode *inode, struct file *file)
{
	atomic_set(&busy, 0);
	wake_up(&waitq);
	return 0;
}

static ssize_t cur_read(struct file *f, char __user *buf, size_t len, loff_t *off)
{
	static const char msg[] = "one at a time\n";

	return simple_read_from_buffer(buf, len, off, msg, sizeof(msg) - 1);
}

static const struct proc_ops cur_ops = {
	.proc_open = cur_open,
	.proc_read = cur_read,
	.proc_release = cur_release,
	.proc_lseek = noop_llseek,
};

static int __init cur_init(void)
{
	pr_info("cur: init runs as %s, signals %d, state %u\n", current->comm,
		pending_signals(), current->__state);
	pde = proc_create("cur", 0444, NULL, &cur_ops);
	return pde ? 0 : -ENOMEM;
}

static void __exit cur_exit(void)
{
	proc_remove(pde);
	pr_info("cur: exit runs as %s\n", current->comm);
}

module_init(cur_init);
module_exit(cur_exit);
MODULE_LICENSE("GPL");
