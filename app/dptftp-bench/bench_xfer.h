/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_BENCH_XFER_H_
#define _DPT_BENCH_XFER_H_

/*
 * One transfer, the client's side: RRQ (download, verified as it arrives)
 * or WRQ (upload of the pattern). No I/O and no clock of its own: it is fed
 * datagrams from the server and the time, and answers through the
 * backend's struct dpt_bench_io. After each call the backend looks at
 * x->state and x->deadline.
 */

#include "bench.h"

/* What every transfer of a run shares. */
struct dpt_bench_xcfg {
	enum dpt_tftp_op op;
	enum dpt_tftp_mode mode;
	struct dpt_tftp_client_opts ask;	/* options in each request */
	uint64_t rto_us;			/* first retransmission */
	uint64_t rto_max_us;			/* back-off ceiling */
	uint32_t retries;			/* then the transfer fails */
	uint64_t size;				/* WRQ: bytes to send */
	uint64_t seed;				/* WRQ: the pattern */
	uint32_t payload_max;			/* largest DATA payload */
};

/* What one transfer fetches or stores. */
struct dpt_bench_job {
	uint64_t id;			/* transfer number in the run */
	uint32_t client;		/* the slot or storm client */
	uint16_t file;			/* index in the file list */
	const struct dpt_bench_file *f;	/* expected content */
	char name[DPT_TFTP_FILENAME_MAX];
};

/* The backend's side. Buffers hold DPT_TFTP_HDR_LEN + payload_max bytes;
 * each goes to the server (its port 69 until the first reply, then the
 * transfer's TID). */
struct dpt_bench_xfer;
struct dpt_bench_io {
	uint8_t *(*tx_buf)(void *ctx, struct dpt_bench_xfer *x);
	void (*tx_push)(void *ctx, struct dpt_bench_xfer *x, size_t len);
	void *ctx;
	uint8_t *scratch;	/* 2 * payload_max + 16 bytes, the thread's */
};

enum dpt_bench_xstate {
	DPT_BENCH_X_IDLE = 0,
	DPT_BENCH_X_REQ,	/* request sent, no answer yet */
	DPT_BENCH_X_RUN,	/* data moving */
	DPT_BENCH_X_DONE,	/* ended: see why */
};

struct dpt_bench_xfer {
	const struct dpt_bench_xcfg *cfg;
	struct dpt_bench_stats *st;	/* the thread's counters */
	enum dpt_bench_xstate state;
	enum dpt_bench_why why;
	uint16_t err_code;		/* DPT_BENCH_SERVER_ERROR: its code */
	uint16_t blksize, windowsize;	/* agreed */
	bool has_tsize;
	uint8_t tries;			/* retransmissions since progress */
	uint64_t tsize;
	uint64_t rto, deadline;		/* UINT64_MAX: none */
	uint64_t t_start, t_first, t_end;
	uint64_t bytes;			/* file bytes received or acked */
	uint32_t crc;			/* of the bytes received, in order */
	uint32_t retransmits;

	/* RRQ: blocks are 64-bit here, 16-bit on the wire */
	uint64_t expected;		/* next block wanted */
	uint64_t acked;			/* last block acknowledged */
	uint64_t gap_for;		/* expected when a gap was re-ACKed */
	struct dpt_tftp_nva_dec dec;

	/* WRQ */
	uint64_t base;			/* first block not acknowledged */
	uint64_t next;			/* next block to send */
	uint64_t last;			/* final block, 0 while unknown */
	uint64_t sent_max;		/* highest block sent */
	uint64_t in_base, in_next;	/* netascii: pattern offset there */
	struct dpt_tftp_nva_enc enc_base, enc_next;

	struct dpt_bench_job job;
	char err_msg[DPT_BENCH_ERRMSG_MAX];
};

/* Starts x for job at now: sends the request. */
void dpt_bench_xfer_start(struct dpt_bench_xfer *x,
			  const struct dpt_bench_xcfg *cfg,
			  struct dpt_bench_stats *st,
			  const struct dpt_bench_job *job,
			  const struct dpt_bench_io *io, uint64_t now);

/* Feeds one datagram from the server (its address already checked). */
void dpt_bench_xfer_input(struct dpt_bench_xfer *x,
			  const struct dpt_bench_io *io, const uint8_t *p,
			  size_t len, uint64_t now);

/* Whether a datagram from the server's address can be the first reply
 * (OACK, ERROR, DATA 1 to an RRQ, ACK 0 to a WRQ); the backend takes the
 * server's TID only from one that can. */
bool dpt_bench_xfer_first_reply(const struct dpt_bench_xfer *x,
				const uint8_t *p, size_t len);

/* Retransmits with back-off, or fails the transfer, once the deadline
 * has passed; does nothing before. */
void dpt_bench_xfer_timer(struct dpt_bench_xfer *x,
			  const struct dpt_bench_io *io, uint64_t now);

/* Ends x now for a reason found outside it (ICMP, socket, abort). With
 * tell set, sends the server ERROR 0 first. */
void dpt_bench_xfer_fail(struct dpt_bench_xfer *x,
			 const struct dpt_bench_io *io, enum dpt_bench_why why,
			 bool tell, uint64_t now);

/* Fills c from the options. */
void dpt_bench_xcfg_init(struct dpt_bench_xcfg *c,
			 const struct dpt_bench_opts *o);

#endif /* _DPT_BENCH_XFER_H_ */
