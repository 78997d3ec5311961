#include <linux/module.h>
#include <linux/delay.h>
MODULE_LICENSE("GPL");

/* init sleeps five minutes at a time, forever */
static int __init hang_ssleep_init(void)
{
	while (1)
		ssleep(300);
	return 0;
}
module_init(hang_ssleep_init);
