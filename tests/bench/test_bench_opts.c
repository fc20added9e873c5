/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The command line: value parsers (sizes, durations, rates, addresses),
 * defaults, the checks across options, and one clear line for bad input.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "bench_opts.h"

#define MAX_ARGS 32

static struct dpt_bench_opts opts;
static char err[256];

/* Parses a space-separated command line (argv[0] added). */
static int
parse(const char *line)
{
	static char buf[1024];
	char *argv[MAX_ARGS], *save = NULL, *w;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	argv[argc++] = (char *)(uintptr_t)"dptftp-bench";
	for (w = strtok_r(buf, " ", &save); w != NULL && argc < MAX_ARGS - 1;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	err[0] = '\0';
	return dpt_bench_opts_parse(argc, argv, &opts, err, sizeof(err));
}

/* Verifies: sizes (the bench's language of lib/opt) in bytes and powers
 * of 1024; junk, signs, exponents and fractions of a byte refused. */
static void
sizes(void **state)
{
	static const struct {
		const char *text;
		int rc;
		uint64_t v;
	} cases[] = {
		{ "0", 0, 0 }, { "512", 0, 512 }, { "64K", 0, 65536 },
		{ "4M", 0, 4194304 }, { "1g", 0, 1073741824 },
		{ "1.5K", 0, 1536 }, { "2T", 0, 2199023255552ull },
		{ "", -1, 0 }, { "-1", -1, 0 }, { "1e3", -1, 0 },
		{ "0x10", -1, 0 }, { "4Q", -1, 0 }, { "1.3", -1, 0 },
		{ "K", -1, 0 }, { "4 M", -1, 0 },
	};
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = 0;
		assert_int_equal(dpt_opt_value(&dpt_bench_lang, DPT_OPT_SIZE,
					       cases[i].text, &v, err,
					       sizeof(err)), cases[i].rc);
		if (cases[i].rc == 0)
			assert_int_equal(v, cases[i].v);
	}
}

/* Verifies: durations with us, ms, s, m, h, or bare seconds. */
static void
durations(void **state)
{
	static const struct {
		const char *text;
		int rc;
		uint64_t us;
	} cases[] = {
		{ "250us", 0, 250 }, { "500ms", 0, 500000 },
		{ "2s", 0, 2000000 }, { "1m", 0, 60000000 },
		{ "1h", 0, 3600000000ull }, { "0.5", 0, 500000 },
		{ "10", 0, 10000000 }, { "1.5ms", 0, 1500 },
		{ "s", -1, 0 }, { "5x", -1, 0 }, { "-2s", -1, 0 },
		{ "", -1, 0 },
	};
	uint64_t us;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		us = 0;
		assert_int_equal(dpt_opt_value(&dpt_bench_lang,
					       DPT_OPT_DURATION, cases[i].text,
					       &us, err, sizeof(err)),
				 cases[i].rc);
		if (cases[i].rc == 0)
			assert_int_equal(us, cases[i].us);
	}
}

/* Verifies: rates as R, R/s or R/m; zero and junk refused. */
static void
rates(void **state)
{
	double r;

	assert_int_equal(dpt_bench_parse_rate("100", &r), 0);
	assert_true(r == 100.0);
	assert_int_equal(dpt_bench_parse_rate("2.5/s", &r), 0);
	assert_true(r == 2.5);
	assert_int_equal(dpt_bench_parse_rate("120/m", &r), 0);
	assert_true(r > 1.999 && r < 2.001);
	assert_int_equal(dpt_bench_parse_rate("0", &r), -1);
	assert_int_equal(dpt_bench_parse_rate("5/h", &r), -1);
	assert_int_equal(dpt_bench_parse_rate("fast", &r), -1);
}

/* Verifies: IPv4 with and without a port, IPv6 in brackets and bare, and
 * refusals of bad ports and unclosed brackets. */
static void
addresses(void **state)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;

	assert_int_equal(dpt_bench_parse_addr("10.1.2.3", 69, &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(ntohs(v4->sin_port), 69);
	assert_int_equal(ntohl(v4->sin_addr.s_addr), 0x0a010203);
	assert_int_equal(dpt_bench_parse_addr("127.0.0.1:6969", 69, &ss,
					      &len), 0);
	assert_int_equal(ntohs(v4->sin_port), 6969);
	assert_int_equal(dpt_bench_parse_addr("[::1]:1069", 69, &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(ntohs(v6->sin6_port), 1069);
	assert_int_equal(dpt_bench_parse_addr("fe80::1", 69, &ss, &len), 0);
	assert_int_equal(ntohs(v6->sin6_port), 69);
	assert_int_equal(dpt_bench_parse_addr("1.2.3.4:70000", 69, &ss, &len),
			 -1);
	assert_int_equal(dpt_bench_parse_addr("1.2.3.4:", 69, &ss, &len), -1);
	assert_int_equal(dpt_bench_parse_addr("[::1", 69, &ss, &len), -1);
	assert_int_equal(dpt_bench_parse_addr("", 69, &ss, &len), -1);
}

/* Verifies: a minimal command line gets the documented defaults. */
static void
defaults(void **state)
{
	assert_int_equal(parse("--server 10.0.0.1 --get a,b/c"), 0);
	assert_int_equal(opts.op, DPT_TFTP_RRQ);
	assert_int_equal(opts.n_files, 2);
	assert_string_equal(opts.files[1], "b/c");
	assert_int_equal(opts.mode, DPT_TFTP_MODE_OCTET);
	assert_int_equal(opts.blksize, 0);
	assert_int_equal(opts.windowsize, 0);
	assert_false(opts.tsize);
	assert_int_equal(opts.rto_us, 1000000);
	assert_int_equal(opts.rto_max_us, 8000000);
	assert_int_equal(opts.retries, 5);
	assert_int_equal(opts.run_mode, DPT_BENCH_MODE_COUNT);
	assert_int_equal(opts.count, 1);
	assert_int_equal(opts.concurrency, 1);
	assert_int_equal(opts.threads, 1);	/* never more than slots */
	assert_string_equal(opts.backend->name, "socket");
}

/* Verifies: a full command line lands in the right fields; --timeout
 * sets the first retransmission too. */
static void
full_line(void **state)
{
	assert_int_equal(parse("--server [::1]:6969 --files a,b,c --storm 1000 "
			       "--rate 50/s --blksize 1468 --windowsize 16 "
			       "--tsize --timeout 2 --retries 3 --mode "
			       "netascii -t 2 --label x --json - --csv f.csv"),
			 0);
	assert_int_equal(opts.run_mode, DPT_BENCH_MODE_STORM);
	assert_int_equal(opts.storm, 1000);
	assert_true(opts.rate == 50.0);
	assert_int_equal(opts.blksize, 1468);
	assert_int_equal(opts.windowsize, 16);
	assert_true(opts.tsize);
	assert_int_equal(opts.timeout_s, 2);
	assert_int_equal(opts.rto_us, 2000000);
	assert_int_equal(opts.retries, 3);
	assert_int_equal(opts.mode, DPT_TFTP_MODE_NETASCII);
	assert_int_equal(opts.threads, 2);
	assert_string_equal(opts.label, "x");
	assert_int_equal(opts.server_addr.ss_family, AF_INET6);
}

/* Verifies: uploads need a size and become WRQs; concurrency is clamped
 * to the count; threads to the concurrency. */
static void
uploads_and_clamps(void **state)
{
	assert_int_equal(parse("--server 1.2.3.4 --put x --count 3"), -1);
	assert_string_equal(err, "--put needs --size");
	assert_int_equal(parse("--server 1.2.3.4 --put up/{n} --size 4M "
			       "--count 3 -c 10 -t 8"), 0);
	assert_int_equal(opts.op, DPT_TFTP_WRQ);
	assert_int_equal(opts.size, 4194304);
	assert_int_equal(opts.concurrency, 3);
	assert_int_equal(opts.threads, 3);
}

/* Verifies: each bad input gives one line naming what is wrong, and the
 * parser says so with -1 (main exits 1). */
static void
errors_one_line(void **state)
{
	static const struct {
		const char *line;
		const char *msg;
	} cases[] = {
		{ "--get a", "--server is required" },
		{ "--server 1.2.3.4", "give files to download (--get) or a "
		  "name to upload to (--put)" },
		{ "--server 1.2.3.4 --get a --put b --size 1",
		  "--get and --put are exclusive" },
		{ "--server 1.2.3.4 --get a --blksize 7",
		  "--blksize: 7 is outside 8..65464" },
		{ "--server 1.2.3.4 --get a --windowsize x",
		  "--windowsize: 'x' is not a whole number" },
		{ "--server 1.2.3.4 --get a --count 5 --duration 1s",
		  "--count, --duration and --storm are exclusive" },
		{ "--server 1.2.3.4 --files a --storm 10",
		  "--storm needs --rate" },
		{ "--server 1.2.3.4 --get a --rate 5", "--rate applies to "
		  "--storm only" },
		{ "--server 1.2.3.4 --files a --storm 10 --rate 1 -c 4",
		  "--concurrency does not apply to --storm: each client runs "
		  "one transfer at a time" },
		{ "--server 1.2.3.4 --get a --bogus",
		  "unknown option '--bogus'" },
		{ "--server 1.2.3.4 --get", "option '--get' needs a value" },
		{ "--server 1.2.3.4 --get a extra",
		  "unexpected argument 'extra'" },
		{ "--server nowhere:99999 --get a", "--server: 'nowhere:99999' "
		  "is not an address (A.B.C.D[:PORT], [V6]:PORT or a host "
		  "name)" },
		{ "--server 1.2.3.4 --get a --mode mail",
		  "--mode: 'mail' is not octet or netascii" },
#ifdef DPT_BENCH_DPDK
		{ "--server 1.2.3.4 --get a --backend xdp",
		  "--backend: 'xdp' is not a backend of this build (socket, "
		  "dpdk)" },
#else
		{ "--server 1.2.3.4 --get a --backend dpdk",
		  "--backend: 'dpdk' is not a backend of this build (socket)" },
#endif
		{ "--server 1.2.3.4 --get a --iface eth1",
		  "--iface needs --backend dpdk" },
		{ "--server 1.2.3.4 --get a --ip 10.0.0.2/24",
		  "--ip needs --backend dpdk" },
		{ "--server 1.2.3.4 --get a --verify x --verify-dir y",
		  "--verify and --verify-dir are exclusive" },
		{ "--server 1.2.3.4 --get a --rto 2s --rto-max 1s",
		  "--rto-max is below the first retransmission's wait" },
		{ "--make-pattern x", "--make-pattern needs --size" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(cases[i].line), -1);
		assert_string_equal(err, cases[i].msg);
		assert_null(strchr(err, '\n'));
	}
}

#ifdef DPT_BENCH_DPDK
/* Verifies: the dpdk backend's options parse (address and prefix in
 * network order), and what it cannot do is refused in one line. */
static void
dpdk_options(void **state)
{
	static const struct {
		const char *line;
		const char *msg;
	} bad[] = {
		{ "--backend dpdk --iface e --server 1.2.3.4 --get a",
		  "--backend dpdk needs --ip ADDR/PREFIX, our address on the "
		  "port" },
		{ "--backend dpdk --ip 10.0.0.2/24 --server 1.2.3.4 --get a",
		  "--backend dpdk needs a port: --iface IFNAME (net_af_packet) "
		  "or --eal '-a PCI ...'" },
		{ "--backend dpdk --iface e --ip 10.0.0.2/24 --server [::1] "
		  "--get a", "--server and --ip are not of one family (IPv4 "
		  "and IPv6)" },
		{ "--backend dpdk --iface e --ip fd00::2/64 --server 1.2.3.4 "
		  "--get a", "--server and --ip are not of one family (IPv4 "
		  "and IPv6)" },
		{ "--backend dpdk --iface e --ip fd00::2/64 --gateway 10.0.0.1 "
		  "--server [fd00::1] --get a", "--gateway and --ip are not of "
		  "one family (IPv4 and IPv6)" },
		{ "--backend dpdk --iface e --ip 10.0.0.2 --server 1.2.3.4 "
		  "--get a", "--ip: '10.0.0.2' is not ADDR/PREFIX "
		  "(192.0.2.20/24 or 2001:db8::20/64)" },
		{ "--backend dpdk --iface e --ip 10.0.0.2/33 --server 1.2.3.4 "
		  "--get a", "--ip: '10.0.0.2/33' is not ADDR/PREFIX with a "
		  "prefix of 1..32 (IPv4) or 1..128 (IPv6)" },
		{ "--backend dpdk --iface e --ip fd00::2/129 --server [fd00::1] "
		  "--get a", "--ip: 'fd00::2/129' is not ADDR/PREFIX with a "
		  "prefix of 1..32 (IPv4) or 1..128 (IPv6)" },
		{ "--backend dpdk --iface e --ip 10.0.0.2/24 --gateway x "
		  "--server 1.2.3.4 --get a",
		  "--gateway: 'x' is not an IPv4 or IPv6 address" },
		{ "--backend dpdk --iface e --ip 10.0.0.2/24 --bind 10.0.0.2 "
		  "--server 1.2.3.4 --get a", "--bind is the socket backend's; "
		  "--backend dpdk sends from --ip" },
		{ "--backend dpdk --iface e --port-id 1 --ip 10.0.0.2/24 "
		  "--server 1.2.3.4 --get a",
		  "--iface and --port-id are exclusive" },
	};
	size_t i;

	assert_int_equal(parse("--backend dpdk --iface veth1 --ip "
			       "10.0.0.2/24 --gateway 10.0.0.254 --server "
			       "10.1.0.1 --get a"), 0);
	assert_string_equal(opts.backend->name, "dpdk");
	assert_string_equal(opts.iface, "veth1");
	assert_int_equal(ntohl(opts.ip_addr), 0x0a000002);
	assert_int_equal(opts.ip_prefix, 24);
	assert_int_equal(ntohl(opts.gateway_addr), 0x0a0000fe);
	assert_int_equal(opts.ip_family, AF_INET);
	assert_int_equal(parse("--backend dpdk --eal -a --ip 10.0.0.2/8 "
			       "--server 10.1.0.1 --get a"), 0);
	assert_string_equal(opts.eal_args, "-a");
	assert_int_equal(parse("--backend dpdk --iface e --ip fd00::2/64 "
			       "--gateway fe80::1 --server [2001:db8::1] "
			       "--get a"), 0);
	assert_int_equal(opts.ip_family, AF_INET6);
	assert_int_equal(opts.ip_prefix, 64);
	assert_int_equal(opts.ip6[0], 0xfd);
	assert_int_equal(opts.ip6[15], 0x02);
	assert_int_equal(opts.gateway6[0], 0xfe);
	assert_int_equal(opts.gateway6[15], 0x01);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i].line), -1);
		assert_string_equal(err, bad[i].msg);
	}
}
#endif

/* Verifies: "{n}" and "{c}" in an upload name expand; a result too long
 * is refused. */
static void
name_templates(void **state)
{
	char out[32];

	assert_int_equal(dpt_bench_expand_name("up/{c}-{n}.bin", 42, 7, out,
					       sizeof(out)), 0);
	assert_string_equal(out, "up/7-42.bin");
	assert_int_equal(dpt_bench_expand_name("{x}{n", 1, 2, out,
					       sizeof(out)), 0);
	assert_string_equal(out, "{x}{n");
	assert_int_equal(dpt_bench_expand_name("a{n}", UINT64_MAX, 0, out, 8),
			 -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sizes),
		cmocka_unit_test(durations),
		cmocka_unit_test(rates),
		cmocka_unit_test(addresses),
		cmocka_unit_test(defaults),
		cmocka_unit_test(full_line),
		cmocka_unit_test(uploads_and_clamps),
		cmocka_unit_test(errors_one_line),
		cmocka_unit_test(name_templates),
#ifdef DPT_BENCH_DPDK
		cmocka_unit_test(dpdk_options),
#endif
	};

	return cmocka_run_group_tests_name("bench_opts", tests, NULL, NULL);
}
