/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * What the ethdev backend answers by itself over IPv6: neighbor
 * advertisements (for solicitations, and one unsolicited when the port
 * starts), ICMPv6 echo, and port unreachable. As with ARP, each answer
 * goes to the MAC the question came from, so dptftp keeps no neighbour
 * cache; each is built from a packet net_parse_ipv6() vetted.
 */

#include <string.h>

#include <rte_common.h>
#include <rte_udp.h>

#include "net_internal.h"

#define NET_IP6_MIN_MTU		1280	/* an error fits it (RFC 4443 2.4) */
#define NET_ICMP6_ERR_LEN	8	/* type, code, checksum, unused */

/* Router, solicited, override: the top bits of an advertisement's flags. */
#define NET_NA_SOLICITED	0x40
#define NET_NA_OVERRIDE		0x20

static const uint8_t net_all_nodes[16] = { 0xff, 0x02, [15] = 0x01 };
static const struct rte_ether_addr net_all_nodes_mac = {
	.addr_bytes = { 0x33, 0x33, 0, 0, 0, 0x01 },
};

void
dpt_net_ll6(uint8_t ll6[16], const struct rte_ether_addr *mac)
{
	const uint8_t *m = mac->addr_bytes;

	memset(ll6, 0, 16);
	ll6[0] = 0xfe;
	ll6[1] = 0x80;
	/* The universal/local bit inverted, ff:fe in the middle. */
	ll6[8] = m[0] ^ 0x02;
	ll6[9] = m[1];
	ll6[10] = m[2];
	ll6[11] = 0xff;
	ll6[12] = 0xfe;
	ll6[13] = m[3];
	ll6[14] = m[4];
	ll6[15] = m[5];
}

/* The fixed IPv6 header: traffic class and flow label 0. */
static void
net_wr_ip6(uint8_t *ip, uint16_t plen, uint8_t nh, uint8_t hlim,
	   const uint8_t *src, const uint8_t *dst)
{
	memset(ip, 0, 4);
	ip[0] = 0x60;
	net_wr16(ip + NET_IP6_PLEN, plen);
	ip[NET_IP6_NH] = nh;
	ip[NET_IP6_HLIM] = hlim;
	memmove(ip + NET_IP6_SRC, src, 16);
	memmove(ip + NET_IP6_DST, dst, 16);
}

/* The ICMPv6 checksum of the len-byte message after the header at ip. */
static void
net_icmp6_csum(uint8_t *ip, size_t len)
{
	uint8_t *icmp = ip + NET_IPV6_LEN;
	uint32_t sum;

	net_wr_csum(icmp + NET_ICMP_CSUM, 0);
	sum = net_phdr6_sum(ip + NET_IP6_SRC, ip + NET_IP6_DST,
			    IPPROTO_ICMPV6, (uint32_t)len);
	sum += rte_raw_cksum(icmp, len);
	net_wr_csum(icmp + NET_ICMP_CSUM, (uint16_t)~net_fold(sum));
}

/* An advertisement for target after the IPv6 header at ip, with our MAC
 * as its target link-layer address, then the header itself. */
static void
net_wr_na(uint8_t *ip, const uint8_t *target, const uint8_t *dst,
	  uint8_t na_flags, const struct rte_ether_addr *mac)
{
	uint8_t *icmp = ip + NET_IPV6_LEN;

	memset(icmp, 0, NET_ND_NA_LEN);
	icmp[0] = NET_ND_NA;
	icmp[4] = na_flags;
	memcpy(icmp + 8, target, 16);
	icmp[NET_ND_NS_LEN] = NET_ND_OPT_TLLA;
	icmp[NET_ND_NS_LEN + 1] = 1;		/* in units of 8 bytes */
	memcpy(icmp + NET_ND_NS_LEN + 2, mac, RTE_ETHER_ADDR_LEN);
	/* From the target: the address being advertised is ours. */
	net_wr_ip6(ip, NET_ND_NA_LEN, IPPROTO_ICMPV6, NET_ND_HOP_LIMIT, target,
		   dst);
	net_icmp6_csum(ip, NET_ND_NA_LEN);
}

size_t
dpt_net_nd_advert(uint8_t *frame, size_t len, size_t cap,
		  const struct dpt_net_pkt *pkt, const struct dpt_net_if *ifc)
{
	size_t out = (size_t)pkt->l2_len + NET_IPV6_LEN + NET_ND_NA_LEN;
	const struct rte_ether_addr *to = &pkt->src_mac;
	const uint8_t *dst = pkt->src_ip6;
	uint8_t target[16], flags = NET_NA_SOLICITED | NET_NA_OVERRIDE;
	static const uint8_t zero[16];

	if (pkt->kind != DPT_NET_ND_SOLICIT ||
	    len < (size_t)pkt->payload_off + NET_ND_NS_LEN || cap < out)
		return 0;
	/* A hop-by-hop header moved it: the target must be read first. */
	memcpy(target, frame + pkt->payload_off + 8, sizeof(target));
	/* Duplicate address detection: the asker has no address yet, so
	 * everyone hears it, and it answers nobody's question in particular
	 * (RFC 4861 7.2.4). */
	if (memcmp(dst, zero, sizeof(zero)) == 0) {
		to = &net_all_nodes_mac;
		dst = net_all_nodes;
		flags = NET_NA_OVERRIDE;
	}
	/* The tag (and its priority) stays as it came. */
	memcpy(frame, to, RTE_ETHER_ADDR_LEN);
	memcpy(frame + NET_ETH_SRC, &ifc->mac, RTE_ETHER_ADDR_LEN);
	net_wr_na(frame + pkt->l2_len, target, dst, flags, &ifc->mac);
	return out;
}

size_t
dpt_net_nd_unsolicited(uint8_t *buf, size_t cap, const struct dpt_net_if *ifc)
{
	size_t l2 = RTE_ETHER_HDR_LEN + (ifc->vlan != 0 ? RTE_VLAN_HLEN : 0);
	size_t out = l2 + NET_IPV6_LEN + NET_ND_NA_LEN;

	if (ifc->prefix6 == 0 || cap < out)
		return 0;
	net_wr_eth(buf, &net_all_nodes_mac, &ifc->mac, ifc->vlan,
		   RTE_ETHER_TYPE_IPV6);
	/* Override: neighbours replace whatever MAC they cached for it
	 * (RFC 4861 7.2.6). */
	net_wr_na(buf + l2, ifc->ip6, net_all_nodes, NET_NA_OVERRIDE,
		  &ifc->mac);
	return out;
}

size_t
dpt_net_icmp6_echo_reply(uint8_t *frame, size_t len,
			 const struct dpt_net_pkt *pkt)
{
	size_t icmp_len = pkt->payload_len;
	size_t out = (size_t)pkt->l2_len + NET_IPV6_LEN + icmp_len;
	uint8_t mac[RTE_ETHER_ADDR_LEN], *ip, *icmp;
	uint16_t old;

	if (pkt->kind != DPT_NET_ICMP6_ECHO ||
	    len < (size_t)pkt->payload_off + icmp_len)
		return 0;
	memcpy(mac, frame, sizeof(mac));
	memcpy(frame, frame + NET_ETH_SRC, sizeof(mac));
	memcpy(frame + NET_ETH_SRC, mac, sizeof(mac));
	ip = frame + pkt->l2_len;
	icmp = ip + NET_IPV6_LEN;
	/* A router alert or padding was for the way here, not back. */
	if (pkt->l3_len != NET_IPV6_LEN)
		memmove(icmp, frame + pkt->payload_off, icmp_len);
	/* Swapped addresses sum the same: the pseudo header is unchanged. */
	net_wr_ip6(ip, (uint16_t)icmp_len, IPPROTO_ICMPV6, NET_TTL,
		   pkt->dst_ip6, pkt->src_ip6);
	/* Only the type changes: O(1) whatever the echo's size. */
	old = net_rd16(icmp);
	icmp[0] = NET_ICMP6_ECHO_REPLY;
	net_wr16(icmp + NET_ICMP_CSUM,
		 net_csum_update(net_rd16(icmp + NET_ICMP_CSUM), old,
				  net_rd16(icmp)));
	return out;
}

size_t
dpt_net_icmp6_port_unreach(uint8_t *buf, size_t cap, const uint8_t *frame,
			   const struct dpt_net_pkt *pkt,
			   const struct dpt_net_if *ifc)
{
	size_t head = (size_t)pkt->l2_len + NET_IPV6_LEN + NET_ICMP6_ERR_LEN;
	size_t quote, l2;
	uint16_t tci = 0;
	uint8_t *ip, *icmp;

	if (pkt->kind != DPT_NET_UDP6 || cap < head)
		return 0;
	quote = RTE_MIN((size_t)pkt->l3_total,
			(size_t)(NET_IP6_MIN_MTU - NET_IPV6_LEN -
				 NET_ICMP6_ERR_LEN));
	quote = RTE_MIN(quote, cap - head);
	/* The question's own tag, priority included. */
	if (pkt->l2_len > RTE_ETHER_HDR_LEN)
		tci = net_rd16(frame + NET_ETH_TYPE + 2);
	l2 = net_wr_eth(buf, &pkt->src_mac, &ifc->mac, tci,
			RTE_ETHER_TYPE_IPV6);
	ip = buf + l2;
	icmp = ip + NET_IPV6_LEN;
	/* From the address it was sent to: global or link-local. */
	net_wr_ip6(ip, (uint16_t)(NET_ICMP6_ERR_LEN + quote), IPPROTO_ICMPV6,
		   NET_TTL, pkt->dst_ip6, pkt->src_ip6);
	memset(icmp, 0, NET_ICMP6_ERR_LEN);
	icmp[0] = NET_ICMP6_UNREACH;
	icmp[1] = NET_ICMP6_UNREACH_PORT;
	memcpy(icmp + NET_ICMP6_ERR_LEN, frame + pkt->l2_len, quote);
	net_icmp6_csum(ip, NET_ICMP6_ERR_LEN + quote);
	return head + quote;
}
