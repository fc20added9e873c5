/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The client's side of one transfer. A generator that servers are judged
 * by must itself follow the RFCs: it re-sends only its last packet on a
 * timeout (RFC 1350), with exponential back-off; ACKs once per window and
 * re-ACKs the last in-order block on a gap (RFC 7440); and refuses an OACK
 * that grants what was not asked (RFC 2347).
 */

#include <stdio.h>
#include <string.h>

#include "bench_xfer.h"

typedef void (*input_fn)(struct dpt_bench_xfer *x,
			 const struct dpt_bench_io *io, const uint8_t *p,
			 size_t len, uint64_t now);

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static size_t
tx_cap(const struct dpt_bench_xfer *x)
{
	size_t cap = DPT_TFTP_HDR_LEN + x->cfg->payload_max;

	return cap < 1024 ? 1024 : cap;
}

static void
end(struct dpt_bench_xfer *x, enum dpt_bench_why why, uint64_t now)
{
	x->state = DPT_BENCH_X_DONE;
	x->why = why;
	x->t_end = now;
	x->deadline = UINT64_MAX;
}

/* Progress resets the back-off (RFC 1350: only silence is punished). */
static void
progress(struct dpt_bench_xfer *x, uint64_t now)
{
	x->tries = 0;
	x->rto = x->cfg->rto_us;
	x->deadline = now + x->rto;
}

static void
add_bytes(struct dpt_bench_xfer *x, uint64_t n)
{
	x->bytes += n;
	dpt_bench_publish(&x->st->bytes, x->st->bytes + n);
}

static void
send_ack(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
	 uint64_t block)
{
	uint8_t *b = io->tx_buf(io->ctx, x);

	io->tx_push(io->ctx, x, dpt_tftp_build_ack(b, DPT_TFTP_HDR_LEN,
						   (uint16_t)block));
	x->acked = block;
}

static void
send_error(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
	   uint16_t code, const char *msg)
{
	uint8_t *b = io->tx_buf(io->ctx, x);
	size_t n = dpt_tftp_build_error(b, tx_cap(x), code, msg);

	if (n != 0)
		io->tx_push(io->ctx, x, n);
}

static void
send_request(struct dpt_bench_xfer *x, const struct dpt_bench_io *io)
{
	uint8_t *b = io->tx_buf(io->ctx, x);
	size_t n = dpt_tftp_build_request(b, tx_cap(x), x->cfg->op,
					  x->job.name, x->cfg->mode,
					  &x->cfg->ask);

	if (n == 0) {	/* filename checked by the options: cannot happen */
		end(x, DPT_BENCH_PROTOCOL, x->t_start);
		return;
	}
	io->tx_push(io->ctx, x, n);
}

/* The server broke the protocol: tell it (ERROR 4) and stop. */
static void
violation(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
	  const char *what, uint64_t now)
{
	send_error(x, io, DPT_TFTP_EBADOP, what);
	snprintf(x->err_msg, sizeof(x->err_msg), "%s", what);
	end(x, DPT_BENCH_PROTOCOL, now);
}

static void
keep_text(char *dst, size_t cap, const char *src, size_t len)
{
	size_t i;

	if (len >= cap)
		len = cap - 1;
	for (i = 0; i < len; i++)	/* a server's text goes to terminals */
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	dst[len] = '\0';
}

static void
on_error(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
	 const uint8_t *p, size_t len, uint64_t now)
{
	const char *msg;
	size_t mlen;
	uint16_t code;

	if (dpt_tftp_error_parse(p, len, &code, &msg, &mlen) < 0) {
		violation(x, io, "Truncated ERROR", now);
		return;
	}
	x->err_code = code;
	keep_text(x->err_msg, sizeof(x->err_msg), msg, mlen);
	end(x, DPT_BENCH_SERVER_ERROR, now);
}

/* Reads and checks an OACK; on refusal answers ERROR 8 and ends x. */
static int
take_oack(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
	  const uint8_t *p, size_t len, uint64_t now)
{
	struct dpt_tftp_negotiated ag;
	struct dpt_tftp_oack o;
	const char *why = "Malformed OACK";

	if (dpt_tftp_oack_parse(p, len, &o) < 0 ||
	    dpt_tftp_oack_accept(&o, &x->cfg->ask, x->cfg->op, &ag, &why) < 0) {
		send_error(x, io, DPT_TFTP_EOPTNEG, why);
		snprintf(x->err_msg, sizeof(x->err_msg), "%s", why);
		end(x, DPT_BENCH_OACK_REFUSED, now);
		return -1;
	}
	x->blksize = ag.blksize;
	x->windowsize = ag.windowsize;
	x->has_tsize =
		(ag.accepted & DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_TSIZE)) != 0;
	x->tsize = ag.tsize;
	return 0;
}

/* ------------------------------------------------------------------ */
/* RRQ                                                                 */
/* ------------------------------------------------------------------ */

static void
rrq_begin(struct dpt_bench_xfer *x)
{
	x->state = DPT_BENCH_X_RUN;
	x->expected = 1;
	x->acked = 0;
}

static void
rrq_oack(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
	 const uint8_t *p, size_t len, uint64_t now)
{
	if (x->state == DPT_BENCH_X_RUN) {
		/* The OACK again: our ACK 0 was lost. */
		if (x->expected == 1)
			send_ack(x, io, 0);
		return;
	}
	if (take_oack(x, io, p, len, now) < 0)
		return;
	rrq_begin(x);
	send_ack(x, io, 0);
	progress(x, now);
}

static void
rrq_verify(struct dpt_bench_xfer *x, uint64_t now)
{
	const struct dpt_bench_file *f = x->job.f;

	if (x->has_tsize && x->cfg->mode == DPT_TFTP_MODE_OCTET &&
	    x->bytes != x->tsize)
		end(x, DPT_BENCH_VERIFY_SIZE, now);
	else if (f != NULL && f->known && x->bytes != f->size)
		end(x, DPT_BENCH_VERIFY_SIZE, now);
	else if (f != NULL && f->known && x->crc != f->crc)
		end(x, DPT_BENCH_VERIFY_SUM, now);
	else
		end(x, DPT_BENCH_OK, now);
}

static void
rrq_consume(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
	    const uint8_t *d, size_t n, bool final)
{
	size_t out;

	if (x->cfg->mode == DPT_TFTP_MODE_OCTET) {
		x->crc = dpt_bench_crc32c(x->crc, d, n);
		add_bytes(x, n);
		return;
	}
	out = dpt_tftp_nva_decode(&x->dec, d, n, io->scratch);
	if (final)
		out += dpt_tftp_nva_decode_end(&x->dec, io->scratch + out);
	x->crc = dpt_bench_crc32c(x->crc, io->scratch, out);
	add_bytes(x, out);
}

static void
rrq_in_order(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
	     const uint8_t *d, size_t n, uint64_t now)
{
	bool final = n < x->blksize;

	if (x->t_first == 0)
		x->t_first = now;
	rrq_consume(x, io, d, n, final);
	x->expected++;
	x->st->data_pkts++;
	progress(x, now);
	if (final) {
		send_ack(x, io, x->expected - 1);
		rrq_verify(x, now);
	} else if (x->expected - 1 - x->acked >= x->windowsize) {
		send_ack(x, io, x->expected - 1);
	}
}

static void
rrq_data(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
	 const uint8_t *p, size_t len, uint64_t now)
{
	uint16_t blk, want;

	if (len < DPT_TFTP_HDR_LEN) {
		violation(x, io, "Truncated DATA", now);
		return;
	}
	if (x->state == DPT_BENCH_X_REQ)
		rrq_begin(x);	/* no OACK: RFC 1350 values (RFC 2347) */
	if (len - DPT_TFTP_HDR_LEN > x->blksize) {
		violation(x, io, "DATA larger than blksize", now);
		return;
	}
	blk = be16(p + 2);
	want = (uint16_t)x->expected;
	if (blk == want) {
		rrq_in_order(x, io, p + DPT_TFTP_HDR_LEN,
			     len - DPT_TFTP_HDR_LEN, now);
	} else if ((uint16_t)(blk - want) < 0x8000) {
		/* A gap (RFC 7440): once per gap, say where we stand. */
		x->st->ooo_data++;
		if (x->gap_for != x->expected) {
			x->gap_for = x->expected;
			send_ack(x, io, x->expected - 1);
		}
	} else {
		/* Seen before. The last in-order block again means the
		 * server timed out waiting for us: our ACK was lost. */
		x->st->dup_data++;
		if (blk == (uint16_t)(x->expected - 1))
			send_ack(x, io, x->expected - 1);
	}
}

/* ------------------------------------------------------------------ */
/* WRQ                                                                 */
/* ------------------------------------------------------------------ */

/* Fills one DATA payload for block x->next; returns its length. */
static size_t
wrq_fill(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
	 uint8_t *dst)
{
	uint64_t size = x->cfg->size, off, take;
	size_t used;

	if (x->cfg->mode == DPT_TFTP_MODE_OCTET) {
		off = (x->next - 1) * x->blksize;
		take = size - off < x->blksize ? size - off : x->blksize;
		dpt_bench_pattern(x->cfg->seed, off, dst, take);
		return take;
	}
	take = size - x->in_next < x->blksize ? size - x->in_next : x->blksize;
	dpt_bench_pattern(x->cfg->seed, x->in_next, io->scratch, take);
	take = dpt_tftp_nva_encode(&x->enc_next, io->scratch, take, dst,
				   x->blksize, &used);
	x->in_next += used;
	return take;
}

static void
wrq_pump(struct dpt_bench_xfer *x, const struct dpt_bench_io *io)
{
	uint8_t *b;
	size_t n;

	while ((x->last == 0 || x->next <= x->last) &&
	       x->next < x->base + x->windowsize) {
		b = io->tx_buf(io->ctx, x);
		dpt_tftp_build_data_hdr(b, DPT_TFTP_HDR_LEN, (uint16_t)x->next);
		n = wrq_fill(x, io, b + DPT_TFTP_HDR_LEN);
		if (n < x->blksize)
			x->last = x->next;
		io->tx_push(io->ctx, x, DPT_TFTP_HDR_LEN + n);
		if (x->next > x->sent_max) {
			x->sent_max = x->next;
			x->st->data_pkts++;
		} else {
			x->retransmits++;
			x->st->retransmits++;
		}
		x->next++;
	}
}

/* Sends again from the first unacknowledged block. */
static void
wrq_rewind(struct dpt_bench_xfer *x)
{
	x->next = x->base;
	x->in_next = x->in_base;
	x->enc_next = x->enc_base;
}

/* Moves the window's start to block to (netascii: re-encodes the blocks
 * acknowledged, counting only, to learn where the input stands). */
static void
wrq_slide(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
	  uint64_t to)
{
	uint64_t size = x->cfg->size, take, acked;
	size_t used;

	if (x->cfg->mode == DPT_TFTP_MODE_NETASCII) {
		for (; x->base < to; x->base++) {
			take = size - x->in_base < x->blksize ?
			       size - x->in_base : x->blksize;
			dpt_bench_pattern(x->cfg->seed, x->in_base,
					  io->scratch, take);
			dpt_tftp_nva_encode(&x->enc_base, io->scratch, take,
					    NULL, x->blksize, &used);
			x->in_base += used;
		}
		acked = x->in_base;
	} else {
		x->base = to;
		acked = (to - 1) * x->blksize;
		if (acked > size)
			acked = size;
	}
	add_bytes(x, acked - x->bytes);
}

static void
wrq_begin(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
	  uint64_t now)
{
	x->state = DPT_BENCH_X_RUN;
	x->t_first = now;
	x->base = x->next = 1;
	if (x->cfg->mode == DPT_TFTP_MODE_OCTET)
		x->last = x->cfg->size / x->blksize + 1;
	progress(x, now);
	wrq_pump(x, io);
}

static void
wrq_oack(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
	 const uint8_t *p, size_t len, uint64_t now)
{
	if (x->state == DPT_BENCH_X_RUN) {
		/* The OACK again: nothing of ours arrived yet. */
		if (x->base == 1) {
			wrq_rewind(x);
			wrq_pump(x, io);
		}
		return;
	}
	if (take_oack(x, io, p, len, now) == 0)
		wrq_begin(x, io, now);
}

static void
wrq_ack(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
	const uint8_t *p, size_t len, uint64_t now)
{
	uint64_t n;
	uint16_t blk;

	if (len < DPT_TFTP_HDR_LEN) {
		violation(x, io, "Truncated ACK", now);
		return;
	}
	blk = be16(p + 2);
	if (x->state == DPT_BENCH_X_REQ) {
		if (blk != 0) {
			violation(x, io, "ACK of a block not sent", now);
			return;
		}
		wrq_begin(x, io, now);	/* no OACK: RFC 1350 values */
		return;
	}
	n = x->base - 1 + (uint16_t)(blk - (uint16_t)(x->base - 1));
	if (n >= x->next || n == x->base - 1)
		return;		/* stale or repeated: SAS-safe, ignored */
	wrq_slide(x, io, n + 1);
	progress(x, now);
	if (x->last != 0 && x->base > x->last) {
		end(x, DPT_BENCH_OK, now);
		return;
	}
	if (n < x->next - 1)	/* a partial ACK: resend after it */
		wrq_rewind(x);
	wrq_pump(x, io);
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

static const input_fn rrq_handlers[DPT_TFTP_OACK + 1] = {
	[DPT_TFTP_DATA] = rrq_data,
	[DPT_TFTP_OACK] = rrq_oack,
	[DPT_TFTP_ERROR] = on_error,
};

static const input_fn wrq_handlers[DPT_TFTP_OACK + 1] = {
	[DPT_TFTP_ACK] = wrq_ack,
	[DPT_TFTP_OACK] = wrq_oack,
	[DPT_TFTP_ERROR] = on_error,
};

void
dpt_bench_xfer_start(struct dpt_bench_xfer *x,
		     const struct dpt_bench_xcfg *cfg,
		     struct dpt_bench_stats *st,
		     const struct dpt_bench_job *job,
		     const struct dpt_bench_io *io, uint64_t now)
{
	memset(x, 0, offsetof(struct dpt_bench_xfer, job));
	x->job.id = job->id;
	x->job.client = job->client;
	x->job.file = job->file;
	x->job.f = job->f;
	snprintf(x->job.name, sizeof(x->job.name), "%s", job->name);
	x->err_msg[0] = '\0';
	x->cfg = cfg;
	x->st = st;
	x->state = DPT_BENCH_X_REQ;
	x->blksize = DPT_TFTP_BLKSIZE_DEFAULT;
	x->windowsize = 1;
	x->t_start = now;
	x->rto = cfg->rto_us;
	x->deadline = now + x->rto;
	send_request(x, io);
}

void
dpt_bench_xfer_input(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
		     const uint8_t *p, size_t len, uint64_t now)
{
	const input_fn *h = x->cfg->op == DPT_TFTP_RRQ ? rrq_handlers :
							  wrq_handlers;
	uint16_t op = dpt_tftp_opcode(p, len);

	if (x->state != DPT_BENCH_X_REQ && x->state != DPT_BENCH_X_RUN)
		return;
	if (op > DPT_TFTP_OACK || h[op] == NULL) {
		char what[40];

		/* which: a diagnosis needs it (an ACK, a request, garbage) */
		snprintf(what, sizeof(what), "Unexpected opcode %u (%zu bytes)",
			 op, len);
		violation(x, io, what, now);
		return;
	}
	h[op](x, io, p, len, now);
}

bool
dpt_bench_xfer_first_reply(const struct dpt_bench_xfer *x, const uint8_t *p,
			   size_t len)
{
	/* Anything else is late: an earlier transfer's, on the same port. */
	uint16_t blk = len >= DPT_TFTP_HDR_LEN ? be16(p + 2) : UINT16_MAX;

	switch (dpt_tftp_opcode(p, len)) {
	case DPT_TFTP_OACK:
	case DPT_TFTP_ERROR:
		return true;
	case DPT_TFTP_DATA:
		return x->cfg->op == DPT_TFTP_RRQ && blk == 1;
	case DPT_TFTP_ACK:
		return x->cfg->op == DPT_TFTP_WRQ && blk == 0;
	default:
		return false;
	}
}

void
dpt_bench_xfer_timer(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
		     uint64_t now)
{
	if ((x->state != DPT_BENCH_X_REQ && x->state != DPT_BENCH_X_RUN) ||
	    now < x->deadline)
		return;
	if (x->tries >= x->cfg->retries) {
		end(x, DPT_BENCH_TIMEOUT, now);
		return;
	}
	x->tries++;
	x->rto = x->rto * 2 < x->cfg->rto_max_us ? x->rto * 2 :
						   x->cfg->rto_max_us;
	x->deadline = now + x->rto;
	if (x->state == DPT_BENCH_X_REQ || x->cfg->op == DPT_TFTP_RRQ) {
		x->retransmits++;
		x->st->retransmits++;
	}
	if (x->state == DPT_BENCH_X_REQ) {
		x->st->req_retransmits++;
		send_request(x, io);
	} else if (x->cfg->op == DPT_TFTP_RRQ) {
		x->gap_for = 0;
		send_ack(x, io, x->expected - 1);
	} else {
		wrq_rewind(x);
		wrq_pump(x, io);
	}
}

void
dpt_bench_xfer_fail(struct dpt_bench_xfer *x, const struct dpt_bench_io *io,
		    enum dpt_bench_why why, bool tell, uint64_t now)
{
	if (x->state == DPT_BENCH_X_DONE || x->state == DPT_BENCH_X_IDLE)
		return;
	if (tell)
		send_error(x, io, DPT_TFTP_ENOTDEFINED, "Transfer aborted");
	end(x, why, now);
}

void
dpt_bench_xcfg_init(struct dpt_bench_xcfg *c, const struct dpt_bench_opts *o)
{
	memset(c, 0, sizeof(*c));
	c->op = o->op;
	c->mode = o->mode;
	c->rto_us = o->rto_us;
	c->rto_max_us = o->rto_max_us < o->rto_us ? o->rto_us : o->rto_max_us;
	c->retries = o->retries;
	c->size = o->size;
	c->seed = o->seed;
	c->payload_max = o->blksize > DPT_TFTP_BLKSIZE_DEFAULT ?
			 o->blksize : DPT_TFTP_BLKSIZE_DEFAULT;
	if (o->blksize != 0) {
		c->ask.mask |= DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_BLKSIZE);
		c->ask.value[DPT_TFTP_OPT_BLKSIZE] = o->blksize;
	}
	if (o->timeout_s != 0) {
		c->ask.mask |= DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_TIMEOUT);
		c->ask.value[DPT_TFTP_OPT_TIMEOUT] = o->timeout_s;
	}
	if (o->tsize) {
		c->ask.mask |= DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_TSIZE);
		c->ask.value[DPT_TFTP_OPT_TSIZE] =
			o->op == DPT_TFTP_WRQ ? o->size : 0;
	}
	if (o->windowsize != 0) {
		c->ask.mask |= DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_WINDOWSIZE);
		c->ask.value[DPT_TFTP_OPT_WINDOWSIZE] = o->windowsize;
	}
}
