/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/jump_label.h>: static keys, as 6.1 defines them.
 *
 * On x86_64 (CONFIG_JUMP_LABEL=y) static_branch_likely()/_unlikely() are a
 * NOP or a JMP that jump_label_update() patches into the code when the
 * key's count changes; the branch is taken exactly when the key's count is
 * above zero.  Here the branch reads the count instead of being patched:
 * the same outcome, without the code patching.
 *
 * static_key_enable()/_disable() and static_key_slow_inc()/_dec() are
 * exported functions (kernel/jump_label.c, EXPORT_SYMBOL_GPL): the
 * simulated kernel runs them.  A key's count: 0 off, 1 on (enable), n for
 * n static_branch_inc() calls.
 */
#ifndef _LINUX_JUMP_LABEL_H
#define _LINUX_JUMP_LABEL_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/atomic.h>
#include <linux/bug.h>

#define JUMP_TYPE_FALSE		0UL
#define JUMP_TYPE_TRUE		1UL
#define JUMP_TYPE_LINKED	2UL
#define JUMP_TYPE_MASK		3UL

struct jump_entry;
struct static_key_mod;

struct static_key {
	atomic_t enabled;
	union {
		unsigned long type;
		struct jump_entry *entries;
		struct static_key_mod *next;
	};
};

extern bool static_key_initialized;

extern bool static_key_slow_inc(struct static_key *key);
extern bool static_key_fast_inc_not_disabled(struct static_key *key);
extern void static_key_slow_dec(struct static_key *key);
extern bool static_key_slow_inc_cpuslocked(struct static_key *key);
extern void static_key_slow_dec_cpuslocked(struct static_key *key);
extern int static_key_count(struct static_key *key);
extern void static_key_enable(struct static_key *key);
extern void static_key_disable(struct static_key *key);
extern void static_key_enable_cpuslocked(struct static_key *key);
extern void static_key_disable_cpuslocked(struct static_key *key);

#define STATIC_KEY_INIT_TRUE					\
	{ .enabled = { 1 },					\
	  { .type = JUMP_TYPE_TRUE } }
#define STATIC_KEY_INIT_FALSE					\
	{ .enabled = { 0 },					\
	  { .type = JUMP_TYPE_FALSE } }
#define STATIC_KEY_INIT STATIC_KEY_INIT_FALSE

/* the legacy interface, on a bare struct static_key (asm goto too) */
static inline bool static_key_false(struct static_key *key)
{
	return key->enabled.counter > 0;
}

static inline bool static_key_true(struct static_key *key)
{
	return key->enabled.counter > 0;
}

struct static_key_true {
	struct static_key key;
};

struct static_key_false {
	struct static_key key;
};

#define STATIC_KEY_TRUE_INIT  (struct static_key_true) { .key = STATIC_KEY_INIT_TRUE,  }
#define STATIC_KEY_FALSE_INIT (struct static_key_false){ .key = STATIC_KEY_INIT_FALSE, }

#define DEFINE_STATIC_KEY_TRUE(name)	\
	struct static_key_true name = STATIC_KEY_TRUE_INIT
#define DEFINE_STATIC_KEY_TRUE_RO(name)	\
	struct static_key_true name = STATIC_KEY_TRUE_INIT
#define DECLARE_STATIC_KEY_TRUE(name)	\
	extern struct static_key_true name
#define DEFINE_STATIC_KEY_FALSE(name)	\
	struct static_key_false name = STATIC_KEY_FALSE_INIT
#define DEFINE_STATIC_KEY_FALSE_RO(name)	\
	struct static_key_false name = STATIC_KEY_FALSE_INIT
#define DECLARE_STATIC_KEY_FALSE(name)	\
	extern struct static_key_false name

/*
 * Any of the three key types: each begins with its struct static_key
 * (the real macro also refuses other types, through a call to the
 * undefined ____wrong_branch_error()).
 */
#define static_key_enabled(x)	(static_key_count((struct static_key *)(x)) > 0)
#define jump_label_enabled static_key_enabled

/*
 * The patched NOP/JMP: no call into the kernel (arch_static_branch() is
 * asm goto), so it reads the count where the real code is patched by it.
 */
static inline bool __kmodsim_static_branch(const struct static_key *key)
{
	return key->enabled.counter > 0;
}
#define static_branch_likely(x)		likely_notrace(__kmodsim_static_branch(&(x)->key))
#define static_branch_unlikely(x)	unlikely_notrace(__kmodsim_static_branch(&(x)->key))

/* refcount: the branch is enabled while the count is not 0 */
#define static_branch_inc(x)		static_key_slow_inc(&(x)->key)
#define static_branch_dec(x)		static_key_slow_dec(&(x)->key)
#define static_branch_inc_cpuslocked(x)	static_key_slow_inc_cpuslocked(&(x)->key)
#define static_branch_dec_cpuslocked(x)	static_key_slow_dec_cpuslocked(&(x)->key)

/* boolean enable/disable */
#define static_branch_enable(x)			static_key_enable(&(x)->key)
#define static_branch_disable(x)		static_key_disable(&(x)->key)
#define static_branch_enable_cpuslocked(x)	static_key_enable_cpuslocked(&(x)->key)
#define static_branch_disable_cpuslocked(x)	static_key_disable_cpuslocked(&(x)->key)

#endif /* _LINUX_JUMP_LABEL_H */
