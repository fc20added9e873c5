/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/conf: dpt_conf_validate(): what only shows between settings, and the
 * host.
 */

#include "test_conf.h"

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

/* Verifies: --session-rate and --port-rate take bits a second in SI
 * units (fractions rounded to a bit), 0 for none, 8k..1T; the dump gives
 * them back in the largest unit that is exact; an INI key works. */
static void
rate_options(void **state)
{
	struct fx *t = *state;
	char *path, *dump;
	uint64_t v;
	char err[128], b[32];

	dump = dump_str(&t->c);
	assert_non_null(strstr(dump, "session-rate: 0\n"));
	assert_non_null(strstr(dump, "port-rate: 0\n"));
	free(dump);
	PARSE_OK(t, "--root", t->dir, "--session-rate", "950M",
		 "--port-rate", "2.5g");
	assert_true(t->c.session_rate == UINT64_C(950000000));
	assert_true(t->c.port_rate == UINT64_C(2500000000));
	dump = dump_str(&t->c);
	assert_non_null(strstr(dump, "session-rate: 950M\n"));
	assert_non_null(strstr(dump, "port-rate: 2500M\n"));
	free(dump);
	PARSE_OK(t, "--session-rate", "8k", "--port-rate", "1T");
	assert_true(t->c.session_rate == 8000);
	assert_true(t->c.port_rate == UINT64_C(1000000000000));
	PARSE_OK(t, "--session-rate", "123456789", "--port-rate", "0");
	assert_true(t->c.session_rate == 123456789);
	assert_true(t->c.port_rate == 0);
	PARSE_ERR(t, "--session-rate: '7999' is out of range (0 or 8k..1T)",
		  "--session-rate", "7999");
	PARSE_ERR(t, "--port-rate: '1.1T' is out of range (0 or 8k..1T)",
		  "--port-rate", "1.1T");
	PARSE_ERR(t, "--port-rate: 'fast' is not a rate in bits a second "
		  "(like 950M, 2.5G, 0)", "--port-rate", "fast");
	PARSE_ERR(t, "--session-rate: '-1M' is not a rate in bits a second "
		  "(like 950M, 2.5G, 0)", "--session-rate", "-1M");
	assert_int_equal(dpt_conf_parse_rate("1.5M", &v, err, sizeof(err)), 0);
	assert_true(v == 1500000);
	assert_string_equal(dpt_conf_rate_name(v, b, sizeof(b)), "1500k");
	assert_string_equal(dpt_conf_rate_name(UINT64_C(10000000000), b,
					       sizeof(b)), "10G");
	path = write_ini(t, "[tftp]\nsession-rate = 100M\n"
			    "[dataplane]\nport-rate = 10G\n");
	dpt_conf_defaults(&t->c);
	PARSE_OK(t, "--config", path);
	assert_true(t->c.session_rate == UINT64_C(100000000));
	assert_true(t->c.port_rate == UINT64_C(10000000000));
}

const struct CMUnitTest conf_validate_tests[] = {
	TC_TEST(rate_options),
	TC_TEST(validate_needs_root),
	TC_TEST(validate_root_not_dir),
	TC_TEST(validate_port_range_holds_listen),
	TC_TEST(validate_range_smaller_than_sessions),
	TC_TEST(validate_checks_fields),
	TC_TEST(upload_mode_without_exec_bits),
	TC_TEST(host_options),
	TC_TEST(ops_options),
};

const size_t conf_validate_count = TC_DIM(conf_validate_tests);
