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

#endif /* _DPT_TEST_NET_H_ */
