/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The budget under pressure: which entries and chunks make room, in what
 * order, and what is never pushed out; and what a session's hold asks of
 * the loader. Most cases run with the least budget, four chunks (8 MiB),
 * so a few small files fill it.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "test_cache.h"

#define FILE3 (CHUNK + MiB)	/* 3 MiB: a whole chunk and half of one */

/* Opens rel, loads what fits (checking the budget after every pump) and,
 * unless keep, drops the reference again. */
static struct dpt_cache_entry *
open_loaded(struct dpt_cache *c, const char *rel, bool keep)
{
	struct dpt_cache_entry *e;

	assert_int_equal(dpt_cache_open(c, rel, &e), 0);
	tc_pump_all_checked(c, CHUNK);
	if (!keep) {
		dpt_cache_put(e);
		return NULL;
	}
	return e;
}

/* Steps: with room for two 3 MiB files, open and put f0 and f1; then, for
 * f2, f3 and f4 in turn, re-open f0 (a hit) and open and put the next
 * file. Verifies: each new file pushes out the least recently used entry
 * (the one before it), never f0, which stays the same resident entry;
 * evictions count them; the evicted file is a miss when opened again. */
static void
evict_least_recent_first(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *e0, *e;
	char name[16];
	unsigned int i;

	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "lru%u", i);
		tc_write_pattern(name, FILE3, 30 + i);
	}
	e0 = open_loaded(c, "lru0", true);
	dpt_cache_put(e0);
	open_loaded(c, "lru1", false);
	assert_int_equal(tc_stats(c).bytes_resident, 2 * FILE3);
	assert_int_equal(tc_stats(c).evictions, 0);

	for (i = 2; i < 5; i++) {
		char prev[16];

		assert_int_equal(dpt_cache_open(c, "lru0", &e), 0);
		assert_ptr_equal(e, e0);
		assert_int_equal(dpt_cache_loaded(e), FILE3);
		dpt_cache_put(e);
		snprintf(name, sizeof(name), "lru%u", i);
		snprintf(prev, sizeof(prev), "lru%u", i - 1);
		e = open_loaded(c, name, true);
		assert_int_equal(dpt_cache_loaded(e), FILE3);
		tc_assert_pattern(e, 0, FILE3, 30 + i);
		dpt_cache_put(e);
		assert_int_equal(tc_stats(c).evictions, i - 1);
		assert_false(tc_listed(c, prev));
		assert_true(tc_listed(c, "lru0"));
		assert_true(tc_listed(c, name));
	}
	assert_int_equal(tc_stats(c).entries, 2);
	assert_int_equal(tc_stats(c).hits, 3);
	assert_int_equal(tc_stats(c).misses, 5);
	assert_int_equal(dpt_cache_open(c, "lru1", &e), 0);
	assert_int_equal(tc_stats(c).misses, 6);
	tc_pump_all_checked(c, CHUNK);
	tc_assert_pattern(e, 0, FILE3, 31);
	dpt_cache_put(e);
}

/* Steps: open "mine" and keep the reference, never using it again; cycle
 * four more files through the rest of the budget; then put "mine" and
 * open one more. Verifies: a referenced entry is never evicted however
 * long unused (all its bytes stay resident) while unreferenced ones go;
 * once put, it is the least recently used and goes first. */
static void
evict_spares_referenced_entries(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *mine;
	char name[16];
	unsigned int i;

	tc_write_pattern("mine", FILE3, 40);
	for (i = 1; i <= 5; i++) {
		snprintf(name, sizeof(name), "other%u", i);
		tc_write_pattern(name, FILE3, 40 + i);
	}
	mine = open_loaded(c, "mine", true);
	for (i = 1; i <= 4; i++) {
		snprintf(name, sizeof(name), "other%u", i);
		open_loaded(c, name, false);
		assert_int_equal(dpt_cache_loaded(mine), FILE3);
		assert_true(tc_listed(c, "mine"));
	}
	assert_int_equal(tc_stats(c).evictions, 3);
	tc_assert_pattern(mine, 0, FILE3, 40);

	dpt_cache_put(mine);
	open_loaded(c, "other5", false);
	assert_false(tc_listed(c, "mine"));
	assert_true(tc_listed(c, "other4"));
	assert_true(tc_listed(c, "other5"));
}

/* Holds the whole of a small file's only chunk and pumps. */
static struct dpt_cache_entry *
open_held(struct dpt_cache *c, const char *rel)
{
	struct dpt_cache_entry *e;

	assert_int_equal(dpt_cache_open(c, rel, &e), 0);
	dpt_cache_hold(e, 0, e->size);
	return e;
}

/* Steps: A (three chunks) resident with a session holding its chunk 1;
 * then B (two chunks), C and D (one each), all referenced, their windows
 * held in turn. Verifies: reading ahead never pushes out a chunk (B gets
 * only the room left); a held chunk request evicts unheld chunks of a
 * referenced entry (A's 0, then A's 2), never a held one; when every
 * resident chunk is held, a further request waits (pump does nothing) and
 * proceeds once a window lets go. */
static void
evict_spares_held_chunks(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *a, *b, *cc, *d;

	tc_write_pattern("A", 3 * CHUNK, 50);
	tc_write_pattern("B", 2 * CHUNK, 51);
	tc_write_pattern("C", CHUNK, 52);
	tc_write_pattern("D", CHUNK, 53);
	a = open_loaded(c, "A", true);
	assert_int_equal(dpt_cache_loaded(a), 3 * CHUNK);
	dpt_cache_hold(a, CHUNK + 10, 100);

	assert_int_equal(dpt_cache_open(c, "B", &b), 0);
	tc_pump_all_checked(c, CHUNK);
	assert_int_equal(dpt_cache_loaded(b), CHUNK);
	assert_int_equal(dpt_cache_loaded(a), 3 * CHUNK);
	assert_int_equal(tc_stats(c).chunks_evicted, 0);

	dpt_cache_hold(b, 0, 2 * CHUNK);
	assert_int_equal(tc_pump_checked(c, UINT64_MAX), CHUNK);
	assert_false(tc_chunk_resident(a, 0));
	assert_true(tc_chunk_resident(a, 1));
	assert_true(tc_chunk_resident(a, 2));
	tc_assert_pattern(b, 0, 2 * CHUNK, 51);
	assert_int_equal(tc_stats(c).chunks_evicted, 1);

	cc = open_held(c, "C");
	assert_int_equal(tc_pump_checked(c, UINT64_MAX), CHUNK);
	assert_false(tc_chunk_resident(a, 2));
	tc_assert_pattern(a, CHUNK, CHUNK, 50);
	tc_assert_pattern(b, 0, 2 * CHUNK, 51);
	tc_assert_pattern(cc, 0, CHUNK, 52);
	assert_int_equal(tc_stats(c).chunks_evicted, 2);

	d = open_held(c, "D");
	assert_int_equal(tc_pump_checked(c, UINT64_MAX), 0);
	assert_false(tc_chunk_resident(d, 0));
	tc_assert_pattern(a, CHUNK, CHUNK, 50);
	tc_assert_pattern(b, 0, 2 * CHUNK, 51);
	tc_assert_pattern(cc, 0, CHUNK, 52);
	assert_int_equal(tc_stats(c).evictions, 0);

	dpt_cache_unhold(b, 0, 2 * CHUNK);
	assert_int_equal(tc_pump_checked(c, UINT64_MAX), CHUNK);
	tc_assert_pattern(d, 0, CHUNK, 53);
	tc_assert_pattern(a, CHUNK, CHUNK, 50);
	tc_assert_pattern(cc, 0, CHUNK, 52);
	assert_int_equal(tc_stats(c).chunks_evicted, 3);

	dpt_cache_unhold(a, CHUNK + 10, 100);
	dpt_cache_unhold(cc, 0, CHUNK);
	dpt_cache_unhold(d, 0, CHUNK);
	dpt_cache_put(a);
	dpt_cache_put(b);
	dpt_cache_put(cc);
	dpt_cache_put(d);
}

/* Steps: open A then B (three chunks each); hold B's chunk 2; pump one
 * chunk at a time, holding B's chunk 0 midway. Verifies: a held chunk
 * that is not resident loads before any reading ahead, whatever its file's
 * place in the queue; otherwise files load in request order, each from
 * its start, skipping chunks already resident. */
static void
hold_loads_first(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *a, *b;

	tc_write_pattern("ha", 3 * CHUNK, 54);
	tc_write_pattern("hb", 3 * CHUNK, 55);
	assert_int_equal(dpt_cache_open(c, "ha", &a), 0);
	assert_int_equal(dpt_cache_open(c, "hb", &b), 0);
	assert_int_equal(dpt_cache_read(b, 2 * CHUNK, (uint8_t[1]){ 0 }, 1),
			 -EAGAIN);
	dpt_cache_hold(b, 2 * CHUNK + 1, 512);

	assert_int_equal(dpt_cache_pump(c, 1), CHUNK);
	assert_true(tc_chunk_resident(b, 2));
	assert_int_equal(dpt_cache_loaded(a), 0);
	tc_assert_pattern(b, 2 * CHUNK + 1, 512, 55);
	assert_int_equal(dpt_cache_pump(c, 1), CHUNK);
	assert_true(tc_chunk_resident(a, 0));
	assert_int_equal(dpt_cache_loaded(b), CHUNK);

	dpt_cache_hold(b, 0, 1);
	assert_int_equal(dpt_cache_pump(c, 1), CHUNK);
	assert_true(tc_chunk_resident(b, 0));
	assert_false(tc_chunk_resident(a, 1));
	assert_int_equal(dpt_cache_pump(c, 1), CHUNK);
	assert_true(tc_chunk_resident(a, 1));
	assert_int_equal(dpt_cache_pump(c, 1), CHUNK);
	assert_int_equal(dpt_cache_loaded(a), 3 * CHUNK);
	assert_int_equal(dpt_cache_pump(c, 1), CHUNK);
	assert_int_equal(dpt_cache_loaded(b), 3 * CHUNK);
	assert_int_equal(dpt_cache_pump(c, 1), 0);
	assert_int_equal(tc_stats(c).loads_in_progress, 0);
	tc_assert_pattern(b, 0, 3 * CHUNK, 55);
	dpt_cache_unhold(b, 2 * CHUNK + 1, 512);
	dpt_cache_unhold(b, 0, 1);
	dpt_cache_put(a);
	dpt_cache_put(b);
}

/* Steps: queue A (three chunks), a preloaded file nobody holds, then C (a
 * referenced small file); fill the budget with X's held chunks; let X go;
 * one unbounded pump. Verifies: making room for A's last chunk evicts the
 * preloaded entry and X, and the same pump goes on down the queue to C:
 * the loader does not lose its place when an entry queued after the one
 * it loads is freed. */
static void
evict_while_reading_ahead(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *a, *cc, *x;

	tc_write_pattern("qa", 3 * CHUNK, 56);
	tc_write_pattern("qb", 4096, 57);
	tc_write_pattern("qc", 4096, 58);
	tc_write_pattern("qx", 2 * CHUNK, 59);
	assert_int_equal(dpt_cache_open(c, "qa", &a), 0);
	assert_int_equal(dpt_cache_preload(c, "qb"), 0);
	assert_int_equal(dpt_cache_open(c, "qc", &cc), 0);
	assert_int_equal(dpt_cache_open(c, "qx", &x), 0);
	dpt_cache_hold(x, 0, 2 * CHUNK);
	assert_int_equal(tc_pump_checked(c, 2 * CHUNK), 2 * CHUNK);
	assert_int_equal(dpt_cache_loaded(x), 2 * CHUNK);
	assert_int_equal(dpt_cache_loaded(a), 0);
	dpt_cache_unhold(x, 0, 2 * CHUNK);
	dpt_cache_put(x);

	assert_int_equal(tc_pump_checked(c, UINT64_MAX), 3 * CHUNK + 4096);
	assert_int_equal(tc_stats(c).evictions, 2);
	assert_false(tc_listed(c, "qb"));
	assert_false(tc_listed(c, "qx"));
	tc_assert_pattern(a, 0, 3 * CHUNK, 56);
	tc_assert_pattern(cc, 0, 4096, 58);
	assert_int_equal(tc_stats(c).loads_in_progress, 0);
	dpt_cache_put(a);
	dpt_cache_put(cc);
}

/* Steps: queue A (three chunks), a preloaded file nobody holds, then C (a
 * referenced small file); fill the budget with X; let X go; hold A's
 * chunk 0 and C; pump a chunk and a byte. Verifies: making room for A's
 * held chunk frees the preloaded entry and X, and the loader still serves
 * C's held chunk before reading any of A ahead. */
static void
evict_while_loading_held(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *a, *cc, *x;

	tc_write_pattern("ha", 3 * CHUNK, 64);
	tc_write_pattern("hb", 4096, 65);
	tc_write_pattern("hc", 4096, 66);
	tc_write_pattern("hx", 4 * CHUNK, 67);
	assert_int_equal(dpt_cache_open(c, "ha", &a), 0);
	assert_int_equal(dpt_cache_preload(c, "hb"), 0);
	assert_int_equal(dpt_cache_open(c, "hc", &cc), 0);
	assert_int_equal(dpt_cache_open(c, "hx", &x), 0);
	dpt_cache_hold(x, 0, 4 * CHUNK);
	assert_int_equal(tc_pump_checked(c, 4 * CHUNK), 4 * CHUNK);
	dpt_cache_unhold(x, 0, 4 * CHUNK);
	dpt_cache_put(x);

	dpt_cache_hold(a, 0, 1);
	dpt_cache_hold(cc, 0, 4096);
	assert_int_equal(tc_pump_checked(c, CHUNK + 1), CHUNK + 4096);
	assert_int_equal(tc_stats(c).evictions, 2);
	assert_true(tc_chunk_resident(a, 0));
	assert_false(tc_chunk_resident(a, 1));
	tc_assert_pattern(cc, 0, 4096, 66);
	dpt_cache_unhold(a, 0, 1);
	dpt_cache_unhold(cc, 0, 4096);
	dpt_cache_put(a);
	dpt_cache_put(cc);
}

const struct CMUnitTest tc_evict_tests[] = {
#define S(f) cmocka_unit_test_setup_teardown(f, tc_setup_small, tc_teardown)
	S(evict_least_recent_first),
	S(evict_spares_referenced_entries),
	S(evict_spares_held_chunks),
	cmocka_unit_test_setup_teardown(hold_loads_first, tc_setup,
					tc_teardown),
	S(evict_while_reading_ahead),
	S(evict_while_loading_held),
#undef S
};
const size_t tc_evict_count = RTE_DIM(tc_evict_tests);
