/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_TEST_NET_H_
#define _DPT_TEST_NET_H_

/*
 * What the lib/net test files share: an interface and its peer, frames
 * built by hand with their own (slow, byte-by-byte) checksums, a parse that
 * runs on an exactly sized heap copy so ASan sees any over-read, and each
 * area's table of cases.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dpt_net.h"

#define TN_BUF 2048

#define TN_VLAN 100

/* 02:00:00:00:00:01, 192.0.2.1/24: untagged and on VLAN TN_VLAN. */
extern const struct dpt_net_if tn_if;
extern const struct dpt_net_if tn_if_vlan;
/* The client: 02:00:00:00:00:02, 192.0.2.7; as an interface too, to parse
 * what we send the way the client would. */
extern const struct dpt_net_if tn_peer_if;
extern const struct dpt_net_if tn_peer_if_vlan;
extern const struct rte_ether_addr tn_peer_mac;
extern const struct rte_ether_addr tn_bcast_mac;
extern const struct rte_ether_addr tn_other_mac;	/* 02:..:00:09 */
#define TN_PEER_IP	tn_ip(192, 0, 2, 7)
#define TN_OUR_IP	tn_ip(192, 0, 2, 1)
#define TN_PEER_PORT	40000
#define TN_TFTP_PORT	69

/* a.b.c.d in network order. */
uint32_t tn_ip(uint8_t a, uint8_t b, uint8_t c, uint8_t d);

/* How to build a frame; tn_spec_udp() gives a valid UDP datagram from the
 * peer to us, which each case then changes. */
struct tn_spec {
	struct rte_ether_addr dst_mac, src_mac;
	uint16_t tpid;		/* with tci: the tag's type (0: 0x8100) */
	uint16_t tci;		/* 0: untagged */
	uint8_t version;	/* 4 */
	const uint8_t *opts;	/* IP options (a multiple of 4 bytes) */
	size_t opts_len;
	uint8_t proto;		/* 17, 1, or anything */
	uint32_t src_ip, dst_ip;
	uint16_t frag;		/* flags and fragment offset field */
	uint16_t src_port, dst_port;	/* UDP */
	uint8_t icmp_type, icmp_code;	/* ICMP */
	const uint8_t *payload;	/* UDP payload, bytes after the ICMP
				 * type/code/checksum, or the L4 bytes */
	size_t payload_len;
	bool no_udp_csum;	/* leave the UDP checksum 0 */
	size_t pad;		/* Ethernet padding after the datagram */
	uint8_t pad_byte;
};

void tn_spec_udp(struct tn_spec *s);
void tn_spec_icmp_echo(struct tn_spec *s);
/* Writes the frame into buf (TN_BUF bytes); returns its length. */
size_t tn_build(uint8_t *buf, const struct tn_spec *s);
/* Offset of the IPv4 header in a frame tn_build() made. */
size_t tn_l2_len(const uint8_t *frame);

/* An ARP frame (htype 1, ptype 0x0800, hlen 6, plen 4), unpadded. */
size_t tn_arp(uint8_t *buf, const struct rte_ether_addr *dst, uint16_t tci,
	      uint16_t op, const struct rte_ether_addr *sha, uint32_t sip,
	      const struct rte_ether_addr *tha, uint32_t tip);

/* The slow reference: one's-complement sum of big-endian words, byte by
 * byte, added to sum, folded; not inverted. */
uint16_t tn_sum(const uint8_t *p, size_t len, uint32_t sum);
/* Recomputes the checksums of a frame tn_build() made, after a case
 * changed its bytes. */
void tn_fix_ip_csum(uint8_t *frame);
void tn_fix_l4_csum(uint8_t *frame);
/* Whether the checksums of the datagram at ip verify. */
bool tn_ip_csum_ok(const uint8_t *ip);
bool tn_udp_csum_ok(const uint8_t *ip);
bool tn_icmp_csum_ok(const uint8_t *ip);
/* The UDP checksum of the datagram at ip, computed over the whole of it. */
uint16_t tn_udp_csum(const uint8_t *ip);

uint16_t tn_rd16(const uint8_t *p);
void tn_wr16(uint8_t *p, uint16_t v);
uint32_t tn_rd32n(const uint8_t *p);

/* dpt_net_parse() on an exactly sized malloc'd copy of frame. */
enum dpt_net_kind tn_parse(const uint8_t *frame, size_t len,
			   const struct dpt_net_if *ifc, unsigned int flags,
			   struct dpt_net_pkt *pkt);
/* Asserts frame parses as a drop for reason why. */
void tn_expect_drop(const uint8_t *frame, size_t len,
		    const struct dpt_net_if *ifc, unsigned int flags,
		    enum dpt_net_drop why);
/* Asserts frame parses as kind (not a drop). */
void tn_expect_kind(const uint8_t *frame, size_t len,
		    const struct dpt_net_if *ifc, unsigned int flags,
		    enum dpt_net_kind kind);

/*
 * IPv6: tn_if6 is tn_if with 2001:db8::1/64 and the link-local address
 * from its MAC, untagged and on VLAN TN_VLAN; tn_peer_if6 is the client
 * with 2001:db8::7 and its link-local, to parse what we send.
 */
extern const struct dpt_net_if tn_if6;
extern const struct dpt_net_if tn_if6_vlan;
extern const struct dpt_net_if tn_peer_if6;
extern const struct dpt_net_if tn_peer_if6_vlan;
extern const uint8_t tn_our_ip6[16], tn_our_ll6[16];
extern const uint8_t tn_peer_ip6[16], tn_peer_ll6[16];

/* How to build an IPv6 frame; tn_spec6_udp() gives a valid UDP datagram
 * from the peer's global address to ours. */
struct tn_spec6 {
	struct rte_ether_addr dst_mac, src_mac;
	uint16_t tci;		/* 0: untagged */
	uint8_t version;	/* 6 */
	uint8_t src[16], dst[16];
	uint8_t hlim;
	uint8_t ext_type;	/* with ext: the IPv6 header's next header */
	const uint8_t *ext;	/* extension header bytes (a multiple of 8;
				 * the first, next header, is set to nh) */
	size_t ext_len;
	uint8_t nh;		/* 17, 58, or anything */
	uint16_t src_port, dst_port;	/* UDP */
	uint8_t icmp_type, icmp_code;	/* ICMPv6 */
	const uint8_t *payload;	/* UDP payload, bytes after the ICMPv6
				 * type/code/checksum, or the L4 bytes */
	size_t payload_len;
	bool no_csum;		/* leave the L4 checksum 0 */
	size_t pad;		/* Ethernet padding after the packet */
	uint8_t body[64];	/* room for tn_spec6_ns()'s message */
};

void tn_spec6_udp(struct tn_spec6 *s);
void tn_spec6_echo(struct tn_spec6 *s);
/* A neighbor solicitation from the peer (hop limit 255, with a source
 * link-layer address option) for target, sent to target's solicited-node
 * group and its 33:33 MAC (group) or to target itself. */
void tn_spec6_ns(struct tn_spec6 *s, const uint8_t *target, bool group);
size_t tn_build6(uint8_t *buf, const struct tn_spec6 *s);
/* A hop-by-hop header: PadN (2 bytes of padding) and a router alert (MLD),
 * 8 bytes; the first byte is the next header, which tn_build6() sets. */
extern const uint8_t tn_hbh_ra[8];
/* Recomputes the L4 checksum after a case changed the frame's bytes;
 * ext_len: the extension header bytes before the L4 header. */
void tn_fix_l4_csum6(uint8_t *frame, size_t ext_len);
/* ff02::1:ffXX:XXXX for a, and its MAC 33:33:ff:XX:XX:XX. */
void tn_group6(uint8_t *group, const uint8_t *a);
void tn_mcast_mac6(struct rte_ether_addr *mac, const uint8_t *group);
/* The slow pseudo-header sum (not folded). */
uint32_t tn_phdr6(const uint8_t *src, const uint8_t *dst, uint8_t nh,
		  uint32_t len);
/* For a packet whose IPv6 header at ip has no extension header: the
 * UDP checksum computed over the whole datagram, and whether the UDP or
 * ICMPv6 checksum verifies. */
uint16_t tn_udp6_csum(const uint8_t *ip);
bool tn_udp6_csum_ok(const uint8_t *ip);
bool tn_icmp6_csum_ok(const uint8_t *ip);

/* A deterministic generator, so a failure reproduces. */
uint32_t tn_rand(void);
void tn_fill_rand(uint8_t *p, size_t len);

extern const struct CMUnitTest tn_l2_tests[];
extern const size_t tn_l2_count;
extern const struct CMUnitTest tn_ip_tests[];
extern const size_t tn_ip_count;
extern const struct CMUnitTest tn_l4_tests[];
extern const size_t tn_l4_count;
extern const struct CMUnitTest tn_reply_tests[];
extern const size_t tn_reply_count;
extern const struct CMUnitTest tn_udp_tests[];
extern const size_t tn_udp_count;
extern const struct CMUnitTest tn_ip6_tests[];
extern const size_t tn_ip6_count;
extern const struct CMUnitTest tn_nd_tests[];
extern const size_t tn_nd_count;
extern const struct CMUnitTest tn_reply6_tests[];
extern const size_t tn_reply6_count;
extern const struct CMUnitTest tn_l4_6_tests[];
extern const size_t tn_l4_6_count;
extern const struct CMUnitTest tn_udp6_tests[];
extern const size_t tn_udp6_count;
extern const struct CMUnitTest tn_rate_tests[];
extern const size_t tn_rate_count;

#endif /* _DPT_TEST_NET_H_ */
