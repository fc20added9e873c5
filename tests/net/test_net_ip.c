/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * IPv4, UDP and ICMP as they arrive: lengths from the headers, never from
 * the frame; checksums unless the NIC vouched; addresses we may answer.
 */

#include <string.h>

#include "test_net.h"

/* Verifies: a datagram to us yields every field the worker needs. */
static void
test_udp_fields(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	struct dpt_net_pkt pkt;
	size_t len;

	tn_spec_udp(&s);
	len = tn_build(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt), DPT_NET_UDP);
	assert_memory_equal(&pkt.src_mac, &tn_peer_mac, 6);
	assert_int_equal(pkt.l2_len, 14);
	assert_int_equal(pkt.vlan, 0);
	assert_int_equal(pkt.l3_len, 20);
	assert_int_equal(pkt.l3_total, 20 + 8 + s.payload_len);
	assert_int_equal(pkt.src_ip, TN_PEER_IP);
	assert_int_equal(pkt.dst_ip, TN_OUR_IP);
	assert_int_equal(pkt.src_port, TN_PEER_PORT);
	assert_int_equal(pkt.dst_port, TN_TFTP_PORT);
	assert_int_equal(pkt.payload_off, 14 + 20 + 8);
	assert_int_equal(pkt.payload_len, s.payload_len);
	assert_memory_equal(buf + pkt.payload_off, s.payload, s.payload_len);
}

/* Parses every prefix of frame (exact heap copies, so ASan catches an
 * over-read): none may be `never` or `whole`. */
static void
every_prefix(const uint8_t *frame, size_t full, const struct dpt_net_if *ifc,
	     enum dpt_net_kind never, enum dpt_net_kind whole)
{
	struct dpt_net_pkt pkt;
	size_t len;

	for (len = 0; len < full; len++) {
		tn_parse(frame, len, ifc, 0, &pkt);
		if (pkt.kind == never || pkt.kind == whole)
			fail_msg("prefix %zu of %zu parsed as kind %d", len,
				 full, pkt.kind);
	}
	tn_expect_kind(frame, full, ifc, 0, whole);
}

/* Steps: cut valid frames at every byte. Verifies: no crash, no over-read,
 * never UDP (or echo, or ARP request) unless the whole datagram is there;
 * with the NIC's checksum flags too, so the length checks stand alone. */
static void
test_truncated_every_prefix(void **state)
{
	static const uint8_t opts[4] = { 1, 1, 1, 0 };
	static const struct rte_ether_addr zero;
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec s;
	size_t len, cut;

	tn_spec_udp(&s);
	len = tn_build(buf, &s);
	every_prefix(buf, len, &tn_if, DPT_NET_ICMP_ECHO, DPT_NET_UDP);
	for (cut = 0; cut < len; cut++) {
		tn_parse(buf, cut, &tn_if,
			 DPT_NET_RX_IP_CSUM_GOOD | DPT_NET_RX_L4_CSUM_GOOD,
			 &pkt);
		assert_int_not_equal(pkt.kind, DPT_NET_UDP);
	}
	s.tci = TN_VLAN;
	s.opts = opts;
	s.opts_len = sizeof(opts);
	len = tn_build(buf, &s);
	every_prefix(buf, len, &tn_if_vlan, DPT_NET_ICMP_ECHO, DPT_NET_UDP);
	tn_spec_icmp_echo(&s);
	len = tn_build(buf, &s);
	every_prefix(buf, len, &tn_if, DPT_NET_UDP, DPT_NET_ICMP_ECHO);
	len = tn_arp(buf, &tn_bcast_mac, 0, 1, &tn_peer_mac, TN_PEER_IP,
		     &zero, TN_OUR_IP);
	every_prefix(buf, len, &tn_if, DPT_NET_UDP, DPT_NET_ARP_REQUEST);
}

/* Verifies: a version other than 4 is dropped as ip-version. */
static void
test_ip_version(void **state)
{
	static const uint8_t versions[] = { 0, 5, 6, 15 };
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len, i;

	tn_spec_udp(&s);
	for (i = 0; i < RTE_DIM(versions); i++) {
		s.version = versions[i];
		len = tn_build(buf, &s);
		tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_IP_VERSION);
	}
}

/* Verifies: IHL 0 to 4 is dropped as ip-hdrlen. */
static void
test_ihl_too_small(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;
	uint8_t ihl;

	tn_spec_udp(&s);
	for (ihl = 0; ihl < 5; ihl++) {
		len = tn_build(buf, &s);
		buf[14] = (uint8_t)(0x40 | ihl);
		tn_fix_ip_csum(buf);
		tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_IP_HDRLEN);
	}
}

/* Verifies: an IHL reaching past the frame is dropped as ip-hdrlen, even
 * when the total length field would cover it. */
static void
test_ihl_past_frame(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	tn_spec_udp(&s);
	s.payload_len = 0;
	len = tn_build(buf, &s);	/* 28 bytes of IP */
	buf[14] = 0x48;			/* 32 bytes of header */
	tn_wr16(buf + 16, 32);
	tn_expect_drop(buf, len, &tn_if, DPT_NET_RX_IP_CSUM_GOOD,
		       DPT_NET_DROP_IP_HDRLEN);
	buf[14] = 0x4f;			/* 60 bytes of header */
	tn_expect_drop(buf, len, &tn_if, DPT_NET_RX_IP_CSUM_GOOD,
		       DPT_NET_DROP_IP_HDRLEN);
	/* a 20-byte header cut after 19 */
	len = tn_build(buf, &s);
	tn_expect_drop(buf, 14 + 19, &tn_if, 0, DPT_NET_DROP_IP_HDRLEN);
}

/* Verifies: a total length below IHL * 4 is dropped as ip-len. */
static void
test_total_len_small(void **state)
{
	static const uint8_t opts[4] = { 1, 1, 1, 0 };
	static const uint16_t totals[] = { 0, 1, 19, 23 };
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len, i;

	tn_spec_udp(&s);
	s.opts = opts;
	s.opts_len = sizeof(opts);
	for (i = 0; i < RTE_DIM(totals); i++) {
		len = tn_build(buf, &s);
		tn_wr16(buf + 16, totals[i]);
		tn_fix_ip_csum(buf);
		tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_IP_LEN);
	}
	/* exactly the header: not a length error (UDP is then too short) */
	len = tn_build(buf, &s);
	tn_wr16(buf + 16, 24);
	tn_fix_ip_csum(buf);
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_UDP_LEN);
}

/* Verifies: a total length past the frame is dropped as ip-len. */
static void
test_total_len_past_frame(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	tn_spec_udp(&s);
	len = tn_build(buf, &s);
	tn_wr16(buf + 16, (uint16_t)(len - 14 + 1));
	tn_fix_ip_csum(buf);
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_IP_LEN);
	tn_wr16(buf + 16, 0xffff);
	tn_fix_ip_csum(buf);
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_IP_LEN);
	/* the same datagram, whole: fine */
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_UDP);
}

/* Steps: a short datagram padded to the Ethernet minimum with junk.
 * Verifies: accepted; lengths come from IP and UDP, not the frame. */
static void
test_eth_padding(void **state)
{
	static const uint8_t one = 'x';
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	struct dpt_net_pkt pkt;
	size_t len;

	tn_spec_udp(&s);
	s.payload = &one;
	s.payload_len = 1;
	s.pad = 60 - (14 + 20 + 8 + 1);
	s.pad_byte = 0xee;
	len = tn_build(buf, &s);
	assert_int_equal(len, 60);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt), DPT_NET_UDP);
	assert_int_equal(pkt.l3_total, 29);
	assert_int_equal(pkt.payload_len, 1);
	tn_spec_icmp_echo(&s);
	s.pad = 100;
	s.pad_byte = 0x55;
	len = tn_build(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt),
			 DPT_NET_ICMP_ECHO);
	assert_int_equal(pkt.payload_len, 4 + s.payload_len);
}

/* Verifies: a wrong header checksum drops as ip-csum, unless the NIC said
 * it was good; the L4 flag does not skip it. */
static void
test_ip_csum(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	tn_spec_udp(&s);
	len = tn_build(buf, &s);
	buf[14 + 11] ^= 0x01;
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_IP_CSUM);
	tn_expect_drop(buf, len, &tn_if, DPT_NET_RX_L4_CSUM_GOOD,
		       DPT_NET_DROP_IP_CSUM);
	tn_expect_kind(buf, len, &tn_if, DPT_NET_RX_IP_CSUM_GOOD, DPT_NET_UDP);
	/* a changed TTL, checksum not updated */
	len = tn_build(buf, &s);
	buf[14 + 8] = 63;
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_IP_CSUM);
}

/* Steps: options (NOPs; record route) make IHL 6 and 7.
 * Verifies: UDP is read after the options: ports, offsets, checksum. */
static void
test_ip_options_skipped(void **state)
{
	static const uint8_t nops[4] = { 1, 1, 1, 0 };
	static const uint8_t rr[8] = { 7, 7, 4, 0, 0, 0, 0, 0 };
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	struct dpt_net_pkt pkt;
	size_t len;

	tn_spec_udp(&s);
	s.opts = nops;
	s.opts_len = sizeof(nops);
	len = tn_build(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt), DPT_NET_UDP);
	assert_int_equal(pkt.l3_len, 24);
	assert_int_equal(pkt.payload_off, 14 + 24 + 8);
	assert_int_equal(pkt.payload_len, s.payload_len);
	assert_int_equal(pkt.src_port, TN_PEER_PORT);
	assert_int_equal(pkt.dst_port, TN_TFTP_PORT);
	s.opts = rr;
	s.opts_len = sizeof(rr);
	len = tn_build(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt), DPT_NET_UDP);
	assert_int_equal(pkt.l3_len, 28);
	assert_int_equal(pkt.payload_off, 14 + 28 + 8);
	assert_memory_equal(buf + pkt.payload_off, s.payload, s.payload_len);
}

/* Verifies: loose and strict source routes, after NOPs too, and option
 * lists that do not parse, are dropped as ip-srcroute. */
static void
test_ip_source_route(void **state)
{
	static const uint8_t bad[][8] = {
		{ 0x83, 7, 4, 10, 0, 0, 1, 0 },	/* LSRR */
		{ 0x89, 7, 4, 10, 0, 0, 1, 0 },	/* SSRR */
		{ 1, 0x83, 3, 4, 0, 0, 0, 0 },	/* NOP, LSRR */
		{ 7, 0, 0, 0, 0, 0, 0, 0 },	/* length 0 */
		{ 7, 1, 0, 0, 0, 0, 0, 0 },	/* length 1 */
		{ 7, 9, 4, 0, 0, 0, 0, 0 },	/* past the header */
		{ 1, 1, 1, 1, 1, 1, 1, 7 },	/* no room for a length */
	};
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len, i;

	tn_spec_udp(&s);
	s.opts_len = sizeof(bad[0]);
	for (i = 0; i < RTE_DIM(bad); i++) {
		s.opts = bad[i];
		len = tn_build(buf, &s);
		tn_expect_drop(buf, len, &tn_if, 0,
			       DPT_NET_DROP_IP_OPTIONS_SRC);
	}
	/* the lone type byte is the datagram's and the frame's last: the
	 * length byte it calls for must not be read (ASan) */
	s.opts = bad[RTE_DIM(bad) - 1];
	tn_build(buf, &s);
	tn_wr16(buf + 16, 28);
	tn_fix_ip_csum(buf);
	tn_expect_drop(buf, 14 + 28, &tn_if, 0, DPT_NET_DROP_IP_OPTIONS_SRC);
}

/* Verifies: senders we must not answer are dropped as ip-addr; ordinary
 * ones, on and off link, are not. */
static void
test_ip_src_addr(void **state)
{
	const uint32_t bad[] = {
		tn_ip(0, 0, 0, 0), tn_ip(0, 1, 2, 3), tn_ip(127, 0, 0, 1),
		tn_ip(127, 255, 255, 254), tn_ip(224, 0, 0, 1),
		tn_ip(239, 255, 255, 250), tn_ip(255, 255, 255, 255),
		tn_ip(192, 0, 2, 255),	/* our subnet's broadcast */
		tn_ip(192, 0, 2, 1),	/* ourselves */
	};
	const uint32_t good[] = {
		tn_ip(1, 0, 0, 0), tn_ip(10, 0, 0, 1),
		tn_ip(126, 255, 255, 255), tn_ip(128, 0, 0, 1),
		tn_ip(192, 0, 2, 254),
		tn_ip(192, 0, 3, 255), tn_ip(223, 255, 255, 255),
	};
	struct dpt_net_if ifc = tn_if;
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len, i;

	tn_spec_udp(&s);
	for (i = 0; i < RTE_DIM(bad); i++) {
		s.src_ip = bad[i];
		len = tn_build(buf, &s);
		tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_IP_ADDR);
	}
	for (i = 0; i < RTE_DIM(good); i++) {
		s.src_ip = good[i];
		len = tn_build(buf, &s);
		tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_UDP);
	}
	/* a /31 (RFC 3021) and a /32 have no broadcast address: the other
	 * end of a /31 may well end in all ones */
	ifc.ip = tn_ip(192, 0, 2, 0);
	ifc.prefix = 31;
	s.dst_ip = ifc.ip;
	s.src_ip = tn_ip(192, 0, 2, 1);
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &ifc, 0, DPT_NET_UDP);
	ifc.prefix = 32;
	s.src_ip = tn_ip(192, 0, 2, 255);
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &ifc, 0, DPT_NET_UDP);
	ifc.prefix = 30;
	s.src_ip = tn_ip(192, 0, 2, 3);
	len = tn_build(buf, &s);
	tn_expect_drop(buf, len, &ifc, 0, DPT_NET_DROP_IP_ADDR);
}

/* Verifies: datagrams to any other address (broadcasts included) are
 * OTHER, not answered and not counted as drops. */
static void
test_ip_dst_not_ours(void **state)
{
	const uint32_t dst[] = {
		tn_ip(192, 0, 2, 2), tn_ip(192, 0, 2, 255),
		tn_ip(255, 255, 255, 255), tn_ip(224, 0, 0, 1),
	};
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len, i;

	tn_spec_udp(&s);
	for (i = 0; i < RTE_DIM(dst); i++) {
		s.dst_ip = dst[i];
		len = tn_build(buf, &s);
		tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_OTHER);
	}
}

/* Verifies: MF or a fragment offset makes a fragment, with the offsets
 * rte_ip_frag needs; DF alone does not. */
static void
test_fragments(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	struct dpt_net_pkt pkt;
	size_t len;

	tn_spec_udp(&s);
	s.frag = RTE_IPV4_HDR_MF_FLAG;
	len = tn_build(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt),
			 DPT_NET_IPV4_FRAGMENT);
	assert_int_equal(pkt.l2_len, 14);
	assert_int_equal(pkt.l3_len, 20);
	assert_int_equal(pkt.l3_total, len - 14);
	assert_int_equal(pkt.payload_off, 14 + 20);
	assert_int_equal(pkt.payload_len, len - 14 - 20);
	assert_int_equal(pkt.src_ip, TN_PEER_IP);
	s.frag = 185;		/* the last fragment, at 1480 */
	s.tci = TN_VLAN;
	len = tn_build(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if_vlan, 0, &pkt),
			 DPT_NET_IPV4_FRAGMENT);
	assert_int_equal(pkt.l2_len, 18);
	s.tci = 0;
	s.frag = RTE_IPV4_HDR_DF_FLAG;
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_UDP);
	tn_spec_icmp_echo(&s);
	s.frag = RTE_IPV4_HDR_MF_FLAG;
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_IPV4_FRAGMENT);
}

/* Verifies: TCP and other protocols to us are OTHER. */
static void
test_other_proto(void **state)
{
	static const uint8_t tcp[20] = { 0x9c, 0x40, 0, 69 };
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	tn_spec_udp(&s);
	s.proto = IPPROTO_TCP;
	s.payload = tcp;
	s.payload_len = sizeof(tcp);
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_OTHER);
	s.proto = 47;		/* GRE */
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_OTHER);
}

const struct CMUnitTest tn_ip_tests[] = {
	cmocka_unit_test(test_udp_fields),
	cmocka_unit_test(test_truncated_every_prefix),
	cmocka_unit_test(test_ip_version),
	cmocka_unit_test(test_ihl_too_small),
	cmocka_unit_test(test_ihl_past_frame),
	cmocka_unit_test(test_total_len_small),
	cmocka_unit_test(test_total_len_past_frame),
	cmocka_unit_test(test_eth_padding),
	cmocka_unit_test(test_ip_csum),
	cmocka_unit_test(test_ip_options_skipped),
	cmocka_unit_test(test_ip_source_route),
	cmocka_unit_test(test_ip_src_addr),
	cmocka_unit_test(test_ip_dst_not_ours),
	cmocka_unit_test(test_fragments),
	cmocka_unit_test(test_other_proto),
};
const size_t tn_ip_count = RTE_DIM(tn_ip_tests);
