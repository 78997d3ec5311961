// SPDX-License-Identifier: GPL-2.0
/* What the kernel's sscanf() returns and stores for a table of inputs. */
#include <linux/module.h>
#include <linux/kernel.h>

MODULE_LICENSE("GPL");

static int __init ssc_init(void)
{
	int a = -1, b = -1, n = -1, r;
	unsigned int u = 7;
	long l = -1;
	unsigned long ul = 1;
	long long ll = -1;
	signed char hh = -1;
	char s[16] = "?", t[16] = "?", c[4] = "??";

	r = sscanf("12 -34", "%d %d", &a, &b);
	pr_info("t1 r=%d a=%d b=%d\n", r, a, b);
	r = sscanf("0x1f 017", "%i %i", &a, &b);
	pr_info("t2 r=%d a=%d b=%d\n", r, a, b);
	r = sscanf("4294967295", "%u", &u);
	pr_info("t3 r=%d u=%u\n", r, u);
	r = sscanf("ff 0XAb", "%x %x", &a, &b);
	pr_info("t4 r=%d a=%d b=%d\n", r, a, b);
	r = sscanf("777 8", "%o %o", &a, &b);
	pr_info("t5 r=%d a=%d b=%d\n", r, a, b);
	r = sscanf("  hello world", "%s %s", s, t);
	pr_info("t6 r=%d s=%s t=%s\n", r, s, t);
	r = sscanf("abcdef", "%3s%2s", s, t);
	pr_info("t7 r=%d s=%s t=%s\n", r, s, t);
	c[0] = c[1] = '?';
	r = sscanf(" xy", "%c%c", &c[0], &c[1]);
	pr_info("t8 r=%d c0=%d c1=%d\n", r, c[0], c[1]);
	r = sscanf("123456", "%2d%3d", &a, &b);
	pr_info("t9 r=%d a=%d b=%d\n", r, a, b);
	r = sscanf("-9000000000 18446744073709551615", "%ld %lu", &l, &ul);
	pr_info("t10 r=%d l=%ld ul=%lu\n", r, l, ul);
	r = sscanf("-1234567890123", "%lld", &ll);
	pr_info("t11 r=%d ll=%lld\n", r, ll);
	r = sscanf("300", "%hhd", &hh);
	pr_info("t12 r=%d hh=%d\n", r, hh);
	a = b = n = -1;
	r = sscanf("42 abc", "%d%n", &a, &n);
	pr_info("t13 r=%d a=%d n=%d\n", r, a, n);
	a = b = -1;
	r = sscanf("7,x", "%d,%d", &a, &b);
	pr_info("t14 r=%d a=%d b=%d\n", r, a, b);
	a = b = -1;
	r = sscanf("", "%d", &a);
	pr_info("t15 r=%d a=%d\n", r, a);
	a = b = -1;
	r = sscanf("5 6", "%*d %d", &a);
	pr_info("t16 r=%d a=%d\n", r, a);
	a = b = -1;
	r = sscanf("-", "%d", &a);
	pr_info("t17 r=%d a=%d\n", r, a);
	a = b = -1;
	r = sscanf("abc", "%d", &a);
	pr_info("t18 r=%d a=%d\n", r, a);
	a = b = -1;
	r = sscanf("10%3", "%d%%%d", &a, &b);
	pr_info("t19 r=%d a=%d b=%d\n", r, a, b);
	a = b = -1;
	r = sscanf("0x", "%x%n", &a, &n);
	pr_info("t20 r=%d a=%d n=%d\n", r, a, n);
	a = b = -1;
	r = sscanf("99999999999", "%d", &a);
	pr_info("t21 r=%d a=%d\n", r, a);
	a = b = -1;
	r = sscanf("-12", "%u", &u);
	pr_info("t22 r=%d u=%u\n", r, u);
	return 0;
}

static void __exit ssc_exit(void)
{
}

module_init(ssc_init);
module_exit(ssc_exit);
