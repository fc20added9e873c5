/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_DP_WHEEL_H_
#define _DPT_DP_WHEEL_H_

/*
 * A hashed timing wheel, one per worker, in microseconds. Slots are ticks
 * of 2^shift us; a timer fires at the first tick boundary at or after its
 * deadline (never early, at most one tick late). Timers further out than
 * one turn wait in their slot and are checked as the wheel passes. Arming,
 * re-arming and cancelling are O(1) and allocate nothing.
 */

#include <stdint.h>

struct dp_wheel_link {
	struct dp_wheel_link *next;
	struct dp_wheel_link **pprev;	/* NULL when not armed */
	uint64_t deadline;
};

struct dp_wheel {
	struct dp_wheel_link **slots;
	uint32_t mask;
	uint32_t shift;
	uint64_t cur;			/* next tick to process */
	uint32_t armed;
};

typedef void (*dp_wheel_fn)(struct dp_wheel_link *l, void *arg,
			    uint64_t now);

/* n_slots a power of two; slots from rte_zmalloc on socket. */
int dp_wheel_init(struct dp_wheel *w, uint32_t n_slots, uint32_t shift,
		  uint64_t now, int socket);
void dp_wheel_free(struct dp_wheel *w);

/* (Re-)arms l at deadline; UINT64_MAX cancels it. */
void dp_wheel_arm(struct dp_wheel *w, struct dp_wheel_link *l,
		  uint64_t deadline);
void dp_wheel_cancel(struct dp_wheel *w, struct dp_wheel_link *l);

/* Calls fn for the timers due by now, max of them at most (the rest at
 * the next call), each unlinked first (fn may re-arm it). Returns how many
 * fired. */
unsigned int dp_wheel_expire(struct dp_wheel *w, uint64_t now, dp_wheel_fn fn,
			     void *arg, unsigned int max);

#endif /* _DPT_DP_WHEEL_H_ */
