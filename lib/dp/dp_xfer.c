/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Transfer records: when a transfer ends its worker fills one (who, what,
 * which options, how many bytes and blocks, how long, how it ended) and
 * hands it to the main lcore over a ring of its own, copied in place (no
 * allocation, no system call); a record that finds the ring full is
 * dropped and counted. The main lcore passes each to the transfer log's
 * function. The duration and size histograms are counted here too, by
 * the worker, so they miss nothing the ring drops.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_errno.h>

#include "dp_internal.h"

/* Records a worker may have in flight: the main lcore takes them at
 * every poll, and at the stop while the workers end their sessions. */
#define XFER_RING 1024

static const uint64_t dur_bounds[DPT_DP_HIST_N - 1] = {
	10000, 50000, 100000, 250000, 500000, 1000000, 2500000, 5000000,
	10000000, 30000000, 60000000, 300000000,
};

static const uint64_t bytes_bounds[DPT_DP_HIST_N - 1] = {
	1ull << 10, 4ull << 10, 16ull << 10, 64ull << 10, 256ull << 10,
	1ull << 20, 4ull << 20, 16ull << 20, 64ull << 20, 256ull << 20,
	1ull << 30, 4ull << 30,
};

const uint64_t *
dpt_dp_hist_bounds(enum dpt_dp_hist h)
{
	return h == DPT_DP_HIST_DURATION ? dur_bounds : bytes_bounds;
}

const char *
dpt_dp_xfer_result_name(unsigned int result)
{
	if (result == DPT_XFER_REFUSED)
		return "refused";
	if (result == DPT_XFER_STOPPED)
		return "stopped";
	return dpt_tftp_end_name((enum dpt_tftp_end)result);
}

void
dpt_dp_set_transfer_fn(struct dpt_dp *dp,
		       void (*fn)(const struct dpt_transfer *, void *),
		       void *arg)
{
	dp->xfer_arg = arg;
	__atomic_store_n(&dp->xfer_fn, fn, __ATOMIC_RELEASE);
}

int
dp_xfer_init(struct dp_worker *w, int socket)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "dpt_xfer_%u", w->id);
	w->xfer_ring = rte_ring_create_elem(name, sizeof(struct dpt_transfer),
					    XFER_RING, socket,
					    RING_F_SP_ENQ | RING_F_SC_DEQ);
	return w->xfer_ring == NULL ? -rte_errno : 0;
}

void
dp_xfer_fini(struct dp_worker *w)
{
	rte_ring_free(w->xfer_ring);
	w->xfer_ring = NULL;
}

static unsigned int
bucket(const uint64_t *bounds, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < DPT_DP_HIST_N - 1; i++)
		if (v <= bounds[i])
			break;
	return i;
}

/* The fields every record has: who, when, what was asked. */
static void
rec_request(struct dpt_transfer *r, const struct dp_worker *w,
	    const struct dpt_pkt_meta *m, const struct dpt_tftp_request *req,
	    uint64_t start, uint64_t now)
{
	memset(r, 0, offsetof(struct dpt_transfer, file));
	r->start_us = start;
	r->end_us = now;
	r->worker = (uint16_t)w->id;
	r->family = m->family;
	memcpy(r->client_ip, m->client_ip, sizeof(r->client_ip));
	r->client_port = m->client_port;
	r->server_port = m->server_port;
	r->op = (uint8_t)req->op;
	r->mode = (uint8_t)req->mode;
	memcpy(r->asked, req->opt, sizeof(r->asked));
	r->n_unknown = req->n_unknown;
	memcpy(r->file, req->filename, req->filename_len + 1u);
}

/* Onto the ring, or dropped and counted. The main lcore is not woken:
 * it looks at least once a millisecond, and no record is worth a system
 * call (the bell's eventfd) on a dataplane lcore. */
static void
rec_send(struct dp_worker *w, const struct dpt_transfer *r)
{
	if (rte_ring_sp_enqueue_elem(w->xfer_ring, (void *)(uintptr_t)r,
				     sizeof(*r)) < 0)
		DP_STAT_INC(w->st.xfer_log_drops);
}

static void
rec_error(struct dpt_transfer *r, uint8_t dir, uint16_t code,
	  const char *msg)
{
	r->err_dir = dir;
	r->err_code = code;
	snprintf(r->err_msg, sizeof(r->err_msg), "%s",
		 msg != NULL ? msg : dpt_tftp_err_str(code));
}

/* When an active session's transfer was over: an upload's when its final
 * ACK first went out (the dally after it is no part of the transfer),
 * else now. */
static uint64_t
xfer_done_at(const struct dp_session *s, uint64_t now)
{
	uint64_t done = dpt_tftp_session_done_at(s->t);

	return done != 0 && done < now ? done : now;
}

void
dp_xfer_end(struct dp_worker *w, const struct dp_session *s, uint64_t now)
{
	const struct dpt_tftp_session *t = s->t;
	const struct dpt_tftp_session_stats *st = dpt_tftp_session_stats(t);
	enum dpt_tftp_end end = dpt_tftp_session_end_reason(t);
	bool on = __atomic_load_n(&w->dp->xfer_fn, __ATOMIC_RELAXED) != NULL;
	struct dpt_transfer r;
	const char *msg;
	uint64_t dur;
	uint16_t code;
	uint8_t dir;

	if (s->phase != DP_ACTIVE) {
		uint8_t result = w->stopping ? DPT_XFER_STOPPED : s->xfer;

		if (!on || result == 0)
			return;
		rec_request(&r, w, &s->reply, &s->req, s->t_created, now);
		r.result = result;
		rec_send(w, &r);
		return;
	}
	now = xfer_done_at(s, now);
	dur = now > s->t_created ? now - s->t_created : 0;
	DP_STAT_INC(w->st.dur_hist[bucket(dur_bounds, dur)]);
	DP_STAT_ADD(w->st.dur_sum_us, dur);
	DP_STAT_INC(w->st.bytes_hist[bucket(bytes_bounds, st->bytes)]);
	DP_STAT_ADD(w->st.bytes_sum, st->bytes);
	if (!on)
		return;
	rec_request(&r, w, &s->reply, &s->req, s->t_created, now);
	r.result = (uint8_t)end;
	if (w->stopping && end == DPT_TFTP_END_ABORTED)
		r.result = DPT_XFER_STOPPED;
	r.bytes = st->bytes;
	r.blocks = st->blocks;
	r.retransmits = st->retransmits;
	r.granted = *dpt_tftp_session_negotiated(t);
	dir = (uint8_t)dpt_tftp_session_error(t, &code, &msg);
	if (dir != DPT_TFTP_ERR_NONE)
		rec_error(&r, dir, code, msg);
	rec_send(w, &r);
}

void
dp_xfer_refuse(struct dp_worker *w, struct dp_session *s,
	       const struct dpt_pkt_meta *m,
	       const struct dpt_tftp_request *req, uint8_t result,
	       uint16_t code, const char *msg, uint64_t now)
{
	struct dpt_transfer r;

	if (s != NULL) {
		m = &s->reply;
		req = &s->req;
		s->xfer = 0;	/* this is its record */
	}
	dp_send_error(w, m, code, msg);
	if (__atomic_load_n(&w->dp->xfer_fn, __ATOMIC_RELAXED) == NULL)
		return;
	rec_request(&r, w, m, req, s != NULL ? s->t_created : now, now);
	r.result = result;
	rec_error(&r, DPT_TFTP_ERR_SENT, code, msg);
	rec_send(w, &r);
}

unsigned int
dp_xfer_take(struct dpt_dp *dp)
{
	void (*fn)(const struct dpt_transfer *, void *) = dp->xfer_fn;
	struct dpt_transfer r;
	unsigned int w, k, n = 0;

	if (fn == NULL)
		return 0;
	for (w = 0; w < dp->n_workers; w++) {
		struct rte_ring *ring = dp->workers[w].xfer_ring;

		/* A few at a time: the console and the cache wait too. */
		for (k = 0; k < DP_BURST && ring != NULL &&
		     rte_ring_sc_dequeue_elem(ring, &r, sizeof(r)) == 0; k++)
			fn(&r, dp->xfer_arg);
		n += k;
	}
	return n;
}
