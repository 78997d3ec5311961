#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
MODULE_LICENSE("GPL");

static int deadlock;
module_param(deadlock, int, 0444);

static DEFINE_MUTEX(m);
static DEFINE_SPINLOCK(s);
static DEFINE_RWLOCK(rw);

static int __init locks_init(void)
{
	unsigned long flags;

	pr_info("mutex locked: %d\n", mutex_is_locked(&m));
	mutex_lock(&m);
	pr_info("mutex locked: %d, trylock: %d\n", mutex_is_locked(&m), mutex_trylock(&m));
	mutex_unlock(&m);
	pr_info("trylock: %d\n", mutex_trylock(&m));
	mutex_unlock(&m);
	pr_info("interruptible: %d\n", mutex_lock_interruptible(&m));
	mutex_unlock(&m);

	pr_info("spin locked: %d\n", spin_is_locked(&s));
	spin_lock_irqsave(&s, flags);
	pr_info("spin locked: %d, trylock: %d, irqs were on: %d\n", spin_is_locked(&s),
		spin_trylock(&s), (flags & 0x200) != 0);
	spin_unlock_irqrestore(&s, flags);
	pr_info("spin trylock: %d\n", spin_trylock(&s));
	spin_unlock(&s);

	read_lock(&rw);
	read_lock(&rw);
	read_unlock(&rw);
	read_unlock(&rw);
	write_lock_irqsave(&rw, flags);
	write_unlock_irqrestore(&rw, flags);
	pr_info("rwlock done\n");

	if (deadlock == 1) {
		spin_lock(&s);
		spin_lock(&s);
	}
	if (deadlock == 2) {
		read_lock(&rw);
		write_lock(&rw);
	}
	if (deadlock == 4) {
		write_lock(&rw);
		read_lock(&rw);
	}
	if (deadlock == 3) {
		mutex_lock(&m);
		mutex_lock(&m);
	}
	return 0;
}

static void __exit locks_exit(void)
{
	pr_info("bye\n");
}
module_init(locks_init);
module_exit(locks_exit);
