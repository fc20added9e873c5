/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * What the backend answers by itself: ARP replies, gratuitous ARP, echo
 * replies and port unreachable, checked byte by byte and by parsing them
 * the way the client would.
 */

#include <string.h>

#include "test_net.h"

static const struct rte_ether_addr zero_mac;

static size_t
arp_request(uint8_t *buf, uint16_t tci)
{
	return tn_arp(buf, &tn_bcast_mac, tci, 1, &tn_peer_mac, TN_PEER_IP,
		      &zero_mac, TN_OUR_IP);
}

/* The 28 bytes of an Ethernet/IPv4 ARP body. */
static void
expect_arp_body(const uint8_t *a, uint16_t op,
		const struct rte_ether_addr *sha, uint32_t sip,
		const struct rte_ether_addr *tha, uint32_t tip)
{
	static const uint8_t fixed[6] = { 0, 1, 0x08, 0x00, 6, 4 };

	assert_memory_equal(a, fixed, sizeof(fixed));
	assert_int_equal(tn_rd16(a + 6), op);
	assert_memory_equal(a + 8, sha, 6);
	assert_int_equal(tn_rd32n(a + 14), sip);
	assert_memory_equal(a + 18, tha, 6);
	assert_int_equal(tn_rd32n(a + 24), tip);
}

static void
expect_zero(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != 0)
			fail_msg("byte %zu is 0x%02x, not 0", i, p[i]);
}

/* Steps: answer a broadcast who-has for us in a buffer of stale bytes.
 * Verifies: 60 bytes to the requester's MAC, from ours, op 2, addresses
 * swapped, padding zero; the client sees an ARP reply. */
static void
test_arp_reply_bytes(void **state)
{
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	size_t len, out;

	len = arp_request(buf, 0);
	memset(buf + len, 0xaa, 64);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt),
			 DPT_NET_ARP_REQUEST);
	out = dpt_net_arp_reply(buf, len, sizeof(buf), &pkt, &tn_if);
	assert_int_equal(out, 60);
	assert_memory_equal(buf, &tn_peer_mac, 6);
	assert_memory_equal(buf + 6, &tn_if.mac, 6);
	assert_int_equal(tn_rd16(buf + 12), 0x0806);
	expect_arp_body(buf + 14, 2, &tn_if.mac, TN_OUR_IP, &tn_peer_mac,
			TN_PEER_IP);
	expect_zero(buf + 42, 60 - 42);
	assert_int_equal(tn_parse(buf, out, &tn_peer_if, 0, &pkt),
			 DPT_NET_ARP_OTHER);
	assert_memory_equal(&pkt.src_mac, &tn_if.mac, 6);
	assert_int_equal(pkt.src_ip, TN_OUR_IP);
	/* a request relayed from another Ethernet source: the reply still
	 * goes to the sender hardware address */
	len = arp_request(buf, 0);
	memcpy(buf + 6, &tn_other_mac, 6);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt),
			 DPT_NET_ARP_REQUEST);
	assert_int_equal(dpt_net_arp_reply(buf, len, sizeof(buf), &pkt,
					   &tn_if), 60);
	assert_memory_equal(buf, &tn_peer_mac, 6);
}

/* Verifies: a tagged request is answered on the same tag, priority bits
 * kept, ARP after the tag. */
static void
test_arp_reply_vlan(void **state)
{
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	size_t len, out;

	len = arp_request(buf, 0xe000 | TN_VLAN);
	assert_int_equal(tn_parse(buf, len, &tn_if_vlan, 0, &pkt),
			 DPT_NET_ARP_REQUEST);
	out = dpt_net_arp_reply(buf, len, sizeof(buf), &pkt, &tn_if_vlan);
	assert_int_equal(out, 60);
	assert_memory_equal(buf, &tn_peer_mac, 6);
	assert_int_equal(tn_rd16(buf + 12), 0x8100);
	assert_int_equal(tn_rd16(buf + 14), 0xe000 | TN_VLAN);
	assert_int_equal(tn_rd16(buf + 16), 0x0806);
	expect_arp_body(buf + 18, 2, &tn_if.mac, TN_OUR_IP, &tn_peer_mac,
			TN_PEER_IP);
	expect_zero(buf + 46, 60 - 46);
	tn_expect_kind(buf, out, &tn_peer_if_vlan, 0, DPT_NET_ARP_OTHER);
}

/* Verifies: no reply when the frame is not a request for us, is shorter
 * than the request, or the buffer cannot hold it; a buffer under 60
 * bytes gets the reply padded as far as it goes. */
static void
test_arp_reply_refuses(void **state)
{
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	size_t len;

	len = tn_arp(buf, &tn_bcast_mac, 0, 1, &tn_peer_mac, TN_PEER_IP,
		     &zero_mac, tn_ip(192, 0, 2, 99));
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt),
			 DPT_NET_ARP_OTHER);
	assert_int_equal(dpt_net_arp_reply(buf, len, sizeof(buf), &pkt,
					   &tn_if), 0);
	len = arp_request(buf, 0);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt),
			 DPT_NET_ARP_REQUEST);
	assert_int_equal(dpt_net_arp_reply(buf, len, 41, &pkt, &tn_if), 0);
	assert_int_equal(dpt_net_arp_reply(buf, 41, sizeof(buf), &pkt,
					   &tn_if), 0);
	assert_int_equal(dpt_net_arp_reply(buf, len, 50, &pkt, &tn_if), 50);
	assert_int_equal(tn_rd16(buf + 20), 2);
}

/* Verifies: our own gratuitous ARP, looped back, is not answered. */
static void
test_arp_own_garp_ignored(void **state)
{
	uint8_t buf[TN_BUF];
	size_t len;

	len = dpt_net_garp(buf, sizeof(buf), &tn_if);
	tn_expect_kind(buf, len, &tn_if, 0, DPT_NET_ARP_OTHER);
}

/* Verifies: the gratuitous ARP's exact bytes, untagged and tagged: a
 * broadcast request for our own address, target MAC zero, 60 bytes; a
 * short buffer gets nothing. */
static void
test_garp_bytes(void **state)
{
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;

	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(dpt_net_garp(buf, sizeof(buf), &tn_if), 60);
	assert_memory_equal(buf, &tn_bcast_mac, 6);
	assert_memory_equal(buf + 6, &tn_if.mac, 6);
	assert_int_equal(tn_rd16(buf + 12), 0x0806);
	expect_arp_body(buf + 14, 1, &tn_if.mac, TN_OUR_IP, &zero_mac,
			TN_OUR_IP);
	expect_zero(buf + 42, 60 - 42);
	assert_int_equal(buf[60], 0xaa);
	/* what a neighbour sees: an ARP that is not a question for it */
	assert_int_equal(tn_parse(buf, 60, &tn_peer_if, 0, &pkt),
			 DPT_NET_ARP_OTHER);
	assert_int_equal(pkt.src_ip, TN_OUR_IP);

	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(dpt_net_garp(buf, sizeof(buf), &tn_if_vlan), 60);
	assert_memory_equal(buf, &tn_bcast_mac, 6);
	assert_int_equal(tn_rd16(buf + 12), 0x8100);
	assert_int_equal(tn_rd16(buf + 14), TN_VLAN);
	assert_int_equal(tn_rd16(buf + 16), 0x0806);
	expect_arp_body(buf + 18, 1, &tn_if.mac, TN_OUR_IP, &zero_mac,
			TN_OUR_IP);
	expect_zero(buf + 46, 60 - 46);
	tn_expect_kind(buf, 60, &tn_peer_if_vlan, 0, DPT_NET_ARP_OTHER);

	assert_int_equal(dpt_net_garp(buf, 59, &tn_if), 0);
}

/* Turns the echo request in buf into its reply and checks it against the
 * request: swapped, type 0, TTL 64, checksums that verify, data kept. */
static void
check_echo_reply(uint8_t *buf, size_t len, const struct dpt_net_if *ifc,
		 const struct dpt_net_if *peer)
{
	uint8_t orig[TN_BUF];
	struct dpt_net_pkt pkt;
	size_t out, l2, hl, ilen;
	const uint8_t *ip, *oip;

	memcpy(orig, buf, len);
	assert_int_equal(tn_parse(buf, len, ifc, 0, &pkt), DPT_NET_ICMP_ECHO);
	out = dpt_net_icmp_echo_reply(buf, len, &pkt);
	l2 = pkt.l2_len;
	hl = pkt.l3_len;
	assert_int_equal(out, l2 + pkt.l3_total);
	assert_memory_equal(buf, orig + 6, 6);
	assert_memory_equal(buf + 6, orig, 6);
	assert_memory_equal(buf + 12, orig + 12, l2 - 12);
	ip = buf + l2;
	oip = orig + l2;
	assert_memory_equal(ip, oip, 8);	/* vhl, tos, len, id, frag */
	assert_int_equal(ip[8], 64);
	assert_int_equal(ip[9], 1);
	assert_memory_equal(ip + 12, oip + 16, 4);
	assert_memory_equal(ip + 16, oip + 12, 4);
	assert_memory_equal(ip + 20, oip + 20, hl - 20);
	assert_true(tn_ip_csum_ok(ip));
	ilen = pkt.l3_total - hl;
	assert_int_equal(ip[hl], 0);
	assert_int_equal(ip[hl + 1], 0);
	assert_memory_equal(ip + hl + 4, oip + hl + 4, ilen - 4);
	assert_true(tn_icmp_csum_ok(ip));
	tn_expect_kind(buf, out, peer, 0, DPT_NET_ICMP_OTHER);
}

/* Steps: a padded echo request, answered in place. Verifies: the reply
 * (padding dropped) checks against the request. */
static void
test_echo_reply(void **state)
{
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;

	tn_spec_icmp_echo(&s);
	s.pad = 60 - (14 + 20 + 4 + s.payload_len);
	s.pad_byte = 0x77;
	len = tn_build(buf, &s);
	check_echo_reply(buf, len, &tn_if, &tn_peer_if);
}

/* Steps: 1000 echo requests of random sizes, options and tags.
 * Verifies: every incrementally updated checksum verifies, whatever the
 * request's checksum was (0x0000 and 0xffff edges included). */
static void
test_echo_reply_random(void **state)
{
	static const uint8_t nops[8] = { 1, 1, 1, 1, 1, 1, 1, 0 };
	uint8_t payload[1400];
	uint8_t buf[TN_BUF];
	struct tn_spec s;
	size_t len;
	int i;

	tn_spec_icmp_echo(&s);
	s.payload = payload;
	for (i = 0; i < 1000; i++) {
		s.payload_len = 4 + tn_rand() % (sizeof(payload) - 4);
		tn_fill_rand(payload, s.payload_len);
		s.opts = nops;
		s.opts_len = (tn_rand() % 3) * 4;
		s.tci = (i % 2) ? TN_VLAN : 0;
		/* now and then, a request whose checksum field is 0x0000 or
		 * 0xffff (both "zero"): a last data word equal to the
		 * checksum makes up for it */
		if (i % 10 == 0) {
			s.payload_len = (s.payload_len & ~(size_t)1) + 2;
			payload[s.payload_len - 2] = 0;
			payload[s.payload_len - 1] = 0;
		}
		len = tn_build(buf, &s);
		if (i % 10 == 0) {
			uint8_t *ip = buf + tn_l2_len(buf);
			uint8_t *icmp = ip + 20 + s.opts_len;

			tn_wr16(buf + len - 2, tn_rd16(icmp + 2));
			tn_wr16(icmp + 2, (i % 20 == 0) ? 0x0000 : 0xffff);
			assert_true(tn_icmp_csum_ok(ip));
		}
		check_echo_reply(buf, len, s.tci ? &tn_if_vlan : &tn_if,
				 s.tci ? &tn_peer_if_vlan : &tn_peer_if);
	}
}

/* Verifies: no reply for anything but an echo request, nor from a frame
 * shorter than the datagram. */
static void
test_echo_reply_refuses(void **state)
{
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec s;
	size_t len;

	tn_spec_udp(&s);
	len = tn_build(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt), DPT_NET_UDP);
	assert_int_equal(dpt_net_icmp_echo_reply(buf, len, &pkt), 0);
	tn_spec_icmp_echo(&s);
	len = tn_build(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt),
			 DPT_NET_ICMP_ECHO);
	assert_int_equal(dpt_net_icmp_echo_reply(buf, len - 1, &pkt), 0);
	assert_int_equal(buf[14 + 20], 8);
}

/* Steps: a tagged UDP datagram with IP options to a closed port.
 * Verifies: the port unreachable's every field, the quote (header with
 * options + 8 bytes), checksums; the client parses it as ICMP. */
static void
test_port_unreach(void **state)
{
	static const uint8_t nops[4] = { 1, 1, 1, 0 };
	uint8_t buf[TN_BUF], out[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec s;
	size_t len, n, quote;
	const uint8_t *ip, *icmp;

	tn_spec_udp(&s);
	s.tci = 0x4000 | TN_VLAN;
	s.opts = nops;
	s.opts_len = sizeof(nops);
	s.dst_port = 12345;
	s.pad = 30;
	len = tn_build(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if_vlan, 0, &pkt), DPT_NET_UDP);
	memset(out, 0xaa, sizeof(out));
	n = dpt_net_icmp_port_unreach(out, sizeof(out), buf, &pkt, &tn_if_vlan);
	quote = 24 + 8;
	assert_int_equal(n, 18 + 20 + 8 + quote);
	assert_memory_equal(out, &tn_peer_mac, 6);
	assert_memory_equal(out + 6, &tn_if.mac, 6);
	assert_int_equal(tn_rd16(out + 12), 0x8100);
	assert_int_equal(tn_rd16(out + 14), 0x4000 | TN_VLAN);
	assert_int_equal(tn_rd16(out + 16), 0x0800);
	ip = out + 18;
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(ip[1], 0);
	assert_int_equal(tn_rd16(ip + 2), 20 + 8 + quote);
	assert_int_equal(tn_rd16(ip + 6), 0);	/* DF clear, no offset */
	assert_int_equal(ip[8], 64);
	assert_int_equal(ip[9], 1);
	assert_int_equal(tn_rd32n(ip + 12), TN_OUR_IP);
	assert_int_equal(tn_rd32n(ip + 16), TN_PEER_IP);
	assert_true(tn_ip_csum_ok(ip));
	icmp = ip + 20;
	assert_int_equal(icmp[0], 3);
	assert_int_equal(icmp[1], 3);
	expect_zero(icmp + 4, 4);
	assert_memory_equal(icmp + 8, buf + 18, quote);
	assert_true(tn_icmp_csum_ok(ip));
	assert_int_equal(out[n], 0xaa);
	tn_expect_kind(out, n, &tn_peer_if_vlan, 0, DPT_NET_ICMP_OTHER);
}

/* Verifies: untagged, the answer is untagged and quotes 20 + 8 bytes; a
 * buffer one byte short, or a frame that is not UDP, gets nothing. */
static void
test_port_unreach_untagged(void **state)
{
	uint8_t buf[TN_BUF], out[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec s;
	size_t len, n;

	tn_spec_udp(&s);
	len = tn_build(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt), DPT_NET_UDP);
	n = dpt_net_icmp_port_unreach(out, sizeof(out), buf, &pkt, &tn_if);
	assert_int_equal(n, 14 + 20 + 8 + 28);
	assert_int_equal(tn_rd16(out + 12), 0x0800);
	assert_memory_equal(out + 14 + 28, buf + 14, 28);
	assert_true(tn_icmp_csum_ok(out + 14));
	tn_expect_kind(out, n, &tn_peer_if, 0, DPT_NET_ICMP_OTHER);
	assert_int_equal(dpt_net_icmp_port_unreach(out, n - 1, buf, &pkt,
						   &tn_if), 0);
	assert_int_equal(dpt_net_icmp_port_unreach(out, n, buf, &pkt, &tn_if),
			 n);
	tn_spec_icmp_echo(&s);
	len = tn_build(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if, 0, &pkt),
			 DPT_NET_ICMP_ECHO);
	assert_int_equal(dpt_net_icmp_port_unreach(out, sizeof(out), buf,
						   &pkt, &tn_if), 0);
}

const struct CMUnitTest tn_reply_tests[] = {
	cmocka_unit_test(test_arp_reply_bytes),
	cmocka_unit_test(test_arp_reply_vlan),
	cmocka_unit_test(test_arp_reply_refuses),
	cmocka_unit_test(test_arp_own_garp_ignored),
	cmocka_unit_test(test_garp_bytes),
	cmocka_unit_test(test_echo_reply),
	cmocka_unit_test(test_echo_reply_random),
	cmocka_unit_test(test_echo_reply_refuses),
	cmocka_unit_test(test_port_unreach),
	cmocka_unit_test(test_port_unreach_untagged),
};
const size_t tn_reply_count = RTE_DIM(tn_reply_tests);
