/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/string.h>: the kernel's own string and memory functions
 * (lib/string.c).  There is no libc in the kernel: these are all a module
 * has, and the simulated kernel checks every byte they touch.
 */
#ifndef _LINUX_STRING_H_
#define _LINUX_STRING_H_

#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/kstrtox.h>

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t count);
char *strcpy(char *dest, const char *src);
char *strncpy(char *dest, const char *src, size_t count);
/* Copies at most size - 1 bytes, always terminates; returns strlen(src). */
size_t strlcpy(char *dest, const char *src, size_t size);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 3, 0)
/* Like strlcpy but returns the copied length, or -E2BIG if truncated. */
ssize_t strscpy(char *dest, const char *src, size_t count);
#endif
char *strcat(char *dest, const char *src);
int strcmp(const char *cs, const char *ct);
int strncmp(const char *cs, const char *ct, size_t count);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *s1, const char *s2);

void *memset(void *s, int c, size_t count);
void *memcpy(void *dest, const void *src, size_t count);
void *memmove(void *dest, const void *src, size_t count);
int memcmp(const void *cs, const void *ct, size_t count);

/* mm/util.c: a kmalloc()ed copy of s (free it with kfree), NULL if no memory */
char *kstrdup(const char *s, gfp_t gfp);

#endif /* _LINUX_STRING_H_ */
