/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/conf: what a user types (command line, INI file) and what comes back
 * (the configuration, one-line errors, --help, the `Key: value` dump).
 * No EAL: the library needs only rte_cfgfile.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "dpt_conf.h"
#include "conf_internal.h"	/* the option table, to check --help covers it */

#define MAX_FILES 8

struct fx {
	struct dpt_conf c;
	char err[DPT_CONF_ERR_MAX];
	char dir[64];			/* an existing directory, for --root */
	char files[MAX_FILES][64];	/* temporary INI files */
	int n_files;
};

static int
setup(void **state)
{
	struct fx *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return -1;
	dpt_conf_defaults(&t->c);
	snprintf(t->dir, sizeof(t->dir), "/tmp/dpt-conf-root-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *t = *state;
	int i;

	for (i = 0; i < t->n_files; i++)
		unlink(t->files[i]);
	rmdir(t->dir);
	free(t);
	return 0;
}

/* Writes text to a new temporary file; returns its path. */
static char *
write_ini(struct fx *t, const char *text)
{
	char *path;
	size_t n = strlen(text);
	int fd;

	assert_true(t->n_files < MAX_FILES);
	path = t->files[t->n_files++];
	snprintf(path, sizeof(t->files[0]), "/tmp/dpt-conf-ini-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

static int
parse_v(struct fx *t, char **argv)
{
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	t->err[0] = '\0';
	return dpt_conf_parse(&t->c, argc, argv, t->err, sizeof(t->err));
}

/* argv[0] is the program name, as main() gets it */
#define PARSE(t, ...) parse_v((t), (char *[]){ "dptftpd", __VA_ARGS__, NULL })

/* The error is one line, non-empty, and says what it should. */
static void
check_err(const char *err, const char *want)
{
	if (strchr(err, '\n') != NULL || err[0] == '\0' ||
	    strstr(err, want) == NULL)
		fail_msg("error '%s' does not say '%s' on one line", err, want);
}

static void
expect_parse_err(struct fx *t, char **argv, const char *want)
{
	struct dpt_conf before = t->c;

	if (parse_v(t, argv) == 0)
		fail_msg("%s %s accepted; expected '%s'", argv[1],
			 argv[2] != NULL ? argv[2] : "", want);
	check_err(t->err, want);
	/* a refused command line changes nothing */
	assert_memory_equal(&before, &t->c, sizeof(before));
}

#define PARSE_ERR(t, want, ...) \
	expect_parse_err((t), (char *[]){ "dptftpd", __VA_ARGS__, NULL }, \
			 (want))

#define PARSE_OK(t, ...) do { \
	if (PARSE((t), __VA_ARGS__) != 0) \
		fail_msg("refused: %s", (t)->err); \
} while (0)

static char *
dump_str(const struct dpt_conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	dpt_conf_dump(c, f);
	fclose(f);
	return buf;
}

/* Verifies: every default is the documented one, and root has none. */
static void
defaults(void **state)
{
	struct fx *t = *state;
	const struct dpt_conf *c = &t->c;
	char buf[64];

	assert_string_equal(c->root, "");
	assert_int_equal(c->listen.family, AF_INET);
	assert_string_equal(dpt_conf_addr_str(&c->listen, buf, sizeof(buf)),
			    "0.0.0.0:69");
	assert_int_equal(c->port_lo, 49152);
	assert_int_equal(c->port_hi, 65535);
	assert_int_equal(c->max_sessions, 4096);
	assert_int_equal(c->backend, DPT_BACKEND_SOCKET);
	assert_int_equal(c->n_ifaces, 0);
	assert_int_equal(c->blksize_max, 0);
	assert_int_equal(c->windowsize_max, 64);
	assert_int_equal(c->timeout_us, 1000000);
	assert_int_equal(c->retries, 5);
	assert_int_equal(c->workers, 0);
	assert_int_equal(c->balance, DPT_BALANCE_ROUND_ROBIN);
	assert_int_equal(c->worker_ring, 256);
	assert_int_equal(c->tx_ring, 1024);
	assert_int_equal(c->idle_sleep_max_us, 500);
	assert_int_equal(c->idle_spins, 64);
	assert_int_equal(c->cache_size, 512ULL << 20);
	assert_int_equal(c->max_open_files, 256);
	assert_string_equal(c->user, "");
	assert_int_equal(c->serve_private, 0);
	assert_int_equal(c->upload_mode, 0644);
	assert_int_equal(c->stats_period_s, 0);
	assert_string_equal(c->log_level, "notice");
	assert_string_equal(c->config_file, "");
	assert_false(c->help);
	assert_false(c->version);
}

/* Verifies: the defaults fail validation only for want of --root, and
 * pass with one. */
static void
validate_needs_root(void **state)
{
	struct fx *t = *state;

	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	assert_string_equal(t->err, "--root is required");
	PARSE_OK(t, "--root", t->dir);
	assert_string_equal(t->c.root, t->dir);
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), 0);
}

/* Verifies: a root that is a file or missing is refused by name. */
static void
validate_root_not_dir(void **state)
{
	struct fx *t = *state;
	char *file = write_ini(t, "not a directory\n");
	char missing[128];

	PARSE_OK(t, "--root", file);
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	check_err(t->err, "is not a directory");
	check_err(t->err, "--root:");

	snprintf(missing, sizeof(missing), "%s/nope", t->dir);
	PARSE_OK(t, "--root", missing);
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	check_err(t->err, "No such file or directory");
	PARSE_ERR(t, "--root: empty value", "--root", "");
}

/* Verifies: numbers are decimal digits only; signs, spaces, hex, empty
 * strings and fractions are refused. */
static void
numbers_digits_only(void **state)
{
	static const char *const bad[] = {
		"", "abc", "-1", "+1", " 1", "1 ", "0x10", "1.0", "1e3", "12a",
	};
	struct fx *t = *state;
	uint64_t v = 77;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(dpt_conf_parse_uint(bad[i], 0, 100, &v,
						     t->err, sizeof(t->err)), -1);
		check_err(t->err, "is not a number");
		assert_int_equal(v, 77);
	}
	assert_int_equal(dpt_conf_parse_uint("042", 0, 100, &v, t->err,
					     sizeof(t->err)), 0);
	assert_int_equal(v, 42);
	PARSE_ERR(t, "--workers: 'abc' is not a number", "--workers", "abc");
	PARSE_ERR(t, "--workers: '-1' is not a number", "--workers", "-1");
}

/* Verifies: overflow is caught, never wrapped: 2^64-1 fits, 2^64 and
 * 23 digits do not. */
static void
numbers_overflow(void **state)
{
	struct fx *t = *state;
	uint64_t v;

	assert_int_equal(dpt_conf_parse_uint("18446744073709551615", 0,
					     UINT64_MAX, &v, t->err,
					     sizeof(t->err)), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(dpt_conf_parse_uint("18446744073709551616", 0,
					     UINT64_MAX, &v, t->err,
					     sizeof(t->err)), -1);
	check_err(t->err, "out of range");
	PARSE_ERR(t, "--max-sessions: '99999999999999999999999' is out of "
		  "range (1..1000000)", "--max-sessions",
		  "99999999999999999999999");
	/* 2^32 + 5 must not wrap to 5 in a 32-bit field */
	PARSE_ERR(t, "out of range", "--idle-spins", "4294967301");
	PARSE_ERR(t, "out of range", "--retries", "261");
	PARSE_ERR(t, "out of range", "--timeout", "99999999999999999999s");
	PARSE_ERR(t, "out of range", "--cache-size", "16777216T");
}

struct bound {
	char *opt, *val;
	int ok;
	size_t off, width;
	uint64_t want;
};

#define B(o, v, ok, f, w) { o, v, ok, offsetof(struct dpt_conf, f), \
	sizeof(((struct dpt_conf *)0)->f), w }

static uint64_t
field(const struct dpt_conf *c, const struct bound *b)
{
	const char *p = (const char *)c + b->off;

	switch (b->width) {
	case 1: return *(const uint8_t *)p;
	case 2: return *(const uint16_t *)p;
	case 4: return *(const uint32_t *)p;
	default: return *(const uint64_t *)p;
	}
}

static void
run_bounds(struct fx *t, const struct bound *b, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		int rc = PARSE(t, b[i].opt, b[i].val);

		if (b[i].ok && rc != 0)
			fail_msg("%s %s refused: %s", b[i].opt, b[i].val,
				 t->err);
		if (!b[i].ok && rc == 0)
			fail_msg("%s %s accepted", b[i].opt, b[i].val);
		if (b[i].ok && field(&t->c, &b[i]) != b[i].want)
			fail_msg("%s %s gave %ju", b[i].opt, b[i].val,
				 (uintmax_t)field(&t->c, &b[i]));
		if (!b[i].ok) {
			check_err(t->err, b[i].opt);
			check_err(t->err, b[i].val);
		}
	}
}

/* Verifies: each numeric option at its bounds and one step past them. */
static void
numeric_option_bounds(void **state)
{
	static const struct bound b[] = {
		B("--max-sessions", "1", 1, max_sessions, 1),
		B("--max-sessions", "1000000", 1, max_sessions, 1000000),
		B("--max-sessions", "0", 0, max_sessions, 0),
		B("--max-sessions", "1000001", 0, max_sessions, 0),
		B("--windowsize-max", "1", 1, windowsize_max, 1),
		B("--windowsize-max", "65535", 1, windowsize_max, 65535),
		B("--windowsize-max", "0", 0, windowsize_max, 0),
		B("--windowsize-max", "65536", 0, windowsize_max, 0),
		B("--retries", "1", 1, retries, 1),
		B("--retries", "255", 1, retries, 255),
		B("--retries", "0", 0, retries, 0),
		B("--retries", "256", 0, retries, 0),
		B("--workers", "0", 1, workers, 0),
		B("--workers", "64", 1, workers, 64),
		B("--workers", "65", 0, workers, 0),
		B("--idle-spins", "0", 1, idle_spins, 0),
		B("--idle-spins", "1000000", 1, idle_spins, 1000000),
		B("--idle-spins", "1000001", 0, idle_spins, 0),
		B("--stats-period", "86400", 1, stats_period_s, 86400),
		B("--stats-period", "0", 1, stats_period_s, 0),
		B("--stats-period", "86401", 0, stats_period_s, 0),
	};
	struct fx *t = *state;

	run_bounds(t, b, sizeof(b) / sizeof(b[0]));
}

/* Verifies: blksize-max is 0 (path MTU - 32) or 8..65464, and the error
 * says so. */
static void
blksize_zero_or_range(void **state)
{
	static const struct bound b[] = {
		B("--blksize-max", "0", 1, blksize_max, 0),
		B("--blksize-max", "8", 1, blksize_max, 8),
		B("--blksize-max", "65464", 1, blksize_max, 65464),
		B("--blksize-max", "7", 0, blksize_max, 0),
		B("--blksize-max", "65465", 0, blksize_max, 0),
	};
	struct fx *t = *state;

	run_bounds(t, b, sizeof(b) / sizeof(b[0]));
	PARSE_ERR(t, "--blksize-max: '1' is out of range (0 or 8..65464)",
		  "--blksize-max", "1");
}

/* Verifies: ring sizes are powers of two in 64..65536. */
static void
rings_power_of_two(void **state)
{
	static const struct bound b[] = {
		B("--worker-ring", "64", 1, worker_ring, 64),
		B("--worker-ring", "65536", 1, worker_ring, 65536),
		B("--worker-ring", "32", 0, worker_ring, 0),
		B("--worker-ring", "131072", 0, worker_ring, 0),
		B("--tx-ring", "2048", 1, tx_ring, 2048),
		B("--tx-ring", "1000", 0, tx_ring, 0),
	};
	struct fx *t = *state;

	run_bounds(t, b, sizeof(b) / sizeof(b[0]));
	PARSE_ERR(t, "--worker-ring: '100' is not a power of two (64..65536)",
		  "--worker-ring", "100");
}

/* Verifies: durations in us, ms, s, bare seconds and fractions. */
static void
durations(void **state)
{
	static const struct {
		const char *s;
		uint64_t us;
	} ok[] = {
		{ "500ms", 500000 }, { "2s", 2000000 }, { "250us", 250 },
		{ "3", 3000000 }, { "0.5", 500000 }, { "1.5ms", 1500 },
		{ "0.000001", 1 }, { "0", 0 }, { "0.250s", 250000 },
		{ "007ms", 7000 }, { "1.500000000", 1500000 },
	};
	static const char *const bad[] = {
		"", "ms", "1m", "1h", "1.", ".5", "-1s", "1 s", "1MS", "s1",
		"1.5.5", "0x10ms",
	};
	struct fx *t = *state;
	unsigned int i;
	uint64_t us;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (dpt_conf_parse_duration_us(ok[i].s, &us, t->err,
					       sizeof(t->err)) != 0)
			fail_msg("'%s' refused: %s", ok[i].s, t->err);
		assert_int_equal(us, ok[i].us);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(dpt_conf_parse_duration_us(bad[i], &us,
					t->err, sizeof(t->err)), -1);
		check_err(t->err, "is not a duration");
	}
	assert_int_equal(dpt_conf_parse_duration_us("1.0000001", &us, t->err,
						    sizeof(t->err)), -1);
	check_err(t->err, "finer than a microsecond");
	assert_int_equal(dpt_conf_parse_duration_us("0.5us", &us, t->err,
						    sizeof(t->err)), -1);
}

/* Verifies: --timeout 10ms..255s and --idle-sleep-max 0..100ms, with the
 * range in the error in the units a user types. */
static void
duration_option_bounds(void **state)
{
	static const struct bound b[] = {
		B("--timeout", "10ms", 1, timeout_us, 10000),
		B("--timeout", "255s", 1, timeout_us, 255000000),
		B("--timeout", "0.5", 1, timeout_us, 500000),
		B("--timeout", "9999us", 0, timeout_us, 0),
		B("--timeout", "256", 0, timeout_us, 0),
		B("--idle-sleep-max", "0", 1, idle_sleep_max_us, 0),
		B("--idle-sleep-max", "100ms", 1, idle_sleep_max_us, 100000),
		B("--idle-sleep-max", "100001us", 0, idle_sleep_max_us, 0),
	};
	struct fx *t = *state;

	run_bounds(t, b, sizeof(b) / sizeof(b[0]));
	PARSE_ERR(t, "--timeout: '9ms' is out of range (10ms..255s)",
		  "--timeout", "9ms");
	PARSE_ERR(t, "--timeout: 'soon' is not a duration", "--timeout",
		  "soon");
}

/* Verifies: sizes with K/M/G/T (powers of 1024) and B/iB, and
 * --cache-size's 1M..1T. */
static void
sizes(void **state)
{
	static const struct {
		const char *s;
		uint64_t b;
	} ok[] = {
		{ "4096", 4096 }, { "64M", 64ULL << 20 }, { "1G", 1ULL << 30 },
		{ "1T", 1ULL << 40 }, { "512MiB", 512ULL << 20 },
		{ "512MB", 512ULL << 20 }, { "4096B", 4096 }, { "1k", 1024 },
		{ "2K", 2048 }, { "0", 0 },
	};
	static const char *const bad[] = {
		"", "1X", "M", "1.5G", "-1", "1iB", "1MiBs", "1 M", "1MM",
		"1P",
	};
	static const struct bound b[] = {
		B("--cache-size", "1M", 1, cache_size, 1ULL << 20),
		B("--cache-size", "1T", 1, cache_size, 1ULL << 40),
		B("--cache-size", "1023K", 0, cache_size, 0),
		B("--cache-size", "1025G", 0, cache_size, 0),
	};
	struct fx *t = *state;
	unsigned int i;
	uint64_t v;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (dpt_conf_parse_size(ok[i].s, &v, t->err,
					sizeof(t->err)) != 0)
			fail_msg("'%s' refused: %s", ok[i].s, t->err);
		assert_true(v == ok[i].b);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (dpt_conf_parse_size(bad[i], &v, t->err,
					sizeof(t->err)) == 0)
			fail_msg("'%s' accepted", bad[i]);
		check_err(t->err, "is not a size");
	}
	assert_int_equal(dpt_conf_parse_size("16777216T", &v, t->err,
					     sizeof(t->err)), -1);
	check_err(t->err, "out of range");
	run_bounds(t, b, sizeof(b) / sizeof(b[0]));
	PARSE_ERR(t, "--cache-size: '1023K' is out of range (1M..1T)",
		  "--cache-size", "1023K");
}

/* Verifies: IPv4 with and without a port; a bare address keeps the
 * port given in *a. */
static void
addresses_v4(void **state)
{
	struct fx *t = *state;
	struct dpt_conf_addr a = { .port = 1234 };
	char buf[64];

	assert_int_equal(dpt_conf_parse_addr("127.0.0.1:6969", &a, t->err,
					     sizeof(t->err)), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.port, 6969);
	assert_int_equal(a.v4.s_addr, htonl(INADDR_LOOPBACK));
	assert_int_equal(dpt_conf_parse_addr("10.0.0.1", &a, t->err,
					     sizeof(t->err)), 0);
	assert_int_equal(a.port, 6969);
	assert_string_equal(dpt_conf_addr_str(&a, buf, sizeof(buf)),
			    "10.0.0.1:6969");
	/* --listen with a bare address means the TFTP port, 69 */
	PARSE_OK(t, "--listen", "127.0.0.1:6969");
	PARSE_OK(t, "--listen", "127.0.0.2");
	assert_string_equal(dpt_conf_addr_str(&t->c.listen, buf, sizeof(buf)),
			    "127.0.0.2:69");
}

/* Verifies: IPv6 bracketed with and without a port, and bare. */
static void
addresses_v6(void **state)
{
	struct fx *t = *state;
	struct dpt_conf_addr a = { .port = 69 };
	struct in6_addr lo = IN6ADDR_LOOPBACK_INIT;
	char buf[64];

	assert_int_equal(dpt_conf_parse_addr("[::]:6969", &a, t->err,
					     sizeof(t->err)), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.port, 6969);
	assert_string_equal(dpt_conf_addr_str(&a, buf, sizeof(buf)),
			    "[::]:6969");
	assert_int_equal(dpt_conf_parse_addr("[::1]", &a, t->err,
					     sizeof(t->err)), 0);
	assert_memory_equal(&a.v6, &lo, sizeof(lo));
	assert_int_equal(a.port, 6969);
	assert_int_equal(dpt_conf_parse_addr("fe80::1", &a, t->err,
					     sizeof(t->err)), 0);
	assert_string_equal(dpt_conf_addr_str(&a, buf, sizeof(buf)),
			    "[fe80::1]:6969");
	PARSE_OK(t, "--listen", "[2001:db8::5]:1069");
	assert_string_equal(dpt_conf_addr_str(&t->c.listen, buf, sizeof(buf)),
			    "[2001:db8::5]:1069");
}

/* Verifies: malformed addresses and ports are refused, *a untouched. */
static void
addresses_bad(void **state)
{
	static const char *const bad[] = {
		"", "localhost", "1.2.3.4:0", "1.2.3.4:65536", "[::1",
		"[::1]x", "[1.2.3.4]:69", "1.2.3.4:abc", "256.1.1.1",
		"1.2.3.4:", "[::1]:", "1.2.3:69", "[::1]:-1", ":69",
	};
	struct fx *t = *state;
	struct dpt_conf_addr a = { .family = AF_INET, .port = 69 };
	struct dpt_conf_addr keep = a;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (dpt_conf_parse_addr(bad[i], &a, t->err,
					sizeof(t->err)) == 0)
			fail_msg("'%s' accepted", bad[i]);
		check_err(t->err, "'");
		assert_memory_equal(&a, &keep, sizeof(a));
	}
	PARSE_ERR(t, "--listen: 'localhost' is not an IPv4 or IPv6 address",
		  "--listen", "localhost");
	PARSE_ERR(t, "--listen: '1.2.3.4:70000' has a bad port", "--listen",
		  "1.2.3.4:70000");
}

/* Verifies: --port-range LO:HI with 1 <= LO <= HI <= 65535. */
static void
port_range(void **state)
{
	static char *bad[] = {
		"2000:1000", "0:10", "1:65536", "abc", "100", "1:2:3", ":5",
		"5:", "-1:5",
	};
	struct fx *t = *state;
	unsigned int i;

	PARSE_OK(t, "--port-range", "1000:2000");
	assert_int_equal(t->c.port_lo, 1000);
	assert_int_equal(t->c.port_hi, 2000);
	PARSE_OK(t, "--port-range", "1:65535");
	PARSE_OK(t, "--port-range", "7000:7000");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		PARSE_ERR(t, "--port-range: '", "--port-range", bad[i]);
}

/* Verifies: backend, balance and log-level take their names only, and
 * the errors list the names that would do. */
static void
names(void **state)
{
	static char *levels[] = {
		"emerg", "alert", "crit", "err", "warning", "notice", "info",
		"debug",
	};
	struct fx *t = *state;
	unsigned int i;

	PARSE_OK(t, "--backend", "ethdev");
	assert_int_equal(t->c.backend, DPT_BACKEND_ETHDEV);
	PARSE_OK(t, "--backend", "socket");
	assert_int_equal(t->c.backend, DPT_BACKEND_SOCKET);
	PARSE_ERR(t, "--backend: unknown backend 'dpdk' (socket, ethdev)",
		  "--backend", "dpdk");

	for (i = 0; i < DPT_BALANCE_COUNT; i++) {
		char n[32];

		snprintf(n, sizeof(n), "%s", dpt_conf_balance_name(i));
		assert_int_equal(dpt_conf_balance_parse(n), (int)i);
		PARSE_OK(t, "--balance", n);
		assert_int_equal(t->c.balance, i);
	}
	assert_string_equal(dpt_conf_balance_name(DPT_BALANCE_CLIENT_HASH),
			    "client-hash");
	assert_int_equal(dpt_conf_balance_parse("fastest"), -1);
	PARSE_ERR(t, "unknown strategy", "--balance", "fastest");
	assert_string_equal(t->err, "--balance: unknown strategy 'fastest' "
			    "(round-robin, client-hash, least-loaded)");

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		PARSE_OK(t, "--log-level", levels[i]);
		assert_string_equal(t->c.log_level, levels[i]);
	}
	PARSE_ERR(t, "--log-level: unknown level 'verbose'", "--log-level",
		  "verbose");
	PARSE_ERR(t, "--log-level: unknown level 'NOTICE'", "--log-level",
		  "NOTICE");
}

/* Verifies: --iface/--ip/--ip6/--vlan/--mtu/--rx-queues build a list in
 * order, each qualifier applying to the last --iface (rx-queues 1 where
 * absent), and --iface picks ethdev. */
static void
ifaces(void **state)
{
	struct fx *t = *state;
	char ip[INET_ADDRSTRLEN], ip6[INET6_ADDRSTRLEN];

	PARSE_OK(t, "--iface", "eth1", "--ip", "192.0.2.10/24", "--vlan",
		 "100", "--mtu", "9000", "--iface", "eth2", "--ip",
		 "198.51.100.1/16", "--ip6", "2001:db8:0:2::10/64",
		 "--rx-queues", "16", "--iface", "eth3", "--ip6", "fd00::1/48",
		 "--rx-queues", "4", "--rx-queues", "2");
	assert_int_equal(t->c.backend, DPT_BACKEND_ETHDEV);
	assert_int_equal(t->c.n_ifaces, 3);
	assert_string_equal(t->c.ifaces[0].name, "eth1");
	inet_ntop(AF_INET, &t->c.ifaces[0].ip, ip, sizeof(ip));
	assert_string_equal(ip, "192.0.2.10");
	assert_int_equal(t->c.ifaces[0].prefix, 24);
	assert_int_equal(t->c.ifaces[0].vlan, 100);
	assert_int_equal(t->c.ifaces[0].mtu, 9000);
	assert_string_equal(t->c.ifaces[1].name, "eth2");
	assert_int_equal(t->c.ifaces[1].prefix, 16);
	assert_int_equal(t->c.ifaces[1].vlan, 0);
	assert_int_equal(t->c.ifaces[1].mtu, 0);
	assert_int_equal(t->c.ifaces[0].rx_queues, 1);
	assert_int_equal(t->c.ifaces[1].rx_queues, 16);
	assert_int_equal(t->c.ifaces[2].rx_queues, 2);	/* the last one */
	assert_int_equal(t->c.ifaces[0].prefix6, 0);
	inet_ntop(AF_INET6, &t->c.ifaces[1].ip6, ip6, sizeof(ip6));
	assert_string_equal(ip6, "2001:db8:0:2::10");
	assert_int_equal(t->c.ifaces[1].prefix6, 64);
	assert_string_equal(t->c.ifaces[2].name, "eth3");
	assert_int_equal(t->c.ifaces[2].prefix, 0);
	inet_ntop(AF_INET6, &t->c.ifaces[2].ip6, ip6, sizeof(ip6));
	assert_string_equal(ip6, "fd00::1");
	assert_int_equal(t->c.ifaces[2].prefix6, 48);
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	check_err(t->err, "--root");	/* the ifaces themselves are fine */

	/* a second parse starts from this one: eight more is too many */
	dpt_conf_defaults(&t->c);
	PARSE_OK(t, "--iface", "a0", "--iface", "a1", "--iface", "a2",
		 "--iface", "a3", "--iface", "a4", "--iface", "a5",
		 "--iface", "a6", "--iface", "a7");
	assert_int_equal(t->c.n_ifaces, DPT_CONF_MAX_IFACES);
	dpt_conf_defaults(&t->c);
	PARSE_ERR(t, "--iface: 'a8' is one interface too many", "--iface",
		  "a0", "--iface", "a1", "--iface", "a2", "--iface", "a3",
		  "--iface", "a4", "--iface", "a5", "--iface", "a6",
		  "--iface", "a7", "--iface", "a8");
}

/* Verifies: --ip, --ip6, --vlan, --mtu, --rx-queues need an --iface
 * before them; bad names, addresses (an IPv6 one that no host may have
 * among them), tags, MTUs and queue counts are refused. */
static void
ifaces_bad(void **state)
{
	struct fx *t = *state;

	PARSE_ERR(t, "--ip: '192.0.2.1/24' needs an iface given before it",
		  "--ip", "192.0.2.1/24", "--iface", "eth1");
	PARSE_ERR(t, "--vlan: '7' needs an iface", "--vlan", "7");
	PARSE_ERR(t, "--mtu: '1500' needs an iface", "--mtu", "1500");
	PARSE_ERR(t, "--iface: 'a/b' is not an interface name", "--iface",
		  "a/b");
	PARSE_ERR(t, "is not an interface name", "--iface", "");
	PARSE_ERR(t, "is not an interface name", "--iface",
		  "name-longer-than-15");
	PARSE_ERR(t, "--iface: 'eth1' is given twice", "--iface", "eth1",
		  "--iface", "eth1");
	PARSE_ERR(t, "--ip: '192.0.2.1' is not A.B.C.D/P", "--iface", "e",
		  "--ip", "192.0.2.1");
	PARSE_ERR(t, "--ip: '192.0.2.1/33'", "--iface", "e", "--ip",
		  "192.0.2.1/33");
	PARSE_ERR(t, "--ip: '192.0.2.1/0'", "--iface", "e", "--ip",
		  "192.0.2.1/0");
	PARSE_ERR(t, "--ip: '::1/64'", "--iface", "e", "--ip", "::1/64");
	PARSE_ERR(t, "--ip6: 'fd00::1/64' needs an iface given before it",
		  "--ip6", "fd00::1/64");
	PARSE_ERR(t, "--ip6: 'fd00::1' is not ADDR/P (a unicast IPv6 "
		  "address and a prefix length 1..128)", "--iface", "e",
		  "--ip6", "fd00::1");
	PARSE_ERR(t, "--ip6: 'fd00::1/129'", "--iface", "e", "--ip6",
		  "fd00::1/129");
	PARSE_ERR(t, "--ip6: 'fd00::1/0'", "--iface", "e", "--ip6",
		  "fd00::1/0");
	PARSE_ERR(t, "--ip6: '192.0.2.1/24'", "--iface", "e", "--ip6",
		  "192.0.2.1/24");
	PARSE_ERR(t, "--ip6: '::/64'", "--iface", "e", "--ip6", "::/64");
	PARSE_ERR(t, "--ip6: '::1/128'", "--iface", "e", "--ip6", "::1/128");
	PARSE_ERR(t, "--ip6: 'ff02::1/64'", "--iface", "e", "--ip6",
		  "ff02::1/64");
	PARSE_ERR(t, "--ip6: '::ffff:192.0.2.1/96'", "--iface", "e", "--ip6",
		  "::ffff:192.0.2.1/96");
	PARSE_ERR(t, "--ip6: 'fd00::1/6x'", "--iface", "e", "--ip6",
		  "fd00::1/6x");
	PARSE_ERR(t, "--vlan: '0' is out of range (1..4094)", "--iface", "e",
		  "--vlan", "0");
	PARSE_ERR(t, "--vlan: '4095'", "--iface", "e", "--vlan", "4095");
	PARSE_ERR(t, "--mtu: '67' is out of range (68..9702)", "--iface",
		  "e", "--mtu", "67");
	PARSE_ERR(t, "--mtu: '9703'", "--iface", "e", "--mtu", "9703");
	PARSE_ERR(t, "--rx-queues: '2' needs an iface given before it",
		  "--rx-queues", "2", "--iface", "e");
	PARSE_ERR(t, "--rx-queues: '0' is out of range (1..16)", "--iface",
		  "e", "--rx-queues", "0");
	PARSE_ERR(t, "--rx-queues: '17' is out of range (1..16)", "--iface",
		  "e", "--rx-queues", "17");
	PARSE_ERR(t, "--rx-queues: 'two' is not a number", "--iface", "e",
		  "--rx-queues", "two");
	PARSE_ERR(t, "--rx-queues: '2x' is not a number", "--iface", "e",
		  "--rx-queues", "2x");
	PARSE_ERR(t, "--rx-queues: '-1'", "--iface", "e", "--rx-queues",
		  "-1");
}

/* Verifies: --xdp and --xdp-busy-poll qualify the last --iface: every
 * mode by name, off by default; a bad mode, a value out of range, either
 * without an --iface, and busy polling without --xdp are refused, each
 * naming the option. */
static void
ifaces_xdp(void **state)
{
	struct fx *t = *state;

	PARSE_OK(t, "--iface", "e0", "--ip", "192.0.2.1/24", "--iface", "e1",
		 "--ip", "192.0.2.2/24", "--xdp", "auto", "--iface", "e2",
		 "--ip", "192.0.2.3/24", "--xdp", "zero-copy",
		 "--xdp-busy-poll", "1024", "--iface", "e3", "--ip",
		 "192.0.2.4/24", "--xdp", "copy", "--xdp", "off", "--root",
		 "/tmp");
	assert_int_equal(t->c.ifaces[0].xdp, DPT_XDP_OFF);
	assert_int_equal(t->c.ifaces[1].xdp, DPT_XDP_AUTO);
	assert_int_equal(t->c.ifaces[2].xdp, DPT_XDP_ZEROCOPY);
	assert_int_equal(t->c.ifaces[2].xdp_busy_poll, 1024);
	assert_int_equal(t->c.ifaces[3].xdp, DPT_XDP_OFF);
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), 0);
	assert_string_equal(dpt_conf_xdp_name(DPT_XDP_ZEROCOPY), "zero-copy");

	dpt_conf_defaults(&t->c);
	PARSE_ERR(t, "--xdp: 'fast' is not an AF_XDP mode (auto, copy, "
		  "zero-copy or off)", "--iface", "e", "--xdp", "fast");
	PARSE_ERR(t, "--xdp: 'auto' needs an iface given before it", "--xdp",
		  "auto");
	PARSE_ERR(t, "--xdp-busy-poll: '0' is out of range (1..1024)",
		  "--iface", "e", "--xdp", "auto", "--xdp-busy-poll", "0");
	PARSE_ERR(t, "--xdp-busy-poll: '1025'", "--iface", "e", "--xdp",
		  "auto", "--xdp-busy-poll", "1025");
	dpt_conf_defaults(&t->c);
	PARSE_OK(t, "--iface", "e", "--ip", "192.0.2.1/24",
		 "--xdp-busy-poll", "8", "--root", "/tmp");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)),
			 -1);
	check_err(t->err, "--iface e: --xdp-busy-poll needs --xdp");
}

/* Verifies: the command line's own errors: unknown, ambiguous, missing
 * value, value to a flag, stray word; and getopt prints none of them. */
static void
command_line_errors(void **state)
{
	struct fx *t = *state;
	char *quiet = write_ini(t, "");
	int fd = open(quiet, O_WRONLY), saved = dup(STDERR_FILENO);
	struct stat st;

	/* whatever is printed, the caller prints err: nothing else */
	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	PARSE_ERR(t, "unknown option '--frobnicate'", "--frobnicate");
	PARSE_ERR(t, "--retries: missing value (N)", "--retries");
	PARSE_ERR(t, "unknown option '-q'", "-q");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	assert_int_equal(stat(quiet, &st), 0);
	assert_int_equal(st.st_size, 0);

	PARSE_ERR(t, "unknown option '--frobnicate'", "--frobnicate");
	PARSE_ERR(t, "unknown option '--frobnicate=1'", "--frobnicate=1");
	PARSE_ERR(t, "unknown option '-x'", "-x");
	PARSE_ERR(t, "unknown option '-x'", "-hx");
	PARSE_ERR(t, "--workers: missing value (N)", "--workers");
	PARSE_ERR(t, "--help: takes no value", "--help=yes");
	PARSE_ERR(t, "unexpected argument 'serve'", "--root", t->dir,
		  "serve");
	PARSE_ERR(t, "unexpected argument 'x'", "--", "x");
	PARSE_ERR(t, "ambiguous option '--idle'", "--idle", "5");
	/* EAL's options are removed before dptftpd's are read */
	PARSE_ERR(t, "unknown option '-l'", "-l", "0-3");
}

/* Verifies: every error is one line that names the option, even when the
 * value holds a newline, and the line fits err. */
static void
errors_single_line(void **state)
{
	struct fx *t = *state;
	char big[600];

	PARSE_ERR(t, "--workers: '1?2' is not a number", "--workers",
		  "1\n2");
	PARSE_ERR(t, "--balance: unknown strategy 'a?b'", "--balance",
		  "a\tb");
	memset(big, '7', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	PARSE_ERR(t, "--workers: '777", "--workers", big);
	check_err(t->err, "out of range (0..64)");
	assert_true(strlen(t->err) < sizeof(t->err) - 1);
}

/* Verifies: --opt=value, -h, -V and a clustered -hV. */
static void
command_line_forms(void **state)
{
	struct fx *t = *state;

	PARSE_OK(t, "--workers=4", "--balance=client-hash");
	assert_int_equal(t->c.workers, 4);
	assert_int_equal(t->c.balance, DPT_BALANCE_CLIENT_HASH);
	PARSE_OK(t, "-h");
	assert_true(t->c.help);
	PARSE_OK(t, "--version");
	assert_true(t->c.version);
	dpt_conf_defaults(&t->c);
	PARSE_OK(t, "-hV");
	assert_true(t->c.help && t->c.version);
	/* an empty command line changes nothing */
	dpt_conf_defaults(&t->c);
	PARSE_OK(t, "--");
	assert_int_equal(dpt_conf_parse(&t->c, 1, (char *[]){ "dptftpd",
					NULL }, t->err, sizeof(t->err)), 0);
}

/* Verifies: parse runs again in one process, also after a refusal in
 * the middle of an option cluster. */
static void
parse_twice(void **state)
{
	struct fx *t = *state;

	char *path = write_ini(t, "[dataplane]\nworkers = 5\n");

	PARSE_OK(t, "--workers", "2", "--retries", "9");
	PARSE_ERR(t, "unknown option '-z'", "-hzV");
	PARSE_OK(t, "--workers", "3");
	assert_int_equal(t->c.workers, 3);
	assert_int_equal(t->c.retries, 9);
	assert_false(t->c.version);
	/* no "V" left over from the cluster: it would skip the file */
	PARSE_ERR(t, "unknown option '-z'", "-hzV");
	PARSE_OK(t, "--config", path);
	assert_int_equal(t->c.workers, 5);
	assert_false(t->c.version);
	PARSE_OK(t, "--tx-ring", "4096");
	assert_int_equal(t->c.tx_ring, 4096);
}

static const char full_ini[] =
	"# dptftpd test configuration\n"
	"; semicolon comments too\n"
	"\n"
	"[server]\n"
	"root = %s\n"
	"  listen=127.0.0.1:6969   \n"
	"port-range = 10000:20000  # trailing comment\n"
	"max-sessions = 100\n"
	"\n"
	"[tftp]\n"
	";retries = 99\n"
	"blksize-max = 1428\n"
	"windowsize-max = 16\n"
	"timeout = 1.5\n"
	"retries = 7\n"
	"[dataplane] ; the lcores\n"
	"workers = 3\n"
	"balance = least-loaded\n"
	"worker-ring = 512\n"
	"tx-ring = 2048\n"
	"idle-sleep-max = 1500us\n"
	"idle-spins = 9\n"
	"[cache]\n"
	"cache-size = 1G\r\n"
	"[log]\n"
	"stats-period = 10\n"
	"log-level = debug\n";

/* Verifies: an INI file with every section, comments of both kinds,
 * blank lines, odd spacing and CRLF sets every key. */
static void
file_sets_everything(void **state)
{
	struct fx *t = *state;
	char text[2048];
	const char *path;
	char buf[64];

	snprintf(text, sizeof(text), full_ini, t->dir);
	path = write_ini(t, text);
	assert_int_equal(dpt_conf_load_file(&t->c, path, t->err,
					    sizeof(t->err)), 0);
	assert_string_equal(t->c.root, t->dir);
	assert_string_equal(dpt_conf_addr_str(&t->c.listen, buf, sizeof(buf)),
			    "127.0.0.1:6969");
	assert_int_equal(t->c.port_lo, 10000);
	assert_int_equal(t->c.port_hi, 20000);
	assert_int_equal(t->c.max_sessions, 100);
	assert_int_equal(t->c.blksize_max, 1428);
	assert_int_equal(t->c.windowsize_max, 16);
	assert_int_equal(t->c.timeout_us, 1500000);
	assert_int_equal(t->c.retries, 7);
	assert_int_equal(t->c.workers, 3);
	assert_int_equal(t->c.balance, DPT_BALANCE_LEAST_LOADED);
	assert_int_equal(t->c.worker_ring, 512);
	assert_int_equal(t->c.tx_ring, 2048);
	assert_int_equal(t->c.idle_sleep_max_us, 1500);
	assert_int_equal(t->c.idle_spins, 9);
	assert_true(t->c.cache_size == 1ULL << 30);
	assert_int_equal(t->c.stats_period_s, 10);
	assert_string_equal(t->c.log_level, "debug");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), 0);
}

/* Verifies: the command line overrides the file wherever --config is
 * placed, and what the command line leaves alone comes from the file. */
static void
command_line_overrides_file(void **state)
{
	struct fx *t = *state;
	char *path = write_ini(t, "[dataplane]\nworkers = 2\n"
				     "[tftp]\nretries = 3\n");

	PARSE_OK(t, "--workers", "4", "--config", path);
	assert_int_equal(t->c.workers, 4);
	assert_int_equal(t->c.retries, 3);
	assert_string_equal(t->c.config_file, path);

	dpt_conf_defaults(&t->c);
	{
		char opt[128];

		snprintf(opt, sizeof(opt), "--config=%s", path);
		PARSE_OK(t, opt, "--retries", "8");
	}
	assert_int_equal(t->c.workers, 2);
	assert_int_equal(t->c.retries, 8);
}

/* Verifies: an unknown key is reported with file, line and section. */
static void
file_unknown_key(void **state)
{
	struct fx *t = *state;
	char *path = write_ini(t, "[tftp]\n# c\nblocksize = 1024\n");
	char want[128];

	assert_int_equal(dpt_conf_load_file(&t->c, path, t->err,
					    sizeof(t->err)), -1);
	snprintf(want, sizeof(want), "%s:3: [tftp] unknown key 'blocksize'",
		 path);
	assert_string_equal(t->err, want);
}

/* Verifies: a key in the wrong section says where it belongs; keys
 * outside any section and command-line-only keys are refused. */
static void
file_wrong_section(void **state)
{
	struct fx *t = *state;
	char *p1 = write_ini(t, "[tftp]\nroot = /srv\n");
	char *p2 = write_ini(t, "workers = 2\n[dataplane]\n");
	char *p3 = write_ini(t, "[server]\nconfig = /etc/x.ini\n");
	char want[128];

	assert_int_equal(dpt_conf_load_file(&t->c, p1, t->err,
					    sizeof(t->err)), -1);
	snprintf(want, sizeof(want), "%s:2: [tftp] 'root' belongs in [server]",
		 p1);
	assert_string_equal(t->err, want);
	assert_int_equal(dpt_conf_load_file(&t->c, p2, t->err,
					    sizeof(t->err)), -1);
	check_err(t->err, ":1: 'workers' is outside any [section] (it belongs "
		  "in [dataplane])");
	assert_int_equal(dpt_conf_load_file(&t->c, p3, t->err,
					    sizeof(t->err)), -1);
	check_err(t->err, ":2: 'config' is for the command line only");
}

/* Verifies: syntax errors carry their line: unknown section, no ']',
 * no '=', empty value, a line too long for rte_cfgfile. */
static void
file_syntax_errors(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "[server]\n[files]\n", ":2: unknown section [files] (server, "
		  "tftp, dataplane, cache, upload, log, console, eal)" },
		{ "\n[server\nroot = /\n", ":2: '[server' is not a [section]" },
		{ "[server]\nroot /srv\n", ":2: 'root /srv' is not 'key = value'" },
		{ "[server]\n= /srv\n", ":2: '= /srv' is not 'key = value'" },
		{ "[tftp]\nretries =\n", ":2: [tftp] 'retries' has no value" },
		{ "[tftp]\nretries = 5 ; five\n", ":2: retries: '5 ; five' is "
		  "not a number" },
		{ "[server] x\n", ":1: '[server] x' is not a [section]" },
	};
	struct fx *t = *state;
	char line[400];
	unsigned int i;
	const char *p;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p = write_ini(t, cases[i].text);
		if (dpt_conf_load_file(&t->c, p, t->err, sizeof(t->err)) == 0)
			fail_msg("'%s' accepted", cases[i].text);
		check_err(t->err, p);
		check_err(t->err, cases[i].want);
		unlink(p);
		t->n_files--;
	}
	/* rte_cfgfile reads lines of 322 characters at most */
	memset(line, 'x', sizeof(line));
	snprintf(line, sizeof(line), "[server]\nroot = /%0330d\n", 0);
	p = write_ini(t, line);
	assert_int_equal(dpt_conf_load_file(&t->c, p, t->err, sizeof(t->err)),
			 -1);
	check_err(t->err, ":2: line too long");
	snprintf(line, sizeof(line), "[server]\nroot = /%0300d\n", 0);
	p = write_ini(t, line);
	assert_int_equal(dpt_conf_load_file(&t->c, p, t->err, sizeof(t->err)),
			 -1);
	check_err(t->err, ":2: [server] 'root' value too long");
}

/* Verifies: a bad value in a file names file, line and key. */
static void
file_bad_value(void **state)
{
	struct fx *t = *state;
	char *path = write_ini(t, "[dataplane]\n\n# comment\n"
				     "workers = abc\n");
	char want[128];

	assert_int_equal(dpt_conf_load_file(&t->c, path, t->err,
					    sizeof(t->err)), -1);
	snprintf(want, sizeof(want), "%s:4: workers: 'abc' is not a number",
		 path);
	assert_string_equal(t->err, want);
	PARSE_ERR(t, want, "--config", path);
}

/* Verifies: a missing file and a directory cannot be read, said with
 * the reason; --config reports the same. */
static void
file_unreadable(void **state)
{
	struct fx *t = *state;
	char missing[128], want[200];

	snprintf(missing, sizeof(missing), "%s/none.ini", t->dir);
	assert_int_equal(dpt_conf_load_file(&t->c, missing, t->err,
					    sizeof(t->err)), -1);
	snprintf(want, sizeof(want),
		 "%s: cannot read: No such file or directory", missing);
	assert_string_equal(t->err, want);
	PARSE_ERR(t, want, "--workers", "2", "--config", missing);
	assert_int_equal(dpt_conf_load_file(&t->c, t->dir, t->err,
					    sizeof(t->err)), -1);
	check_err(t->err, "cannot read: Is a directory");
	/* --help works whatever state the file is in */
	PARSE_OK(t, "--config", missing, "--help");
	assert_true(t->c.help);
	PARSE_ERR(t, "--config: given twice", "--config", missing,
		  "--config", missing);
	PARSE_ERR(t, "--config: empty value", "--config=");
}

/* Verifies: a file refused on its last line changes nothing before it. */
static void
file_failure_changes_nothing(void **state)
{
	struct fx *t = *state;
	char *path = write_ini(t, "[dataplane]\nworkers = 9\n"
				     "tx-ring = 100\n");
	struct dpt_conf before = t->c;

	assert_int_equal(dpt_conf_load_file(&t->c, path, t->err,
					    sizeof(t->err)), -1);
	check_err(t->err, ":3: tx-ring: '100' is not a power of two");
	assert_memory_equal(&before, &t->c, sizeof(before));
}

/* Verifies: ifaces repeat in a file in order, each rx-queues key on the
 * one before it; a --iface on the command line replaces the file's list,
 * a lone --vlan or --rx-queues qualifies its last; a bad rx-queues in a
 * file names the line. */
static void
file_ifaces(void **state)
{
	struct fx *t = *state;
	char *path = write_ini(t, "[server]\niface = eth1\n"
				     "rx-queues = 8\n"
				     "ip = 192.0.2.10/24\niface = eth2\n"
				     "ip = 198.51.100.7/25\nmtu = 1400\n"
				     "ip6 = 2001:db8::7/64\n");

	assert_int_equal(dpt_conf_load_file(&t->c, path, t->err,
					    sizeof(t->err)), 0);
	assert_int_equal(t->c.n_ifaces, 2);
	assert_string_equal(t->c.ifaces[1].name, "eth2");
	assert_int_equal(t->c.ifaces[1].prefix, 25);
	assert_int_equal(t->c.ifaces[1].mtu, 1400);
	assert_int_equal(t->c.ifaces[0].rx_queues, 8);
	assert_int_equal(t->c.ifaces[1].rx_queues, 1);
	assert_int_equal(t->c.ifaces[1].prefix6, 64);
	assert_int_equal(t->c.ifaces[0].prefix6, 0);
	assert_int_equal(t->c.backend, DPT_BACKEND_ETHDEV);

	dpt_conf_defaults(&t->c);
	PARSE_OK(t, "--config", path, "--vlan", "5", "--rx-queues", "3");
	assert_int_equal(t->c.n_ifaces, 2);
	assert_int_equal(t->c.ifaces[1].vlan, 5);
	assert_int_equal(t->c.ifaces[1].rx_queues, 3);
	assert_int_equal(t->c.ifaces[0].rx_queues, 8);
	dpt_conf_defaults(&t->c);
	PARSE_OK(t, "--config", path, "--iface", "eth9", "--ip",
		 "203.0.113.1/24");
	assert_int_equal(t->c.n_ifaces, 1);
	assert_string_equal(t->c.ifaces[0].name, "eth9");
	assert_int_equal(t->c.ifaces[0].rx_queues, 1);

	path = write_ini(t, "[server]\niface = eth1\nrx-queues = 17\n");
	assert_int_equal(dpt_conf_load_file(&t->c, path, t->err,
					    sizeof(t->err)), -1);
	check_err(t->err, ":3: rx-queues: '17' is out of range (1..16)");
	dpt_conf_defaults(&t->c);	/* no iface for it to qualify */
	path = write_ini(t, "[server]\nrx-queues = 2\niface = eth1\n");
	assert_int_equal(dpt_conf_load_file(&t->c, path, t->err,
					    sizeof(t->err)), -1);
	check_err(t->err, ":2: rx-queues: '2' needs an iface given before "
		  "it");
}

/* Verifies: the listen port may not be a session port. */
static void
validate_port_range_holds_listen(void **state)
{
	struct fx *t = *state;

	PARSE_OK(t, "--root", t->dir, "--port-range", "60:5000");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	check_err(t->err, "--port-range: 60:5000 holds the listen port 69");
	PARSE_OK(t, "--port-range", "49152:65535", "--listen",
		 "0.0.0.0:50000");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	check_err(t->err, "holds the listen port 50000");
	PARSE_OK(t, "--listen", "0.0.0.0:49151");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), 0);
}

/* Verifies: the range must hold a port for each session. */
static void
validate_range_smaller_than_sessions(void **state)
{
	struct fx *t = *state;

	PARSE_OK(t, "--root", t->dir, "--port-range", "50000:50009");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	assert_string_equal(t->err, "--port-range: 50000:50009 holds 10 ports, "
			    "fewer than --max-sessions 4096");
	PARSE_OK(t, "--max-sessions", "10");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), 0);
	PARSE_OK(t, "--max-sessions", "11");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
}

/* Verifies: a struct changed by code (the console) is checked too:
 * rings that are not powers of two, out-of-range values, bad enums. */
static void
validate_checks_fields(void **state)
{
	struct fx *t = *state;

	PARSE_OK(t, "--root", t->dir);
	t->c.worker_ring = 100;
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	assert_string_equal(t->err,
			    "--worker-ring: '100' is not a power of two "
			    "(64..65536)");
	t->c.worker_ring = 256;
	t->c.tx_ring = 3000;
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	check_err(t->err, "--tx-ring:");
	t->c.tx_ring = 1024;
	t->c.timeout_us = 5;
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	check_err(t->err, "--timeout: '5us' is out of range (10ms..255s)");
	t->c.timeout_us = 1000000;
	t->c.balance = DPT_BALANCE_COUNT;
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	check_err(t->err, "--balance:");
	t->c.balance = DPT_BALANCE_ROUND_ROBIN;
	strcpy(t->c.log_level, "loud");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	check_err(t->err, "--log-level:");
	strcpy(t->c.log_level, "info");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), 0);
}

/* Verifies: --upload-mode takes read and write bits up to 0666 only: a
 * setuid, setgid, sticky or execute bit is refused naming the option, on
 * the command line, in a file and in a struct changed by code. */
static void
upload_mode_without_exec_bits(void **state)
{
	static char bad[][5] = {
		"4755", "2644", "1666", "0755", "0700", "0777", "0667", "6666",
	};
	struct fx *t = *state;
	char want[128], *path;
	unsigned int i;

	PARSE_OK(t, "--upload-mode", "0666");
	assert_int_equal(t->c.upload_mode, 0666);
	PARSE_OK(t, "--upload-mode", "640");
	assert_int_equal(t->c.upload_mode, 0640);
	PARSE_OK(t, "--upload-mode", "0");
	assert_int_equal(t->c.upload_mode, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(want, sizeof(want), "--upload-mode: '%s' has bits "
			 "beyond 0666", bad[i]);
		PARSE_ERR(t, want, "--upload-mode", bad[i]);
	}
	path = write_ini(t, "[upload]\nupload-mode = 4755\n");
	snprintf(want, sizeof(want), "%s:2: upload-mode: '4755' has bits "
		 "beyond 0666", path);
	PARSE_ERR(t, want, "--config", path);
	PARSE_OK(t, "--root", t->dir);
	t->c.upload_mode = 04755;
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	check_err(t->err, "--upload-mode: 4755 has bits beyond 0666");
}

/* Verifies: --user takes a user name (INI key user in [server]) and
 * validation wants it to exist; --serve-private is yes or no; and
 * --max-open-files is 16..1048576 (INI key in [cache]); each shows in
 * the dump. */
static void
host_options(void **state)
{
	struct fx *t = *state;
	char *path, *dump;

	PARSE_OK(t, "--root", t->dir, "--user", "nobody", "--serve-private",
		 "yes", "--max-open-files", "64");
	assert_string_equal(t->c.user, "nobody");
	assert_int_equal(t->c.serve_private, 1);
	assert_int_equal(t->c.max_open_files, 64);
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), 0);
	dump = dump_str(&t->c);
	assert_non_null(strstr(dump, "user: nobody\n"));
	assert_non_null(strstr(dump, "serve-private: yes\n"));
	assert_non_null(strstr(dump, "max-open-files: 64\n"));
	free(dump);
	PARSE_OK(t, "--user", "root");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), 0);
	PARSE_OK(t, "--user", "no-such-user-here");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	check_err(t->err, "--user: no user 'no-such-user-here' on this host");
	PARSE_ERR(t, "--user: '-x' is not a user name", "--user", "-x");
	PARSE_ERR(t, "--user: 'a b' is not a user name", "--user", "a b");
	PARSE_ERR(t, "--user: empty value", "--user", "");
	PARSE_ERR(t, "--serve-private: unknown value 'maybe' (no, yes)",
		  "--serve-private", "maybe");
	PARSE_ERR(t, "--max-open-files: '15' is out of range (16..1048576)",
		  "--max-open-files", "15");
	path = write_ini(t, "[server]\nuser = nobody\nserve-private = no\n"
			    "[cache]\nmax-open-files = 1000\n");
	dpt_conf_defaults(&t->c);
	PARSE_OK(t, "--config", path);
	assert_string_equal(t->c.user, "nobody");
	assert_int_equal(t->c.serve_private, 0);
	assert_int_equal(t->c.max_open_files, 1000);
}

/* Verifies: the operations options: --transfer-log auto by default, a
 * path or a word kept as given; --metrics-listen off by default, an
 * address with its port (none: refused), IPv6 in brackets, off again;
 * --drain-timeout 5s by default, 0 allowed, at most 1h; all of them from
 * [log] and [server] in a file, and in the dump. */
static void
ops_options(void **state)
{
	struct fx *t = *state;
	char *path, *dump;

	dump = dump_str(&t->c);
	assert_non_null(strstr(dump, "transfer-log: auto\n"));
	assert_non_null(strstr(dump, "metrics-listen: off\n"));
	assert_non_null(strstr(dump, "drain-timeout: 5000ms\n"));
	free(dump);
	PARSE_OK(t, "--root", t->dir, "--transfer-log", "/var/log/x.json",
		 "--metrics-listen", "127.0.0.1:9469", "--drain-timeout", "0");
	assert_string_equal(t->c.transfer_log, "/var/log/x.json");
	assert_int_equal(t->c.metrics_listen.family, AF_INET);
	assert_int_equal(t->c.metrics_listen.port, 9469);
	assert_int_equal(t->c.drain_timeout_us, 0);
	dump = dump_str(&t->c);
	assert_non_null(strstr(dump, "metrics-listen: 127.0.0.1:9469\n"));
	free(dump);
	PARSE_OK(t, "--metrics-listen", "[::1]:9100");
	assert_int_equal(t->c.metrics_listen.family, AF_INET6);
	PARSE_OK(t, "--metrics-listen", "off");
	assert_int_equal(t->c.metrics_listen.family, 0);
	PARSE_ERR(t, "--metrics-listen: '127.0.0.1' needs a port (like "
		  "127.0.0.1:9469)", "--metrics-listen", "127.0.0.1");
	PARSE_ERR(t, "--drain-timeout: '3601s' is out of range (0..3600s)",
		  "--drain-timeout", "3601s");
	path = write_ini(t, "[server]\ndrain-timeout = 30s\n"
			    "[log]\ntransfer-log = syslog\n"
			    "metrics-listen = 0.0.0.0:9469\n");
	dpt_conf_defaults(&t->c);
	PARSE_OK(t, "--config", path);
	assert_int_equal(t->c.drain_timeout_us, 30000000);
	assert_string_equal(t->c.transfer_log, "syslog");
	assert_int_equal(t->c.metrics_listen.port, 9469);
}

/* Verifies: the sample INI (--sample-config) loads back unchanged but
 * for root, and names every key a file may have, each once, under its
 * section; the manual page (--man) has a .TP entry for every option and
 * no raw "--" (troff would hyphenate it); [eal] takes eal-args and
 * hugepages. */
static void
sample_and_man(void **state)
{
	struct fx *t = *state;
	char *buf = NULL, *path, want[96];
	size_t len = 0;
	unsigned int i;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	dpt_conf_sample(f);
	fclose(f);
	for (i = 0; i < conf_n_opts; i++) {
		if (conf_opts[i].section == CONF_SEC_CLI)
			continue;
		snprintf(want, sizeof(want), "\n#%s = ", conf_opts[i].name);
		if (strstr(buf, want) == NULL &&
		    strcmp(conf_opts[i].name, "root") != 0)
			fail_msg("the sample lacks %s", conf_opts[i].name);
	}
	assert_non_null(strstr(buf, "\n[eal]\n"));
	path = write_ini(t, buf);
	free(buf);
	assert_int_equal(dpt_conf_load_file(&t->c, path, t->err,
					    sizeof(t->err)), 0);
	assert_string_equal(t->c.root, "/srv/tftp");
	f = open_memstream(&buf, &len);
	dpt_conf_man(f, "9.9");
	fclose(f);
	assert_non_null(strstr(buf, ".TH DPTFTPD 8 \"\" \"dptftp 9.9\""));
	for (i = 0; i < conf_n_opts; i++) {
		snprintf(want, sizeof(want), "\\fB\\-\\-%s\\fR",
			 conf_opts[i].name);
		/* names with a '-' have it escaped too */
		if (strchr(conf_opts[i].name, '-') == NULL &&
		    strstr(buf, want) == NULL)
			fail_msg("the manual lacks --%s", conf_opts[i].name);
	}
	assert_null(strstr(buf, " --"));
	free(buf);
	path = write_ini(t, "[eal]\neal-args = -l 0-3 -a 0000:03:00.0\n"
			    "hugepages = 1G\n");
	assert_int_equal(dpt_conf_load_file(&t->c, path, t->err,
					    sizeof(t->err)), 0);
	assert_string_equal(t->c.eal_args, "-l 0-3 -a 0000:03:00.0");
	assert_int_equal(t->c.hugepages, 1ull << 30);
	PARSE_ERR(t, "--hugepages: '1M' is out of range (0 or 2M..1T)",
		  "--hugepages", "1M");
}

/* Verifies: each --iface needs its --ip, its --ip6 or both; ifaces need
 * the ethdev backend, which takes an IPv6 --listen (only its port counts:
 * it serves the port on every address of every iface). */
static void
validate_ifaces(void **state)
{
	struct fx *t = *state;

	PARSE_OK(t, "--root", t->dir, "--iface", "eth1");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	assert_string_equal(t->err, "--iface eth1: no --ip A.B.C.D/P or "
			    "--ip6 ADDR/P given");
	PARSE_OK(t, "--ip6", "2001:db8::1/64");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), 0);
	PARSE_OK(t, "--ip", "192.0.2.10/24");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), 0);
	t->c.ifaces[0].prefix6 = 129;
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	check_err(t->err, "--iface eth1: prefix");
	t->c.ifaces[0].prefix6 = 64;
	t->c.ifaces[0].rx_queues = 17;	/* set by code, not parsed */
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	assert_string_equal(t->err, "--iface eth1: 17 RX queues (16 at most)");
	t->c.ifaces[0].rx_queues = 16;
	PARSE_OK(t, "--listen", "[::]:69");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), 0);
	PARSE_OK(t, "--listen", "0.0.0.0", "--backend", "socket");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	check_err(t->err, "--iface eth1 needs --backend ethdev, not socket");
}

static char *
usage_str(const char *prog)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	dpt_conf_usage(f, prog);
	fclose(f);
	return buf;
}

/* Verifies: --help names every option of the table with its argument and
 * default, the INI sections, the EAL note and the examples. */
static void
usage_lists_every_option(void **state)
{
	/* by hand too, so that a row dropped from the table is noticed */
	static const char *const expected[] = {
		"root", "listen", "port-range", "max-sessions", "backend",
		"iface", "ip", "ip6", "vlan", "mtu", "rx-queues", "instance",
		"blksize-max",
		"windowsize-max", "timeout", "retries", "pacing", "workers",
		"balance",
		"layout", "worker-ring", "tx-ring", "idle-sleep-max",
		"idle-spins", "cache-size", "preload", "zero-copy-min",
		"xdp", "xdp-busy-poll",
		"user", "serve-private", "max-open-files",
		"single-port", "max-per-client", "reply-limit",
		"reply-limit-total", "map-file", "refuse",
		"blksize-max-for",
		"allow-upload", "upload-dir", "upload-pattern", "upload-max",
		"upload-mode", "upload-fsync",
		"stats-period", "log-level", "cmdline-file", "console-socket",
		"config", "interactive", "help", "version",
		"drain-timeout", "transfer-log", "metrics-listen",
		"eal-args", "hugepages", "reserve-hugepages", "man",
		"sample-config",
	};
	char *u = usage_str("/usr/sbin/dptftpd");
	char want[128], *flat, *q;
	unsigned int i;
	const char *p;
	size_t n;

	/* help text wraps at the margin: compare it with spaces collapsed */
	flat = malloc(strlen(u) + 1);
	assert_non_null(flat);
	for (p = u, q = flat; *p != '\0'; p++)
		if (!(isspace((unsigned char)*p) && q > flat && q[-1] == ' '))
			*q++ = isspace((unsigned char)*p) ? ' ' : *p;
	*q = '\0';

	assert_non_null(strstr(u, "Usage: dptftpd [EAL options --] "
			       "[options]\n"));
	assert_null(strstr(u, "(null)"));	/* every section has a title */
	assert_int_equal(conf_n_opts, sizeof(expected) / sizeof(expected[0]));
	for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		snprintf(want, sizeof(want), "--%s", expected[i]);
		if (strstr(u, want) == NULL)
			fail_msg("--help lacks %s", want);
	}
	for (i = 0; i < conf_n_opts; i++) {
		const struct conf_opt *o = &conf_opts[i];

		snprintf(want, sizeof(want), "--%s%s%s  ", o->name,
			 o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
		if (strstr(u, want) == NULL)
			fail_msg("--help lacks '%s'", want);
		if (strstr(flat, o->help) == NULL)
			fail_msg("--help lacks the help of --%s", o->name);
		snprintf(want, sizeof(want), "(default: %s)", o->def);
		if (o->def != NULL && strstr(u, want) == NULL)
			fail_msg("--help lacks '%s'", want);
	}
	assert_non_null(strstr(u, "-h, --help"));
	assert_non_null(strstr(u, "-V, --version"));
	assert_non_null(strstr(u, "[server]"));
	assert_non_null(strstr(u, "[dataplane]"));
	assert_non_null(strstr(u, "starts EAL itself for the socket"));
	assert_non_null(strstr(u, "  dptftpd --root /srv/tftp\n"));
	assert_non_null(strstr(u, "  dptftpd --root /srv/tftp --listen "
			       "127.0.0.1:6969\n"));
	assert_non_null(strstr(u, "  dptftpd --iface eth1 --ip 192.0.2.10/24 "
			       "--root /srv/tftp\n"));
	/* no line past 79 columns */
	for (p = u; *p != '\0'; p += n + (p[n] == '\n')) {
		n = strcspn(p, "\n");
		assert_true(n <= 79);
	}
	free(flat);
	free(u);
}

/* Verifies: every default shown in --help is what dpt_conf_defaults
 * sets: applying the shown text changes nothing. */
static void
usage_defaults_are_real(void **state)
{
	struct fx *t = *state;
	struct dpt_conf d;
	char opt[128];
	unsigned int i;

	for (i = 0; i < conf_n_opts; i++) {
		if (conf_opts[i].def == NULL)
			continue;
		dpt_conf_defaults(&d);
		t->c = d;
		snprintf(opt, sizeof(opt), "--%s=%s", conf_opts[i].name,
			 conf_opts[i].def);
		PARSE_OK(t, opt);
		if (memcmp(&d, &t->c, sizeof(d)) != 0)
			fail_msg("--help's default %s differs", opt);
	}
}

/* Verifies: the dump's lines are "key: value" with the long option names,
 * and its values read back from a file give the same dump. */
static void
dump_round_trips(void **state)
{
	struct fx *t = *state;
	char *d1, *d2, *line, *save, *colon, ini[4096];
	const struct conf_opt *o;
	unsigned int seen = 0;
	const char *path;
	size_t n = 0;
	int s;

	PARSE_OK(t, "--root", t->dir, "--listen", "[::1]:6969",
		 "--port-range", "10000:20000", "--max-sessions", "100",
		 "--blksize-max", "1428", "--windowsize-max", "16",
		 "--timeout", "1.5", "--retries", "7", "--workers", "3",
		 "--balance", "least-loaded", "--worker-ring", "512",
		 "--tx-ring", "2048", "--idle-sleep-max", "1500us",
		 "--idle-spins", "9", "--cache-size", "1G",
		 "--stats-period", "10", "--log-level", "debug");
	d1 = dump_str(&t->c);
	assert_non_null(strstr(d1, "root: "));
	assert_non_null(strstr(d1, "\nlisten: [::1]:6969\n"));
	assert_non_null(strstr(d1, "\nbalance: least-loaded\n"));
	assert_non_null(strstr(d1, "\ntimeout: 1500ms\n"));
	assert_non_null(strstr(d1, "\nidle-sleep-max: 1500us\n"));
	assert_non_null(strstr(d1, "\ncache-size: 1073741824\n"));

	/* rebuild an INI file, section by section, from the dump */
	for (s = 0; s < CONF_SEC_CLI; s++) {
		char *copy = strdup(d1);

		n += (size_t)snprintf(ini + n, sizeof(ini) - n, "[%s]\n",
				      conf_section_names[s]);
		for (line = strtok_r(copy, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save)) {
			colon = strstr(line, ": ");
			assert_non_null(colon);
			*colon = '\0';
			o = conf_opt_find(line);
			if (o == NULL)
				fail_msg("dump key '%s' is no option", line);
			if (s == 0)
				seen++;
			/* INI has no empty values: unset means default */
			if ((int)o->section == s && colon[2] != '\0')
				n += (size_t)snprintf(ini + n, sizeof(ini) - n,
						      "%s = %s\n", line,
						      colon + 2);
		}
		free(copy);
	}
	/* every option with a value of its own, once: not ip/ip6/vlan/mtu/
	 * rx-queues/xdp/xdp-busy-poll (inside iface lines), iface (none
	 * here), interactive, help, version, reserve-hugepages, man,
	 * sample-config */
	assert_int_equal(seen, conf_n_opts - 14);
	path = write_ini(t, ini);
	dpt_conf_defaults(&t->c);
	assert_int_equal(dpt_conf_load_file(&t->c, path, t->err,
					    sizeof(t->err)), 0);
	d2 = dump_str(&t->c);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
}

/* Verifies: defaults dump as documented, ifaces one line each. */
static void
dump_defaults_and_ifaces(void **state)
{
	static const char *const lines[] = {
		"root: \n", "listen: 0.0.0.0:69\n", "port-range: 49152:65535\n",
		"max-sessions: 4096\n", "backend: ethdev\n",
		"iface 0: eth1 192.0.2.10/24 vlan 0 mtu 0 rx-queues 1\n",
		"iface 1: eth2 198.51.100.1/16 vlan 7 mtu 1500 rx-queues 4\n",
		("iface 2: eth3 192.0.2.20/24 2001:db8::20/64 vlan 0 mtu 0 "
		 "rx-queues 1\n"),
		("iface 3: eth4 fd00::4/56 vlan 9 mtu 0 rx-queues 1 xdp copy "
		 "busy-poll 64\n"),
		"blksize-max: 0\n", "windowsize-max: 64\n",
		"timeout: 1000ms\n", "retries: 5\n", "pacing: yes\n",
		"workers: 0\n",
		"balance: round-robin\n", "worker-ring: 256\n",
		"tx-ring: 1024\n", "idle-sleep-max: 500us\n",
		"idle-spins: 64\n", "cache-size: 536870912\n",
		"stats-period: 0\n", "log-level: notice\n", "config: \n",
		"instance: dptftpd\n", "cmdline-file: \n",
		"console-socket: \n",
	};
	struct fx *t = *state;
	unsigned int i;
	char *d;

	PARSE_OK(t, "--iface", "eth1", "--ip", "192.0.2.10/24", "--iface",
		 "eth2", "--ip", "198.51.100.1/16", "--vlan", "7", "--mtu",
		 "1500", "--rx-queues", "4", "--iface", "eth3", "--ip6", "2001:db8::20/64",
		 "--ip", "192.0.2.20/24", "--iface", "eth4", "--ip6",
		 "fd00::4/56", "--vlan", "9", "--xdp", "copy",
		 "--xdp-busy-poll", "64");
	d = dump_str(&t->c);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (strstr(d, lines[i]) == NULL)
			fail_msg("dump lacks '%s' in:\n%s", lines[i], d);
	/* in table order, so scripts can rely on it */
	assert_true(strstr(d, "root:") < strstr(d, "listen:"));
	assert_true(strstr(d, "iface 1:") < strstr(d, "blksize-max:"));
	assert_true(strstr(d, "log-level:") < strstr(d, "config:"));
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(validate_needs_root, setup,
						teardown),
		cmocka_unit_test_setup_teardown(validate_root_not_dir, setup,
						teardown),
		cmocka_unit_test_setup_teardown(numbers_digits_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(numbers_overflow, setup,
						teardown),
		cmocka_unit_test_setup_teardown(numeric_option_bounds, setup,
						teardown),
		cmocka_unit_test_setup_teardown(blksize_zero_or_range, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rings_power_of_two, setup,
						teardown),
		cmocka_unit_test_setup_teardown(durations, setup, teardown),
		cmocka_unit_test_setup_teardown(duration_option_bounds, setup,
						teardown),
		cmocka_unit_test_setup_teardown(sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(addresses_v4, setup, teardown),
		cmocka_unit_test_setup_teardown(addresses_v6, setup, teardown),
		cmocka_unit_test_setup_teardown(addresses_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(port_range, setup, teardown),
		cmocka_unit_test_setup_teardown(names, setup, teardown),
		cmocka_unit_test_setup_teardown(ifaces, setup, teardown),
		cmocka_unit_test_setup_teardown(ifaces_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(ifaces_xdp, setup, teardown),
		cmocka_unit_test_setup_teardown(command_line_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(errors_single_line, setup,
						teardown),
		cmocka_unit_test_setup_teardown(command_line_forms, setup,
						teardown),
		cmocka_unit_test_setup_teardown(parse_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(file_sets_everything, setup,
						teardown),
		cmocka_unit_test_setup_teardown(command_line_overrides_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(file_unknown_key, setup,
						teardown),
		cmocka_unit_test_setup_teardown(file_wrong_section, setup,
						teardown),
		cmocka_unit_test_setup_teardown(file_syntax_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(file_bad_value, setup,
						teardown),
		cmocka_unit_test_setup_teardown(file_unreadable, setup,
						teardown),
		cmocka_unit_test_setup_teardown(file_failure_changes_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(file_ifaces, setup, teardown),
		cmocka_unit_test_setup_teardown(
			validate_port_range_holds_listen, setup, teardown),
		cmocka_unit_test_setup_teardown(
			validate_range_smaller_than_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(validate_checks_fields, setup,
						teardown),
		cmocka_unit_test_setup_teardown(validate_ifaces, setup,
						teardown),
		cmocka_unit_test_setup_teardown(upload_mode_without_exec_bits,
						setup, teardown),
		cmocka_unit_test_setup_teardown(host_options, setup,
						teardown),
		cmocka_unit_test_setup_teardown(ops_options, setup, teardown),
		cmocka_unit_test_setup_teardown(sample_and_man, setup,
						teardown),
		cmocka_unit_test_setup_teardown(usage_lists_every_option,
						setup, teardown),
		cmocka_unit_test_setup_teardown(usage_defaults_are_real, setup,
						teardown),
		cmocka_unit_test_setup_teardown(dump_round_trips, setup,
						teardown),
		cmocka_unit_test_setup_teardown(dump_defaults_and_ifaces,
						setup, teardown),
	};

	return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
