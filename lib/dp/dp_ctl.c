/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Control messages between the main lcore and the workers (the ip_pipeline
 * pattern): the main lcore never touches a worker's sessions; it asks over
 * the worker's ring and the worker answers between bursts. The same rings
 * carry file opens.
 */

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_string_fns.h>

#include "dp_internal.h"
#include "dpt_text.h"

#define CTL_WAIT_US 1000000	/* a worker answers within a burst or two */

/* ---- sessions as the control plane sees them (worker side) ---------- */

void
dp_session_info(const struct dp_session *s, uint64_t now,
		struct dpt_session_info *info)
{
	const struct dpt_tftp_session *t = s->t;
	const struct dpt_tftp_negotiated *neg;
	const struct dpt_tftp_session_stats *st;
	bool active = s->phase == DP_ACTIVE;

	memset(info, 0, sizeof(*info));
	info->id = (uint64_t)s->gen << 32 | (uint64_t)s->w->id << 24 | s->slot;
	info->worker = s->w->id;
	info->family = s->reply.family;
	memcpy(info->client_ip, s->reply.client_ip, 16);
	info->client_port = s->reply.client_port;
	info->server_port = s->reply.server_port;
	strlcpy(info->file, s->req.filename, sizeof(info->file));
	info->op = s->req.op;
	info->mode = s->req.mode;
	info->opening = !active;
	info->age_us = now > s->t_created ? now - s->t_created : 0;
	if (!active)
		return;
	neg = dpt_tftp_session_negotiated(t);
	st = dpt_tftp_session_stats(t);
	info->state = dpt_tftp_session_state(t);
	info->blksize = neg->blksize;
	info->windowsize = neg->windowsize;
	info->size = dpt_tftp_session_file_size(t);
	info->progress = dpt_tftp_session_progress(t);
	info->retransmits = st->retransmits;
	info->rtt_us = st->rtt_us;
}

int
dp_session_kill(struct dp_worker *w, uint32_t slot, uint32_t gen,
		const char *text)
{
	struct dp_session *s;

	if (slot >= w->n_slots)
		return -ENOENT;
	s = &w->slots[slot];
	if (s->phase == DP_FREE || s->gen != gen)
		return -ENOENT;
	if (s->phase == DP_ACTIVE) {
		dpt_tftp_session_abort(s->t, DPT_TFTP_ENOTDEFINED, text,
				       DPT_TFTP_END_ABORTED);
		dp_session_after(w, s);
	} else {
		dp_xfer_refuse(w, s, NULL, NULL, DPT_TFTP_END_ABORTED,
			       DPT_TFTP_ENOTDEFINED, text, dpt_dp_now_us());
		dp_session_free(w, s);
	}
	return 0;
}

/* ---- worker side ---------------------------------------------------- */

static void
reply(struct dp_worker *w, struct dp_msg *msg, int result)
{
	msg->type = DP_MSG_DONE;
	msg->result = result;
	if (rte_ring_sp_enqueue(w->to_main, msg) < 0)
		rte_mempool_put(w->dp->msg_pool, msg);	/* cannot happen */
	dp_bell_ring(&w->dp->main_bell);
}

static void
dump(struct dp_worker *w, struct dp_msg *msg, uint64_t now)
{
	uint32_t i;

	msg->dump.n = 0;
	for (i = 0; i < w->n_slots && msg->dump.n < msg->dump.cap; i++) {
		const struct dp_session *s = &w->slots[i];

		if (s->phase == DP_FREE)
			continue;
		if (msg->dump.family != 0 &&
		    (s->reply.family != msg->dump.family ||
		     memcmp(s->reply.client_ip, msg->dump.ip,
			    s->reply.family == AF_INET ? 4 : 16) != 0))
			continue;
		dp_session_info(s, now, &msg->dump.buf[msg->dump.n++]);
	}
}

void
dp_worker_ctl(struct dp_worker *w, struct dp_msg *msg, uint64_t now)
{
	int rc = 0;

	switch (msg->type) {
	case DP_MSG_DUMP:
		dump(w, msg, now);
		break;
	case DP_MSG_KILL:
		rc = dp_session_kill(w, msg->slot, msg->gen, msg->text);
		break;
	case DP_MSG_SET_TFTP:
		w->tftp = msg->tftp;
		break;
	default:
		rc = -EINVAL;
		break;
	}
	reply(w, msg, rc);
}

/* ---- main side -------------------------------------------------------- */

/* Answers a worker on its ring. */
static void
answer(struct dpt_dp *dp, struct dp_worker *w, struct dp_msg *m)
{
	if (rte_ring_sp_enqueue(w->from_main, m) < 0) {
		/* Cannot happen: the ring holds every message. */
		if (m->entry != NULL)
			dpt_cache_put(m->entry);
		if (m->upload != NULL)
			dpt_upload_abort(m->upload);
		rte_mempool_put(dp->msg_pool, m);
	}
}

/* Each open at debug level (`set log-level dp debug`): who asked for
 * what, what it became after the map file, and how it went. */
static void
open_log(const struct dp_msg *m, const char *name)
{
	char ip[INET6_ADDRSTRLEN], asked[4 * sizeof(m->name)];
	char as[4 * DPT_TFTP_FILENAME_MAX];

	if (!rte_log_can_log(dpt_dp_logtype, RTE_LOG_DEBUG))
		return;
	if (inet_ntop(m->family == AF_INET6 ? AF_INET6 : AF_INET, m->ip, ip,
		      sizeof(ip)) == NULL)
		snprintf(ip, sizeof(ip), "?");
	DP_LOG(DEBUG, "worker %u: %s %s from %s: %s%s%s\n", m->worker,
	       m->op == DPT_TFTP_WRQ ? "WRQ" : "RRQ",
	       dpt_text_escape(m->name, asked, sizeof(asked)), ip,
	       m->result == 0 ? "opened" : m->result == -EPERM ?
	       "refused by the map file" : strerror(-m->result),
	       strcmp(m->name, name) != 0 ? " as " : "",
	       strcmp(m->name, name) != 0 ?
	       dpt_text_escape(name, as, sizeof(as)) : "");
}

/* A file open: a read through the cache, or an upload's writer. */
static void
open_file(struct dpt_dp *dp, struct dp_msg *m)
{
	char name[DPT_TFTP_FILENAME_MAX];

	m->entry = NULL;
	m->upload = NULL;
	/* The map file first, as tftpd-hpa does, before any path rule. */
	m->result = dpt_remap_apply(dp->remap, m->name, m->op == DPT_TFTP_WRQ,
				    m->family, m->ip, name, sizeof(name));
	if (m->result < 0) {
		if (m->result == -EACCES)
			m->result = -EPERM;	/* told apart for counting */
		open_log(m, m->name);
		return;
	}
	if (m->op == DPT_TFTP_WRQ)
		m->result = dpt_upload_open(dp->cache, &dp->upload, name,
					    m->off, &m->upload);
	else
		m->result = dpt_cache_open(dp->cache, name, &m->entry);
	open_log(m, name);
}

struct dpt_remap *
dpt_dp_set_remap(struct dpt_dp *dp, struct dpt_remap *r)
{
	struct dpt_remap *old = dp->remap;

	dp->remap = r;
	return old;
}

/* One upload step, in the order the worker sent them. Returns whether m
 * goes back to the worker. */
static bool
upload_step(struct dpt_dp *dp, struct dp_msg *m)
{
	int rc;

	switch (m->type) {
	case DP_MSG_WRITE:
		rc = dpt_upload_write(m->upload, m->off,
				      rte_pktmbuf_mtod(m->m, const void *),
				      m->m->data_len);
		rte_pktmbuf_free(m->m);
		m->m = NULL;
		m->upload = NULL;
		if (rc == 0)
			return false;
		m->type = DP_MSG_WRITE_FAILED;	/* the session ends */
		m->result = rc;
		return true;
	case DP_MSG_COMMIT:
		m->result = dpt_upload_commit(m->upload);	/* frees it */
		m->upload = NULL;
		m->type = DP_MSG_COMMITTED;
		return true;
	default:		/* DP_MSG_ABORT */
		dpt_upload_abort(m->upload);
		m->upload = NULL;
		return false;
	}
}

/* Takes a worker's messages: file opens, upload steps, DONEs. */
unsigned int
dp_main_take(struct dpt_dp *dp, struct dp_worker *w)
{
	void *msgs[DP_BURST];
	unsigned int n, i, answers = 0;

	n = rte_ring_sc_dequeue_burst(w->to_main, msgs, DP_BURST, NULL);
	for (i = 0; i < n; i++) {
		struct dp_msg *m = msgs[i];

		switch (m->type) {
		case DP_MSG_DONE:
			dp->ctl_done++;	/* the sender reads the result */
			continue;
		case DP_MSG_OPEN:
			open_file(dp, m);
			break;
		default:
			if (!upload_step(dp, m)) {
				rte_mempool_put(dp->msg_pool, m);
				continue;
			}
			break;
		}
		answer(dp, w, m);
		answers++;
	}
	if (answers != 0)
		dp_bell_ring(w->bell);
	return n;
}

/* Sends msgs[i] to worker first + i for each of n, waits for all DONE. */
static int
ask(struct dpt_dp *dp, unsigned int first, unsigned int n,
    struct dp_msg **msgs)
{
	uint64_t deadline = dpt_dp_now_us() + CTL_WAIT_US;
	unsigned int i, want = dp->ctl_done + n;

	for (i = 0; i < n; i++) {
		struct dp_worker *w = &dp->workers[first + i];

		msgs[i]->worker = (uint16_t)(first + i);
		if (rte_ring_sp_enqueue(w->from_main, msgs[i]) < 0)
			return -ENOBUFS;	/* cannot happen */
		dp_bell_ring(w->bell);
	}
	while (dp->ctl_done != want) {
		if (dpt_dp_main_poll(dp) == 0) {
			if (dpt_dp_now_us() > deadline)
				return -ETIMEDOUT;
			dpt_dp_main_wait(dp, 1000);
		}
	}
	return 0;
}

static int
get_msgs(struct dpt_dp *dp, struct dp_msg **msgs, unsigned int n)
{
	if (rte_mempool_get_bulk(dp->msg_pool, (void **)msgs, n) < 0)
		return -ENOBUFS;
	return 0;
}

int
dpt_dp_sessions(struct dpt_dp *dp, int w, int family, const void *ip,
		void (*fn)(const struct dpt_session_info *, void *), void *arg)
{
	struct dp_msg *msgs[DPT_CONF_MAX_WORKERS];
	unsigned int first = w < 0 ? 0 : (unsigned int)w;
	unsigned int n = w < 0 ? dp->n_workers : 1, i, total = 0;
	int rc;

	if (w >= 0 && (unsigned int)w >= dp->n_workers)
		return -EINVAL;
	rc = get_msgs(dp, msgs, n);
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++) {
		struct dp_msg *m = msgs[i];
		uint32_t cap = dp->workers[first + i].n_slots;

		memset(m, 0, offsetof(struct dp_msg, name));
		m->type = DP_MSG_DUMP;
		m->dump.cap = cap;
		m->dump.family = family;
		if (family != 0)
			memcpy(m->dump.ip, ip, family == AF_INET ? 4 : 16);
		m->dump.buf = rte_malloc(NULL, sizeof(*m->dump.buf) *
					 (cap ? cap : 1), 0);
		if (m->dump.buf == NULL)
			rc = -ENOMEM;
	}
	if (rc == 0)
		rc = ask(dp, first, n, msgs);
	/* On a timeout a worker may still write: leak rather than race. */
	for (i = 0; i < n; i++) {
		uint32_t k;

		if (rc == 0)
			for (k = 0; k < msgs[i]->dump.n; k++, total++)
				fn(&msgs[i]->dump.buf[k], arg);
		if (rc != -ETIMEDOUT) {
			rte_free(msgs[i]->dump.buf);
			rte_mempool_put(dp->msg_pool, msgs[i]);
		}
	}
	return rc < 0 ? rc : (int)total;
}

int
dpt_dp_session_kill(struct dpt_dp *dp, uint64_t id, const char *text)
{
	unsigned int w = (unsigned int)((id >> 24) & 0xff);
	struct dp_msg *m;
	int rc;

	if (w >= dp->n_workers)
		return -ENOENT;
	rc = get_msgs(dp, &m, 1);
	if (rc < 0)
		return rc;
	memset(m, 0, offsetof(struct dp_msg, name));
	m->type = DP_MSG_KILL;
	m->slot = (uint32_t)(id & 0xffffff);
	m->gen = (uint32_t)(id >> 32);
	snprintf(m->text, sizeof(m->text), "%s",
		 text != NULL ? text : "Terminated by operator");
	rc = ask(dp, w, 1, &m);
	if (rc == 0)
		rc = m->result;
	if (rc != -ETIMEDOUT)
		rte_mempool_put(dp->msg_pool, m);
	return rc;
}

int
dpt_dp_set_tftp(struct dpt_dp *dp, const struct dpt_tftp_config *t)
{
	struct dp_msg *msgs[DPT_CONF_MAX_WORKERS];
	unsigned int i;
	int rc = get_msgs(dp, msgs, dp->n_workers);

	if (rc < 0)
		return rc;
	for (i = 0; i < dp->n_workers; i++) {
		memset(msgs[i], 0, offsetof(struct dp_msg, name));
		msgs[i]->type = DP_MSG_SET_TFTP;
		msgs[i]->tftp = *t;
	}
	rc = ask(dp, 0, dp->n_workers, msgs);
	if (rc == 0)
		dp->tftp = *t;
	if (rc != -ETIMEDOUT)
		rte_mempool_put_bulk(dp->msg_pool, (void **)msgs,
				     dp->n_workers);
	return rc;
}

void
dpt_dp_get_tftp(const struct dpt_dp *dp, struct dpt_tftp_config *t)
{
	*t = dp->tftp;
}

void
dpt_dp_set_port_rate(struct dpt_dp *dp, uint64_t bits_per_s)
{
	/* Bursts of 2 ms at the rate, 64 KiB at least: a stalled session
	 * tries again a millisecond later (its stall poll). */
	uint64_t burst = RTE_MAX(bits_per_s / 4000, UINT64_C(65536));
	unsigned int i;

	dp->port_rate_bps = bits_per_s;
	for (i = 0; i < RTE_DIM(dp->port_rate); i++)
		dpt_byte_rate_init(&dp->port_rate[i].r, bits_per_s,
				   dp->tsc_hz, burst);
}

uint64_t
dpt_dp_get_port_rate(const struct dpt_dp *dp)
{
	return dp->port_rate_bps;
}

void
dpt_dp_set_max_sessions(struct dpt_dp *dp, uint32_t n)
{
	__atomic_store_n(&dp->max_sessions, n, __ATOMIC_RELAXED);
}

uint32_t
dpt_dp_get_max_sessions(const struct dpt_dp *dp)
{
	return __atomic_load_n(&dp->max_sessions, __ATOMIC_RELAXED);
}
