/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The file cache against a real directory tree, one TAP plan: this file
 * starts EAL (--no-huge, so the cache lives in plain pages and no
 * privileges are needed) with two lcores, builds the tree and holds the
 * helpers; test_cache_{resolve,load,evict,stream,zc,sum,files}.c hold the cases.
 */

#define _GNU_SOURCE	/* sched_getaffinity(), nftw() */

#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "test_cache.h"
#include "test_groups.h"

char tc_outer[PATH_MAX];	/* holds root/ and what lies outside it */
char tc_root[PATH_MAX];		/* canonical, as the cache will see it */
static int sock = -1;		/* keeps root/sock a live socket */

/* Byte i of a test file: varies with the position, so a chunk copied to
 * the wrong offset shows. */
uint8_t
tc_pattern(uint64_t i, unsigned int seed)
{
	return (uint8_t)(i * 7 + (i >> 12) + seed);
}

void
tc_path(char *buf, size_t size, const char *dir, const char *rel)
{
	int n = snprintf(buf, size, "%s/%s", dir, rel);

	assert_true(n > 0 && (size_t)n < size);
}

int
tc_write(const char *dir, const char *rel, const void *data, size_t len)
{
	char p[PATH_MAX];
	int fd, ok;

	tc_path(p, sizeof(p), dir, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	/* world-readable whatever the umask: the cache serves no other */
	ok = fchmod(fd, 0644) == 0 && write(fd, data, len) == (ssize_t)len;
	close(fd);
	return ok ? 0 : -EIO;
}

uint8_t *
tc_make_pattern(uint64_t size, unsigned int seed)
{
	uint8_t *buf = malloc(size > 0 ? size : 1);
	uint64_t i;

	assert_non_null(buf);
	for (i = 0; i < size; i++)
		buf[i] = tc_pattern(i, seed);
	return buf;
}

void
tc_write_pattern(const char *rel, uint64_t size, unsigned int seed)
{
	uint8_t *buf = tc_make_pattern(size, seed);

	assert_int_equal(tc_write(tc_root, rel, buf, size), 0);
	free(buf);
}

/* Replaces rel the way a careful admin does: a new file renamed over it,
 * so the old inode lives on for whoever has it open. */
void
tc_replace_pattern(const char *rel, uint64_t size, unsigned int seed)
{
	char tmp[PATH_MAX], dst[PATH_MAX];
	char tmp_rel[NAME_MAX];

	snprintf(tmp_rel, sizeof(tmp_rel), "%s.new", rel);
	tc_write_pattern(tmp_rel, size, seed);
	tc_path(tmp, sizeof(tmp), tc_root, tmp_rel);
	tc_path(dst, sizeof(dst), tc_root, rel);
	assert_int_equal(rename(tmp, dst), 0);
}

/* Checks that buf holds bytes [off, off+len) of the file made with seed. */
static void
check_pattern(const uint8_t *buf, uint64_t off, uint64_t len,
	      unsigned int seed)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != tc_pattern(off + i, seed))
			fail_msg("byte %" PRIu64 " is %u, want %u", off + i,
				 buf[i], tc_pattern(off + i, seed));
}

void
tc_assert_pattern(const struct dpt_cache_entry *e, uint64_t off, uint64_t len,
	       unsigned int seed)
{
	uint8_t *buf = malloc(len > 0 ? len : 1);

	assert_non_null(buf);
	assert_int_equal(dpt_cache_read(e, off, buf, len), (ssize_t)len);
	check_pattern(buf, off, len, seed);
	free(buf);
}

/* Resolves name: 0 when served (fd closed again), else the error. */
int
tc_resolve(const struct dpt_cache *c, const char *name)
{
	struct stat st;
	int fd = dpt_cache_resolve(c, name, &st);

	if (fd < 0)
		return fd;
	assert_true(S_ISREG(st.st_mode));
	close(fd);
	return 0;
}

/* The served files and their neighbours outside the root. */
static int
group_setup(void **state)
{
	char p[PATH_MAX], q[PATH_MAX];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	strcpy(tc_outer, "/tmp/dpt-test-cache-XXXXXX");
	if (mkdtemp(tc_outer) == NULL || realpath(tc_outer, p) == NULL)
		return -1;
	strcpy(tc_outer, p);
	tc_path(tc_root, sizeof(tc_root), tc_outer, "root");
	if (mkdir(tc_root, 0755) < 0)
		return -1;
	tc_path(p, sizeof(p), tc_root, "sub");
	tc_path(q, sizeof(q), tc_root, "sub/deeper");
	if (mkdir(p, 0755) < 0 || mkdir(q, 0755) < 0)
		return -1;
	if (tc_write(tc_outer, "secret", "secret\n", 7) < 0 ||
	    tc_write(tc_root, "file", "hello\n", 6) < 0 ||
	    tc_write(tc_root, "sub/inner", "inner\n", 6) < 0)
		return -1;

	tc_path(q, sizeof(q), tc_outer, "secret");
	tc_path(p, sizeof(p), tc_root, "link_out_abs");
	if (symlink(q, p) < 0)
		return -1;
	tc_path(q, sizeof(q), tc_root, "file");
	tc_path(p, sizeof(p), tc_root, "link_in_abs");
	if (symlink(q, p) < 0)
		return -1;
	tc_path(p, sizeof(p), tc_root, "link_in");
	if (symlink("sub/inner", p) < 0)
		return -1;
	tc_path(p, sizeof(p), tc_root, "sub/link_up");
	if (symlink("../file", p) < 0)
		return -1;
	tc_path(p, sizeof(p), tc_root, "link_out_rel");
	if (symlink("../secret", p) < 0)
		return -1;
	tc_path(p, sizeof(p), tc_root, "sub/link_out_rel");
	if (symlink("../../secret", p) < 0)
		return -1;
	tc_path(p, sizeof(p), tc_root, "devnull");
	if (symlink("/dev/null", p) < 0)
		return -1;
	/* Absolute links meant inside, as a tree made for a chroot has. */
	tc_path(p, sizeof(p), tc_root, "link_abs_in");
	if (symlink("/file", p) < 0)
		return -1;
	tc_path(p, sizeof(p), tc_root, "sub/link_abs_deep");
	if (symlink("/sub/deeper/../inner", p) < 0)
		return -1;
	tc_path(p, sizeof(p), tc_root, "link_abs_dir");
	if (symlink("/sub", p) < 0)
		return -1;
	tc_path(p, sizeof(p), tc_root, "link_abs_up");
	if (symlink("/../../file", p) < 0)
		return -1;
	if (tc_write(tc_root, "private", "private\n", 8) < 0)
		return -1;
	tc_path(p, sizeof(p), tc_root, "private");
	if (chmod(p, 0600) < 0)
		return -1;
	/* A device node: only where we may make one (root). */
	tc_path(p, sizeof(p), tc_root, "devnode");
	if (mknod(p, S_IFCHR | 0666, makedev(1, 3)) < 0 && errno != EPERM)
		return -1;
	tc_path(p, sizeof(p), tc_root, "loop");
	if (symlink("loop", p) < 0)
		return -1;
	tc_path(p, sizeof(p), tc_root, "fifo");
	if (mkfifo(p, 0644) < 0)
		return -1;
	tc_path(sa.sun_path, sizeof(sa.sun_path), tc_root, "sock");
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	return 0;
}

static int
rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(p);
}

static int
group_teardown(void **state)
{
	if (sock >= 0)
		close(sock);
	return nftw(tc_outer, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
tc_setup(void **state)
{
	struct dpt_cache *c = dpt_cache_create(tc_root, BUDGET);

	if (c == NULL)
		return -1;
	*state = c;
	return 0;
}

int
tc_setup_small(void **state)
{
	struct dpt_cache *c = dpt_cache_create(tc_root, SMALL_BUDGET);

	if (c == NULL)
		return -1;
	*state = c;
	return 0;
}

int
tc_teardown(void **state)
{
	dpt_cache_destroy(*state);
	return 0;
}

struct dpt_cache_stats
tc_stats(const struct dpt_cache *c)
{
	struct dpt_cache_stats st;

	memset(&st, 0xa5, sizeof(st));
	dpt_cache_stats(c, &st);
	return st;
}

unsigned int
tc_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned int n = 0;

	assert_non_null(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

/* Pumps until the loader says there is nothing left; bounded so a loader
 * that never finishes fails the test instead of hanging it. */
unsigned int
tc_pump_all(struct dpt_cache *c, uint64_t step)
{
	unsigned int calls = 0;

	while (dpt_cache_pump(c, step) > 0)
		assert_true(++calls < 10000);
	return calls;
}

uint64_t
tc_pump_checked(struct dpt_cache *c, uint64_t max)
{
	uint64_t n = dpt_cache_pump(c, max);
	struct dpt_cache_stats st = tc_stats(c);

	if (st.bytes_resident > st.budget)
		fail_msg("%" PRIu64 " bytes resident, budget %" PRIu64,
			 st.bytes_resident, st.budget);
	return n;
}

void
tc_pump_all_checked(struct dpt_cache *c, uint64_t step)
{
	unsigned int calls = 0;

	while (tc_pump_checked(c, step) > 0)
		assert_true(++calls < 10000);
}

/* Reads outside any window: safe here, where the lcore asking is the one
 * that evicts. */
bool
tc_chunk_resident(const struct dpt_cache_entry *e, uint64_t i)
{
	uint8_t b;
	ssize_t n = dpt_cache_read(e, i * CHUNK, &b, 1);

	assert_true(n == 1 || n == -EAGAIN);
	return n == 1;
}

static void
listed_one(const struct dpt_cache_entry_info *info, void *arg)
{
	const char **rel = arg;

	if (*rel != NULL && strcmp(info->path, *rel) == 0)
		*rel = NULL;
}

bool
tc_listed(const struct dpt_cache *c, const char *rel)
{
	dpt_cache_list(c, listed_one, &rel);
	return rel == NULL;
}

unsigned int
tc_heap_allocs(void)
{
	struct rte_malloc_socket_stats ms;
	unsigned int i, n = 0;

	for (i = 0; i < rte_socket_count(); i++) {
		assert_int_equal(rte_malloc_get_socket_stats(
					 rte_socket_id_by_idx(i), &ms), 0);
		n += ms.alloc_count;
	}
	return n;
}

void
tc_reader_start(struct tc_reader *r, struct dpt_cache_entry *e,
		unsigned int seed, uint64_t off, uint64_t win)
{
	memset(r, 0, sizeof(*r));
	r->e = e;
	r->seed = seed;
	r->off = off;
	r->win = win;
}

bool
tc_reader_step(struct dpt_cache *c, struct tc_reader *r)
{
	struct dpt_cache_entry *e = r->e;
	unsigned int pumps = 0;
	uint64_t len;
	uint8_t *buf;
	ssize_t n;

	if (r->off >= e->size)
		return false;
	len = RTE_MIN(r->win, e->size - r->off);
	/* The order a session keeps: the new window first, so a chunk in
	 * both is never let go of in between. */
	dpt_cache_hold(e, r->off, len);
	dpt_cache_unhold(e, r->hold_off, r->hold_len);
	r->hold_off = r->off;
	r->hold_len = len;
	buf = malloc(len);
	assert_non_null(buf);
	while ((n = dpt_cache_read(e, r->off, buf, len)) == -EAGAIN) {
		if (pumps++ == 0)
			r->waits++;
		/* A window is two chunks at most, and held chunks load
		 * first: a pump that loads nothing means a stall. */
		assert_true(pumps <= 8);
		if (tc_pump_checked(c, CHUNK) == 0)
			fail_msg("stalled at %" PRIu64 " of %" PRIu64, r->off,
				 e->size);
	}
	assert_int_equal(n, (ssize_t)len);
	check_pattern(buf, r->off, len, r->seed);
	free(buf);
	r->off += len;
	return true;
}

void
tc_reader_finish(struct dpt_cache *c, struct tc_reader *r)
{
	while (tc_reader_step(c, r))
		;
}

void
tc_reader_stop(struct tc_reader *r)
{
	dpt_cache_unhold(r->e, r->hold_off, r->hold_len);
	r->hold_len = 0;
}

/* Sets rel's mtime to ts, as cp -p or a restore from backup would. */
void
tc_set_mtime(const char *rel, struct timespec ts)
{
	struct timespec times[2] = { ts, ts };
	char p[PATH_MAX];

	tc_path(p, sizeof(p), tc_root, rel);
	assert_int_equal(utimensat(AT_FDCWD, p, times, 0), 0);
}

struct timespec
tc_get_mtime(const char *rel)
{
	char p[PATH_MAX];
	struct stat st;

	tc_path(p, sizeof(p), tc_root, rel);
	assert_int_equal(stat(p, &st), 0);
	return st.st_mtim;
}

/* Two lcores, for mbufs freed and references taken on a worker: on two
 * CPUs of ours where there are two, else both on the one there is. */
static void
lcores_arg(char *buf, size_t size)
{
	int cpu[2] = { 0, 0 }, n = 0, i;
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		for (i = 0; i < CPU_SETSIZE && n < 2; i++)
			if (CPU_ISSET(i, &set))
				cpu[n++] = i;
	if (n == 1)
		cpu[1] = cpu[0];
	snprintf(buf, size, "--lcores=0@%d,1@%d", cpu[0], cpu[1]);
}

int
main(void)
{
	char runtime[PATH_MAX];
	char prefix[64], lcores[64];
	char *eal_argv[] = {
		"test_cache", "--no-huge", "-m", "256", "--no-pci",
		"--no-telemetry", "--file-prefix", prefix,
		"--log-level=*:warning", lcores, NULL,
	};
	struct CMUnitTest tests[96];
	size_t n = 0;
	int ret;

	/* One group, so TAP sees one plan: the areas' tables end to end. */
	n = dpt_test_add(tests, n, RTE_DIM(tests), tc_resolve_tests,
			 tc_resolve_count);
	n = dpt_test_add(tests, n, RTE_DIM(tests), tc_load_tests,
			 tc_load_count);
	n = dpt_test_add(tests, n, RTE_DIM(tests), tc_evict_tests,
			 tc_evict_count);
	n = dpt_test_add(tests, n, RTE_DIM(tests), tc_stream_tests,
			 tc_stream_count);
	n = dpt_test_add(tests, n, RTE_DIM(tests), tc_zc_tests,
			 tc_zc_count);
	n = dpt_test_add(tests, n, RTE_DIM(tests), tc_sum_tests,
			 tc_sum_count);
	n = dpt_test_add(tests, n, RTE_DIM(tests), tc_files_tests,
			 tc_files_count);
	snprintf(prefix, sizeof(prefix), "dpt-test-cache-%d", (int)getpid());
	lcores_arg(lcores, sizeof(lcores));
	if (rte_eal_init((int)RTE_DIM(eal_argv) - 1, eal_argv) < 0) {
		printf("Bail out! EAL did not start: %s\n",
		       rte_strerror(rte_errno));
		return 1;
	}
	/* EAL leaves its runtime directory (a few MiB of fbarrays) behind;
	 * the prefix is this run's alone, so remove it. */
	snprintf(runtime, sizeof(runtime), "%s", rte_eal_get_runtime_dir());
	ret = _cmocka_run_group_tests("cache", tests, n, group_setup,
				      group_teardown);
	rte_eal_cleanup();
	nftw(runtime, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return ret;
}

