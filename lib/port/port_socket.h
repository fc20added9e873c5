/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_PORT_SOCKET_H_
#define _DPT_PORT_SOCKET_H_

/* The socket backend's own structures, shared by its RX and TX files. */

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before any include (struct mmsghdr)"
#endif

#include <stdbool.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "port_internal.h"

#define SOCK_BURST 32
#define SOCK_EVENTS 64
#define CTRL_LEN 128		/* an in(6)_pktinfo, a UDP_SEGMENT and a
				 * receive timestamp */
#define TX_IOV_MAX 4		/* segments of a chained reply */

struct sock_priv {
	int ep;
	int listen_fd;
	bool ev_full;		/* the last epoll_wait() filled ev[] */
	uint64_t tsc_hz;
	int family;		/* of every socket we own */
	bool wildcard;		/* bound to 0.0.0.0 or ::: use pktinfo */
	uint8_t bound_ip[16];	/* when not wildcard */
	int *fd_by_port;	/* 65536 entries, -1 when none */
	int n_fds;
	struct rte_mempool *pool;

	/* RX: readable sockets carried between bursts */
	struct epoll_event ev[SOCK_EVENTS];
	int n_ev, ev_pos;
	struct mmsghdr rmsg[SOCK_BURST];
	struct iovec riov[SOCK_BURST];
	struct sockaddr_storage rname[SOCK_BURST];
	uint8_t rctrl[SOCK_BURST][CTRL_LEN];

	/* TX: messages, each one datagram or (GSO) a run of them */
	bool gso;		/* the kernel takes UDP_SEGMENT */
	struct mmsghdr tmsg[SOCK_BURST];
	uint16_t tfirst[SOCK_BURST], tcount[SOCK_BURST];	/* mbufs of each */
	struct iovec tiov[SOCK_BURST * TX_IOV_MAX];
	struct sockaddr_storage tname[SOCK_BURST];
	uint8_t tctrl[SOCK_BURST][CTRL_LEN];
	uint64_t gso_sends, gso_datagrams;
};

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/* The reverse, in the family of our sockets. Returns the name length. */
static inline socklen_t
meta_to_sa(int sock_family, uint8_t family, const uint8_t *ip,
	   uint16_t port, struct sockaddr_storage *ss)
{
	if (sock_family == AF_INET) {
		struct sockaddr_in *s4 = (void *)ss;

		memset(s4, 0, sizeof(*s4));
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, ip, 4);
		s4->sin_port = htons(port);
		return sizeof(*s4);
	}
	{
		struct sockaddr_in6 *s6 = (void *)ss;

		memset(s6, 0, sizeof(*s6));
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (family == AF_INET) {
			memcpy(s6->sin6_addr.s6_addr, v4mapped_prefix, 12);
			memcpy(s6->sin6_addr.s6_addr + 12, ip, 4);
		} else {
			memcpy(&s6->sin6_addr, ip, 16);
		}
		return sizeof(*s6);
	}
}

/* port_socket_tx.c */
uint16_t sock_tx_burst(struct dpt_port *p, uint16_t q, struct rte_mbuf **m,
		       uint16_t n);

/* Whether this kernel takes UDP_SEGMENT (GSO) on sock. */
bool sock_gso_probe(int sock);

#endif /* _DPT_PORT_SOCKET_H_ */
