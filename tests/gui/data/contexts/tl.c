#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/interrupt.h>
#include <linux/delay.h>
MODULE_LICENSE("GPL");
static int runs;

static void first(struct tasklet_struct *t)
{
	runs++;
	pr_info("first runs (%d), softirq %d\n", runs, in_softirq() ? 1 : 0);
}
static DECLARE_TASKLET(t1, first);

struct box {
	int value;
	struct tasklet_struct t;
};
static struct box b = { .value = 42 };

static void second(struct tasklet_struct *t)
{
	struct box *p = container_of(t, struct box, t);

	pr_info("second sees %d\n", p->value);
}

static void third(unsigned long data)
{
	pr_info("third gets %lu\n", data);
}
static struct tasklet_struct t3;

static int __init tl_init(void)
{
	tasklet_setup(&b.t, second);
	tasklet_init(&t3, third, 7);
	tasklet_schedule(&t1);
	tasklet_schedule(&t1);
	msleep(10);
	pr_info("after sleep: runs %d\n", runs);
	tasklet_schedule(&b.t);
	tasklet_schedule(&t3);
	msleep(10);
	tasklet_schedule(&t1);
	mdelay(20);
	pr_info("after busy wait: runs %d\n", runs);
	return 0;
}

static void __exit tl_exit(void)
{
	tasklet_kill(&t1);
	tasklet_kill(&b.t);
	tasklet_kill(&t3);
	pr_info("bye\n");
}
module_init(tl_init);
module_exit(tl_exit);
