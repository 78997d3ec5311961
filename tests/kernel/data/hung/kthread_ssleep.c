#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/err.h>
MODULE_LICENSE("GPL");
static struct task_struct *worker;

/* sleeps five minutes at a time until asked to stop */
static int worker_fn(void *data)
{
	while (!kthread_should_stop())
		ssleep(300);
	return 0;
}
static int __init kthread_ssleep_init(void)
{
	worker = kthread_run(worker_fn, NULL, "kthread_ssleep_worker");
	return PTR_ERR_OR_ZERO(worker);
}
static void __exit kthread_ssleep_exit(void)
{
	kthread_stop(worker);
}
module_init(kthread_ssleep_init);
module_exit(kthread_ssleep_exit);
