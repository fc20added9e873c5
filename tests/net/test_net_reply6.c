/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * What goes back over IPv6: neighbor advertisements (answers and the one
 * sent at start), echo replies and port unreachables, checked byte by byte
 * against RFC 4861 and RFC 4443 and parsed again the way the peer would.
 */

#include <string.h>

#include "test_net.h"

static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
static const struct rte_ether_addr all_nodes_mac = {{ 0x33, 0x33, 0, 0, 0,
						      1 }};

/* Checks an advertisement frame of len bytes: addresses, flags, target,
 * the target link-layer address option, checksum, hop limit 255. */
static void
expect_na(const uint8_t *buf, size_t len, size_t l2,
	  const struct rte_ether_addr *to, const uint8_t *dst,
	  const uint8_t *target, uint8_t flags)
{
	const uint8_t *ip = buf + l2, *na = ip + 40;

	assert_int_equal(len, l2 + 40 + 32);
	assert_memory_equal(buf, to, 6);
	assert_memory_equal(buf + 6, &tn_if6.mac, 6);
	assert_int_equal(tn_rd16(buf + l2 - 2), 0x86dd);
	assert_int_equal(ip[0], 0x60);
	assert_int_equal(ip[1] | ip[2] | ip[3], 0);
	assert_int_equal(tn_rd16(ip + 4), 32);
	assert_int_equal(ip[6], 58);
	assert_int_equal(ip[7], 255);
	assert_memory_equal(ip + 8, target, 16);
	assert_memory_equal(ip + 24, dst, 16);
	assert_int_equal(na[0], 136);
	assert_int_equal(na[1], 0);
	assert_int_equal(na[4], flags);
	assert_int_equal(na[5] | na[6] | na[7], 0);
	assert_memory_equal(na + 8, target, 16);
	assert_int_equal(na[24], 2);		/* target link-layer address */
	assert_int_equal(na[25], 1);
	assert_memory_equal(na + 26, &tn_if6.mac, 6);
	assert_true(tn_icmp6_csum_ok(ip));
}

/* Verifies: a solicitation for our address, to its group, becomes in
 * place an advertisement from the target to the asker's address and MAC:
 * solicited and override set, router clear, our MAC as target link-layer
 * address, hop limit 255, a valid checksum; the peer's parser takes it
 * as valid ICMPv6. */
static void
test_na_bytes(void **state)
{
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len, out;

	tn_spec6_ns(&s, tn_our_ip6, true);
	len = tn_build6(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt),
			 DPT_NET_ND_SOLICIT);
	out = dpt_net_nd_advert(buf, len, TN_BUF, &pkt, &tn_if6);
	expect_na(buf, out, 14, &tn_peer_mac, tn_peer_ip6, tn_our_ip6, 0x60);
	tn_expect_kind(buf, out, &tn_peer_if6, 0, DPT_NET_ICMP_OTHER);
	/* for the link-local address, asked by the peer's */
	tn_spec6_ns(&s, tn_our_ll6, false);
	memcpy(s.src, tn_peer_ll6, 16);
	s.payload_len = 20;		/* no option: 78 bytes in, 86 out */
	len = tn_build6(buf, &s);
	assert_int_equal(len, 78);
	assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt),
			 DPT_NET_ND_SOLICIT);
	out = dpt_net_nd_advert(buf, len, TN_BUF, &pkt, &tn_if6);
	expect_na(buf, out, 14, &tn_peer_mac, tn_peer_ll6, tn_our_ll6, 0x60);
}

/* Verifies: on a VLAN the advertisement keeps the solicitation's tag,
 * priority bits included, and everything moves by 4. */
static void
test_na_vlan(void **state)
{
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len, out;

	tn_spec6_ns(&s, tn_our_ip6, true);
	s.tci = TN_VLAN | 0xa000;
	len = tn_build6(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if6_vlan, 0, &pkt),
			 DPT_NET_ND_SOLICIT);
	out = dpt_net_nd_advert(buf, len, TN_BUF, &pkt, &tn_if6_vlan);
	assert_int_equal(tn_rd16(buf + 12), 0x8100);
	assert_int_equal(tn_rd16(buf + 14), TN_VLAN | 0xa000);
	expect_na(buf, out, 18, &tn_peer_mac, tn_peer_ip6, tn_our_ip6, 0x60);
	tn_expect_kind(buf, out, &tn_peer_if6_vlan, 0, DPT_NET_ICMP_OTHER);
}

/* Verifies: duplicate address detection for our address (from ::) is
 * answered to all-nodes on 33:33:00:00:00:01, solicited clear, override
 * set (RFC 4861 7.2.4). */
static void
test_na_dad(void **state)
{
	static const uint8_t unspec[16];
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len, out;

	tn_spec6_ns(&s, tn_our_ip6, true);
	memcpy(s.src, unspec, 16);
	s.payload_len = 20;
	len = tn_build6(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt),
			 DPT_NET_ND_SOLICIT);
	out = dpt_net_nd_advert(buf, len, TN_BUF, &pkt, &tn_if6);
	expect_na(buf, out, 14, &all_nodes_mac, all_nodes, tn_our_ip6, 0x20);
}

/* Verifies: a solicitation behind a hop-by-hop header gets the same
 * advertisement, without the header. */
static void
test_na_after_hbh(void **state)
{
	static const uint8_t hbh[8] = { 0, 0, 5, 2, 0, 0, 1, 0 };
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len, out;

	tn_spec6_ns(&s, tn_our_ip6, true);
	s.ext_type = IPPROTO_HOPOPTS;
	s.ext = hbh;
	s.ext_len = 8;
	len = tn_build6(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt),
			 DPT_NET_ND_SOLICIT);
	out = dpt_net_nd_advert(buf, len, TN_BUF, &pkt, &tn_if6);
	expect_na(buf, out, 14, &tn_peer_mac, tn_peer_ip6, tn_our_ip6, 0x60);
}

/* Verifies: no advertisement for what is not a solicitation, nor when
 * the buffer cannot hold it or the frame is shorter than parsed. */
static void
test_na_refuses(void **state)
{
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len;

	tn_spec6_echo(&s);
	len = tn_build6(buf, &s);
	tn_parse(buf, len, &tn_if6, 0, &pkt);
	assert_int_equal(dpt_net_nd_advert(buf, len, TN_BUF, &pkt, &tn_if6),
			 0);
	tn_spec6_ns(&s, tn_our_ip6, true);
	len = tn_build6(buf, &s);
	tn_parse(buf, len, &tn_if6, 0, &pkt);
	assert_int_equal(dpt_net_nd_advert(buf, len, 85, &pkt, &tn_if6), 0);
	assert_int_equal(dpt_net_nd_advert(buf, 14 + 40 + 23, TN_BUF, &pkt,
					   &tn_if6), 0);
	assert_int_equal(dpt_net_nd_advert(buf, len, 86, &pkt, &tn_if6), 86);
}

/* Verifies: the advertisement sent at start: for our address, from it,
 * to all-nodes on 33:33:00:00:00:01, override set and solicited clear,
 * our MAC as target link-layer address, hop limit 255; tagged with our
 * VLAN; none when IPv6 is off or the buffer is short. */
static void
test_na_unsolicited(void **state)
{
	struct dpt_net_if off = tn_if6;
	uint8_t buf[TN_BUF];
	size_t len;

	memset(buf, 0xaa, sizeof(buf));
	len = dpt_net_nd_unsolicited(buf, TN_BUF, &tn_if6);
	expect_na(buf, len, 14, &all_nodes_mac, all_nodes, tn_our_ip6, 0x20);
	len = dpt_net_nd_unsolicited(buf, TN_BUF, &tn_if6_vlan);
	assert_int_equal(tn_rd16(buf + 12), 0x8100);
	assert_int_equal(tn_rd16(buf + 14), TN_VLAN);
	expect_na(buf, len, 18, &all_nodes_mac, all_nodes, tn_our_ip6, 0x20);
	assert_int_equal(dpt_net_nd_unsolicited(buf, 85, &tn_if6), 0);
	off.prefix6 = 0;
	assert_int_equal(dpt_net_nd_unsolicited(buf, TN_BUF, &off), 0);
}

/* Checks an echo reply built from request req (reqlen bytes, l2 l2) in
 * buf (len bytes): MACs and addresses swapped, hop limit 64, type 129,
 * the rest of the message unchanged, checksum valid. */
static void
expect_echo_reply(const uint8_t *buf, size_t len, const uint8_t *req,
		  size_t l2, size_t ext, size_t icmp_len)
{
	const uint8_t *ip = buf + l2, *rq = req + l2;

	assert_int_equal(len, l2 + 40 + icmp_len);
	assert_memory_equal(buf, req + 6, 6);
	assert_memory_equal(buf + 6, req, 6);
	assert_int_equal(ip[0] >> 4, 6);
	assert_int_equal(tn_rd16(ip + 4), icmp_len);
	assert_int_equal(ip[6], 58);
	assert_int_equal(ip[7], 64);
	assert_memory_equal(ip + 8, rq + 24, 16);
	assert_memory_equal(ip + 24, rq + 8, 16);
	assert_int_equal(ip[40], 129);
	assert_int_equal(ip[41], 0);
	assert_memory_equal(ip + 44, rq + 40 + ext + 4, icmp_len - 4);
	assert_true(tn_icmp6_csum_ok(ip));
}

/* Verifies: an echo request becomes its reply in place, with padding
 * dropped; to our link-local address, from it; tagged, still tagged;
 * behind a hop-by-hop header, without it. The peer accepts each. */
static void
test_echo6_reply(void **state)
{
	static const uint8_t hbh[8] = { 0, 0, 5, 2, 0, 0, 1, 0 };
	uint8_t buf[TN_BUF], req[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len, out;

	tn_spec6_echo(&s);
	s.pad = 6;
	len = tn_build6(req, &s);
	memcpy(buf, req, len);
	assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt),
			 DPT_NET_ICMP6_ECHO);
	out = dpt_net_icmp6_echo_reply(buf, len, &pkt);
	expect_echo_reply(buf, out, req, 14, 0, 4 + s.payload_len);
	tn_expect_kind(buf, out, &tn_peer_if6, 0, DPT_NET_ICMP_OTHER);

	tn_spec6_echo(&s);
	memcpy(s.dst, tn_our_ll6, 16);
	memcpy(s.src, tn_peer_ll6, 16);
	s.tci = TN_VLAN | 0x2000;
	len = tn_build6(req, &s);
	memcpy(buf, req, len);
	assert_int_equal(tn_parse(buf, len, &tn_if6_vlan, 0, &pkt),
			 DPT_NET_ICMP6_ECHO);
	out = dpt_net_icmp6_echo_reply(buf, len, &pkt);
	expect_echo_reply(buf, out, req, 18, 0, 4 + s.payload_len);
	assert_int_equal(tn_rd16(buf + 14), TN_VLAN | 0x2000);
	assert_memory_equal(buf + 18 + 8, tn_our_ll6, 16);

	tn_spec6_echo(&s);
	s.ext_type = IPPROTO_HOPOPTS;
	s.ext = hbh;
	s.ext_len = 8;
	len = tn_build6(req, &s);
	memcpy(buf, req, len);
	assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt),
			 DPT_NET_ICMP6_ECHO);
	out = dpt_net_icmp6_echo_reply(buf, len, &pkt);
	expect_echo_reply(buf, out, req, 14, 8, 4 + s.payload_len);
	tn_expect_kind(buf, out, &tn_peer_if6, 0, DPT_NET_ICMP_OTHER);
}

/* Steps: 300 echo requests with random data of 4 to 1400 bytes, odd and
 * even. Verifies: each reply's incrementally updated checksum verifies
 * with the slow one, and equals a checksum computed from scratch. */
static void
test_echo6_reply_random(void **state)
{
	uint8_t data[1404], buf[TN_BUF], req[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len, out, dlen;
	uint16_t field;
	int i;

	for (i = 0; i < 300; i++) {
		dlen = 4 + tn_rand() % 1397;
		tn_fill_rand(data, dlen);
		tn_spec6_echo(&s);
		s.payload = data;
		s.payload_len = dlen;
		len = tn_build6(req, &s);
		memcpy(buf, req, len);
		assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt),
				 DPT_NET_ICMP6_ECHO);
		out = dpt_net_icmp6_echo_reply(buf, len, &pkt);
		expect_echo_reply(buf, out, req, 14, 0, 4 + dlen);
		field = tn_rd16(buf + 14 + 40 + 2);
		tn_fix_l4_csum6(buf, 0);
		assert_int_equal(tn_rd16(buf + 14 + 40 + 2), field);
	}
}

/* Verifies: no reply for what is not an echo request, or when the frame
 * is shorter than parsed. */
static void
test_echo6_refuses(void **state)
{
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len;

	tn_spec6_udp(&s);
	len = tn_build6(buf, &s);
	tn_parse(buf, len, &tn_if6, 0, &pkt);
	assert_int_equal(dpt_net_icmp6_echo_reply(buf, len, &pkt), 0);
	tn_spec6_echo(&s);
	len = tn_build6(buf, &s);
	tn_parse(buf, len, &tn_if6, 0, &pkt);
	assert_int_equal(dpt_net_icmp6_echo_reply(buf, len - 1, &pkt), 0);
	/* nor the IPv4 builder for an IPv6 echo */
	assert_int_equal(dpt_net_icmp_echo_reply(buf, len, &pkt), 0);
}

/* Checks a port unreachable in buf (len bytes) answering the datagram in
 * frame (its IPv6 packet l3_total bytes), quoting quote bytes. */
static void
expect_unreach6(const uint8_t *buf, size_t len, const uint8_t *frame,
		size_t l2, size_t quote)
{
	const uint8_t *ip = buf + l2, *icmp = ip + 40, *orig = frame + l2;

	assert_int_equal(len, l2 + 40 + 8 + quote);
	assert_memory_equal(buf, frame + 6, 6);
	assert_memory_equal(buf + 6, frame, 6);
	assert_int_equal(tn_rd16(buf + l2 - 2), 0x86dd);
	assert_int_equal(ip[0], 0x60);
	assert_int_equal(tn_rd16(ip + 4), 8 + quote);
	assert_int_equal(ip[6], 58);
	assert_int_equal(ip[7], 64);
	assert_memory_equal(ip + 8, orig + 24, 16);	/* from its dst */
	assert_memory_equal(ip + 24, orig + 8, 16);	/* to its src */
	assert_int_equal(icmp[0], 1);
	assert_int_equal(icmp[1], 4);
	assert_int_equal(tn_rd16(icmp + 4) | tn_rd16(icmp + 6), 0);
	assert_memory_equal(icmp + 8, orig, quote);
	assert_true(tn_icmp6_csum_ok(ip));
}

/* Verifies: a port unreachable (type 1 code 4) from the address the
 * datagram went to (global or link-local), to its sender and MAC, quoting
 * the whole small datagram; on its VLAN tag. */
static void
test_unreach6_small(void **state)
{
	uint8_t frame[TN_BUF], buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len, out;

	tn_spec6_udp(&s);
	s.dst_port = 9;
	s.pad = 4;
	len = tn_build6(frame, &s);
	assert_int_equal(tn_parse(frame, len, &tn_if6, 0, &pkt),
			 DPT_NET_UDP6);
	out = dpt_net_icmp6_port_unreach(buf, TN_BUF, frame, &pkt, &tn_if6);
	expect_unreach6(buf, out, frame, 14, len - 4 - 14);
	tn_expect_kind(buf, out, &tn_peer_if6, 0, DPT_NET_ICMP_OTHER);
	tn_spec6_udp(&s);
	memcpy(s.dst, tn_our_ll6, 16);
	memcpy(s.src, tn_peer_ll6, 16);
	s.tci = TN_VLAN | 0x4000;
	len = tn_build6(frame, &s);
	assert_int_equal(tn_parse(frame, len, &tn_if6_vlan, 0, &pkt),
			 DPT_NET_UDP6);
	out = dpt_net_icmp6_port_unreach(buf, TN_BUF, frame, &pkt,
					 &tn_if6_vlan);
	expect_unreach6(buf, out, frame, 18, len - 18);
	assert_int_equal(tn_rd16(buf + 14), TN_VLAN | 0x4000);
	assert_memory_equal(buf + 18 + 8, tn_our_ll6, 16);
}

/* Verifies: a large datagram is quoted only so far that the ICMPv6 packet
 * is exactly 1280 bytes (the IPv6 minimum MTU, RFC 4443 2.4); a short
 * buffer shortens the quote further; one that cannot hold the headers, or
 * a datagram that is not UDP6, gets nothing. */
static void
test_unreach6_large(void **state)
{
	static uint8_t data[1452];
	uint8_t frame[TN_BUF], buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len, out;

	tn_fill_rand(data, sizeof(data));
	tn_spec6_udp(&s);
	s.payload = data;
	s.payload_len = sizeof(data);
	len = tn_build6(frame, &s);
	assert_int_equal(len, 1514);
	assert_int_equal(tn_parse(frame, len, &tn_if6, 0, &pkt),
			 DPT_NET_UDP6);
	out = dpt_net_icmp6_port_unreach(buf, TN_BUF, frame, &pkt, &tn_if6);
	expect_unreach6(buf, out, frame, 14, 1232);
	assert_int_equal(out - 14, 1280);
	out = dpt_net_icmp6_port_unreach(buf, 14 + 48 + 100, frame, &pkt,
					 &tn_if6);
	expect_unreach6(buf, out, frame, 14, 100);
	assert_int_equal(dpt_net_icmp6_port_unreach(buf, 14 + 47, frame, &pkt,
						    &tn_if6), 0);
	tn_spec6_echo(&s);
	len = tn_build6(frame, &s);
	tn_parse(frame, len, &tn_if6, 0, &pkt);
	assert_int_equal(dpt_net_icmp6_port_unreach(buf, TN_BUF, frame, &pkt,
						    &tn_if6), 0);
	/* and the IPv4 builder refuses a UDP6 datagram */
	tn_spec6_udp(&s);
	len = tn_build6(frame, &s);
	tn_parse(frame, len, &tn_if6, 0, &pkt);
	assert_int_equal(dpt_net_icmp_port_unreach(buf, TN_BUF, frame, &pkt,
						   &tn_if6), 0);
}

const struct CMUnitTest tn_reply6_tests[] = {
	cmocka_unit_test(test_na_bytes),
	cmocka_unit_test(test_na_vlan),
	cmocka_unit_test(test_na_dad),
	cmocka_unit_test(test_na_after_hbh),
	cmocka_unit_test(test_na_refuses),
	cmocka_unit_test(test_na_unsolicited),
	cmocka_unit_test(test_echo6_reply),
	cmocka_unit_test(test_echo6_reply_random),
	cmocka_unit_test(test_echo6_refuses),
	cmocka_unit_test(test_unreach6_small),
	cmocka_unit_test(test_unreach6_large),
};
const size_t tn_reply6_count = RTE_DIM(tn_reply6_tests);
