/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Where commands come from and go: command files (`load`,
 * --cmdline-file), completion, the console socket, and the snapshots the
 * telemetry threads get from the main loop.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "console_internal.h"	/* the snapshot handshake */
#include "test_console.h"

#define HAS(out, s) do { \
	if (strstr((out), (s)) == NULL) \
		fail_msg("output lacks '%s' in:\n%s", (s), (out)); \
} while (0)

/* Verifies: `load` runs a file's lines in order, each shown after the
 * prompt, skips comments, says which line failed and goes on. */
static void
load_runs_file(void **state)
{
	struct tc *t = *state;
	char line[200];
	const char *path = tc_file(t, "cmds", "# set things up\n"
				   "set balance client-hash\n"
				   "show nothing\n"
				   "frobnicate\n"
				   "set retries 7");	/* no final newline */

	snprintf(line, sizeof(line), "load %s", path);
	tc_run(t, line, NULL);
	HAS(t->out, "dptftp> set balance client-hash\nbalance: client-hash\n");
	snprintf(line, sizeof(line), "Error: %s:3: Bad arguments\n", path);
	HAS(t->out, line);
	snprintf(line, sizeof(line), "Error: %s:4: Command not found\n", path);
	HAS(t->out, line);
	HAS(t->out, "retries: 7\n");
	assert_int_equal(t->dp.balance, DPT_BALANCE_CLIENT_HASH);
	assert_int_equal(t->dp.tftp.retries, 7);
}

/* Verifies: a file that loads itself stops at the depth limit with an
 * error instead of recursing forever; a missing file is an error line;
 * quit in a file stops the rest of it. */
static void
load_limits(void **state)
{
	struct tc *t = *state;
	char line[300];
	const char *path;

	snprintf(line, sizeof(line), "set retries 6\nload %s/loop\n", t->dir);
	path = tc_file(t, "loop", line);
	snprintf(line, sizeof(line), "load %s", path);
	tc_run(t, line, NULL);
	HAS(t->out, "files load each other more than 4 deep");

	snprintf(line, sizeof(line), "load %s/absent", t->dir);
	HAS(tc_run(t, line, NULL), "/absent: No such file or directory\n");

	path = tc_file(t, "quits", "quit\nset retries 2\n");
	snprintf(line, sizeof(line), "load %s", path);
	tc_run(t, line, NULL);
	assert_true(dpt_console_quit_requested(t->con));
	assert_int_equal(t->dp.tftp.retries, 6);
}

/* Verifies: dpt_console_run_file (--cmdline-file) returns how many lines
 * failed, -1 for a file it cannot read, and writes to the fd given. */
static void
run_file_counts(void **state)
{
	struct tc *t = *state;
	const char *path = tc_file(t, "start", "set timeout 2s\nbogus\n"
				   "set timeout x\n");
	char out[128];
	FILE *f;
	int fd;

	snprintf(out, sizeof(out), "%s/start.out", t->dir);
	f = fopen(out, "w+");
	assert_non_null(f);
	fd = dup(fileno(f));
	assert_int_equal(dpt_console_run_file(t->con, path, fd), 1);
	close(fd);
	assert_int_equal(t->dp.tftp.timeout_us, 2000000);
	assert_int_equal(dpt_console_run_file(t->con, "/nonexistent/x",
					      fileno(f)), -1);
	assert_int_equal(errno, ENOENT);
	fclose(f);
}

/* The choices listed for buf ("?"), joined by '|'. */
static void
choices(struct tc *t, const char *buf, char *out, size_t len)
{
	char dst[256];
	int state = -1, rc;
	size_t off = 0;

	out[0] = '\0';
	while ((rc = cmdline_complete(t->cl, buf, &state, dst,
				      sizeof(dst))) == 1 && off < len) {
		dst[strcspn(dst, " ")] = '\0';
		off += (size_t)snprintf(out + off, len - off, "%s|", dst);
	}
}

/* Verifies: set balance completes from the strategy table; so do the
 * settings of `set` and help's groups; a unique prefix completes. */
static void
completion(void **state)
{
	struct tc *t = *state;
	char got[512], dst[64];
	int st = 0, rc;

	choices(t, "set balance ", got, sizeof(got));
	HAS(got, "round-robin|");
	HAS(got, "client-hash|");
	HAS(got, "least-loaded|");
	choices(t, "set ", got, sizeof(got));
	HAS(got, "blksize-max|");
	HAS(got, "max-sessions|");
	HAS(got, "log-level|");
	choices(t, "help ", got, sizeof(got));
	HAS(got, "session|");
	rc = cmdline_complete(t->cl, "set balance le", &st, dst, sizeof(dst));
	assert_int_equal(rc, 2);
	assert_memory_equal(dst, "ast-loaded", 10);
}

static int
connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Polls the console until fd has output ending with the prompt. */
static void
read_reply(struct tc *t, int fd, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < 2000; i++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		dpt_console_poll(t->con);
		if (poll(&p, 1, 1) <= 0)
			continue;
		r = read(fd, buf + n, len - n - 1);
		assert_true(r > 0);
		n += (size_t)r;
		buf[n] = '\0';
		if (n >= 8 && strcmp(buf + n - 8, DPT_CONSOLE_PROMPT) == 0)
			return;
	}
	fail_msg("no prompt in: %s", buf);
}

/* Verifies: the socket serves a prompt per connection (mode 0600), runs
 * what is typed there, closes a connection at its end of input without
 * stopping anything, refuses a second server on a live path, replaces a
 * dead one's file, and removes its own at the end. */
static void
console_socket(void **state)
{
	struct tc *t = *state;
	char path[128], err[256], buf[8192];
	struct stat st;
	int fd, fd2, i;

	snprintf(path, sizeof(path), "%s/sock", t->dir);
	assert_int_equal(dpt_console_listen(t->con, path, err, sizeof(err)),
			 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	fd = connect_to(path);
	fd2 = connect_to(path);
	read_reply(t, fd, buf, sizeof(buf));
	read_reply(t, fd2, buf, sizeof(buf));
	assert_int_equal(write(fd, "show config\n", 12), 12);
	read_reply(t, fd, buf, sizeof(buf));
	HAS(buf, "show config\r\n");		/* the echo */
	HAS(buf, "root: /srv/tftp\n");
	assert_int_equal(write(fd2, "set retries 4\n", 14), 14);
	read_reply(t, fd2, buf, sizeof(buf));
	HAS(buf, "retries: 4\n");
	assert_int_equal(t->con->n_terms, 2);
	close(fd);
	for (i = 0; i < 100 && t->con->n_terms != 1; i++)
		dpt_console_poll(t->con);
	assert_int_equal(t->con->n_terms, 1);
	assert_false(dpt_console_quit_requested(t->con));
	close(fd2);

	/* another console on the same path, while this one lives */
	assert_int_equal(dpt_console_listen(t->con, path, err, sizeof(err)),
			 -1);
	HAS(err, "another server listens there");
}

/* Verifies: a socket file a killed server left (nobody listening) is
 * replaced; destroying the console removes it. */
static void
stale_socket_replaced(void **state)
{
	struct tc *t = *state;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char err[256];
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/stale", t->dir);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);			/* the file stays, nobody listens */
	assert_int_equal(dpt_console_listen(t->con, sa.sun_path, err,
					    sizeof(err)), 0);
	dpt_console_destroy(t->con);
	t->con = NULL;
	assert_int_equal(access(sa.sun_path, F_OK), -1);
}

/* Verifies: a regular file, a directory or a symlink at the socket's path
 * is refused in one line that says so, and left as it was (a mistyped
 * --console-socket must not erase the configuration). */
static void
other_file_left_untouched(void **state)
{
	struct tc *t = *state;
	char path[128], dir[128], link[128], err[256], buf[32];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/dptftp.ini", t->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "[server]\n", 9), 9);
	close(fd);
	assert_int_equal(dpt_console_listen(t->con, path, err, sizeof(err)),
			 -1);
	HAS(err, "a regular file is there, not a socket; left untouched");
	assert_null(strchr(err, '\n'));
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 9);
	close(fd);
	assert_memory_equal(buf, "[server]\n", 9);

	snprintf(dir, sizeof(dir), "%s/adir", t->dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(dpt_console_listen(t->con, dir, err, sizeof(err)),
			 -1);
	HAS(err, "a directory is there");
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(rmdir(dir), 0);

	snprintf(link, sizeof(link), "%s/alink", t->dir);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(dpt_console_listen(t->con, link, err, sizeof(err)),
			 -1);
	HAS(err, "a symlink is there");
	assert_int_equal(lstat(link, &st), 0);
	assert_int_equal(unlink(link), 0);
	assert_int_equal(unlink(path), 0);
}

/* Verifies: the socket is 0600 whatever the umask (0 here), and at the
 * end a file put in its place is not removed. */
static void
socket_mode_and_removal(void **state)
{
	struct tc *t = *state;
	char path[128], err[256];
	struct stat st;
	mode_t old = umask(0);
	int rc, fd;

	snprintf(path, sizeof(path), "%s/sock0", t->dir);
	rc = dpt_console_listen(t->con, path, err, sizeof(err));
	umask(old);
	assert_int_equal(rc, 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(umask(old), old);	/* the umask given back */
	assert_int_equal(unlink(path), 0);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	close(fd);
	dpt_console_destroy(t->con);
	t->con = NULL;
	assert_int_equal(lstat(path, &st), 0);	/* not ours: kept */
	assert_true(S_ISREG(st.st_mode));
	unlink(path);
}

struct reader {
	enum console_snap_kind kind;
	int total;
	unsigned int kept;
	uint64_t first_id;
	struct snap_ports ports;
	bool got;
};

/* A telemetry thread: the snapshot of r->kind, what the case reads. */
static void *
read_snap(void *arg)
{
	struct reader *r = arg;
	const void *snap;
	uint64_t age;

	if (console_tel_lock() == NULL)
		return NULL;
	snap = console_snap_get(r->kind, &age);
	if (snap != NULL && r->kind == SNAP_SESSIONS) {
		const struct snap_sessions *ss = snap;

		r->total = ss->total;
		r->kept = ss->kept;
		r->first_id = ss->s[0].id;
	} else if (snap != NULL) {
		r->ports = *(const struct snap_ports *)snap;
	}
	if (snap != NULL)
		__atomic_store_n(&r->got, true, __ATOMIC_RELEASE);
	console_tel_unlock();
	return NULL;
}

/* r read by a telemetry thread while the main loop polls. */
static void
read_while_polling(struct tc *t, struct reader *r)
{
	pthread_t th;
	int i;

	assert_int_equal(pthread_create(&th, NULL, read_snap, r), 0);
	for (i = 0; i < 2000 && !__atomic_load_n(&r->got, __ATOMIC_ACQUIRE);
	     i++) {
		dpt_console_poll(t->con);
		usleep(1000);
	}
	pthread_join(th, NULL);
	assert_true(r->got);
}

/* Verifies: a telemetry thread asking for sessions gets them as the
 * main loop's next poll dumps them (the main lcore alone asks lib/dp);
 * once the console is gone, readers get nothing instead of freed memory. */
static void
telemetry_snapshot(void **state)
{
	struct tc *t = *state;
	struct reader r = { .kind = SNAP_SESSIONS, .total = -1 };
	unsigned int calls;
	int i;

	t->dp.n_sessions = 3;
	for (i = 0; i < 3; i++)
		t->dp.sessions[i].id = 100 + (uint64_t)i;
	console_tel_attach(t->con);
	calls = t->dp.sessions_calls;
	read_while_polling(t, &r);
	assert_int_equal(r.total, 3);
	assert_int_equal(r.kept, 3);
	assert_int_equal(r.first_id, 100);
	assert_int_equal(t->dp.sessions_calls, calls + 1);
	/* nobody asking: polling costs the dataplane nothing */
	dpt_console_poll(t->con);
	assert_int_equal(t->dp.sessions_calls, calls + 1);

	dpt_console_destroy(t->con);
	t->con = NULL;
	assert_null(console_tel_lock());
}

/* Verifies: /dptftp/ports' backend counters come from the main loop:
 * every port's numeric stats() lines, since the last clear, in order,
 * with the port they belong to; a line that is not a number is left
 * out. */
static void
telemetry_port_snapshot(void **state)
{
	struct tc *t = *state;
	struct reader r = { .kind = SNAP_PORTS };

	t->ports[0].drops = 5;
	t->ports[1].drops = 9;
	t->ports[1].drops_base = 2;
	console_tel_attach(t->con);
	read_while_polling(t, &r);
	assert_int_equal(r.ports.n, 2);
	assert_int_equal(r.ports.l[0].port, 0);
	assert_string_equal(r.ports.l[0].key, "Fake-drops");
	assert_int_equal(r.ports.l[0].value, 5);
	assert_int_equal(r.ports.l[1].port, 1);
	assert_string_equal(r.ports.l[1].key, "Fake-drops");
	assert_int_equal(r.ports.l[1].value, 7);
}

const struct CMUnitTest tc_io_tests[] = {
	TC_TEST(load_runs_file),
	TC_TEST(load_limits),
	TC_TEST(run_file_counts),
	TC_TEST(completion),
	TC_TEST(console_socket),
	TC_TEST(stale_socket_replaced),
	TC_TEST(other_file_left_untouched),
	TC_TEST(socket_mode_and_removal),
	TC_TEST(telemetry_snapshot),
	TC_TEST(telemetry_port_snapshot),
};
const size_t tc_n_io_tests = RTE_DIM(tc_io_tests);
