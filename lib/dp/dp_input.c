/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * What a client sends its session after the request: to the session's
 * port, or in single-port mode to the listening port. The final ACK of a
 * download that already ended counts it complete after all.
 */

#include <string.h>
#include <sys/socket.h>

#include <rte_branch_prediction.h>

#include "dp_internal.h"

/* The client spoke to session s (anything from its address and port):
 * from now on a copy of its request can no longer be on its way. When:
 * as m arrived (the clock request copies are stamped on), not when the
 * worker's poll began. */
static inline void
heard_from(struct dp_session *s, struct rte_mbuf *m)
{
	if (unlikely(s->mark.heard_us == UINT64_MAX)) {
		uint64_t tsc = dpt_meta(m)->rx_tsc;

		s->mark.heard_us = tsc != 0 ? dpt_dp_tsc_us(tsc) :
					      dpt_dp_now_us();
	}
}

/* Is m from the client that session s is talking to? */
static inline bool
same_peer(const struct dp_session *s, const struct dpt_pkt_meta *m)
{
	return m->client_port == s->reply.client_port &&
	       m->family == s->reply.family &&
	       (m->family == AF_INET ?
		memcmp(m->client_ip, s->reply.client_ip, 4) == 0 :
		memcmp(m->client_ip, s->reply.client_ip, 16) == 0);
}

/* The final ACK of a download that ended final-ack-lost, come late to
 * its port (free, or another session's by now): the download counts
 * complete after all. True when m was that. */
static bool
late_final_ack(struct dp_worker *w, struct rte_mbuf *m)
{
	const struct dpt_pkt_meta *meta = dpt_meta(m);
	uint32_t *mark = &w->late_ack[meta->server_port];
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);

	if (*mark == 0 || rte_pktmbuf_data_len(m) < DPT_TFTP_HDR_LEN ||
	    dpt_tftp_opcode(p, DPT_TFTP_HDR_LEN) != DPT_TFTP_ACK ||
	    *mark != dp_late_ack_mark(meta, (uint16_t)(p[2] << 8 | p[3])))
		return false;
	*mark = 0;
	/* sessions-unacked keeps it (every counter only grows); it counts
	 * completed too, and late-final-acks says how many did. */
	DP_STAT_INC(w->st.sess_completed);
	DP_STAT_INC(w->st.late_final_acks);
	return true;
}

void
dp_session_input(struct dp_worker *w, struct rte_mbuf *m, uint64_t now)
{
	const struct dpt_pkt_meta *meta = dpt_meta(m);
	uint32_t idx = w->by_port[meta->server_port];
	struct dp_session *s;
	const void *p;
	uint32_t len;

	if (idx == 0) {		/* a port no session holds any more */
		if (!late_final_ack(w, m))
			DP_STAT_INC(w->st.drop_stale);
		return;
	}
	if (dp_payload(w, m, &p, &len) < 0)
		return;
	s = &w->slots[idx - 1];
	if (unlikely(!same_peer(s, meta))) {
		/* The port's last download, acknowledged at last? */
		if (late_final_ack(w, m))
			return;
		/* RFC 1350: another TID gets ERROR 5 and the session goes on
		 * unharmed; but an ERROR is never answered. */
		DP_STAT_INC(w->st.drop_foreign);
		if (dpt_tftp_opcode(p, len) != DPT_TFTP_ERROR)
			dp_send_error(w, meta, DPT_TFTP_EBADID, NULL);
		return;
	}
	if (unlikely(s->phase != DP_ACTIVE)) {
		DP_STAT_INC(w->st.drop_stale);
		return;
	}
	heard_from(s, m);
	dpt_tftp_session_input(s->t, p, len, now);
	dp_session_after(w, s);
}

/* Single-port mode: a datagram to the listening port that is not a
 * request belongs to the session of its client's address and port. */
void
dp_shared_input(struct dp_worker *w, struct rte_mbuf *m, uint64_t now)
{
	const struct dpt_pkt_meta *meta = dpt_meta(m);
	struct dp_session *s;
	struct dp_skey k;
	const void *p;
	uint32_t len;

	if (dp_payload(w, m, &p, &len) < 0)
		return;
	dp_key_make(&k, meta, 0);
	s = dp_session_lookup(w, &k);
	/* No session of that peer: nothing is answered, as on port 69 (a
	 * datagram that is neither a request nor a live session's). */
	if (s == NULL || s->phase != DP_ACTIVE) {
		DP_STAT_INC(w->st.drop_stale);
		return;
	}
	heard_from(s, m);
	dpt_tftp_session_input(s->t, p, len, now);
	dp_session_after(w, s);
}
