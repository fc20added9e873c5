/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Requests on a worker: a new RRQ or WRQ (or a copy of one), the file
 * the main lcore opened for it, the upload's writer answering. Worker
 * lcore only; nothing here blocks, allocates from the heap or touches a
 * file.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_branch_prediction.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "dp_internal.h"

/* The ERROR a client gets for errno err (negative). */
static uint16_t
err_code(int err, const char **text)
{
	return dpt_tftp_err_from_errno(err, "Server error", text);
}

/* A request's bytes as a mark: their length and a 64-bit hash (FNV-1a,
 * a byte at a time: a request lies at any alignment). */
static void
mark_of(struct dp_req_mark *mk, const void *p, uint32_t len)
{
	const uint8_t *b = p;
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	uint32_t i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * UINT64_C(0x100000001b3);
	mk->hash = h;
	mk->len = (uint16_t)RTE_MIN(len, (uint32_t)UINT16_MAX);
	mk->heard_us = UINT64_MAX;
	mk->ended_us = UINT64_MAX;
}

/*
 * Is a request (mark `m`, taken in at rx_us) a copy of the one whose
 * session left `old`? Only when its bytes are the same and it arrived
 * before that session heard from the client or ended: the client sends
 * copies only until our first answer reaches it. Anything later, even the
 * same bytes a second after, is a new request (the client may reuse its
 * port for the same file).
 */
static bool
is_copy(const struct dp_req_mark *old, const struct dp_req_mark *m,
	uint64_t rx_us)
{
	return old->len == m->len && old->hash == m->hash &&
	       rx_us < RTE_MIN(old->heard_us, old->ended_us);
}

/*
 * Is the request (mark, taken in at rx_us) from the client of key k a
 * copy of one already answered? A copy is counted and dropped (true). A
 * new request from the client of a session ends that session at once,
 * silently (that address and port belong to the new transfer now).
 */
static bool
request_seen(struct dp_worker *w, const struct dp_skey *k,
	     const struct dp_req_mark *mark, uint64_t rx_us)
{
	struct dp_session *s = dp_session_lookup(w, k);
	const struct dp_recent *r;

	if (s != NULL) {
		if (is_copy(&s->mark, mark, rx_us)) {
			DP_STAT_INC(w->st.dup_requests);
			return true;
		}
		if (s->phase == DP_ACTIVE)
			dpt_tftp_session_end(s->t, DPT_TFTP_END_SUPERSEDED);
		else
			s->xfer = DPT_TFTP_END_SUPERSEDED;
		dp_session_free(w, s);
		return false;
	}
	r = dp_recent_of(w, k);
	if (memcmp(&r->key, k, sizeof(*k)) == 0 &&
	    is_copy(&r->mark, mark, rx_us)) {
		DP_STAT_INC(w->st.dup_requests);
		return true;
	}
	return false;
}

/* Asks the main lcore to open session s's file (msg: a free message). */
static void
open_ask(struct dp_worker *w, struct dp_session *s, struct dp_msg *msg)
{
	const struct dpt_tftp_request *req = &s->req;

	msg->type = DP_MSG_OPEN;
	msg->worker = (uint16_t)w->id;
	msg->slot = s->slot;
	msg->gen = s->gen;
	msg->result = 0;
	msg->entry = NULL;
	msg->upload = NULL;
	msg->m = NULL;
	msg->op = (uint8_t)req->op;
	msg->family = s->reply.family;
	memcpy(msg->ip, s->reply.client_ip, sizeof(msg->ip));
	msg->off = req->opt[DPT_TFTP_OPT_TSIZE].valid ?
		   req->opt[DPT_TFTP_OPT_TSIZE].value : 0;
	memcpy(msg->name, req->filename, req->filename_len + 1);
	if (rte_ring_sp_enqueue(w->to_main, msg) < 0) {
		rte_mempool_put(w->dp->msg_pool, msg);
		DP_STAT_INC(w->st.drop_nomsg);
		dp_session_free(w, s);
		return;
	}
	dp_bell_ring(&w->dp->main_bell);
}

void
dp_request(struct dp_worker *w, struct rte_mbuf *m, uint64_t now)
{
	const struct dpt_pkt_meta *meta = dpt_meta(m);
	struct dpt_tftp_request req;
	struct dp_req_mark mark;
	struct dp_session *s;
	struct dp_msg *msg;
	const char *errmsg;
	struct dp_skey k;
	const void *p;
	uint32_t len;
	int rc;

	if (dp_payload(w, m, &p, &len) < 0)
		return;
	/* Only a request is answered here: an ERROR, an ACK, DATA or bytes
	 * that are no TFTP at all get nothing back, so two servers (or
	 * a server and any UDP service that answers) cannot bounce errors
	 * off each other for ever (CVE-2024-2169). */
	if (!dp_is_request(p, len)) {
		DP_STAT_INC(w->st.drop_malformed);
		return;
	}
	rc = dpt_tftp_request_parse(p, len, &req, &errmsg);
	if (rc < 0) {
		DP_STAT_INC(w->st.drop_malformed);
		dp_send_error(w, meta, (uint16_t)-rc, errmsg);
		return;
	}
	DP_STAT_INC(w->st.requests);
	mark_of(&mark, p, len);
	dp_key_make(&k, meta, 0);
	if (request_seen(w, &k, &mark, meta->rx_tsc != 0 ?
			 dpt_dp_tsc_us(meta->rx_tsc) : now))
		return;
	if (req.op == DPT_TFTP_WRQ && !w->dp->upload.enabled) {
		dp_xfer_refuse(w, NULL, meta, &req, DPT_XFER_REFUSED,
			       DPT_TFTP_EACCESS, "Uploads are disabled", now);
		return;
	}
	if (rte_mempool_get(w->dp->msg_pool, (void **)&msg) < 0) {
		DP_STAT_INC(w->st.drop_nomsg);	/* the client will resend */
		return;
	}
	s = dp_session_new(w, meta, &req, now);
	if (s == NULL) {
		rte_mempool_put(w->dp->msg_pool, msg);
		return;
	}
	s->req = req;
	s->mark = mark;
	s->t_created = now;
	open_ask(w, s, msg);
}

/* The --blksize-max-for ceiling of the client's subnet (longest prefix
 * first); UINT16_MAX when none applies. */
static uint16_t
subnet_blksize(const struct dpt_dp *dp, const struct dpt_pkt_meta *m)
{
	unsigned int i, best_len = 0;
	uint16_t best = UINT16_MAX;

	for (i = 0; i < dp->n_blksize_rules; i++) {
		const struct dpt_blksize_rule *r = &dp->blksize_rules[i];
		unsigned int full = r->prefix / 8, rest = r->prefix % 8;

		if (r->family != m->family || memcmp(r->ip, m->client_ip,
						     full) != 0)
			continue;
		if (rest != 0 && ((r->ip[full] ^ m->client_ip[full]) &
				  (uint8_t)(0xff << (8 - rest))) != 0)
			continue;
		if (best == UINT16_MAX || r->prefix >= best_len) {
			best = r->max;
			best_len = r->prefix;
		}
	}
	return best;
}

void
dp_open_reply(struct dp_worker *w, struct dp_msg *msg, uint64_t now)
{
	struct dp_session *s = msg->slot < w->n_slots ?
			       &w->slots[msg->slot] : NULL;
	struct dpt_tftp_negotiated neg;
	struct dpt_tftp_config tftp;
	struct dpt_cache_entry *e = msg->entry;
	struct dpt_upload *u = msg->upload;
	uint64_t size = 0;
	int rc = msg->result;

	if (s == NULL || s->phase != DP_OPENING || s->gen != msg->gen) {
		/* The session went away meanwhile: give back what it got. */
		if (e != NULL)
			dpt_cache_put(e);
		if (u != NULL) {
			msg->type = DP_MSG_ABORT;
			if (rte_ring_sp_enqueue(w->to_main, msg) == 0)
				return;
		}
		rte_mempool_put(w->dp->msg_pool, msg);
		return;
	}
	if (rc < 0) {
		const char *text;
		uint16_t code = err_code(rc, &text);

		if (rc == -EPERM)
			DP_STAT_INC(w->st.refused_remap);
		rte_mempool_put(w->dp->msg_pool, msg);
		dp_xfer_refuse(w, s, NULL, NULL, DPT_XFER_REFUSED, code, text,
			       now);
		dp_session_free(w, s);
		return;
	}
	tftp = w->tftp;
	/* The port's ceiling for the client's family: a block that does
	 * not fit a frame is never delivered. */
	tftp.blksize_max = RTE_MIN(w->dp->blksize_cap[s->reply.port_id]
				   [dp_family_idx(s->reply.family)],
				   subnet_blksize(w->dp, &s->reply));
	if (w->tftp.blksize_max != 0 && w->tftp.blksize_max < tftp.blksize_max)
		tftp.blksize_max = w->tftp.blksize_max;
	if (u != NULL) {
		/* The message stays with the session for its commit or
		 * abort, which therefore can never fail for want of one. */
		s->upload = u;
		s->ctl = msg;
		tftp.upload_max = w->dp->upload.max_size;
	} else {
		rte_mempool_put(w->dp->msg_pool, msg);
		s->entry = e;
		size = e->size;
		s->hold_off = s->hold_len = 0;
		s->hold_first = 1;
		s->hold_last = 0;
	}
	if (dpt_tftp_negotiate(&s->req, &tftp, size, &neg) < 0) {
		dp_xfer_refuse(w, s, NULL, NULL, DPT_XFER_REFUSED,
			       DPT_TFTP_ENOSPACE, "File too large", now);
		dp_session_free(w, s);
		return;
	}
	/* The first window is held before the first read. */
	if (s->entry != NULL) {
		s->win_len = (uint64_t)neg.windowsize * neg.blksize;
		dp_window_hold(s, 0, s->win_len);
	}
	s->phase = DP_ACTIVE;
	DP_STAT_INC(w->st.sess_started);
	dpt_tftp_session_start(s->t, &tftp, &s->req, &neg, size, &dp_io, s,
			       now);
	dp_session_after(w, s);
}

void
dp_upload_reply(struct dp_worker *w, struct dp_msg *msg, uint64_t now)
{
	struct dp_session *s = msg->slot < w->n_slots ?
			       &w->slots[msg->slot] : NULL;
	int rc = msg->result;
	uint8_t type = (uint8_t)msg->type;
	uint32_t gen = msg->gen;
	const char *text;
	uint16_t code;

	rte_mempool_put(w->dp->msg_pool, msg);
	if (s == NULL || s->phase != DP_ACTIVE || s->gen != gen)
		return;		/* gone meanwhile (killed, timed out) */
	if (type == DP_MSG_COMMITTED) {
		dpt_tftp_session_commit_done(s->t, rc, now);
	} else {
		code = err_code(rc, &text);
		dpt_tftp_session_abort(s->t, code, text, DPT_TFTP_END_IO);
	}
	dp_session_after(w, s);
}
