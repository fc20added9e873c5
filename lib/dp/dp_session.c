/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * A worker's sessions: slots, session ports, the per-client counts, and
 * the life of a session from its slot to its end. Worker lcore only;
 * nothing here blocks, allocates from the heap or touches a file.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_branch_prediction.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "dp_internal.h"

/* Takes the port freed longest ago (its stale packets are long gone). */
static int
port_take(struct dp_worker *w, uint16_t *port)
{
	if (w->port_count == 0)
		return -ENOSPC;
	*port = w->free_ports[w->port_head];
	w->port_head = w->port_head + 1 == w->n_ports ? 0 : w->port_head + 1;
	w->port_count--;
	return 0;
}

static void
port_give(struct dp_worker *w, uint16_t port)
{
	uint32_t tail = w->port_head + w->port_count;

	if (tail >= w->n_ports)
		tail -= w->n_ports;
	w->free_ports[tail] = port;
	w->port_count++;
	w->by_port[port] = 0;
}

int
dp_sessions_init(struct dp_worker *w, uint32_t n, uint32_t ports_n,
		 const uint16_t *ports)
{
	int socket = rte_lcore_to_socket_id(w->lcore);
	uint32_t i;

	size_t tftp_size = RTE_ALIGN_CEIL(dpt_tftp_session_size(),
					  RTE_CACHE_LINE_SIZE);

	w->slots = rte_zmalloc_socket("dp_sessions", sizeof(*w->slots) * n,
				      RTE_CACHE_LINE_SIZE, socket);
	w->tftp_mem = rte_zmalloc_socket("dp_tftp", tftp_size * n,
					 RTE_CACHE_LINE_SIZE, socket);
	w->free_slots = rte_malloc_socket("dp_free", sizeof(uint32_t) * n, 0,
					  socket);
	w->free_ports = rte_malloc_socket("dp_ports",
					  sizeof(uint16_t) * (ports_n + 1), 0,
					  socket);
	w->by_port = rte_zmalloc_socket("dp_by_port",
					sizeof(*w->by_port) * 65536, 0, socket);
	w->late_ack = rte_zmalloc_socket("dp_late_ack",
					 sizeof(*w->late_ack) * 65536, 0, socket);
	w->recent_mask = rte_align32pow2(RTE_MAX(2 * n, 1024u)) - 1;
	w->recent = rte_zmalloc_socket("dp_recent", sizeof(*w->recent) *
				       (w->recent_mask + 1), 0, socket);
	if (w->dp->max_per_client != 0) {
		w->per_client = rte_zmalloc_socket("dp_per_client",
			sizeof(*w->per_client) * DP_CLIENT_BUCKETS, 0, socket);
		if (w->per_client == NULL)
			return -ENOMEM;
	}
	if (w->slots == NULL || w->tftp_mem == NULL || w->free_slots == NULL ||
	    w->free_ports == NULL || w->by_port == NULL || w->recent == NULL ||
	    w->late_ack == NULL)
		return -ENOMEM;
	w->n_slots = n;
	for (i = 0; i < n; i++) {
		w->slots[i].slot = i;
		w->slots[i].w = w;
		w->slots[i].t = RTE_PTR_ADD(w->tftp_mem, tftp_size * i);
		w->free_slots[i] = n - 1 - i;
	}
	w->n_free = n;
	memcpy(w->free_ports, ports, sizeof(uint16_t) * ports_n);
	w->n_ports = ports_n;
	w->port_head = 0;
	w->port_count = ports_n;
	return 0;
}

void
dp_sessions_free(struct dp_worker *w)
{
	rte_free(w->slots);
	rte_free(w->tftp_mem);
	w->tftp_mem = NULL;
	rte_free(w->free_slots);
	rte_free(w->free_ports);
	rte_free(w->by_port);
	rte_free(w->recent);
	rte_free(w->late_ack);
	rte_free(w->per_client);
	w->per_client = NULL;
	w->slots = NULL;
}

/* ---- the life of a session ---------------------------------------- */

static void
account_end(struct dp_worker *w, const struct dp_session *s)
{
	const struct dpt_tftp_session_stats *st = dpt_tftp_session_stats(s->t);

	switch (dpt_tftp_session_end_reason(s->t)) {
	case DPT_TFTP_END_COMPLETE:
		DP_STAT_INC(w->st.sess_completed);
		if (dpt_tftp_session_op(s->t) == DPT_TFTP_WRQ) {
			DP_STAT_INC(w->st.uploads_done);
			DP_STAT_ADD(w->st.bytes_uploaded, st->bytes);
		}
		break;
	case DPT_TFTP_END_OPTION_PROBE:
		DP_STAT_INC(w->st.option_probes);
		break;
	case DPT_TFTP_END_TIMEOUT:
		DP_STAT_INC(w->st.sess_timed_out);
		break;
	case DPT_TFTP_END_UNACKED:
		DP_STAT_INC(w->st.sess_unacked);
		break;
	case DPT_TFTP_END_SUPERSEDED:
		DP_STAT_INC(w->st.sess_superseded);
		break;
	default:
		DP_STAT_INC(w->st.sess_failed);
		break;
	}
	DP_STAT_ADD(w->st.bytes_served, st->bytes);
	DP_STAT_ADD(w->st.retransmits, st->retransmits);
	DP_STAT_ADD(w->st.dup_acks, st->dup_acks);
	DP_STAT_ADD(w->st.rate_waits, st->rate_waits);
}

/* Adds d to this worker's count of sessions in a client bucket: a plain
 * store (its only writer), atomic for the other workers' reads. */
static inline void
client_count(struct dp_worker *w, uint32_t bucket, int d)
{
	__atomic_store_n(&w->per_client[bucket], w->per_client[bucket] + d,
			 __ATOMIC_RELAXED);
}

/*
 * --max-per-client: counts a new session in its client's bucket, or
 * refuses it (false). The count goes into this worker's own table, and
 * every worker's is summed after it: with a full fence between, two
 * workers admitting one client at once each see the other's count, so
 * never both pass the limit (both may refuse, as with one shared
 * counter), and no worker writes a line another writes.
 */
static bool
client_admit(struct dp_worker *w, uint32_t bucket)
{
	const struct dpt_dp *dp = w->dp;
	uint32_t n = 0;
	unsigned int i;

	client_count(w, bucket, 1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (i = 0; i < dp->n_workers; i++)
		n += __atomic_load_n(&dp->workers[i].per_client[bucket],
				     __ATOMIC_RELAXED);
	if (n <= dp->max_per_client)
		return true;
	client_count(w, bucket, -1);
	return false;
}

/* Frees everything a session holds; accounts for it when it had started. */
void
dp_session_free(struct dp_worker *w, struct dp_session *s)
{
	dp_xfer_end(w, s, dpt_dp_now_us());
	if (s->phase == DP_ACTIVE)
		account_end(w, s);
	if (s->mark.len != 0) {
		/* Copies of its request may still be on their way. */
		struct dp_recent *r = dp_recent_of(w, &s->key);

		r->key = s->key;
		r->mark = s->mark;
		r->mark.ended_us = dpt_dp_now_us();
	}
	dp_wheel_cancel(&w->wheel, &s->tw);
	if (s->entry != NULL) {
		dp_window_hold(s, 0, 0);
		dpt_cache_put(s->entry);
		s->entry = NULL;
	}
	if (s->ctl != NULL) {
		struct dp_msg *msg = s->ctl;

		/* An upload that never committed: its temporary file goes. */
		msg->type = DP_MSG_ABORT;
		msg->upload = s->upload;
		msg->m = NULL;
		msg->entry = NULL;
		if (s->upload == NULL ||
		    rte_ring_sp_enqueue(w->to_main, msg) < 0)
			rte_mempool_put(w->dp->msg_pool, msg);
		else
			dp_bell_ring(&w->dp->main_bell);
		s->ctl = NULL;
		s->upload = NULL;
	}
	rte_hash_del_key(w->sessions, &s->key);
	if (s->reply.server_port != w->dp->listen_port) {
		port_give(w, s->reply.server_port);
		/* The client most likely has its file and its final ACK may
		 * be on its way (behind the request that ended the session,
		 * say): when it comes, the transfer counts complete. */
		if (s->phase == DP_ACTIVE && dpt_tftp_session_end_reason(s->t) ==
					     DPT_TFTP_END_UNACKED)
			w->late_ack[s->reply.server_port] = dp_late_ack_mark(
				&s->reply,
				(uint16_t)dpt_tftp_session_last_block(s->t));
	}
	s->phase = DP_FREE;
	s->gen++;
	w->free_slots[w->n_free++] = s->slot;
	DP_STAT_ADD(w->st.active, (uint64_t)-1);
	__atomic_sub_fetch(&w->dp->sessions_total, 1, __ATOMIC_RELAXED);
	if (w->per_client != NULL)
		client_count(w, s->client_bucket, -1);
}

/* After the protocol core ran: end the session or set its next wake. */
void
dp_session_after(struct dp_worker *w, struct dp_session *s)
{
	if (dpt_tftp_session_done(s->t)) {
		dp_session_free(w, s);
		return;
	}
	dp_window_follow(s);
	dp_wheel_arm(&w->wheel, &s->tw, dpt_tftp_session_deadline(s->t));
}

void
dp_session_fire(struct dp_worker *w, struct dp_session *s, uint64_t now)
{
	dpt_tftp_session_timer(s->t, now);
	dp_session_after(w, s);
}

struct dp_session *
dp_session_new(struct dp_worker *w, const struct dpt_pkt_meta *meta,
	    const struct dpt_tftp_request *req, uint64_t now)
{
	struct dpt_dp *dp = w->dp;
	struct dp_session *s;
	uint16_t port;

	uint32_t bucket = 0;

	if (w->per_client != NULL) {
		bucket = rte_hash_crc(meta->client_ip, 16, 0) %
			 DP_CLIENT_BUCKETS;
		if (!client_admit(w, bucket)) {
			DP_STAT_INC(w->st.refused_client);
			dp_xfer_refuse(w, NULL, meta, req, DPT_XFER_REFUSED,
				       DPT_TFTP_ENOSPACE,
				       "Too many sessions from this address, "
				       "try again later", now);
			return NULL;
		}
	}
	port = dp->listen_port;
	if (__atomic_add_fetch(&dp->sessions_total, 1, __ATOMIC_RELAXED) >
	    __atomic_load_n(&dp->max_sessions, __ATOMIC_RELAXED) ||
	    w->n_free == 0 ||
	    (!dp->single_port && port_take(w, &port) < 0)) {
		__atomic_sub_fetch(&dp->sessions_total, 1, __ATOMIC_RELAXED);
		if (w->per_client != NULL)
			client_count(w, bucket, -1);
		DP_STAT_INC(w->st.refused_busy);
		dp_xfer_refuse(w, NULL, meta, req, DPT_XFER_REFUSED,
			       DPT_TFTP_ENOSPACE,
			       "Too many sessions, try again later", now);
		return NULL;
	}
	s = &w->slots[w->free_slots[--w->n_free]];
	s->client_bucket = bucket;
	s->phase = DP_OPENING;
	s->entry = NULL;
	s->upload = NULL;
	s->ctl = NULL;
	s->reply = *meta;
	s->reply.server_port = port;
	s->hold_first = 1;
	s->hold_last = 0;
	s->mark.len = 0;
	s->xfer = 0;
	dp_key_make(&s->key, meta, 0);
	rte_hash_add_key_data(w->sessions, &s->key, s);
	if (port != dp->listen_port)
		w->by_port[port] = s->slot + 1;
	DP_STAT_INC(w->st.active);
	return s;
}

void
dp_sessions_abort_all(struct dp_worker *w)
{
	uint32_t i;

	for (i = 0; i < w->n_slots; i++) {
		struct dp_session *s = &w->slots[i];

		if (s->phase == DP_ACTIVE)
			dpt_tftp_session_abort(s->t, DPT_TFTP_ENOTDEFINED,
					       "Server shutting down",
					       DPT_TFTP_END_ABORTED);
		if (s->phase != DP_FREE)
			dp_session_free(w, s);
	}
}
