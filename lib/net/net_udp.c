/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Transmit side of a UDP datagram: the headers in front of a payload the
 * caller already placed (copied, or an external buffer in the file cache),
 * and checksums from a payload sum the caller keeps, so no payload byte is
 * read here. One's-complement addition is commutative and byte-order
 * independent up to a swap, so the sum of the payload adds to the
 * pseudo header's and the UDP header's in any order.
 */

#include <string.h>

#include <rte_udp.h>

#include "net_internal.h"

/* The UDP header, its checksum field zero. */
static inline void
udp_header(uint8_t *udp, uint16_t sport, uint16_t dport, uint16_t udp_len)
{
	net_wr16(udp, sport);
	net_wr16(udp + 2, dport);
	net_wr16(udp + NET_UDP_LEN_OFF, udp_len);
	net_wr_csum(udp + NET_UDP_CSUM, 0);
}

/*
 * The checksum from the pseudo header's sum (native), the UDP header and
 * payload_sum (a host-order number). 0 goes out as 0xffff: over IPv4 it
 * would mean "no checksum" (RFC 768), and IPv6 receivers discard it
 * (RFC 8200 8.1).
 */
static inline void
udp_checksum(uint8_t *udp, uint32_t phdr_sum, uint16_t payload_sum)
{
	uint32_t sum = phdr_sum + rte_raw_cksum(udp, NET_UDP_LEN) +
		       rte_cpu_to_be_16(payload_sum);
	uint16_t csum = (uint16_t)~net_fold(sum);

	net_wr_csum(udp + NET_UDP_CSUM, csum == 0 ? 0xffff : csum);
}

void
dpt_net_udp4_encap(uint8_t *hdr, const struct dpt_net_udp4 *a,
		   uint16_t payload_len, uint16_t payload_sum,
		   unsigned int tx_flags)
{
	uint16_t udp_len = NET_UDP_LEN + payload_len;
	struct rte_ipv4_hdr *ip;
	uint8_t *udp;
	size_t l2;

	l2 = net_wr_eth(hdr, &a->dst_mac, &a->src_mac, a->vlan,
			RTE_ETHER_TYPE_IPV4);
	/* rte_ipv4_hdr is packed: safe at any alignment. */
	ip = (struct rte_ipv4_hdr *)(hdr + l2);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = 0;
	ip->total_length = rte_cpu_to_be_16(NET_IPV4_MIN_LEN + udp_len);
	ip->packet_id = rte_cpu_to_be_16(a->ip_id);
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = NET_TTL;
	ip->next_proto_id = IPPROTO_UDP;
	ip->hdr_checksum = 0;
	ip->src_addr = a->src_ip;
	ip->dst_addr = a->dst_ip;
	if ((tx_flags & DPT_NET_TX_IP_CSUM) == 0)
		ip->hdr_checksum = rte_ipv4_cksum(ip);

	udp = hdr + l2 + NET_IPV4_MIN_LEN;
	udp_header(udp, a->src_port, a->dst_port, udp_len);
	if (tx_flags & DPT_NET_TX_UDP_CSUM)
		net_wr_csum(udp + NET_UDP_CSUM, rte_ipv4_phdr_cksum(ip, 0));
	else
		udp_checksum(udp, net_phdr_sum(a->src_ip, a->dst_ip,
					       IPPROTO_UDP, udp_len),
			     payload_sum);
}

void
dpt_net_udp6_encap(uint8_t *hdr, const struct dpt_net_udp6 *a,
		   uint16_t payload_len, uint16_t payload_sum,
		   unsigned int tx_flags)
{
	uint16_t udp_len = NET_UDP_LEN + payload_len;
	struct rte_ipv6_hdr *ip;
	uint8_t *udp;
	size_t l2;

	l2 = net_wr_eth(hdr, &a->dst_mac, &a->src_mac, a->vlan,
			RTE_ETHER_TYPE_IPV6);
	/* rte_ipv6_hdr is packed: safe at any alignment. */
	ip = (struct rte_ipv6_hdr *)(hdr + l2);
	ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16(udp_len);
	ip->proto = IPPROTO_UDP;
	ip->hop_limits = NET_TTL;
	memcpy(ip->src_addr, a->src_ip, sizeof(ip->src_addr));
	memcpy(ip->dst_addr, a->dst_ip, sizeof(ip->dst_addr));

	udp = hdr + l2 + NET_IPV6_LEN;
	udp_header(udp, a->src_port, a->dst_port, udp_len);
	if (tx_flags & DPT_NET_TX_UDP_CSUM)
		net_wr_csum(udp + NET_UDP_CSUM, rte_ipv6_phdr_cksum(ip, 0));
	else
		udp_checksum(udp, net_phdr6_sum(a->src_ip, a->dst_ip,
						IPPROTO_UDP, udp_len),
			     payload_sum);
}

uint16_t
dpt_net_sum(const void *p, size_t len)
{
	/* rte_raw_cksum() sums native-order words (byte-swapped on
	 * little-endian CPUs, its odd last byte included); one swap of the
	 * folded sum gives the big-endian one. */
	return rte_be_to_cpu_16(rte_raw_cksum(p, len));
}

bool
dpt_net_on_link(const struct dpt_net_if *ifc, uint32_t ip)
{
	uint32_t mask;

	/* No shift by 32: prefix 0 masks nothing, 32 everything. */
	mask = ifc->prefix >= 32 ? UINT32_MAX : ~(UINT32_MAX >> ifc->prefix);
	return ((rte_be_to_cpu_32(ip) ^ rte_be_to_cpu_32(ifc->ip)) & mask) ==
	       0;
}
