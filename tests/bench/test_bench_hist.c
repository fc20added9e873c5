/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Histograms: the bucket layout covers every 64-bit value without a gap,
 * percentiles land within the promised 1.6% of the exact ones, merging
 * threads' histograms equals recording everything in one.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "bench.h"

static struct dpt_bench_hist *
new_hist(void)
{
	struct dpt_bench_hist *h = malloc(sizeof(*h));

	assert_non_null(h);
	dpt_bench_hist_init(h);
	return h;
}

/* The exact percentile of 1..n: the smallest v with v >= p% of n. */
static uint64_t
exact_pct(uint64_t n, double p)
{
	uint64_t rank = (uint64_t)((p / 100.0) * (double)n + 0.999999);

	return rank < 1 ? 1 : rank;
}

static void
assert_close(uint64_t got, uint64_t want)
{
	double err = (double)(got > want ? got - want : want - got);

	assert_true(err <= (double)want / 64.0 + 1.0);
}

/* Verifies: every bucket's range starts right after the previous one's,
 * each value maps into the bucket whose range holds it, and the top bucket
 * ends at 2^64 - 1. */
static void
buckets_tile_the_range(void **state)
{
	uint64_t lo, hi, prev_hi = 0, v;
	unsigned int i;

	for (i = 0; i < DPT_BENCH_HIST_BUCKETS; i++) {
		dpt_bench_hist_range(i, &lo, &hi);
		if (i > 0)
			assert_int_equal(lo, prev_hi + 1);
		assert_true(hi >= lo);
		assert_int_equal(dpt_bench_hist_index(lo), i);
		assert_int_equal(dpt_bench_hist_index(hi), i);
		prev_hi = hi;
	}
	assert_true(prev_hi == UINT64_MAX);
	for (v = 1; v < (1ull << 40); v = v * 3 + 1) {
		dpt_bench_hist_range(dpt_bench_hist_index(v), &lo, &hi);
		assert_true(lo <= v && v <= hi);
		assert_true((double)(hi - lo) <= (double)v / 64.0);
	}
}

/* Verifies: below 128 every value is its own bucket (exact). */
static void
small_values_exact(void **state)
{
	struct dpt_bench_hist *h = new_hist();
	uint64_t v;

	for (v = 1; v <= 100; v++)
		dpt_bench_hist_add(h, v);
	assert_int_equal(dpt_bench_hist_pct(h, 50), 50);
	assert_int_equal(dpt_bench_hist_pct(h, 90), 90);
	assert_int_equal(dpt_bench_hist_pct(h, 99), 99);
	assert_int_equal(dpt_bench_hist_pct(h, 100), 100);
	assert_int_equal(h->min, 1);
	assert_int_equal(h->max, 100);
	assert_int_equal(h->sum, 5050);
	free(h);
}

/* Steps: record 1..1,000,000 (microseconds up to a second). Verifies:
 * p50, p90, p99 within 1/64 of the exact values, max exact. */
static void
percentiles_within_bound(void **state)
{
	static const double ps[] = { 1, 10, 50, 90, 99, 99.9 };
	struct dpt_bench_hist *h = new_hist();
	const uint64_t n = 1000000;
	unsigned int i;
	uint64_t v;

	for (v = 1; v <= n; v++)
		dpt_bench_hist_add(h, v);
	for (i = 0; i < sizeof(ps) / sizeof(ps[0]); i++)
		assert_close(dpt_bench_hist_pct(h, ps[i]), exact_pct(n, ps[i]));
	assert_int_equal(dpt_bench_hist_pct(h, 100), n);
	assert_int_equal(h->n, n);
	free(h);
}

/* Verifies: a percentile never reports more than the largest value, or
 * less than the smallest, though buckets are wider. */
static void
clamped_to_min_and_max(void **state)
{
	struct dpt_bench_hist *h = new_hist();
	int i;

	for (i = 0; i < 10; i++)
		dpt_bench_hist_add(h, 1000001);
	assert_int_equal(dpt_bench_hist_pct(h, 50), 1000001);
	assert_int_equal(dpt_bench_hist_pct(h, 99), 1000001);
	free(h);
}

/* Verifies: an empty histogram reports 0 for any percentile. */
static void
empty_is_zero(void **state)
{
	struct dpt_bench_hist *h = new_hist();

	assert_int_equal(dpt_bench_hist_pct(h, 50), 0);
	assert_int_equal(dpt_bench_hist_pct(h, 100), 0);
	free(h);
}

/* Steps: record a skewed sample split across two histograms and all in a
 * third. Verifies: the merge has the same count, sum, min, max and
 * percentiles. */
static void
merge_equals_one(void **state)
{
	struct dpt_bench_hist *a = new_hist(), *b = new_hist(),
			      *all = new_hist();
	uint64_t v, x = 12345;
	int i;

	for (i = 0; i < 50000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		v = (x >> 40) % ((i % 10 == 0) ? 5000000 : 20000);
		dpt_bench_hist_add(i % 3 == 0 ? a : b, v);
		dpt_bench_hist_add(all, v);
	}
	dpt_bench_hist_merge(a, b);
	assert_int_equal(a->n, all->n);
	assert_int_equal(a->sum, all->sum);
	assert_int_equal(a->min, all->min);
	assert_int_equal(a->max, all->max);
	assert_int_equal(dpt_bench_hist_pct(a, 50),
			 dpt_bench_hist_pct(all, 50));
	assert_int_equal(dpt_bench_hist_pct(a, 99),
			 dpt_bench_hist_pct(all, 99));
	free(a);
	free(b);
	free(all);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buckets_tile_the_range),
		cmocka_unit_test(small_values_exact),
		cmocka_unit_test(percentiles_within_bound),
		cmocka_unit_test(clamped_to_min_and_max),
		cmocka_unit_test(empty_is_zero),
		cmocka_unit_test(merge_equals_one),
	};

	return cmocka_run_group_tests_name("bench_hist", tests, NULL, NULL);
}
