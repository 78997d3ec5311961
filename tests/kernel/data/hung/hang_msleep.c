#include <linux/module.h>
#include <linux/delay.h>
MODULE_LICENSE("GPL");

/* init sleeps one second at a time, forever */
static int __init hang_msleep_init(void)
{
	while (1)
		msleep(1000);
	return 0;
}
module_init(hang_msleep_init);
