/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/conf: values one at a time: the defaults, numbers, durations, sizes,
 * addresses, port ranges, names.
 */

#include "test_conf.h"

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

/* Verifies: the eight syslog names map to priorities 0..7 and back;
 * anything else, a case change included, is -1, and past 7 no name. */
static void
log_levels(void **state)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "err", "warning", "notice", "info",
		"debug",
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < TC_DIM(names); i++) {
		assert_int_equal(dpt_conf_log_level(names[i]), (int)i);
		assert_string_equal(dpt_conf_log_level_name(i), names[i]);
	}
	assert_int_equal(dpt_conf_log_level("Debug"), -1);
	assert_int_equal(dpt_conf_log_level("warn"), -1);
	assert_int_equal(dpt_conf_log_level(""), -1);
	assert_null(dpt_conf_log_level_name(8));
}

const struct CMUnitTest conf_values_tests[] = {
	TC_TEST(log_levels),
	TC_TEST(defaults),
	TC_TEST(numbers_digits_only),
	TC_TEST(numbers_overflow),
	TC_TEST(numeric_option_bounds),
	TC_TEST(blksize_zero_or_range),
	TC_TEST(rings_power_of_two),
	TC_TEST(durations),
	TC_TEST(duration_option_bounds),
	TC_TEST(sizes),
	TC_TEST(addresses_v4),
	TC_TEST(addresses_v6),
	TC_TEST(addresses_bad),
	TC_TEST(port_range),
	TC_TEST(names),
};

const size_t conf_values_count = TC_DIM(conf_values_tests);
