/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Receive side of IPv6: which packets are ours (our address, our
 * link-local one, or for a neighbor solicitation their solicited-node
 * groups), the one extension header worth walking (hop-by-hop, which
 * MLD and router alerts use), and the ICMPv6 a TFTP server must answer:
 * neighbor solicitations (without them nobody can reach us) and echo.
 * As for IPv4, lengths come from the headers and every header is bounds-
 * checked before a byte of it is read.
 */

#include <stdbool.h>
#include <string.h>

#include <rte_common.h>
#include <rte_icmp.h>
#include <rte_udp.h>

#include "net_internal.h"

/* Extension headers (RFC 8200 4, IANA's list) that are no upper layer. */
#define NET_IP6_HIP		139
#define NET_IP6_SHIM6		140
#define NET_IP6_EXP1		253
#define NET_IP6_EXP2		254

/* Option types of a hop-by-hop header; the top two bits of the others say
 * what to do when the type is unknown (RFC 8200 4.2). */
#define NET_IP6_OPT_PAD1	0
#define NET_IP6_OPT_SKIP(t)	(((t) >> 6) == 0)

static bool
net_ip6_unspec(const uint8_t *a)
{
	static const uint8_t zero[16];

	return memcmp(a, zero, sizeof(zero)) == 0;
}

static bool
net_ip6_mcast(const uint8_t *a)
{
	return a[0] == 0xff;
}

static bool
net_ip6_loopback(const uint8_t *a)
{
	static const uint8_t one[16] = { [15] = 1 };

	return memcmp(a, one, sizeof(one)) == 0;
}

/* One of the interface's unicast addresses (never ::, whatever ifc
 * holds). */
static bool
net_ip6_ours(const struct dpt_net_if *ifc, const uint8_t *a)
{
	return !net_ip6_unspec(a) && (memcmp(a, ifc->ip6, 16) == 0 ||
				      memcmp(a, ifc->ll6, 16) == 0);
}

/* The solicited-node group of one of the interface's addresses. */
static bool
net_ip6_our_group(const struct dpt_net_if *ifc, const uint8_t *a)
{
	uint8_t g[16];

	net_solicited_node(g, ifc->ip6);
	if (memcmp(a, g, sizeof(g)) == 0)
		return true;
	net_solicited_node(g, ifc->ll6);
	return memcmp(a, g, sizeof(g)) == 0;
}

/* Whether the hop-by-hop header's options (len bytes at opt) parse and
 * ask nothing we do not know how to do. */
static bool
net_ip6_hbh_ok(const uint8_t *opt, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (opt[i] == NET_IP6_OPT_PAD1) {
			i++;
			continue;
		}
		if (len - i < 2 || (size_t)opt[i + 1] > len - i - 2)
			return false;
		/* Unknown and not "skip over this option": the packet is
		 * to be discarded. PadN and router alert skip. */
		if (!NET_IP6_OPT_SKIP(opt[i]))
			return false;
		i += 2 + (size_t)opt[i + 1];
	}
	return true;
}

static enum dpt_net_kind
net_parse_udp6(const uint8_t *l3, const uint8_t *l4, size_t l4_len,
	       unsigned int flags, struct dpt_net_pkt *pkt)
{
	uint16_t ulen;
	uint32_t sum;

	if (l4_len < NET_UDP_LEN)
		return net_drop(pkt, DPT_NET_DROP_UDP_LEN);
	ulen = net_rd16(l4 + NET_UDP_LEN_OFF);
	if (ulen < NET_UDP_LEN || ulen > l4_len)
		return net_drop(pkt, DPT_NET_DROP_UDP_LEN);
	pkt->src_port = net_rd16(l4);
	pkt->dst_port = net_rd16(l4 + 2);
	/* Over IPv6 the checksum is not optional (RFC 8200 8.1): whatever
	 * the NIC says of it, a 0 was never computed. */
	if (net_rd16(l4 + NET_UDP_CSUM) == 0)
		return net_drop(pkt, DPT_NET_DROP_UDP6_NO_CSUM);
	if ((flags & DPT_NET_RX_L4_CSUM_GOOD) == 0) {
		sum = net_phdr6_sum(l3 + NET_IP6_SRC, l3 + NET_IP6_DST,
				    IPPROTO_UDP, ulen);
		sum += rte_raw_cksum(l4, ulen);
		if (net_fold(sum) != 0xffff)
			return net_drop(pkt, DPT_NET_DROP_UDP_CSUM);
	}
	pkt->payload_off += NET_UDP_LEN;
	pkt->payload_len = ulen - NET_UDP_LEN;
	return net_kind(pkt, DPT_NET_UDP6);
}

/* Whether the options after a solicitation's target are well formed: a
 * length of 0 would loop forever elsewhere (RFC 4861 7.1.1). Sets *slla
 * when one of them is a source link-layer address. */
static bool
net_nd_options_ok(const uint8_t *opt, size_t len, bool *slla)
{
	size_t i = 0, olen;

	while (i < len) {
		if (len - i < 2)
			return false;
		olen = (size_t)opt[i + 1] * 8;
		if (olen == 0 || olen > len - i)
			return false;
		if (opt[i] == NET_ND_OPT_SLLA)
			*slla = true;
		i += olen;
	}
	return true;
}

/* A neighbor solicitation, checked as RFC 4861 7.1.1 says; answered when
 * its target is one of our addresses. */
static enum dpt_net_kind
net_parse_ns(const uint8_t *l3, const uint8_t *icmp, size_t icmp_len,
	     const struct dpt_net_if *ifc, bool group,
	     struct dpt_net_pkt *pkt)
{
	const uint8_t *target = icmp + 8;
	bool slla = false;

	/* 255: it cannot have crossed a router. And as for ARP, the answer
	 * goes to the asker's MAC: never to a group or to nobody. */
	if (l3[NET_IP6_HLIM] != NET_ND_HOP_LIMIT || icmp[1] != 0 ||
	    !rte_is_valid_assigned_ether_addr(&pkt->src_mac) ||
	    icmp_len < NET_ND_NS_LEN || net_ip6_mcast(target) ||
	    !net_nd_options_ok(icmp + NET_ND_NS_LEN,
			       icmp_len - NET_ND_NS_LEN, &slla))
		return net_drop(pkt, DPT_NET_DROP_ND_INVALID);
	/* From ::, a duplicate address detection probe: only to a
	 * solicited-node group, and with no link-layer address to learn. */
	if (net_ip6_unspec(pkt->src_ip6) && (!group || slla))
		return net_drop(pkt, DPT_NET_DROP_ND_INVALID);
	if (!net_ip6_ours(ifc, target))
		return net_kind(pkt, DPT_NET_ICMP_OTHER);
	return net_kind(pkt, DPT_NET_ND_SOLICIT);
}

static enum dpt_net_kind
net_parse_icmp6(const uint8_t *l3, const uint8_t *icmp, size_t icmp_len,
		const struct dpt_net_if *ifc, bool group,
		struct dpt_net_pkt *pkt)
{
	uint32_t sum;

	if (icmp_len < 4)
		return net_drop(pkt, DPT_NET_DROP_ICMP6_MALFORMED);
	sum = net_phdr6_sum(l3 + NET_IP6_SRC, l3 + NET_IP6_DST, IPPROTO_ICMPV6,
			    (uint32_t)icmp_len);
	sum += rte_raw_cksum(icmp, icmp_len);
	if (net_fold(sum) != 0xffff)
		return net_drop(pkt, DPT_NET_DROP_ICMP6_CSUM);
	pkt->payload_len = (uint16_t)icmp_len;
	if (icmp[0] == NET_ND_NS)
		return net_parse_ns(l3, icmp, icmp_len, ifc, group, pkt);
	/* Groups are joined for solicitations only. */
	if (group)
		return net_kind(pkt, DPT_NET_OTHER);
	if (net_ip6_unspec(pkt->src_ip6))
		return net_drop(pkt, DPT_NET_DROP_IP6_ADDR);
	if (icmp[0] != NET_ICMP6_ECHO_REQUEST || icmp[1] != 0)
		return net_kind(pkt, DPT_NET_ICMP_OTHER);
	/* An echo request without its identifier and sequence number. */
	if (icmp_len < NET_ICMP_LEN)
		return net_drop(pkt, DPT_NET_DROP_ICMP6_MALFORMED);
	return net_kind(pkt, DPT_NET_ICMP6_ECHO);
}

/* Is a datagram to dst (on mcast_mac, NULL: our own MAC) ours? Unicast
 * to us on our own MAC (a unicast packet that came as link-layer
 * multicast is not, as with IPv4), or one of our solicited-node groups
 * (*group set) on our MAC or the group's own (RFC 2464 7); anything else
 * is someone else's. */
static bool
for_us(const struct dpt_net_if *ifc, const uint8_t *dst,
       const struct rte_ether_addr *mcast_mac, bool *group)
{
	if (net_ip6_unspec(dst))
		return false;
	if (net_ip6_ours(ifc, dst))
		return mcast_mac == NULL;
	if (!net_ip6_our_group(ifc, dst))
		return false;
	if (mcast_mac != NULL &&
	    memcmp(mcast_mac->addr_bytes + 2, dst + 12, 4) != 0)
		return false;
	*group = true;
	return true;
}

enum dpt_net_kind
net_parse_ipv6(const uint8_t *l3, size_t avail, const struct dpt_net_if *ifc,
	       unsigned int flags, const struct rte_ether_addr *mcast_mac,
	       struct dpt_net_pkt *pkt)
{
	const uint8_t *src = l3 + NET_IP6_SRC, *dst = l3 + NET_IP6_DST;
	size_t off = NET_IPV6_LEN, total, hl;
	bool group = false;
	uint8_t nh;

	if (avail < 1)
		return net_drop(pkt, DPT_NET_DROP_RUNT);
	if ((l3[0] >> 4) != 6)
		return net_drop(pkt, DPT_NET_DROP_IP_VERSION);
	if (avail < NET_IPV6_LEN)
		return net_drop(pkt, DPT_NET_DROP_IP6_LEN);
	total = NET_IPV6_LEN + net_rd16(l3 + NET_IP6_PLEN);
	if (total > avail)
		return net_drop(pkt, DPT_NET_DROP_IP6_LEN);
	memcpy(pkt->src_ip6, src, 16);
	memcpy(pkt->dst_ip6, dst, 16);
	pkt->l3_total = (uint16_t)total;
	if (!for_us(ifc, dst, mcast_mac, &group))
		return net_kind(pkt, DPT_NET_OTHER);
	/* Nothing we send may go to a group, to loopback or to ourselves;
	 * :: only asks whether an address is taken (net_parse_ns()). */
	if (net_ip6_mcast(src) || net_ip6_loopback(src) ||
	    net_ip6_ours(ifc, src))
		return net_drop(pkt, DPT_NET_DROP_IP6_ADDR);
	nh = l3[NET_IP6_NH];
	if (nh == IPPROTO_HOPOPTS) {
		if (total - off < 2)
			return net_drop(pkt, DPT_NET_DROP_IP6_EXTHDR);
		hl = ((size_t)l3[off + 1] + 1) * 8;
		if (hl > total - off || !net_ip6_hbh_ok(l3 + off + 2, hl - 2))
			return net_drop(pkt, DPT_NET_DROP_IP6_EXTHDR);
		nh = l3[off];
		off += hl;
	}
	pkt->l3_len = (uint16_t)off;
	pkt->payload_off = (uint16_t)(pkt->l2_len + off);
	switch (nh) {
	case IPPROTO_ICMPV6:
		return net_parse_icmp6(l3, l3 + off, total - off, ifc, group,
				       pkt);
	case IPPROTO_UDP:
		if (group)
			return net_kind(pkt, DPT_NET_OTHER);
		if (net_ip6_unspec(src))
			return net_drop(pkt, DPT_NET_DROP_IP6_ADDR);
		return net_parse_udp6(l3, l3 + off, total - off, flags, pkt);
	case IPPROTO_FRAGMENT:
		return net_drop(pkt, DPT_NET_DROP_IP6_FRAGMENT);
	case IPPROTO_HOPOPTS:	/* only ever first (RFC 8200 4.1) */
	case IPPROTO_ROUTING:
	case IPPROTO_DSTOPTS:
	case IPPROTO_AH:
	case IPPROTO_ESP:
	case IPPROTO_MH:
	case NET_IP6_HIP:
	case NET_IP6_SHIM6:
	case NET_IP6_EXP1:
	case NET_IP6_EXP2:
		return net_drop(pkt, DPT_NET_DROP_IP6_EXTHDR);
	default:
		return net_kind(pkt, DPT_NET_OTHER);
	}
}
