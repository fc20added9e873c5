/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The socket backend's TX: replies leave with sendmmsg, from the socket of
 * their server port. A window of DATA for one client is a run of datagrams
 * of one size (the last may be shorter): with UDP GSO (UDP_SEGMENT) the
 * run goes to the kernel as one message whose iovecs point at the mbufs,
 * and the kernel cuts it into datagrams of that size, so a window costs
 * one trip through the UDP stack instead of one per block.
 */

#define _GNU_SOURCE	/* sendmmsg(), struct in6_pktinfo, ppoll() */

#include <errno.h>
#include <netinet/udp.h>
#include <string.h>
#include <unistd.h>

#include <rte_mbuf.h>

#include "port_socket.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

#define GSO_MAX_SEGS 64		/* the kernel's UDP_MAX_SEGMENTS */
#define GSO_MAX_BYTES 60000	/* below the 64 KiB an IP datagram holds */

bool
sock_gso_probe(int sock)
{
	int size = 1472;

	return setsockopt(sock, SOL_UDP, UDP_SEGMENT, &size,
			  sizeof(size)) == 0 &&
	       setsockopt(sock, SOL_UDP, UDP_SEGMENT, &(int){ 0 },
			  sizeof(int)) == 0;
}

/* Same socket, same client, same local address: one message may hold both. */
static bool
same_flow(const struct sock_priv *sp, const struct dpt_pkt_meta *a,
	  const struct dpt_pkt_meta *b)
{
	return a->server_port == b->server_port &&
	       a->client_port == b->client_port && a->family == b->family &&
	       memcmp(a->client_ip, b->client_ip, 16) == 0 &&
	       (!sp->wildcard || memcmp(a->server_ip, b->server_ip, 16) == 0);
}

/* Appends mb's segments to the iovecs at *niov; false when they don't fit. */
static bool
add_iov(struct sock_priv *sp, unsigned int *niov, struct rte_mbuf *mb)
{
	struct rte_mbuf *seg;
	unsigned int k = *niov;

	for (seg = mb; seg != NULL; seg = seg->next) {
		if (k == RTE_DIM(sp->tiov))
			return false;
		sp->tiov[k].iov_base = rte_pktmbuf_mtod(seg, void *);
		sp->tiov[k].iov_len = seg->data_len;
		k++;
	}
	*niov = k;
	return true;
}

static void
add_cmsg(struct msghdr *mh, int level, int type, const void *data,
	 size_t len)
{
	struct cmsghdr *c = (struct cmsghdr *)((uint8_t *)mh->msg_control +
					       mh->msg_controllen);

	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(c), data, len);
	mh->msg_controllen += CMSG_SPACE(len);
}

/* The local address a reply leaves from, when we are bound to a wildcard. */
static void
add_pktinfo(const struct sock_priv *sp, struct msghdr *mh,
	    const struct dpt_pkt_meta *meta)
{
	if (meta->family == AF_INET && sp->family == AF_INET) {
		struct in_pktinfo pi = { 0 };

		memcpy(&pi.ipi_spec_dst, meta->server_ip, 4);
		add_cmsg(mh, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
	} else {
		struct in6_pktinfo pi = { 0 };

		if (meta->family == AF_INET) {
			memcpy(pi.ipi6_addr.s6_addr, v4mapped_prefix, 12);
			memcpy(pi.ipi6_addr.s6_addr + 12, meta->server_ip, 4);
		} else {
			memcpy(&pi.ipi6_addr, meta->server_ip, 16);
		}
		add_cmsg(mh, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
	}
}

/*
 * Builds message k from m[i...]: one datagram, or with GSO the longest run
 * of the same flow and size that fits. Returns its fd (-1: cannot be sent
 * from here) and sets how many mbufs it took.
 */
static int
build_msg(struct sock_priv *sp, unsigned int k, struct rte_mbuf **m,
	  uint16_t i, uint16_t n, unsigned int *niov)
{
	const struct dpt_pkt_meta *meta = dpt_meta(m[i]);
	struct msghdr *mh = &sp->tmsg[k].msg_hdr;
	unsigned int first_iov = *niov;
	uint32_t size = m[i]->pkt_len, total = size;
	uint16_t j = (uint16_t)(i + 1);
	int fd = sp->fd_by_port[meta->server_port];

	sp->tfirst[k] = i;
	sp->tcount[k] = 1;
	if (fd < 0 || (sp->family == AF_INET && meta->family != AF_INET) ||
	    !add_iov(sp, niov, m[i]))
		return -1;
	/* Same size all along; a shorter one may only end the run. */
	while (sp->gso && j < n && j - i < GSO_MAX_SEGS &&
	       m[j - 1]->pkt_len == size && m[j]->pkt_len <= size &&
	       total + m[j]->pkt_len <= GSO_MAX_BYTES &&
	       same_flow(sp, meta, dpt_meta(m[j]))) {
		unsigned int mark = *niov;

		if (!add_iov(sp, niov, m[j])) {
			*niov = mark;
			break;
		}
		total += m[j]->pkt_len;
		j++;
	}
	sp->tcount[k] = (uint16_t)(j - i);
	memset(mh, 0, sizeof(*mh));
	mh->msg_iov = &sp->tiov[first_iov];
	mh->msg_iovlen = *niov - first_iov;
	mh->msg_name = &sp->tname[k];
	mh->msg_namelen = meta_to_sa(sp->family, meta->family, meta->client_ip,
				     meta->client_port, &sp->tname[k]);
	mh->msg_control = sp->tctrl[k];
	if (sp->wildcard)
		add_pktinfo(sp, mh, meta);
	if (sp->tcount[k] > 1) {
		uint16_t seg = (uint16_t)size;

		add_cmsg(mh, SOL_UDP, UDP_SEGMENT, &seg, sizeof(seg));
	}
	if (mh->msg_controllen == 0)
		mh->msg_control = NULL;
	return fd;
}

/* Message k is gone: count its datagrams and free their mbufs. */
static void
sent(struct dpt_port *p, struct sock_priv *sp, unsigned int k,
     struct rte_mbuf **m)
{
	uint16_t i;

	for (i = sp->tfirst[k]; i < sp->tfirst[k] + sp->tcount[k]; i++) {
		p->cnt.tx_pkts++;
		p->cnt.tx_bytes += m[i]->pkt_len;
		rte_pktmbuf_free(m[i]);
	}
	if (sp->tcount[k] > 1) {
		sp->gso_sends++;
		sp->gso_datagrams += sp->tcount[k];
	}
}

uint16_t
sock_tx_burst(struct dpt_port *p, uint16_t q, struct rte_mbuf **m, uint16_t n)
{
	struct sock_priv *sp = p->priv;
	int fds[SOCK_BURST];
	unsigned int n_msg = 0, niov = 0, k, l;
	uint16_t i = 0, taken = 0;

	if (n > SOCK_BURST)
		n = SOCK_BURST;
	while (i < n) {
		fds[n_msg] = build_msg(sp, n_msg, m, i, n, &niov);
		i = (uint16_t)(i + sp->tcount[n_msg]);
		n_msg++;
	}
	k = 0;
	while (k < n_msg) {
		int r;

		if (fds[k] < 0) {		/* nowhere to send it from */
			p->cnt.tx_errors += sp->tcount[k];
			for (i = 0; i < sp->tcount[k]; i++)
				rte_pktmbuf_free(m[sp->tfirst[k] + i]);
			taken = (uint16_t)(sp->tfirst[k] + sp->tcount[k]);
			k++;
			continue;
		}
		for (l = k + 1; l < n_msg && fds[l] == fds[k]; l++)
			;
		r = sendmmsg(fds[k], &sp->tmsg[k], l - k, MSG_DONTWAIT);
		if (r < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == ENOBUFS || errno == EINTR)
				break;		/* full: the caller retries */
			if (sp->tcount[k] > 1 &&
			    (errno == EIO || errno == EINVAL)) {
				/* No GSO on this path after all: the retry
				 * sends them one by one. */
				sp->gso = false;
				PORT_LOG(NOTICE, "UDP GSO refused (%s): sending "
					 "datagrams one by one\n",
					 strerror(errno));
				break;
			}
			p->cnt.tx_errors += sp->tcount[k];	/* refused */
			for (i = 0; i < sp->tcount[k]; i++)
				rte_pktmbuf_free(m[sp->tfirst[k] + i]);
			taken = (uint16_t)(sp->tfirst[k] + sp->tcount[k]);
			k++;
			continue;
		}
		for (; r > 0; r--, k++)
			sent(p, sp, k, m);
		taken = k < n_msg ? sp->tfirst[k] : n;
		if (k < l)		/* partly sent: the socket is full */
			break;
	}
	return taken;
}
