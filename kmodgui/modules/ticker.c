// SPDX-License-Identifier: GPL-2.0
/*
 * ticker.c - a kernel thread and a timer: exit must stop both.
 *
 * init starts a thread that wakes every 40 ms and a timer that fires three
 * times, 30 ms apart.  exit stops the thread (kthread_stop() waits for it
 * to return) and deletes the timer.  Forget del_timer_sync() while the
 * timer is still armed and, once the module is gone, the timer fires into
 * freed memory: an oops in interrupt context, and the machine panics.
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/timer.h>
#include <linux/jiffies.h>
MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodgui samples");
MODULE_DESCRIPTION("ticker: a kthread and a timer, both stopped in exit");
static struct task_struct *worker;
static struct timer_list tick;
static int ticks;
static int work(void *data)
{
	int n = 0;
	while (!kthread_should_stop()) {
		pr_info("ticker: worker pass %d (%s)\n", n++, current->comm);
		msleep(40);
	}
	pr_info("ticker: worker stopping after %d passes\n", n);
	return n;
}
static void on_tick(struct timer_list *t)
{
	pr_info("ticker: timer fired (%d)\n", ++ticks);
	if (ticks < 3)
		mod_timer(&tick, jiffies + msecs_to_jiffies(30));
}
static int __init ticker_init(void)
{
	worker = kthread_run(work, NULL, "ticker_worker");
	if (IS_ERR(worker))
		return PTR_ERR(worker);
	timer_setup(&tick, on_tick, 0);
	mod_timer(&tick, jiffies + msecs_to_jiffies(30));
	return 0;
}
static void __exit ticker_exit(void)
{
	int ret = kthread_stop(worker);
	del_timer_sync(&tick);
	pr_info("ticker: stopped, thread returned %d\n", ret);
}
module_init(ticker_init);
module_exit(ticker_exit);
