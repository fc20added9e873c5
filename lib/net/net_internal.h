/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_NET_INTERNAL_H_
#define _DPT_NET_INTERNAL_H_

/*
 * What the lib/net files share. Multi-byte fields are read and written
 * byte by byte (network order values in host order numbers) so frames need
 * no alignment; checksum sums stay in DPDK's native-order domain (what
 * rte_raw_cksum() returns), which is what goes into a header field as is.
 */

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "dpt_net.h"

#define NET_VLAN_ID_MASK	0x0fff
#define NET_ETH_MIN_LEN		(RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN)
#define NET_ARP_LEN		sizeof(struct rte_arp_hdr)
#define NET_IPV4_MIN_LEN	sizeof(struct rte_ipv4_hdr)
#define NET_UDP_LEN		sizeof(struct rte_udp_hdr)
#define NET_ICMP_LEN		sizeof(struct rte_icmp_hdr)
#define NET_TTL			64

/* Offsets inside the headers, for the byte-wise accessors. */
#define NET_ETH_SRC		6
#define NET_ETH_TYPE		12
#define NET_IP_TOTAL		2
#define NET_IP_FRAG		6
#define NET_IP_TTL		8
#define NET_IP_PROTO		9
#define NET_IP_CSUM		10
#define NET_IP_SRC		12
#define NET_IP_DST		16
#define NET_UDP_LEN_OFF		4
#define NET_UDP_CSUM		6
#define NET_ICMP_CSUM		2

static inline uint16_t
net_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void
net_wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* A network-order 32-bit field, kept in network order. */
static inline uint32_t
net_rd32n(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void
net_wr32n(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* Native-order checksum field: the form rte_raw_cksum() sums in. */
static inline void
net_wr_csum(uint8_t *p, uint16_t native)
{
	memcpy(p, &native, sizeof(native));
}

static inline uint16_t
net_fold(uint32_t s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* Unfolded native-order sum of an IPv4 pseudo header (RFC 768). */
static inline uint32_t
net_phdr_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t l4_len)
{
	return (src & 0xffff) + (src >> 16) + (dst & 0xffff) + (dst >> 16) +
	       rte_cpu_to_be_16(proto) + rte_cpu_to_be_16(l4_len);
}

/* Writes an Ethernet header, with an 802.1Q tag when tci != 0 (the tag's
 * whole TCI, priority bits included); returns its length. */
static inline size_t
net_wr_eth(uint8_t *p, const struct rte_ether_addr *dst,
	   const struct rte_ether_addr *src, uint16_t tci, uint16_t type)
{
	size_t off = NET_ETH_TYPE;

	memcpy(p, dst, RTE_ETHER_ADDR_LEN);
	memcpy(p + NET_ETH_SRC, src, RTE_ETHER_ADDR_LEN);
	if (tci != 0) {
		net_wr16(p + off, RTE_ETHER_TYPE_VLAN);
		net_wr16(p + off + 2, tci);
		off += RTE_VLAN_HLEN;
	}
	net_wr16(p + off, type);
	return off + 2;
}

#endif /* _DPT_NET_INTERNAL_H_ */
