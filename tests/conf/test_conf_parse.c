/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/* lib/conf: the command line and the INI file: forms, errors, precedence. */

#include "test_conf.h"

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

/* Verifies: only the options that print and exit skip the file; -i and
 * --reserve-hugepages read it (the unit's ExecStartPre reserves what
 * [eal] hugepages asks, and -i serves the file's settings). */
static void
file_read_with_flags(void **state)
{
	struct fx *t = *state;
	char *path = write_ini(t, "[dataplane]\nworkers = 3\n"
				     "[eal]\nhugepages = 64M\n");
	char *prints[] = { "--help", "--version", "--man",
				 "--sample-config" };
	unsigned int i;

	PARSE_OK(t, "--config", path, "--reserve-hugepages");
	assert_true(t->c.reserve_hugepages);
	assert_int_equal(t->c.hugepages, 64ull << 20);
	assert_int_equal(t->c.workers, 3);
	dpt_conf_defaults(&t->c);
	PARSE_OK(t, "-i", "--config", path);
	assert_true(t->c.interactive);
	assert_int_equal(t->c.workers, 3);
	for (i = 0; i < TC_DIM(prints); i++) {
		dpt_conf_defaults(&t->c);
		PARSE_OK(t, "--config", path, prints[i]);
		assert_int_not_equal(t->c.workers, 3);
		assert_int_equal(t->c.hugepages, 0);
	}
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

const struct CMUnitTest conf_parse_tests[] = {
	TC_TEST(command_line_errors),
	TC_TEST(errors_single_line),
	TC_TEST(command_line_forms),
	TC_TEST(parse_twice),
	TC_TEST(file_sets_everything),
	TC_TEST(command_line_overrides_file),
	TC_TEST(file_unknown_key),
	TC_TEST(file_wrong_section),
	TC_TEST(file_syntax_errors),
	TC_TEST(file_bad_value),
	TC_TEST(file_unreadable),
	TC_TEST(file_read_with_flags),
	TC_TEST(file_failure_changes_nothing),
};

const size_t conf_parse_count = TC_DIM(conf_parse_tests);
