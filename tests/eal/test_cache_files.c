/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * What the cache holds open: one entry and one descriptor per file,
 * whatever names lead to it, and no more descriptors than it is allowed,
 * the least recently used closed first and opened again only onto the
 * version the sessions have.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>

#include "test_cache.h"

/* Descriptors this process has open on rel, by the kernel's name. */
static unsigned int
fds_on(const char *rel)
{
	char want[PATH_MAX], link[64], got[PATH_MAX];
	unsigned int n = 0;
	ssize_t len;
	int fd;

	tc_path(want, sizeof(want), tc_root, rel);
	for (fd = 0; fd < 4096; fd++) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		len = readlink(link, got, sizeof(got) - 1);
		if (len < 0)
			continue;
		got[len] = '\0';
		n += strcmp(got, want) == 0;
	}
	return n;
}

/* Verifies: 1,000 spellings of one file ("././sub/shared",
 * "sub/deeper/../shared", through the absolute symlink link_abs_dir)
 * share one entry and one descriptor; the entry is listed under the
 * file's own name. */
static void
spellings_share_one_entry(void **state)
{
	static const char dots[] = "./././././././././././././././././././"
				   "./././././././././././././";
	static const char ups[] = "deeper/../deeper/../deeper/../deeper/../"
				  "deeper/../deeper/../deeper/../deeper/../"
				  "deeper/../deeper/../deeper/../deeper/../"
				  "deeper/../deeper/../deeper/../deeper/../"
				  "deeper/../deeper/../deeper/../deeper/../";
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *e, *first;
	char name[PATH_MAX];
	unsigned int i;

	tc_write_pattern("sub/shared", CHUNK + 5, 31);
	assert_int_equal(dpt_cache_open(c, "sub/shared", &first), 0);
	for (i = 0; i < 1000; i++) {
		/* i / 50 "deeper/../", (i / 2) % 25 "./", and one of the
		 * two ways to the folder: 1,000 names, no two alike */
		snprintf(name, sizeof(name), "%.*s%s%.*sshared",
			 (int)(i / 2 % 25) * 2, dots,
			 i % 2 ? "link_abs_dir/" : "sub/",
			 (int)(i / 50) * 10, ups);
		assert_int_equal(dpt_cache_open(c, name, &e), 0);
		assert_ptr_equal(e, first);
		dpt_cache_put(e);
	}
	assert_int_equal(tc_stats(c).entries, 1);
	assert_int_equal(tc_stats(c).misses, 1);
	assert_int_equal(tc_stats(c).hits, 1000);
	assert_int_equal(tc_stats(c).files_open, 1);
	assert_int_equal(fds_on("sub/shared"), 1);
	assert_true(tc_listed(c, "sub/shared"));
	tc_pump_all(c, UINT64_MAX);
	tc_assert_pattern(first, 0, CHUNK + 5, 31);
	dpt_cache_put(first);
}

/* Verifies: with max_open 3, ten files being read hold three descriptors
 * at most, each still loads whole and byte-exact (closed ones are opened
 * again), and the ones closed are counted. */
static void
descriptors_bounded(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *e[10];
	char name[32];
	unsigned int i;

	dpt_cache_set_files(c, false, 3);
	for (i = 0; i < RTE_DIM(e); i++) {
		snprintf(name, sizeof(name), "bound%u", i);
		tc_write_pattern(name, 2 * CHUNK + i, 40 + i);
		assert_int_equal(dpt_cache_open(c, name, &e[i]), 0);
		assert_true(tc_stats(c).files_open <= 3);
	}
	assert_int_equal(tc_stats(c).files_open, 3);
	assert_int_equal(tc_stats(c).files_closed, RTE_DIM(e) - 3);
	tc_pump_all_checked(c, CHUNK);
	for (i = 0; i < RTE_DIM(e); i++) {
		snprintf(name, sizeof(name), "bound%u", i);
		assert_true(fds_on(name) <= 1);
		assert_int_equal(e[i]->load_err, 0);
		tc_assert_pattern(e[i], 0, 2 * CHUNK + i, 40 + i);
		dpt_cache_put(e[i]);
	}
	assert_true(tc_stats(c).files_open <= 3);
}

/* Verifies: with max_open 3, descriptors go least recently used first,
 * not in the order the files were opened: lru0..lru2 opened, loaded and
 * let go, lru0 opened again (a hit), then lru3 opened closes lru1's
 * descriptor and lru0 keeps its own; lru4 then closes lru2's, and lru0's
 * is still open. */
static void
descriptors_lru_order(void **state)
{
	static const unsigned int left[][5] = {	/* after lru3, after lru4 */
		{ 1, 0, 1, 1, 0 }, { 1, 0, 0, 1, 1 },
	};
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *e;
	char name[32];
	unsigned int i, j;

	dpt_cache_set_files(c, false, 3);
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "lru%u", i);
		tc_write_pattern(name, CHUNK / 2 + i, 60 + i);
	}
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "lru%u", i);
		assert_int_equal(dpt_cache_open(c, name, &e), 0);
		tc_pump_all(c, UINT64_MAX);	/* loaded: nobody reads it */
		dpt_cache_put(e);
	}
	assert_int_equal(dpt_cache_open(c, "lru0", &e), 0);	/* touched */
	dpt_cache_put(e);
	assert_int_equal(tc_stats(c).hits, 1);
	assert_int_equal(tc_stats(c).files_closed, 0);
	for (i = 3; i < 5; i++) {
		snprintf(name, sizeof(name), "lru%u", i);
		assert_int_equal(dpt_cache_open(c, name, &e), 0);
		tc_pump_all(c, UINT64_MAX);
		dpt_cache_put(e);
		assert_int_equal(tc_stats(c).files_open, 3);
		assert_int_equal(tc_stats(c).files_closed, i - 2);
		for (j = 0; j < 5; j++) {
			snprintf(name, sizeof(name), "lru%u", j);
			if (fds_on(name) != left[i - 3][j])
				fail_msg("after lru%u: %s has %u descriptors, "
					 "want %u", i, name, fds_on(name),
					 left[i - 3][j]);
		}
	}
}

/* Verifies: an entry whose descriptor was closed and whose file was then
 * replaced does not load the new bytes into the old version: its load
 * fails (-ESTALE) and the next open makes a new entry with the new bytes. */
static void
reopen_needs_same_version(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *old, *other, *now;
	uint8_t b;

	dpt_cache_set_files(c, false, 1);
	tc_write_pattern("swapped", 2 * CHUNK, 50);
	tc_write_pattern("pusher", CHUNK, 51);
	assert_int_equal(dpt_cache_open(c, "swapped", &old), 0);
	assert_int_equal(dpt_cache_open(c, "pusher", &other), 0);
	assert_int_equal(tc_stats(c).files_open, 1);	/* swapped's closed */
	tc_replace_pattern("swapped", 2 * CHUNK, 52);
	dpt_cache_hold(old, 0, CHUNK);
	tc_pump_all(c, UINT64_MAX);
	assert_int_equal(old->load_err, -ESTALE);
	assert_int_equal(dpt_cache_read(old, 0, &b, 1), -ESTALE);
	dpt_cache_unhold(old, 0, CHUNK);
	assert_int_equal(dpt_cache_open(c, "swapped", &now), 0);
	assert_ptr_not_equal(now, old);
	tc_pump_all(c, UINT64_MAX);
	tc_assert_pattern(now, 0, 2 * CHUNK, 52);
	dpt_cache_put(old);
	dpt_cache_put(other);
	dpt_cache_put(now);
}

const struct CMUnitTest tc_files_tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tc_setup, tc_teardown)
	T(spellings_share_one_entry),
	T(descriptors_bounded),
	T(descriptors_lru_order),
	T(reopen_needs_same_version),
#undef T
};
const size_t tc_files_count = RTE_DIM(tc_files_tests);
