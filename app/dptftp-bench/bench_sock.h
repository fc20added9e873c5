/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_BENCH_SOCK_H_
#define _DPT_BENCH_SOCK_H_

/* The socket backend's threads, shared by its data path (bench_sock.c)
 * and its setup (bench_sock_setup.c). */

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before any include (struct mmsghdr)"
#endif

#include <pthread.h>
#include <sys/socket.h>

#include "bench_loop.h"

#define DPT_BENCH_RX_BATCH 32	/* datagrams per recvmmsg */
#define DPT_BENCH_TX_BATCH 64	/* datagrams per sendmmsg */

struct sock_slot {
	struct dpt_bench_slot s;	/* first: the transfer's container */
	int fd;
	bool connected;
	bool refused;			/* a send saw ECONNREFUSED */
	struct sockaddr_storage peer;
};

struct sock_thread {
	struct dpt_bench_loop l;	/* first: the slots and their timers */
	pthread_t tid;
	bool launched;
	int epfd;
struct sockaddr_storage server;	/* a copy sendmmsg may point to */
	socklen_t server_len;
	struct sockaddr_storage local;	/* --bind, or the wildcard */
	socklen_t local_len;
	uint32_t port_lo, port_span;	/* the ephemeral port range */
	uint32_t port_next;		/* index of the next source port */
	int rcvbuf, sndbuf;		/* asked per socket; 0: default */
	size_t buf_cap;			/* each rx and tx buffer */
	uint8_t *rx_mem, *tx_mem;
	struct mmsghdr rx_msg[DPT_BENCH_RX_BATCH];
	struct iovec rx_iov[DPT_BENCH_RX_BATCH];
	struct sockaddr_storage rx_from[DPT_BENCH_RX_BATCH];
	struct mmsghdr tx_msg[DPT_BENCH_TX_BATCH];
	struct iovec tx_iov[DPT_BENCH_TX_BATCH];
	unsigned int tx_n;
	struct sock_slot *tx_owner;
} __attribute__((aligned(64)));

struct sock_run {
	struct sock_thread *t;
	unsigned int n;
};

/* The slots' way out, and the thread's loop (bench_sock.c). */
extern const struct dpt_bench_loop_ops dpt_bench_sock_ops;
void *dpt_bench_sock_thread(void *arg);

/* The transfers' way out (bench_sock.c). */
uint8_t *dpt_bench_sock_tx_buf(void *ctx, struct dpt_bench_xfer *x);
void dpt_bench_sock_tx_push(void *ctx, struct dpt_bench_xfer *x, size_t len);

#endif /* _DPT_BENCH_SOCK_H_ */
