/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_TEST_CACHE_H_
#define _DPT_TEST_CACHE_H_

/*
 * What the cache test files share: the tree built by test_cache.c, helpers
 * that make and check test files, a reader that moves its window through a
 * file the way a session does, and each area's table of cases.
 */

#include <limits.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include <cmocka.h>

#include "dpt_cache.h"
#include "cache_internal.h"	/* only to force the openat2-less walk */

#define MiB (UINT64_C(1) << 20)
#define BUDGET (64 * MiB)
#define CHUNK DPT_CACHE_CHUNK
/* The least budget a cache takes: four chunks, 8 MiB. */
#define SMALL_BUDGET (4 * CHUNK)

/*
 * The tree, under tc_outer (canonical):
 *   secret                       outside the root
 *   root/file                    "hello\n"
 *   root/sub/inner               "inner\n"
 *   root/sub/deeper/             empty directory
 *   root/link_in -> sub/inner    relative, stays inside
 *   root/sub/link_up -> ../file  relative, stays inside
 *   root/link_in_abs -> <root>/file         absolute
 *   root/link_out_abs -> <outer>/secret     absolute, leaves
 *   root/link_out_rel -> ../secret          relative, leaves
 *   root/sub/link_out_rel -> ../../secret   relative, leaves
 *   root/devnull -> /dev/null    root/loop -> loop
 *   root/link_abs_in -> /file    absolute, meant inside (a chroot's tree)
 *   root/sub/link_abs_deep -> /sub/deeper/../inner
 *   root/link_abs_dir -> /sub    root/link_abs_up -> /../../file
 *   root/private                 "private\n", mode 0600
 *   root/devnode                 /dev/null's device node (root only)
 *   root/fifo                    a FIFO nobody writes
 *   root/sock                    a bound UNIX socket
 */
extern char tc_outer[PATH_MAX];
extern char tc_root[PATH_MAX];

/* Byte i of a test file made with seed. */
uint8_t tc_pattern(uint64_t i, unsigned int seed);
/* dir/rel into buf, failing the test if it does not fit. */
void tc_path(char *buf, size_t size, const char *dir, const char *rel);
/* Writes dir/rel afresh: 0 or a negative errno. */
int tc_write(const char *dir, const char *rel, const void *data, size_t len);
/* A malloc'd buffer of size pattern bytes. */
uint8_t *tc_make_pattern(uint64_t size, unsigned int seed);
void tc_write_pattern(const char *rel, uint64_t size, unsigned int seed);
/* Replaces rel by renaming a new file over it. */
void tc_replace_pattern(const char *rel, uint64_t size, unsigned int seed);
/* Reads [off, off+len) from e and checks every byte. */
void tc_assert_pattern(const struct dpt_cache_entry *e, uint64_t off,
		       uint64_t len, unsigned int seed);
/* 0 when name is served (the fd is closed again), else the error. */
int tc_resolve(const struct dpt_cache *c, const char *name);
void tc_set_mtime(const char *rel, struct timespec ts);
struct timespec tc_get_mtime(const char *rel);
struct dpt_cache_stats tc_stats(const struct dpt_cache *c);
unsigned int tc_count_fds(void);
/* Pumps until there is nothing left to load; returns the calls made. */
unsigned int tc_pump_all(struct dpt_cache *c, uint64_t step);
/* One pump, then fails the test if resident bytes exceed the budget. */
uint64_t tc_pump_checked(struct dpt_cache *c, uint64_t max);
/* tc_pump_all with the budget checked after every call. */
void tc_pump_all_checked(struct dpt_cache *c, uint64_t step);
/* Whether chunk i of e is resident (readable now). */
bool tc_chunk_resident(const struct dpt_cache_entry *e, uint64_t i);
/* Whether the cache lists an entry for rel (any version). */
bool tc_listed(const struct dpt_cache *c, const char *rel);
/* Allocated elements of the DPDK heap: a chunk is two of them. */
unsigned int tc_heap_allocs(void);

/* A session reading a file through a moving window, as a worker does. */
struct tc_reader {
	struct dpt_cache_entry *e;
	unsigned int seed;	/* the version it must see */
	uint64_t off;		/* where the next window starts */
	uint64_t win;		/* window length */
	uint64_t hold_off;	/* the window held now */
	uint64_t hold_len;
	unsigned int waits;	/* windows that needed a pump */
};

void tc_reader_start(struct tc_reader *r, struct dpt_cache_entry *e,
		     unsigned int seed, uint64_t off, uint64_t win);
/* Holds the next window, unholds the old one, pumps until it is resident
 * (the budget checked after every pump, each pump loading something) and
 * checks its bytes. Returns false once the file is read to its end. */
bool tc_reader_step(struct dpt_cache *c, struct tc_reader *r);
/* Reads on to the end of the file. */
void tc_reader_finish(struct dpt_cache *c, struct tc_reader *r);
/* Lets go of the window held. */
void tc_reader_stop(struct tc_reader *r);

/* Each case gets a fresh cache over tc_root with BUDGET in *state;
 * tc_setup_small gives one with the least budget, SMALL_BUDGET. */
int tc_setup(void **state);
int tc_setup_small(void **state);
int tc_teardown(void **state);

extern const struct CMUnitTest tc_resolve_tests[];
extern const size_t tc_resolve_count;
extern const struct CMUnitTest tc_load_tests[];
extern const size_t tc_load_count;
extern const struct CMUnitTest tc_evict_tests[];
extern const size_t tc_evict_count;
extern const struct CMUnitTest tc_stream_tests[];
extern const size_t tc_stream_count;
extern const struct CMUnitTest tc_zc_tests[];
extern const size_t tc_zc_count;
extern const struct CMUnitTest tc_sum_tests[];
extern const size_t tc_sum_count;
extern const struct CMUnitTest tc_files_tests[];
extern const size_t tc_files_count;

#endif /* _DPT_TEST_CACHE_H_ */
