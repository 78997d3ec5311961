#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/wait.h>
#include <linux/delay.h>
MODULE_LICENSE("GPL");
static DECLARE_WAIT_QUEUE_HEAD(wqh);
static wait_queue_head_t other;
static int flag;

static int waker(void *arg)
{
	msleep(50);
	flag = 1;
	pr_info("waker wakes\n");
	wake_up(&wqh);
	msleep(50);
	flag = 2;
	wake_up_interruptible(&wqh);
	msleep(50);
	flag = 3;
	wake_up_all(&other);
	return 0;
}

static int __init wqh_init(void)
{
	long r;

	init_waitqueue_head(&other);
	r = wait_event_timeout(wqh, flag != 0, 5);
	pr_info("timed out: %ld active %d\n", r, waitqueue_active(&wqh));
	kthread_run(waker, NULL, "waker");
	wait_event(wqh, flag == 1);
	pr_info("woke at %d\n", flag);
	r = wait_event_interruptible(wqh, flag == 2);
	pr_info("interruptible %ld at %d\n", r, flag);
	r = wait_event_interruptible_timeout(other, flag == 3, 100);
	pr_info("left %ld at %d\n", r > 0, flag);
	r = wait_event_timeout(other, flag == 3, 7);
	pr_info("true already: %ld\n", r);
	return 0;
}

static void __exit wqh_exit(void)
{
	pr_info("bye\n");
}
module_init(wqh_init);
module_exit(wqh_exit);
