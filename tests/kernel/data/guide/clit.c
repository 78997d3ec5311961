// SPDX-License-Identifier: GPL-2.0
/*
 * clit.c: compound literals (C11 6.5.2.5) as kernel code writes them: as
 * arguments (proc_set_user(pde, GLOBAL_ROOT_UID, GLOBAL_ROOT_GID) passes
 * two (kuid_t){ 0 } by value), as lvalues, with designated initialisers,
 * at file scope, and structs passed and returned by value.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>

struct pair {
	int a;
	int b;
};

static int *gp = &(int){ 5 };
static struct pair *gs = &(struct pair){ .b = 2 };
static int *garr = (int[]){ 10, 20, 30 };
static struct proc_dir_entry *pde;

static kuid_t make_uid(unsigned int v)
{
	return (kuid_t){ v };
}

static int sum(struct pair p)
{
	p.a += 1000;		/* the callee's own copy */
	return p.a + p.b;
}

static ssize_t clit_read(struct file *f, char __user *buf, size_t len, loff_t *off)
{
	static const char msg[] = "compound\n";

	return simple_read_from_buffer(buf, len, off, msg, sizeof(msg) - 1);
}

static const struct proc_ops clit_ops = {
	.proc_read = clit_read,
};

static int __init clit_init(void)
{
	int x = 7, i, total = 0;
	int *q = (int[]){ 1, 2, x };
	struct pair *p = &(struct pair){ .a = x };
	kuid_t u = make_uid(42);
	struct pair copy, *again = NULL;

	(int){ 5 } = 6;
	copy = (struct pair){ .b = 3, .a = 4 };
	pr_info("clit: q[2]=%d p->a=%d p->b=%d\n", q[2], p->a, p->b);
	pr_info("clit: member %d, by value %d, copy kept %d\n",
		(struct pair){ 1, 2 }.b, sum(copy), copy.a);
	pr_info("clit: sum of a literal %d\n", sum((struct pair){ .a = 100, .b = x }));
	pr_info("clit: uid %u, member of a call %u\n", __kuid_val(u), make_uid(9).val);
	pr_info("clit: statics %d %d %d\n", *gp, gs->b, garr[2]);
	for (i = 0; i < 3; i++) {
		int *same = &(int){ i };

		if (i == 0)
			again = (struct pair *)same;
		total += *same + (again == (struct pair *)same);
	}
	pr_info("clit: loop total %d\n", total);
	u = make_uid(1);
	pr_info("clit: root %u %u, now %u\n", __kuid_val(GLOBAL_ROOT_UID),
		__kgid_val(GLOBAL_ROOT_GID), u.val);

	pde = proc_create("clit", 0444, NULL, &clit_ops);
	if (!pde)
		return -ENOMEM;
	proc_set_size(pde, 80);
	proc_set_user(pde, GLOBAL_ROOT_UID, GLOBAL_ROOT_GID);
	proc_set_user(pde, (kuid_t){ .val = 0 }, KGIDT_INIT(0));
	return 0;
}

static void __exit clit_exit(void)
{
	proc_remove(pde);
	pr_info("clit: bye\n");
}

module_init(clit_init);
module_exit(clit_exit);
MODULE_LICENSE("GPL");
