/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The ethdev backend on a net_ring port (test_ethdev.h): the fixture, and
 * for IPv4 ARP, ICMP, delivery of UDP payloads with their addresses,
 * checksums both ways, drops counted by reason, reassembly (its expiry
 * and bounds included) and rate-limited port unreachables. IPv6:
 * test_ethdev6.c.
 */

#include "test_ethdev.h"

struct rte_mempool *pool;
struct rte_ring *rx_r, *tx_r;
struct dpt_port *port;
struct dpt_conf conf;
struct rte_ether_addr server_mac;
uint8_t server_ll6[16];
uint8_t frame[9000];

unsigned long long
te_stat(const char *key)
{
	return ef_port_stat(port, key);
}

unsigned int
ctl_take(struct rte_mbuf **m, unsigned int n)
{
	return port->ops->ctl_dequeue(port, m, (uint16_t)n);
}

uint16_t
rx(struct rte_mbuf **m, uint16_t n)
{
	return port->ops->rx_burst(port, 0, m, n);
}

static int
setup(void **state)
{
	struct dpt_conf_iface ifc = { .prefix = 24 };
	char err[256];
	int pid;

	pool = rte_pktmbuf_pool_create("t_eth", 4096, 0, DPT_META_SIZE,
				       RTE_MBUF_DEFAULT_BUF_SIZE,
				       rte_socket_id());
	rx_r = rte_ring_create("t_eth_rx", 1024, rte_socket_id(),
			       RING_F_SP_ENQ | RING_F_SC_DEQ);
	tx_r = rte_ring_create("t_eth_tx", 1024, rte_socket_id(),
			       RING_F_SP_ENQ | RING_F_SC_DEQ);
	assert_non_null(pool);
	pid = rte_eth_from_rings("ring_eth0", &rx_r, 1, &tx_r, 1,
				 rte_socket_id());
	assert_true(pid >= 0);
	assert_int_equal(rte_eth_dev_get_name_by_port((uint16_t)pid,
						      ifc.name), 0);
	dpt_conf_defaults(&conf);
	ifc.ip.s_addr = rte_cpu_to_be_32(EF_SERVER_IP);
	memcpy(&ifc.ip6, ef_server_ip6, 16);
	ifc.prefix6 = 64;
	port = dpt_port_ethdev_open(&conf, &ifc, 0, pool, err, sizeof(err));
	if (port == NULL)
		fail_msg("open: %s", err);
	ef_port_mac(port, &server_mac);
	dpt_net_ll6(server_ll6, &server_mac);
	return 0;
}

static int
teardown(void **state)
{
	if (port != NULL)
		port->ops->close(port);
	return 0;
}

bool
l4_csum6_ok(const struct rte_ipv6_hdr *ip)
{
	return rte_ipv6_udptcp_cksum_verify(ip, ip + 1) == 0;
}

/* Verifies: when the port opens, a gratuitous ARP for our IPv4 address
 * leaves, then an unsolicited neighbor advertisement for our IPv6 one:
 * to all-nodes (ff02::1, 33:33:00:00:00:01), override set, solicited
 * clear, our MAC as target link-layer address; nothing else. */
static void
announcements_at_open(void **state)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	struct rte_mbuf *m[8];
	const struct rte_ether_hdr *e;
	const struct rte_arp_hdr *a;
	const struct rte_ipv6_hdr *ip;
	const uint8_t *na;

	assert_int_equal(ctl_take(m, 8), 2);
	e = rte_pktmbuf_mtod(m[0], const struct rte_ether_hdr *);
	a = (const struct rte_arp_hdr *)(e + 1);
	assert_true(rte_is_broadcast_ether_addr(&e->dst_addr));
	assert_int_equal(rte_be_to_cpu_16(e->ether_type), RTE_ETHER_TYPE_ARP);
	assert_int_equal(rte_be_to_cpu_32(a->arp_data.arp_sip), EF_SERVER_IP);
	assert_int_equal(rte_be_to_cpu_32(a->arp_data.arp_tip), EF_SERVER_IP);
	assert_true(rte_is_same_ether_addr(&a->arp_data.arp_sha, &server_mac));
	rte_pktmbuf_free(m[0]);

	e = rte_pktmbuf_mtod(m[1], const struct rte_ether_hdr *);
	ip = (const struct rte_ipv6_hdr *)(e + 1);
	na = (const uint8_t *)(ip + 1);
	assert_int_equal(rte_pktmbuf_pkt_len(m[1]), 14 + 40 + 32);
	assert_memory_equal(e->dst_addr.addr_bytes, "\x33\x33\0\0\0\x01", 6);
	assert_true(rte_is_same_ether_addr(&e->src_addr, &server_mac));
	assert_int_equal(rte_be_to_cpu_16(e->ether_type), RTE_ETHER_TYPE_IPV6);
	assert_int_equal(ip->hop_limits, 255);
	assert_memory_equal(ip->src_addr, ef_server_ip6, 16);
	assert_memory_equal(ip->dst_addr, all_nodes, 16);
	assert_int_equal(na[0], 136);
	assert_int_equal(na[4], 0x20);
	assert_memory_equal(na + 8, ef_server_ip6, 16);
	assert_int_equal(na[24], 2);
	assert_memory_equal(na + 26, &server_mac, 6);
	assert_true(l4_csum6_ok(ip));
	rte_pktmbuf_free(m[1]);
}

/* Verifies: who-has our address is answered to the asker's MAC; who-has
 * another address is not. */
static void
arp_answered_only_for_us(void **state)
{
	struct rte_mbuf *m[8];
	const struct rte_ether_hdr *e;
	const struct rte_arp_hdr *a;

	assert_int_equal(ef_inject(rx_r, pool, frame,
				   ef_arp_request(frame, EF_SERVER_IP)), 0);
	assert_int_equal(ef_inject(rx_r, pool, frame,
				   ef_arp_request(frame, EF_SERVER_IP + 7)), 0);
	assert_int_equal(rx(m, 8), 0);
	assert_int_equal(ctl_take(m, 8), 1);
	e = rte_pktmbuf_mtod(m[0], const struct rte_ether_hdr *);
	a = (const struct rte_arp_hdr *)(e + 1);
	assert_true(rte_is_same_ether_addr(&e->dst_addr, &ef_client_mac));
	assert_true(rte_is_same_ether_addr(&e->src_addr, &server_mac));
	assert_int_equal(rte_be_to_cpu_16(a->arp_opcode), RTE_ARP_OP_REPLY);
	assert_true(rte_is_same_ether_addr(&a->arp_data.arp_sha, &server_mac));
	assert_int_equal(rte_be_to_cpu_32(a->arp_data.arp_sip), EF_SERVER_IP);
	assert_true(rte_is_same_ether_addr(&a->arp_data.arp_tha,
					   &ef_client_mac));
	assert_int_equal(rte_be_to_cpu_32(a->arp_data.arp_tip), EF_CLIENT_IP);
	rte_pktmbuf_free(m[0]);
	assert_int_equal(te_stat("ARP-replies"), 1);
}

/* Verifies: an echo request gets an echo reply with a valid checksum. */
static void
icmp_echo_answered(void **state)
{
	struct rte_mbuf *m[8];
	const struct rte_ipv4_hdr *ip;
	const struct rte_icmp_hdr *ic;
	size_t len = ef_icmp_echo(frame, &server_mac, 77, 3);

	assert_int_equal(ef_inject(rx_r, pool, frame, len), 0);
	assert_int_equal(rx(m, 8), 0);
	assert_int_equal(ctl_take(m, 8), 1);
	ip = rte_pktmbuf_mtod_offset(m[0], const struct rte_ipv4_hdr *,
				     sizeof(struct rte_ether_hdr));
	ic = (const struct rte_icmp_hdr *)(ip + 1);
	assert_int_equal(ic->icmp_type, RTE_IP_ICMP_ECHO_REPLY);
	assert_int_equal(rte_be_to_cpu_16(ic->icmp_ident), 77);
	assert_int_equal(rte_be_to_cpu_32(ip->dst_addr), EF_CLIENT_IP);
	assert_int_equal(rte_be_to_cpu_32(ip->src_addr), EF_SERVER_IP);
	assert_int_equal(rte_ipv4_cksum(ip), 0);	/* sums to all ones */
	assert_int_equal((uint16_t)~rte_raw_cksum(ic,
		rte_be_to_cpu_16(ip->total_length) - sizeof(*ip)), 0);
	rte_pktmbuf_free(m[0]);
}

/* Verifies: a flood of echo requests from one address is answered at
 * --reply-limit's pace (default 100 a second, bursts of 10): 300 at once
 * get about a burst of replies, the rest counted Echo-limited. */
static void
icmp_echo_rate_limited(void **state)
{
	unsigned long long lim0 = te_stat("Echo-limited");
	struct rte_mbuf *m[64];
	unsigned int i, n = 0, k;

	for (i = 0; i < 300; i++) {
		assert_int_equal(ef_inject(rx_r, pool, frame,
					   ef_icmp_echo(frame, &server_mac,
							(uint16_t)i, 1)), 0);
		assert_int_equal(rx(m, 8), 0);
		while ((k = ctl_take(m, 64)) != 0) {
			rte_pktmbuf_free_bulk(m, k);
			n += k;
		}
	}
	if (n > 20)
		fail_msg("%u echo replies to 300 requests at once", n);
	assert_true(n >= 1);
	assert_int_equal(te_stat("Echo-limited") - lim0, 300 - n);
}

/* Verifies: a UDP datagram to us comes out as its payload, with the
 * client's address, port and MAC and our port in the metadata. */
static void
udp_delivered_with_meta(void **state)
{
	uint8_t req[64];
	struct rte_mbuf *m[8];
	const struct dpt_pkt_meta *meta;
	size_t rl = ef_rrq(req, "boot.img", "octet", NULL);
	uint32_t ip;

	assert_int_equal(ef_inject(rx_r, pool, frame,
				   ef_udp(frame, &server_mac, EF_CLIENT_IP,
					  40000, 69, req, rl)), 0);
	assert_int_equal(rx(m, 8), 1);
	assert_int_equal(rte_pktmbuf_pkt_len(m[0]), rl);
	assert_memory_equal(rte_pktmbuf_mtod(m[0], void *), req, rl);
	meta = dpt_meta(m[0]);
	memcpy(&ip, meta->client_ip, 4);
	assert_int_equal(rte_be_to_cpu_32(ip), EF_CLIENT_IP);
	assert_int_equal(meta->client_port, 40000);
	assert_int_equal(meta->server_port, 69);
	assert_true(rte_is_same_ether_addr(&meta->peer_mac, &ef_client_mac));
	rte_pktmbuf_free(m[0]);
}

/* Verifies: broken frames are dropped and counted by reason. */
static void
malformed_counted(void **state)
{
	uint8_t req[64];
	struct rte_mbuf *m[8];
	size_t rl = ef_rrq(req, "f", "octet", NULL), len;
	unsigned long long csum0 = te_stat("Drop-ip-csum"),
			   udp0 = te_stat("Drop-udp-csum"),
			   runt0 = te_stat("Drop-ip-len");

	len = ef_udp(frame, &server_mac, EF_CLIENT_IP, 40001, 69, req, rl);
	frame[14 + 10] ^= 0x55;			/* IP header checksum */
	assert_int_equal(ef_inject(rx_r, pool, frame, len), 0);
	len = ef_udp(frame, &server_mac, EF_CLIENT_IP, 40001, 69, req, rl);
	frame[len - 1] ^= 0x01;			/* payload: UDP checksum */
	assert_int_equal(ef_inject(rx_r, pool, frame, len), 0);
	len = ef_udp(frame, &server_mac, EF_CLIENT_IP, 40001, 69, req, rl);
	assert_int_equal(ef_inject(rx_r, pool, frame, 14 + 20 + 4), 0);
	assert_int_equal(rx(m, 8), 0);
	assert_int_equal(te_stat("Drop-ip-csum"), csum0 + 1);
	assert_int_equal(te_stat("Drop-udp-csum"), udp0 + 1);
	assert_int_equal(te_stat("Drop-ip-len"), runt0 + 1);
}

/* Verifies: encap builds a frame to the client's MAC whose IP and UDP
 * checksums verify, whatever the payload's length parity. */
static void
encap_checksums_verify(void **state)
{
	unsigned int len;

	for (len = 0; len < 1500; len += 97) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		struct dpt_pkt_meta *meta = dpt_meta(m);
		struct dpt_net_if ifc = { .mac = server_mac };
		struct dpt_net_pkt k;
		uint32_t cip = rte_cpu_to_be_32(EF_CLIENT_IP);
		uint32_t sip = rte_cpu_to_be_32(EF_SERVER_IP);
		uint8_t *p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
		unsigned int i;

		for (i = 0; i < len; i++)
			p[i] = (uint8_t)(i * 13 + len);
		memset(meta, 0, sizeof(*meta));
		meta->family = AF_INET;
		memcpy(meta->client_ip, &cip, 4);
		memcpy(meta->server_ip, &sip, 4);
		meta->client_port = 40002;
		meta->server_port = 50000;
		meta->peer_mac = ef_client_mac;
		assert_int_equal(dpt_port_encap(port, m), 0);
		/* Parse it as the client would: swap roles. */
		ifc.mac = ef_client_mac;
		ifc.ip = cip;
		ifc.prefix = 24;
		assert_int_equal(dpt_net_parse(rte_pktmbuf_mtod(m, uint8_t *),
					       m->data_len, &ifc, 0, &k),
				 DPT_NET_UDP);
		assert_int_equal(k.src_port, 50000);
		assert_int_equal(k.dst_port, 40002);
		assert_int_equal(k.payload_len, len);
		rte_pktmbuf_free(m);
	}
}

/* Verifies: a datagram to a port nobody owns gets ICMP port unreachable,
 * at most a small burst of them however many come. */
static void
unreachable_rate_limited(void **state)
{
	uint8_t req[8] = { 0, 4, 0, 1 };
	struct rte_mbuf *m[64];
	unsigned int i, n = 0, k;

	for (i = 0; i < 200; i++) {
		assert_int_equal(ef_inject(rx_r, pool, frame,
					   ef_udp(frame, &server_mac,
						  EF_CLIENT_IP, 40003, 5555,
						  req, 4)), 0);
		assert_int_equal(rx(m, 1), 1);
		port->ops->unreachable(port, m[0]);
	}
	while ((k = ctl_take(m, 64)) != 0) {
		for (i = 0; i < k; i++) {
			const struct rte_icmp_hdr *ic = rte_pktmbuf_mtod_offset(
				m[i], const struct rte_icmp_hdr *,
				sizeof(struct rte_ether_hdr) +
				sizeof(struct rte_ipv4_hdr));

			assert_int_equal(ic->icmp_type, 3);
			assert_int_equal(ic->icmp_code, 3);
			rte_pktmbuf_free(m[i]);
		}
		n += k;
	}
	assert_true(n >= 1 && n <= 10);
	assert_int_equal(te_stat("ICMP-unreachable") + te_stat(
		"ICMP-unreachable-limited"), 200);
}

/* Sends the UDP datagram payload (len bytes, to port 69) as IPv4 fragments
 * of frag bytes of IP payload each (a multiple of 8), in the order given
 * (indexes of fragments; n of them). */
static void
send_fragments(const uint8_t *payload, size_t len, size_t frag,
	       const unsigned int *order, unsigned int n, uint16_t id)
{
	static uint8_t whole[4200];
	struct rte_ipv4_hdr *ip;
	size_t wl, l4;
	unsigned int i;

	wl = ef_udp(whole, &server_mac, EF_CLIENT_IP, 40004, 69, payload,
		    len);
	l4 = wl - 14 - 20;
	for (i = 0; i < n; i++) {
		size_t start = order[i] * frag, flen;

		flen = RTE_MIN(frag, l4 - start);
		memcpy(frame, whole, 14 + 20);
		ip = (struct rte_ipv4_hdr *)(frame + 14);
		ip->packet_id = rte_cpu_to_be_16(id);
		ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + flen));
		ip->fragment_offset = rte_cpu_to_be_16((uint16_t)(
			(start / 8) | (start + flen < l4 ?
				       RTE_IPV4_HDR_MF_FLAG : 0)));
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		memcpy(frame + 34, whole + 34 + start, flen);
		assert_int_equal(ef_inject(rx_r, pool, frame, 34 + flen), 0);
	}
}

/* Verifies: a UDP datagram split into three IPv4 fragments, sent out of
 * order, is delivered once, whole and flat: one segment holding every
 * byte, so a worker reading the first segment reads it all. */
static void
fragments_reassembled(void **state)
{
	static uint8_t payload[1800];
	static const unsigned int order[3] = { 2, 0, 1 };
	unsigned long long re0 = te_stat("IP-reassembled");
	struct rte_mbuf *m[8];
	unsigned int i;
	uint16_t n;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 31);
	payload[0] = 0;
	payload[1] = 3;		/* a DATA block, say */
	send_fragments(payload, sizeof(payload), 608, order, 3, 7);
	n = rx(m, 8);
	if (n != 1)
		fail_msg("delivered %u; fragments %llu reassembled %llu "
			 "udp-csum drops %llu", n, te_stat("IP-fragments"),
			 te_stat("IP-reassembled"), te_stat("Drop-udp-csum"));
	assert_int_equal(m[0]->nb_segs, 1);
	assert_int_equal(rte_pktmbuf_data_len(m[0]), sizeof(payload));
	assert_memory_equal(rte_pktmbuf_mtod(m[0], const uint8_t *), payload,
			    sizeof(payload));
	rte_pktmbuf_free(m[0]);
	assert_int_equal(te_stat("IP-reassembled"), re0 + 1);
}

/* Verifies: a datagram reassembled to more than an mbuf holds (no block
 * this server grants is that long) is dropped and counted, never
 * delivered cut short. */
static void
fragments_oversize_dropped(void **state)
{
	static uint8_t payload[3000];
	static const unsigned int order[3] = { 0, 1, 2 };
	unsigned long long big0 = te_stat("Reassembled-oversize");
	struct rte_mbuf *m[8];

	memset(payload, 0x5a, sizeof(payload));
	send_fragments(payload, sizeof(payload), 1480, order, 3, 8);
	assert_int_equal(rx(m, 8), 0);
	assert_int_equal(te_stat("Reassembled-oversize"), big0 + 1);
}

/* Verifies: a first fragment whose datagram never completes is let go
 * once its time is up (2 s) by the next poll alone, with no other frame
 * to look it up: `Fragments-dropped` goes up by one and its mbuf is back
 * in the pool. Before then it is held. */
static void
fragments_expire(void **state)
{
	static uint8_t payload[1000];
	static const unsigned int first[1] = { 0 };
	unsigned long long drop0 = te_stat("Fragments-dropped");
	unsigned int avail0 = rte_mempool_avail_count(pool);
	struct rte_mbuf *m[8];

	memset(payload, 0x22, sizeof(payload));
	send_fragments(payload, sizeof(payload), 512, first, 1, 900);
	assert_int_equal(rx(m, 8), 0);
	assert_int_equal(rx(m, 8), 0);
	assert_int_equal(te_stat("Fragments-dropped"), drop0);
	assert_int_equal(rte_mempool_avail_count(pool), avail0 - 1);
	usleep(2200 * 1000);		/* past the table's 2 s */
	assert_int_equal(rx(m, 8), 0);
	assert_int_equal(te_stat("Fragments-dropped"), drop0 + 1);
	assert_int_equal(rte_mempool_avail_count(pool), avail0);
}

/* Verifies: a flood of first fragments that never complete holds no more
 * than the port's reassembly share (Reassembly-max datagrams); the rest
 * are dropped and counted as they come, and a datagram that then arrives
 * whole is delivered (the pool was not drained). */
static void
fragments_flood_bounded(void **state)
{
	static uint8_t payload[1000];
	static const unsigned int first[1] = { 0 };
	unsigned long long max = te_stat("Reassembly-max");
	unsigned long long drop0 = te_stat("Fragments-dropped");
	struct rte_mbuf *m[8];
	unsigned int i, n_sent = (unsigned int)max + 500;
	uint16_t n;

	memset(payload, 0x11, sizeof(payload));
	assert_true(max >= 16 && max < 4096);
	for (i = 0; i < n_sent; i++) {
		send_fragments(payload, sizeof(payload), 512, first, 1,
			       (uint16_t)(1000 + i));
		while (i % 64 == 63 && !rte_ring_empty(rx_r))
			assert_int_equal(rx(m, 8), 0);
	}
	while (!rte_ring_empty(rx_r))
		assert_int_equal(rx(m, 8), 0);
	assert_true(te_stat("Fragments-dropped") - drop0 >= 500);
	assert_true(rte_mempool_avail_count(pool) > 4096 / 2);
	n = (uint16_t)ef_udp(frame, &server_mac, EF_CLIENT_IP, 40005, 69,
			     payload, 100);
	assert_int_equal(ef_inject(rx_r, pool, frame, n), 0);
	assert_int_equal(rx(m, 8), 1);
	rte_pktmbuf_free(m[0]);
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *eal[] = {
		argv[0], (char *)"--no-huge", (char *)"-m", (char *)"256",
		(char *)"--no-pci", (char *)"--no-telemetry",
		(char *)"--file-prefix", prefix, (char *)"--log-level",
		(char *)"*:warning", (char *)"-l", (char *)"0",
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(announcements_at_open),
		cmocka_unit_test(arp_answered_only_for_us),
		cmocka_unit_test(icmp_echo_answered),
		cmocka_unit_test(udp_delivered_with_meta),
		cmocka_unit_test(malformed_counted),
		cmocka_unit_test(encap_checksums_verify),
		cmocka_unit_test(ns_answered),
		cmocka_unit_test(icmp6_echo_answered),
		cmocka_unit_test(udp6_delivered_with_meta),
		cmocka_unit_test(malformed6_counted),
		cmocka_unit_test(encap6_checksums_verify),
		cmocka_unit_test(unreachable6),
		cmocka_unit_test(unreachable_rate_limited),
		cmocka_unit_test(icmp_echo_rate_limited),
		cmocka_unit_test(fragments_reassembled),
		cmocka_unit_test(fragments_oversize_dropped),
		cmocka_unit_test(fragments_expire),
		cmocka_unit_test(fragments_flood_bounded),
	};
	int rc;

	snprintf(prefix, sizeof(prefix), "dpt-test-eth-%d", (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal), eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	rc = cmocka_run_group_tests(tests, setup, teardown);
	rte_eal_cleanup();
	return rc;
}
