/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * UDP and ICMP to us: lengths from the UDP header, checksums unless the
 * NIC vouched (never for ICMP), which ICMP is an echo request.
 */

#include <string.h>

#include "test_net.h"

/* Verifies: UDP lengths below 8, past the IP payload, or an IP payload
 * without room for a UDP header drop as udp-len. */
static void
test_udp_len_bad(void **state)
{
	static const uint16_t ulens[] = { 0, 1, 7 };
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len, i;

	tn_spec_udp(&s);
	for (i = 0; i < RTE_DIM(ulens); i++) {
		len = tn_build(buf, &s);
		tn_wr16(buf + 14 + 20 + 4, ulens[i]);
		tn_expect_drop(buf, len, &tn_if, DPT_NET_RX_L4_CSUM_GOOD,
			       DPT_NET_DROP_UDP_LEN);
	}
	/* one byte past the IP payload, with the frame padded so that the
	 * bytes are there: IP decides */
	s.pad = 16;
	len = tn_build(buf, &s);
	tn_wr16(buf + 14 + 20 + 4, (uint16_t)(8 + s.payload_len + 1));
	tn_expect_drop(buf, len, &tn_if, DPT_NET_RX_L4_CSUM_GOOD,
		       DPT_NET_DROP_UDP_LEN);
	/* IP payload of 7 bytes, padded, then with nothing after it: the
	 * UDP length field must not be read (ASan) */
	len = tn_build(buf, &s);
	tn_wr16(buf + 16, 27);
	tn_fix_ip_csum(buf);
	tn_expect_drop(buf, len, &tn_if, DPT_NET_RX_L4_CSUM_GOOD,
		       DPT_NET_DROP_UDP_LEN);
	tn_wr16(buf + 16, 24);
	tn_fix_ip_csum(buf);
	tn_expect_drop(buf, 14 + 24, &tn_if, DPT_NET_RX_L4_CSUM_GOOD,
		       DPT_NET_DROP_UDP_LEN);
}

/* Steps: a UDP length shorter than the IP payload (trailing bytes inside
 * IP). Verifies: the payload is what UDP says, checksummed over that. */
static void
test_udp_len_inside_ip(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	struct dpt_net_pkt pkt;
	size_t len;

	tn_spec_udp(&s);
	len = tn_build(buf, &s);
	tn_wr16(buf + 14 + 20 + 4, 8 + 5);
	tn_fix_l4_csum(buf);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt), DPT_NET_UDP);
	assert_int_equal(pkt.payload_len, 5);
	assert_int_equal(pkt.l3_total, 20 + 8 + s.payload_len);
	/* the checksum covers the 5 bytes only: a trailing byte is free */
	buf[14 + 20 + 8 + 6] ^= 0xff;
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_UDP);
	buf[14 + 20 + 8 + 4] ^= 0xff;
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_UDP_CSUM);
}

/* Verifies: a wrong UDP checksum drops as udp-csum, unless the NIC vouched
 * for L4; the IP flag does not skip it; a wrong address (pseudo header)
 * is caught too. */
static void
test_udp_csum_wrong(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	tn_spec_udp(&s);
	len = tn_build(buf, &s);
	buf[len - 1] ^= 0x01;
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_UDP_CSUM);
	tn_expect_drop(buf, len, &tn_if, DPT_NET_RX_IP_CSUM_GOOD,
		       DPT_NET_DROP_UDP_CSUM);
	tn_expect_kind(buf, len, &tn_if, DPT_NET_RX_L4_CSUM_GOOD, DPT_NET_UDP);
	/* source address changed, IP checksum fixed, UDP's not */
	len = tn_build(buf, &s);
	memcpy(buf + 14 + 12, &(uint32_t){ tn_ip(192, 0, 2, 8) }, 4);
	tn_fix_ip_csum(buf);
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_UDP_CSUM);
}

/* Verifies: checksum 0 (none sent) is accepted; and 0xffff, the form a
 * computed 0 is sent as, verifies. */
static void
test_udp_csum_zero(void **state)
{
	uint8_t buf[TN_BUF];
	uint8_t payload[16] = { 'z' };
	struct tn_spec s;
	size_t len;
	uint16_t rest;

	tn_spec_udp(&s);
	s.no_udp_csum = true;
	len = tn_build(buf, &s);
	assert_int_equal(tn_rd16(buf + 14 + 20 + 6), 0);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_UDP);
	/* choose the last payload word so the datagram sums to 0xffff */
	s.no_udp_csum = false;
	s.payload = payload;
	s.payload_len = sizeof(payload);
	len = tn_build(buf, &s);
	buf[len - 2] = 0;
	buf[len - 1] = 0;
	buf[14 + 20 + 6] = 0;
	buf[14 + 20 + 7] = 0;
	rest = tn_sum(buf + 14 + 20, 8 + sizeof(payload),
		      tn_sum(buf + 14 + 12, 8, 0) + 17 + 8 + sizeof(payload));
	tn_wr16(buf + len - 2, (uint16_t)~rest);
	tn_fix_l4_csum(buf);
	assert_int_equal(tn_rd16(buf + 14 + 20 + 6), 0xffff);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_UDP);
}

/* Verifies: an echo request yields ICMP_ECHO and the ICMP message. */
static void
test_icmp_echo(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	struct dpt_net_pkt pkt;
	size_t len;

	tn_spec_icmp_echo(&s);
	len = tn_build(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt),
			 DPT_NET_ICMP_ECHO);
	assert_int_equal(pkt.payload_off, 14 + 20);
	assert_int_equal(pkt.payload_len, 4 + s.payload_len);
	assert_int_equal(pkt.src_ip, TN_PEER_IP);
	assert_memory_equal(&pkt.src_mac, &tn_peer_mac, 6);
}

/* Verifies: an echo request shorter than 8 bytes, or any ICMP message
 * shorter than 4, is icmp-malformed (checksum correct). */
static void
test_icmp_echo_short(void **state)
{
	static const uint8_t id[3] = { 0x12, 0x34, 0x00 };
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len, n;

	tn_spec_icmp_echo(&s);
	s.payload = id;
	for (n = 0; n < 4; n++) {
		s.payload_len = n;
		len = tn_build(buf, &s);
		tn_expect_drop(buf, len, &tn_if, 0,
			       DPT_NET_DROP_ICMP_MALFORMED);
	}
	s.payload_len = 0;
	len = tn_build(buf, &s);
	tn_wr16(buf + 16, 20 + 2);
	tn_fix_ip_csum(buf);
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_ICMP_MALFORMED);
}

/* Verifies: a wrong ICMP checksum drops as icmp-csum, whatever the RX
 * flags (NICs vouch for TCP and UDP only). */
static void
test_icmp_csum(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	tn_spec_icmp_echo(&s);
	len = tn_build(buf, &s);
	buf[len - 1] ^= 0x80;
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_ICMP_CSUM);
	tn_expect_drop(buf, len, &tn_if,
		       DPT_NET_RX_IP_CSUM_GOOD | DPT_NET_RX_L4_CSUM_GOOD,
		       DPT_NET_DROP_ICMP_CSUM);
	s.icmp_type = 3;
	len = tn_build(buf, &s);
	buf[14 + 20 + 2] ^= 0x01;
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_ICMP_CSUM);
}

/* Verifies: echo replies, echo requests with a code, and other types are
 * ICMP_OTHER, short or not. */
static void
test_icmp_other(void **state)
{
	static const struct {
		uint8_t type, code;
		size_t len;
	} other[] = {
		{ 0, 0, 9 }, { 8, 1, 9 }, { 3, 3, 28 }, { 13, 0, 16 },
		{ 0, 0, 0 },
	};
	uint8_t payload[32] = { 0 };
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len, i;

	tn_spec_icmp_echo(&s);
	s.payload = payload;
	for (i = 0; i < RTE_DIM(other); i++) {
		s.icmp_type = other[i].type;
		s.icmp_code = other[i].code;
		s.payload_len = other[i].len;
		len = tn_build(buf, &s);
		tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_ICMP_OTHER);
	}
}

const struct CMUnitTest tn_l4_tests[] = {
	cmocka_unit_test(test_udp_len_bad),
	cmocka_unit_test(test_udp_len_inside_ip),
	cmocka_unit_test(test_udp_csum_wrong),
	cmocka_unit_test(test_udp_csum_zero),
	cmocka_unit_test(test_icmp_echo),
	cmocka_unit_test(test_icmp_echo_short),
	cmocka_unit_test(test_icmp_csum),
	cmocka_unit_test(test_icmp_other),
};
const size_t tn_l4_count = RTE_DIM(tn_l4_tests);
