/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The dpdk backend's next hop: the MAC every datagram goes to, found once
 * at start, before the lcores run. IPv4 asks ARP (the request also tells
 * the server's kernel where we are); IPv6 sends a neighbor solicitation
 * with our link-layer address in it (the same, RFC 4861 7.2.3). While it
 * waits it answers the other side's ARP requests, solicitations and pings
 * (dpt_bench_dpdk_reply()), since a kernel may ask before it answers.
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <rte_ethdev.h>

#include "bench_dpdk.h"

#define TRIES 10
#define WAIT_US 300000		/* per try */
#define ND_NS 135
#define ND_NA 136
#define ND_OPT_SLLA 1
#define ND_OPT_TLLA 2
#define NS_LEN 32		/* header, target, our link-layer address */

static void
send_frame(struct dpdk_run *r, struct rte_mbuf *m, size_t len)
{
	m->data_len = (uint16_t)len;
	m->pkt_len = (uint32_t)len;
	if (rte_eth_tx_burst(r->port_id, 0, &m, 1) != 1)
		rte_pktmbuf_free(m);
}

static void
send_arp_request(struct dpdk_run *r, const uint8_t *target)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(r->pool);
	size_t len;

	if (m == NULL)
		return;
	/* A gratuitous ARP is a request for our own address; for target's,
	 * build it so and put the target in. */
	len = dpt_net_garp(rte_pktmbuf_mtod(m, uint8_t *),
			   rte_pktmbuf_tailroom(m), &r->ifc);
	if (len == 0) {
		rte_pktmbuf_free(m);
		return;
	}
	memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *,
				       sizeof(struct rte_ether_hdr) + 24),
	       target, 4);
	send_frame(r, m, len);
}

/* A neighbor solicitation for target, to its solicited-node group. */
static void
send_solicit(struct dpdk_run *r, const uint8_t *target)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(r->pool);
	uint8_t *f, *ip, *icmp, phdr[40];
	uint16_t sum;

	if (m == NULL || rte_pktmbuf_tailroom(m) < 14 + 40 + NS_LEN) {
		rte_pktmbuf_free(m);
		return;
	}
	f = rte_pktmbuf_mtod(m, uint8_t *);
	ip = f + sizeof(struct rte_ether_hdr);
	icmp = ip + sizeof(struct rte_ipv6_hdr);
	memset(f, 0, 14 + 40 + NS_LEN);
	/* 33:33 and the group's last four bytes: ff02::1:ffXX:XXXX */
	f[0] = 0x33;
	f[1] = 0x33;
	f[2] = 0xff;
	memcpy(f + 3, target + 13, 3);
	memcpy(f + 6, &r->ifc.mac, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	ip[0] = 0x60;
	ip[5] = NS_LEN;
	ip[6] = IPPROTO_ICMPV6;
	ip[7] = 255;		/* hop limit: RFC 4861 7.1.1 */
	memcpy(ip + 8, r->ifc.ip6, 16);
	ip[24] = 0xff;
	ip[25] = 0x02;
	ip[35] = 0x01;
	ip[36] = 0xff;
	memcpy(ip + 37, target + 13, 3);
	icmp[0] = ND_NS;
	memcpy(icmp + 8, target, 16);
	icmp[24] = ND_OPT_SLLA;
	icmp[25] = 1;		/* in units of 8 bytes */
	memcpy(icmp + 26, &r->ifc.mac, 6);
	/* pseudo-header: source, destination, length, next header */
	memset(phdr, 0, sizeof(phdr));
	memcpy(phdr, ip + 8, 32);
	phdr[35] = NS_LEN;
	phdr[39] = IPPROTO_ICMPV6;
	sum = dpt_net_sum_add(dpt_net_sum(phdr, sizeof(phdr)),
			      dpt_net_sum(icmp, NS_LEN));
	sum = (uint16_t)~sum;
	icmp[2] = (uint8_t)(sum >> 8);
	icmp[3] = (uint8_t)sum;
	send_frame(r, m, 14 + 40 + NS_LEN);
}

/*
 * The MAC a neighbor advertisement for target gives: its target
 * link-layer address option, else the frame's source. False when the
 * ICMPv6 message of len bytes at icmp is not that advertisement.
 */
static bool
advert_mac(const uint8_t *icmp, size_t len, const uint8_t *target,
	   const struct rte_ether_addr *src, struct rte_ether_addr *mac)
{
	size_t off = 24;

	if (len < 24 || icmp[0] != ND_NA || icmp[1] != 0 ||
	    memcmp(icmp + 8, target, 16) != 0)
		return false;
	*mac = *src;
	while (off + 8 <= len && icmp[off + 1] != 0) {
		if (icmp[off] == ND_OPT_TLLA && icmp[off + 1] == 1) {
			memcpy(mac, icmp + off + 2, 6);
			break;
		}
		off += (size_t)icmp[off + 1] * 8;
	}
	return true;
}

/* Reads every queue once; true once the answer about target came. */
static bool
poll_answer(struct dpdk_run *r, const uint8_t *target,
	    struct rte_ether_addr *mac)
{
	struct rte_mbuf *m[DPT_BENCH_DPDK_BURST];
	struct dpt_net_pkt k;
	bool found = false;
	uint16_t q, n, i;
	uint8_t *f;

	for (q = 0; q < r->n; q++) {
		n = rte_eth_rx_burst(r->port_id, q, m, DPT_BENCH_DPDK_BURST);
		for (i = 0; i < n; i++) {
			f = rte_pktmbuf_mtod(m[i], uint8_t *);
			dpt_net_parse(f, m[i]->data_len, &r->ifc, 0, &k);
			if (dpt_bench_dpdk_reply(r, m[i], &k)) {
				send_frame(r, m[i], m[i]->data_len);
				continue;
			}
			if (r->family == AF_INET &&
			    k.kind == DPT_NET_ARP_OTHER &&
			    memcmp(&k.src_ip, target, 4) == 0 &&
			    f[sizeof(struct rte_ether_hdr) + 7] == 2) {
				*mac = k.src_mac;
				found = true;
			} else if (r->family == AF_INET6 &&
				   k.kind == DPT_NET_ICMP_OTHER &&
				   advert_mac(f + k.payload_off,
					      k.payload_len, target,
					      &k.src_mac, mac)) {
				found = true;
			}
			rte_pktmbuf_free(m[i]);
		}
	}
	return found;
}

/* Whether the IPv6 address a is in ifc's prefix. */
static bool
on_link6(const struct dpt_net_if *ifc, const uint8_t *a)
{
	unsigned int bits = ifc->prefix6, bytes = bits / 8;
	uint8_t mask;

	if (memcmp(a, ifc->ip6, bytes) != 0)
		return false;
	if (bits % 8 == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - bits % 8));
	return (a[bytes] & mask) == (ifc->ip6[bytes] & mask);
}

int
dpt_bench_dpdk_resolve(struct dpdk_run *r, const struct dpt_bench_opts *o,
		       char *err, size_t err_len)
{
	bool v6 = r->family == AF_INET6;
	const uint8_t *target = v6 ? r->server_ip6 :
				     (const uint8_t *)&r->server_ip;
	char text[INET6_ADDRSTRLEN];
	unsigned int tries;
	uint64_t until;
	bool on_link = v6 ? on_link6(&r->ifc, r->server_ip6) :
			    dpt_net_on_link(&r->ifc, r->server_ip);

	if (!on_link) {
		if (o->gateway == NULL) {
			inet_ntop(r->family, target, text, sizeof(text));
			snprintf(err, err_len, "%s is not on %s's link; give "
				 "--gateway", text, o->ip);
			return -1;
		}
		target = v6 ? o->gateway6 : (const uint8_t *)&o->gateway_addr;
	}
	for (tries = 0; tries < TRIES; tries++) {
		if (v6)
			send_solicit(r, target);
		else
			send_arp_request(r, target);
		until = dpt_bench_now() + WAIT_US;
		while (dpt_bench_now() < until) {
			if (poll_answer(r, target, &r->next_hop))
				return 0;
			usleep(1000);
		}
	}
	inet_ntop(r->family, target, text, sizeof(text));
	snprintf(err, err_len, "no %s from %s in %u s (is it up and on this "
		 "link?)", v6 ? "neighbor advertisement" : "ARP reply", text,
		 TRIES * WAIT_US / 1000000);
	return -1;
}
