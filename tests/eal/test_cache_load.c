/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Loading and versions: how a file streams in under dpt_cache_pump, a
 * chunk at a time, what readers see meanwhile, how opens share an entry,
 * and how a changed file becomes a new entry while the old one lives on
 * for its holders.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>

#include "test_cache.h"

/* Steps: open a 5 MiB file (chunks of 2, 2 and 1 MiB), pump a byte's
 * worth at a time. Verifies: nothing is resident before the first pump;
 * each pump publishes exactly one whole chunk, readable, and the bytes
 * beyond it (even a read straddling its end) say -EAGAIN; three pumps
 * finish it; counters. */
static void
load_streams_in_chunks(void **state)
{
	struct dpt_cache *c = *state;
	const uint64_t size = 5 * MiB;
	struct dpt_cache_entry *e;
	struct dpt_cache_stats st;
	uint64_t done = 0;
	uint8_t buf[512];
	unsigned int i;

	tc_write_pattern("big5", size, 1);
	assert_int_equal(dpt_cache_open(c, "big5", &e), 0);
	assert_int_equal(e->size, size);
	assert_int_equal(e->n_chunks, 3);
	assert_int_equal(dpt_cache_loaded(e), 0);
	assert_int_equal(dpt_cache_read(e, 0, buf, sizeof(buf)), -EAGAIN);
	st = tc_stats(c);
	assert_int_equal(st.misses, 1);
	assert_int_equal(st.loads_in_progress, 1);
	assert_int_equal(st.entries, 1);

	for (i = 0; i < 3; i++) {
		uint64_t len = RTE_MIN(CHUNK, size - done);

		assert_int_equal(dpt_cache_pump(c, 1), len);
		done += len;
		assert_int_equal(dpt_cache_loaded(e), done);
		assert_int_equal(tc_stats(c).chunks_loaded, i + 1);
		tc_assert_pattern(e, done - len, len, 1);
		if (done < size)
			assert_int_equal(dpt_cache_read(e, done - 100, buf,
							 200), -EAGAIN);
	}
	assert_int_equal(dpt_cache_pump(c, 1), 0);
	tc_assert_pattern(e, 0, size, 1);
	st = tc_stats(c);
	assert_int_equal(st.loads_in_progress, 0);
	assert_int_equal(st.bytes_resident, size);
	assert_int_equal(st.chunks_loaded, 3);
	assert_int_equal(st.load_errors, 0);
	dpt_cache_put(e);
}

/* Verifies: a chunk is the unit of loading and is published only whole:
 * a pump goes on while it has loaded less than max_bytes, so it loads one
 * chunk for any max up to a chunk, two for a chunk and a byte, and never
 * a chunk more than it needs; an unbounded pump finishes the rest and then
 * reports nothing to do. */
static void
load_pump_bounded(void **state)
{
	struct dpt_cache *c = *state;
	const uint64_t size = 4 * CHUNK + 5;
	struct dpt_cache_entry *e;

	tc_write_pattern("bounded", size, 2);
	assert_int_equal(dpt_cache_open(c, "bounded", &e), 0);
	assert_int_equal(dpt_cache_pump(c, 1000), CHUNK);
	assert_int_equal(dpt_cache_loaded(e), CHUNK);
	tc_assert_pattern(e, 0, CHUNK, 2);
	assert_int_equal(dpt_cache_read(e, CHUNK - 1, (uint8_t[2]){ 0 }, 2),
			 -EAGAIN);
	assert_int_equal(dpt_cache_pump(c, CHUNK), CHUNK);
	assert_int_equal(dpt_cache_pump(c, CHUNK + 1), 2 * CHUNK);
	assert_int_equal(dpt_cache_loaded(e), 4 * CHUNK);
	assert_int_equal(dpt_cache_pump(c, 0), 0);
	assert_int_equal(dpt_cache_loaded(e), 4 * CHUNK);
	assert_int_equal(dpt_cache_pump(c, UINT64_MAX), 5);
	tc_assert_pattern(e, 0, size, 2);
	assert_int_equal(dpt_cache_pump(c, UINT64_MAX), 0);
	dpt_cache_put(e);
}

/* Verifies: reading ahead follows request order: the whole of the first
 * file requested loads before any of the second. */
static void
load_oldest_first(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *a, *b;

	tc_write_pattern("first", 2 * CHUNK, 3);
	tc_write_pattern("second", 4096, 4);
	assert_int_equal(dpt_cache_open(c, "first", &a), 0);
	assert_int_equal(dpt_cache_open(c, "second", &b), 0);
	assert_int_equal(dpt_cache_pump(c, 1), CHUNK);
	assert_true(tc_chunk_resident(a, 0));
	assert_int_equal(dpt_cache_loaded(b), 0);
	assert_int_equal(dpt_cache_pump(c, 1), CHUNK);
	assert_int_equal(dpt_cache_loaded(a), 2 * CHUNK);
	assert_int_equal(dpt_cache_loaded(b), 0);
	assert_int_equal(dpt_cache_pump(c, 1), 4096);
	tc_assert_pattern(a, 0, 2 * CHUNK, 3);
	tc_assert_pattern(b, 0, 4096, 4);
	dpt_cache_put(a);
	dpt_cache_put(b);
}

/* Verifies: a second open of an unchanged file, however spelt, is a hit on
 * the same entry with two references; no second load starts. */
static void
open_hit_shares_entry(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *e1, *e2, *e3;
	struct dpt_cache_stats st;

	tc_write_pattern("shared", 100000, 5);
	assert_int_equal(dpt_cache_open(c, "shared", &e1), 0);
	tc_pump_all(c, UINT64_MAX);
	assert_int_equal(dpt_cache_open(c, "shared", &e2), 0);
	assert_ptr_equal(e1, e2);
	assert_int_equal(__atomic_load_n(&e1->refcnt, __ATOMIC_RELAXED), 2);
	assert_int_equal(dpt_cache_open(c, "//shared", &e3), 0);
	assert_ptr_equal(e1, e3);
	st = tc_stats(c);
	assert_int_equal(st.hits, 2);
	assert_int_equal(st.misses, 1);
	assert_int_equal(st.entries, 1);
	assert_int_equal(st.loads_in_progress, 0);
	tc_assert_pattern(e2, 0, 100000, 5);
	dpt_cache_put(e1);
	dpt_cache_put(e2);
	dpt_cache_put(e3);
	assert_int_equal(__atomic_load_n(&e1->refcnt, __ATOMIC_RELAXED), 0);
}

/* Verifies: an unreferenced current entry stays resident across pumps and
 * the next open is a hit on it. */
static void
open_hit_after_put(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *e1, *e2;

	tc_write_pattern("kept", 5000, 6);
	assert_int_equal(dpt_cache_open(c, "kept", &e1), 0);
	tc_pump_all(c, UINT64_MAX);
	dpt_cache_put(e1);
	tc_pump_all(c, UINT64_MAX);
	assert_int_equal(tc_stats(c).entries, 1);
	assert_int_equal(dpt_cache_open(c, "kept", &e2), 0);
	assert_ptr_equal(e1, e2);
	assert_int_equal(tc_stats(c).hits, 1);
	dpt_cache_put(e2);
}

/* Steps: open, load, replace the file by rename, open again. Verifies: the
 * second open is a miss with a new entry of the new bytes while the first
 * still reads the old bytes; later opens get the new one. */
static void
replaced_file_is_new_version(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *old, *cur, *again;
	struct dpt_cache_stats st;

	tc_write_pattern("ver", 200000, 7);
	assert_int_equal(dpt_cache_open(c, "ver", &old), 0);
	tc_pump_all(c, UINT64_MAX);
	tc_replace_pattern("ver", 150000, 8);
	assert_int_equal(dpt_cache_open(c, "ver", &cur), 0);
	assert_ptr_not_equal(old, cur);
	assert_int_equal(cur->size, 150000);
	tc_pump_all(c, UINT64_MAX);
	tc_assert_pattern(old, 0, 200000, 7);
	tc_assert_pattern(cur, 0, 150000, 8);
	st = tc_stats(c);
	assert_int_equal(st.misses, 2);
	assert_int_equal(st.entries, 2);
	assert_int_equal(st.bytes_resident, 350000);
	assert_int_equal(dpt_cache_open(c, "ver", &again), 0);
	assert_ptr_equal(again, cur);
	dpt_cache_put(old);
	dpt_cache_put(cur);
	dpt_cache_put(again);
}

/* Verifies: a superseded entry survives pumps while referenced, and the
 * pump after the last put frees it (entries and bytes drop, an eviction
 * is counted) while the current version stays. */
static void
stale_entry_freed_after_put(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *old, *cur;
	struct dpt_cache_stats st;

	tc_write_pattern("gone", 300000, 9);
	assert_int_equal(dpt_cache_open(c, "gone", &old), 0);
	tc_pump_all(c, UINT64_MAX);
	tc_replace_pattern("gone", 1000, 10);
	assert_int_equal(dpt_cache_open(c, "gone", &cur), 0);
	dpt_cache_put(cur);
	tc_pump_all(c, UINT64_MAX);
	dpt_cache_pump(c, 0);
	assert_int_equal(tc_stats(c).entries, 2);
	tc_assert_pattern(old, 0, 300000, 9);

	dpt_cache_put(old);
	dpt_cache_pump(c, 0);
	st = tc_stats(c);
	assert_int_equal(st.entries, 1);
	assert_int_equal(st.evictions, 1);
	assert_int_equal(st.bytes_resident, 1000);
	assert_int_equal(dpt_cache_open(c, "gone", &cur), 0);
	assert_int_equal(cur->size, 1000);
	assert_int_equal(tc_stats(c).hits, 1);
	dpt_cache_put(cur);
}

/* Verifies: a version superseded while still loading, once nobody holds
 * it, stops loading and is freed; only the new version loads. */
static void
stale_loading_entry_dropped(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *old, *cur;
	struct dpt_cache_stats st;

	tc_write_pattern("midway", 2 * MiB, 11);
	assert_int_equal(dpt_cache_open(c, "midway", &old), 0);
	tc_replace_pattern("midway", 3000, 12);
	assert_int_equal(dpt_cache_open(c, "midway", &cur), 0);
	assert_int_equal(tc_stats(c).loads_in_progress, 2);
	dpt_cache_put(old);
	assert_int_equal(dpt_cache_pump(c, UINT64_MAX), 3000);
	st = tc_stats(c);
	assert_int_equal(st.entries, 1);
	assert_int_equal(st.loads_in_progress, 0);
	assert_int_equal(st.bytes_resident, 3000);
	tc_assert_pattern(cur, 0, 3000, 12);
	dpt_cache_put(cur);
}

/* Verifies: a file changed in place (same inode, new size and mtime) is a
 * new version too. */
static void
modified_in_place_is_new_version(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *old, *cur;
	char p[PATH_MAX];
	int fd;

	tc_write_pattern("grow", 4096, 13);
	assert_int_equal(dpt_cache_open(c, "grow", &old), 0);
	tc_pump_all(c, UINT64_MAX);
	tc_path(p, sizeof(p), tc_root, "grow");
	fd = open(p, O_WRONLY | O_APPEND | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "tail", 4), 4);
	close(fd);
	assert_int_equal(dpt_cache_open(c, "grow", &cur), 0);
	assert_ptr_not_equal(old, cur);
	assert_int_equal(cur->size, 4100);
	assert_int_equal(old->size, 4096);
	assert_int_equal(tc_stats(c).misses, 2);
	dpt_cache_put(old);
	dpt_cache_put(cur);
}

/* Verifies: each part of a version counts alone: a new inode, a new size
 * or a new mtime, with the other two unchanged, is a new version. */
static void
version_is_inode_size_and_mtime(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *v1, *v2, *v3, *v4;
	struct timespec ts;
	char p[PATH_MAX];

	tc_write_pattern("same", 8192, 19);
	ts = tc_get_mtime("same");
	assert_int_equal(dpt_cache_open(c, "same", &v1), 0);
	tc_pump_all(c, UINT64_MAX);

	tc_replace_pattern("same", 8192, 20);
	tc_set_mtime("same", ts);
	assert_int_equal(dpt_cache_open(c, "same", &v2), 0);
	assert_ptr_not_equal(v1, v2);
	tc_pump_all(c, UINT64_MAX);
	tc_assert_pattern(v2, 0, 8192, 20);

	tc_path(p, sizeof(p), tc_root, "same");
	assert_int_equal(truncate(p, 4096), 0);
	tc_set_mtime("same", ts);
	assert_int_equal(dpt_cache_open(c, "same", &v3), 0);
	assert_ptr_not_equal(v2, v3);
	assert_int_equal(v3->size, 4096);

	/* Only the mtime moves, by a nanosecond (a touch within the same
	 * second must not go unnoticed). */
	ts.tv_nsec = ts.tv_nsec == 0 ? 1 : ts.tv_nsec - 1;
	tc_set_mtime("same", ts);
	assert_int_equal(dpt_cache_open(c, "same", &v4), 0);
	assert_ptr_not_equal(v3, v4);
	assert_int_equal(tc_stats(c).misses, 4);
	dpt_cache_put(v1);
	dpt_cache_put(v2);
	dpt_cache_put(v3);
	dpt_cache_put(v4);
}

/* Verifies: an empty file is complete the moment it is opened: nothing to
 * load, a zero-length read succeeds, any byte is out of range. */
static void
empty_file_complete_at_once(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *e, *e2;
	unsigned int fds;
	uint8_t b;

	assert_int_equal(tc_write(tc_root, "empty", "", 0), 0);
	fds = tc_count_fds();
	assert_int_equal(dpt_cache_open(c, "empty", &e), 0);
	assert_int_equal(tc_count_fds(), fds);	/* nothing left to read */
	assert_int_equal(e->size, 0);
	assert_int_equal(dpt_cache_loaded(e), 0);
	assert_int_equal(e->load_err, 0);
	assert_int_equal(tc_stats(c).loads_in_progress, 0);
	assert_int_equal(dpt_cache_read(e, 0, &b, 0), 0);
	assert_int_equal(dpt_cache_read(e, 0, &b, 1), -EINVAL);
	assert_int_equal(dpt_cache_pump(c, UINT64_MAX), 0);
	assert_int_equal(dpt_cache_open(c, "empty", &e2), 0);
	assert_ptr_equal(e, e2);
	dpt_cache_put(e);
	dpt_cache_put(e2);
}

/* Verifies: the budget is never below four chunks (a smaller one is
 * raised), and a file exactly the budget is read ahead whole. (A file
 * larger than the budget streams: see test_cache_stream.c.) */
static void
budget_at_least_four_chunks(void **state)
{
	struct dpt_cache *c = dpt_cache_create(tc_root, MiB);
	struct dpt_cache_entry *e;
	struct dpt_cache_stats st;

	assert_non_null(c);
	assert_int_equal(tc_stats(c).budget, SMALL_BUDGET);
	tc_write_pattern("justfits", SMALL_BUDGET, 15);
	assert_int_equal(dpt_cache_open(c, "justfits", &e), 0);
	tc_pump_all_checked(c, UINT64_MAX);
	st = tc_stats(c);
	assert_int_equal(st.bytes_resident, SMALL_BUDGET);
	assert_int_equal(st.loads_in_progress, 0);
	assert_int_equal(st.chunks_evicted, 0);
	tc_assert_pattern(e, 0, SMALL_BUDGET, 15);
	dpt_cache_put(e);
	dpt_cache_destroy(c);
}

/* Steps: open a 6 MiB file, load its first chunk, truncate the file on
 * disk, pump on. Verifies: reads then fail with -EIO instead of -EAGAIN
 * forever, even of the chunk that loaded, the error is counted, loading
 * stops, and the next open loads afresh. */
static void
truncated_during_load_fails(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *e, *e2;
	struct dpt_cache_stats st;
	char p[PATH_MAX];
	uint8_t buf[64];

	tc_write_pattern("shrink", 3 * CHUNK, 16);
	assert_int_equal(dpt_cache_open(c, "shrink", &e), 0);
	assert_int_equal(dpt_cache_pump(c, 1), CHUNK);
	tc_path(p, sizeof(p), tc_root, "shrink");
	assert_int_equal(truncate(p, 100), 0);
	tc_pump_all(c, 1);
	assert_int_equal(dpt_cache_read(e, 2 * CHUNK, buf, sizeof(buf)), -EIO);
	assert_int_equal(dpt_cache_read(e, 0, buf, sizeof(buf)), -EIO);
	assert_int_equal(e->load_err, -EIO);
	assert_int_equal(dpt_cache_pump(c, UINT64_MAX), 0);
	st = tc_stats(c);
	assert_int_equal(st.load_errors, 1);
	assert_int_equal(st.loads_in_progress, 0);

	assert_int_equal(dpt_cache_open(c, "shrink", &e2), 0);
	assert_ptr_not_equal(e, e2);
	assert_int_equal(e2->size, 100);
	tc_pump_all(c, UINT64_MAX);
	tc_assert_pattern(e2, 0, 100, 16);
	dpt_cache_put(e);
	dpt_cache_put(e2);
	dpt_cache_pump(c, 0);
	assert_int_equal(tc_stats(c).entries, 1);
}

/* Steps: a load fails on a truncated file; the file is then restored to
 * the same size and mtime. Verifies: the failed entry is never handed out
 * again: the next open loads afresh and reads the right bytes. */
static void
failed_entry_not_reused(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *e, *e2;
	struct timespec ts;
	uint8_t *buf = tc_make_pattern(2 * CHUNK, 21);
	char p[PATH_MAX];
	int fd;

	assert_int_equal(tc_write(tc_root, "restored", buf, 2 * CHUNK), 0);
	ts = tc_get_mtime("restored");
	assert_int_equal(dpt_cache_open(c, "restored", &e), 0);
	assert_int_equal(dpt_cache_pump(c, 1), CHUNK);
	tc_path(p, sizeof(p), tc_root, "restored");
	assert_int_equal(truncate(p, 0), 0);
	tc_pump_all(c, UINT64_MAX);
	assert_int_equal(dpt_cache_read(e, 0, buf, 1), -EIO);

	/* Rewritten in place: same inode, size and mtime as e. */
	free(buf);
	buf = tc_make_pattern(2 * CHUNK, 21);
	fd = open(p, O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, buf, 2 * CHUNK, 0), (ssize_t)(2 * CHUNK));
	close(fd);
	free(buf);
	tc_set_mtime("restored", ts);

	assert_int_equal(dpt_cache_open(c, "restored", &e2), 0);
	assert_ptr_not_equal(e, e2);
	tc_pump_all(c, UINT64_MAX);
	assert_int_equal(e2->load_err, 0);
	tc_assert_pattern(e2, 0, 2 * CHUNK, 21);
	dpt_cache_put(e);
	dpt_cache_put(e2);
}

/* Verifies: reads past the end or whose end overflows are -EINVAL, a read
 * ending exactly at the end succeeds, a zero-length read at the end too. */
static void
read_bounds(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *e;
	uint8_t buf[16];

	tc_write_pattern("bounds", 1000, 17);
	assert_int_equal(dpt_cache_open(c, "bounds", &e), 0);
	tc_pump_all(c, UINT64_MAX);
	assert_int_equal(dpt_cache_read(e, 990, buf, 11), -EINVAL);
	assert_int_equal(dpt_cache_read(e, 1001, buf, 0), -EINVAL);
	assert_int_equal(dpt_cache_read(e, UINT64_MAX, buf, 2), -EINVAL);
	assert_int_equal(dpt_cache_read(e, 2, buf, SIZE_MAX), -EINVAL);
	tc_assert_pattern(e, 990, 10, 17);
	assert_int_equal(dpt_cache_read(e, 1000, buf, 0), 0);
	dpt_cache_put(e);
}

/* Verifies: destroying a cache with entries still loading (one chunk of
 * two resident) and still referenced and held frees them and closes their
 * files (no fd left behind) and gives back every heap element. */
static void
destroy_while_loading(void **state)
{
	unsigned int before, allocs;
	struct dpt_cache *c;
	struct dpt_cache_entry *e;

	tc_write_pattern("dying", 2 * CHUNK, 18);
	before = tc_count_fds();
	allocs = tc_heap_allocs();
	c = dpt_cache_create(tc_root, BUDGET);
	assert_non_null(c);
	assert_int_equal(dpt_cache_open(c, "dying", &e), 0);
	dpt_cache_hold(e, 0, 2 * CHUNK);
	assert_int_equal(dpt_cache_pump(c, 1), CHUNK);
	assert_int_equal(tc_count_fds(), before + 2);
	dpt_cache_destroy(c);
	assert_int_equal(tc_count_fds(), before);
	assert_int_equal(tc_heap_allocs(), allocs);
}

const struct CMUnitTest tc_load_tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tc_setup, tc_teardown)
	T(load_streams_in_chunks),
	T(load_pump_bounded),
	T(load_oldest_first),
	T(open_hit_shares_entry),
	T(open_hit_after_put),
	T(replaced_file_is_new_version),
	T(stale_entry_freed_after_put),
	T(stale_loading_entry_dropped),
	T(modified_in_place_is_new_version),
	T(version_is_inode_size_and_mtime),
	T(empty_file_complete_at_once),
	cmocka_unit_test(budget_at_least_four_chunks),
	T(truncated_during_load_fails),
	T(failed_entry_not_reused),
	T(read_bounds),
	cmocka_unit_test(destroy_while_loading),
#undef T
};
const size_t tc_load_count = RTE_DIM(tc_load_tests);
