#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/workqueue.h>
#include <linux/delay.h>
MODULE_LICENSE("GPL");
static int leak;
module_param(leak, int, 0);
static struct workqueue_struct *ubq, *stq, *lgq;

static void say(struct work_struct *w)
{
	pr_info("work in %s\n", current->comm);
}
static DECLARE_WORK(w1, say);
static struct work_struct w2;

static void later(struct work_struct *w)
{
	struct delayed_work *d = to_delayed_work(w);

	pr_info("delayed work in %s, pending %d\n", current->comm,
		delayed_work_pending(d));
}
static DECLARE_DELAYED_WORK(d1, later);
static struct delayed_work d2;

static int __init wq_init(void)
{
	pr_info("schedule %d\n", schedule_work(&w1));
	pr_info("again %d pending %d\n", schedule_work(&w1), work_pending(&w1));
	pr_info("flush %d\n", flush_work(&w1));
	pr_info("flush idle %d pending %d\n", flush_work(&w1), work_pending(&w1));
	ubq = alloc_workqueue("ubq", WQ_UNBOUND, 1);
	stq = create_singlethread_workqueue("stq");
	lgq = create_workqueue("lgq");
	INIT_WORK(&w2, say);
	pr_info("queue %d\n", queue_work(ubq, &w2));
	flush_workqueue(ubq);
	pr_info("queue %d\n", queue_work(stq, &w2));
	flush_workqueue(stq);
	pr_info("queue %d\n", queue_work(lgq, &w2));
	flush_workqueue(lgq);
	pr_info("delay %d\n", schedule_delayed_work(&d1, 10));
	pr_info("cancel %d\n", cancel_delayed_work_sync(&d1));
	pr_info("cancel idle %d\n", cancel_delayed_work_sync(&d1));
	pr_info("delay %d\n", schedule_delayed_work(&d1, 2));
	msleep(100);
	INIT_DELAYED_WORK(&d2, later);
	pr_info("delay %d\n", queue_delayed_work(ubq, &d2, 5));
	pr_info("cancel %d\n", cancel_delayed_work(&d2));
	pr_info("delay %d\n", queue_delayed_work(ubq, &d2, 5));
	pr_info("flush delayed %d\n", flush_delayed_work(&d2));
	schedule_work(&w1);
	msleep(10);
	pr_info("cancel %d\n", cancel_work_sync(&w1));
	if (leak == 1)
		schedule_delayed_work(&d1, 5 * HZ);
	return 0;
}

static void __exit wq_exit(void)
{
	destroy_workqueue(lgq);
	destroy_workqueue(stq);
	destroy_workqueue(ubq);
	if (leak == 2)
		schedule_work(&w1);
	pr_info("bye\n");
}
module_init(wq_init);
module_exit(wq_exit);
