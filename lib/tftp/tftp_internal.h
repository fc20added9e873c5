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

/* tftp_options.c */
size_t tftp_oack_build(void *buf, size_t cap, const uint8_t *order,
		       const struct dpt_tftp_negotiated *neg);
void tftp_opt_order(const struct dpt_tftp_request *req, uint8_t *order);

/* tftp_session.c: used by the RRQ and WRQ halves */
void sess_send_error(struct dpt_tftp_session *s, uint16_t code,
		     const char *msg);
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
