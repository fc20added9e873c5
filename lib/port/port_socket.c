/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The socket backend: one listening UDP socket plus session sockets bound
 * at start to random ports of each worker's share of the range. The RX
 * lcore learns which sockets are readable from epoll (never blocking but
 * in its idle wait) and drains them with recvmmsg into mbufs; the TX lcore
 * sends with sendmmsg, from the socket of the reply's server port and, when
 * bound to a wildcard address, from the address the request came to
 * (IP_PKTINFO), so multi-homed hosts answer from the right address.
 */

#define _GNU_SOURCE	/* recvmmsg(), struct in6_pktinfo */

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>

#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "port_socket.h"

/* Reads a peer address into meta form: v4-mapped IPv6 becomes IPv4. */
static void
sa_to_meta(const struct sockaddr_storage *ss, uint8_t *family, uint8_t *ip,
	   uint16_t *port)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;

		*family = AF_INET;
		memcpy(ip, &s4->sin_addr, 4);
		*port = ntohs(s4->sin_port);
		return;
	}
	{
		const struct sockaddr_in6 *s6 = (const void *)ss;

		*port = ntohs(s6->sin6_port);
		if (memcmp(&s6->sin6_addr, v4mapped_prefix, 12) == 0) {
			*family = AF_INET;
			memcpy(ip, s6->sin6_addr.s6_addr + 12, 4);
		} else {
			*family = AF_INET6;
			memcpy(ip, &s6->sin6_addr, 16);
		}
	}
}

/*
 * When the kernel took a datagram in (SCM_TIMESTAMPNS, asked for on the
 * listening socket), as a TSC value: now_tsc less its age. Datagrams with
 * none (session sockets) count from now.
 */
static uint64_t
rx_tsc_of(struct msghdr *mh, const struct timespec *now_real,
	  uint64_t now_tsc, uint64_t hz)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;
			int64_t age_ns;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			age_ns = (int64_t)(now_real->tv_sec - ts.tv_sec) *
				 1000000000 + (now_real->tv_nsec - ts.tv_nsec);
			if (age_ns <= 0)
				return now_tsc;
			if (age_ns > 1000000000LL * 3600)
				age_ns = 1000000000LL * 3600;
			return now_tsc - (uint64_t)((double)age_ns * 1e-9 *
						    (double)hz);
		}
	}
	return now_tsc;
}

/* The local address a datagram came to, from its pktinfo. */
static void
pktinfo_dst(struct msghdr *mh, struct dpt_pkt_meta *meta)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			const struct in_pktinfo *pi = (const void *)CMSG_DATA(c);

			memcpy(meta->server_ip, &pi->ipi_addr, 4);
			return;
		}
		if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO) {
			const struct in6_pktinfo *pi = (const void *)CMSG_DATA(c);

			if (memcmp(&pi->ipi6_addr, v4mapped_prefix, 12) == 0)
				memcpy(meta->server_ip,
				       pi->ipi6_addr.s6_addr + 12, 4);
			else
				memcpy(meta->server_ip, &pi->ipi6_addr, 16);
			return;
		}
	}
}

/* Drains one readable socket into m[0..n); returns datagrams received and
 * whether the socket may hold more. */
static uint16_t
rx_socket(struct dpt_port *p, struct sock_priv *sp, int fd, uint16_t sport,
	  struct rte_mbuf **m, uint16_t n, bool *more)
{
	struct timespec now_real;
	uint64_t now_tsc;
	uint16_t i, got = 0;
	int r;

	*more = false;
	if (rte_pktmbuf_alloc_bulk(sp->pool, m, n) != 0) {
		p->cnt.rx_nombuf++;
		return 0;
	}
	for (i = 0; i < n; i++) {
		struct msghdr *mh = &sp->rmsg[i].msg_hdr;

		sp->riov[i].iov_base = rte_pktmbuf_mtod(m[i], void *);
		sp->riov[i].iov_len = rte_pktmbuf_tailroom(m[i]);
		mh->msg_iov = &sp->riov[i];
		mh->msg_iovlen = 1;
		mh->msg_name = &sp->rname[i];
		mh->msg_namelen = sizeof(sp->rname[i]);
		mh->msg_control = sp->rctrl[i];
		mh->msg_controllen = CTRL_LEN;
		mh->msg_flags = 0;
	}
	r = recvmmsg(fd, sp->rmsg, n, MSG_DONTWAIT, NULL);
	if (r < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			p->cnt.rx_errors++;
		r = 0;
	}
	now_tsc = rte_rdtsc();
	if (r > 0 && fd == sp->listen_fd)
		clock_gettime(CLOCK_REALTIME, &now_real);	/* the vDSO's */
	*more = r == n;
	for (i = 0; i < (uint16_t)r; i++) {
		struct msghdr *mh = &sp->rmsg[i].msg_hdr;
		struct rte_mbuf *mb = m[i];
		struct dpt_pkt_meta *meta;

		if (mh->msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
			p->cnt.rx_truncated++;
			rte_pktmbuf_free(mb);
			continue;
		}
		mb->data_len = (uint16_t)sp->rmsg[i].msg_len;
		mb->pkt_len = sp->rmsg[i].msg_len;
		meta = dpt_meta(mb);
		memset(meta, 0, sizeof(*meta));
		sa_to_meta(&sp->rname[i], &meta->family, meta->client_ip,
			   &meta->client_port);
		meta->server_port = sport;
		meta->port_id = p->id;
		if (sp->wildcard)
			pktinfo_dst(mh, meta);
		else
			memcpy(meta->server_ip, sp->bound_ip, 16);
		meta->rx_tsc = fd == sp->listen_fd ?
			       rx_tsc_of(mh, &now_real, now_tsc, sp->tsc_hz) :
			       now_tsc;
		p->cnt.rx_pkts++;
		p->cnt.rx_bytes += mb->pkt_len;
		m[got++] = mb;
	}
	if ((uint16_t)r < n)
		rte_pktmbuf_free_bulk(m + r, n - (uint16_t)r);
	return got;
}

/*
 * Sessions' sockets before the listening one: a client that sends its
 * final ACK and at once a new request from the same port (iPXE, any
 * client reusing ports) has them read in that order, so the transfer
 * completes before the request that follows it arrives.
 */
static void
listen_last(struct sock_priv *sp)
{
	int i;

	for (i = 0; i + 1 < sp->n_ev; i++) {
		if ((int)(uint32_t)sp->ev[i].data.u64 == sp->listen_fd) {
			struct epoll_event e = sp->ev[i];

			sp->ev[i] = sp->ev[sp->n_ev - 1];
			sp->ev[sp->n_ev - 1] = e;
			return;
		}
	}
}

static uint16_t
sock_rx_burst(struct dpt_port *p, uint16_t q, struct rte_mbuf **m, uint16_t n)
{
	struct sock_priv *sp = p->priv;
	uint16_t got = 0;

	if (sp->ev_pos >= sp->n_ev) {
		sp->n_ev = epoll_wait(sp->ep, sp->ev, SOCK_EVENTS, 0);
		sp->ev_pos = 0;
		if (sp->n_ev < 0)
			sp->n_ev = 0;
		sp->ev_full = sp->n_ev == SOCK_EVENTS;
		listen_last(sp);
	}
	while (got < n && sp->ev_pos < sp->n_ev) {
		uint64_t d = sp->ev[sp->ev_pos].data.u64;
		bool more;

		got += rx_socket(p, sp, (int)(uint32_t)d, (uint16_t)(d >> 32),
				 m + got, n - got, &more);
		if (!more)	/* drained; else the burst is full: keep it */
			sp->ev_pos++;
	}
	/* Sockets still to read in this round, or more of them ready than
	 * one epoll_wait() tells. */
	p->rx_more = sp->ev_pos < sp->n_ev || sp->ev_full;
	return got;
}

static int
sock_wait_fd(struct dpt_port *p)
{
	struct sock_priv *sp = p->priv;

	return sp->ep;	/* an epoll fd polls readable when one socket is */
}

static void
sock_stats(struct dpt_port *p, FILE *f, bool lifetime)
{
	struct sock_priv *sp = p->priv;

	fprintf(f, "Sockets: %d\nUDP-GSO: %s\nGSO-sends: %llu\n"
		"GSO-datagrams: %llu\n", sp->n_fds, sp->gso ? "on" : "off",
		(unsigned long long)sp->gso_sends,
		(unsigned long long)sp->gso_datagrams);
}

static void
sock_info(struct dpt_port *p, FILE *f)
{
	struct sock_priv *sp = p->priv;

	fprintf(f, "Sockets: %d\nFamily: %s\n", sp->n_fds,
		sp->family == AF_INET6 ? "IPv6" : "IPv4");
}

static void
sock_xstats(struct dpt_port *p, FILE *f)
{
	fprintf(f, "xstats: none (socket backend)\n");
}

/* The kernel's socket counters are not ours to reset: only the baseline. */
static void
sock_clear(struct dpt_port *p)
{
	dpt_port_counters_rebase(p);
}

static void
sock_close(struct dpt_port *p)
{
	struct sock_priv *sp = p->priv;
	int port;

	if (sp == NULL)
		return;
	if (sp->fd_by_port != NULL) {
		for (port = 0; port < 65536; port++)
			if (sp->fd_by_port[port] >= 0)
				close(sp->fd_by_port[port]);
		rte_free(sp->fd_by_port);
	}
	if (sp->ep >= 0)
		close(sp->ep);
	rte_free(sp);
	rte_free(p);
}

static const struct dpt_port_ops sock_ops = {
	.name = "socket",
	.rx_burst = sock_rx_burst,
	.tx_burst = sock_tx_burst,
	.wait_fd = sock_wait_fd,
	.stats = sock_stats,
	.close = sock_close,
	.info = sock_info,
	.xstats = sock_xstats,
	.clear = sock_clear,
};

/* Opens a non-blocking UDP socket bound to addr:port; fd or -errno. */
static int
sock_bind(const struct dpt_conf_addr *addr, uint16_t port, bool pktinfo,
	  int rcvbuf)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, on = 1, off = 0, e;

	fd = socket(addr->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (addr->family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	if (pktinfo) {
		if (addr->family == AF_INET)
			setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
		else
			setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
				   sizeof(on));
	}
	if (rcvbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	len = meta_to_sa(addr->family, (uint8_t)addr->family,
			 (const uint8_t *)&addr->v6, port, &ss);
	if (addr->family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_addr = addr->v4;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

static int
sock_watch(struct sock_priv *sp, int fd, uint16_t port)
{
	struct epoll_event ev = {
		.events = EPOLLIN,
		.data.u64 = (uint64_t)(uint32_t)fd | (uint64_t)port << 32,
	};

	if (epoll_ctl(sp->ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	sp->fd_by_port[port] = fd;
	sp->n_fds++;
	return 0;
}

/* Raises the open-file limit so every session socket fits. */
static int
raise_nofile(uint64_t need, char *err, size_t errlen)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	if (rl.rlim_cur >= need)
		return 0;
	rl.rlim_cur = rl.rlim_max >= need ? need : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < need) {
		snprintf(err, errlen, "%llu session sockets need more open "
			 "files than the limit %llu (lower --max-sessions or "
			 "raise ulimit -n)", (unsigned long long)need,
			 (unsigned long long)rl.rlim_cur);
		return -EMFILE;
	}
	return 0;
}

/* Binds up to want session sockets on random ports of worker w's share. */
static int
bind_share(struct sock_priv *sp, const struct dpt_conf *conf,
	   unsigned int w, unsigned int n_workers, uint32_t want,
	   struct dpt_port_share *share)
{
	uint32_t n_cand, i, k = 0;
	uint16_t *cand;

	if (port_share_candidates(conf, w, n_workers, &cand, &n_cand) < 0)
		return -ENOMEM;
	/* Bind in the shuffled order; the bound ones stay in cand[0..k). */
	for (i = 0; i < n_cand && k < want; i++) {
		int fd = sock_bind(&conf->listen, cand[i], sp->wildcard, 0);

		if (fd < 0)
			continue;	/* in use by someone else: skip it */
		if (sock_watch(sp, fd, cand[i]) < 0) {
			close(fd);
			continue;
		}
		cand[k++] = cand[i];
	}
	share->ports = cand;
	share->n = k;
	return k > 0 ? 0 : -EADDRINUSE;
}

static bool
addr_is_wildcard(const struct dpt_conf_addr *a)
{
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;

	if (a->family == AF_INET)
		return a->v4.s_addr == htonl(INADDR_ANY);
	return memcmp(&a->v6, &any6, sizeof(any6)) == 0;
}

/* The listening socket, watched by the backend's epoll: 0 or a negative
 * errno, with err. */
static int
listen_open(struct sock_priv *sp, const struct dpt_conf *conf, char *err,
	    size_t errlen)
{
	char abuf[64];
	int fd, rc;

	fd = sock_bind(&conf->listen, conf->listen.port, sp->wildcard,
		       4 << 20);
	if (fd < 0) {
		snprintf(err, errlen, "cannot bind %s: %s%s",
			 dpt_conf_addr_str(&conf->listen, abuf, sizeof(abuf)),
			 strerror(-fd), fd == -EACCES ?
			 " (a port below 1024 needs root or "
			 "CAP_NET_BIND_SERVICE: setcap cap_net_bind_service+ep "
			 "on dptftpd, or AmbientCapabilities= under systemd; "
			 "dptftpd drops it once bound)" : "");
		return fd;
	}
	sp->listen_fd = fd;
	/* Requests carry when the kernel took them in: a copy that waited
	 * in a deep queue is told from a new request (lib/dp). */
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &(int){ 1 }, sizeof(int));
	sp->tsc_hz = rte_get_tsc_hz();
	sp->gso = sock_gso_probe(fd);
	rc = sock_watch(sp, fd, conf->listen.port);
	if (rc < 0) {
		close(fd);
		snprintf(err, errlen, "epoll_ctl: %s", strerror(-rc));
	}
	return rc;
}

/* The port and its private part, as conf says, nothing opened yet. */
static struct dpt_port *
port_alloc(const struct dpt_conf *conf, struct rte_mempool *pool)
{
	struct dpt_port *p = rte_zmalloc("dpt_port", sizeof(*p), 0);
	struct sock_priv *sp = rte_zmalloc("dpt_sock", sizeof(*sp),
					   RTE_CACHE_LINE_SIZE);
	int i;

	if (p == NULL || sp == NULL) {
		rte_free(p);
		rte_free(sp);
		return NULL;
	}
	p->ops = &sock_ops;
	p->priv = sp;
	p->n_rxq = p->n_txq = 1;
	p->multi_seg = true;		/* sendmmsg takes an iovec per segment */
	/* Unless --blksize-max says otherwise, blocks fit an Ethernet path
	 * unfragmented (1468 over IPv4, 1448 over IPv6); a configured ceiling
	 * is taken as it is: the kernel fragments. */
	p->mtu = conf->blksize_max != 0 ? UINT16_MAX : 1500;
	p->listen_port = conf->listen.port;
	snprintf(p->name, sizeof(p->name), "socket");
	sp->ep = -1;
	sp->listen_fd = -1;
	sp->pool = pool;
	sp->family = conf->listen.family;
	sp->wildcard = addr_is_wildcard(&conf->listen);
	if (conf->listen.family == AF_INET)
		memcpy(sp->bound_ip, &conf->listen.v4, 4);
	else
		memcpy(sp->bound_ip, &conf->listen.v6, 16);
	sp->fd_by_port = rte_malloc(NULL, sizeof(int) * 65536, 0);
	if (sp->fd_by_port != NULL)
		for (i = 0; i < 65536; i++)
			sp->fd_by_port[i] = -1;
	return p;
}

struct dpt_port *
dpt_port_socket_open(const struct dpt_conf *conf, unsigned int n_workers,
		     uint32_t per_worker, struct dpt_port_share *shares,
		     struct rte_mempool *pool, char *err, size_t errlen)
{
	struct dpt_port *p = port_alloc(conf, pool);
	struct sock_priv *sp;
	unsigned int w;
	int rc;

	if (p == NULL) {
		snprintf(err, errlen, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	sp = p->priv;
	if (sp->fd_by_port == NULL) {
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	rc = raise_nofile((uint64_t)per_worker * n_workers + 64, err, errlen);
	if (rc < 0)
		goto fail;
	sp->ep = epoll_create1(EPOLL_CLOEXEC);
	if (sp->ep < 0) {
		rc = -errno;
		snprintf(err, errlen, "epoll_create1: %s", strerror(errno));
		goto fail;
	}
	rc = listen_open(sp, conf, err, errlen);
	if (rc < 0)
		goto fail;
	for (w = 0; w < n_workers && per_worker != 0; w++) {
		rc = bind_share(sp, conf, w, n_workers, per_worker, &shares[w]);
		if (rc < 0) {
			snprintf(err, errlen, "no free session port in %u:%u "
				 "for worker %u", conf->port_lo, conf->port_hi,
				 w);
			goto fail;
		}
		if (shares[w].n < per_worker)
			PORT_LOG(WARNING, "worker %u: %u of %u session ports "
				 "bound (others in use)\n", w, shares[w].n,
				 per_worker);
	}
	return p;
fail:
	for (w = 0; w < n_workers; w++)
		dpt_port_share_free(&shares[w]);
	sock_close(p);
	errno = -rc;
	return NULL;
}

