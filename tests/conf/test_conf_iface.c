/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/conf: --iface and its row of settings, on the command line and in a
 * file.
 */

#include "test_conf.h"

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

const struct CMUnitTest conf_iface_tests[] = {
	TC_TEST(ifaces),
	TC_TEST(ifaces_bad),
	TC_TEST(ifaces_xdp),
	TC_TEST(file_ifaces),
	TC_TEST(validate_ifaces),
};

const size_t conf_iface_count = TC_DIM(conf_iface_tests);
