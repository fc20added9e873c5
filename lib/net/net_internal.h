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

#include <stdbool.h>
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
#define NET_IPV6_LEN		sizeof(struct rte_ipv6_hdr)
#define NET_ND_HOP_LIMIT	255	/* ND comes from the link (RFC 4861) */

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
#define NET_IP6_PLEN		4
#define NET_IP6_NH		6
#define NET_IP6_HLIM		7
#define NET_IP6_SRC		8
#define NET_IP6_DST		24

/* ICMPv6 (RFC 4443, RFC 4861). */
#define NET_ICMP6_UNREACH	1
#define NET_ICMP6_UNREACH_PORT	4
#define NET_ICMP6_ECHO_REQUEST	128
#define NET_ICMP6_ECHO_REPLY	129
#define NET_ND_NS		135
#define NET_ND_NA		136
#define NET_ND_NS_LEN		24	/* type .. target */
#define NET_ND_OPT_SLLA		1
#define NET_ND_OPT_TLLA		2
#define NET_ND_NA_LEN		32	/* with a target link-layer option */

static inline enum dpt_net_kind
net_drop(struct dpt_net_pkt *pkt, enum dpt_net_drop why)
{
	pkt->kind = DPT_NET_DROP;
	pkt->drop = why;
	return DPT_NET_DROP;
}

static inline enum dpt_net_kind
net_kind(struct dpt_net_pkt *pkt, enum dpt_net_kind kind)
{
	pkt->kind = kind;
	pkt->drop = DPT_NET_OK;
	return kind;
}

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

/* RFC 1624 eqn 3: the checksum hc after a 16-bit word went from m to m1
 * (host-order values). */
static inline uint16_t
net_csum_update(uint16_t hc, uint16_t m, uint16_t m1)
{
	uint32_t s = (uint16_t)~hc + (uint32_t)(uint16_t)~m + m1;

	return (uint16_t)~net_fold(s);
}

/* Unfolded native-order sum of an IPv4 pseudo header (RFC 768). */
static inline uint32_t
net_phdr_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t l4_len)
{
	return (src & 0xffff) + (src >> 16) + (dst & 0xffff) + (dst >> 16) +
	       rte_cpu_to_be_16(proto) + rte_cpu_to_be_16(l4_len);
}

/* Unfolded native-order sum of an IPv6 pseudo header (RFC 8200 8.1). */
static inline uint32_t
net_phdr6_sum(const uint8_t *src, const uint8_t *dst, uint8_t proto,
	      uint32_t l4_len)
{
	return (uint32_t)rte_raw_cksum(src, 16) + rte_raw_cksum(dst, 16) +
	       rte_cpu_to_be_16((uint16_t)(l4_len >> 16)) +
	       rte_cpu_to_be_16((uint16_t)l4_len) + rte_cpu_to_be_16(proto);
}

/* The solicited-node group of address a (RFC 4291 2.7.1): ff02::1:ff00:0/104
 * and a's low 24 bits. */
static inline void
net_solicited_node(uint8_t *group, const uint8_t *a)
{
	static const uint8_t pfx[13] = {
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff,
	};

	memcpy(group, pfx, sizeof(pfx));
	memcpy(group + sizeof(pfx), a + sizeof(pfx), 16 - sizeof(pfx));
}

/* Receives the IPv6 packet at l3 (avail bytes of frame left): see
 * dpt_net_parse(). mcast_mac: the IPv6 multicast MAC (33:33:...) the
 * frame went to, or NULL when it came to ours. */
enum dpt_net_kind net_parse_ipv6(const uint8_t *l3, size_t avail,
				 const struct dpt_net_if *ifc,
				 unsigned int flags,
				 const struct rte_ether_addr *mcast_mac,
				 struct dpt_net_pkt *pkt);

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
