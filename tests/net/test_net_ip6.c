/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * IPv6 as it arrives: which packets are ours, which extension headers
 * pass, lengths from the headers, sources we may answer. UDP and ICMPv6
 * over it: test_net_l4_6.c.
 */

#include <string.h>

#include "test_net.h"

static size_t
udp6(uint8_t *buf, const uint8_t *dst)
{
	struct tn_spec6 s;

	tn_spec6_udp(&s);
	memcpy(s.dst, dst, 16);
	return tn_build6(buf, &s);
}

/* Parses every prefix of frame (exact heap copies, so ASan catches an
 * over-read), with and without the NIC's checksum flags: none may be
 * `whole`, and the whole frame must be. */
static void
every_prefix6(const uint8_t *frame, size_t full, const struct dpt_net_if *ifc,
	      enum dpt_net_kind whole)
{
	struct dpt_net_pkt pkt;
	size_t len;

	for (len = 0; len < full; len++) {
		tn_parse(frame, len, ifc, 0, &pkt);
		if (pkt.kind == whole)
			fail_msg("prefix %zu of %zu parsed as kind %d", len,
				 full, pkt.kind);
		tn_parse(frame, len, ifc, DPT_NET_RX_IP_CSUM_GOOD |
			 DPT_NET_RX_L4_CSUM_GOOD, &pkt);
		if (pkt.kind == whole)
			fail_msg("prefix %zu of %zu parsed as kind %d with "
				 "NIC flags", len, full, pkt.kind);
	}
	tn_expect_kind(frame, full, ifc, 0, whole);
}

/* Verifies: a datagram to our address yields every field the worker
 * needs, and one to our link-local address says so in dst_ip6. */
static void
test_udp6_fields(void **state)
{
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len;

	tn_spec6_udp(&s);
	len = tn_build6(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt), DPT_NET_UDP6);
	assert_memory_equal(&pkt.src_mac, &tn_peer_mac, 6);
	assert_int_equal(pkt.l2_len, 14);
	assert_int_equal(pkt.vlan, 0);
	assert_int_equal(pkt.l3_len, 40);
	assert_int_equal(pkt.l3_total, 40 + 8 + s.payload_len);
	assert_memory_equal(pkt.src_ip6, tn_peer_ip6, 16);
	assert_memory_equal(pkt.dst_ip6, tn_our_ip6, 16);
	assert_int_equal(pkt.src_ip, 0);
	assert_int_equal(pkt.src_port, TN_PEER_PORT);
	assert_int_equal(pkt.dst_port, TN_TFTP_PORT);
	assert_int_equal(pkt.payload_off, 14 + 40 + 8);
	assert_int_equal(pkt.payload_len, s.payload_len);
	assert_memory_equal(buf + pkt.payload_off, s.payload, s.payload_len);

	memcpy(s.src, tn_peer_ll6, 16);
	memcpy(s.dst, tn_our_ll6, 16);
	s.tci = TN_VLAN | 0x6000;
	len = tn_build6(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if6_vlan, 0, &pkt),
			 DPT_NET_UDP6);
	assert_int_equal(pkt.l2_len, 18);
	assert_int_equal(pkt.vlan, TN_VLAN);
	assert_memory_equal(pkt.dst_ip6, tn_our_ll6, 16);
	assert_memory_equal(pkt.src_ip6, tn_peer_ll6, 16);
	assert_int_equal(pkt.payload_off, 18 + 40 + 8);
}

/* Verifies: dpt_net_ll6() is fe80::/64 with the modified EUI-64 of the MAC
 * (universal/local bit flipped, ff:fe in the middle). */
static void
test_ll6(void **state)
{
	static const struct rte_ether_addr m = {{ 0x00, 0x11, 0x22, 0x33, 0x44,
						  0x55 }};
	static const uint8_t want[16] = {
		0xfe, 0x80, 0, 0, 0, 0, 0, 0,
		0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55,
	};
	uint8_t ll6[16];

	dpt_net_ll6(ll6, &m);
	assert_memory_equal(ll6, want, 16);
	dpt_net_ll6(ll6, &tn_if6.mac);
	assert_memory_equal(ll6, tn_our_ll6, 16);
	assert_memory_equal(ll6, tn_if6.ll6, 16);
}

/* Verifies: with IPv6 off (prefix6 0) IPv6 frames are OTHER, even to
 * our link-local address and our MAC; with IPv4 off (ip 0) ARP and IPv4
 * are OTHER while IPv6 works, and no gratuitous ARP is made. */
static void
test_ip6_off(void **state)
{
	static const struct rte_ether_addr zero;
	struct dpt_net_if only6 = tn_if6;
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	len = udp6(buf, tn_our_ll6);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_OTHER);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_UDP6);
	only6.ip = 0;
	only6.prefix = 0;
	tn_expect_kind(buf, len, &only6, 0, DPT_NET_UDP6);
	tn_spec_udp(&s);
	s.dst_ip = 0;
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &only6, 0, DPT_NET_OTHER);
	len = tn_arp(buf, &tn_bcast_mac, 0, 1, &tn_peer_mac, TN_PEER_IP,
		     &zero, 0);
	tn_expect_kind(buf, len, &only6, 0, DPT_NET_OTHER);
	/* nothing to announce for IPv4 */
	assert_int_equal(dpt_net_garp(buf, TN_BUF, &only6), 0);
	/* and IPv4 still works beside IPv6 */
	tn_spec_udp(&s);
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_UDP);
}

/* Steps: cut valid frames at every byte: UDP untagged, tagged, behind a
 * hop-by-hop header; an echo request; solicitations. Verifies: no crash,
 * no over-read, never the whole frame's kind until the whole frame is
 * there, with and without the NIC's checksum flags. */
static void
test_truncated_every_prefix6(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec6 s;
	size_t len;

	tn_spec6_udp(&s);
	len = tn_build6(buf, &s);
	every_prefix6(buf, len, &tn_if6, DPT_NET_UDP6);
	s.tci = TN_VLAN;
	len = tn_build6(buf, &s);
	every_prefix6(buf, len, &tn_if6_vlan, DPT_NET_UDP6);
	s.tci = 0;
	s.ext_type = IPPROTO_HOPOPTS;
	s.ext = tn_hbh_ra;
	s.ext_len = sizeof(tn_hbh_ra);
	len = tn_build6(buf, &s);
	every_prefix6(buf, len, &tn_if6, DPT_NET_UDP6);
	tn_spec6_echo(&s);
	len = tn_build6(buf, &s);
	every_prefix6(buf, len, &tn_if6, DPT_NET_ICMP6_ECHO);
	tn_spec6_ns(&s, tn_our_ip6, true);
	len = tn_build6(buf, &s);
	every_prefix6(buf, len, &tn_if6, DPT_NET_ND_SOLICIT);
	tn_spec6_ns(&s, tn_our_ll6, false);
	s.tci = TN_VLAN;
	len = tn_build6(buf, &s);
	every_prefix6(buf, len, &tn_if6_vlan, DPT_NET_ND_SOLICIT);
}

/* Verifies: EtherType 0x86dd with a version other than 6 is ip-version;
 * a header cut short, or a payload length past the frame, is ip6-len;
 * Ethernet padding after the packet is accepted and never reaches the
 * payload. */
static void
test_ip6_lengths(void **state)
{
	static const uint8_t versions[] = { 0, 4, 7, 15 };
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len, i;

	tn_spec6_udp(&s);
	for (i = 0; i < RTE_DIM(versions); i++) {
		s.version = versions[i];
		len = tn_build6(buf, &s);
		tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_IP_VERSION);
	}
	tn_spec6_udp(&s);
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, 14, &tn_if6, 0, DPT_NET_DROP_RUNT);
	tn_expect_drop(buf, 14 + 39, &tn_if6, 0, DPT_NET_DROP_IP6_LEN);
	tn_expect_drop(buf, len - 1, &tn_if6, 0, DPT_NET_DROP_IP6_LEN);
	tn_wr16(buf + 14 + 4, tn_rd16(buf + 14 + 4) + 1);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_IP6_LEN);
	tn_expect_drop(buf, len, &tn_if6, DPT_NET_RX_L4_CSUM_GOOD,
		       DPT_NET_DROP_IP6_LEN);
	s.pad = 30;
	len = tn_build6(buf, &s);
	memset(buf + len - 30, 0xee, 30);
	assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt), DPT_NET_UDP6);
	assert_int_equal(pkt.payload_len, s.payload_len);
	assert_int_equal(pkt.l3_total, len - 14 - 30);
}

/* Verifies: what is not ours is OTHER, not a drop: another unicast
 * address, ::, all-nodes, another solicited-node group; unicast to us on
 * a multicast or the broadcast MAC; UDP or echo to our own solicited-node
 * group (only solicitations are taken there); a group MAC that is not
 * the destination group's. */
static void
test_ip6_dst(void **state)
{
	static const uint8_t other[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 9 };
	static const uint8_t unspec[16];
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	static const struct rte_ether_addr all_nodes_mac = {{ 0x33, 0x33, 0,
							      0, 0, 1 }};
	uint8_t buf[TN_BUF], group[16];
	struct tn_spec6 s;
	size_t len;

	tn_spec6_udp(&s);
	memcpy(s.dst, other, 16);
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_OTHER);
	memcpy(s.dst, unspec, 16);
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_OTHER);
	memcpy(s.dst, all_nodes, 16);
	s.dst_mac = all_nodes_mac;
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_OTHER);
	tn_group6(group, other);
	group[15] ^= 0x40;
	memcpy(s.dst, group, 16);
	tn_mcast_mac6(&s.dst_mac, group);
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_OTHER);
	/* ours, but on a group or the broadcast MAC */
	tn_spec6_udp(&s);
	tn_group6(group, tn_our_ip6);
	tn_mcast_mac6(&s.dst_mac, group);
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_OTHER);
	s.dst_mac = tn_bcast_mac;
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_OTHER);
	s.dst_mac = tn_other_mac;
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_OTHER);
	/* UDP and echo to our group */
	memcpy(s.dst, group, 16);
	tn_mcast_mac6(&s.dst_mac, group);
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_OTHER);
	tn_spec6_echo(&s);
	memcpy(s.dst, group, 16);
	tn_mcast_mac6(&s.dst_mac, group);
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_OTHER);
	/* a solicitation to our group on another group's MAC */
	tn_spec6_ns(&s, tn_our_ip6, true);
	s.dst_mac.addr_bytes[5] ^= 1;
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_OTHER);
}

/* Verifies: a source we must never answer is ip6-addr: multicast,
 * loopback, our own global or link-local address; :: for UDP and echo. */
static void
test_ip6_src(void **state)
{
	static const uint8_t mcast[16] = { 0xff, 0x02, [15] = 1 };
	static const uint8_t loop[16] = { [15] = 1 };
	static const uint8_t unspec[16];
	const uint8_t *bad[] = { mcast, loop, tn_our_ip6, tn_our_ll6 };
	uint8_t buf[TN_BUF];
	struct tn_spec6 s;
	size_t len, i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		tn_spec6_udp(&s);
		memcpy(s.src, bad[i], 16);
		len = tn_build6(buf, &s);
		tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_IP6_ADDR);
		tn_spec6_echo(&s);
		memcpy(s.src, bad[i], 16);
		len = tn_build6(buf, &s);
		tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_IP6_ADDR);
	}
	tn_spec6_udp(&s);
	memcpy(s.src, unspec, 16);
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_IP6_ADDR);
	tn_spec6_echo(&s);
	memcpy(s.src, unspec, 16);
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_IP6_ADDR);
}

/* Verifies: a well-formed hop-by-hop header is skipped (Pad1, PadN,
 * router alert, unknown options marked "skip"; 8 or 16 bytes), and the
 * payload is found after it; one that is cut short, whose options overrun
 * it, that carries an option to act on (jumbo payload, unknown types with
 * the top bits set) or that comes twice is ip6-exthdr. */
static void
test_ip6_hbh(void **state)
{
	static const uint8_t pad1[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t skip16[16] = {
		0, 1, 0x1e, 0x04, 1, 2, 3, 4, 0x01, 0x04, 0, 0, 0, 0, 0, 0,
	};
	static const uint8_t overrun[8] = { 0, 0, 0x01, 0x05, 0, 0, 0, 0 };
	static const uint8_t cut[8] = { 0, 0, 0x01, 0x02, 0, 0, 0, 0x01 };
	static const uint8_t jumbo[8] = { 0, 0, 0xc2, 0x04, 0, 1, 0, 0 };
	static const uint8_t discard[8] = { 0, 0, 0x5e, 0x02, 0, 0, 0, 0 };
	static const uint8_t icmp_err[8] = { 0, 0, 0x9e, 0x02, 0, 0, 0, 0 };
	static const uint8_t longer[8] = { 0, 1, 0x01, 0x04, 0, 0, 0, 0 };
	const uint8_t *bad[] = { overrun, cut, jumbo, discard, icmp_err };
	uint8_t buf[TN_BUF], two[16];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len, i;

	tn_spec6_udp(&s);
	s.ext_type = IPPROTO_HOPOPTS;
	s.ext = tn_hbh_ra;
	s.ext_len = 8;
	len = tn_build6(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt), DPT_NET_UDP6);
	assert_int_equal(pkt.l3_len, 48);
	assert_int_equal(pkt.payload_off, 14 + 48 + 8);
	assert_int_equal(pkt.payload_len, s.payload_len);
	s.ext = pad1;
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_UDP6);
	s.ext = skip16;
	s.ext_len = 16;
	len = tn_build6(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt), DPT_NET_UDP6);
	assert_int_equal(pkt.l3_len, 56);
	s.ext_len = 8;
	for (i = 0; i < RTE_DIM(bad); i++) {
		s.ext = bad[i];
		len = tn_build6(buf, &s);
		tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_IP6_EXTHDR);
	}
	/* says 16 bytes; the packet ends first */
	s.ext = longer;
	s.payload_len = 0;
	s.nh = 59;
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_IP6_EXTHDR);
	/* a payload of one byte: no room for the header's first two */
	tn_spec6_udp(&s);
	s.nh = IPPROTO_HOPOPTS;
	s.payload = (const uint8_t *)"\x11";
	s.payload_len = 1;
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_IP6_EXTHDR);
	/* hop-by-hop twice */
	tn_spec6_udp(&s);
	memcpy(two, tn_hbh_ra, 8);
	memcpy(two + 8, tn_hbh_ra, 8);
	two[8] = IPPROTO_UDP;
	s.nh = IPPROTO_HOPOPTS;		/* the first one's next header */
	s.ext_type = IPPROTO_HOPOPTS;
	s.ext = two;
	s.ext_len = 16;
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_IP6_EXTHDR);
}

/* Verifies: fragments are ip6-fragment, directly or behind a hop-by-hop
 * header; every other extension header is ip6-exthdr; other upper layers
 * (TCP, no next header) are OTHER, not counted. */
static void
test_ip6_ext_headers(void **state)
{
	static const uint8_t ext[] = { 43, 60, 51, 50, 135, 139, 140, 253,
				       254 };
	static const uint8_t other[] = { 6, 59, 132 };
	static const uint8_t eight[8];
	uint8_t buf[TN_BUF];
	struct tn_spec6 s;
	size_t len, i;

	tn_spec6_udp(&s);
	s.ext_type = IPPROTO_FRAGMENT;
	s.ext = eight;
	s.ext_len = 8;
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_IP6_FRAGMENT);
	s.ext_type = IPPROTO_HOPOPTS;
	s.ext = tn_hbh_ra;
	s.nh = IPPROTO_FRAGMENT;
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_IP6_FRAGMENT);
	for (i = 0; i < RTE_DIM(ext); i++) {
		tn_spec6_udp(&s);
		s.ext_type = ext[i];
		s.ext = eight;
		s.ext_len = 8;
		len = tn_build6(buf, &s);
		tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_IP6_EXTHDR);
	}
	for (i = 0; i < RTE_DIM(other); i++) {
		tn_spec6_udp(&s);
		s.nh = other[i];
		len = tn_build6(buf, &s);
		tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_OTHER);
	}
}

const struct CMUnitTest tn_ip6_tests[] = {
	cmocka_unit_test(test_udp6_fields),
	cmocka_unit_test(test_ll6),
	cmocka_unit_test(test_ip6_off),
	cmocka_unit_test(test_truncated_every_prefix6),
	cmocka_unit_test(test_ip6_lengths),
	cmocka_unit_test(test_ip6_dst),
	cmocka_unit_test(test_ip6_src),
	cmocka_unit_test(test_ip6_hbh),
	cmocka_unit_test(test_ip6_ext_headers),
};
const size_t tn_ip6_count = RTE_DIM(tn_ip6_tests);
