/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * A worker's sessions: slots, session ports, the session table, the
 * callbacks that connect the protocol core to mbufs and the cache, and the
 * life of a session from request to end. Worker lcore only; nothing here
 * blocks, allocates from the heap or touches a file.
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

static void
key_make(struct dp_skey *k, const struct dpt_pkt_meta *m, uint16_t sport)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->ip, m->client_ip, m->family == AF_INET ? 4 : 16);
	k->cport = m->client_port;
	k->sport = sport;
	k->family = m->family;
}

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
}

static inline struct dp_recent *
recent_of(struct dp_worker *w, const struct dp_skey *k)
{
	return &w->recent[rte_hash_crc(k, sizeof(*k), 0) & w->recent_mask];
}

/* What a download ended final-ack-lost still awaits on its port: the
 * final block's ACK from its peer; never 0. */
static inline uint32_t
late_ack_mark(const struct dpt_pkt_meta *m, uint16_t block)
{
	uint32_t h = rte_hash_crc(m->client_ip, 16,
				  rte_hash_crc_4byte(m->client_port, 0));

	return ((h << 16) | block) | 0x80000000u;
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
		struct dp_recent *r = recent_of(w, &s->key);

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
			w->late_ack[s->reply.server_port] = late_ack_mark(
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

/* The client spoke to session s (anything from its address and port):
 * from now on a copy of its request can no longer be on its way. */
static inline void
heard_from(struct dp_session *s, uint64_t now)
{
	if (unlikely(s->mark.heard_us == UINT64_MAX))
		s->mark.heard_us = now;
}

static struct dp_session *
session_lookup(struct dp_worker *w, const struct dp_skey *k)
{
	void *data;

	if (rte_hash_lookup_data(w->sessions, k, &data) < 0)
		return NULL;
	return data;
}

/* Allocates a session for a request; NULL after answering ERROR 3. */
static struct dp_session *
session_new(struct dp_worker *w, const struct dpt_pkt_meta *meta,
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
	key_make(&s->key, meta, 0);
	rte_hash_add_key_data(w->sessions, &s->key, s);
	if (port != dp->listen_port)
		w->by_port[port] = s->slot + 1;
	DP_STAT_INC(w->st.active);
	return s;
}

void
dp_request(struct dp_worker *w, struct rte_mbuf *m, uint64_t now)
{
	const struct dpt_pkt_meta *meta = dpt_meta(m);
	struct dpt_tftp_request req;
	struct dp_session *s;
	struct dp_msg *msg;
	const char *errmsg;
	struct dp_req_mark mark;
	struct dp_skey k;
	const void *p;
	uint64_t rx_us;
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
	rx_us = meta->rx_tsc != 0 ? dpt_dp_tsc_us(meta->rx_tsc) : now;
	key_make(&k, meta, 0);
	s = session_lookup(w, &k);
	if (s != NULL) {
		if (is_copy(&s->mark, &mark, rx_us)) {
			DP_STAT_INC(w->st.dup_requests);
			return;
		}
		/* A new request: the client has moved on, and its earlier
		 * session ends at once, silently (that address and port
		 * belong to the new transfer now). */
		if (s->phase == DP_ACTIVE)
			dpt_tftp_session_end(s->t, DPT_TFTP_END_SUPERSEDED);
		else
			s->xfer = DPT_TFTP_END_SUPERSEDED;
		dp_session_free(w, s);
	} else {
		const struct dp_recent *r = recent_of(w, &k);

		if (memcmp(&r->key, &k, sizeof(k)) == 0 &&
		    is_copy(&r->mark, &mark, rx_us)) {
			DP_STAT_INC(w->st.dup_requests);
			return;
		}
	}
	if (req.op == DPT_TFTP_WRQ && !w->dp->upload.enabled) {
		dp_xfer_refuse(w, NULL, meta, &req, DPT_XFER_REFUSED,
			       DPT_TFTP_EACCESS, "Uploads are disabled", now);
		return;
	}
	if (rte_mempool_get(w->dp->msg_pool, (void **)&msg) < 0) {
		DP_STAT_INC(w->st.drop_nomsg);	/* the client will resend */
		return;
	}
	s = session_new(w, meta, &req, now);
	if (s == NULL) {
		rte_mempool_put(w->dp->msg_pool, msg);
		return;
	}
	s->req = req;
	s->mark = mark;
	s->t_created = now;
	msg->type = DP_MSG_OPEN;
	msg->worker = (uint16_t)w->id;
	msg->slot = s->slot;
	msg->gen = s->gen;
	msg->result = 0;
	msg->entry = NULL;
	msg->upload = NULL;
	msg->m = NULL;
	msg->op = (uint8_t)req.op;
	msg->family = meta->family;
	memcpy(msg->ip, meta->client_ip, sizeof(msg->ip));
	msg->off = req.opt[DPT_TFTP_OPT_TSIZE].valid ?
		   req.opt[DPT_TFTP_OPT_TSIZE].value : 0;
	memcpy(msg->name, req.filename, req.filename_len + 1);
	if (rte_ring_sp_enqueue(w->to_main, msg) < 0) {
		rte_mempool_put(w->dp->msg_pool, msg);
		DP_STAT_INC(w->st.drop_nomsg);
		dp_session_free(w, s);
		return;
	}
	dp_bell_ring(&w->dp->main_bell);
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
	if (s->entry != NULL)
		dp_window_hold(s, 0, (uint64_t)neg.windowsize * neg.blksize);
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
	    *mark != late_ack_mark(meta, (uint16_t)(p[2] << 8 | p[3])))
		return false;
	*mark = 0;
	DP_STAT_ADD(w->st.sess_unacked, (uint64_t)-1);
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
	heard_from(s, now);
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
	key_make(&k, meta, 0);
	s = session_lookup(w, &k);
	/* No session of that peer: nothing is answered, as on port 69 (a
	 * datagram that is neither a request nor a live session's). */
	if (s == NULL || s->phase != DP_ACTIVE) {
		DP_STAT_INC(w->st.drop_stale);
		return;
	}
	heard_from(s, now);
	dpt_tftp_session_input(s->t, p, len, now);
	dp_session_after(w, s);
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
