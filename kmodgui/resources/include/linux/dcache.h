/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/dcache.h>: directory entries, the names the VFS looks files up by.
 *
 * An open file knows the dentry it was opened through (file->f_path.dentry);
 * its d_name.name is the file's own name ("buffer1k" for /proc/buffer1k).
 * The fields up to d_iname are laid out as in 6.1 on x86_64 without lock
 * debugging; the rest of the real structure is left out.
 */
#ifndef __LINUX_DCACHE_H
#define __LINUX_DCACHE_H

#include <linux/types.h>

struct inode;

/* A name with its hash and length (the hash comes first on little-endian). */
struct qstr {
	union {
		struct {
			u32 hash;
			u32 len;
		};
		u64 hash_len;
	};
	const unsigned char *name;
};

#define DNAME_INLINE_LEN 32

struct dentry {
	unsigned int d_flags;
	unsigned int d_seq;		/* seqcount_spinlock_t */
	void *d_hash[2];		/* struct hlist_bl_node */
	struct dentry *d_parent;
	struct qstr d_name;
	struct inode *d_inode;
	unsigned char d_iname[DNAME_INLINE_LEN];
};

#endif /* __LINUX_DCACHE_H */
