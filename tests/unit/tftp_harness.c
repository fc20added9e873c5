/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/* The fake I/O, clock and datagram helpers behind every unit test. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tftp_harness.h"

/* ------------------------------------------------------------------ */
/* struct dpt_tftp_io                                                  */
/* ------------------------------------------------------------------ */

static void *
th_io_alloc(void *ctx, size_t cap)
{
	struct th *t = ctx;
	size_t i;

	assert_true(cap >= DPT_TFTP_HDR_LEN && cap <= TH_PKT_MAX);
	if (t->alloc_fail)
		return NULL;
	for (i = 0; i < TH_LIVE_MAX; i++) {
		if (t->live[i].buf != NULL)
			continue;
		/* Exactly cap bytes: ASan sees any write past the promise. */
		t->live[i].buf = malloc(cap);
		assert_non_null(t->live[i].buf);
		t->live[i].cap = cap;
		t->n_alloc++;
		return t->live[i].buf;
	}
	fail_msg("more than %d buffers from alloc() held at once",
		 TH_LIVE_MAX);
	return NULL;
}

static size_t
th_live_find(struct th *t, void *buf)
{
	size_t i;

	for (i = 0; i < TH_LIVE_MAX; i++)
		if (buf != NULL && t->live[i].buf == buf)
			return i;
	fail_msg("buffer %p did not come from alloc()", buf);
	return 0;
}

static void
th_io_send(void *ctx, void *buf, size_t len)
{
	struct th *t = ctx;
	size_t i = th_live_find(t, buf);

	assert_true(len >= DPT_TFTP_HDR_LEN);
	assert_true(len <= t->live[i].cap);
	if (t->n_pkt == t->pkt_cap) {
		t->pkt_cap = t->pkt_cap == 0 ? 64 : t->pkt_cap * 2;
		t->pkt = realloc(t->pkt, t->pkt_cap * sizeof(*t->pkt));
		assert_non_null(t->pkt);
	}
	t->pkt[t->n_pkt].buf = buf;
	t->pkt[t->n_pkt].len = len;
	t->n_pkt++;
	t->live[i].buf = NULL;
}

static void
th_io_discard(void *ctx, void *buf)
{
	struct th *t = ctx;
	size_t i = th_live_find(t, buf);

	free(buf);
	t->live[i].buf = NULL;
	t->n_discard++;
}

static ssize_t
th_io_read(void *ctx, uint64_t off, void *dst, size_t len)
{
	struct th *t = ctx;

	if (t->read_err != 0)
		return t->read_err;
	assert_true(off <= t->file_size && len <= t->file_size - off);
	if (off + len > t->resident)
		return -EAGAIN;
	memcpy(dst, t->file + off, len);
	t->n_read++;
	return (ssize_t)len;
}

static int
th_io_send_data(void *ctx, uint16_t block, uint64_t off, uint32_t len)
{
	struct th *t = ctx;

	assert_true(off <= t->file_size && len <= t->file_size - off);
	if (t->send_data_rc != 0)
		return t->send_data_rc;
	if (t->n_zc == t->zc_cap) {
		t->zc_cap = t->zc_cap == 0 ? 64 : t->zc_cap * 2;
		t->zc = realloc(t->zc, t->zc_cap * sizeof(*t->zc));
		assert_non_null(t->zc);
	}
	t->zc[t->n_zc].block = block;
	t->zc[t->n_zc].off = off;
	t->zc[t->n_zc].len = len;
	t->n_zc++;
	return 0;
}

static int
th_io_write(void *ctx, uint64_t off, const void *src, size_t len)
{
	struct th *t = ctx;

	assert_true(len > 0);
	if (t->write_eagain_once) {
		t->write_eagain_once = false;
		return -EAGAIN;
	}
	if (t->write_err != 0)
		return t->write_err;
	if (t->write_enospc_at != 0 && off + len > t->write_enospc_at)
		return -ENOSPC;
	/* Blocks are stored in order, each once: no holes, no rewrites. */
	assert_int_equal(off, t->wlen);
	if (off + len > t->wcap) {
		t->wcap = (size_t)(off + len) * 2;
		t->wbuf = realloc(t->wbuf, t->wcap);
		assert_non_null(t->wbuf);
	}
	memcpy(t->wbuf + off, src, len);
	t->wlen = off + len;
	t->n_write++;
	t->w_bytes += len;
	return 0;
}

static int
th_io_commit(void *ctx)
{
	struct th *t = ctx;

	t->n_commit++;
	return t->commit_rc;
}

int
th_setup(void **state)
{
	struct th *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return -1;
	t->s = calloc(1, dpt_tftp_session_size());
	if (t->s == NULL) {
		free(t);
		return -1;
	}
	dpt_tftp_config_default(&t->cfg);
	/* The rules of the protocol are tested with whole windows at once;
	 * test_tftp_pace.c turns pacing on and tests its timing. */
	t->cfg.pace = false;
	t->io.alloc = th_io_alloc;
	t->io.send = th_io_send;
	t->io.discard = th_io_discard;
	t->io.read = th_io_read;
	t->io.write = th_io_write;
	t->io.commit = th_io_commit;
	t->now = 1000000;	/* not zero: a zero origin hides bugs */
	*state = t;
	return 0;
}

uint8_t
th_err_sent(const struct th *t)
{
	const char *msg;
	uint16_t code;

	if (dpt_tftp_session_error(t->s, &code, &msg) != DPT_TFTP_ERR_SENT)
		return 0;
	return (uint8_t)(code < DPT_TFTP_ERR_COUNT ? code + 1 : 1);
}

int
th_teardown(void **state)
{
	struct th *t = *state;
	size_t i, live = 0;

	for (i = 0; i < TH_LIVE_MAX; i++) {
		if (t->live[i].buf != NULL)
			live++;
		free(t->live[i].buf);
	}
	th_clear(t);
	free(t->in);
	free(t->rbuf);
	free(t->pkt);
	free(t->file);
	free(t->zc);
	free(t->wbuf);
	free(t->s);
	free(t);
	/* Every buffer from alloc() was sent or given back. */
	return live == 0 ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* Files, requests, client datagrams                                   */
/* ------------------------------------------------------------------ */

void
th_file(struct th *t, const void *data, size_t len)
{
	free(t->file);
	t->file = malloc(len + 1);
	assert_non_null(t->file);
	if (len > 0)
		memcpy(t->file, data, len);
	t->file_size = len;
	t->resident = len;
}

uint8_t
th_pattern_byte(uint64_t i)
{
	uint32_t x = (uint32_t)(i * 2654435761u) ^ (uint32_t)(i >> 13);

	return (uint8_t)(x >> 24 ^ x >> 8 ^ x);
}

void
th_file_pattern(struct th *t, size_t len)
{
	size_t i;

	free(t->file);
	t->file = malloc(len + 1);
	assert_non_null(t->file);
	for (i = 0; i < len; i++)
		t->file[i] = th_pattern_byte(i);
	t->file_size = len;
	t->resident = len;
}

size_t
th_put_str(uint8_t *buf, size_t cap, size_t off, const char *s)
{
	size_t n = strlen(s) + 1;

	assert_true(off + n <= cap);
	memcpy(buf + off, s, n);
	return off + n;
}

size_t
th_reqv(uint8_t *buf, size_t cap, uint16_t op, const char *file,
	const char *mode, va_list ap)
{
	const char *name, *val;
	size_t off = 2;

	assert_true(cap >= 2);
	buf[0] = (uint8_t)(op >> 8);
	buf[1] = (uint8_t)op;
	off = th_put_str(buf, cap, off, file);
	off = th_put_str(buf, cap, off, mode);
	while ((name = va_arg(ap, const char *)) != NULL) {
		val = va_arg(ap, const char *);
		off = th_put_str(buf, cap, off, name);
		off = th_put_str(buf, cap, off, val);
	}
	return off;
}

size_t
th_req(uint8_t *buf, size_t cap, uint16_t op, const char *file,
       const char *mode, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, mode);
	n = th_reqv(buf, cap, op, file, mode, ap);
	va_end(ap);
	return n;
}

int
th_parse(const void *buf, size_t len, struct dpt_tftp_request *req,
	 const char **errmsg)
{
	uint8_t *copy = malloc(len == 0 ? 1 : len);
	int rc;

	assert_non_null(copy);
	if (len > 0)
		memcpy(copy, buf, len);
	/* A zero-length datagram: hand over a pointer that owns nothing. */
	rc = dpt_tftp_request_parse(len == 0 ? copy + 1 : copy, len, req,
				    errmsg);
	free(copy);
	return rc;
}

int
th_start_buf(struct th *t, const void *buf, size_t len)
{
	const char *msg;
	int rc;

	assert_int_equal(th_parse(buf, len, &t->req, &msg), 0);
	rc = dpt_tftp_negotiate(&t->req, &t->cfg, t->file_size, &t->neg);
	if (rc < 0)
		return rc;
	t->io.send_data = t->zero_copy ? th_io_send_data : NULL;
	return dpt_tftp_session_start(t->s, &t->cfg, &t->req, &t->neg,
				      t->file_size, &t->io, t, t->now);
}

int
th_start(struct th *t, uint16_t op, const char *mode, ...)
{
	uint8_t buf[1024];
	va_list ap;
	size_t n;

	va_start(ap, mode);
	n = th_reqv(buf, sizeof(buf), op, TH_FILE, mode, ap);
	va_end(ap);
	return th_start_buf(t, buf, n);
}

void
th_rrq_window(struct th *t, size_t size, const char *w)
{
	th_file_pattern(t, size);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "512",
				  "windowsize", w, NULL), 0);
	th_expect_oack(t, 0, "blksize", "512", "windowsize", w);
	th_clear(t);
	th_ack(t, 0);
}

void
th_input(struct th *t, const void *buf, size_t len)
{
	/* Kept in t until freed, so teardown frees it if an assertion in a
	 * callback jumps out of the session. */
	t->in = malloc(len == 0 ? 1 : len);
	assert_non_null(t->in);
	if (len > 0)
		memcpy(t->in, buf, len);
	dpt_tftp_session_input(t->s, len == 0 ? t->in + 1 : t->in, len,
			       t->now);
	free(t->in);
	t->in = NULL;
}

size_t
th_build_ack(uint8_t *buf, uint16_t block)
{
	buf[0] = 0;
	buf[1] = DPT_TFTP_ACK;
	buf[2] = (uint8_t)(block >> 8);
	buf[3] = (uint8_t)block;
	return 4;
}

size_t
th_build_data(uint8_t *buf, uint16_t block, const void *p, size_t len)
{
	buf[0] = 0;
	buf[1] = DPT_TFTP_DATA;
	buf[2] = (uint8_t)(block >> 8);
	buf[3] = (uint8_t)block;
	if (len > 0)
		memcpy(buf + 4, p, len);
	return 4 + len;
}

size_t
th_build_error(uint8_t *buf, uint16_t code, const char *msg)
{
	size_t n = strlen(msg) + 1;

	buf[0] = 0;
	buf[1] = DPT_TFTP_ERROR;
	buf[2] = (uint8_t)(code >> 8);
	buf[3] = (uint8_t)code;
	memcpy(buf + 4, msg, n);
	return 4 + n;
}

void
th_ack(struct th *t, uint16_t block)
{
	uint8_t buf[4];

	th_input(t, buf, th_build_ack(buf, block));
}

void
th_data(struct th *t, uint16_t block, const void *p, size_t len)
{
	uint8_t buf[TH_PKT_MAX];

	assert_true(len <= DPT_TFTP_BLKSIZE_MAX);
	th_input(t, buf, th_build_data(buf, block, p, len));
}

void
th_error(struct th *t, uint16_t code, const char *msg)
{
	uint8_t buf[256];

	assert_true(strlen(msg) < sizeof(buf) - 5);
	th_input(t, buf, th_build_error(buf, code, msg));
}

void
th_at(struct th *t, uint64_t now)
{
	t->now = now;
	dpt_tftp_session_timer(t->s, now);
}
