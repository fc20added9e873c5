/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Sending over IPv6: the headers dpt_net_udp6_encap() writes, its O(1)
 * checksum against one computed over the whole datagram and DPDK's, the
 * offload convention, and the peer's parse of each.
 */

#include <string.h>

#include "test_net.h"

#define MAX_PAYLOAD6 1452	/* a 1500-byte IPv6 packet */

static void
addrs6(struct dpt_net_udp6 *a, uint16_t vlan)
{
	memset(a, 0, sizeof(*a));
	a->src_mac = tn_if6.mac;
	a->dst_mac = tn_peer_mac;
	a->vlan = vlan;
	memcpy(a->src_ip, tn_our_ip6, 16);
	memcpy(a->dst_ip, tn_peer_ip6, 16);
	a->src_port = 50001;
	a->dst_port = TN_PEER_PORT;
}

static size_t
encap6(uint8_t *buf, const struct dpt_net_udp6 *a, const uint8_t *payload,
       uint16_t len, unsigned int tx_flags)
{
	size_t hl = dpt_net_udp6_hdr_len(a->vlan);

	memcpy(buf + hl, payload, len);
	dpt_net_udp6_encap(buf, a, len, dpt_net_sum(payload, len), tx_flags);
	return hl + len;
}

static void
expect_headers6(const uint8_t *buf, const struct dpt_net_udp6 *a,
		uint16_t len)
{
	size_t l2 = a->vlan != 0 ? 18 : 14;
	const uint8_t *ip = buf + l2, *udp = ip + 40;

	assert_memory_equal(buf, &a->dst_mac, 6);
	assert_memory_equal(buf + 6, &a->src_mac, 6);
	if (a->vlan != 0) {
		assert_int_equal(tn_rd16(buf + 12), 0x8100);
		assert_int_equal(tn_rd16(buf + 14), a->vlan);
	}
	assert_int_equal(tn_rd16(buf + l2 - 2), 0x86dd);
	assert_int_equal(ip[0], 0x60);
	assert_int_equal(ip[1] | ip[2] | ip[3], 0);
	assert_int_equal(tn_rd16(ip + 4), 8 + len);
	assert_int_equal(ip[6], 17);
	assert_int_equal(ip[7], 64);
	assert_memory_equal(ip + 8, a->src_ip, 16);
	assert_memory_equal(ip + 24, a->dst_ip, 16);
	assert_int_equal(tn_rd16(udp), a->src_port);
	assert_int_equal(tn_rd16(udp + 2), a->dst_port);
	assert_int_equal(tn_rd16(udp + 4), 8 + len);
}

/* The peer, whatever addresses a holds, parses it back whole. */
static void
expect_roundtrip6(const uint8_t *buf, size_t len,
		  const struct dpt_net_udp6 *a, const uint8_t *payload,
		  uint16_t plen, unsigned int rx_flags)
{
	struct dpt_net_if peer = a->vlan != 0 ? tn_peer_if6_vlan : tn_peer_if6;
	struct dpt_net_pkt pkt;

	memcpy(peer.ip6, a->dst_ip, 16);
	peer.vlan = a->vlan;
	if (tn_parse(buf, len, &peer, rx_flags, &pkt) != DPT_NET_UDP6)
		fail_msg("peer parsed kind %d (%s)", pkt.kind,
			 dpt_net_drop_name(pkt.drop));
	assert_memory_equal(pkt.src_ip6, a->src_ip, 16);
	assert_memory_equal(pkt.dst_ip6, a->dst_ip, 16);
	assert_int_equal(pkt.src_port, a->src_port);
	assert_int_equal(pkt.dst_port, a->dst_port);
	assert_int_equal(pkt.vlan, a->vlan);
	assert_int_equal(pkt.payload_off, dpt_net_udp6_hdr_len(a->vlan));
	assert_int_equal(pkt.payload_len, plen);
	assert_memory_equal(&pkt.src_mac, &a->src_mac, 6);
	if (plen != 0)
		assert_memory_equal(buf + pkt.payload_off, payload, plen);
}

/* Verifies: header lengths, 62 untagged and 66 tagged. */
static void
test_udp6_hdr_len(void **state)
{
	assert_int_equal(dpt_net_udp6_hdr_len(0), 62);
	assert_int_equal(dpt_net_udp6_hdr_len(TN_VLAN), 66);
}

/* Verifies: untagged and tagged, every header field, the checksum equal
 * to the slow one, and the peer accepts it. */
static void
test_encap6_fields(void **state)
{
	static const uint8_t data[] = { 0, 3, 0, 1, 'h', 'e', 'l', 'l', 'o',
					'6' };
	struct dpt_net_udp6 a;
	uint8_t buf[TN_BUF];
	size_t len;

	addrs6(&a, 0);
	memset(buf, 0xaa, sizeof(buf));
	len = encap6(buf, &a, data, sizeof(data), 0);
	assert_int_equal(len, 62 + sizeof(data));
	expect_headers6(buf, &a, sizeof(data));
	assert_int_equal(tn_rd16(buf + 14 + 40 + 6), tn_udp6_csum(buf + 14));
	assert_true(tn_udp6_csum_ok(buf + 14));
	expect_roundtrip6(buf, len, &a, data, sizeof(data), 0);
	/* DPT_NET_TX_IP_CSUM means nothing without an IP checksum */
	len = encap6(buf, &a, data, sizeof(data), DPT_NET_TX_IP_CSUM);
	assert_true(tn_udp6_csum_ok(buf + 14));
	addrs6(&a, TN_VLAN);
	memcpy(a.src_ip, tn_our_ll6, 16);
	memcpy(a.dst_ip, tn_peer_ll6, 16);
	len = encap6(buf, &a, data, 3, 0);
	assert_int_equal(len, 66 + 3);
	expect_headers6(buf, &a, 3);
	assert_true(tn_udp6_csum_ok(buf + 18));
	expect_roundtrip6(buf, len, &a, data, 3, 0);
}

/* Does what a NIC does with an offloaded UDP checksum. */
static void
nic_udp6_csum(uint8_t *ip)
{
	uint8_t *udp = ip + 40;
	uint16_t c = (uint16_t)~tn_sum(udp, tn_rd16(udp + 4), 0);

	tn_wr16(udp + 6, c == 0 ? 0xffff : c);
}

/* Verifies: DPT_NET_TX_UDP_CSUM leaves the pseudo-header sum, not
 * inverted, as rte_ipv6_phdr_cksum() gives it, so the NIC's sum comes
 * out right and the peer accepts the datagram. */
static void
test_encap6_tx_udp_csum(void **state)
{
	static const uint8_t data[] = { 0, 3, 0, 4, 1, 2, 3 };
	struct dpt_net_udp6 a;
	uint8_t buf[TN_BUF];
	uint16_t field, ulen = 8 + sizeof(data);
	size_t len;

	addrs6(&a, TN_VLAN);
	len = encap6(buf, &a, data, sizeof(data),
		     DPT_NET_TX_IP_CSUM | DPT_NET_TX_UDP_CSUM);
	expect_headers6(buf, &a, sizeof(data));
	assert_int_equal(tn_rd16(buf + 18 + 40 + 6),
			 tn_sum((const uint8_t *)"", 0,
				tn_phdr6(a.src_ip, a.dst_ip, 17, ulen)));
	memcpy(&field, buf + 18 + 40 + 6, 2);
	assert_int_equal(field, rte_ipv6_phdr_cksum(
				 (const struct rte_ipv6_hdr *)(buf + 18), 0));
	nic_udp6_csum(buf + 18);
	assert_true(tn_udp6_csum_ok(buf + 18));
	expect_roundtrip6(buf, len, &a, data, sizeof(data), 0);
}

/* Steps: 1000 random payloads, 0..1452 bytes (odd and even, both ends
 * included), random addresses, ports and tags, the payload sum made of a
 * TFTP header's and a block's, as a cache keeps them. Verifies: the O(1)
 * checksum equals the slow one over the whole datagram and DPDK's
 * rte_ipv6_udptcp_cksum(); the peer accepts each one. */
static void
test_encap6_csum_equivalence(void **state)
{
	uint8_t payload[MAX_PAYLOAD6], buf[TN_BUF];
	struct dpt_net_udp6 a;
	unsigned int odd = 0, even = 0;
	uint16_t plen, sum, field;
	size_t hl, len;
	uint8_t *ip;
	int i;

	for (i = 0; i < 1000; i++) {
		if (i < 4)
			plen = (uint16_t[]){ 0, 1, MAX_PAYLOAD6 - 1,
					     MAX_PAYLOAD6 }[i];
		else
			plen = (uint16_t)(tn_rand() % (MAX_PAYLOAD6 + 1));
		tn_fill_rand(payload, plen);
		addrs6(&a, (i % 3 == 0) ? (uint16_t)(1 + tn_rand() % 4094) :
			   0);
		/* unicast addresses, and not the same one */
		tn_fill_rand(a.src_ip, 16);
		tn_fill_rand(a.dst_ip, 16);
		a.src_ip[0] = (uint8_t)(0x20 + a.src_ip[0] % 0xd0);
		a.dst_ip[0] = (uint8_t)(0x20 + a.dst_ip[0] % 0xd0);
		a.dst_ip[15] = (uint8_t)~a.src_ip[15];
		a.src_port = (uint16_t)tn_rand();
		a.dst_port = (uint16_t)tn_rand();
		hl = dpt_net_udp6_hdr_len(a.vlan);
		memcpy(buf + hl, payload, plen);
		sum = plen < 4 ? dpt_net_sum(payload, plen) :
		      dpt_net_sum_add(dpt_net_sum(payload, 4),
				      dpt_net_sum(payload + 4, plen - 4));
		dpt_net_udp6_encap(buf, &a, plen, sum, 0);
		len = hl + plen;
		ip = buf + hl - 48;
		field = tn_rd16(ip + 40 + 6);
		assert_int_equal(field, tn_udp6_csum(ip));
		/* DPDK's software checksum wants the field zeroed first */
		memset(buf + hl - 2, 0, 2);
		assert_int_equal(field, rte_be_to_cpu_16(rte_ipv6_udptcp_cksum(
				 (const struct rte_ipv6_hdr *)ip, ip + 40)));
		tn_wr16(buf + hl - 2, field);
		expect_roundtrip6(buf, len, &a, payload, plen, 0);
		if (plen % 2)
			odd++;
		else
			even++;
	}
	assert_true(odd > 100 && even > 100);
}

/* Verifies: a datagram whose checksum computes to 0 is sent as 0xffff
 * (over IPv6 a 0 would be discarded) and the peer accepts it. */
static void
test_encap6_csum_ffff(void **state)
{
	uint8_t data[2] = { 0, 0 };
	struct dpt_net_udp6 a;
	uint8_t buf[TN_BUF];
	size_t len;

	addrs6(&a, 0);
	encap6(buf, &a, data, sizeof(data), 0);
	memcpy(data, buf + 14 + 40 + 6, 2);
	len = encap6(buf, &a, data, sizeof(data), 0);
	assert_int_equal(tn_rd16(buf + 14 + 40 + 6), 0xffff);
	assert_int_equal(tn_udp6_csum(buf + 14), 0xffff);
	expect_roundtrip6(buf, len, &a, data, sizeof(data), 0);
}

/* Steps: parse, answer and encapsulate IPv6 at an odd address. Verifies:
 * the same results (the sanitizer build also checks no access is
 * misaligned). */
static void
test_unaligned6(void **state)
{
	static uint8_t store[TN_BUF + 1], out[TN_BUF + 3];
	uint8_t *odd = store + 1;
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct dpt_net_udp6 a;
	struct tn_spec6 s;
	size_t len;

	tn_spec6_ns(&s, tn_our_ip6, true);
	len = tn_build6(buf, &s);
	memcpy(odd, buf, len);
	assert_int_equal(dpt_net_parse(odd, len, &tn_if6, 0, &pkt),
			 DPT_NET_ND_SOLICIT);
	assert_int_equal(dpt_net_nd_advert(odd, len, TN_BUF, &pkt, &tn_if6),
			 86);
	assert_true(tn_icmp6_csum_ok(odd + 14));
	assert_int_equal(dpt_net_nd_unsolicited(odd, TN_BUF, &tn_if6), 86);
	assert_true(tn_icmp6_csum_ok(odd + 14));
	tn_spec6_echo(&s);
	s.tci = TN_VLAN;
	len = tn_build6(buf, &s);
	memcpy(odd, buf, len);
	assert_int_equal(dpt_net_parse(odd, len, &tn_if6_vlan, 0, &pkt),
			 DPT_NET_ICMP6_ECHO);
	assert_int_equal(dpt_net_icmp6_echo_reply(odd, len, &pkt), len);
	assert_true(tn_icmp6_csum_ok(odd + 18));
	tn_spec6_udp(&s);
	len = tn_build6(buf, &s);
	memcpy(odd, buf, len);
	assert_int_equal(dpt_net_parse(odd, len, &tn_if6, 0, &pkt),
			 DPT_NET_UDP6);
	assert_int_equal(dpt_net_icmp6_port_unreach(out + 3, TN_BUF, odd,
						    &pkt, &tn_if6),
			 14 + 48 + len - 14);
	assert_true(tn_icmp6_csum_ok(out + 3 + 14));
	addrs6(&a, 0);
	memset(odd + 62, 'p', 3);
	dpt_net_udp6_encap(odd, &a, 3, dpt_net_sum(odd + 62, 3), 0);
	assert_true(tn_udp6_csum_ok(odd + 14));
	dpt_net_udp6_encap(odd, &a, 3, 0, DPT_NET_TX_UDP_CSUM);
}

const struct CMUnitTest tn_udp6_tests[] = {
	cmocka_unit_test(test_udp6_hdr_len),
	cmocka_unit_test(test_encap6_fields),
	cmocka_unit_test(test_encap6_tx_udp_csum),
	cmocka_unit_test(test_encap6_csum_equivalence),
	cmocka_unit_test(test_encap6_csum_ffff),
	cmocka_unit_test(test_unaligned6),
};
const size_t tn_udp6_count = RTE_DIM(tn_udp6_tests);
