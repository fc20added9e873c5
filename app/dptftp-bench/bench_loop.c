/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * A backend thread's slots: when each starts its next transfer, when its
 * timer fires, how a transfer's end is counted. Shared by every backend
 * so they differ only in how datagrams move.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_loop.h"

#define RETRY_US 100000		/* after a slot could not open, wait */

int
dpt_bench_loop_init(struct dpt_bench_loop *l, struct dpt_bench_plan *p,
		    struct dpt_bench_stats *st, unsigned int idx,
		    const struct dpt_bench_loop_ops *ops, size_t slot_size)
{
	struct dpt_bench_slot *s;
	uint32_t k;

	memset(l, 0, sizeof(*l));
	l->p = p;
	l->st = st;
	l->ops = ops;
	l->idx = idx;
	l->slot_size = slot_size;
	l->n_slots = l->n_live = dpt_bench_plan_slots(p, idx);
	l->slots = calloc(l->n_slots != 0 ? l->n_slots : 1, slot_size);
	l->scratch = malloc(2 * (size_t)p->xcfg.payload_max + 16);
	if (l->slots == NULL || l->scratch == NULL ||
	    dpt_bench_heap_init(&l->heap, l->n_slots) < 0)
		return -ENOMEM;
	l->io.scratch = l->scratch;
	dpt_bench_hist_init(&st->ttfb);
	dpt_bench_hist_init(&st->xfer);
	dpt_bench_hist_init(&st->boot);
	for (k = 0; k < l->n_slots; k++) {
		s = dpt_bench_loop_slot(l, k);
		dpt_bench_plan_slot_init(p, s, idx, k);
		dpt_bench_heap_arm(&l->heap, s, s->wake);
	}
	return 0;
}

void
dpt_bench_loop_fini(struct dpt_bench_loop *l)
{
	free(l->slots);
	free(l->scratch);
	l->slots = NULL;
	l->scratch = NULL;
	dpt_bench_heap_fini(&l->heap);
}

static void
slot_retire(struct dpt_bench_loop *l, struct dpt_bench_slot *s)
{
	if (s->retired)
		return;
	s->retired = true;
	l->n_live--;
}

/* A transfer that never got a way out is still a transfer that failed. */
static void
slot_open_failed(struct dpt_bench_loop *l, struct dpt_bench_slot *s,
		 const struct dpt_bench_job *job, int err, uint64_t now)
{
	struct dpt_bench_xfer *x = &s->x;

	memset(x, 0, sizeof(*x));
	x->job = *job;
	x->why = DPT_BENCH_SOCKET;
	x->t_start = x->t_end = now;
	snprintf(x->err_msg, sizeof(x->err_msg), "socket: %s", strerror(-err));
	dpt_bench_plan_account(l->p, s, l->st, l->idx);
	s->wake = now + RETRY_US;
	dpt_bench_heap_arm(&l->heap, s, s->wake);
}

static void
slot_start(struct dpt_bench_loop *l, struct dpt_bench_slot *s, uint64_t now)
{
	struct dpt_bench_job job;
	int rc;

	if (!dpt_bench_plan_next(l->p, s, now, &job)) {
		slot_retire(l, s);
		return;
	}
	rc = l->ops->open(l, s);
	if (rc < 0) {
		slot_open_failed(l, s, &job, rc, now);
		return;
	}
	s->busy = true;
	dpt_bench_publish(&l->st->active, ++l->active);
	dpt_bench_xfer_start(&s->x, &l->p->xcfg, l->st, &job, &l->io, now);
	dpt_bench_loop_after(l, s, now);
}

static void
slot_finish(struct dpt_bench_loop *l, struct dpt_bench_slot *s, uint64_t now)
{
	l->ops->close(l, s);
	s->busy = false;
	dpt_bench_publish(&l->st->active, --l->active);
	dpt_bench_plan_account(l->p, s, l->st, l->idx);
	/* The next transfer starts from the timer pass, not from here, so a
	 * run of instant failures cannot recurse. */
	s->wake = now;
	dpt_bench_heap_arm(&l->heap, s, now);
}

void
dpt_bench_loop_after(struct dpt_bench_loop *l, struct dpt_bench_slot *s,
		     uint64_t now)
{
	l->ops->flush(l, s, now);
	if (s->x.state == DPT_BENCH_X_DONE)
		slot_finish(l, s, now);
	else
		dpt_bench_heap_arm(&l->heap, s, s->x.deadline);
}

void
dpt_bench_loop_timers(struct dpt_bench_loop *l, uint64_t now)
{
	struct dpt_bench_slot *s;
	uint64_t d;

	while ((s = dpt_bench_heap_pop(&l->heap, now)) != NULL) {
		d = dpt_bench_slot_deadline(s);
		if (d > now) {
			dpt_bench_heap_arm(&l->heap, s, d);
			continue;
		}
		if (s->busy) {
			dpt_bench_xfer_timer(&s->x, &l->io, now);
			dpt_bench_loop_after(l, s, now);
		} else {
			slot_start(l, s, now);
		}
	}
}

void
dpt_bench_loop_see_stop(struct dpt_bench_loop *l, uint64_t now)
{
	int stop = __atomic_load_n(&l->p->stop, __ATOMIC_RELAXED);
	struct dpt_bench_slot *s;
	uint32_t k;

	if (stop == l->stop_seen)
		return;
	l->stop_seen = stop;
	for (k = 0; k < l->n_slots; k++) {
		s = dpt_bench_loop_slot(l, k);
		if (!s->busy) {
			slot_retire(l, s);
		} else if (stop == DPT_BENCH_STOP_NOW) {
			dpt_bench_xfer_fail(&s->x, &l->io, DPT_BENCH_ABORTED,
					    true, now);
			dpt_bench_loop_after(l, s, now);
		}
	}
}

void
dpt_bench_loop_done(struct dpt_bench_loop *l)
{
	__atomic_fetch_add(&l->p->threads_done, 1, __ATOMIC_RELEASE);
}
