/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Ethernet, 802.1Q and ARP: which frames are ours, which tags, which ARP
 * gets an answer.
 */

#include <string.h>

#include "test_net.h"

/* Inserts a tag (tpid, tci) in front of the frame's type field. */
static size_t
insert_tag(uint8_t *buf, size_t len, uint16_t tpid, uint16_t tci)
{
	memmove(buf + 16, buf + 12, len - 12);
	buf[12] = (uint8_t)(tpid >> 8);
	buf[13] = (uint8_t)tpid;
	buf[14] = (uint8_t)(tci >> 8);
	buf[15] = (uint8_t)tci;
	return len + 4;
}

static size_t
arp_request(uint8_t *buf, uint16_t tci, uint32_t tip)
{
	static const struct rte_ether_addr zero;

	return tn_arp(buf, &tn_bcast_mac, tci, 1, &tn_peer_mac, TN_PEER_IP,
		      &zero, tip);
}

/* Steps: parse every length shorter than an Ethernet header.
 * Verifies: each is a runt, not a crash. */
static void
test_runt(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	tn_spec_udp(&s);
	tn_build(buf, &s);
	for (len = 0; len < 14; len++)
		tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_RUNT);
}

/* Verifies: IPv4 and ARP to another unicast or a multicast MAC are not
 * ours (OTHER, not a counted drop). */
static void
test_not_our_mac(void **state)
{
	static const struct rte_ether_addr mcast = {{ 0x01, 0x00, 0x5e, 0, 0,
						      0x01 }};
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	tn_spec_udp(&s);
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_UDP);
	s.dst_mac = tn_other_mac;
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_OTHER);
	s.dst_mac = mcast;
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_OTHER);
	len = arp_request(buf, 0, TN_OUR_IP);
	memcpy(buf, &tn_other_mac, 6);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_OTHER);
}

/* Verifies: a unicast IPv4 datagram sent to the broadcast MAC is
 * discarded (RFC 1122 3.3.6), so an echo reply never leaves from ff:ff.. */
static void
test_ipv4_via_broadcast(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	tn_spec_icmp_echo(&s);
	s.dst_mac = tn_bcast_mac;
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_OTHER);
	tn_spec_udp(&s);
	s.dst_mac = tn_bcast_mac;
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_OTHER);
}

/* Verifies: IPv6 and other EtherTypes are OTHER. */
static void
test_other_ethertype(void **state)
{
	static const uint16_t types[] = { 0x86dd, 0x88cc, 0x0842, 0x8035 };
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	struct dpt_net_pkt pkt;
	size_t len, i;

	tn_spec_udp(&s);
	for (i = 0; i < RTE_DIM(types); i++) {
		len = tn_build(buf, &s);
		buf[12] = (uint8_t)(types[i] >> 8);
		buf[13] = (uint8_t)types[i];
		assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt),
				 DPT_NET_OTHER);
	}
}

/* Steps: a datagram tagged with our VLAN id, priority bits set.
 * Verifies: UDP, vlan and offsets count the tag. */
static void
test_vlan_ours(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	struct dpt_net_pkt pkt;
	size_t len;

	tn_spec_udp(&s);
	s.tci = 0xa000 | TN_VLAN;
	len = tn_build(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if_vlan, 0, &pkt), DPT_NET_UDP);
	assert_int_equal(pkt.vlan, TN_VLAN);
	assert_int_equal(pkt.l2_len, 18);
	assert_int_equal(pkt.payload_off, 18 + 20 + 8);
	assert_int_equal(pkt.payload_len, s.payload_len);
	assert_int_equal(pkt.dst_port, TN_TFTP_PORT);
	assert_memory_equal(buf + pkt.payload_off, s.payload, s.payload_len);
}

/* Verifies: another VLAN id is dropped as "vlan". */
static void
test_vlan_wrong(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	tn_spec_udp(&s);
	s.tci = TN_VLAN + 1;
	len = tn_build(buf, &s);
	tn_expect_drop(buf, len, &tn_if_vlan, 0, DPT_NET_DROP_VLAN);
	/* The id is 12 bits: 0x1000 | TN_VLAN is TN_VLAN, priority 0 + CFI. */
	s.tci = 0x1000 | TN_VLAN;
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &tn_if_vlan, 0, DPT_NET_UDP);
}

/* Verifies: an untagged frame on a tagged interface is dropped. */
static void
test_vlan_missing(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	tn_spec_udp(&s);
	len = tn_build(buf, &s);
	tn_expect_drop(buf, len, &tn_if_vlan, 0, DPT_NET_DROP_VLAN);
	len = arp_request(buf, 0, TN_OUR_IP);
	tn_expect_drop(buf, len, &tn_if_vlan, 0, DPT_NET_DROP_VLAN);
}

/* Verifies: any tag (id 0 included) on an untagged interface is dropped. */
static void
test_vlan_unexpected(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	tn_spec_udp(&s);
	s.tci = TN_VLAN;
	len = tn_build(buf, &s);
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_VLAN);
	s.tci = 0x2000;		/* priority tag, id 0 */
	len = tn_build(buf, &s);
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_VLAN);
	len = arp_request(buf, TN_VLAN, TN_OUR_IP);
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_VLAN);
}

/* Verifies: QinQ (0x88a8 outer, or two 0x8100 tags) is dropped, whatever
 * the ids, on tagged and untagged interfaces. */
static void
test_vlan_stacked(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	tn_spec_udp(&s);
	s.tci = TN_VLAN;
	/* 0x8100 (our id) then 0x8100 again */
	len = insert_tag(buf, tn_build(buf, &s), 0x8100, TN_VLAN);
	tn_expect_drop(buf, len, &tn_if_vlan, 0, DPT_NET_DROP_VLAN);
	/* 0x8100 (our id) then an S-tag */
	len = tn_build(buf, &s);
	len = insert_tag(buf, len, 0x8100, TN_VLAN);
	buf[16] = 0x88;
	buf[17] = 0xa8;
	tn_expect_drop(buf, len, &tn_if_vlan, 0, DPT_NET_DROP_VLAN);
	/* 0x88a8 outer, our 0x8100 inside */
	len = insert_tag(buf, tn_build(buf, &s), 0x88a8, TN_VLAN);
	tn_expect_drop(buf, len, &tn_if_vlan, 0, DPT_NET_DROP_VLAN);
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_VLAN);
	/* 0x88a8 alone */
	s.tpid = 0x88a8;
	len = tn_build(buf, &s);
	tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_VLAN);
	tn_expect_drop(buf, len, &tn_if_vlan, 0, DPT_NET_DROP_VLAN);
}

/* Verifies: a tag cut short is a runt. */
static void
test_vlan_truncated(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	tn_spec_udp(&s);
	s.tci = TN_VLAN;
	tn_build(buf, &s);
	for (len = 14; len < 18; len++)
		tn_expect_drop(buf, len, &tn_if_vlan, 0, DPT_NET_DROP_RUNT);
}

/* Steps: who-has our address, broadcast, unicast, tagged, padded.
 * Verifies: ARP_REQUEST with the requester's MAC and addresses. */
static void
test_arp_request_ours(void **state)
{
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	size_t len;

	len = arp_request(buf, 0, TN_OUR_IP);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt),
			 DPT_NET_ARP_REQUEST);
	assert_memory_equal(&pkt.src_mac, &tn_peer_mac, 6);
	assert_int_equal(pkt.src_ip, TN_PEER_IP);
	assert_int_equal(pkt.dst_ip, TN_OUR_IP);
	assert_int_equal(pkt.l2_len, 14);
	/* Ethernet padding to 60 bytes */
	tn_expect_kind(buf, 60, &tn_if, 0, DPT_NET_ARP_REQUEST);
	/* unicast to our MAC (a cache refresh) */
	memcpy(buf, &tn_if.mac, 6);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_ARP_REQUEST);
	len = arp_request(buf, TN_VLAN, TN_OUR_IP);
	assert_int_equal(tn_parse(buf, len, &tn_if_vlan, 0, &pkt),
			 DPT_NET_ARP_REQUEST);
	assert_int_equal(pkt.l2_len, 18);
	assert_int_equal(pkt.vlan, TN_VLAN);
}

/* Verifies: the answer goes to the ARP sender hardware address, even when
 * the Ethernet source differs. */
static void
test_arp_sender_mac(void **state)
{
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	size_t len;

	len = arp_request(buf, 0, TN_OUR_IP);
	memcpy(buf + 6, &tn_other_mac, 6);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt),
			 DPT_NET_ARP_REQUEST);
	assert_memory_equal(&pkt.src_mac, &tn_peer_mac, 6);
}

/* Verifies: who-has for another address, and replies, are ARP_OTHER. */
static void
test_arp_other(void **state)
{
	static const struct rte_ether_addr zero;
	uint8_t buf[TN_BUF];
	size_t len;

	len = arp_request(buf, 0, tn_ip(192, 0, 2, 2));
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_ARP_OTHER);
	len = tn_arp(buf, &tn_if.mac, 0, 2, &tn_peer_mac, TN_PEER_IP,
		     &tn_if.mac, TN_OUR_IP);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_ARP_OTHER);
	len = tn_arp(buf, &tn_bcast_mac, 0, 3, &tn_peer_mac, TN_PEER_IP,
		     &zero, TN_OUR_IP);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_ARP_OTHER);
}

/* Verifies: each wrong fixed field makes the ARP malformed. */
static void
test_arp_malformed_fields(void **state)
{
	static const struct {
		size_t off;
		uint8_t val;
	} bad[] = {
		{ 0, 0x01 },	/* htype 0x0101 */
		{ 1, 6 },	/* htype 6 (IEEE 802) */
		{ 2, 0x86 },	/* ptype 0x8600 */
		{ 3, 0x01 },	/* ptype 0x0801 */
		{ 4, 8 },	/* hlen */
		{ 5, 16 },	/* plen */
	};
	uint8_t buf[TN_BUF];
	size_t len, i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		len = arp_request(buf, 0, TN_OUR_IP);
		buf[14 + bad[i].off] = bad[i].val;
		tn_expect_drop(buf, len, &tn_if, 0,
			       DPT_NET_DROP_ARP_MALFORMED);
	}
}

/* Verifies: every cut of an ARP request is malformed, never answered. */
static void
test_arp_truncated(void **state)
{
	uint8_t buf[TN_BUF];
	size_t len, full;

	full = arp_request(buf, TN_VLAN, TN_OUR_IP);
	for (len = 18; len < full; len++)
		tn_expect_drop(buf, len, &tn_if_vlan, 0,
			       DPT_NET_DROP_ARP_MALFORMED);
	tn_expect_kind(buf, full, &tn_if_vlan, 0, DPT_NET_ARP_REQUEST);
}

/* Verifies: a request whose sender MAC is broadcast, multicast or zero is
 * malformed: answering it would flood or go nowhere. */
static void
test_arp_bad_sender_mac(void **state)
{
	static const struct rte_ether_addr bad[] = {
		{{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }},
		{{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 }},
		{{ 0, 0, 0, 0, 0, 0 }},
	};
	static const struct rte_ether_addr zero;
	uint8_t buf[TN_BUF];
	size_t len, i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		len = tn_arp(buf, &tn_bcast_mac, 0, 1, &bad[i], TN_PEER_IP,
			     &zero, TN_OUR_IP);
		/* The frame from a good MAC, the ARP sender field bad. */
		memcpy(buf + 6, &tn_peer_mac, 6);
		tn_expect_drop(buf, len, &tn_if, 0,
			       DPT_NET_DROP_ARP_MALFORMED);
	}
}

/* Verifies: any frame for us whose Ethernet source is broadcast,
 * multicast or zero is dropped as src-mac, whatever it carries (an echo
 * request, a UDP datagram, an ARP request, an IPv6 datagram): every answer
 * goes to that source, and must never flood the segment. A unicast
 * source with the locally administered bit is fine. */
static void
test_bad_source_mac(void **state)
{
	static const struct rte_ether_addr bad[] = {
		{{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }},
		{{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 }},
		{{ 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 }},
		{{ 0x03, 0x00, 0x00, 0x00, 0x00, 0x07 }},
		{{ 0, 0, 0, 0, 0, 0 }},
	};
	static const struct rte_ether_addr local = {{ 0x06, 0, 0, 0, 0, 7 }};
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	struct tn_spec6 s6;
	size_t len, i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		tn_spec_icmp_echo(&s);
		s.src_mac = bad[i];
		len = tn_build(buf, &s);
		tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_SRC_MAC);
		tn_spec_udp(&s);
		s.src_mac = bad[i];
		len = tn_build(buf, &s);
		tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_SRC_MAC);
		len = arp_request(buf, 0, TN_OUR_IP);
		memcpy(buf + 6, &bad[i], 6);
		tn_expect_drop(buf, len, &tn_if, 0, DPT_NET_DROP_SRC_MAC);
		tn_spec6_udp(&s6);
		s6.src_mac = bad[i];
		len = tn_build6(buf, &s6);
		tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_SRC_MAC);
	}
	tn_spec_icmp_echo(&s);
	s.src_mac = local;
	len = tn_build(buf, &s);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_ICMP_ECHO);
}

const struct CMUnitTest tn_l2_tests[] = {
	cmocka_unit_test(test_runt),
	cmocka_unit_test(test_not_our_mac),
	cmocka_unit_test(test_ipv4_via_broadcast),
	cmocka_unit_test(test_other_ethertype),
	cmocka_unit_test(test_vlan_ours),
	cmocka_unit_test(test_vlan_wrong),
	cmocka_unit_test(test_vlan_missing),
	cmocka_unit_test(test_vlan_unexpected),
	cmocka_unit_test(test_vlan_stacked),
	cmocka_unit_test(test_vlan_truncated),
	cmocka_unit_test(test_arp_request_ours),
	cmocka_unit_test(test_arp_sender_mac),
	cmocka_unit_test(test_arp_other),
	cmocka_unit_test(test_arp_malformed_fields),
	cmocka_unit_test(test_arp_truncated),
	cmocka_unit_test(test_arp_bad_sender_mac),
	cmocka_unit_test(test_bad_source_mac),
};
const size_t tn_l2_count = RTE_DIM(tn_l2_tests);
