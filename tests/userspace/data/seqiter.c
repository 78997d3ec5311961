#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
MODULE_LICENSE("GPL");

static int values[3] = { 10, 20, 30 };

static void *si_start(struct seq_file *m, loff_t *pos)
{
	pr_info("start pos=%lld\n", *pos);
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return *pos <= 3 ? &values[*pos - 1] : NULL;
}

static void *si_next(struct seq_file *m, void *v, loff_t *pos)
{
	(*pos)++;
	pr_info("next pos=%lld\n", *pos);
	return *pos <= 3 ? &values[*pos - 1] : NULL;
}

static void si_stop(struct seq_file *m, void *v)
{
	pr_info("stop\n");
}

static int si_show(struct seq_file *m, void *v)
{
	if (v == SEQ_START_TOKEN)
		seq_puts(m, "value\n");
	else
		seq_printf(m, "%d\n", *(int *)v);
	return 0;
}

static const struct seq_operations si_ops = {
	.start = si_start,
	.next = si_next,
	.stop = si_stop,
	.show = si_show,
};

static int __init si_init(void)
{
	struct proc_dir_entry *e = proc_create_seq("seqiter", 0444, NULL, &si_ops);

	if (!e)
		return -ENOMEM;
	proc_set_size(e, 42);
	return 0;
}

static void __exit si_exit(void)
{
	remove_proc_entry("seqiter", NULL);
}
module_init(si_init);
module_exit(si_exit);
