/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Assertions on the datagrams a session sent, whole-transfer clients, and
 * a reference netascii encoder written apart from the core.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tftp_harness.h"

/* ------------------------------------------------------------------ */
/* What was sent                                                       */
/* ------------------------------------------------------------------ */

void
th_clear(struct th *t)
{
	size_t i;

	for (i = 0; i < t->n_pkt; i++)
		free(t->pkt[i].buf);
	t->n_pkt = 0;
}

uint16_t
th_op(const struct th *t, size_t i)
{
	assert_true(i < t->n_pkt);
	return (uint16_t)(t->pkt[i].buf[0] << 8 | t->pkt[i].buf[1]);
}

uint16_t
th_num(const struct th *t, size_t i)
{
	assert_true(i < t->n_pkt);
	return (uint16_t)(t->pkt[i].buf[2] << 8 | t->pkt[i].buf[3]);
}

static void
th_dump(const char *what, const uint8_t *p, size_t len)
{
	size_t i, show = len > 48 ? 48 : len;

	print_error("  %s (%zu bytes):", what, len);
	for (i = 0; i < show; i++)
		print_error(" %02x", p[i]);
	print_error("%s\n", show < len ? " ..." : "");
}

static void
th_dump_sent(const struct th *t)
{
	size_t i;

	for (i = 0; i < t->n_pkt && i < 16; i++)
		th_dump("sent", t->pkt[i].buf, t->pkt[i].len);
}

void
th_expect_sent_at(const char *f, int l, const struct th *t, size_t n)
{
	if (t->n_pkt == n)
		return;
	print_error("expected %zu datagrams sent, got %zu\n", n, t->n_pkt);
	th_dump_sent(t);
	_fail(f, l);
}

void
th_expect_bytes_at(const char *f, int l, const struct th *t, size_t i,
		   const void *p, size_t len)
{
	if (i >= t->n_pkt) {
		print_error("datagram %zu expected, only %zu sent\n", i,
			    t->n_pkt);
		th_dump_sent(t);
		_fail(f, l);
		return;
	}
	if (t->pkt[i].len == len && memcmp(t->pkt[i].buf, p, len) == 0)
		return;
	print_error("datagram %zu differs\n", i);
	th_dump("expected", p, len);
	th_dump("got", t->pkt[i].buf, t->pkt[i].len);
	_fail(f, l);
}

void
th_expect_data_at(const char *f, int l, const struct th *t, size_t i,
		  uint16_t block, const void *p, size_t len)
{
	/* Not malloc'd: a failure jumps out of here. */
	uint8_t buf[TH_PKT_MAX];

	assert_true(len <= DPT_TFTP_BLKSIZE_MAX);
	th_build_data(buf, block, p, len);
	th_expect_bytes_at(f, l, t, i, buf, 4 + len);
}

void
th_expect_blocks_at(const char *f, int l, const struct th *t, size_t i,
		    uint64_t block, uint64_t count)
{
	uint64_t bs = dpt_tftp_session_negotiated(t->s)->blksize, b;

	for (b = block; b < block + count; b++, i++) {
		uint64_t off = (b - 1) * bs;
		uint64_t len;

		if (off > t->file_size) {
			print_error("block %llu lies past the file\n",
				    (unsigned long long)b);
			_fail(f, l);
			return;
		}
		len = t->file_size - off < bs ? t->file_size - off : bs;
		th_expect_data_at(f, l, t, i, (uint16_t)b, t->file + off,
				  (size_t)len);
	}
}

void
th_expect_ack_at(const char *f, int l, const struct th *t, size_t i,
		 uint16_t block)
{
	uint8_t buf[4];

	th_expect_bytes_at(f, l, t, i, buf, th_build_ack(buf, block));
}

void
th_expect_error_at(const char *f, int l, const struct th *t, size_t i,
		   uint16_t code, const char *msg)
{
	uint8_t buf[512];
	const struct th_pkt *p;

	if (msg != NULL) {
		th_expect_bytes_at(f, l, t, i, buf,
				   th_build_error(buf, code, msg));
		return;
	}
	if (i >= t->n_pkt) {
		print_error("ERROR expected as datagram %zu, only %zu sent\n",
			    i, t->n_pkt);
		_fail(f, l);
		return;
	}
	p = &t->pkt[i];
	if (p->len >= 5 && th_op(t, i) == DPT_TFTP_ERROR &&
	    th_num(t, i) == code && p->buf[p->len - 1] == '\0' &&
	    memchr(p->buf + 4, '\0', p->len - 4) == p->buf + p->len - 1)
		return;
	print_error("datagram %zu is not ERROR %u with a message\n", i, code);
	th_dump("got", p->buf, p->len);
	_fail(f, l);
}

void
th_expect_oack_at(const char *f, int l, const struct th *t, size_t i, ...)
{
	uint8_t buf[512];
	const char *s;
	size_t off = 2;
	va_list ap;

	buf[0] = 0;
	buf[1] = DPT_TFTP_OACK;
	va_start(ap, i);
	while ((s = va_arg(ap, const char *)) != NULL)
		off = th_put_str(buf, sizeof(buf), off, s);
	va_end(ap);
	th_expect_bytes_at(f, l, t, i, buf, off);
}

/* ------------------------------------------------------------------ */
/* Whole clients                                                       */
/* ------------------------------------------------------------------ */

uint8_t *
th_client_read(struct th *t, size_t *len, uint64_t *n_data)
{
	uint64_t expect = dpt_tftp_session_block(t->s), rounds = 0;
	uint16_t bs = dpt_tftp_session_negotiated(t->s)->blksize;
	size_t cap = 4096, n = 0, i;
	uint8_t *out;

	free(t->rbuf);
	t->rbuf = out = malloc(cap);
	assert_non_null(out);
	*n_data = 0;
	while (!dpt_tftp_session_done(t->s)) {
		uint16_t last = 0;
		bool short_seen = false;

		assert_true(++rounds < 10000000);
		assert_true(t->n_pkt > 0);
		for (i = 0; i < t->n_pkt; i++, expect++) {
			const struct th_pkt *p = &t->pkt[i];

			/* Only the final block may be short. */
			assert_false(short_seen);
			assert_int_equal(th_op(t, i), DPT_TFTP_DATA);
			assert_int_equal(th_num(t, i), (uint16_t)expect);
			assert_true(p->len - 4 <= bs);
			short_seen = p->len - 4 < bs;
			if (n + p->len > cap) {
				cap = (n + p->len) * 2;
				out = realloc(out, cap);
				assert_non_null(out);
				t->rbuf = out;
			}
			memcpy(out + n, p->buf + 4, p->len - 4);
			n += p->len - 4;
			last = th_num(t, i);
			(*n_data)++;
		}
		th_clear(t);
		th_ack(t, last);
		assert_int_equal(dpt_tftp_session_done(t->s), short_seen);
	}
	th_expect_sent(t, 0);
	*len = n;
	return out;
}

void
th_client_write(struct th *t, const uint8_t *wire, size_t len)
{
	size_t bs = dpt_tftp_session_negotiated(t->s)->blksize, off = 0;
	uint64_t w = dpt_tftp_session_negotiated(t->s)->windowsize, block = 1;

	for (;; block++) {
		size_t n = len - off < bs ? len - off : bs;
		bool final = n < bs;

		th_clear(t);
		th_data(t, (uint16_t)block, wire + off, n);
		off += n;
		if (final || block % w == 0) {
			th_expect_sent(t, 1);
			th_expect_ack(t, 0, (uint16_t)block);
		} else {
			th_expect_sent(t, 0);
		}
		if (final)
			break;
	}
	th_clear(t);
}

size_t
th_nva_ref_encode(const uint8_t *in, size_t len, uint8_t *out)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (in[i] == '\n') {
			out[o++] = '\r';
			out[o++] = '\n';
		} else if (in[i] == '\r') {
			out[o++] = '\r';
			out[o++] = '\0';
		} else {
			out[o++] = in[i];
		}
	}
	return o;
}

uint32_t
th_rand(uint32_t *seed)
{
	uint32_t x = *seed;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*seed = x;
	return x;
}
