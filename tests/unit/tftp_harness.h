/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _TFTP_HARNESS_H_
#define _TFTP_HARNESS_H_

/*
 * A fake world for the protocol core: a struct dpt_tftp_io that captures
 * every datagram the session sends (bytes exact), serves an in-memory file,
 * stores uploads in a growable buffer, and a clock the tests move by hand.
 * Every datagram a test feeds in is copied to a heap buffer of exactly its
 * length first, so AddressSanitizer catches any read past its end.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <cmocka.h>

#include "dpt_tftp.h"

#define TH_FILE "file.bin"
#define TH_LIVE_MAX 8		/* buffers from alloc() not yet sent */
#define TH_PKT_MAX (DPT_TFTP_HDR_LEN + DPT_TFTP_BLKSIZE_MAX)

/* One datagram the session sent. */
struct th_pkt {
	uint8_t *buf;
	size_t len;
};

/* One call of the zero-copy send_data(). */
struct th_zc {
	uint16_t block;
	uint64_t off;
	uint32_t len;
};

struct th {
	uint64_t now;			/* the fake clock, microseconds */
	struct dpt_tftp_config cfg;	/* given to negotiate and start */
	struct dpt_tftp_io io;
	struct dpt_tftp_request req;
	struct dpt_tftp_negotiated neg;
	struct dpt_tftp_session *s;	/* dpt_tftp_session_size() bytes */

	/* Datagrams sent, oldest first. */
	struct th_pkt *pkt;
	size_t n_pkt, pkt_cap;
	struct {
		void *buf;
		size_t cap;
	} live[TH_LIVE_MAX];
	size_t n_alloc, n_discard;
	bool alloc_fail;		/* alloc() answers NULL */

	/* RRQ: the file read() serves. */
	uint8_t *file;
	uint64_t file_size;
	uint64_t resident;		/* bytes from here on: -EAGAIN */
	int read_err;			/* nonzero: read() returns it */
	size_t n_read;

	/* RRQ zero-copy: io.send_data is set at start when zero_copy. */
	bool zero_copy;
	int send_data_rc;		/* nonzero: send_data() returns it */
	struct th_zc *zc;
	size_t n_zc, zc_cap;

	/* WRQ: the file write() builds. */
	uint8_t *wbuf;
	uint64_t wlen;
	size_t wcap;
	size_t n_write;			/* successful write() calls */
	uint64_t w_bytes;		/* bytes given to successful writes */
	bool write_eagain_once;		/* next write(): -EAGAIN, then clear */
	uint64_t write_enospc_at;	/* nonzero: -ENOSPC past this size */
	int write_err;			/* nonzero: write() returns it */
	int commit_rc;			/* what commit() returns */
	size_t n_commit;

	uint8_t *in;			/* the datagram being fed */
	uint8_t *rbuf;			/* th_client_read()'s result */
};

/* cmocka fixtures: *state is a fresh struct th with default config. */
int th_setup(void **state);
int th_teardown(void **state);
#define TH_TEST(f) cmocka_unit_test_setup_teardown(f, th_setup, th_teardown)

/* The session's end reason, state and counters. */
static inline enum dpt_tftp_end
th_end(const struct th *t)
{
	return dpt_tftp_session_end_reason(t->s);
}

static inline enum dpt_tftp_state
th_state(const struct th *t)
{
	return dpt_tftp_session_state(t->s);
}

static inline const struct dpt_tftp_session_stats *
th_stats(const struct th *t)
{
	return dpt_tftp_session_stats(t->s);
}

/* 1 + the code of the ERROR the session sent, 0 when it sent none. */
uint8_t th_err_sent(const struct th *t);

/* The file an RRQ reads: a copy of data, or a pattern with no period
 * that lines up with any block size. */
void th_file(struct th *t, const void *data, size_t len);
void th_file_pattern(struct th *t, size_t len);
uint8_t th_pattern_byte(uint64_t i);

/* Appends s and its NUL at buf + off (cap bytes in all); returns the
 * new offset. */
size_t th_put_str(uint8_t *buf, size_t cap, size_t off, const char *s);

/* Request datagrams: option name/value pairs follow mode, NULL ends. */
size_t th_req(uint8_t *buf, size_t cap, uint16_t op, const char *file,
	      const char *mode, ...);
size_t th_reqv(uint8_t *buf, size_t cap, uint16_t op, const char *file,
	       const char *mode, va_list ap);
/* dpt_tftp_request_parse() on an exact-length heap copy of buf. */
int th_parse(const void *buf, size_t len, struct dpt_tftp_request *req,
	     const char **errmsg);

/*
 * Parses (must succeed), negotiates and starts a session for the request
 * in buf at t->now with t->file_size. Returns the negotiation error or
 * dpt_tftp_session_start()'s result.
 */
int th_start_buf(struct th *t, const void *buf, size_t len);
/* The same for TH_FILE in mode with option pairs, NULL-terminated. */
int th_start(struct th *t, uint16_t op, const char *mode, ...);

/* An RRQ of TH_FILE, a pattern of size bytes, blksize 512 and windowsize
 * w; the OACK checked, answered, and cleared. */
void th_rrq_window(struct th *t, size_t size, const char *w);

/* Client datagrams, each fed through an exact-length heap copy. */
void th_input(struct th *t, const void *buf, size_t len);
void th_ack(struct th *t, uint16_t block);
void th_data(struct th *t, uint16_t block, const void *p, size_t len);
void th_error(struct th *t, uint16_t code, const char *msg);

/* Client datagram builders; return the length. */
size_t th_build_ack(uint8_t *buf, uint16_t block);
size_t th_build_data(uint8_t *buf, uint16_t block, const void *p,
		     size_t len);
size_t th_build_error(uint8_t *buf, uint16_t code, const char *msg);

/* The clock: moves it to now and wakes the session there. */
void th_at(struct th *t, uint64_t now);

/* Datagrams sent (tftp_expect.c from here on). */
void th_clear(struct th *t);
uint16_t th_op(const struct th *t, size_t i);
uint16_t th_num(const struct th *t, size_t i);	/* block or error code */

void th_expect_sent_at(const char *f, int l, const struct th *t, size_t n);
void th_expect_bytes_at(const char *f, int l, const struct th *t, size_t i,
			const void *p, size_t len);
void th_expect_data_at(const char *f, int l, const struct th *t, size_t i,
		       uint16_t block, const void *p, size_t len);
void th_expect_blocks_at(const char *f, int l, const struct th *t,
			 size_t i, uint64_t block, uint64_t count);
void th_expect_ack_at(const char *f, int l, const struct th *t, size_t i,
		      uint16_t block);
void th_expect_error_at(const char *f, int l, const struct th *t, size_t i,
			uint16_t code, const char *msg);
void th_expect_oack_at(const char *f, int l, const struct th *t, size_t i,
		       ...);

/* Exactly n datagrams sent since the last th_clear(). */
#define th_expect_sent(t, n) th_expect_sent_at(__FILE__, __LINE__, t, n)
/* Datagram i is exactly these bytes. */
#define th_expect_bytes(t, i, p, len) \
	th_expect_bytes_at(__FILE__, __LINE__, t, i, p, len)
/* Datagram i is DATA block carrying exactly p[0..len). */
#define th_expect_data(t, i, block, p, len) \
	th_expect_data_at(__FILE__, __LINE__, t, i, block, p, len)
/* Datagrams i.. are DATA of the octet file t->file, blocks block.. (64-bit
 * numbers, wire low 16 bits) with the session's block size. */
#define th_expect_blocks(t, i, block, count) \
	th_expect_blocks_at(__FILE__, __LINE__, t, i, block, count)
#define th_expect_ack(t, i, block) \
	th_expect_ack_at(__FILE__, __LINE__, t, i, block)
/* ERROR code with msg exactly, or (msg NULL) any NUL-ended message. */
#define th_expect_error(t, i, code, msg) \
	th_expect_error_at(__FILE__, __LINE__, t, i, code, msg)
/* OACK with exactly these name/value pairs, in this order. */
#define th_expect_oack(t, i, ...) \
	th_expect_oack_at(__FILE__, __LINE__, t, i, __VA_ARGS__, NULL)

/*
 * Plays an RRQ client from the current point: takes the DATA sent, checks
 * that the block numbers run on, ACKs the last of each burst, until the
 * session is done. Returns the payload bytes (owned by t, valid until
 * the next call) and their count.
 */
uint8_t *th_client_read(struct th *t, size_t *len, uint64_t *n_data);

/*
 * Plays a WRQ client from block 1: sends wire[0..len) in blocks of the
 * negotiated size, final one short (maybe empty), and checks that an ACK
 * comes exactly after each full window and after the final block.
 */
void th_client_write(struct th *t, const uint8_t *wire, size_t len);

/* Netascii by the book, written apart from the core: for expectations. */
size_t th_nva_ref_encode(const uint8_t *in, size_t len, uint8_t *out);

/* A deterministic generator for texts and noise. */
uint32_t th_rand(uint32_t *seed);

#endif /* _TFTP_HARNESS_H_ */
