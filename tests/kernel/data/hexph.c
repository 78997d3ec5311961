// SPDX-License-Identifier: GPL-2.0
/*
 * hexph.c - printk's %ph: a small buffer as hex (hex_string() in
 * lib/vsprintf.c), with each separator and the field width as the length.
 */
#include <linux/module.h>
#include <linux/kernel.h>

static const unsigned char bytes[70] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x7f, 0x80 };

static int __init hexph_init(void)
{
	pr_info("hexph: [%ph]\n", bytes);
	pr_info("hexph: [%*ph]\n", 4, bytes);
	pr_info("hexph: [%*phC]\n", 6, bytes);
	pr_info("hexph: [%*phD]\n", 3, bytes);
	pr_info("hexph: [%*phN]\n", 8, bytes);
	pr_info("hexph: [%*ph]\n", 0, bytes);
	pr_info("hexph: [%*ph]\n", 70, bytes);
	pr_info("hexph: [%*ph]\n", 4, NULL);
	return 0;
}

static void __exit hexph_exit(void)
{
}

module_init(hexph_init);
module_exit(hexph_exit);
MODULE_LICENSE("GPL");
