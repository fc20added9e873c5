/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The ethdev backend for IPv6 (test_ethdev.h): Neighbor Discovery,
 * ICMPv6 echo, UDP both ways with checksums, drops counted by reason, and
 * port unreachable.
 */

#include "test_ethdev.h"

/* Verifies: a solicitation for our address, to its solicited-node group,
 * and one for our link-local address, are each answered with an
 * advertisement to the asker's MAC and address (solicited, override,
 * our MAC); one for another address, and one whose hop limit is not 255,
 * are not (the latter counted as Drop-nd-invalid). */
void
ns_answered(void **state)
{
	uint8_t other[16];
	struct rte_mbuf *m[8];
	const struct rte_ether_hdr *e;
	const struct rte_ipv6_hdr *ip;
	const uint8_t *na;
	unsigned long long nd0 = te_stat("ND-adverts");
	unsigned long long bad0 = te_stat("Drop-nd-invalid");
	unsigned int i;

	memcpy(other, ef_server_ip6, 16);
	other[8] = 0x77;
	assert_int_equal(ef_inject(rx_r, pool, frame,
				   ef_ns(frame, ef_server_ip6, 255)), 0);
	assert_int_equal(ef_inject(rx_r, pool, frame,
				   ef_ns(frame, server_ll6, 255)), 0);
	assert_int_equal(ef_inject(rx_r, pool, frame,
				   ef_ns(frame, other, 255)), 0);
	assert_int_equal(ef_inject(rx_r, pool, frame,
				   ef_ns(frame, ef_server_ip6, 64)), 0);
	assert_int_equal(rx(m, 8), 0);
	assert_int_equal(ctl_take(m, 8), 2);
	for (i = 0; i < 2; i++) {
		e = rte_pktmbuf_mtod(m[i], const struct rte_ether_hdr *);
		ip = (const struct rte_ipv6_hdr *)(e + 1);
		na = (const uint8_t *)(ip + 1);
		assert_true(rte_is_same_ether_addr(&e->dst_addr,
						   &ef_client_mac));
		assert_true(rte_is_same_ether_addr(&e->src_addr, &server_mac));
		assert_memory_equal(ip->dst_addr, ef_client_ip6, 16);
		assert_memory_equal(ip->src_addr, i == 0 ? ef_server_ip6 :
				    server_ll6, 16);
		assert_int_equal(ip->hop_limits, 255);
		assert_int_equal(na[0], 136);
		assert_int_equal(na[4], 0x60);
		assert_memory_equal(na + 8, ip->src_addr, 16);
		assert_memory_equal(na + 26, &server_mac, 6);
		assert_true(l4_csum6_ok(ip));
		rte_pktmbuf_free(m[i]);
	}
	assert_int_equal(te_stat("ND-adverts"), nd0 + 2);
	assert_int_equal(te_stat("Drop-nd-invalid"), bad0 + 1);
}

/* Verifies: an ICMPv6 echo request gets an echo reply with a valid
 * checksum, from the address it was sent to. */
void
icmp6_echo_answered(void **state)
{
	struct rte_mbuf *m[8];
	const struct rte_ipv6_hdr *ip;
	const uint8_t *ic;
	unsigned long long n0 = te_stat("ICMPv6-echo-replies");
	size_t len = ef_icmp6_echo(frame, &server_mac, server_ll6, 78, 4);

	assert_int_equal(ef_inject(rx_r, pool, frame, len), 0);
	assert_int_equal(rx(m, 8), 0);
	assert_int_equal(ctl_take(m, 8), 1);
	assert_int_equal(rte_pktmbuf_pkt_len(m[0]), len);
	ip = rte_pktmbuf_mtod_offset(m[0], const struct rte_ipv6_hdr *,
				     sizeof(struct rte_ether_hdr));
	ic = (const uint8_t *)(ip + 1);
	assert_int_equal(ic[0], 129);
	assert_int_equal(ic[4] << 8 | ic[5], 78);
	assert_memory_equal(ip->dst_addr, ef_client_ip6, 16);
	assert_memory_equal(ip->src_addr, server_ll6, 16);
	assert_true(l4_csum6_ok(ip));
	rte_pktmbuf_free(m[0]);
	assert_int_equal(te_stat("ICMPv6-echo-replies"), n0 + 1);
}

/* Verifies: a UDP datagram over IPv6 comes out as its payload with
 * family AF_INET6, the client's and our 16-byte addresses, ports and MAC
 * in the metadata. */
void
udp6_delivered_with_meta(void **state)
{
	uint8_t req[64];
	struct rte_mbuf *m[8];
	const struct dpt_pkt_meta *meta;
	size_t rl = ef_rrq(req, "boot6.efi", "octet", "blksize", "1428",
			   NULL);

	assert_int_equal(ef_inject(rx_r, pool, frame,
				   ef_udp6(frame, &server_mac, ef_client_ip6,
					   ef_server_ip6, 40006, 69, req,
					   rl)), 0);
	assert_int_equal(rx(m, 8), 1);
	assert_int_equal(rte_pktmbuf_pkt_len(m[0]), rl);
	assert_memory_equal(rte_pktmbuf_mtod(m[0], void *), req, rl);
	meta = dpt_meta(m[0]);
	assert_int_equal(meta->family, AF_INET6);
	assert_memory_equal(meta->client_ip, ef_client_ip6, 16);
	assert_memory_equal(meta->server_ip, ef_server_ip6, 16);
	assert_int_equal(meta->client_port, 40006);
	assert_int_equal(meta->server_port, 69);
	assert_int_equal(meta->hdr_len, 14 + 40 + 8);
	assert_true(rte_is_same_ether_addr(&meta->peer_mac, &ef_client_mac));
	rte_pktmbuf_free(m[0]);
}

/* Verifies: broken IPv6 frames are dropped and counted by reason: a UDP
 * checksum of 0, a wrong one, a fragment, a payload length past the
 * frame. */
void
malformed6_counted(void **state)
{
	uint8_t req[16];
	struct rte_mbuf *m[8];
	size_t rl = ef_rrq(req, "f", "octet", NULL), len;
	unsigned long long zero0 = te_stat("Drop-udp6-no-csum"),
			   csum0 = te_stat("Drop-udp-csum"),
			   frag0 = te_stat("Drop-ip6-fragment"),
			   len0 = te_stat("Drop-ip6-len");

	len = ef_udp6(frame, &server_mac, ef_client_ip6, ef_server_ip6, 40007,
		      69, req, rl);
	frame[14 + 40 + 6] = frame[14 + 40 + 7] = 0;
	assert_int_equal(ef_inject(rx_r, pool, frame, len), 0);
	len = ef_udp6(frame, &server_mac, ef_client_ip6, ef_server_ip6, 40007,
		      69, req, rl);
	frame[len - 1] ^= 0x01;
	assert_int_equal(ef_inject(rx_r, pool, frame, len), 0);
	len = ef_udp6(frame, &server_mac, ef_client_ip6, ef_server_ip6, 40007,
		      69, req, rl);
	frame[14 + 6] = 44;			/* a fragment header */
	assert_int_equal(ef_inject(rx_r, pool, frame, len), 0);
	len = ef_udp6(frame, &server_mac, ef_client_ip6, ef_server_ip6, 40007,
		      69, req, rl);
	assert_int_equal(ef_inject(rx_r, pool, frame, len - 1), 0);
	assert_int_equal(rx(m, 8), 0);
	assert_int_equal(te_stat("Drop-udp6-no-csum"), zero0 + 1);
	assert_int_equal(te_stat("Drop-udp-csum"), csum0 + 1);
	assert_int_equal(te_stat("Drop-ip6-fragment"), frag0 + 1);
	assert_int_equal(te_stat("Drop-ip6-len"), len0 + 1);
}

/* Verifies: encap of an AF_INET6 reply builds a frame to the client's
 * MAC, from the address the request went to, whose UDP checksum verifies
 * whatever the payload's length parity, and which the client parses. */
void
encap6_checksums_verify(void **state)
{
	unsigned int len;

	for (len = 0; len < 1450; len += 97) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		struct dpt_pkt_meta *meta = dpt_meta(m);
		struct dpt_net_if ifc = { .mac = ef_client_mac };
		struct dpt_net_pkt k;
		uint8_t *p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
		const uint8_t *src = len % 2 ? server_ll6 : ef_server_ip6;
		unsigned int i;

		for (i = 0; i < len; i++)
			p[i] = (uint8_t)(i * 7 + len);
		memset(meta, 0, sizeof(*meta));
		meta->family = AF_INET6;
		memcpy(meta->client_ip, ef_client_ip6, 16);
		memcpy(meta->server_ip, src, 16);
		meta->client_port = 40008;
		meta->server_port = 50006;
		meta->peer_mac = ef_client_mac;
		assert_int_equal(dpt_port_encap(port, m), 0);
		assert_int_equal(m->pkt_len, 62 + len);
		assert_true(l4_csum6_ok(rte_pktmbuf_mtod_offset(m,
			const struct rte_ipv6_hdr *, 14)));
		/* Parse it as the client would: swap roles. */
		memcpy(ifc.ip6, ef_client_ip6, 16);
		ifc.prefix6 = 64;
		dpt_net_ll6(ifc.ll6, &ef_client_mac);
		assert_int_equal(dpt_net_parse(rte_pktmbuf_mtod(m, uint8_t *),
					       m->data_len, &ifc, 0, &k),
				 DPT_NET_UDP6);
		assert_memory_equal(k.src_ip6, src, 16);
		assert_int_equal(k.src_port, 50006);
		assert_int_equal(k.dst_port, 40008);
		assert_int_equal(k.payload_len, len);
		rte_pktmbuf_free(m);
	}
}

/* Verifies: a UDP6 datagram to a port nobody owns gets ICMPv6 port
 * unreachable (type 1, code 4) quoting it, counted as
 * ICMPv6-unreachable. */
void
unreachable6(void **state)
{
	uint8_t req[8] = { 0, 4, 0, 1 };
	struct rte_mbuf *m[8];
	const struct rte_ipv6_hdr *ip;
	const uint8_t *ic;
	unsigned long long n0 = te_stat("ICMPv6-unreachable");
	size_t len = ef_udp6(frame, &server_mac, ef_client_ip6, ef_server_ip6,
			     40009, 5555, req, 4);

	assert_int_equal(ef_inject(rx_r, pool, frame, len), 0);
	assert_int_equal(rx(m, 1), 1);
	port->ops->unreachable(port, m[0]);
	assert_int_equal(ctl_take(m, 8), 1);
	ip = rte_pktmbuf_mtod_offset(m[0], const struct rte_ipv6_hdr *, 14);
	ic = (const uint8_t *)(ip + 1);
	assert_int_equal(ic[0], 1);
	assert_int_equal(ic[1], 4);
	assert_memory_equal(ip->dst_addr, ef_client_ip6, 16);
	assert_memory_equal(ic + 8, frame + 14, len - 14);
	assert_int_equal(rte_pktmbuf_pkt_len(m[0]), 14 + 48 + len - 14);
	assert_true(l4_csum6_ok(ip));
	rte_pktmbuf_free(m[0]);
	assert_int_equal(te_stat("ICMPv6-unreachable"), n0 + 1);
}
