/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_TEST_ETHDEV_H_
#define _DPT_TEST_ETHDEV_H_

/*
 * The ethdev backend on a net_ring port: frames go in through the port's
 * RX ring exactly as a NIC would give them, and what the port sends comes
 * out of its TX ring. One port (192.0.2.1/24 and 2001:db8::1/64) for the
 * whole group: the cases run in main()'s order.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_arp.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dpt_conf.h"
#include "dpt_net.h"
#include "dpt_port.h"
#include "eal_frames.h"

extern struct rte_mempool *pool;
extern struct rte_ring *rx_r, *tx_r;
extern struct dpt_port *port;
extern struct dpt_conf conf;
extern struct rte_ether_addr server_mac;
extern uint8_t server_ll6[16];
extern uint8_t frame[9000];

/* Port counter `key` from its Key: value stats. */
unsigned long long te_stat(const char *key);
/* Everything the port made by itself, in order; count returned. */
unsigned int ctl_take(struct rte_mbuf **m, unsigned int n);
/* What the port delivers to the dataplane. */
uint16_t rx(struct rte_mbuf **m, uint16_t n);
/* Whether the ICMPv6 or UDP checksum of the packet at ip verifies. */
bool l4_csum6_ok(const struct rte_ipv6_hdr *ip);

/* test_ethdev6.c: IPv6 */
void ns_answered(void **state);
void icmp6_echo_answered(void **state);
void udp6_delivered_with_meta(void **state);
void malformed6_counted(void **state);
void encap6_checksums_verify(void **state);
void unreachable6(void **state);

#endif /* _DPT_TEST_ETHDEV_H_ */
