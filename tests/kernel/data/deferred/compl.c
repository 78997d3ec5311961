#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/delay.h>
MODULE_LICENSE("GPL");
static int hang;
module_param(hang, int, 0);
static DECLARE_COMPLETION(ready);
static struct completion finished;

static int signaller(void *arg)
{
	pr_info("%s starts\n", current->comm);
	msleep(50);
	complete(&ready);
	pr_info("signaller completed ready\n");
	kthread_complete_and_exit(&finished, 7);
}

static int __init compl_init(void)
{
	unsigned long left;
	long r;

	init_completion(&finished);
	pr_info("done %d try %d\n", completion_done(&ready),
		try_wait_for_completion(&ready));
	left = wait_for_completion_timeout(&ready, 5);
	pr_info("timed out, left %lu\n", left);
	kthread_run(signaller, NULL, "signaller");
	wait_for_completion(&ready);
	pr_info("init woke\n");
	wait_for_completion(&finished);
	pr_info("signaller finished, done %u\n", finished.done);
	complete(&ready);
	complete(&ready);
	pr_info("two: done %d count %u\n", completion_done(&ready), ready.done);
	pr_info("try %d", try_wait_for_completion(&ready));
	pr_info("try %d", try_wait_for_completion(&ready));
	pr_info("try %d\n", try_wait_for_completion(&ready));
	complete_all(&ready);
	wait_for_completion(&ready);
	pr_info("all: done %d count %u\n", completion_done(&ready), ready.done);
	reinit_completion(&ready);
	complete(&ready);
	left = wait_for_completion_timeout(&ready, 100);
	pr_info("already done, left %lu\n", left);
	r = wait_for_completion_interruptible_timeout(&ready, 3);
	pr_info("interruptible timeout %ld\n", r);
	complete(&ready);
	pr_info("interruptible %d\n", wait_for_completion_interruptible(&ready));
	if (hang) {
		pr_info("waiting for good\n");
		wait_for_completion(&ready);
	}
	return 0;
}

static void __exit compl_exit(void)
{
	pr_info("bye\n");
}
module_init(compl_init);
module_exit(compl_exit);
