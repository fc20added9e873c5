/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The workload: which slot runs what, when. Threads share only the count
 * of transfers handed out (one atomic add per transfer) and the stop flag;
 * everything else a thread counts is its own.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_run.h"

uint64_t
dpt_bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Slots of the run, before the split among threads. */
static uint32_t
total_slots(const struct dpt_bench_opts *o)
{
	return o->run_mode == DPT_BENCH_MODE_STORM ? o->storm : o->concurrency;
}

uint32_t
dpt_bench_plan_slots(const struct dpt_bench_plan *p, unsigned int t)
{
	uint32_t all = total_slots(p->o);

	return all / p->n_threads + (t < all % p->n_threads ? 1 : 0);
}

void
dpt_bench_plan_slot_init(const struct dpt_bench_plan *p,
			 struct dpt_bench_slot *s, unsigned int t, uint32_t k)
{
	memset(s, 0, sizeof(*s));
	s->heap_idx = DPT_BENCH_HEAP_NONE;
	s->client = k * p->n_threads + t;
	s->wake = p->t0;
	if (p->o->run_mode == DPT_BENCH_MODE_STORM)
		s->wake += (uint64_t)((double)s->client * 1e6 / p->o->rate);
	s->t_arrive = s->wake;
}

int
dpt_bench_expand_name(const char *tmpl, uint64_t id, uint32_t client,
		      char *out, size_t cap)
{
	size_t o = 0;
	int n;

	for (; *tmpl != '\0'; tmpl++) {
		if (tmpl[0] == '{' && (tmpl[1] == 'n' || tmpl[1] == 'c') &&
		    tmpl[2] == '}') {
			n = snprintf(out + o, cap - o, "%llu", tmpl[1] == 'n' ?
				     (unsigned long long)id :
				     (unsigned long long)client);
			if (n < 0 || (size_t)n >= cap - o)
				return -1;
			o += (size_t)n;
			tmpl += 2;
			continue;
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = *tmpl;
	}
	out[o] = '\0';
	return 0;
}

bool
dpt_bench_plan_next(struct dpt_bench_plan *p, struct dpt_bench_slot *s,
		    uint64_t now, struct dpt_bench_job *job)
{
	const struct dpt_bench_opts *o = p->o;
	uint64_t id;

	if (__atomic_load_n(&p->stop, __ATOMIC_RELAXED) != DPT_BENCH_GO)
		return false;
	if (o->run_mode == DPT_BENCH_MODE_DURATION && now >= p->t_stop)
		return false;
	if (o->run_mode == DPT_BENCH_MODE_STORM &&
	    (s->client_failed || s->step >= o->n_files))
		return false;
	id = __atomic_fetch_add(&p->issued, 1, __ATOMIC_RELAXED);
	if (o->run_mode == DPT_BENCH_MODE_COUNT && id >= o->count)
		return false;

	job->id = id;
	job->client = s->client;
	if (o->op == DPT_TFTP_WRQ) {
		job->file = 0;
		job->f = &p->files[0];
		return dpt_bench_expand_name(o->put_name, id, s->client,
					     job->name,
					     sizeof(job->name)) == 0;
	}
	job->file = (uint16_t)(o->run_mode == DPT_BENCH_MODE_STORM ? s->step :
			       id % o->n_files);
	job->f = &p->files[job->file];
	snprintf(job->name, sizeof(job->name), "%s", job->f->name);
	return true;
}

static void
keep_record(const struct dpt_bench_plan *p, const struct dpt_bench_xfer *x,
	    struct dpt_bench_stats *st, unsigned int thread)
{
	struct dpt_bench_rec *r;
	size_t cap;

	if (st->n_recs == st->recs_cap) {
		cap = st->recs_cap == 0 ? 1024 : st->recs_cap * 2;
		r = realloc(st->recs, cap * sizeof(*r));
		if (r == NULL) {	/* the report says rows are missing */
			st->recs_oom = true;
			return;
		}
		st->recs = r;
		st->recs_cap = cap;
	}
	r = &st->recs[st->n_recs++];
	r->id = x->job.id;
	r->start_us = x->t_start - p->t0;
	r->ttfb_us = x->t_first != 0 ? x->t_first - x->t_start : 0;
	r->time_us = x->t_end - x->t_start;
	r->bytes = x->bytes;
	r->client = x->job.client;
	r->retransmits = x->retransmits;
	r->crc = x->crc;
	r->file = x->job.file;
	r->err_code = x->err_code;
	r->blksize = x->blksize;
	r->windowsize = x->windowsize;
	r->why = (uint8_t)x->why;
	r->thread = (uint8_t)thread;
}

void
dpt_bench_plan_account(const struct dpt_bench_plan *p,
		       struct dpt_bench_slot *s, struct dpt_bench_stats *st,
		       unsigned int thread)
{
	const struct dpt_bench_xfer *x = &s->x;
	bool ok = x->why == DPT_BENCH_OK;

	st->why[x->why]++;
	if (x->why == DPT_BENCH_SERVER_ERROR)
		st->err_code[x->err_code < DPT_TFTP_ERR_COUNT ?
			     x->err_code : DPT_TFTP_ERR_COUNT]++;
	if (!ok && st->err_msg[0] == '\0' && x->err_msg[0] != '\0')
		snprintf(st->err_msg, sizeof(st->err_msg), "%s", x->err_msg);
	if (ok) {
		if (st->agreed_blksize == 0) {
			st->agreed_blksize = x->blksize;
			st->agreed_windowsize = x->windowsize;
		}
		st->bytes_ok += x->bytes;
		dpt_bench_hist_add(&st->xfer, x->t_end - x->t_start);
		if (x->t_first != 0)
			dpt_bench_hist_add(&st->ttfb, x->t_first - x->t_start);
		dpt_bench_publish(&st->done, st->done + 1);
	} else {
		dpt_bench_publish(&st->failed, st->failed + 1);
	}
	if (x->t_end > st->t_last_end)
		st->t_last_end = x->t_end;
	if (p->o->csv != NULL)
		keep_record(p, x, st, thread);

	if (p->o->run_mode != DPT_BENCH_MODE_STORM)
		return;
	if (!ok) {
		s->client_failed = true;
		st->clients_failed++;
		return;
	}
	if (++s->step == p->o->n_files) {
		st->clients_ok++;
		dpt_bench_hist_add(&st->boot, x->t_end - s->t_arrive);
	}
}
