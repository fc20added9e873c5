/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_TEST_CACHE_H_
#define _DPT_TEST_CACHE_H_

/*
 * What the cache test files share: the tree built by test_cache.c, helpers
 * that make and check test files, and each area's table of cases.
 */

#include <limits.h>
#include <setjmp.h>
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

/* Each case gets a fresh cache over tc_root with BUDGET in *state. */
int tc_setup(void **state);
int tc_teardown(void **state);

extern const struct CMUnitTest tc_resolve_tests[];
extern const size_t tc_resolve_count;
extern const struct CMUnitTest tc_load_tests[];
extern const size_t tc_load_count;

#endif /* _DPT_TEST_CACHE_H_ */
