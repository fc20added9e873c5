/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Files larger than the budget, read the way sessions read them: a window
 * held, moved (the new one held before the old one is let go), pumped
 * until resident, read. The budget is the least, four chunks (8 MiB), and
 * every pump is checked against it.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "test_cache.h"

/* A TFTP window: blksize x windowsize, neither a power of two, so windows
 * straddle chunk boundaries at every offset parity. */
#define WIN_SMALL (1468 * 16)
#define WIN_LARGE (65464 * 2)

/* Steps: one reader through a 40 MiB file, five times the budget.
 * Verifies: every byte reads right, resident bytes never exceed the budget
 * (after any pump), the reader had to wait for chunks that did not fit,
 * and chunks were evicted to make way; the file never counts as fully
 * resident. */
static void
stream_larger_than_budget(void **state)
{
	struct dpt_cache *c = *state;
	const uint64_t size = 20 * CHUNK;
	struct dpt_cache_entry *e;
	struct dpt_cache_stats st;
	struct tc_reader r;

	tc_write_pattern("huge", size, 60);
	assert_int_equal(dpt_cache_open(c, "huge", &e), 0);
	tc_reader_start(&r, e, 60, 0, WIN_SMALL);
	while (tc_reader_step(c, &r))
		assert_true(dpt_cache_loaded(e) <= SMALL_BUDGET);
	assert_int_equal(r.off, size);
	assert_true(r.waits >= 20 - 4);
	st = tc_stats(c);
	assert_true(st.chunks_evicted >= 20 - 4);
	assert_true(st.chunks_loaded >= 20);
	assert_int_equal(st.load_errors, 0);
	assert_int_equal(st.evictions, 0);
	assert_true(st.bytes_resident <= SMALL_BUDGET);
	tc_reader_stop(&r);
	dpt_cache_put(e);
}

/* Steps: two sessions through the same 40 MiB file, one from the start
 * with small windows, one from an odd offset at 17 MiB with large ones,
 * taking turns. Verifies: both read every byte right, and after each turn
 * the other's window is still resident and intact (a held chunk is never
 * evicted to make way for another session's). */
static void
stream_two_readers(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *e1, *e2;
	struct tc_reader r1, r2;
	bool more1 = true, more2 = true;

	tc_write_pattern("shared_huge", 20 * CHUNK, 61);
	assert_int_equal(dpt_cache_open(c, "shared_huge", &e1), 0);
	assert_int_equal(dpt_cache_open(c, "shared_huge", &e2), 0);
	assert_ptr_equal(e1, e2);
	tc_reader_start(&r1, e1, 61, 0, WIN_SMALL);
	tc_reader_start(&r2, e2, 61, 17 * MiB + 1, WIN_LARGE);
	while (more1 || more2) {
		if (more1 && (more1 = tc_reader_step(c, &r1)) && more2)
			tc_assert_pattern(e2, r2.hold_off, r2.hold_len, 61);
		if (more2 && (more2 = tc_reader_step(c, &r2)) && more1)
			tc_assert_pattern(e1, r1.hold_off, r1.hold_len, 61);
	}
	assert_true(r2.waits >= 1);
	assert_int_equal(tc_stats(c).load_errors, 0);
	tc_reader_stop(&r1);
	tc_reader_stop(&r2);
	dpt_cache_put(e1);
	dpt_cache_put(e2);
}

/* Steps: a session reads the first 5 MiB of a 12 MiB file; the file is
 * replaced (new content renamed over it); a new session opens it and both
 * read on, in turns, to the end; then the first version is read again
 * from its start, its first chunks long evicted. Verifies: the new open is
 * a new entry with the new size and bytes; the old session reads the old
 * bytes exactly to the end, and again after its chunks were evicted and
 * loaded anew (from the fd it kept); once let go, the old version is
 * freed and only the new one remains. */
static void
version_switch_mid_transfer(void **state)
{
	struct dpt_cache *c = *state;
	const uint64_t new_size = 5 * CHUNK + 333;
	struct dpt_cache_entry *v1, *v2;
	struct tc_reader r1, r2;
	bool more1 = true, more2 = true;

	tc_write_pattern("vs", 6 * CHUNK, 62);
	assert_int_equal(dpt_cache_open(c, "vs", &v1), 0);
	tc_reader_start(&r1, v1, 62, 0, 512 * 16);
	while (r1.off < 5 * MiB)
		assert_true(tc_reader_step(c, &r1));

	tc_replace_pattern("vs", new_size, 63);
	assert_int_equal(dpt_cache_open(c, "vs", &v2), 0);
	assert_ptr_not_equal(v1, v2);
	assert_int_equal(v2->size, new_size);
	assert_int_equal(v1->size, 6 * CHUNK);
	assert_int_equal(tc_stats(c).misses, 2);
	tc_reader_start(&r2, v2, 63, 0, 1428 * 8);
	while (more1 || more2) {
		if (more1)
			more1 = tc_reader_step(c, &r1);
		if (more2)
			more2 = tc_reader_step(c, &r2);
	}
	tc_reader_stop(&r1);
	tc_reader_stop(&r2);

	assert_false(tc_chunk_resident(v1, 0));
	assert_false(tc_chunk_resident(v1, 1));
	tc_reader_start(&r1, v1, 62, 0, WIN_LARGE);
	while (r1.off < 2 * CHUNK + 1)
		assert_true(tc_reader_step(c, &r1));
	tc_reader_stop(&r1);
	assert_int_equal(tc_stats(c).load_errors, 0);

	dpt_cache_put(v1);
	tc_pump_checked(c, 0);
	assert_int_equal(tc_stats(c).entries, 1);
	assert_int_equal(tc_stats(c).evictions, 1);
	tc_reader_start(&r2, v2, 63, 0, WIN_LARGE);
	tc_reader_finish(c, &r2);
	tc_reader_stop(&r2);
	dpt_cache_put(v2);
}

const struct CMUnitTest tc_stream_tests[] = {
#define S(f) cmocka_unit_test_setup_teardown(f, tc_setup_small, tc_teardown)
	S(stream_larger_than_budget),
	S(stream_two_readers),
	S(version_switch_mid_transfer),
#undef S
};
const size_t tc_stream_count = RTE_DIM(tc_stream_tests);
