/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Setting the socket backend up and down: per-thread memory, socket
 * buffer sizes, the open-files limit, the threads themselves.
 */

#define _GNU_SOURCE	/* struct mmsghdr */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>

#include "bench_sock.h"

#define RCVBUF_DEFAULT 212992	/* Linux's rmem_default */

/* ------------------------------------------------------------------ */
/* Setup                                                               */
/* ------------------------------------------------------------------ */

/* Room for one datagram a window holds, as the kernel counts it (an skb
 * per fragment of a 1500-byte MTU). */
static int
window_bytes(const struct dpt_bench_xcfg *c, uint32_t windowsize)
{
	uint64_t per = (c->payload_max / 1400 + 1) * 2304ull + 1024;
	uint64_t need = (uint64_t)windowsize * per + 65536;

	if (need <= RCVBUF_DEFAULT)
		return 0;
	return need > INT32_MAX / 2 ? INT32_MAX / 2 : (int)need;
}

/* The source address, and where the kernel hands out source ports. */
static void
local_address(struct sock_thread *t, const struct dpt_bench_opts *o)
{
	unsigned int lo = 32768, hi = 60999;
	FILE *f;

	if (o->bind != NULL) {
		t->local = o->bind_addr;
		t->local_len = o->bind_len;
	} else {
		memset(&t->local, 0, sizeof(t->local));
		t->local.ss_family = o->server_addr.ss_family;
		t->local_len = o->server_addr.ss_family == AF_INET ?
			       sizeof(struct sockaddr_in) :
			       sizeof(struct sockaddr_in6);
	}
	f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	if (f != NULL) {	/* unreadable: Linux's default range */
		if (fscanf(f, "%u %u", &lo, &hi) != 2 || lo == 0 || hi < lo ||
		    hi > 65535) {
			lo = 32768;
			hi = 60999;
		}
		fclose(f);
	}
	t->port_lo = lo;
	t->port_span = hi - lo + 1;
	t->port_next = t->l.idx;
}

static int
thread_init(struct sock_thread *t, struct dpt_bench_plan *p,
	    struct dpt_bench_stats *st, unsigned int idx)
{
	uint32_t k, window = p->o->windowsize != 0 ? p->o->windowsize : 1;
	unsigned int i;
	int rc;

	rc = dpt_bench_loop_init(&t->l, p, st, idx, &dpt_bench_sock_ops,
				 sizeof(struct sock_slot));
	if (rc < 0)
		return rc;
	for (k = 0; k < t->l.n_slots; k++)
		((struct sock_slot *)dpt_bench_loop_slot(&t->l, k))->fd = -1;
	t->server = p->o->server_addr;
	t->server_len = p->o->server_len;
	local_address(t, p->o);
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (t->epfd < 0)
		return -errno;
	t->buf_cap = DPT_TFTP_HDR_LEN + p->xcfg.payload_max + 8;
	if (t->buf_cap < 1024)
		t->buf_cap = 1024;
	t->rx_mem = malloc(DPT_BENCH_RX_BATCH * t->buf_cap);
	t->tx_mem = malloc(DPT_BENCH_TX_BATCH * t->buf_cap);
	if (t->rx_mem == NULL || t->tx_mem == NULL)
		return -ENOMEM;
	for (i = 0; i < DPT_BENCH_RX_BATCH; i++) {
		t->rx_iov[i].iov_base = t->rx_mem + i * t->buf_cap;
		t->rx_iov[i].iov_len = t->buf_cap;
		t->rx_msg[i].msg_hdr.msg_iov = &t->rx_iov[i];
		t->rx_msg[i].msg_hdr.msg_iovlen = 1;
		t->rx_msg[i].msg_hdr.msg_name = &t->rx_from[i];
		t->rx_msg[i].msg_hdr.msg_namelen = sizeof(t->rx_from[i]);
	}
	for (i = 0; i < DPT_BENCH_TX_BATCH; i++) {
		t->tx_iov[i].iov_base = t->tx_mem + i * t->buf_cap;
		t->tx_msg[i].msg_hdr.msg_iov = &t->tx_iov[i];
		t->tx_msg[i].msg_hdr.msg_iovlen = 1;
	}
	if (p->o->op == DPT_TFTP_RRQ)
		t->rcvbuf = window_bytes(&p->xcfg, window);
	else
		t->sndbuf = window_bytes(&p->xcfg, window);
	t->l.io.tx_buf = dpt_bench_sock_tx_buf;
	t->l.io.tx_push = dpt_bench_sock_tx_push;
	t->l.io.ctx = t;
	return 0;
}

static void
thread_fini(struct sock_thread *t)
{
	struct sock_slot *ss;
	uint32_t k;

	for (k = 0; t->l.slots != NULL && k < t->l.n_slots; k++) {
		ss = (struct sock_slot *)dpt_bench_loop_slot(&t->l, k);
		if (ss->fd >= 0)
			(void)close(ss->fd);
	}
	if (t->epfd >= 0)
		(void)close(t->epfd);
	free(t->rx_mem);
	free(t->tx_mem);
	dpt_bench_loop_fini(&t->l);
}

/* One descriptor per slot, plus a few: raise the soft limit (and, as
 * root, the hard one) when that is not enough. */
static int
raise_fd_limit(uint64_t need, char *err, size_t err_len)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0) {
		snprintf(err, err_len, "getrlimit(RLIMIT_NOFILE): %s",
			 strerror(errno));
		return -1;
	}
	if (rl.rlim_cur >= need)
		return 0;
	rl.rlim_cur = need;
	if (rl.rlim_max < need)
		rl.rlim_max = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
		return 0;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max >= need) {
		rl.rlim_cur = need;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			return 0;
	}
	snprintf(err, err_len, "%llu sessions need %llu open files; the "
		 "limit is %llu (raise it with ulimit -n)",
		 (unsigned long long)(need - 64), (unsigned long long)need,
		 (unsigned long long)rl.rlim_max);
	return -1;
}

int
dpt_bench_sock_start(struct dpt_bench_plan *p, struct dpt_bench_stats *stats,
		     char *err, size_t err_len)
{
	const struct dpt_bench_opts *o = p->o;
	struct sock_run *run;
	sigset_t all, old;
	unsigned int i;
	int rc;

	if (raise_fd_limit((uint64_t)(o->run_mode == DPT_BENCH_MODE_STORM ?
				      o->storm : o->concurrency) + 64,
			   err, err_len) < 0)
		return -1;
	run = calloc(1, sizeof(*run));
	if (run != NULL)
		run->t = aligned_alloc(64, p->n_threads * sizeof(*run->t));
	if (run == NULL || run->t == NULL) {
		snprintf(err, err_len, "out of memory for %u threads",
			 p->n_threads);
		free(run);
		return -1;
	}
	memset(run->t, 0, p->n_threads * sizeof(*run->t));
	run->n = p->n_threads;
	p->backend_ctx = run;
	for (i = 0; i < run->n; i++)
		run->t[i].epfd = -1;
	for (i = 0; i < run->n; i++) {
		rc = thread_init(&run->t[i], p, &stats[i], i);
		if (rc < 0) {
			snprintf(err, err_len, "thread %u: %s", i,
				 strerror(-rc));
			return -1;
		}
	}
	/* Signals are the main thread's: it owns the progress line. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < run->n; i++) {
		rc = pthread_create(&run->t[i].tid, NULL, dpt_bench_sock_thread,
				    &run->t[i]);
		if (rc != 0) {
			snprintf(err, err_len, "pthread_create: %s",
				 strerror(rc));
			__atomic_store_n(&p->stop, DPT_BENCH_STOP_NOW,
					 __ATOMIC_RELAXED);
			break;
		}
		run->t[i].launched = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return i == run->n ? 0 : -1;
}

void
dpt_bench_sock_wait(struct dpt_bench_plan *p)
{
	struct sock_run *run = p->backend_ctx;
	unsigned int i;

	if (run == NULL)
		return;
	for (i = 0; i < run->n; i++) {
		if (run->t[i].launched)
			pthread_join(run->t[i].tid, NULL);
		thread_fini(&run->t[i]);
	}
	free(run->t);
	free(run);
	p->backend_ctx = NULL;
}
