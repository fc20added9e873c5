/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The sending side (RRQ) with RFC 7440 windows. Blocks are numbered from 1
 * in 64 bits inside; the wire carries the low 16 bits, so block 65536 goes
 * out as 0 and files of any size move.
 *
 * base is the first unacknowledged block, next the next to send. An ACK
 * for k in [base, sent_max] slides the window to k + 1 and sends from there
 * (the client discarded what followed a gap); an ACK for base - 1 is a
 * duplicate and is ignored, so no ACK ever causes a second copy of a window
 * (Sorcerer's Apprentice); only a timeout resends, from base.
 *
 * Pacing (cfg.pace). A window leaves in one burst while nothing is lost:
 * on a clean path pacing costs nothing. A loss halves the burst: every
 * timeout, and an ACK that leaves a gap behind what was sent once per
 * loss event (gaps among blocks sent before the cut belong to it); each
 * window then acknowledged whole doubles it, back to the window. While
 * the burst is smaller than the window, the window's blocks leave in
 * bursts spread over about one smoothed RTT, so a path whose queue
 * dropped the tail of a burst is not handed the same burst again; where
 * that spacing would be under pace_min_us (a fast path: a timer tick) the
 * window goes whole. The client still gets whole windows (RFC 7440):
 * only their timing changes.
 *
 * Rate limit (cfg.rate_bps). A token bucket of bytes, filled at the rate
 * and holding two timer ticks' worth (pace_min_us; two blocks at least,
 * full at the start), is paid a block's datagram (header and blksize)
 * before each DATA, first sends and retransmissions alike: what it cannot
 * pay waits, as a paced burst does, until the bucket can. A window's
 * timeout counts from its last block sent, not its first, so a slow rate
 * is never taken for a loss.
 *
 * The final block is resent only after the whole first timeout
 * (cfg.timeout_us or the negotiated one), not the RTT-adapted one: a
 * client that has it may have closed its socket at once, and one that
 * reuses its port (PXE firmware, iPXE) would take a resent final block
 * for the answer to its next request. A final block truly lost costs that
 * timeout, once.
 */

#include <errno.h>
#include <string.h>

#include "dpt_tftp.h"
#include "tftp_internal.h"

#define NVA_CHUNK 512	/* netascii input read per call */

static uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * Netascii: produces up to cap encoded bytes starting at input offset *off
 * with encoder state *enc (both advanced). out NULL counts only. Returns
 * the count, or a negative errno from read().
 */
static ssize_t
nva_produce(struct dpt_tftp_session *s, uint64_t *off,
	    struct dpt_tftp_nva_enc *enc, uint8_t *out, size_t cap)
{
	uint8_t chunk[NVA_CHUNK];
	size_t produced = 0;

	while (produced < cap) {
		size_t want, used, n;
		ssize_t r;

		if (enc->pending != 0) {
			produced += dpt_tftp_nva_encode(enc, NULL, 0,
				out == NULL ? NULL : out + produced,
				cap - produced, &used);
			continue;
		}
		if (*off >= s->size)
			break;
		want = (size_t)min_u64(min_u64(NVA_CHUNK, s->size - *off),
				       cap - produced);
		r = s->io->read(s->ctx, *off, chunk, want);
		if (r < 0)
			return r;
		if ((size_t)r != want)
			return -EIO;	/* the file shrank under us */
		n = dpt_tftp_nva_encode(enc, chunk, want,
					out == NULL ? NULL : out + produced,
					cap - produced, &used);
		produced += n;
		*off += used;
	}
	return (ssize_t)produced;
}

/* Sends block n with buffers from alloc(). Returns bytes of payload. */
static ssize_t
send_block_copy(struct dpt_tftp_session *s, uint64_t n)
{
	uint16_t bs = s->neg.blksize;
	uint64_t off = (n - 1) * bs;
	size_t len;
	uint8_t *buf;
	ssize_t r;

	if (s->mode == DPT_TFTP_MODE_OCTET)
		len = (size_t)min_u64(bs, s->size - off);
	else
		len = bs;
	buf = s->io->alloc(s->ctx, DPT_TFTP_HDR_LEN + len);
	if (buf == NULL)
		return -ENOBUFS;
	dpt_tftp_build_data_hdr(buf, DPT_TFTP_HDR_LEN, (uint16_t)n);

	if (s->mode == DPT_TFTP_MODE_OCTET) {
		r = len == 0 ? 0 : s->io->read(s->ctx, off, buf + 4, len);
		if (r >= 0 && (size_t)r != len)
			r = -EIO;
	} else {
		uint64_t in_off = s->nva_next_off;
		struct dpt_tftp_nva_enc enc = s->nva_next;

		r = nva_produce(s, &in_off, &enc, buf + 4, bs);
		if (r >= 0) {
			s->nva_next_off = in_off;
			s->nva_next = enc;
			if ((size_t)r < bs)
				s->last = n;
		}
	}
	if (r < 0) {
		s->io->discard(s->ctx, buf);
		return r;
	}
	s->io->send(s->ctx, buf, DPT_TFTP_HDR_LEN + (size_t)r);
	return r;
}

/* Sends block n; 0, -EAGAIN/-ENOBUFS to retry later, or another errno. */
static int
send_block(struct dpt_tftp_session *s, uint64_t n, uint64_t now)
{
	ssize_t r;

	if (s->mode == DPT_TFTP_MODE_OCTET && s->io->send_data != NULL) {
		uint64_t off = (n - 1) * s->neg.blksize;
		uint32_t len = (uint32_t)min_u64(s->neg.blksize,
						 s->size - off);

		r = s->io->send_data(s->ctx, (uint16_t)n, off, len);
		if (r == 0)
			r = len;
	} else {
		r = send_block_copy(s, n);
	}
	if (r < 0)
		return (int)r;
	if (n > s->sent_max) {
		s->sent_max = n;
		s->stats.blocks++;
		s->stats.bytes += (uint64_t)r;
		if (!s->probing) {
			s->probing = true;
			s->probe_block = n;
			s->t_probe = now;
		}
	} else {
		s->stats.retransmits++;
	}
	return 0;
}

/* The time between two paced bursts: the window spread over an RTT
 * (1 ms before one is measured). */
static uint64_t
pace_gap(const struct dpt_tftp_session *s)
{
	uint64_t rtt = s->srtt != 0 ? s->srtt : 1000;

	return rtt * s->burst / s->neg.windowsize;
}

/* A loss was seen: the burst halves, once per loss event of partial
 * ACKs; every timeout (a window, or its tail, lost whole) halves it. */
static void
pace_cut(struct dpt_tftp_session *s, bool timeout)
{
	if (!s->cfg.pace || s->neg.windowsize <= 1 ||
	    (!timeout && s->base <= s->recover))
		return;
	s->burst = s->burst > 1 ? (uint16_t)(s->burst / 2) : 1;
	s->recover = s->sent_max;
	s->stats.pace_cuts++;
}

/* Starts the rate limit's bucket full: two timer ticks at the rate, two
 * datagrams at least. */
static void
rate_begin(struct dpt_tftp_session *s, uint64_t now)
{
	uint64_t dgram = (uint64_t)s->neg.blksize + 4;
	uint64_t ticks = s->cfg.rate_bps / 8 * 2 * s->cfg.pace_min_us /
			 1000000;

	s->rate_depth = ticks > 2 * dgram ? ticks : 2 * dgram;
	s->rate_tok = s->rate_depth;
	s->rate_t = now;
	s->rate_fill_us = (s->rate_depth * 8000000 + s->cfg.rate_bps - 1) /
			  s->cfg.rate_bps;
}

/* Pays for one DATA under cfg.rate_bps: true, or false with the time
 * the bucket will hold it set as the next paced burst's, and the
 * window's timeout counted from then (a wait for the rate is no loss). */
static bool
rate_pay(struct dpt_tftp_session *s, uint64_t now)
{
	uint64_t need = (uint64_t)s->neg.blksize + 4, dt = now - s->rate_t;

	if (now > s->rate_t) {
		if (dt > s->rate_fill_us)
			dt = s->rate_fill_us;	/* full by then */
		s->rate_tok += dt * s->cfg.rate_bps / 8000000;
		if (s->rate_tok > s->rate_depth)
			s->rate_tok = s->rate_depth;
		s->rate_t = now;
	}
	if (s->rate_tok >= need) {
		s->rate_tok -= need;
		return true;
	}
	dt = ((need - s->rate_tok) * 8000000 + s->cfg.rate_bps - 1) /
	     s->cfg.rate_bps;
	sess_pace_at(s, now + dt, now);
	sess_rexmit_from(s, now + dt, now);
	s->stats.rate_waits++;
	return false;
}

void
rrq_pump(struct dpt_tftp_session *s, uint64_t now)
{
	uint64_t wend = s->base + s->neg.windowsize - 1;
	bool idle = s->t_rexmit == UINT64_MAX;
	bool paced = s->burst < s->neg.windowsize;
	bool limited = s->cfg.rate_bps != 0;
	uint16_t sent = 0;

	if (s->state != DPT_TFTP_S_SENDING ||
	    ((paced || limited) && s->t_pace != UINT64_MAX))
		return;		/* no DATA yet, or the next burst has its time */
	while (s->next <= wend && (s->last == 0 || s->next <= s->last)) {
		int rc;

		if (paced && sent == s->burst) {
			uint64_t gap = pace_gap(s);

			/* A gap shorter than the timers can keep is no pacing
			 * at all: the window goes on, whole (fast paths). */
			if (gap >= s->cfg.pace_min_us) {
				sess_pace_at(s, now + gap, now);
				break;
			}
			paced = false;
		}
		if (limited && !rate_pay(s, now))
			break;
		rc = send_block(s, s->next, now);

		if (rc == -EAGAIN || rc == -ENOBUFS) {
			if (limited)	/* not sent: not paid for */
				s->rate_tok += (uint64_t)s->neg.blksize + 4;
			sess_arm_stall(s, now);
			return;
		}
		if (rc < 0) {
			sess_fail_io(s, rc);
			return;
		}
		s->next++;
		if (idle)
			sess_arm(s, now);
		else if (sent == 0)	/* a later burst of the window */
			sess_rexmit_from(s, now, now);
		idle = false;
		sent++;
		if (s->next - 1 == s->last)
			sess_final_sent(s, now);
	}
}

void
rrq_begin(struct dpt_tftp_session *s, uint64_t now)
{
	s->state = DPT_TFTP_S_SENDING;
	s->base = 1;
	s->next = 1;
	s->t_rexmit = UINT64_MAX;
	if (s->cfg.rate_bps != 0)
		rate_begin(s, now);
	if (s->mode == DPT_TFTP_MODE_OCTET)
		s->last = s->size / s->neg.blksize + 1;
	rrq_pump(s, now);
}

/* Moves the netascii checkpoint of base forward to block k + 1. */
static int
nva_slide(struct dpt_tftp_session *s, uint64_t k)
{
	if (k + 1 == s->next) {
		s->nva_base_off = s->nva_next_off;
		s->nva_base = s->nva_next;
		return 0;
	}
	while (s->base <= k) {
		ssize_t r = nva_produce(s, &s->nva_base_off, &s->nva_base,
					NULL, s->neg.blksize);

		if (r < 0)
			return (int)r;
		s->base++;
	}
	return 0;
}

static void
on_ack(struct dpt_tftp_session *s, uint16_t a, uint64_t now)
{
	uint64_t prev = s->base - 1;
	uint64_t rel = (uint16_t)(a - (uint16_t)prev);
	uint64_t k;
	int rc;

	if (rel == 0 || rel > s->sent_max - prev) {
		s->stats.dup_acks++;	/* duplicate, stale or never sent */
		return;
	}
	k = prev + rel;
	if (s->probing && k >= s->probe_block && s->tries == 0)
		sess_rtt_sample(s, now);
	if (s->last != 0 && k >= s->last) {
		s->base = k + 1;
		sess_end(s, DPT_TFTP_END_COMPLETE);
		return;
	}
	if (s->mode == DPT_TFTP_MODE_NETASCII) {
		rc = nva_slide(s, k);
		if (rc < 0) {
			sess_fail_io(s, rc);
			return;
		}
	}
	if (k + 1 < s->next) {
		/* A partial ACK: the client dropped what followed a gap. */
		pace_cut(s, false);
	} else if (k + 1 == s->next && s->burst < s->neg.windowsize &&
		   k >= s->recover) {
		/* a window acknowledged whole: the burst doubles back */
		s->burst = (uint16_t)(s->burst * 2 < s->neg.windowsize ?
				      s->burst * 2 : s->neg.windowsize);
	}
	if (k + 1 != s->next) {
		/*
		 * A partial ACK (the client dropped what followed a gap), or
		 * one for a block sent before a timeout sent us back.
		 */
		s->next = k + 1;
		s->nva_next_off = s->nva_base_off;
		s->nva_next = s->nva_base;
	}
	s->base = k + 1;
	s->t_rexmit = UINT64_MAX;
	s->stalled = false;
	rrq_pump(s, now);
	if (s->state == DPT_TFTP_S_SENDING && s->t_rexmit == UINT64_MAX &&
	    !s->stalled) {
		sess_arm(s, now);
		/* nothing left now: the next burst waits for its time */
		if (s->t_pace != UINT64_MAX)
			sess_rexmit_from(s, s->t_pace, now);
	}
}

void
rrq_input(struct dpt_tftp_session *s, const uint8_t *p, size_t len,
	  uint64_t now)
{
	uint16_t op = dpt_tftp_opcode(p, len);

	if (op != DPT_TFTP_ACK || len < 4) {
		sess_send_error(s, DPT_TFTP_EBADOP, op == DPT_TFTP_ACK ?
				"Truncated ACK" : "Expected ACK");
		sess_end(s, DPT_TFTP_END_PROTOCOL);
		return;
	}
	if (s->state == DPT_TFTP_S_OACK_SENT) {
		if (get_be16(p + 2) != 0) {
			s->stats.dup_acks++;
			return;
		}
		if (s->probing && s->tries == 0)
			sess_rtt_sample(s, now);
		s->t_rexmit = UINT64_MAX;
		rrq_begin(s, now);
		return;
	}
	on_ack(s, get_be16(p + 2), now);
}

void
rrq_timer(struct dpt_tftp_session *s, uint64_t now)
{
	if (s->state != DPT_TFTP_S_SENDING)
		return;
	if (sess_backoff(s, now) < 0)
		return;
	pace_cut(s, true);
	/* Go back to the first unacknowledged block; the timer stays armed
	 * with the backed-off interval. */
	s->next = s->base;
	s->nva_next_off = s->nva_base_off;
	s->nva_next = s->nva_base;
	rrq_pump(s, now);
}
