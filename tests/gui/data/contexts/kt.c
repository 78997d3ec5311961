#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/mutex.h>
MODULE_LICENSE("GPL");
static DEFINE_MUTEX(m);
static struct task_struct *t;
static int holder(void *arg)
{
	mutex_lock(&m);
	pr_info("thread has it\n");
	msleep(100);
	pr_info("thread unlocks\n");
	mutex_unlock(&m);
	while (!kthread_should_stop())
		msleep(10);
	return 0;
}
static int __init kt_init(void)
{
	t = kthread_run(holder, NULL, "holder");
	msleep(10);
	mutex_lock(&m);
	pr_info("init has it\n");
	mutex_unlock(&m);
	return 0;
}
static void __exit kt_exit(void) { kthread_stop(t); }
module_init(kt_init);
module_exit(kt_exit);
