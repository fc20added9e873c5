/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Receive side: one pass over a frame that classifies it or says why it
 * was dropped. Each header is bounds-checked against what the frame holds
 * before a byte of it is read, and lengths that matter later (what a reply
 * copies, what the protocol core sees) come from the IP and UDP headers,
 * never from the frame length, which may include Ethernet padding.
 */

#include <stdbool.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_common.h>
#include <rte_icmp.h>
#include <rte_udp.h>

#include "net_internal.h"

/* IP options (RFC 791) that make a datagram's route the sender's choice. */
#define NET_IPOPT_EOL		0x00
#define NET_IPOPT_NOP		0x01
#define NET_IPOPT_LSRR		0x83
#define NET_IPOPT_SSRR		0x89

static const char *const net_drop_names[DPT_NET_DROP_COUNT] = {
	[DPT_NET_OK] = "ok",
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

const char *
dpt_net_drop_name(enum dpt_net_drop d)
{
	if ((unsigned int)d >= RTE_DIM(net_drop_names) ||
	    net_drop_names[d] == NULL)
		return "unknown";
	return net_drop_names[d];
}

static enum dpt_net_kind
net_parse_arp(const uint8_t *l3, size_t avail, const struct dpt_net_if *ifc,
	      struct dpt_net_pkt *pkt)
{
	struct rte_arp_hdr arp;

	if (avail < NET_ARP_LEN)
		return net_drop(pkt, DPT_NET_DROP_ARP_MALFORMED);
	/* A copy: the frame may sit at any alignment. */
	memcpy(&arp, l3, sizeof(arp));
	if (arp.arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	    arp.arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    arp.arp_hlen != RTE_ETHER_ADDR_LEN ||
	    arp.arp_plen != sizeof(uint32_t))
		return net_drop(pkt, DPT_NET_DROP_ARP_MALFORMED);
	/* The reply goes to the sender hardware address: never let a
	 * request aim it at a group or at nobody. */
	if (!rte_is_valid_assigned_ether_addr(&arp.arp_data.arp_sha))
		return net_drop(pkt, DPT_NET_DROP_ARP_MALFORMED);
	pkt->src_mac = arp.arp_data.arp_sha;
	pkt->src_ip = arp.arp_data.arp_sip;
	pkt->dst_ip = arp.arp_data.arp_tip;
	/* Our own gratuitous ARP, should the port loop it back (a packet
	 * socket can see what it sends), is no question to answer. */
	if (arp.arp_opcode == rte_cpu_to_be_16(RTE_ARP_OP_REQUEST) &&
	    arp.arp_data.arp_tip == ifc->ip &&
	    !rte_is_same_ether_addr(&arp.arp_data.arp_sha, &ifc->mac))
		return net_kind(pkt, DPT_NET_ARP_REQUEST);
	return net_kind(pkt, DPT_NET_ARP_OTHER);
}

/* Whether the options between the fixed header and IHL are well formed
 * and route nothing by the sender's choice. */
static bool
net_ip_options_ok(const uint8_t *opt, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t type = opt[i];
		uint8_t olen;

		if (type == NET_IPOPT_EOL)
			break;
		if (type == NET_IPOPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return false;
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i)
			return false;
		if (type == NET_IPOPT_LSRR || type == NET_IPOPT_SSRR)
			return false;
		i += olen;
	}
	return true;
}

/* Whether a datagram from src may be answered: no "this network",
 * loopback, multicast or broadcast sender, and not our own address or
 * our subnet's broadcast (a spoof, or a loop). */
static bool
net_src_ok(uint32_t src, const struct dpt_net_if *ifc)
{
	uint32_t a = rte_be_to_cpu_32(src);
	uint32_t host;

	if ((a >> 24) == 0 || (a >> 24) == 127)
		return false;
	if ((a & 0xf0000000) == 0xe0000000 || a == UINT32_MAX)
		return false;
	if (src == ifc->ip)
		return false;
	if (ifc->prefix >= 1 && ifc->prefix <= 30) {
		host = UINT32_MAX >> ifc->prefix;
		if ((a & host) == host && dpt_net_on_link(ifc, src))
			return false;
	}
	return true;
}

static enum dpt_net_kind
net_parse_udp(const uint8_t *l4, size_t l4_len, unsigned int flags,
	      struct dpt_net_pkt *pkt)
{
	uint16_t ulen;
	uint16_t csum;
	uint32_t sum;

	if (l4_len < NET_UDP_LEN)
		return net_drop(pkt, DPT_NET_DROP_UDP_LEN);
	ulen = net_rd16(l4 + NET_UDP_LEN_OFF);
	if (ulen < NET_UDP_LEN || ulen > l4_len)
		return net_drop(pkt, DPT_NET_DROP_UDP_LEN);
	pkt->src_port = net_rd16(l4);
	pkt->dst_port = net_rd16(l4 + 2);
	csum = net_rd16(l4 + NET_UDP_CSUM);
	/* 0: the sender computed none (RFC 768). */
	if ((flags & DPT_NET_RX_L4_CSUM_GOOD) == 0 && csum != 0) {
		sum = net_phdr_sum(pkt->src_ip, pkt->dst_ip, IPPROTO_UDP, ulen);
		sum += rte_raw_cksum(l4, ulen);
		if (net_fold(sum) != 0xffff)
			return net_drop(pkt, DPT_NET_DROP_UDP_CSUM);
	}
	pkt->payload_off += NET_UDP_LEN;
	pkt->payload_len = ulen - NET_UDP_LEN;
	return net_kind(pkt, DPT_NET_UDP);
}

static enum dpt_net_kind
net_parse_icmp(const uint8_t *l4, size_t l4_len, struct dpt_net_pkt *pkt)
{
	if (l4_len < 4)
		return net_drop(pkt, DPT_NET_DROP_ICMP_MALFORMED);
	if (rte_raw_cksum(l4, l4_len) != 0xffff)
		return net_drop(pkt, DPT_NET_DROP_ICMP_CSUM);
	if (l4[0] != RTE_IP_ICMP_ECHO_REQUEST || l4[1] != 0)
		return net_kind(pkt, DPT_NET_ICMP_OTHER);
	/* An echo request without its identifier and sequence number. */
	if (l4_len < NET_ICMP_LEN)
		return net_drop(pkt, DPT_NET_DROP_ICMP_MALFORMED);
	return net_kind(pkt, DPT_NET_ICMP_ECHO);
}

static enum dpt_net_kind
net_parse_ipv4(const uint8_t *l3, size_t avail, const struct dpt_net_if *ifc,
	       unsigned int flags, struct dpt_net_pkt *pkt)
{
	size_t hl, total;
	uint16_t frag;

	if (avail < 1)
		return net_drop(pkt, DPT_NET_DROP_RUNT);
	if ((l3[0] >> 4) != IPVERSION)
		return net_drop(pkt, DPT_NET_DROP_IP_VERSION);
	hl = (size_t)(l3[0] & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	if (hl < NET_IPV4_MIN_LEN || hl > avail)
		return net_drop(pkt, DPT_NET_DROP_IP_HDRLEN);
	total = net_rd16(l3 + NET_IP_TOTAL);
	if (total < hl || total > avail)
		return net_drop(pkt, DPT_NET_DROP_IP_LEN);
	pkt->l3_len = hl;
	pkt->l3_total = total;
	pkt->src_ip = net_rd32n(l3 + NET_IP_SRC);
	pkt->dst_ip = net_rd32n(l3 + NET_IP_DST);
	if ((flags & DPT_NET_RX_IP_CSUM_GOOD) == 0 &&
	    rte_raw_cksum(l3, hl) != 0xffff)
		return net_drop(pkt, DPT_NET_DROP_IP_CSUM);
	/* Not ours: someone else's traffic, not a fault to count. */
	if (pkt->dst_ip != ifc->ip)
		return net_kind(pkt, DPT_NET_OTHER);
	if (!net_ip_options_ok(l3 + NET_IPV4_MIN_LEN, hl - NET_IPV4_MIN_LEN))
		return net_drop(pkt, DPT_NET_DROP_IP_OPTIONS_SRC);
	if (!net_src_ok(pkt->src_ip, ifc))
		return net_drop(pkt, DPT_NET_DROP_IP_ADDR);
	pkt->payload_off = pkt->l2_len + hl;
	pkt->payload_len = total - hl;
	frag = net_rd16(l3 + NET_IP_FRAG);
	if ((frag & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) != 0)
		return net_kind(pkt, DPT_NET_IPV4_FRAGMENT);
	switch (l3[NET_IP_PROTO]) {
	case IPPROTO_UDP:
		return net_parse_udp(l3 + hl, total - hl, flags, pkt);
	case IPPROTO_ICMP:
		return net_parse_icmp(l3 + hl, total - hl, pkt);
	default:
		return net_kind(pkt, DPT_NET_OTHER);
	}
}

enum dpt_net_kind
dpt_net_parse(const uint8_t *frame, size_t len, const struct dpt_net_if *ifc,
	      unsigned int flags, struct dpt_net_pkt *pkt)
{
	struct rte_ether_addr dst;
	size_t l2 = RTE_ETHER_HDR_LEN;
	uint16_t type;
	bool bcast, mcast6;

	memset(pkt, 0, sizeof(*pkt));
	if (len < RTE_ETHER_HDR_LEN)
		return net_drop(pkt, DPT_NET_DROP_RUNT);
	memcpy(&dst, frame, sizeof(dst));
	memcpy(&pkt->src_mac, frame + NET_ETH_SRC, sizeof(pkt->src_mac));
	bcast = rte_is_broadcast_ether_addr(&dst);
	/* 33:33 and the group's low 32 bits (RFC 2464 7): neighbor
	 * solicitations come to a solicited-node group. */
	mcast6 = ifc->prefix6 != 0 && dst.addr_bytes[0] == 0x33 &&
		 dst.addr_bytes[1] == 0x33;
	if (!bcast && !mcast6 && !rte_is_same_ether_addr(&dst, &ifc->mac))
		return net_kind(pkt, DPT_NET_OTHER);
	/* Every answer goes to the frame's source: one from a group or zero
	 * address is forged or broken, and answering it would reach every
	 * host on the segment (or none). */
	if (!rte_is_unicast_ether_addr(&pkt->src_mac) ||
	    rte_is_zero_ether_addr(&pkt->src_mac))
		return net_drop(pkt, DPT_NET_DROP_SRC_MAC);
	type = net_rd16(frame + NET_ETH_TYPE);
	if (type == RTE_ETHER_TYPE_VLAN) {
		if (len < l2 + RTE_VLAN_HLEN)
			return net_drop(pkt, DPT_NET_DROP_RUNT);
		pkt->vlan = net_rd16(frame + l2) & NET_VLAN_ID_MASK;
		type = net_rd16(frame + l2 + 2);
		l2 += RTE_VLAN_HLEN;
	}
	pkt->l2_len = l2;
	/* One tag at most, and only the one configured: stacked tags (QinQ
	 * and its pre-standard TPIDs) are never ours. */
	if (type == RTE_ETHER_TYPE_VLAN || type == RTE_ETHER_TYPE_QINQ ||
	    type == RTE_ETHER_TYPE_QINQ1 || type == RTE_ETHER_TYPE_QINQ2 ||
	    type == RTE_ETHER_TYPE_QINQ3)
		return net_drop(pkt, DPT_NET_DROP_VLAN);
	if ((l2 > RTE_ETHER_HDR_LEN) != (ifc->vlan != 0) ||
	    pkt->vlan != ifc->vlan)
		return net_drop(pkt, DPT_NET_DROP_VLAN);
	switch (type) {
	case RTE_ETHER_TYPE_ARP:
		if (mcast6 || ifc->ip == 0)
			return net_kind(pkt, DPT_NET_OTHER);
		return net_parse_arp(frame + l2, len - l2, ifc, pkt);
	case RTE_ETHER_TYPE_IPV4:
		/* A unicast datagram that came link-layer broadcast is
		 * silently discarded (RFC 1122 3.3.6). */
		if (bcast || mcast6 || ifc->ip == 0)
			return net_kind(pkt, DPT_NET_OTHER);
		return net_parse_ipv4(frame + l2, len - l2, ifc, flags, pkt);
	case RTE_ETHER_TYPE_IPV6:
		if (bcast || ifc->prefix6 == 0)
			return net_kind(pkt, DPT_NET_OTHER);
		return net_parse_ipv6(frame + l2, len - l2, ifc, flags,
				      mcast6 ? &dst : NULL, pkt);
	default:
		return net_kind(pkt, DPT_NET_OTHER);
	}
}
