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
#include <sys/wait.h>

#include <rte_common.h>

#include "test_cache.h"

/* Fails unless name resolves to a regular file of the 6 bytes want,
 * which its fd reads. */
static void
resolve_reads(const struct dpt_cache *c, const char *name, const char *want)
{
	struct stat st;
	char buf[16];
	int fd;

	fd = dpt_cache_resolve(c, name, &st);
	assert_true(fd >= 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 6);
	assert_int_equal(read(fd, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, want, 6);
	close(fd);
}

/* Verifies: a plain name is served, *st describes it, and the fd reads the
 * file's bytes. */
static void
resolve_plain_file(void **state)
{
	resolve_reads(*state, "file", "hello\n");
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
	resolve_reads(*state, "link_in", "inner\n");
}

/* Verifies: absolute symlinks start again at the root, as in a chroot:
 * one meant inside is served with the target's bytes, also through a
 * folder link and with ".." after it; ".." in a target stops at the root. */
static void
resolve_symlink_absolute_inside(void **state)
{
	resolve_reads(*state, "link_abs_in", "hello\n");
	assert_int_equal(tc_resolve(*state, "sub/link_abs_deep"), 0);
	assert_int_equal(tc_resolve(*state, "link_abs_dir/inner"), 0);
	assert_int_equal(tc_resolve(*state, "link_abs_dir/../file"), 0);
	assert_int_equal(tc_resolve(*state, "link_abs_up"), 0);
}

/* Verifies: symlinks never lead out of the root: an absolute one to a
 * file outside is looked up inside (not found), a relative one that
 * climbs stops at the root (not found), a loop is refused. */
static void
resolve_symlink_outside(void **state)
{
	assert_int_equal(tc_resolve(*state, "link_out_abs"), -ENOENT);
	assert_int_equal(tc_resolve(*state, "link_out_rel"), -ENOENT);
	assert_int_equal(tc_resolve(*state, "sub/link_out_rel"), -ENOENT);
	assert_int_equal(tc_resolve(*state, "link_in_abs"), -ENOENT);
	assert_int_equal(tc_resolve(*state, "devnull"), -ENOENT);
	assert_int_equal(tc_resolve(*state, "loop"), -EACCES);
}

/* Verifies: a device node in the root is refused (where the test may
 * make one). */
static void
resolve_device_refused(void **state)
{
	char p[PATH_MAX];
	struct stat st;

	tc_path(p, sizeof(p), tc_root, "devnode");
	if (lstat(p, &st) < 0)
		skip();		/* not root: no mknod */
	assert_int_equal(tc_resolve(*state, "devnode"), -EACCES);
}

/* Verifies: a file without the world-read bit is refused (tftpd-hpa's
 * rule) until serve_private allows it; the bound on descriptors reads
 * back from the stats. */
static void
resolve_private_file(void **state)
{
	struct dpt_cache *c = *state;

	assert_int_equal(tc_resolve(c, "private"), -EACCES);
	dpt_cache_set_files(c, true, 10);
	assert_int_equal(tc_resolve(c, "private"), 0);
	assert_int_equal(tc_stats(c).files_max, 10);
	dpt_cache_set_files(c, false, 0);
	assert_int_equal(tc_resolve(c, "private"), -EACCES);
	assert_int_equal(tc_stats(c).files_max, 256);
}

/* Verifies: a FIFO is refused without being opened: a writer blocked in
 * open() until some reader comes is still blocked after the lookup (and
 * the alarm kills the test if the lookup blocks). */
static void
resolve_fifo_refused(void **state)
{
	char p[PATH_MAX];
	pid_t pid;
	int fd, status;

	tc_path(p, sizeof(p), tc_root, "fifo");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(open(p, O_WRONLY) >= 0 ? 0 : 1);
	usleep(100000);		/* the writer is in open() */
	alarm(10);
	assert_int_equal(tc_resolve(*state, "fifo"), -EACCES);
	alarm(0);
	usleep(100000);		/* a reader would have let it through */
	assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
	fd = open(p, O_RDONLY | O_NONBLOCK);	/* now let it go */
	assert_true(fd >= 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(fd);
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

/* Every name and its fate, with openat2 and with the walk alike. */
static const struct {
	const char *name;
	int want;
} names[] = {
	{ "file", 0 }, { "//file", 0 }, { "sub/inner", 0 },
	{ "sub/../file", 0 }, { "sub/deeper/../inner", 0 },
	{ "sub/deeper/../../file", 0 }, { "./file", 0 }, { "sub/./inner", 0 },
	{ "link_in", 0 }, { "sub/link_up", 0 }, { "link_abs_in", 0 },
	{ "sub/link_abs_deep", 0 }, { "link_abs_dir/inner", 0 },
	{ "link_abs_dir/../file", 0 }, { "link_abs_up", 0 },
	{ "../secret", -EACCES }, { "sub/../../secret", -EACCES },
	{ "sub/deeper/../../../secret", -EACCES },
	{ "link_out_abs", -ENOENT }, { "link_out_rel", -ENOENT },
	{ "sub/link_out_rel", -ENOENT }, { "link_in_abs", -ENOENT },
	{ "devnull", -ENOENT }, { "private", -EACCES },
	{ "loop", -EACCES }, { "fifo", -EACCES }, { "sock", -EACCES },
	{ "sub", -EACCES }, { "sub/", -EACCES }, { ".", -EACCES },
	{ "sub/..", -EACCES }, { "link_abs_dir", -EACCES },
	{ "link_abs_dir/", -EACCES }, { "", -ENOENT }, { "nope", -ENOENT },
	{ "file/", -ENOENT }, { "file/x", -ENOENT },
	{ "sub/nope/../inner", -ENOENT }, { "link_in/x", -ENOENT },
};

static void
resolve_names(struct dpt_cache *c)
{
	unsigned int i;

	alarm(10);
	for (i = 0; i < RTE_DIM(names); i++)
		if (tc_resolve(c, names[i].name) != names[i].want)
			fail_msg("%s (%s): got %d, want %d", names[i].name,
				 c->use_openat2 ? "openat2" : "walk",
				 tc_resolve(c, names[i].name), names[i].want);
	alarm(0);
}

/* Verifies: each name of the table is served or refused as it says. */
static void
resolve_table(void **state)
{
	resolve_names(*state);
}

/* Verifies: without openat2 (old kernels, seccomp) the walk serves and
 * refuses the very same names, absolute symlinks inside the root
 * included. */
static void
resolve_without_openat2(void **state)
{
	struct dpt_cache *c = *state;
	char name[PATH_MAX];

	c->use_openat2 = false;
	resolve_names(c);
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
	T(resolve_symlink_absolute_inside),
	T(resolve_symlink_outside),
	T(resolve_device_refused),
	T(resolve_private_file),
	T(resolve_fifo_refused),
	T(resolve_socket_refused),
	T(resolve_directory_refused),
	T(resolve_empty_name),
	T(resolve_missing),
	T(resolve_table),
	T(resolve_without_openat2),
	T(open_refused_leaves_nothing),
	cmocka_unit_test(create_errors),
#undef T
};
const size_t tc_resolve_count = RTE_DIM(tc_resolve_tests);
