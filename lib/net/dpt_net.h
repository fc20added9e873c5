/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_NET_H_
#define _DPT_NET_H_

/*
 * dptftp's own minimal L2/L3 for the ethdev backend: Ethernet (untagged or
 * one 802.1Q tag), ARP, IPv4, IPv6 with Neighbor Discovery, UDP, ICMP and
 * ICMPv6 echo and port unreachable. Every function works on a plain buffer
 * (the frame's bytes), so each rule is testable without EAL; the port
 * backend wraps them around mbufs.
 *
 * Parsing reads headers at their real offsets (VLAN tag, IHL) and never
 * past the buffer. Everything from the wire is hostile until parsed: a
 * frame that fails a check is classified with the reason, never trusted.
 * Buffers need no particular alignment. docs/net.md has the whole policy.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf_core.h>
#include <rte_ip.h>
#include <rte_udp.h>

/* What a frame is, after dpt_net_parse(). */
enum dpt_net_kind {
	DPT_NET_DROP = 0,	/* see dpt_net_pkt.drop */
	DPT_NET_ARP_REQUEST,	/* who-has one of our addresses: answer */
	DPT_NET_ARP_OTHER,	/* any other valid ARP: ignore */
	DPT_NET_ICMP_ECHO,	/* echo request to one of our addresses */
	DPT_NET_ICMP_OTHER,	/* other ICMP or ICMPv6 to us: ignore */
	DPT_NET_UDP,		/* UDP to one of our addresses: the payload */
	DPT_NET_IPV4_FRAGMENT,	/* a fragment to us: reassemble or drop */
	DPT_NET_OTHER,		/* valid, not for us or not ours to handle */
	DPT_NET_ND_SOLICIT,	/* neighbor solicitation for one of our
				 * IPv6 addresses: answer */
	DPT_NET_ICMP6_ECHO,	/* ICMPv6 echo request to one of ours */
	DPT_NET_UDP6,		/* UDP over IPv6 to one of ours: the payload */
};

/* Why a frame was dropped. Counted per reason by the port. */
enum dpt_net_drop {
	DPT_NET_OK = 0,
	DPT_NET_DROP_RUNT,		/* shorter than its headers say */
	DPT_NET_DROP_VLAN,		/* stacked tags, or a VLAN not ours */
	DPT_NET_DROP_ARP_MALFORMED,
	DPT_NET_DROP_IP_VERSION,
	DPT_NET_DROP_IP_HDRLEN,		/* IHL < 5 or past the frame */
	DPT_NET_DROP_IP_LEN,		/* total length < IHL or past frame */
	DPT_NET_DROP_IP_CSUM,
	DPT_NET_DROP_IP_OPTIONS_SRC,	/* source routing and the like */
	DPT_NET_DROP_IP_ADDR,		/* bad source (0, broadcast, ...) */
	DPT_NET_DROP_UDP_LEN,
	DPT_NET_DROP_UDP_CSUM,
	DPT_NET_DROP_ICMP_CSUM,
	DPT_NET_DROP_ICMP_MALFORMED,
	DPT_NET_DROP_IP6_LEN,		/* header cut short, payload past frame */
	DPT_NET_DROP_IP6_EXTHDR,	/* an extension header not walked, or
					 * a hop-by-hop header that is bad */
	DPT_NET_DROP_IP6_FRAGMENT,	/* IPv6 fragments: not reassembled */
	DPT_NET_DROP_IP6_ADDR,		/* bad source (::, multicast, ours) */
	DPT_NET_DROP_UDP6_NO_CSUM,	/* checksum 0: mandatory over IPv6 */
	DPT_NET_DROP_ICMP6_CSUM,
	DPT_NET_DROP_ICMP6_MALFORMED,
	DPT_NET_DROP_ND_INVALID,	/* a solicitation RFC 4861 7.1.1 refuses */
	DPT_NET_DROP_SRC_MAC,		/* from a broadcast, multicast or zero
					 * MAC: nothing may be sent back to it */
	DPT_NET_DROP_COUNT,
};

/*
 * The addresses of one interface: what "ours" means. IPv4 is off when ip
 * is 0, IPv6 when prefix6 is 0; with IPv6 on, ll6 (dpt_net_ll6() of mac)
 * is ours besides ip6.
 */
struct dpt_net_if {
	struct rte_ether_addr mac;
	uint32_t ip;		/* network order; 0: no IPv4 */
	uint8_t prefix;
	uint16_t vlan;		/* 0: untagged; else only this tag is ours */
	uint8_t ip6[16];	/* the configured IPv6 address */
	uint8_t prefix6;	/* its prefix length; 0: no IPv6 */
	uint8_t ll6[16];	/* the link-local address (fe80::/64) */
};

/* Checksum work the NIC already did (from mbuf ol_flags). */
#define DPT_NET_RX_IP_CSUM_GOOD		0x1
#define DPT_NET_RX_L4_CSUM_GOOD		0x2

/* The DPT_NET_RX_* an mbuf's ol_flags vouch for. */
static inline unsigned int
dpt_net_rx_flags(uint64_t ol_flags)
{
	unsigned int f = 0;

	if ((ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) ==
	    RTE_MBUF_F_RX_IP_CKSUM_GOOD)
		f |= DPT_NET_RX_IP_CSUM_GOOD;
	if ((ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) ==
	    RTE_MBUF_F_RX_L4_CKSUM_GOOD)
		f |= DPT_NET_RX_L4_CSUM_GOOD;
	return f;
}

/*
 * A parsed frame: offsets into the buffer that was parsed. Fields past
 * the point where parsing stopped are 0. For ARP, src_mac/src_ip/dst_ip
 * are the ARP sender hardware/sender IP/target IP: answers go to the MAC
 * the request names, so no neighbour table is needed. IPv6 frames fill
 * src_ip6/dst_ip6 instead of src_ip/dst_ip, and answers go to the frame's
 * Ethernet source.
 */
struct dpt_net_pkt {
	enum dpt_net_kind kind;
	enum dpt_net_drop drop;
	uint16_t l2_len;	/* 14, or 18 with a VLAN tag */
	uint16_t vlan;		/* VLAN id of the tag; 0: untagged */
	uint16_t l3_len;	/* IPv4 header length (IHL * 4); IPv6: 40 and
				 * the hop-by-hop header skipped, if any */
	uint16_t l3_total;	/* IPv4 total length; IPv6: 40 + payload */
	uint16_t payload_off;	/* UDP: its payload; ICMP: the ICMP message;
				 * fragment: the IP payload */
	uint16_t payload_len;	/* from the IP/UDP lengths, never the frame */
	uint32_t src_ip, dst_ip;	/* network order */
	uint16_t src_port, dst_port;	/* host order */
	struct rte_ether_addr src_mac;
	uint8_t src_ip6[16], dst_ip6[16];
};

/*
 * Parses the len bytes of frame for interface ifc. flags are the
 * DPT_NET_RX_* the NIC vouched for (checks it did are skipped). Fills *pkt
 * and returns pkt->kind. Never reads past frame + len; frames carrying
 * Ethernet padding past the IP total length are accepted. IPv4 is ours
 * only when sent to our MAC (not broadcast, RFC 1122 3.3.6) and our IP;
 * IPv6 when sent to our MAC and one of our addresses, or (a neighbor
 * solicitation only) to the solicited-node group of one of them.
 */
enum dpt_net_kind dpt_net_parse(const uint8_t *frame, size_t len,
				const struct dpt_net_if *ifc,
				unsigned int flags, struct dpt_net_pkt *pkt);

/* Name of a drop reason ("ip-csum", ...), for counters. */
const char *dpt_net_drop_name(enum dpt_net_drop d);

/*
 * Turns the ARP request in frame (as parsed into pkt) into the reply, in
 * place: from our MAC to the requester's, same VLAN. Returns the reply's
 * length (a whole minimum frame, padded), or 0 when it cannot.
 */
size_t dpt_net_arp_reply(uint8_t *frame, size_t len, size_t cap,
			 const struct dpt_net_pkt *pkt,
			 const struct dpt_net_if *ifc);

/* Builds a gratuitous ARP (an ARP request for our own address, to the
 * broadcast address) into buf; returns its length, or 0 if cap is short
 * or IPv4 is off. */
size_t dpt_net_garp(uint8_t *buf, size_t cap, const struct dpt_net_if *ifc);

/*
 * Turns the ICMP echo request in frame into its echo reply, in place
 * (addresses and MACs swapped, type 0, checksums updated incrementally).
 * Returns the reply's length (Ethernet padding dropped), or 0 when pkt is
 * not an echo request that fits in len.
 */
size_t dpt_net_icmp_echo_reply(uint8_t *frame, size_t len,
			       const struct dpt_net_pkt *pkt);

/*
 * Builds an ICMP destination-unreachable/port-unreachable (type 3 code 3)
 * answering the datagram in frame: it quotes the IP header and 8 bytes of
 * the offending datagram. Returns the length, or 0 if cap is short or pkt
 * is not DPT_NET_UDP. Rate limiting is the caller's.
 */
size_t dpt_net_icmp_port_unreach(uint8_t *buf, size_t cap,
				 const uint8_t *frame,
				 const struct dpt_net_pkt *pkt,
				 const struct dpt_net_if *ifc);

/* Bytes dpt_net_udp4_encap() puts in front of a payload. */
static inline size_t
dpt_net_udp4_hdr_len(uint16_t vlan)
{
	return sizeof(struct rte_ether_hdr) + (vlan != 0 ? 4 : 0) +
	       sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr);
}

/* Addresses of an outgoing UDP datagram. IPs network order, ports host. */
struct dpt_net_udp4 {
	struct rte_ether_addr src_mac, dst_mac;
	uint16_t vlan;
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
	uint16_t ip_id;
};

#define DPT_NET_TX_IP_CSUM	0x1	/* NIC computes the IPv4 checksum */
#define DPT_NET_TX_UDP_CSUM	0x2	/* NIC computes the UDP checksum (the
					 * pseudo-header sum is left in it) */

/*
 * Writes Ethernet (+VLAN), IPv4 and UDP headers into hdr (exactly
 * dpt_net_udp4_hdr_len(a->vlan) bytes, just before the payload of
 * payload_len bytes, at most 65507). Checksums the NIC does not take
 * (tx_flags) are computed here: the UDP one from payload_sum, the
 * one's-complement sum of the payload folded to 16 bits (see
 * dpt_net_sum()), so a caller that keeps block sums pays nothing per
 * byte. With DPT_NET_TX_UDP_CSUM the field holds the pseudo-header sum
 * (rte_ipv4_phdr_cksum()), as DPDK's checksum offload expects; with
 * DPT_NET_TX_IP_CSUM the IPv4 checksum is 0. DF is set; TTL 64.
 */
void dpt_net_udp4_encap(uint8_t *hdr, const struct dpt_net_udp4 *a,
			uint16_t payload_len, uint16_t payload_sum,
			unsigned int tx_flags);

/*
 * One's-complement sum of len bytes at p, folded to 16 bits, not
 * inverted, as if p started at an even offset of the datagram. The bytes
 * are read as big-endian 16-bit words (network order; an odd last byte is
 * the high byte of a word padded with zero) and the result is a plain
 * host-order number on every CPU: bytes 12 34 ab sum to 0x12 << 8 | 0x34
 * plus 0xab00 = 0xbd34. Sums of pieces that each start at an even offset
 * of the payload combine with dpt_net_sum_add(); a piece starting at an
 * odd offset contributes its sum byte-swapped (rte_bswap16()).
 */
uint16_t dpt_net_sum(const void *p, size_t len);

/* One's-complement addition of two dpt_net_sum() results. */
static inline uint16_t
dpt_net_sum_add(uint16_t a, uint16_t b)
{
	uint32_t s = (uint32_t)a + b;

	return (uint16_t)((s & 0xffff) + (s >> 16));
}

/* fe80::/64 with the modified EUI-64 interface id of mac (RFC 4291 2.5.1,
 * appendix A): what ifc->ll6 holds. */
void dpt_net_ll6(uint8_t ll6[16], const struct rte_ether_addr *mac);

/*
 * Turns the neighbor solicitation in frame (as parsed into pkt) into the
 * neighbor advertisement that answers it, in place: solicited and
 * override set, router clear, our MAC in a target link-layer address
 * option, from the target address to the solicitation's source and MAC,
 * same VLAN tag, hop limit 255. A solicitation from :: (duplicate address
 * detection) is answered to all-nodes (ff02::1), solicited clear
 * (RFC 4861 7.2.4). Returns the length, or 0 when it cannot (cap short).
 */
size_t dpt_net_nd_advert(uint8_t *frame, size_t len, size_t cap,
			 const struct dpt_net_pkt *pkt,
			 const struct dpt_net_if *ifc);

/* Builds an unsolicited neighbor advertisement for ifc->ip6 (override
 * set, solicited clear, our MAC as target link-layer address) to
 * all-nodes, ff02::1 at 33:33:00:00:00:01, tagged when the interface has
 * a VLAN. Returns its length, or 0 if cap is short or IPv6 is off. */
size_t dpt_net_nd_unsolicited(uint8_t *buf, size_t cap,
			      const struct dpt_net_if *ifc);

/*
 * Turns the ICMPv6 echo request in frame into its echo reply, in place
 * (addresses and MACs swapped, type 129, hop limit 64, the checksum
 * updated incrementally; a hop-by-hop header is dropped). Returns the
 * reply's length, or 0 when pkt is not an echo request that fits in len.
 */
size_t dpt_net_icmp6_echo_reply(uint8_t *frame, size_t len,
				const struct dpt_net_pkt *pkt);

/*
 * Builds an ICMPv6 destination unreachable, port unreachable (type 1
 * code 4) answering the UDP6 datagram in frame, from the address it was
 * sent to: it quotes as much of the offending packet, from its IPv6
 * header on, as fits in a 1280-byte IPv6 packet (RFC 4443 2.4 (c)) and in
 * cap. Returns the length, or 0 if pkt is not DPT_NET_UDP6 or cap cannot
 * hold the headers. Rate limiting is the caller's.
 */
size_t dpt_net_icmp6_port_unreach(uint8_t *buf, size_t cap,
				  const uint8_t *frame,
				  const struct dpt_net_pkt *pkt,
				  const struct dpt_net_if *ifc);

/* Bytes dpt_net_udp6_encap() puts in front of a payload. */
static inline size_t
dpt_net_udp6_hdr_len(uint16_t vlan)
{
	return sizeof(struct rte_ether_hdr) + (vlan != 0 ? 4 : 0) +
	       sizeof(struct rte_ipv6_hdr) + sizeof(struct rte_udp_hdr);
}

/* Addresses of an outgoing UDP datagram over IPv6. Ports host order. */
struct dpt_net_udp6 {
	struct rte_ether_addr src_mac, dst_mac;
	uint16_t vlan;
	uint8_t src_ip[16], dst_ip[16];
	uint16_t src_port, dst_port;
};

/*
 * dpt_net_udp4_encap() for IPv6: Ethernet (+VLAN), IPv6 (traffic class
 * and flow label 0, hop limit 64) and UDP headers, exactly
 * dpt_net_udp6_hdr_len(a->vlan) bytes, in front of payload_len bytes (at
 * most 65527). The UDP checksum, mandatory over IPv6, comes from
 * payload_sum (0 is sent as 0xffff), or with DPT_NET_TX_UDP_CSUM the
 * field holds the pseudo-header sum (rte_ipv6_phdr_cksum()) for the NIC.
 * DPT_NET_TX_IP_CSUM means nothing here: IPv6 has no header checksum.
 */
void dpt_net_udp6_encap(uint8_t *hdr, const struct dpt_net_udp6 *a,
			uint16_t payload_len, uint16_t payload_sum,
			unsigned int tx_flags);

/* Whether ip (network order) is inside ifc's subnet, ifc->ip/prefix:
 * prefix 0 holds every address, 32 only ifc->ip. */
bool dpt_net_on_link(const struct dpt_net_if *ifc, uint32_t ip);

/*
 * Reply rate limits: what the server sends unasked-for work in answer to
 * (TFTP ERRORs, ICMP echo replies) is limited per source address and in
 * all, so forged traffic can neither loop through us nor use us to
 * amplify. Each limit is a GCRA token bucket (a theoretical arrival time
 * per bucket, one compare-and-swap to take a token), so any number of
 * threads may share one struct dpt_rate. Addresses hash into
 * DPT_RATE_BUCKETS buckets; two addresses that share a bucket share its
 * tokens, which only ever limits more. Bursts of a tenth of a second's
 * tokens (at least 1) pass at once.
 */
#define DPT_RATE_BUCKETS 4096

struct dpt_rate {
	uint64_t addr_interval;		/* us between replies to one address;
					 * 0: no per-address limit */
	uint64_t addr_tol;		/* burst allowance, us */
	uint64_t all_interval;		/* us between replies in all; 0: none */
	uint64_t all_tol;
	uint64_t all_tat;		/* when the whole bucket is full again */
	uint64_t tat[DPT_RATE_BUCKETS];
};

/* Sets r up for per_addr replies a second to one address and all in all
 * (0: no such limit), every bucket full. */
void dpt_rate_init(struct dpt_rate *r, uint32_t per_addr, uint32_t all);

/* Takes a token for a reply to addr (len bytes: 4 for IPv4, 16 for IPv6)
 * at now_us (any monotonic origin); false when either limit says no, and
 * then neither bucket loses a token. */
bool dpt_rate_allow(struct dpt_rate *r, const void *addr, size_t len,
		    uint64_t now_us);

/*
 * A byte rate (--port-rate): a GCRA bucket whose cells are bytes, on a
 * clock of hz ticks a second (the TSC), shared by any number of threads
 * as struct dpt_rate is. The cost of a byte is kept in 1/65536 ticks, so
 * rates from 8 kbit/s to 1 Tbit/s stay exact to a fraction of a percent
 * on a GHz clock. A datagram may go when the bucket holds its bytes, up
 * to burst_bytes at once after a quiet spell.
 */
struct dpt_byte_rate {
	uint64_t tat;		/* when the bucket is full again, ticks */
	uint64_t cost;		/* ticks per byte, << 16; 0: no limit */
	uint64_t tol;		/* burst allowance, ticks */
};

/* Sets r up for bits_per_s (0: no limit; else 8 kbit/s to 1 Tbit/s, as
 * lib/conf checks them) on a clock of hz ticks a second, the bucket full. Another thread
 * may be taking from r meanwhile: each field is stored whole. */
void dpt_byte_rate_init(struct dpt_byte_rate *r, uint64_t bits_per_s,
			uint64_t hz, uint64_t burst_bytes);

/* Takes bytes at now (ticks); false when the bucket cannot pay, and then
 * nothing is taken. Always true when r has no limit. */
bool dpt_byte_rate_take(struct dpt_byte_rate *r, uint32_t bytes,
			uint64_t now);

#endif /* _DPT_NET_H_ */
