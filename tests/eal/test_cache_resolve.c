/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Path resolution beneath the root: each name a client might send, and
 * whether it is served or refused with the error the client would see
 * (-ENOENT is ERROR 1, -EACCES is ERROR 2).
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>

#include "test_cache.h"

/* Verifies: a plain name is served, *st describes it, and the fd reads the
 * file's bytes. */
static void
resolve_plain_file(void **state)
{
	struct stat st;
	char buf[16];
	int fd;

	fd = dpt_cache_resolve(*state, "file", &st);
	assert_true(fd >= 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 6);
	assert_int_equal(read(fd, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, "hello\n", 6);
	close(fd);
	assert_int_equal(tc_resolve(*state, "sub/inner"), 0);
}

/* Verifies: leading slashes are not an absolute path; "/file" and
 * "//file" are the root's "file". */
static void
resolve_leading_slashes(void **state)
{
	assert_int_equal(tc_resolve(*state, "/file"), 0);
	assert_int_equal(tc_resolve(*state, "//file"), 0);
	assert_int_equal(tc_resolve(*state, "///sub//inner"), 0);
}

/* Verifies: a name that starts with the root's own path is served from the
 * root (clients echo the server's path). */
static void
resolve_root_prefix(void **state)
{
	char name[PATH_MAX];

	tc_path(name, sizeof(name), tc_root, "file");
	assert_int_equal(tc_resolve(*state, name), 0);
	tc_path(name, sizeof(name), tc_root, "/sub/inner");
	assert_int_equal(tc_resolve(*state, name), 0);
}

/* Verifies: the root prefix is stripped only at a '/' boundary:
 * "<root>xfile" is not "<root>/xfile", which exists. */
static void
resolve_root_prefix_needs_boundary(void **state)
{
	char name[PATH_MAX];

	assert_int_equal(tc_write(tc_root, "xfile", "x\n", 2), 0);
	assert_int_equal(tc_resolve(*state, "xfile"), 0);
	tc_path(name, sizeof(name), tc_root, "file");
	name[strlen(tc_root)] = 'x';	/* "<root>xfile" */
	assert_int_equal(tc_resolve(*state, name), -ENOENT);
}

/* Verifies: ".." that stays beneath the root is fine, by name or through
 * a relative symlink. */
static void
resolve_dotdot_inside(void **state)
{
	assert_int_equal(tc_resolve(*state, "sub/../file"), 0);
	assert_int_equal(tc_resolve(*state, "sub/deeper/../inner"), 0);
	assert_int_equal(tc_resolve(*state, "sub/link_up"), 0);
}

/* Verifies: ".." that leaves the root is an access violation, however it
 * is spelt. */
static void
resolve_dotdot_escape(void **state)
{
	char name[PATH_MAX];

	assert_int_equal(tc_resolve(*state, "../secret"), -EACCES);
	assert_int_equal(tc_resolve(*state, "sub/../../secret"), -EACCES);
	assert_int_equal(tc_resolve(*state, "/../secret"), -EACCES);
	assert_int_equal(tc_resolve(*state, "../root/file"), -EACCES);
	tc_path(name, sizeof(name), tc_root, "../secret");
	assert_int_equal(tc_resolve(*state, name), -EACCES);
}

/* Verifies: an absolute path outside the root is looked up beneath the
 * root, so the file outside is not found rather than served. */
static void
resolve_absolute_outside(void **state)
{
	char name[PATH_MAX];

	tc_path(name, sizeof(name), tc_outer, "secret");
	assert_int_equal(tc_resolve(*state, name), -ENOENT);
	assert_int_equal(tc_resolve(*state, "/etc/passwd"), -ENOENT);
}

/* Verifies: a relative symlink to a file inside the root is served, with
 * the target's bytes. */
static void
resolve_symlink_inside(void **state)
{
	struct stat st;
	char buf[16];
	int fd;

	fd = dpt_cache_resolve(*state, "link_in", &st);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, "inner\n", 6);
	close(fd);
}

/* Verifies: symlinks out of the root are refused, absolute or relative,
 * and so is an absolute link even to a file inside (RESOLVE_BENEATH). */
static void
resolve_symlink_outside(void **state)
{
	assert_int_equal(tc_resolve(*state, "link_out_abs"), -EACCES);
	assert_int_equal(tc_resolve(*state, "link_out_rel"), -EACCES);
	assert_int_equal(tc_resolve(*state, "sub/link_out_rel"), -EACCES);
	assert_int_equal(tc_resolve(*state, "link_in_abs"), -EACCES);
	assert_int_equal(tc_resolve(*state, "loop"), -EACCES);
}

/* Verifies: a symlink to /dev/null does not serve the device. */
static void
resolve_device_refused(void **state)
{
	assert_int_equal(tc_resolve(*state, "devnull"), -EACCES);
}

/* Verifies: a FIFO is refused and opening it does not wait for a writer
 * (the alarm kills the test if it blocks). */
static void
resolve_fifo_refused(void **state)
{
	alarm(10);
	assert_int_equal(tc_resolve(*state, "fifo"), -EACCES);
	alarm(0);
}

/* Verifies: a UNIX socket in the root is refused. */
static void
resolve_socket_refused(void **state)
{
	assert_int_equal(tc_resolve(*state, "sock"), -EACCES);
}

/* Verifies: directories, the root included, are not served. */
static void
resolve_directory_refused(void **state)
{
	assert_int_equal(tc_resolve(*state, "sub"), -EACCES);
	assert_int_equal(tc_resolve(*state, "sub/"), -EACCES);
	assert_int_equal(tc_resolve(*state, "."), -EACCES);
	assert_int_equal(tc_resolve(*state, "sub/.."), -EACCES);
}

/* Verifies: an empty name, or one that is only the root, is not found. */
static void
resolve_empty_name(void **state)
{
	char name[PATH_MAX];

	assert_int_equal(tc_resolve(*state, ""), -ENOENT);
	assert_int_equal(tc_resolve(*state, "/"), -ENOENT);
	assert_int_equal(tc_resolve(*state, "//"), -ENOENT);
	tc_path(name, sizeof(name), tc_root, "");
	assert_int_equal(tc_resolve(*state, name), -ENOENT);
}

/* Verifies: missing files, and a file used as a directory, are not found;
 * so is a name longer than any path. */
static void
resolve_missing(void **state)
{
	char name[PATH_MAX + 16];

	assert_int_equal(tc_resolve(*state, "nope"), -ENOENT);
	assert_int_equal(tc_resolve(*state, "sub/nope"), -ENOENT);
	assert_int_equal(tc_resolve(*state, "file/"), -ENOENT);
	assert_int_equal(tc_resolve(*state, "file/x"), -ENOENT);
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(tc_resolve(*state, name), -ENOENT);
}

/* Verifies: without openat2 (old kernels, seccomp) the walk serves and
 * refuses the same names, except that it follows no symlink at all. */
static void
resolve_without_openat2(void **state)
{
	struct dpt_cache *c = *state;
	char name[PATH_MAX];
	const struct {
		const char *name;
		int want;
	} cases[] = {
		{ "file", 0 }, { "//file", 0 }, { "sub/inner", 0 },
		{ "sub/../file", 0 }, { "sub/deeper/../inner", 0 },
		{ "sub/deeper/../../file", 0 },
		{ "../secret", -EACCES }, { "sub/../../secret", -EACCES },
		{ "sub/deeper/../../../secret", -EACCES },
		{ "link_in", -EACCES }, { "sub/link_up", -EACCES },
		{ "link_out_abs", -EACCES }, { "link_out_rel", -EACCES },
		{ "sub/link_out_rel", -EACCES }, { "devnull", -EACCES },
		{ "loop", -EACCES }, { "fifo", -EACCES }, { "sock", -EACCES },
		{ "sub", -EACCES }, { "sub/", -EACCES }, { ".", -EACCES },
		{ "sub/..", -EACCES }, { "", -ENOENT }, { "nope", -ENOENT },
		{ "file/", -ENOENT }, { "file/x", -ENOENT },
		{ "sub/nope/../inner", -ENOENT },
		{ "link_in/x", -EACCES },
	};
	unsigned int i;

	c->use_openat2 = false;
	alarm(10);
	for (i = 0; i < RTE_DIM(cases); i++)
		if (tc_resolve(c, cases[i].name) != cases[i].want)
			fail_msg("%s: got %d, want %d", cases[i].name,
				 tc_resolve(c, cases[i].name), cases[i].want);
	alarm(0);
	tc_path(name, sizeof(name), tc_root, "file");
	assert_int_equal(tc_resolve(c, name), 0);
}

/* Verifies: a failed resolution through dpt_cache_open leaves no entry and
 * counts neither a hit nor a miss. */
static void
open_refused_leaves_nothing(void **state)
{
	struct dpt_cache_entry *e = NULL;
	struct dpt_cache_stats st;

	assert_int_equal(dpt_cache_open(*state, "../secret", &e), -EACCES);
	assert_int_equal(dpt_cache_open(*state, "nope", &e), -ENOENT);
	assert_int_equal(dpt_cache_open(*state, "sub", &e), -EACCES);
	assert_null(e);
	st = tc_stats(*state);
	assert_int_equal(st.hits, 0);
	assert_int_equal(st.misses, 0);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.loads_in_progress, 0);
}

/* Verifies: dpt_cache_create refuses a missing root, a file as root and a
 * zero budget, with errno saying which. */
static void
create_errors(void **state)
{
	char p[PATH_MAX];

	tc_path(p, sizeof(p), tc_outer, "missing");
	errno = 0;
	assert_null(dpt_cache_create(p, BUDGET));
	assert_int_equal(errno, ENOENT);
	tc_path(p, sizeof(p), tc_outer, "secret");
	errno = 0;
	assert_null(dpt_cache_create(p, BUDGET));
	assert_int_equal(errno, ENOTDIR);
	errno = 0;
	assert_null(dpt_cache_create(tc_root, 0));
	assert_int_equal(errno, EINVAL);
}

const struct CMUnitTest tc_resolve_tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tc_setup, tc_teardown)
	T(resolve_plain_file),
	T(resolve_leading_slashes),
	T(resolve_root_prefix),
	T(resolve_root_prefix_needs_boundary),
	T(resolve_dotdot_inside),
	T(resolve_dotdot_escape),
	T(resolve_absolute_outside),
	T(resolve_symlink_inside),
	T(resolve_symlink_outside),
	T(resolve_device_refused),
	T(resolve_fifo_refused),
	T(resolve_socket_refused),
	T(resolve_directory_refused),
	T(resolve_empty_name),
	T(resolve_missing),
	T(resolve_without_openat2),
	T(open_refused_leaves_nothing),
	cmocka_unit_test(create_errors),
#undef T
};
const size_t tc_resolve_count = RTE_DIM(tc_resolve_tests);
