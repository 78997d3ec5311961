/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/list.h>: the kernel's circular doubly linked lists.
 *
 * A struct list_head is embedded in each element; the list's head is a
 * bare struct list_head; list_entry() gets from the embedded node back to
 * the element (container_of).  list_del() poisons the removed node's
 * pointers, so using it afterwards faults at a 0xdead... address.
 *
 * The real *_entry iterators name the element type with typeof(); these
 * measure the member's offset on the cursor variable instead (only its
 * address arithmetic, never its value) and assign through void *.
 */
#ifndef _LINUX_LIST_H
#define _LINUX_LIST_H

#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/container_of.h>

/* include/linux/poison.h, x86_64 (POISON_POINTER_DELTA 0xdead000000000000) */
#define LIST_POISON1 ((void *)0xdead000000000100UL)
#define LIST_POISON2 ((void *)0xdead000000000122UL)

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}

static inline void __list_add(struct list_head *new, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = new;
	new->next = next;
	new->prev = prev;
	prev->next = new;
}

/* insert after head (a stack) */
static inline void list_add(struct list_head *new, struct list_head *head)
{
	__list_add(new, head, head->next);
}

/* insert before head, i.e. at the end (a queue) */
static inline void list_add_tail(struct list_head *new, struct list_head *head)
{
	__list_add(new, head->prev, head);
}

static inline void list_del(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	entry->next = LIST_POISON1;
	entry->prev = LIST_POISON2;
}

static inline int list_empty(const struct list_head *head)
{
	return head->next == head;
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)

#define list_for_each(pos, head) \
	for (pos = (head)->next; pos != (head); pos = pos->next)

/* safe against removal of the current entry: n holds the next one */
#define list_for_each_safe(pos, n, head) \
	for (pos = (head)->next, n = pos->next; pos != (head); \
	     pos = n, n = pos->next)

/* the element containing node, typed like cursor (see the top comment) */
#define __kmodsim_list_elem(node, cursor, member) \
	((void *)((char *)(node) - ((char *)&(cursor)->member - (char *)(cursor))))

#define list_for_each_entry(pos, head, member) \
	for (pos = __kmodsim_list_elem((head)->next, pos, member); \
	     &pos->member != (head); \
	     pos = __kmodsim_list_elem(pos->member.next, pos, member))

#define list_for_each_entry_safe(pos, n, head, member) \
	for (pos = __kmodsim_list_elem((head)->next, pos, member), \
	     n = __kmodsim_list_elem(pos->member.next, pos, member); \
	     &pos->member != (head); \
	     pos = n, n = __kmodsim_list_elem(n->member.next, n, member))

#endif /* _LINUX_LIST_H */
