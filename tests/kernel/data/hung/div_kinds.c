#include <linux/module.h>
#include <linux/limits.h>
MODULE_LICENSE("GPL");
static int which;
module_param(which, int, 0);
static volatile long lnum = LONG_MIN, lden = -1;
static volatile int inum = INT_MIN, iden = -1;
static volatile unsigned int unum = 0x80000000u, uden = 0xffffffffu;
static volatile short snum = -32768, sden = -1;
static int __init div_kinds_init(void)
{
	int x = inum;
	switch (which) {
	case 0: pr_info("div_kinds: %ld\n", lnum / lden); break;
	case 1: x /= iden; pr_info("div_kinds: %d\n", x); break;
	case 2: x %= iden; pr_info("div_kinds: %d\n", x); break;
	case 3: pr_info("div_kinds: %u\n", unum / uden); break;
	case 4: pr_info("div_kinds: %d\n", snum / sden); break;
	case 5: pr_info("div_kinds: %ld\n", lnum % lden); break;
	}
	return 0;
}
static void __exit div_kinds_exit(void) { }
module_init(div_kinds_init);
module_exit(div_kinds_exit);
