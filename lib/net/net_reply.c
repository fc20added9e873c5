/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * What the ethdev backend answers by itself: ARP requests for our address,
 * a gratuitous ARP when the port starts, ICMP echo, and port unreachable.
 * Each answer goes back to the MAC the question came from, so dptftp keeps
 * no neighbour table; each is built from a frame dpt_net_parse() vetted.
 */

#include <string.h>

#include <rte_arp.h>
#include <rte_common.h>
#include <rte_icmp.h>

#include "net_internal.h"

/* The first 8 bytes of the offending datagram's payload (RFC 792). */
#define NET_ICMP_QUOTE		8
#define NET_ICMP_UNREACH	3
#define NET_ICMP_UNREACH_PORT	3

/* The ARP body after the fixed htype/ptype/hlen/plen/op fields. */
static void
net_wr_arp(uint8_t *p, uint16_t op, const struct rte_ether_addr *sha,
	   uint32_t sip, const struct rte_ether_addr *tha, uint32_t tip)
{
	struct rte_arp_hdr arp;

	arp.arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	arp.arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	arp.arp_hlen = RTE_ETHER_ADDR_LEN;
	arp.arp_plen = sizeof(uint32_t);
	arp.arp_opcode = rte_cpu_to_be_16(op);
	arp.arp_data.arp_sha = *sha;
	arp.arp_data.arp_sip = sip;
	arp.arp_data.arp_tha = *tha;
	arp.arp_data.arp_tip = tip;
	memcpy(p, &arp, sizeof(arp));
}

size_t
dpt_net_arp_reply(uint8_t *frame, size_t len, size_t cap,
		  const struct dpt_net_pkt *pkt, const struct dpt_net_if *ifc)
{
	size_t need = (size_t)pkt->l2_len + NET_ARP_LEN;
	size_t out = need;

	if (pkt->kind != DPT_NET_ARP_REQUEST || len < need || cap < need)
		return 0;
	if (out < NET_ETH_MIN_LEN)
		out = RTE_MIN((size_t)NET_ETH_MIN_LEN, cap);
	/* The tag (and its priority) stays as it came. */
	memcpy(frame, &pkt->src_mac, RTE_ETHER_ADDR_LEN);
	memcpy(frame + NET_ETH_SRC, &ifc->mac, RTE_ETHER_ADDR_LEN);
	net_wr_arp(frame + pkt->l2_len, RTE_ARP_OP_REPLY, &ifc->mac, ifc->ip,
		   &pkt->src_mac, pkt->src_ip);
	memset(frame + need, 0, out - need);
	return out;
}

size_t
dpt_net_garp(uint8_t *buf, size_t cap, const struct dpt_net_if *ifc)
{
	static const struct rte_ether_addr zero;
	struct rte_ether_addr bcast;
	size_t l2;

	if (cap < NET_ETH_MIN_LEN || ifc->ip == 0)
		return 0;
	memset(&bcast, 0xff, sizeof(bcast));
	memset(buf, 0, NET_ETH_MIN_LEN);
	l2 = net_wr_eth(buf, &bcast, &ifc->mac, ifc->vlan,
			RTE_ETHER_TYPE_ARP);
	/* A request, not a reply: every stack updates its cache from one
	 * (RFC 5227 3). */
	net_wr_arp(buf + l2, RTE_ARP_OP_REQUEST, &ifc->mac, ifc->ip, &zero,
		   ifc->ip);
	return NET_ETH_MIN_LEN;
}

/* Sets the IPv4 header checksum at ip (hl bytes). */
static void
net_ip_csum(uint8_t *ip, size_t hl)
{
	net_wr_csum(ip + NET_IP_CSUM, 0);
	net_wr_csum(ip + NET_IP_CSUM, (uint16_t)~rte_raw_cksum(ip, hl));
}

size_t
dpt_net_icmp_echo_reply(uint8_t *frame, size_t len,
			const struct dpt_net_pkt *pkt)
{
	size_t out = (size_t)pkt->l2_len + pkt->l3_total;
	uint8_t mac[RTE_ETHER_ADDR_LEN];
	uint8_t *ip, *icmp;
	uint32_t src;
	uint16_t old;

	if (pkt->kind != DPT_NET_ICMP_ECHO || len < out)
		return 0;
	memcpy(mac, frame, sizeof(mac));
	memcpy(frame, frame + NET_ETH_SRC, sizeof(mac));
	memcpy(frame + NET_ETH_SRC, mac, sizeof(mac));
	ip = frame + pkt->l2_len;
	src = net_rd32n(ip + NET_IP_SRC);
	memcpy(ip + NET_IP_SRC, ip + NET_IP_DST, sizeof(src));
	net_wr32n(ip + NET_IP_DST, src);
	ip[NET_IP_TTL] = NET_TTL;
	net_ip_csum(ip, pkt->l3_len);
	/* Only the type changes: O(1) whatever the echo's size. */
	icmp = ip + pkt->l3_len;
	old = net_rd16(icmp);
	icmp[0] = RTE_IP_ICMP_ECHO_REPLY;
	net_wr16(icmp + NET_ICMP_CSUM,
		 net_csum_update(net_rd16(icmp + NET_ICMP_CSUM), old,
				 net_rd16(icmp)));
	return out;
}

size_t
dpt_net_icmp_port_unreach(uint8_t *buf, size_t cap, const uint8_t *frame,
			  const struct dpt_net_pkt *pkt,
			  const struct dpt_net_if *ifc)
{
	size_t quote, out, l2, icmp_len;
	uint16_t tci = 0;
	uint8_t *ip, *icmp;

	if (pkt->kind != DPT_NET_UDP)
		return 0;
	quote = pkt->l3_len +
		RTE_MIN((size_t)NET_ICMP_QUOTE,
			(size_t)(pkt->l3_total - pkt->l3_len));
	icmp_len = NET_ICMP_LEN + quote;
	out = (size_t)pkt->l2_len + NET_IPV4_MIN_LEN + icmp_len;
	if (cap < out)
		return 0;
	/* The question's own tag, priority included. */
	if (pkt->l2_len > RTE_ETHER_HDR_LEN)
		tci = net_rd16(frame + NET_ETH_TYPE + 2);
	l2 = net_wr_eth(buf, &pkt->src_mac, &ifc->mac, tci,
			RTE_ETHER_TYPE_IPV4);
	ip = buf + l2;
	memset(ip, 0, NET_IPV4_MIN_LEN + NET_ICMP_LEN);
	ip[0] = RTE_IPV4_VHL_DEF;
	net_wr16(ip + NET_IP_TOTAL, NET_IPV4_MIN_LEN + icmp_len);
	ip[NET_IP_TTL] = NET_TTL;
	ip[NET_IP_PROTO] = IPPROTO_ICMP;
	net_wr32n(ip + NET_IP_SRC, ifc->ip);
	net_wr32n(ip + NET_IP_DST, pkt->src_ip);
	net_ip_csum(ip, NET_IPV4_MIN_LEN);
	icmp = ip + NET_IPV4_MIN_LEN;
	icmp[0] = NET_ICMP_UNREACH;
	icmp[1] = NET_ICMP_UNREACH_PORT;
	memcpy(icmp + NET_ICMP_LEN, frame + pkt->l2_len, quote);
	net_wr_csum(icmp + NET_ICMP_CSUM,
		    (uint16_t)~rte_raw_cksum(icmp, icmp_len));
	return out;
}
