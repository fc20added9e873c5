/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * What RRQ and WRQ sessions share: start, the OACK, timers with back-off
 * and RTT adaptation, ERROR in both directions, and the end.
 */

#include <errno.h>
#include <string.h>

#include "dpt_tftp.h"
#include "tftp_internal.h"

static uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static void
update_deadline(struct dpt_tftp_session *s, uint64_t stall_at)
{
	uint64_t d = s->stalled ? min_u64(s->t_rexmit, stall_at) : s->t_rexmit;

	s->deadline = min_u64(d, s->t_pace);
}

void
sess_pace_at(struct dpt_tftp_session *s, uint64_t when, uint64_t now)
{
	s->t_pace = when;
	update_deadline(s, now + s->cfg.stall_us);
}

/* The first retransmission interval for the next packet exchange. */
static uint64_t
rto_initial(const struct dpt_tftp_session *s)
{
	uint64_t rto;

	if (s->neg.timeout_s != 0)
		return (uint64_t)s->neg.timeout_s * 1000000;
	if (!s->cfg.rtt_adapt || s->srtt == 0)
		return s->cfg.timeout_us;
	rto = (uint64_t)s->srtt + 4 * (uint64_t)s->rttvar;
	if (rto < s->cfg.timeout_min_us)
		rto = s->cfg.timeout_min_us;
	return min_u64(rto, s->cfg.timeout_us);
}

void
sess_arm(struct dpt_tftp_session *s, uint64_t now)
{
	s->tries = 0;
	s->rto = rto_initial(s);
	s->t_rexmit = now + s->rto;
	update_deadline(s, now + s->cfg.stall_us);
}

void
sess_rexmit_from(struct dpt_tftp_session *s, uint64_t from, uint64_t now)
{
	if (s->t_rexmit == UINT64_MAX || s->t_rexmit >= from + s->rto)
		return;
	s->t_rexmit = from + s->rto;
	update_deadline(s, now + s->cfg.stall_us);
}

void
sess_final_sent(struct dpt_tftp_session *s, uint64_t now)
{
	uint64_t full = s->neg.timeout_s != 0 ?
			(uint64_t)s->neg.timeout_s * 1000000 : s->cfg.timeout_us;

	if (s->t_rexmit == UINT64_MAX || s->t_rexmit >= now + full)
		return;
	if (s->rto < full)
		s->rto = full;
	s->t_rexmit = now + full;
	update_deadline(s, now + s->cfg.stall_us);
}

void
sess_arm_stall(struct dpt_tftp_session *s, uint64_t now)
{
	s->stalled = true;
	update_deadline(s, now + s->cfg.stall_us);
}

/* A timeout: back off, or give up. Returns 0 to retransmit, -1 ended. */
int
sess_backoff(struct dpt_tftp_session *s, uint64_t now)
{
	uint64_t cap = s->cfg.timeout_max_us;

	if (s->tries >= s->cfg.retries) {
		sess_end(s, dpt_tftp_session_final_sent(s) ?
			 DPT_TFTP_END_UNACKED : DPT_TFTP_END_TIMEOUT);
		return -1;
	}
	s->tries++;
	s->probing = false;	/* Karn: no sample across a retransmission */
	if (cap < s->rto)
		cap = s->rto;
	s->rto = min_u64(s->rto * 2, cap);
	s->t_rexmit = now + s->rto;
	update_deadline(s, now + s->cfg.stall_us);
	return 0;
}

void
sess_rtt_sample(struct dpt_tftp_session *s, uint64_t now)
{
	uint64_t r = now - s->t_probe;
	uint32_t rtt = r > UINT32_MAX ? UINT32_MAX : (uint32_t)r;

	s->probing = false;
	if (rtt == 0)
		rtt = 1;
	if (s->srtt == 0) {		/* RFC 6298 2.2 */
		s->srtt = rtt;
		s->rttvar = rtt / 2;
	} else {			/* RFC 6298 2.3 */
		uint32_t d = s->srtt > rtt ? s->srtt - rtt : rtt - s->srtt;

		s->rttvar = s->rttvar - s->rttvar / 4 + d / 4;
		s->srtt = s->srtt - s->srtt / 8 + rtt / 8;
	}
	s->stats.rtt_us = s->srtt;
}

void
sess_end(struct dpt_tftp_session *s, enum dpt_tftp_end why)
{
	if (s->end == DPT_TFTP_END_NONE)
		s->end = why;
	s->state = DPT_TFTP_S_DONE;
	s->deadline = UINT64_MAX;
	s->t_rexmit = UINT64_MAX;
	s->t_pace = UINT64_MAX;
	s->stalled = false;
}

/* Keeps an ERROR's code and message (len bytes, or up to a NUL). */
static void
keep_error(struct dpt_tftp_session *s, uint8_t dir, uint16_t code,
	   const char *msg, size_t len)
{
	size_t n = 0;

	while (n < len && n < sizeof(s->err_msg) - 1 && msg[n] != '\0')
		n++;
	memcpy(s->err_msg, msg, n);
	s->err_msg[n] = '\0';
	s->err_dir = dir;
	s->err_code = code;
}

void
sess_send_error(struct dpt_tftp_session *s, uint16_t code, const char *msg)
{
	uint8_t *buf = s->io->alloc(s->ctx, DPT_TFTP_HDR_LEN +
				    DPT_TFTP_ERRMSG_MAX);
	size_t len;

	if (buf == NULL)	/* best effort: the session ends anyway */
		return;
	len = dpt_tftp_build_error(buf, DPT_TFTP_HDR_LEN + DPT_TFTP_ERRMSG_MAX,
				   code, msg);
	s->io->send(s->ctx, buf, len);
	s->err_sent = (uint8_t)(code < DPT_TFTP_ERR_COUNT ? code + 1 : 1);
	if (msg == NULL)
		msg = dpt_tftp_err_str(code);
	keep_error(s, DPT_TFTP_ERR_SENT, code, msg, strlen(msg));
}

void
sess_fail_io(struct dpt_tftp_session *s, int err)
{
	const char *msg;
	uint16_t code = dpt_tftp_err_from_errno(err, "I/O error", &msg);

	sess_send_error(s, code, msg);
	sess_end(s, DPT_TFTP_END_IO);
}

int
sess_send_ack(struct dpt_tftp_session *s, uint16_t block)
{
	uint8_t *buf = s->io->alloc(s->ctx, DPT_TFTP_HDR_LEN);

	if (buf == NULL)
		return -ENOBUFS;
	s->io->send(s->ctx, buf, dpt_tftp_build_ack(buf, DPT_TFTP_HDR_LEN,
						     block));
	return 0;
}

static int
send_oack(struct dpt_tftp_session *s)
{
	/* Names and 20-digit values of every option fit in 128 bytes. */
	size_t cap = 2 + DPT_TFTP_OPT_COUNT * (11 + 21);
	uint8_t *buf = s->io->alloc(s->ctx, cap);
	size_t len;

	if (buf == NULL)
		return -ENOBUFS;
	len = tftp_oack_build(buf, cap, s->opt_order, &s->neg);
	s->io->send(s->ctx, buf, len);
	return 0;
}

void
sess_handle_error_pkt(struct dpt_tftp_session *s, const uint8_t *p,
		      size_t len)
{
	uint16_t code = len >= 4 ? get_be16(p + 2) : DPT_TFTP_ENOTDEFINED;

	keep_error(s, DPT_TFTP_ERR_RECEIVED, code, (const char *)p + 4,
		   len > 4 ? len - 4 : 0);
	/* Never answer an ERROR (RFC 1350 section 7). */
	if (s->state == DPT_TFTP_S_OACK_SENT && code == DPT_TFTP_EOPTNEG)
		sess_end(s, DPT_TFTP_END_OPTION_PROBE);
	else
		sess_end(s, DPT_TFTP_END_CLIENT_ERROR);
}

int
dpt_tftp_session_start(struct dpt_tftp_session *s,
		       const struct dpt_tftp_config *c,
		       const struct dpt_tftp_request *req,
		       const struct dpt_tftp_negotiated *neg,
		       uint64_t file_size, const struct dpt_tftp_io *io,
		       void *ctx, uint64_t now)
{
	memset(s, 0, sizeof(*s));
	s->io = io;
	s->ctx = ctx;
	s->cfg = *c;
	s->neg = *neg;
	s->op = req->op;
	s->mode = req->mode;
	s->size = req->op == DPT_TFTP_RRQ ? file_size : 0;
	s->t_start = now;
	s->deadline = UINT64_MAX;
	s->t_rexmit = UINT64_MAX;
	s->t_pace = UINT64_MAX;
	s->burst = neg->windowsize != 0 ? neg->windowsize : 1;
	tftp_opt_order(req, s->opt_order);
	if (s->cfg.windowsize_max == 0)
		s->cfg.windowsize_max = 1;

	if (neg->accepted != 0) {
		s->state = DPT_TFTP_S_OACK_SENT;
		s->probing = true;
		s->probe_block = 0;
		s->t_probe = now;
		sess_arm(s, now);
		if (send_oack(s) < 0)	/* no buffer now: soon, not never */
			sess_first_pending(s, now);
		return 0;
	}
	if (s->op == DPT_TFTP_RRQ)
		rrq_begin(s, now);
	else
		wrq_begin(s, now);
	return s->state == DPT_TFTP_S_DONE ? -EIO : 0;
}

void
dpt_tftp_session_input(struct dpt_tftp_session *s, const void *buf,
		       size_t len, uint64_t now)
{
	const uint8_t *p = buf;
	uint16_t op;

	if (s->state == DPT_TFTP_S_DONE)
		return;
	op = dpt_tftp_opcode(buf, len);
	if (op == DPT_TFTP_ERROR) {
		if (s->state != DPT_TFTP_S_DALLY)
			sess_handle_error_pkt(s, p, len);
		else
			sess_end(s, DPT_TFTP_END_COMPLETE);
		return;
	}
	if (s->op == DPT_TFTP_RRQ)
		rrq_input(s, p, len, now);
	else
		wrq_input(s, p, len, now);
}

void
sess_first_pending(struct dpt_tftp_session *s, uint64_t now)
{
	s->first_pending = true;
	s->probing = false;	/* no sample: we do not know when it left */
	sess_arm_stall(s, now);
}

/* The stall poll of a session whose first answer is still to go: sends
 * it, or polls again. A client that answered an earlier copy (ACK 0 to
 * the OACK, DATA 1 to the OACK or ACK 0) is owed nothing more: the
 * transfer has begun. */
static void
first_send(struct dpt_tftp_session *s, uint64_t now)
{
	int rc;

	if (s->state == DPT_TFTP_S_OACK_SENT)
		rc = send_oack(s);
	else if (s->op == DPT_TFTP_WRQ && s->state == DPT_TFTP_S_RECEIVING &&
		 s->base == 1 && s->neg.accepted == 0)
		rc = sess_send_ack(s, 0);
	else
		rc = 0;			/* answered: nothing owed */
	if (rc < 0) {
		sess_arm_stall(s, now);
		return;
	}
	s->first_pending = false;
}

/* Retransmits the OACK on a timeout; 0 when the timeout was handled. */
static int
oack_timer(struct dpt_tftp_session *s, uint64_t now)
{
	if (s->state != DPT_TFTP_S_OACK_SENT)
		return -1;
	if (sess_backoff(s, now) < 0)
		return 0;
	if (send_oack(s) == 0) {
		if (!s->first_pending)
			s->stats.retransmits++;
		s->first_pending = false;
	} else {
		sess_first_pending(s, now);	/* owed: at the stall poll */
	}
	return 0;
}

void
dpt_tftp_session_timer(struct dpt_tftp_session *s, uint64_t now)
{
	if (s->state == DPT_TFTP_S_DONE || now < s->deadline)
		return;
	if (now < s->t_rexmit) {	/* the stall poll or a paced burst */
		s->stalled = false;
		s->t_pace = UINT64_MAX;
		update_deadline(s, now);
		if (s->first_pending)
			first_send(s, now);
		if (!s->first_pending && s->state == DPT_TFTP_S_SENDING)
			rrq_pump(s, now);
		return;
	}
	s->stalled = false;
	s->t_pace = UINT64_MAX;
	if (oack_timer(s, now) == 0)
		return;
	if (s->op == DPT_TFTP_RRQ)
		rrq_timer(s, now);
	else
		wrq_timer(s, now);
}

void
dpt_tftp_session_kick(struct dpt_tftp_session *s, uint64_t now)
{
	if (s->state != DPT_TFTP_S_SENDING || !s->stalled)
		return;
	s->stalled = false;
	update_deadline(s, now);
	rrq_pump(s, now);
}

void
dpt_tftp_session_commit_done(struct dpt_tftp_session *s, int err,
			     uint64_t now)
{
	wrq_commit_done(s, err, now);
}

bool
dpt_tftp_session_final_sent(const struct dpt_tftp_session *s)
{
	if (s->op == DPT_TFTP_WRQ)
		return s->state == DPT_TFTP_S_DALLY;
	return s->state == DPT_TFTP_S_SENDING && s->last != 0 &&
	       s->sent_max >= s->last;
}

void
dpt_tftp_session_end(struct dpt_tftp_session *s, enum dpt_tftp_end why)
{
	if (s->state == DPT_TFTP_S_DONE)
		return;
	if (s->state == DPT_TFTP_S_DALLY)
		why = DPT_TFTP_END_COMPLETE;
	else if (s->op == DPT_TFTP_RRQ && dpt_tftp_session_final_sent(s))
		why = DPT_TFTP_END_UNACKED;
	sess_end(s, why);
}

void
dpt_tftp_session_abort(struct dpt_tftp_session *s, uint16_t code,
		       const char *msg, enum dpt_tftp_end why)
{
	if (s->state == DPT_TFTP_S_DONE)
		return;
	/* Dallying, the transfer is complete; the final DATA gone, the
	 * client most likely has its file: an ERROR now would only make it
	 * doubt a file it has. */
	if (s->state == DPT_TFTP_S_DALLY ||
	    (s->op == DPT_TFTP_RRQ && dpt_tftp_session_final_sent(s))) {
		dpt_tftp_session_end(s, why);
		return;
	}
	sess_send_error(s, code, msg);
	sess_end(s, why);
}
