/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The per-thread timer heap. Every packet pushes a transfer's deadline
 * later; re-keying the heap each time would cost a log(n) walk per packet.
 * So a later deadline leaves the key alone (the slot is woken early, finds
 * nothing due and is re-armed), and only an earlier one moves it up.
 */

#include <errno.h>
#include <stdlib.h>

#include "bench_run.h"

static void
place(struct dpt_bench_heap *h, uint32_t i, struct dpt_bench_slot *s)
{
	h->v[i] = s;
	s->heap_idx = i;
}

static void
sift_up(struct dpt_bench_heap *h, uint32_t i)
{
	struct dpt_bench_slot *s = h->v[i];
	uint32_t parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (h->v[parent]->heap_key <= s->heap_key)
			break;
		place(h, i, h->v[parent]);
		i = parent;
	}
	place(h, i, s);
}

static void
sift_down(struct dpt_bench_heap *h, uint32_t i)
{
	struct dpt_bench_slot *s = h->v[i];
	uint32_t child;

	for (;;) {
		child = 2 * i + 1;
		if (child >= h->n)
			break;
		if (child + 1 < h->n &&
		    h->v[child + 1]->heap_key < h->v[child]->heap_key)
			child++;
		if (s->heap_key <= h->v[child]->heap_key)
			break;
		place(h, i, h->v[child]);
		i = child;
	}
	place(h, i, s);
}

int
dpt_bench_heap_init(struct dpt_bench_heap *h, uint32_t cap)
{
	h->v = calloc(cap == 0 ? 1 : cap, sizeof(*h->v));
	h->n = 0;
	h->cap = cap;
	return h->v == NULL ? -ENOMEM : 0;
}

void
dpt_bench_heap_fini(struct dpt_bench_heap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}

void
dpt_bench_heap_arm(struct dpt_bench_heap *h, struct dpt_bench_slot *s,
		   uint64_t when)
{
	if (when == UINT64_MAX)
		return;
	if (s->heap_idx != DPT_BENCH_HEAP_NONE) {
		if (when < s->heap_key) {
			s->heap_key = when;
			sift_up(h, s->heap_idx);
		}
		return;
	}
	if (h->n == h->cap)	/* one entry per slot: cannot happen */
		return;
	s->heap_key = when;
	h->v[h->n] = s;
	sift_up(h, h->n++);
}

uint64_t
dpt_bench_heap_next(const struct dpt_bench_heap *h)
{
	return h->n == 0 ? UINT64_MAX : h->v[0]->heap_key;
}

struct dpt_bench_slot *
dpt_bench_heap_pop(struct dpt_bench_heap *h, uint64_t now)
{
	struct dpt_bench_slot *s;

	if (h->n == 0 || h->v[0]->heap_key > now)
		return NULL;
	s = h->v[0];
	s->heap_idx = DPT_BENCH_HEAP_NONE;
	if (--h->n > 0) {
		h->v[0] = h->v[h->n];
		sift_down(h, 0);
	}
	return s;
}
