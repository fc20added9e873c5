/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The kernel-socket backend. Each transfer has a UDP socket of its own,
 * connected to the server's TID after the first reply so the kernel
 * drops every other sender. Each thread owns its slots outright: an epoll
 * set, a timer heap, batches of recvmmsg/sendmmsg, its own counters; the
 * threads share only the plan's transfer count and stop flag.
 */

#define _GNU_SOURCE	/* recvmmsg(), sendmmsg() */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "bench_sock.h"

#define RX_BATCH DPT_BENCH_RX_BATCH
#define TX_BATCH DPT_BENCH_TX_BATCH
#define EV_BATCH 256		/* events per epoll wait */
#define POLL_MAX_US 50000	/* how late a stop request may be seen */

static struct sock_slot *
slot_of(struct dpt_bench_xfer *x)
{
	return (struct sock_slot *)((char *)x -
				    offsetof(struct sock_slot, s.x));
}

static bool
same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		      &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
}

static bool
same_peer(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	/* sin_port and sin6_port sit at the same offset */
	return same_host(a, b) && ((const struct sockaddr_in *)a)->sin_port ==
				  ((const struct sockaddr_in *)b)->sin_port;
}

/* ------------------------------------------------------------------ */
/* Transmit: one batch, for one socket at a time                       */
/* ------------------------------------------------------------------ */

static void
tx_flush(struct sock_thread *t)
{
	struct sock_slot *ss = t->tx_owner;
	unsigned int i, sent = 0;
	int r;

	for (i = 0; i < t->tx_n; i++) {
		t->tx_msg[i].msg_hdr.msg_name = ss->connected ? NULL :
						&t->server;
		t->tx_msg[i].msg_hdr.msg_namelen = ss->connected ? 0 :
						   t->server_len;
	}
	while (sent < t->tx_n) {
		r = sendmmsg(ss->fd, t->tx_msg + sent, t->tx_n - sent, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			/* Full socket buffer: the retransmission timer
			 * recovers, as after a loss. */
			if (errno == ECONNREFUSED)
				ss->refused = true;
			t->l.st->tx_dropped += t->tx_n - sent;
			break;
		}
		sent += (unsigned int)r;
	}
	t->l.st->pkts_out += sent;
	t->tx_n = 0;
	t->tx_owner = NULL;
}

uint8_t *
dpt_bench_sock_tx_buf(void *ctx, struct dpt_bench_xfer *x)
{
	struct sock_thread *t = ctx;
	struct sock_slot *ss = slot_of(x);

	if (t->tx_n != 0 && (t->tx_owner != ss || t->tx_n == TX_BATCH))
		tx_flush(t);
	t->tx_owner = ss;
	return t->tx_mem + t->tx_n * t->buf_cap;
}

void
dpt_bench_sock_tx_push(void *ctx, struct dpt_bench_xfer *x, size_t len)
{
	struct sock_thread *t = ctx;

	t->tx_iov[t->tx_n].iov_len = len;
	t->tx_n++;
}

/* ------------------------------------------------------------------ */
/* Slots                                                               */
/* ------------------------------------------------------------------ */

static void
set_buf(int fd, int force, int plain, int bytes)
{
	/* FORCE passes rmem_max/wmem_max but needs CAP_NET_ADMIN; a smaller
	 * buffer only costs drops, which retransmissions recover. */
	if (setsockopt(fd, SOL_SOCKET, force, &bytes, sizeof(bytes)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, plain, &bytes, sizeof(bytes));
}

/*
 * Binds fd to the thread's next source port. The kernel's own choice may
 * hand a port straight back to the next transfer, which then meets a
 * server's late datagrams for the last one; walking the ephemeral range in
 * turn (each thread its own stride) brings a port back only after the
 * whole range. Ports in use are skipped.
 */
static int
bind_next_port(struct sock_thread *t, int fd)
{
	struct sockaddr_storage a = t->local;
	unsigned int tries;
	uint16_t port;

	for (tries = 0; tries < 64; tries++) {
		port = (uint16_t)(t->port_lo + t->port_next % t->port_span);
		t->port_next += t->l.p->n_threads;
		((struct sockaddr_in *)&a)->sin_port = htons(port);
		if (bind(fd, (const struct sockaddr *)&a, t->local_len) == 0)
			return 0;
		if (errno != EADDRINUSE)
			return -errno;
	}
	return -EADDRINUSE;
}

/* A socket for one transfer, in the epoll set; 0 or -errno. */
static int
slot_open(struct sock_thread *t, struct sock_slot *ss)
{
	const struct dpt_bench_opts *o = t->l.p->o;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = ss };
	int fd, err;

	fd = socket(o->server_addr.ss_family,
		    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (t->rcvbuf != 0)
		set_buf(fd, SO_RCVBUFFORCE, SO_RCVBUF, t->rcvbuf);
	if (t->sndbuf != 0)
		set_buf(fd, SO_SNDBUFFORCE, SO_SNDBUF, t->sndbuf);
	if (o->reuse_ports) {
		struct sockaddr_storage a = t->local;

		((struct sockaddr_in *)&a)->sin_port = 0;
		err = bind(fd, (const struct sockaddr *)&a, t->local_len) < 0 ?
		      -errno : 0;
	} else {
		err = bind_next_port(t, fd);
	}
	if (err < 0) {
		close(fd);
		return err;
	}
	if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	ss->fd = fd;
	ss->connected = false;
	ss->refused = false;
	return 0;
}

static int
sock_open(struct dpt_bench_loop *l, struct dpt_bench_slot *s)
{
	return slot_open((struct sock_thread *)l, (struct sock_slot *)s);
}

static void
sock_close(struct dpt_bench_loop *l, struct dpt_bench_slot *s)
{
	struct sock_slot *ss = (struct sock_slot *)s;

	/* Closing a UDP socket frees it whatever close() says; nothing is
	 * left to retry. */
	(void)close(ss->fd);
	ss->fd = -1;
}

static void
sock_flush(struct dpt_bench_loop *l, struct dpt_bench_slot *s, uint64_t now)
{
	struct sock_thread *t = (struct sock_thread *)l;
	struct sock_slot *ss = (struct sock_slot *)s;

	if (t->tx_n != 0)
		tx_flush(t);
	if (ss->refused && s->x.state != DPT_BENCH_X_DONE)
		dpt_bench_xfer_fail(&s->x, &l->io, DPT_BENCH_UNREACHABLE, false,
				    now);
}

const struct dpt_bench_loop_ops dpt_bench_sock_ops = {
	.open = sock_open,
	.close = sock_close,
	.flush = sock_flush,
};

/* ------------------------------------------------------------------ */
/* Receive                                                             */
/* ------------------------------------------------------------------ */

/* Checks a datagram's sender; the first reply fixes the server's TID. */
static bool
from_server(struct sock_thread *t, struct sock_slot *ss,
	    const struct sockaddr_storage *from, const uint8_t *p,
	    size_t plen)
{
	const struct dpt_bench_opts *o = t->l.p->o;
	socklen_t len;

	if (ss->connected)
		return same_peer(from, &ss->peer);
	if (!same_host(from, &o->server_addr) ||
	    (!o->naive_tid && !dpt_bench_xfer_first_reply(&ss->s.x, p, plen)))
		return false;
	len = from->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
					   sizeof(struct sockaddr_in6);
	if (connect(ss->fd, (const struct sockaddr *)from, len) < 0)
		return false;	/* unfiltered: our own checks still hold */
	ss->connected = true;
	ss->peer = *from;
	return true;
}

static void
slot_rx(struct sock_thread *t, struct sock_slot *ss)
{
	struct dpt_bench_xfer *x = &ss->s.x;
	uint64_t now;
	size_t len;
	int n, i;

	do {
		for (i = 0; i < RX_BATCH; i++)	/* the kernel shrinks it */
			t->rx_msg[i].msg_hdr.msg_namelen =
				sizeof(t->rx_from[i]);
		n = recvmmsg(ss->fd, t->rx_msg, RX_BATCH, MSG_DONTWAIT, NULL);
		now = dpt_bench_now();
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EINTR)
				continue;
			dpt_bench_xfer_fail(x, &t->l.io, errno == ECONNREFUSED ?
					    DPT_BENCH_UNREACHABLE :
					    DPT_BENCH_SOCKET, false, now);
			dpt_bench_loop_after(&t->l, &ss->s, now);
			return;
		}
		t->l.st->pkts_in += (uint64_t)n;
		for (i = 0; i < n && x->state != DPT_BENCH_X_DONE; i++) {
			/* A datagram cut short was longer than any blksize
			 * we asked: the transfer sees it as oversized. */
			len = (t->rx_msg[i].msg_hdr.msg_flags & MSG_TRUNC) ?
			      t->buf_cap : t->rx_msg[i].msg_len;
			if (!from_server(t, ss, &t->rx_from[i],
					 t->rx_iov[i].iov_base, len)) {
				t->l.st->stray++;
				continue;
			}
			dpt_bench_xfer_input(x, &t->l.io, t->rx_iov[i].iov_base,
					     len, now);
		}
		dpt_bench_loop_after(&t->l, &ss->s, now);
	} while (n == RX_BATCH && ss->s.busy);
}

/* ------------------------------------------------------------------ */
/* The thread                                                          */
/* ------------------------------------------------------------------ */

static int
wait_events(struct sock_thread *t, struct epoll_event *ev, uint64_t now)
{
	uint64_t next = dpt_bench_heap_next(&t->l.heap), wait_us;
	struct timespec ts;
	int n;

	wait_us = next <= now ? 0 : next - now;
	if (wait_us > POLL_MAX_US)
		wait_us = POLL_MAX_US;
	/* Spinning spares the server a wake-up of ours per datagram. */
	if (t->l.p->o->busy_poll && t->l.active > 0)
		wait_us = 0;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)(wait_us * 1000);
	n = epoll_pwait2(t->epfd, ev, EV_BATCH, &ts, NULL);
	if (n < 0 && errno == ENOSYS)	/* before Linux 5.11: ms only */
		n = epoll_wait(t->epfd, ev, EV_BATCH,
			       (int)((wait_us + 999) / 1000));
	return n;
}

void *
dpt_bench_sock_thread(void *arg)
{
	struct sock_thread *t = arg;
	struct epoll_event ev[EV_BATCH];
	uint64_t now = dpt_bench_now(), before;
	bool spin = t->l.p->o->busy_poll;
	int n, i;

	while (t->l.n_live > 0) {
		dpt_bench_loop_see_stop(&t->l, now);
		before = now;
		n = wait_events(t, ev, now);
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, DPT_BENCH_PROG ": epoll_wait: %s\n",
				strerror(errno));
			__atomic_store_n(&t->l.p->stop, DPT_BENCH_STOP_NOW,
					 __ATOMIC_RELAXED);
		}
		for (i = 0; i < n; i++)
			slot_rx(t, ev[i].data.ptr);
		now = dpt_bench_now();
		/* An empty turn's time is idle, not load. Wall time stands for
		 * CPU time on a CPU of our own, which spinning wants anyway;
		 * the thread's CPU clock would cost a system call a turn. */
		if (spin && n == 0 && dpt_bench_heap_next(&t->l.heap) > now)
			t->l.st->idle_us += now - before;
		dpt_bench_loop_timers(&t->l, now);
	}
	dpt_bench_loop_done(&t->l);
	return NULL;
}

