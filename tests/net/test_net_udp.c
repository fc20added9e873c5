/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Sending: the headers dpt_net_udp4_encap() writes, its O(1) checksum
 * against one computed over the whole datagram, the payload sums it is fed,
 * and the small helpers (on-link test, drop names).
 */

#include <string.h>

#include "test_net.h"

#define MAX_PAYLOAD 1468

/* A datagram from us to the peer. */
static void
addrs(struct dpt_net_udp4 *a, uint16_t vlan)
{
	memset(a, 0, sizeof(*a));
	a->src_mac = tn_if.mac;
	a->dst_mac = tn_peer_mac;
	a->vlan = vlan;
	a->src_ip = TN_OUR_IP;
	a->dst_ip = TN_PEER_IP;
	a->src_port = 50001;
	a->dst_port = TN_PEER_PORT;
	a->ip_id = 0x1234;
}

/* Encapsulates payload into buf (headers, then the payload); returns the
 * frame's length. */
static size_t
encap(uint8_t *buf, const struct dpt_net_udp4 *a, const uint8_t *payload,
      uint16_t len, unsigned int tx_flags)
{
	size_t hl = dpt_net_udp4_hdr_len(a->vlan);

	memcpy(buf + hl, payload, len);
	dpt_net_udp4_encap(buf, a, len, dpt_net_sum(payload, len), tx_flags);
	return hl + len;
}

/* The headers every variant shares. */
static void
expect_headers(const uint8_t *buf, const struct dpt_net_udp4 *a,
	       uint16_t len)
{
	size_t l2 = a->vlan != 0 ? 18 : 14;
	const uint8_t *ip = buf + l2;
	const uint8_t *udp = ip + 20;

	assert_memory_equal(buf, &a->dst_mac, 6);
	assert_memory_equal(buf + 6, &a->src_mac, 6);
	if (a->vlan != 0) {
		assert_int_equal(tn_rd16(buf + 12), 0x8100);
		assert_int_equal(tn_rd16(buf + 14), a->vlan);
	}
	assert_int_equal(tn_rd16(buf + l2 - 2), 0x0800);
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(ip[1], 0);
	assert_int_equal(tn_rd16(ip + 2), 28 + len);
	assert_int_equal(tn_rd16(ip + 4), a->ip_id);
	assert_int_equal(tn_rd16(ip + 6), 0x4000);	/* DF */
	assert_int_equal(ip[8], 64);
	assert_int_equal(ip[9], 17);
	assert_int_equal(tn_rd32n(ip + 12), a->src_ip);
	assert_int_equal(tn_rd32n(ip + 16), a->dst_ip);
	assert_int_equal(tn_rd16(udp), a->src_port);
	assert_int_equal(tn_rd16(udp + 2), a->dst_port);
	assert_int_equal(tn_rd16(udp + 4), 8 + len);
}

/* Parses our datagram as the peer would: it must come back whole. */
static void
expect_roundtrip(const uint8_t *buf, size_t len, const struct dpt_net_udp4 *a,
		 const uint8_t *payload, uint16_t plen, unsigned int rx_flags)
{
	const struct dpt_net_if *peer = a->vlan != 0 ? &tn_peer_if_vlan :
						       &tn_peer_if;
	struct dpt_net_pkt pkt;

	if (tn_parse(buf, len, peer, rx_flags, &pkt) != DPT_NET_UDP)
		fail_msg("peer parsed kind %d (%s)", pkt.kind,
			 dpt_net_drop_name(pkt.drop));
	assert_int_equal(pkt.src_ip, a->src_ip);
	assert_int_equal(pkt.dst_ip, a->dst_ip);
	assert_int_equal(pkt.src_port, a->src_port);
	assert_int_equal(pkt.dst_port, a->dst_port);
	assert_int_equal(pkt.vlan, a->vlan);
	assert_int_equal(pkt.payload_off, dpt_net_udp4_hdr_len(a->vlan));
	assert_int_equal(pkt.payload_len, plen);
	assert_memory_equal(&pkt.src_mac, &a->src_mac, 6);
	if (plen != 0)
		assert_memory_equal(buf + pkt.payload_off, payload, plen);
}

/* Verifies: header lengths, 42 untagged and 46 tagged. */
static void
test_udp4_hdr_len(void **state)
{
	assert_int_equal(dpt_net_udp4_hdr_len(0), 42);
	assert_int_equal(dpt_net_udp4_hdr_len(TN_VLAN), 46);
}

/* Verifies: untagged, no offload: every header field, both checksums
 * computed, and the client accepts it. */
static void
test_encap_untagged(void **state)
{
	static const uint8_t data[] = { 0, 3, 0, 1, 'h', 'e', 'l', 'l', 'o' };
	struct dpt_net_udp4 a;
	uint8_t buf[TN_BUF];
	size_t len;

	addrs(&a, 0);
	memset(buf, 0xaa, sizeof(buf));
	len = encap(buf, &a, data, sizeof(data), 0);
	assert_int_equal(len, 42 + sizeof(data));
	expect_headers(buf, &a, sizeof(data));
	assert_true(tn_ip_csum_ok(buf + 14));
	assert_int_equal(tn_rd16(buf + 14 + 20 + 6), tn_udp_csum(buf + 14));
	assert_true(tn_udp_csum_ok(buf + 14));
	expect_roundtrip(buf, len, &a, data, sizeof(data), 0);
}

/* Verifies: with a VLAN the tag is 0x8100 + id and everything moves by 4. */
static void
test_encap_vlan(void **state)
{
	static const uint8_t data[] = { 0, 3, 0, 2, 'x' };
	struct dpt_net_udp4 a;
	uint8_t buf[TN_BUF];
	size_t len;

	addrs(&a, TN_VLAN);
	len = encap(buf, &a, data, sizeof(data), 0);
	assert_int_equal(len, 46 + sizeof(data));
	expect_headers(buf, &a, sizeof(data));
	assert_true(tn_ip_csum_ok(buf + 18));
	assert_int_equal(tn_rd16(buf + 18 + 20 + 6), tn_udp_csum(buf + 18));
	expect_roundtrip(buf, len, &a, data, sizeof(data), 0);
}

/* Verifies: DPT_NET_TX_IP_CSUM leaves the IPv4 checksum 0 for the NIC and
 * still computes UDP's. */
static void
test_encap_tx_ip_csum(void **state)
{
	static const uint8_t data[] = { 0, 3, 0, 3, 'y', 'z' };
	struct dpt_net_udp4 a;
	uint8_t buf[TN_BUF];
	size_t len;

	addrs(&a, 0);
	len = encap(buf, &a, data, sizeof(data), DPT_NET_TX_IP_CSUM);
	expect_headers(buf, &a, sizeof(data));
	assert_int_equal(tn_rd16(buf + 14 + 10), 0);
	assert_int_equal(tn_rd16(buf + 14 + 20 + 6), tn_udp_csum(buf + 14));
	expect_roundtrip(buf, len, &a, data, sizeof(data),
			 DPT_NET_RX_IP_CSUM_GOOD);
}

/* Does what a NIC does with an offloaded UDP checksum: sums the datagram
 * from the UDP header on (the field holds the pseudo-header sum), inverts,
 * stores. */
static void
nic_udp_csum(uint8_t *ip)
{
	uint8_t *udp = ip + 20;
	uint16_t c = (uint16_t)~tn_sum(udp, tn_rd16(udp + 4), 0);

	tn_wr16(udp + 6, c == 0 ? 0xffff : c);
}

/* Verifies: DPT_NET_TX_UDP_CSUM leaves the pseudo-header sum, not
 * inverted (rte_ipv4_phdr_cksum()), so the NIC's sum comes out right. */
static void
test_encap_tx_udp_csum(void **state)
{
	static const uint8_t data[] = { 0, 3, 0, 4, 1, 2, 3 };
	struct dpt_net_udp4 a;
	uint8_t buf[TN_BUF];
	uint16_t field, ulen = 8 + sizeof(data);
	size_t len;

	addrs(&a, 0);
	len = encap(buf, &a, data, sizeof(data), DPT_NET_TX_UDP_CSUM);
	expect_headers(buf, &a, sizeof(data));
	assert_true(tn_ip_csum_ok(buf + 14));
	assert_int_equal(tn_rd16(buf + 14 + 20 + 6),
			 tn_sum(buf + 14 + 12, 8, 17 + ulen));
	memcpy(&field, buf + 14 + 20 + 6, 2);
	assert_int_equal(field, rte_ipv4_phdr_cksum(
				 (const struct rte_ipv4_hdr *)(buf + 14), 0));
	nic_udp_csum(buf + 14);
	assert_true(tn_udp_csum_ok(buf + 14));
	expect_roundtrip(buf, len, &a, data, sizeof(data), 0);
}

/* Verifies: both flags: IPv4 checksum 0, UDP field the pseudo-header sum;
 * after the NIC's work the client accepts it. */
static void
test_encap_both_flags(void **state)
{
	static const uint8_t data[] = { 0, 3, 0, 5 };
	struct dpt_net_udp4 a;
	uint8_t buf[TN_BUF];
	size_t len;

	addrs(&a, TN_VLAN);
	len = encap(buf, &a, data, sizeof(data),
		    DPT_NET_TX_IP_CSUM | DPT_NET_TX_UDP_CSUM);
	expect_headers(buf, &a, sizeof(data));
	assert_int_equal(tn_rd16(buf + 18 + 10), 0);
	assert_int_equal(tn_rd16(buf + 18 + 20 + 6),
			 tn_sum(buf + 18 + 12, 8, 17 + 8 + sizeof(data)));
	tn_fix_ip_csum(buf);
	nic_udp_csum(buf + 18);
	expect_roundtrip(buf, len, &a, data, sizeof(data), 0);
}

/* Steps: 1000 random payloads, 0..1468 bytes (odd and even, both ends
 * included), random addresses, ports, ids and tags, the payload sum made
 * of a 4-byte TFTP header's sum and the block's, as a cache would keep.
 * Verifies: the O(1) checksum equals the slow one over the whole datagram
 * and DPDK's rte_ipv4_udptcp_cksum(); the client accepts each one. */
static void
test_encap_csum_equivalence(void **state)
{
	uint8_t payload[MAX_PAYLOAD];
	uint8_t buf[TN_BUF];
	struct dpt_net_udp4 a;
	unsigned int odd = 0, even = 0;
	uint16_t plen, sum, field;
	size_t hl, len;
	uint8_t *ip;
	int i;

	for (i = 0; i < 1000; i++) {
		if (i < 4)
			plen = (uint16_t[]){ 0, 1, MAX_PAYLOAD - 1,
					     MAX_PAYLOAD }[i];
		else
			plen = (uint16_t)(tn_rand() % (MAX_PAYLOAD + 1));
		tn_fill_rand(payload, plen);
		addrs(&a, (i % 3 == 0) ? (uint16_t)(1 + tn_rand() % 4094) : 0);
		/* a sender the client will answer: unicast, not loopback */
		a.src_ip = tn_ip((uint8_t)(1 + tn_rand() % 126),
				 (uint8_t)tn_rand(), (uint8_t)tn_rand(),
				 (uint8_t)(1 + tn_rand() % 254));
		a.dst_ip = tn_rand();
		a.src_port = (uint16_t)tn_rand();
		a.dst_port = (uint16_t)tn_rand();
		a.ip_id = (uint16_t)tn_rand();
		hl = dpt_net_udp4_hdr_len(a.vlan);
		memcpy(buf + hl, payload, plen);
		sum = plen < 4 ? dpt_net_sum(payload, plen) :
		      dpt_net_sum_add(dpt_net_sum(payload, 4),
				      dpt_net_sum(payload + 4, plen - 4));
		dpt_net_udp4_encap(buf, &a, plen, sum, 0);
		len = hl + plen;
		ip = buf + hl - 28;
		field = tn_rd16(ip + 20 + 6);
		assert_int_equal(field, tn_udp_csum(ip));
		/* DPDK's software checksum wants the field zeroed first */
		memset(buf + hl - 2, 0, 2);
		assert_int_equal(field, rte_be_to_cpu_16(rte_ipv4_udptcp_cksum(
				 (const struct rte_ipv4_hdr *)ip, ip + 20)));
		tn_wr16(buf + hl - 2, field);
		assert_true(tn_ip_csum_ok(ip));
		/* the peer, whatever addresses this round drew */
		{
			struct dpt_net_if peer = tn_peer_if;
			struct dpt_net_pkt pkt;

			peer.ip = a.dst_ip;
			peer.prefix = 32;
			peer.vlan = a.vlan;
			assert_int_equal(tn_parse(buf, len, &peer, 0, &pkt),
					 DPT_NET_UDP);
			assert_int_equal(pkt.payload_len, plen);
			assert_int_equal(pkt.src_port, a.src_port);
		}
		if (plen % 2)
			odd++;
		else
			even++;
	}
	assert_true(odd > 100 && even > 100);
}

/* Steps: a payload whose checksum computes to 0. Verifies: it is sent as
 * 0xffff (0 means none, RFC 768), and the client accepts it. */
static void
test_encap_csum_ffff(void **state)
{
	uint8_t data[2] = { 0, 0 };
	struct dpt_net_udp4 a;
	uint8_t buf[TN_BUF];
	size_t len;

	addrs(&a, 0);
	encap(buf, &a, data, sizeof(data), 0);
	/* the checksum of the rest, as data, cancels the rest */
	memcpy(data, buf + 14 + 20 + 6, 2);
	len = encap(buf, &a, data, sizeof(data), 0);
	assert_int_equal(tn_rd16(buf + 14 + 20 + 6), 0xffff);
	assert_int_equal(tn_udp_csum(buf + 14), 0xffff);
	expect_roundtrip(buf, len, &a, data, sizeof(data), 0);
}

/* Verifies: dpt_net_sum() reads big-endian words whatever the CPU, puts an
 * odd last byte high, folds carries, ignores alignment. */
static void
test_sum_values(void **state)
{
	static const uint8_t a[] = { 0x12, 0x34, 0xab };
	static const uint8_t carry[] = { 0xff, 0xff, 0x00, 0x01 };
	static const uint8_t ones[] = { 0xff, 0xff };
	uint8_t buf[200], copy[200];
	size_t off, len;

	assert_int_equal(dpt_net_sum(a, 0), 0);
	assert_int_equal(dpt_net_sum(a, 1), 0x1200);
	assert_int_equal(dpt_net_sum(a, 2), 0x1234);
	assert_int_equal(dpt_net_sum(a, 3), 0xbd34);
	assert_int_equal(dpt_net_sum(carry, 4), 0x0001);
	assert_int_equal(dpt_net_sum(ones, 2), 0xffff);
	for (len = 0; len < 100; len++) {
		tn_fill_rand(copy, len);
		for (off = 0; off < 4; off++) {
			memcpy(buf + off, copy, len);
			assert_int_equal(dpt_net_sum(buf + off, len),
					 tn_sum(copy, len, 0));
		}
	}
}

/* Verifies: sums of pieces at even offsets add up with dpt_net_sum_add();
 * a piece at an odd offset adds in byte-swapped, as documented. */
static void
test_sum_pieces(void **state)
{
	uint8_t data[517];
	uint16_t whole;

	tn_fill_rand(data, sizeof(data));
	whole = dpt_net_sum(data, sizeof(data));
	assert_int_equal(dpt_net_sum_add(dpt_net_sum(data, 4),
					 dpt_net_sum(data + 4, 513)), whole);
	assert_int_equal(dpt_net_sum_add(dpt_net_sum(data, 3),
				rte_bswap16(dpt_net_sum(data + 3, 514))),
			 whole);
	assert_int_equal(dpt_net_sum_add(0xffff, 0x0001), 0x0001);
	assert_int_equal(dpt_net_sum_add(0x8000, 0x8000), 0x0001);
	assert_int_equal(dpt_net_sum_add(0, 0), 0);
}

/* Verifies: on-link at the subnet's edges, for /24, /31, /32, /1, /0. */
static void
test_on_link(void **state)
{
	struct dpt_net_if ifc = tn_if;

	assert_true(dpt_net_on_link(&ifc, tn_ip(192, 0, 2, 0)));
	assert_true(dpt_net_on_link(&ifc, tn_ip(192, 0, 2, 255)));
	assert_false(dpt_net_on_link(&ifc, tn_ip(192, 0, 3, 0)));
	assert_false(dpt_net_on_link(&ifc, tn_ip(192, 0, 1, 255)));
	assert_false(dpt_net_on_link(&ifc, tn_ip(64, 0, 2, 1)));
	ifc.prefix = 31;
	assert_true(dpt_net_on_link(&ifc, tn_ip(192, 0, 2, 0)));
	assert_false(dpt_net_on_link(&ifc, tn_ip(192, 0, 2, 2)));
	ifc.prefix = 32;
	assert_true(dpt_net_on_link(&ifc, tn_ip(192, 0, 2, 1)));
	assert_false(dpt_net_on_link(&ifc, tn_ip(192, 0, 2, 0)));
	assert_false(dpt_net_on_link(&ifc, tn_ip(192, 0, 2, 3)));
	ifc.prefix = 1;
	assert_true(dpt_net_on_link(&ifc, tn_ip(128, 0, 0, 0)));
	assert_true(dpt_net_on_link(&ifc, tn_ip(255, 255, 255, 255)));
	assert_false(dpt_net_on_link(&ifc, tn_ip(127, 255, 255, 255)));
	ifc.prefix = 0;
	assert_true(dpt_net_on_link(&ifc, tn_ip(8, 8, 8, 8)));
	assert_true(dpt_net_on_link(&ifc, tn_ip(0, 0, 0, 0)));
}

/* Verifies: each drop reason has its own short counter name. */
static void
test_drop_names(void **state)
{
	static const char *const want[DPT_NET_DROP_COUNT] = {
		[DPT_NET_DROP_RUNT] = "runt",
		[DPT_NET_DROP_VLAN] = "vlan",
		[DPT_NET_DROP_ARP_MALFORMED] = "arp-malformed",
		[DPT_NET_DROP_IP_VERSION] = "ip-version",
		[DPT_NET_DROP_IP_HDRLEN] = "ip-hdrlen",
		[DPT_NET_DROP_IP_LEN] = "ip-len",
		[DPT_NET_DROP_IP_CSUM] = "ip-csum",
		[DPT_NET_DROP_IP_OPTIONS_SRC] = "ip-srcroute",
		[DPT_NET_DROP_IP_ADDR] = "ip-addr",
		[DPT_NET_DROP_UDP_LEN] = "udp-len",
		[DPT_NET_DROP_UDP_CSUM] = "udp-csum",
		[DPT_NET_DROP_ICMP_CSUM] = "icmp-csum",
		[DPT_NET_DROP_ICMP_MALFORMED] = "icmp-malformed",
		[DPT_NET_DROP_IP6_LEN] = "ip6-len",
		[DPT_NET_DROP_IP6_EXTHDR] = "ip6-exthdr",
		[DPT_NET_DROP_IP6_FRAGMENT] = "ip6-fragment",
		[DPT_NET_DROP_IP6_ADDR] = "ip6-addr",
		[DPT_NET_DROP_UDP6_NO_CSUM] = "udp6-no-csum",
		[DPT_NET_DROP_ICMP6_CSUM] = "icmp6-csum",
		[DPT_NET_DROP_ICMP6_MALFORMED] = "icmp6-malformed",
		[DPT_NET_DROP_ND_INVALID] = "nd-invalid",
		[DPT_NET_DROP_SRC_MAC] = "src-mac",
	};
	int d;

	for (d = DPT_NET_DROP_RUNT; d < DPT_NET_DROP_COUNT; d++)
		assert_string_equal(dpt_net_drop_name(d), want[d]);
	assert_string_equal(dpt_net_drop_name(DPT_NET_DROP_COUNT), "unknown");
	assert_string_equal(dpt_net_drop_name((enum dpt_net_drop)-1),
			    "unknown");
}

/* Steps: parse, answer and encapsulate at an odd address. Verifies: the
 * same results (the sanitizer build also checks no access is misaligned). */
static void
test_unaligned_buffers(void **state)
{
	static uint8_t store[TN_BUF + 1];
	uint8_t *odd = store + 1;
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct dpt_net_udp4 a;
	struct tn_spec s;
	size_t len;

	tn_spec_icmp_echo(&s);
	s.tci = TN_VLAN;
	len = tn_build(buf, &s);
	memcpy(odd, buf, len);
	assert_int_equal(dpt_net_parse(odd, len, &tn_if_vlan, 0, &pkt),
			 DPT_NET_ICMP_ECHO);
	assert_int_equal(dpt_net_icmp_echo_reply(odd, len, &pkt), len);
	assert_true(tn_icmp_csum_ok(odd + 18));
	tn_spec_udp(&s);
	len = tn_build(buf, &s);
	memcpy(odd, buf, len);
	assert_int_equal(dpt_net_parse(odd, len, &tn_if, 0, &pkt), DPT_NET_UDP);
	assert_int_equal(dpt_net_icmp_port_unreach(store + 3, TN_BUF - 2, odd,
						   &pkt, &tn_if), 70);
	assert_true(tn_icmp_csum_ok(store + 3 + 14));
	len = tn_arp(buf, &tn_bcast_mac, 0, 1, &tn_peer_mac, TN_PEER_IP,
		     &tn_other_mac, TN_OUR_IP);
	memcpy(odd, buf, len);
	assert_int_equal(dpt_net_parse(odd, len, &tn_if, 0, &pkt),
			 DPT_NET_ARP_REQUEST);
	assert_int_equal(dpt_net_arp_reply(odd, len, TN_BUF, &pkt, &tn_if), 60);
	assert_int_equal(dpt_net_garp(odd, TN_BUF, &tn_if), 60);
	addrs(&a, 0);
	memset(odd + 42, 'p', 3);
	dpt_net_udp4_encap(odd, &a, 3, dpt_net_sum(odd + 42, 3), 0);
	assert_true(tn_ip_csum_ok(odd + 14));
	assert_true(tn_udp_csum_ok(odd + 14));
	dpt_net_udp4_encap(odd, &a, 3, 0, DPT_NET_TX_UDP_CSUM);
}

const struct CMUnitTest tn_udp_tests[] = {
	cmocka_unit_test(test_udp4_hdr_len),
	cmocka_unit_test(test_encap_untagged),
	cmocka_unit_test(test_encap_vlan),
	cmocka_unit_test(test_encap_tx_ip_csum),
	cmocka_unit_test(test_encap_tx_udp_csum),
	cmocka_unit_test(test_encap_both_flags),
	cmocka_unit_test(test_encap_csum_equivalence),
	cmocka_unit_test(test_encap_csum_ffff),
	cmocka_unit_test(test_sum_values),
	cmocka_unit_test(test_sum_pieces),
	cmocka_unit_test(test_on_link),
	cmocka_unit_test(test_drop_names),
	cmocka_unit_test(test_unaligned_buffers),
};
const size_t tn_udp_count = RTE_DIM(tn_udp_tests);
