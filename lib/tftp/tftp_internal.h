/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_TFTP_INTERNAL_H_
#define _DPT_TFTP_INTERNAL_H_

/* Shared between the protocol core's files; not part of its interface. */

#include <stdint.h>

#include "dpt_tftp.h"

static inline uint16_t
get_be16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)((b[0] << 8) | b[1]);
}

static inline void
put_be16(void *p, uint16_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/* A session (opaque to callers: dpt_tftp.h). Every field is the core's
 * alone. */
struct dpt_tftp_session {
	const struct dpt_tftp_io *io;
	void *ctx;
	struct dpt_tftp_config cfg;
	struct dpt_tftp_negotiated neg;
	struct dpt_tftp_session_stats stats;

	enum dpt_tftp_state state;
	enum dpt_tftp_end end;
	enum dpt_tftp_op op;
	enum dpt_tftp_mode mode;
	uint8_t err_sent;	/* 1 + code of the ERROR we sent; 0 none */
	uint8_t tries;		/* retransmissions of the current state */
	bool stalled;		/* waiting on data or buffers, not the peer */
	bool first_pending;	/* the first answer (OACK, ACK 0) could not
				 * go for want of a buffer: the stall poll
				 * sends it, the retransmit timer bounds it */

	uint8_t opt_order[DPT_TFTP_OPT_COUNT];	/* OACK order, client's */

	uint64_t size;		/* RRQ: file size */
	uint64_t base;		/* RRQ: first unacknowledged block (1-based);
				 * WRQ: next block expected */
	uint64_t next;		/* RRQ: next block to send */
	uint64_t last;		/* RRQ: final block number, 0 if unknown */
	uint64_t sent_max;	/* RRQ: highest block sent so far */
	uint64_t acked;		/* WRQ: last block acknowledged */

	/* netascii RRQ: where the input stands at block base and next */
	uint64_t nva_base_off, nva_next_off;
	struct dpt_tftp_nva_enc nva_base, nva_next;
	/* netascii WRQ */
	struct dpt_tftp_nva_dec nva_dec;
	uint64_t wr_off;	/* WRQ: file bytes stored so far */

	uint64_t deadline;	/* next wake, UINT64_MAX when none */
	uint64_t t_rexmit;	/* when to retransmit, UINT64_MAX when idle */
	uint64_t rto;		/* current retransmission interval, us */
	uint64_t t_start;	/* when the session began */
	uint64_t t_done;	/* WRQ: when the final ACK first went out;
				 * 0 before */
	uint64_t t_probe;	/* RTT probe: when the timed packet left */
	uint64_t probe_block;	/* the block (0: the OACK) being timed */
	bool probing;		/* an RTT probe is in flight */
	uint64_t gap_base;	/* WRQ: base for which a gap was re-ACKed */
	uint32_t srtt, rttvar;	/* RFC 6298 estimator, us */
	/* RRQ pacing (cfg.pace): blocks that may leave back to back, and
	 * when the next burst may; a loss seen before `recover` was acked
	 * belongs to the same loss event and cuts nothing more */
	uint16_t burst;
	uint64_t t_pace;	/* UINT64_MAX when no burst is waiting */
	uint64_t recover;
	/* RRQ rate limit (cfg.rate_bps): a token bucket of bytes, filled
	 * at the rate up to rate_depth, last filled at rate_t */
	uint64_t rate_tok, rate_depth, rate_t;
	uint64_t rate_fill_us;	/* the bucket's time to fill from empty */

	/* The last ERROR either way, for the transfer log: its code and
	 * message (the peer's raw bytes, cut to fit) */
	uint8_t err_dir;	/* enum dpt_tftp_err_dir */
	uint16_t err_code;
	char err_msg[DPT_TFTP_ERRMSG_KEEP];
};

/* tftp_options.c */
size_t tftp_oack_build(void *buf, size_t cap, const uint8_t *order,
		       const struct dpt_tftp_negotiated *neg);
void tftp_opt_order(const struct dpt_tftp_request *req, uint8_t *order);

/* tftp_session.c: used by the RRQ and WRQ halves */
void sess_send_error(struct dpt_tftp_session *s, uint16_t code,
		     const char *msg);
/* A window's block leaves at `from` (now, or a paced or rate-limited
 * burst's time): its timeout counts from there, if that is later (tries
 * kept). Nothing when no timeout is armed. */
void sess_rexmit_from(struct dpt_tftp_session *s, uint64_t from,
		      uint64_t now);
void sess_end(struct dpt_tftp_session *s, enum dpt_tftp_end why);
void sess_fail_io(struct dpt_tftp_session *s, int err);
void sess_arm(struct dpt_tftp_session *s, uint64_t now);
void sess_arm_stall(struct dpt_tftp_session *s, uint64_t now);
/* The first answer (OACK, ACK 0) found no buffer: send it at the next
 * stall poll (the retransmit timer, armed, bounds how long). */
void sess_first_pending(struct dpt_tftp_session *s, uint64_t now);
/* The final block went out (again): its retransmission waits the whole
 * first timeout, not the RTT-adapted one. */
void sess_final_sent(struct dpt_tftp_session *s, uint64_t now);
/* The next paced burst may leave at `when`. */
void sess_pace_at(struct dpt_tftp_session *s, uint64_t when, uint64_t now);
int sess_backoff(struct dpt_tftp_session *s, uint64_t now);
void sess_rtt_sample(struct dpt_tftp_session *s, uint64_t now);
int sess_send_ack(struct dpt_tftp_session *s, uint16_t block);
void sess_handle_error_pkt(struct dpt_tftp_session *s, const uint8_t *p,
			   size_t len);

/* tftp_rrq.c */
void rrq_begin(struct dpt_tftp_session *s, uint64_t now);
void rrq_input(struct dpt_tftp_session *s, const uint8_t *p, size_t len,
	       uint64_t now);
void rrq_timer(struct dpt_tftp_session *s, uint64_t now);
void rrq_pump(struct dpt_tftp_session *s, uint64_t now);

/* tftp_wrq.c */
void wrq_begin(struct dpt_tftp_session *s, uint64_t now);
void wrq_input(struct dpt_tftp_session *s, const uint8_t *p, size_t len,
	       uint64_t now);
void wrq_timer(struct dpt_tftp_session *s, uint64_t now);
void wrq_commit_done(struct dpt_tftp_session *s, int err, uint64_t now);

#endif /* _DPT_TFTP_INTERNAL_H_ */
