/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Log-linear histograms (the HDR histogram's bucket layout): constant
 * memory whatever the run's length, mergeable across threads, and
 * percentiles within 1.6% of the exact sample's.
 */

#include <math.h>
#include <string.h>

#include "bench.h"

#define EXACT (2 * DPT_BENCH_HIST_SUB)	/* values below are their own bucket */

unsigned int
dpt_bench_hist_index(uint64_t v)
{
	unsigned int e, g;

	if (v < EXACT)
		return (unsigned int)v;
	e = 63u - (unsigned int)__builtin_clzll(v);
	g = e - 6;			/* v >> g lies in [64, 128) */
	return g * DPT_BENCH_HIST_SUB + (unsigned int)(v >> g);
}

void
dpt_bench_hist_range(unsigned int idx, uint64_t *lo, uint64_t *hi)
{
	unsigned int g, sub;

	if (idx < EXACT) {
		*lo = *hi = idx;
		return;
	}
	g = idx / DPT_BENCH_HIST_SUB - 1;
	sub = idx - g * DPT_BENCH_HIST_SUB;
	*lo = (uint64_t)sub << g;
	*hi = ((uint64_t)(sub + 1) << g) - 1;	/* wraps to 2^64-1 at the top */
}

void
dpt_bench_hist_init(struct dpt_bench_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void
dpt_bench_hist_add(struct dpt_bench_hist *h, uint64_t v)
{
	h->n++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->bucket[dpt_bench_hist_index(v)]++;
}

void
dpt_bench_hist_merge(struct dpt_bench_hist *to,
		     const struct dpt_bench_hist *from)
{
	unsigned int i;

	if (from->n == 0)
		return;
	to->n += from->n;
	to->sum += from->sum;
	if (from->min < to->min)
		to->min = from->min;
	if (from->max > to->max)
		to->max = from->max;
	for (i = 0; i < DPT_BENCH_HIST_BUCKETS; i++)
		to->bucket[i] += from->bucket[i];
}

uint64_t
dpt_bench_hist_pct(const struct dpt_bench_hist *h, double p)
{
	uint64_t rank, seen = 0, lo, hi;
	unsigned int i;

	if (h->n == 0)
		return 0;
	if (p >= 100.0)
		return h->max;
	rank = (uint64_t)ceil(p / 100.0 * (double)h->n);
	if (rank < 1)
		rank = 1;
	for (i = 0; i < DPT_BENCH_HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			break;
	}
	dpt_bench_hist_range(i, &lo, &hi);
	if (hi > h->max)
		hi = h->max;
	return hi < h->min ? h->min : hi;
}
