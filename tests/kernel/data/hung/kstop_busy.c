#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/err.h>
MODULE_LICENSE("GPL");

static struct task_struct *worker;

/* spins forever, never asks kthread_should_stop() */
static int worker_fn(void *data)
{
	while (1)
		cpu_relax();
	return 0;
}

static int __init kstop_busy_init(void)
{
	worker = kthread_run(worker_fn, NULL, "kstop_busy");
	return PTR_ERR_OR_ZERO(worker);
}

static void __exit kstop_busy_exit(void)
{
	kthread_stop(worker);
	pr_info("kstop_busy: stopped\n");
}
module_init(kstop_busy_init);
module_exit(kstop_busy_exit);
