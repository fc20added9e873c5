/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The receiving side (WRQ). base is the next block expected, acked the last
 * block acknowledged. Blocks are stored only in order, so a duplicate is
 * never written twice. With a window, one ACK goes per windowsize blocks;
 * on a gap the last in-order block is ACKed once; a duplicate of the block
 * last ACKed means that ACK was lost and gets it again. The final ACK leaves
 * only after commit() says the file is safe.
 */

#include <errno.h>

#include "dpt_tftp.h"
#include "tftp_internal.h"

/* Netascii blocks are decoded on the stack first; kept apart so that the
 * octet path does not pay for the big frame. */
static __attribute__((noinline)) int
store_netascii(struct dpt_tftp_session *s, const uint8_t *data, size_t len,
	       bool final, size_t *stored)
{
	uint8_t buf[DPT_TFTP_BLKSIZE_MAX + 2];
	struct dpt_tftp_nva_dec dec = s->nva_dec;
	size_t n;
	int rc;

	n = dpt_tftp_nva_decode(&dec, data, len, buf);
	if (final)
		n += dpt_tftp_nva_decode_end(&dec, buf + n);
	if (s->cfg.upload_max != 0 && s->wr_off + n > s->cfg.upload_max)
		return -EFBIG;
	rc = n == 0 ? 0 : s->io->write(s->ctx, s->wr_off, buf, n);
	if (rc < 0)
		return rc;
	s->nva_dec = dec;
	*stored = n;
	return 0;
}

/* Stores one block's payload; 0, -EAGAIN, or another negative errno. */
static int
store(struct dpt_tftp_session *s, const uint8_t *data, size_t len,
      bool final, size_t *stored)
{
	int rc;

	if (s->mode == DPT_TFTP_MODE_NETASCII)
		return store_netascii(s, data, len, final, stored);
	if (s->cfg.upload_max != 0 && s->wr_off + len > s->cfg.upload_max)
		return -EFBIG;
	rc = len == 0 ? 0 : s->io->write(s->ctx, s->wr_off, data, len);
	if (rc < 0)
		return rc;
	*stored = len;
	return 0;
}

static void
send_window_ack(struct dpt_tftp_session *s, uint64_t block, uint64_t now)
{
	if (sess_send_ack(s, (uint16_t)block) < 0)
		return;		/* the timer will send it */
	s->acked = block;
	if (!s->probing) {
		s->probing = true;
		s->probe_block = block + 1;
		s->t_probe = now;
	}
}

static void
finish(struct dpt_tftp_session *s, uint64_t now)
{
	s->acked = s->base - 1;
	sess_send_ack(s, (uint16_t)s->acked);
	s->state = DPT_TFTP_S_DALLY;
	s->end = DPT_TFTP_END_COMPLETE;
	s->t_done = now;
	s->t_rexmit = now + s->cfg.dally_us;
	s->deadline = s->t_rexmit;
}

void
wrq_commit_done(struct dpt_tftp_session *s, int err, uint64_t now)
{
	if (s->state != DPT_TFTP_S_COMMITTING)
		return;
	if (err < 0)
		sess_fail_io(s, err);
	else
		finish(s, now);
}

static void
on_final(struct dpt_tftp_session *s, uint64_t now)
{
	int rc;

	s->state = DPT_TFTP_S_COMMITTING;
	s->t_rexmit = UINT64_MAX;
	s->deadline = UINT64_MAX;
	rc = s->io->commit(s->ctx);
	if (rc == -EINPROGRESS)
		return;
	wrq_commit_done(s, rc, now);
}

static void
on_data(struct dpt_tftp_session *s, uint16_t b, const uint8_t *data,
	size_t len, uint64_t now)
{
	uint16_t rel = (uint16_t)(b - (uint16_t)s->base);
	size_t stored = 0;
	int rc;

	if (rel != 0) {
		if (rel >= 0x8000) {		/* behind: a duplicate */
			s->stats.dup_data++;
			if ((uint16_t)s->acked == b)
				sess_send_ack(s, b);
		} else if (s->gap_base != s->base) {	/* ahead: a gap */
			s->gap_base = s->base;
			send_window_ack(s, s->base - 1, now);
			sess_arm(s, now);
		}
		return;
	}
	rc = store(s, data, len, len < s->neg.blksize, &stored);
	if (rc == -EAGAIN)
		return;		/* unacknowledged: the client resends it */
	if (rc < 0) {
		sess_fail_io(s, rc);
		return;
	}
	if (s->probing && s->base >= s->probe_block && s->tries == 0)
		sess_rtt_sample(s, now);
	s->wr_off += stored;
	s->stats.bytes += stored;
	s->stats.blocks++;
	s->base++;
	if (len < s->neg.blksize) {
		on_final(s, now);
		return;
	}
	if (s->base - 1 - s->acked >= s->neg.windowsize)
		send_window_ack(s, s->base - 1, now);
	sess_arm(s, now);
}

void
wrq_begin(struct dpt_tftp_session *s, uint64_t now)
{
	s->state = DPT_TFTP_S_RECEIVING;
	s->base = 1;
	sess_arm(s, now);
	if (s->neg.accepted == 0) {	/* the OACK stood for ACK 0 */
		if (sess_send_ack(s, 0) < 0) {
			sess_first_pending(s, now);	/* soon, not never */
			return;
		}
		s->probing = true;
		s->probe_block = 1;
		s->t_probe = now;
	}
}

void
wrq_input(struct dpt_tftp_session *s, const uint8_t *p, size_t len,
	  uint64_t now)
{
	uint16_t op = dpt_tftp_opcode(p, len);

	if (op != DPT_TFTP_DATA || len < 4 ||
	    len - DPT_TFTP_HDR_LEN > s->neg.blksize) {
		if (s->state == DPT_TFTP_S_DALLY)
			return;		/* done already: stay quiet */
		sess_send_error(s, DPT_TFTP_EBADOP, op != DPT_TFTP_DATA ?
				"Expected DATA" : len < 4 ?
				"Truncated DATA" : "DATA exceeds blksize");
		sess_end(s, DPT_TFTP_END_PROTOCOL);
		return;
	}
	switch (s->state) {
	case DPT_TFTP_S_OACK_SENT:
		if (get_be16(p + 2) != 1)
			return;
		if (s->probing && s->tries == 0)
			sess_rtt_sample(s, now);
		s->state = DPT_TFTP_S_RECEIVING;
		s->base = 1;
		/* fall through */
	case DPT_TFTP_S_RECEIVING:
		on_data(s, get_be16(p + 2), p + 4, len - 4, now);
		break;
	case DPT_TFTP_S_DALLY:
		/* Our final ACK was lost: the client sends the last block. */
		if (get_be16(p + 2) == (uint16_t)s->acked) {
			s->stats.dup_data++;
			sess_send_ack(s, (uint16_t)s->acked);
		}
		break;
	default:		/* committing: the ACK waits for the disk */
		break;
	}
}

void
wrq_timer(struct dpt_tftp_session *s, uint64_t now)
{
	if (s->state == DPT_TFTP_S_DALLY) {
		sess_end(s, DPT_TFTP_END_COMPLETE);
		return;
	}
	if (s->state != DPT_TFTP_S_RECEIVING)
		return;
	if (sess_backoff(s, now) < 0)
		return;
	/* Say again where we stand; the sender resumes from there. */
	if (sess_send_ack(s, (uint16_t)(s->base - 1)) == 0) {
		s->acked = s->base - 1;
		if (!s->first_pending)
			s->stats.retransmits++;
		s->first_pending = false;
	}
}
