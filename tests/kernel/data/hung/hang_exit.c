#include <linux/module.h>
#include <linux/sched.h>
MODULE_LICENSE("GPL");

static int __init hang_exit_init(void)
{
	return 0;
}

/* exit sleeps uninterruptibly with no timeout: nobody wakes it */
static void __exit hang_exit_exit(void)
{
	while (1)
		schedule_timeout_uninterruptible(MAX_SCHEDULE_TIMEOUT);
}
module_init(hang_exit_init);
module_exit(hang_exit_exit);
