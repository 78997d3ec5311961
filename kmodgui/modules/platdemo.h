/* SPDX-License-Identifier: GPL-2.0 */
/* What platdev.c hands to platdrv.c through platform_data. */
#ifndef PLATDEMO_H
#define PLATDEMO_H

struct platdemo_data {
	const char *greeting;
	int number;
};

#endif
