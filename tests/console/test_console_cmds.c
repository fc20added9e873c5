/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Each command: what it parses, what it asks of the dataplane, the cache
 * or a port, and the `Key: value` text it prints.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <rte_log.h>

#include "test_console.h"

#define HAS(out, s) do { \
	if (strstr((out), (s)) == NULL) \
		fail_msg("output lacks '%s' in:\n%s", (s), (out)); \
} while (0)

#define LACKS(out, s) do { \
	if (strstr((out), (s)) != NULL) \
		fail_msg("output has '%s' in:\n%s", (s), (out)); \
} while (0)

/* Verifies: `help` lists every group and every command; `help cache`
 * only the cache's; an unknown group is refused by the parser. */
static void
help_lists_commands(void **state)
{
	static const char *const every[] = {
		"show port info all|<port>", "show port stats all|<port>",
		"show port xstats all|<port>", "clear port stats all|<port>",
		"show worker stats", "clear worker stats",
		"show sessions [worker <n>] [client <ip>]", "kill session <id>",
		"show cache", "cache load <file>", "cache evict <file>",
		"cache flush", "show config", "set balance <strategy>",
		"set blksize-max <n>", "set windowsize-max <n>",
		"set timeout <duration>", "set retries <n>",
		"set max-sessions <n>", "set log-level <lib> <level>",
		"load <file>", "quit",
	};
	struct tc *t = *state;
	const char *out = tc_run(t, "help", NULL);
	unsigned int i;
	int rc;

	for (i = 0; i < RTE_DIM(every); i++)
		HAS(out, every[i]);
	out = tc_run(t, "help cache", NULL);
	HAS(out, "File cache (help cache):");
	HAS(out, "cache flush");
	LACKS(out, "show sessions");
	tc_run(t, "help nothing", &rc);
	assert_int_equal(rc, CMDLINE_PARSE_BAD_ARGS);
}

/* Verifies: `show config` prints lib/conf's dump of the console's copy. */
static void
show_config_dumps(void **state)
{
	struct tc *t = *state;
	const char *out = tc_run(t, "show config", NULL);

	HAS(out, "root: /srv/tftp\n");
	HAS(out, "timeout: 1000ms\n");
	HAS(out, "balance: round-robin\n");
	HAS(out, "max-sessions: 4096\n");
}

/* Verifies: set timeout reads durations as the command line does, gives
 * the dataplane the new value (with the RTT floor and back-off cap around
 * it), answers with the config line and `show config` agrees; a bad or
 * out-of-range value changes nothing. */
static void
set_timeout(void **state)
{
	struct tc *t = *state;
	const char *out;

	out = tc_run(t, "set timeout 500ms", NULL);
	assert_string_equal(out, "timeout: 500ms\n");
	assert_int_equal(t->dp.tftp.timeout_us, 500000);
	out = tc_run(t, "set timeout 20s", NULL);
	assert_string_equal(out, "timeout: 20000ms\n");
	assert_true(t->dp.tftp.timeout_max_us >= 20000000);
	out = tc_run(t, "set timeout 10ms", NULL);
	assert_true(t->dp.tftp.timeout_min_us <= 10000);
	HAS(tc_run(t, "show config", NULL), "timeout: 10ms\n");

	out = tc_run(t, "set timeout soon", NULL);
	HAS(out, "Error: timeout: 'soon' is not a duration");
	out = tc_run(t, "set timeout 300s", NULL);
	HAS(out, "Error: timeout: '300s' is out of range (10ms..255s)");
	assert_int_equal(t->dp.tftp.timeout_us, 10000);
}

/* Verifies: blksize-max takes 0 (MTU - 32) or 8..65464; windowsize-max
 * and retries their ranges; each reaches the dataplane and the copy. */
static void
set_protocol_ceilings(void **state)
{
	struct tc *t = *state;

	assert_string_equal(tc_run(t, "set blksize-max 1024", NULL),
			    "blksize-max: 1024\n");
	assert_int_equal(t->dp.tftp.blksize_max, 1024);
	assert_string_equal(tc_run(t, "set blksize-max 0", NULL),
			    "blksize-max: 0\n");
	assert_int_equal(t->dp.tftp.blksize_max, 0);
	HAS(tc_run(t, "set blksize-max 7", NULL),
	    "Error: blksize-max: '7' is out of range (0 or 8..65464)");
	HAS(tc_run(t, "set blksize-max 65465", NULL), "Error: blksize-max:");
	assert_int_equal(t->dp.tftp.blksize_max, 0);

	assert_string_equal(tc_run(t, "set windowsize-max 16", NULL),
			    "windowsize-max: 16\n");
	assert_int_equal(t->dp.tftp.windowsize_max, 16);
	HAS(tc_run(t, "set windowsize-max 0", NULL), "Error:");

	assert_string_equal(tc_run(t, "set retries 9", NULL), "retries: 9\n");
	assert_int_equal(t->dp.tftp.retries, 9);
	HAS(tc_run(t, "set retries 256", NULL), "Error:");
	HAS(tc_run(t, "show config", NULL), "retries: 9\n");

	/* the workers refusing it leaves the copy as it was */
	t->dp.set_tftp_rc = -ETIMEDOUT;
	HAS(tc_run(t, "set retries 3", NULL), "Error: retries: the workers "
	    "did not take it");
	HAS(tc_run(t, "show config", NULL), "retries: 9\n");
}

/* Verifies: max-sessions may go down to 1 and back up to the number the
 * sessions were allocated for at start, not beyond. */
static void
set_max_sessions(void **state)
{
	struct tc *t = *state;

	assert_string_equal(tc_run(t, "set max-sessions 10", NULL),
			    "max-sessions: 10\n");
	assert_int_equal(t->dp.max_sessions, 10);
	assert_string_equal(tc_run(t, "set max-sessions 4096", NULL),
			    "max-sessions: 4096\n");
	HAS(tc_run(t, "set max-sessions 4097", NULL),
	    "Error: max-sessions: '4097' is out of range (1..4096)");
	assert_int_equal(t->dp.max_sessions, 4096);
}

/* Verifies: set balance takes each strategy of the table, by name, and
 * the dataplane gets it; another word is refused with the strategies
 * there are, as on the command line; two words do not parse. */
static void
set_balance(void **state)
{
	struct tc *t = *state;
	int b, rc;
	char line[64];

	for (b = DPT_BALANCE_COUNT - 1; b >= 0; b--) {
		snprintf(line, sizeof(line), "set balance %s",
			 dpt_conf_balance_name(b));
		tc_run(t, line, &rc);
		assert_true(rc >= 0);	/* the length parsed */
		assert_int_equal(t->dp.balance, b);
		snprintf(line, sizeof(line), "balance: %s\n",
			 dpt_conf_balance_name(b));
		assert_string_equal(t->out, line);
	}
	assert_string_equal(tc_run(t, "set balance fastest", &rc),
			    "Error: unknown strategy 'fastest' (round-robin, "
			    "client-hash, least-loaded)\n");
	assert_int_equal(t->dp.balance, 0);
	tc_run(t, "set balance round-robin extra", &rc);
	assert_int_equal(rc, CMDLINE_PARSE_BAD_ARGS);
}

/* Verifies: a bare library name means dptftp.<lib>; the level reaches
 * rte_log; an unknown level is said with the levels there are. */
static void
set_log_level(void **state)
{
	struct tc *t = *state;
	int type = rte_log_register("dptftp.testlib");

	assert_true(type >= 0);
	assert_string_equal(tc_run(t, "set log-level testlib debug", NULL),
			    "log-level dptftp.testlib: debug\n");
	assert_int_equal(rte_log_get_level(type), RTE_LOG_DEBUG);
	tc_run(t, "set log-level dptftp.test* err", NULL);
	assert_int_equal(rte_log_get_level(type), RTE_LOG_ERR);
	tc_run(t, "set log-level all warning", NULL);
	assert_int_equal(rte_log_get_level(type), RTE_LOG_WARNING);
	HAS(tc_run(t, "show config", NULL), "log-level: warning\n");
	assert_string_equal(tc_run(t, "set log-level dp verbose", NULL),
			    "Error: unknown level 'verbose' (emerg, alert, "
			    "crit, err, warning, notice, info, debug)\n");
	assert_int_equal(rte_log_get_level(type), RTE_LOG_WARNING);
}

static void
add_session(struct tc *t, uint64_t id, unsigned int worker, const char *ip,
	    uint64_t size, uint64_t progress, uint64_t age_us)
{
	struct dpt_session_info *s = &t->dp.sessions[t->dp.n_sessions++];

	memset(s, 0, sizeof(*s));
	s->id = id;
	s->worker = worker;
	s->family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, ip, s->client_ip), 1);
	s->client_port = 40000;
	s->server_port = 50000;
	snprintf(s->file, sizeof(s->file), "pxelinux.0");
	s->op = DPT_TFTP_RRQ;
	s->state = DPT_TFTP_S_SENDING;
	s->blksize = 1468;
	s->windowsize = 4;
	s->size = size;
	s->progress = progress;
	s->age_us = age_us;
	s->retransmits = 2;
}

/* Verifies: each session prints as a block (client, file, direction,
 * blksize/windowsize, progress %, rate, retransmits, age, id), then the
 * count; filters reach lib/dp as asked; a worker that does not exist is
 * refused before asking. */
static void
show_sessions(void **state)
{
	struct tc *t = *state;
	const char *out;
	uint8_t want[4];

	add_session(t, 4294967296ull, 0, "192.0.2.7", 1000000, 250000,
		    2500000);
	add_session(t, 16777217, 1, "192.0.2.8", 0, 4096, 500);
	out = tc_run(t, "show sessions", NULL);
	HAS(out, "Session: 4294967296\n  Worker: 0\n"
	    "  Client: 192.0.2.7:40000\n  Server-port: 50000\n"
	    "  File: pxelinux.0\n  Direction: download\n  Mode: octet\n"
	    "  State: sending\n  Blksize: 1468\n  Windowsize: 4\n"
	    "  Size: 1000000\n  Bytes: 250000\n  Progress: 25%\n"
	    "  Rate: 100000 B/s\n  Retransmits: 2\n  RTT: 0 us\n"
	    "  Age: 2.500 s\n");
	HAS(out, "Session: 16777217\n");
	HAS(out, "  Progress: unknown\n");
	HAS(out, "  Rate: 0 B/s\n");	/* too young to say */
	HAS(out, "Sessions: 2\n");
	assert_int_equal(t->dp.asked_worker, -1);
	assert_int_equal(t->dp.asked_family, 0);

	out = tc_run(t, "show sessions worker 1", NULL);
	assert_int_equal(t->dp.asked_worker, 1);
	HAS(out, "Sessions: 1\n");
	LACKS(out, "192.0.2.7");

	out = tc_run(t, "show sessions client 192.0.2.7", NULL);
	inet_pton(AF_INET, "192.0.2.7", want);
	assert_int_equal(t->dp.asked_family, AF_INET);
	assert_memory_equal(t->dp.asked_ip, want, 4);
	HAS(out, "Sessions: 1\n");

	tc_run(t, "show sessions worker 0 client 192.0.2.8", NULL);
	assert_int_equal(t->dp.asked_worker, 0);
	HAS(t->out, "Sessions: 0\n");

	t->dp.sessions_calls = 0;
	out = tc_run(t, "show sessions worker 2", NULL);
	assert_string_equal(out, "Error: no worker 2 (workers: 0..1)\n");
	assert_int_equal(t->dp.sessions_calls, 0);

	t->dp.sessions_rc = -ETIMEDOUT;
	HAS(tc_run(t, "show sessions", NULL),
	    "Error: the workers did not answer");
}

/* Verifies: a client's file name is printed escaped in show sessions and
 * show cache: a newline cannot forge a field, an escape sequence or a
 * high byte cannot reach the terminal, a backslash stays unambiguous. */
static void
names_escaped(void **state)
{
	struct tc *t = *state;
	const char *out;

	add_session(t, 7, 0, "192.0.2.7", 100, 0, 0);
	snprintf(t->dp.sessions[0].file, sizeof(t->dp.sessions[0].file),
		 "a\nSession: 99\n  File: \x1b]0;owned\x07\\\xff");
	out = tc_run(t, "show sessions", NULL);
	HAS(out, "  File: a\\x0aSession: 99\\x0a  File: \\x1b]0;owned"
	    "\\x07\\x5c\\xff\n  Direction: download\n");
	LACKS(out, "Session: 99\n");
	LACKS(out, "\x1b");
	t->cache.n_files = 1;
	snprintf(t->cache.files[0].path, sizeof(t->cache.files[0].path),
		 "x\r\nFile: y");
	out = tc_run(t, "show cache", NULL);
	HAS(out, "File: x\\x0d\\x0aFile: y\n  Size: ");
	LACKS(out, "\nFile: y\n");
}

/* Verifies: kill session hands lib/dp the 64-bit id; an unknown one is
 * said so. */
static void
kill_session(void **state)
{
	struct tc *t = *state;

	add_session(t, 4294967296ull, 0, "192.0.2.7", 1000, 0, 0);
	assert_string_equal(tc_run(t, "kill session 4294967296", NULL),
			    "Killed: 4294967296\n");
	assert_int_equal(t->dp.killed, 4294967296ull);
	assert_string_equal(tc_run(t, "kill session 4294967296", NULL),
			    "Error: no session 4294967296\n");
	assert_int_equal(t->dp.kills, 1);
}

/* Verifies: show cache prints the counters and a block per file with
 * its state; load, evict (names with spaces too) and flush reach the
 * cache and say what happened. */
static void
cache_commands(void **state)
{
	struct tc *t = *state;
	struct dpt_cache_entry_info *e = &t->cache.files[0];
	const char *out;

	t->cache.st.entries = 1;
	t->cache.st.hits = 3;
	t->cache.n_files = 1;
	snprintf(e->path, sizeof(e->path), "boot/vmlinuz");
	e->size = 100;
	e->loaded = 40;
	e->refcnt = 2;
	e->loading = true;
	out = tc_run(t, "show cache", NULL);
	HAS(out, "Entries: 1\n");
	HAS(out, "Hits: 3\n");
	HAS(out, "Budget: 536870912\n");
	HAS(out, "File: boot/vmlinuz\n  Size: 100\n  Loaded: 40\n"
	    "  Sessions: 2\n  State: loading\n");
	HAS(out, "Files: 1\n");

	assert_string_equal(tc_run(t, "cache load my file.bin", NULL),
			    "Loading: my file.bin\n");
	assert_string_equal(t->cache.preloaded, "my file.bin");
	assert_string_equal(tc_run(t, "cache load missing.bin", NULL),
			    "Error: missing.bin: No such file or directory\n");

	t->cache.evict_rc = 2;
	assert_string_equal(tc_run(t, "cache evict boot/vmlinuz", NULL),
			    "Evicted: 2\n");
	assert_string_equal(t->cache.evicted, "boot/vmlinuz");
	t->cache.evict_rc = -EBUSY;
	HAS(tc_run(t, "cache evict boot/vmlinuz", NULL), "is in use");
	t->cache.evict_rc = -ENOENT;
	HAS(tc_run(t, "cache evict nope", NULL), "Error: nope is not cached");

	t->cache.flushed = 3;
	assert_string_equal(tc_run(t, "cache flush", NULL), "Flushed: 3\n");
}

/* Verifies: port output is `Port N key: value`, the common counters less
 * the baseline then the backend's; `all` covers both ports; clear takes a
 * baseline (the counters themselves are never written) and falls back to
 * the common one for a backend without clear(); a port that does not
 * exist is refused. */
static void
port_commands(void **state)
{
	struct tc *t = *state;
	struct fake_port *p0 = &t->ports[0], *p1 = &t->ports[1];
	const char *out;

	p0->port.cnt.rx_pkts = 10;
	p0->port.cnt.tx_bytes = 5000;
	p0->drops = 4;
	p1->port.cnt.rx_pkts = 3;
	out = tc_run(t, "show port stats 0", NULL);
	HAS(out, "Port 0 Name: eth0\nPort 0 RX-packets: 10\n");
	HAS(out, "Port 0 TX-bytes: 5000\n");
	HAS(out, "Port 0 Fake-drops: 4\n");
	LACKS(out, "Port 1");
	out = tc_run(t, "show port stats all", NULL);
	HAS(out, "Port 1 RX-packets: 3\n");

	out = tc_run(t, "show port info all", NULL);
	HAS(out, "Port 0 Backend: fake\nPort 0 MTU: 1500\n");
	HAS(out, "Port 0 Device: fake0\n");
	HAS(out, "Port 1 Backend: bare\n");
	out = tc_run(t, "show port xstats all", NULL);
	HAS(out, "Port 0 rx_good_packets: 42\n");
	HAS(out, "Port 1 xstats: none (bare backend)\n");

	assert_string_equal(tc_run(t, "clear port stats 0", NULL),
			    "Port 0 Stats: cleared\n");
	assert_int_equal(p0->clears, 1);
	assert_int_equal(p0->port.cnt.rx_pkts, 10);	/* untouched */
	p0->port.cnt.rx_pkts = 12;
	out = tc_run(t, "show port stats 0", NULL);
	HAS(out, "Port 0 RX-packets: 2\n");
	HAS(out, "Port 0 TX-bytes: 0\n");
	HAS(out, "Port 0 Fake-drops: 0\n");
	tc_run(t, "clear port stats all", NULL);
	HAS(tc_run(t, "show port stats 1", NULL), "Port 1 RX-packets: 0\n");

	assert_string_equal(tc_run(t, "show port stats 2", NULL),
			    "Error: no port 2 (ports: 0..1)\n");
}

/* Verifies: show worker stats is lib/dp's report; clear asks lib/dp. */
static void
worker_commands(void **state)
{
	struct tc *t = *state;

	t->dp.workers[1].sess_started = 5;
	assert_string_equal(tc_run(t, "show worker stats", NULL),
			    "Worker 0 sessions-started: 0\n"
			    "Worker 1 sessions-started: 5\n"
			    "Total sessions-started: 5\n");
	assert_string_equal(tc_run(t, "clear worker stats", NULL),
			    "Worker stats: cleared\n");
	assert_int_equal(t->dp.clears, 1);
}

/* Verifies: quit asks the main loop to stop; unknown words, missing and
 * extra arguments do not parse (and run nothing). */
static void
quit_and_bad_lines(void **state)
{
	struct tc *t = *state;
	int rc;

	tc_run(t, "frobnicate", &rc);
	assert_int_equal(rc, CMDLINE_PARSE_NOMATCH);
	tc_run(t, "show", &rc);
	assert_int_equal(rc, CMDLINE_PARSE_BAD_ARGS);
	tc_run(t, "kill session", &rc);
	assert_int_equal(rc, CMDLINE_PARSE_BAD_ARGS);
	tc_run(t, "kill session x", &rc);
	assert_int_equal(rc, CMDLINE_PARSE_BAD_ARGS);
	tc_run(t, "show worker stats now", &rc);
	assert_true(rc < 0);
	tc_run(t, "show port stats 70000", &rc);
	assert_true(rc < 0);
	assert_string_equal(tc_run(t, "# a comment", &rc), "");
	assert_true(rc >= 0);
	assert_false(dpt_console_quit_requested(t->con));
	assert_string_equal(tc_run(t, "quit", &rc),
			    "Quit: stopping the server\n");
	assert_true(dpt_console_quit_requested(t->con));
}

const struct CMUnitTest tc_cmd_tests[] = {
	TC_TEST(help_lists_commands),
	TC_TEST(show_config_dumps),
	TC_TEST(set_timeout),
	TC_TEST(set_protocol_ceilings),
	TC_TEST(set_max_sessions),
	TC_TEST(set_balance),
	TC_TEST(set_log_level),
	TC_TEST(show_sessions),
	TC_TEST(names_escaped),
	TC_TEST(kill_session),
	TC_TEST(cache_commands),
	TC_TEST(port_commands),
	TC_TEST(worker_commands),
	TC_TEST(quit_and_bad_lines),
};
const size_t tc_n_cmd_tests = RTE_DIM(tc_cmd_tests);
