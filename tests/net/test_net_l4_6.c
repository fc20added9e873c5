/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * UDP and ICMPv6 echo over IPv6 as they arrive: lengths from the headers,
 * mandatory checksums, the echo requests we answer, the drops' names.
 */

#include <string.h>

#include "test_net.h"

/* Verifies: UDP over IPv6 whose header does not fit, or whose length is
 * under 8 or past the IPv6 payload, is udp-len. */
static void
test_udp6_len(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec6 s;
	size_t len;

	tn_spec6_udp(&s);
	len = tn_build6(buf, &s);
	tn_wr16(buf + 14 + 40 + 4, 7);
	tn_expect_drop(buf, len, &tn_if6, DPT_NET_RX_L4_CSUM_GOOD,
		       DPT_NET_DROP_UDP_LEN);
	tn_wr16(buf + 14 + 40 + 4, (uint16_t)(8 + s.payload_len + 1));
	tn_expect_drop(buf, len, &tn_if6, DPT_NET_RX_L4_CSUM_GOOD,
		       DPT_NET_DROP_UDP_LEN);
	/* a UDP length shorter than the payload: the rest is not the
	 * datagram's (and the checksum covers what the length says) */
	tn_wr16(buf + 14 + 40 + 4, (uint16_t)(8 + 4));
	tn_fix_l4_csum6(buf, 0);
	{
		struct dpt_net_pkt pkt;

		assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt),
				 DPT_NET_UDP6);
		assert_int_equal(pkt.payload_len, 4);
	}
	s.nh = 200;		/* 7 bytes of "UDP" */
	s.payload = (const uint8_t *)"1234567";
	s.payload_len = 7;
	len = tn_build6(buf, &s);
	buf[14 + 6] = IPPROTO_UDP;
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_UDP_LEN);
}

/* Verifies: a UDP checksum of 0 is udp6-no-csum, even when the NIC says
 * the checksum is good; a wrong one is udp-csum unless the NIC checked
 * it; a datagram whose checksum computes to 0 travels as 0xffff and is
 * accepted. */
static void
test_udp6_csum(void **state)
{
	uint8_t buf[TN_BUF], data[2] = { 0, 0 };
	struct tn_spec6 s;
	size_t len;

	tn_spec6_udp(&s);
	s.no_csum = true;
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_UDP6_NO_CSUM);
	tn_expect_drop(buf, len, &tn_if6, DPT_NET_RX_L4_CSUM_GOOD,
		       DPT_NET_DROP_UDP6_NO_CSUM);
	s.no_csum = false;
	len = tn_build6(buf, &s);
	buf[len - 1] ^= 0x01;
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_UDP_CSUM);
	tn_expect_kind(buf, len, &tn_if6, DPT_NET_RX_L4_CSUM_GOOD,
		       DPT_NET_UDP6);
	/* the pseudo header counts: another source, same bytes after it */
	len = tn_build6(buf, &s);
	buf[14 + 8 + 15] ^= 0x02;
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_UDP_CSUM);
	/* a payload that makes the sum come out 0 */
	s.payload = data;
	s.payload_len = 2;
	len = tn_build6(buf, &s);
	data[0] = buf[14 + 40 + 6];
	data[1] = buf[14 + 40 + 7];
	len = tn_build6(buf, &s);
	assert_int_equal(tn_rd16(buf + 14 + 40 + 6), 0xffff);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_UDP6);
}

/* Verifies: ICMPv6 checksums are always checked (icmp6-csum), whatever
 * the NIC says; a message under 4 bytes, or an echo request under 8, is
 * icmp6-malformed. */
static void
test_icmp6_csum_and_len(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec6 s;
	size_t len;

	tn_spec6_echo(&s);
	len = tn_build6(buf, &s);
	buf[len - 1] ^= 0x10;
	tn_expect_drop(buf, len, &tn_if6, DPT_NET_RX_L4_CSUM_GOOD |
		       DPT_NET_RX_IP_CSUM_GOOD, DPT_NET_DROP_ICMP6_CSUM);
	/* 3 bytes of ICMPv6 */
	s.nh = 201;
	s.payload = (const uint8_t *)"\x80\x00\x00";
	s.payload_len = 3;
	len = tn_build6(buf, &s);
	buf[14 + 6] = IPPROTO_ICMPV6;
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_ICMP6_MALFORMED);
	/* an echo request of 4 and of 7 bytes */
	tn_spec6_echo(&s);
	s.payload_len = 0;
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_ICMP6_MALFORMED);
	tn_spec6_echo(&s);
	s.payload_len = 3;
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_ICMP6_MALFORMED);
	s.payload_len = 4;
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_ICMP6_ECHO);
}

/* Verifies: an echo request (128, code 0) to our address, our link-local
 * address, on our VLAN, or behind a hop-by-hop header is ICMP6_ECHO;
 * replies, errors, advertisements and an echo with code 1 are ICMP_OTHER
 * (ignored). */
static void
test_icmp6_echo_kinds(void **state)
{
	static const uint8_t others[][2] = {
		{ 129, 0 }, { 1, 4 }, { 2, 0 }, { 136, 0 }, { 134, 0 },
		{ 133, 0 }, { 128, 1 }, { 143, 0 },
	};
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len, i;

	tn_spec6_echo(&s);
	len = tn_build6(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt),
			 DPT_NET_ICMP6_ECHO);
	assert_int_equal(pkt.payload_off, 14 + 40);
	assert_int_equal(pkt.payload_len, 4 + s.payload_len);
	memcpy(s.dst, tn_our_ll6, 16);
	memcpy(s.src, tn_peer_ll6, 16);
	s.tci = TN_VLAN;
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6_vlan, 0, DPT_NET_ICMP6_ECHO);
	s.tci = 0;
	s.ext_type = IPPROTO_HOPOPTS;
	s.ext = tn_hbh_ra;
	s.ext_len = 8;
	len = tn_build6(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt),
			 DPT_NET_ICMP6_ECHO);
	assert_int_equal(pkt.payload_off, 14 + 48);
	for (i = 0; i < RTE_DIM(others); i++) {
		tn_spec6_echo(&s);
		s.icmp_type = others[i][0];
		s.icmp_code = others[i][1];
		len = tn_build6(buf, &s);
		tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_ICMP_OTHER);
	}
}

/* Verifies: each new drop reason has its counter name. */
static void
test_drop_names6(void **state)
{
	assert_string_equal(dpt_net_drop_name(DPT_NET_DROP_IP6_LEN),
			    "ip6-len");
	assert_string_equal(dpt_net_drop_name(DPT_NET_DROP_IP6_EXTHDR),
			    "ip6-exthdr");
	assert_string_equal(dpt_net_drop_name(DPT_NET_DROP_IP6_FRAGMENT),
			    "ip6-fragment");
	assert_string_equal(dpt_net_drop_name(DPT_NET_DROP_IP6_ADDR),
			    "ip6-addr");
	assert_string_equal(dpt_net_drop_name(DPT_NET_DROP_UDP6_NO_CSUM),
			    "udp6-no-csum");
	assert_string_equal(dpt_net_drop_name(DPT_NET_DROP_ICMP6_CSUM),
			    "icmp6-csum");
	assert_string_equal(dpt_net_drop_name(DPT_NET_DROP_ICMP6_MALFORMED),
			    "icmp6-malformed");
	assert_string_equal(dpt_net_drop_name(DPT_NET_DROP_ND_INVALID),
			    "nd-invalid");
}

const struct CMUnitTest tn_l4_6_tests[] = {
	cmocka_unit_test(test_udp6_len),
	cmocka_unit_test(test_udp6_csum),
	cmocka_unit_test(test_icmp6_csum_and_len),
	cmocka_unit_test(test_icmp6_echo_kinds),
	cmocka_unit_test(test_drop_names6),
};

const size_t tn_l4_6_count = RTE_DIM(tn_l4_6_tests);
