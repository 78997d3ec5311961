#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/err.h>
MODULE_LICENSE("GPL");

static struct task_struct *worker;

/* never asks kthread_should_stop() */
static int worker_fn(void *data)
{
	while (1)
		msleep(100);
	return 0;
}

static int __init kstop_sleep_init(void)
{
	worker = kthread_run(worker_fn, NULL, "kstop_sleep");
	return PTR_ERR_OR_ZERO(worker);
}

static void __exit kstop_sleep_exit(void)
{
	kthread_stop(worker);
	pr_info("kstop_sleep: stopped\n");
}
module_init(kstop_sleep_init);
module_exit(kstop_sleep_exit);
