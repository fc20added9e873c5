/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_EAL_FRAMES_H_
#define _DPT_EAL_FRAMES_H_

/*
 * Frames for the EAL suites: a client on a net_ring port. Builders write
 * whole Ethernet frames with correct checksums (tests then break them on
 * purpose); the ring helpers move them in and out of the port.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#define EF_CLIENT_IP RTE_IPV4(10, 0, 0, 2)
#define EF_SERVER_IP RTE_IPV4(10, 0, 0, 1)

extern const struct rte_ether_addr ef_client_mac;

/* A UDP datagram from the client (ip host order) to the server. */
size_t ef_udp(uint8_t *buf, const struct rte_ether_addr *dst_mac,
	      uint32_t src_ip, uint16_t sport, uint16_t dport,
	      const void *payload, size_t len);

/* ARP who-has ip (host order) from the client. */
size_t ef_arp_request(uint8_t *buf, uint32_t target_ip);

/* ICMP echo request to the server. */
size_t ef_icmp_echo(uint8_t *buf, const struct rte_ether_addr *dst_mac,
		    uint16_t id, uint16_t seq);

/* IPv6: the server's 2001:db8::1/64 and the client's 2001:db8::2. */
extern const uint8_t ef_server_ip6[16];
extern const uint8_t ef_client_ip6[16];

/* A UDP datagram over IPv6 from the client (src) to dst; checksummed. */
size_t ef_udp6(uint8_t *buf, const struct rte_ether_addr *dst_mac,
	       const uint8_t *src, const uint8_t *dst, uint16_t sport,
	       uint16_t dport, const void *payload, size_t len);

/* A neighbor solicitation from the client for target, to target's
 * solicited-node group and its 33:33 MAC, hop limit hlim, with the
 * client's MAC as source link-layer address. */
size_t ef_ns(uint8_t *buf, const uint8_t *target, uint8_t hlim);

/* An ICMPv6 echo request from the client to dst. */
size_t ef_icmp6_echo(uint8_t *buf, const struct rte_ether_addr *dst_mac,
		     const uint8_t *dst, uint16_t id, uint16_t seq);

/* An RRQ payload: opcode, file, mode, then name/value pairs (NULL ends). */
size_t ef_rrq(uint8_t *buf, const char *file, const char *mode, ...);

/* Queues a copy of frame on r as an mbuf from pool. Returns 0 or -1. */
int ef_inject(struct rte_ring *r, struct rte_mempool *pool,
	      const uint8_t *frame, size_t len);

/* Takes one mbuf from r, or NULL. */
struct rte_mbuf *ef_take(struct rte_ring *r);

struct dpt_port;

/* The MAC an ethdev port answers from, as `show port info` says it (a
 * net_ring port has none of its own: dptftpd gives it one). */
void ef_port_mac(struct dpt_port *p, struct rte_ether_addr *mac);

/* The port's counter `key` from its `show port stats` lines; ~0 when it
 * has none of that name. */
unsigned long long ef_port_stat(struct dpt_port *p, const char *key);

#endif /* _DPT_EAL_FRAMES_H_ */
