/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#include <errno.h>
#include <stddef.h>

#include <rte_malloc.h>

#include "dp_wheel.h"

int
dp_wheel_init(struct dp_wheel *w, uint32_t n_slots, uint32_t shift,
	      uint64_t now, int socket)
{
	if (n_slots == 0 || (n_slots & (n_slots - 1)) != 0)
		return -EINVAL;
	w->slots = rte_zmalloc_socket("dp_wheel", sizeof(*w->slots) * n_slots,
				      0, socket);
	if (w->slots == NULL)
		return -ENOMEM;
	w->mask = n_slots - 1;
	w->shift = shift;
	w->cur = now >> shift;
	w->armed = 0;
	return 0;
}

void
dp_wheel_free(struct dp_wheel *w)
{
	rte_free(w->slots);
	w->slots = NULL;
}

void
dp_wheel_cancel(struct dp_wheel *w, struct dp_wheel_link *l)
{
	if (l->pprev == NULL)
		return;
	*l->pprev = l->next;
	if (l->next != NULL)
		l->next->pprev = l->pprev;
	l->pprev = NULL;
	l->next = NULL;
	w->armed--;
}

void
dp_wheel_arm(struct dp_wheel *w, struct dp_wheel_link *l, uint64_t deadline)
{
	struct dp_wheel_link **head;
	uint64_t tick;

	/* Postponing (every ACK does) only records the new deadline: the
	 * timer moves when its old slot comes up, if it is not due then. */
	if (l->pprev != NULL && deadline >= l->deadline &&
	    deadline != UINT64_MAX) {
		l->deadline = deadline;
		return;
	}
	dp_wheel_cancel(w, l);
	if (deadline == UINT64_MAX)
		return;
	tick = deadline >> w->shift;
	if (tick < w->cur)	/* overdue: the next tick processed takes it */
		tick = w->cur;
	head = &w->slots[tick & w->mask];
	l->deadline = deadline;
	l->next = *head;
	if (*head != NULL)
		(*head)->pprev = &l->next;
	*head = l;
	l->pprev = head;
	w->armed++;
}

/* Moves l to the slot of its deadline (never the one being walked). */
static void
relink(struct dp_wheel *w, struct dp_wheel_link *l)
{
	uint64_t deadline = l->deadline;

	dp_wheel_cancel(w, l);
	dp_wheel_arm(w, l, deadline);
}

unsigned int
dp_wheel_expire(struct dp_wheel *w, uint64_t now, dp_wheel_fn fn, void *arg,
		unsigned int max)
{
	uint64_t last = now >> w->shift;	/* ticks before it are over */
	unsigned int fired = 0;

	for (; w->cur < last; w->cur++) {
		struct dp_wheel_link *l = w->slots[w->cur & w->mask], *next;

		if (w->armed == 0) {
			w->cur = last;
			break;
		}
		for (; l != NULL; l = next) {
			next = l->next;
			if (l->deadline > now) {
				/* Postponed, or a later turn: to its slot. */
				if ((l->deadline >> w->shift) != w->cur)
					relink(w, l);
				continue;
			}
			if (fired == max)
				return fired;	/* the rest of the slot next time */
			dp_wheel_cancel(w, l);
			fn(l, arg, now);
			fired++;
		}
	}
	return fired;
}
