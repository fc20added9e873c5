/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * A worker's replies and the protocol core's callbacks: mbufs for
 * datagrams, DATA from the cache (zero-copy where it pays), upload blocks
 * handed to the main lcore's writer. The DATA path lives here: every
 * instruction counts (docs/performance.md).
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_malloc.h>

#include "dp_internal.h"
#include "dpt_net.h"

/* ---- replies ------------------------------------------------------- */

int
dp_tx_flush(struct dp_worker *w)
{
	unsigned int sent;

	if (w->n_txb == 0)
		return 0;
	sent = rte_ring_sp_enqueue_burst(w->tx_ring, (void **)w->txb, w->n_txb,
					 NULL);
	if (sent != 0)
		dp_bell_ring(w->dp->compact ? &w->dp->compact_bell :
			     &w->dp->tx_bell);
	if (sent < w->n_txb)
		memmove(w->txb, w->txb + sent,
			(w->n_txb - sent) * sizeof(w->txb[0]));
	w->n_txb = (uint16_t)(w->n_txb - sent);
	return w->n_txb == 0 ? 0 : -ENOBUFS;
}

/* A fresh mbuf for a reply, or NULL when the TX side is backed up. */
static __rte_always_inline struct rte_mbuf *
reply_alloc(struct dp_worker *w, size_t cap)
{
	struct rte_mbuf *m;

	if (w->n_txb == DP_TXB_MAX && dp_tx_flush(w) < 0 &&
	    w->n_txb == DP_TXB_MAX)
		return NULL;
	m = rte_pktmbuf_alloc(w->pool);
	if (m == NULL) {
		DP_STAT_INC(w->st.nombuf);
		return NULL;
	}
	if (unlikely(rte_pktmbuf_tailroom(m) < cap)) {
		rte_pktmbuf_free(m);
		DP_STAT_INC(w->st.drop_tailroom);
		return NULL;
	}
	return m;
}

/* Hands a built reply (its lengths set) to the TX lcore's side, with
 * its payload's sum when the port wants one (flags DPT_META_SUM). */
static __rte_always_inline void
reply_send(struct dp_worker *w, struct rte_mbuf *m,
	   const struct dpt_pkt_meta *to, uint8_t flags, uint16_t sum)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	struct dpt_port *port = w->dp->ports[to->port_id];
	struct dpt_pkt_meta *meta = dpt_meta(m);
	uint32_t len = m->pkt_len;

	if (unlikely(p[1] == DPT_TFTP_ERROR && p[0] == 0)) {
		uint16_t code = (uint16_t)(p[2] << 8 | p[3]);

		/* Forged requests must not make us a reflector, nor two
		 * servers bounce errors: ERRORs are rate-limited. */
		if (!dpt_rate_allow(w->dp->reply_rate, to->client_ip,
				    to->family == AF_INET ? 4 : 16,
				    dpt_dp_now_us())) {
			DP_STAT_INC(w->st.errors_limited);
			rte_pktmbuf_free(m);
			return;
		}
		DP_STAT_INC(w->st.errors_sent[code < DPT_TFTP_ERR_COUNT ?
					       code : 0]);
	}
	*meta = *to;
	meta->flags = flags;
	meta->payload_sum = sum;
	if (port->ops->encap != NULL &&
	    unlikely(dpt_port_encap(port, m) < 0)) {
		rte_pktmbuf_free(m);
		DP_STAT_INC(w->st.drop_encap);
		return;
	}
	w->txb[w->n_txb++] = m;
	DP_STAT_INC(w->st.pkts_out);
	DP_STAT_ADD(w->st.bytes_out, len);
}

void
dp_send_error(struct dp_worker *w, const struct dpt_pkt_meta *to,
	      uint16_t code, const char *msg)
{
	size_t cap = DPT_TFTP_HDR_LEN + DPT_TFTP_ERRMSG_MAX;
	struct rte_mbuf *m = reply_alloc(w, cap);

	if (m == NULL)
		return;
	m->data_len = (uint16_t)dpt_tftp_build_error(
		rte_pktmbuf_mtod(m, void *), cap, code, msg);
	m->pkt_len = m->data_len;
	reply_send(w, m, to, 0, 0);
}

/* The protocol core's callbacks. ctx is the dp_session. */

/* The mbuf of a buffer io_alloc() gave: the core hands the buffer back
 * to io_send() or io_discard(), and may hold more than one at a time.
 * reply_alloc()'s mbufs come fresh from w->pool, their data at the end
 * of the headroom, so the mbuf is a fixed distance before its data (as
 * rte_mbuf_from_indirect() finds a direct mbuf from its buffer). */
static __rte_always_inline struct rte_mbuf *
io_mbuf(const struct dp_worker *w, void *buf)
{
	struct rte_mbuf *m = RTE_PTR_SUB(buf, w->reply_data_off);

	RTE_ASSERT(rte_pktmbuf_mtod(m, void *) == buf);
	return m;
}

static void *
io_alloc(void *ctx, size_t cap)
{
	struct dp_session *s = ctx;
	struct rte_mbuf *m = reply_alloc(s->w, cap);

	return m == NULL ? NULL : rte_pktmbuf_mtod(m, void *);
}

static void
io_send(void *ctx, void *buf, size_t len)
{
	struct dp_session *s = ctx;
	struct rte_mbuf *m = io_mbuf(s->w, buf);

	m->data_len = (uint16_t)len;
	m->pkt_len = (uint32_t)len;
	reply_send(s->w, m, &s->reply, 0, 0);
}

static void
io_discard(void *ctx, void *buf)
{
	struct dp_session *s = ctx;

	rte_pktmbuf_free(io_mbuf(s->w, buf));
}

static ssize_t
io_read(void *ctx, uint64_t off, void *dst, size_t len)
{
	struct dp_session *s = ctx;

	dp_window_cover(s, off, len);
	return dpt_cache_read(s->entry, off, dst, len);
}

/* The TFTP header's share of the UDP payload sum. */
static inline uint16_t
hdr_sum(uint16_t block)
{
	/* Words 0x0003 (DATA) and the block number. */
	return dpt_net_sum_add(DPT_TFTP_DATA, block);
}

/* --port-rate: may a DATA of len bytes leave this session's port now?
 * One relaxed load when there is no limit. */
static __rte_always_inline bool
port_pays(struct dpt_dp *dp, const struct dp_session *s, uint32_t len)
{
	struct dpt_byte_rate *pr = &dp->port_rate[s->reply.port_id].r;

	return likely(__atomic_load_n(&pr->cost, __ATOMIC_RELAXED) == 0) ||
	       dpt_byte_rate_take(pr, DPT_TFTP_HDR_LEN + len, rte_rdtsc());
}

/* DATA block [off, off+len): a header mbuf, chained to an mbuf on the
 * cache chunk when the port takes chains and the block is big enough (no
 * copy), else one mbuf with the bytes copied. The payload sum travels in
 * the metadata, so software checksums cost O(1) either way. */
static int
io_send_data(void *ctx, uint16_t block, uint64_t off, uint32_t len)
{
	struct dp_session *s = ctx;
	struct dp_worker *w = s->w;
	struct dpt_dp *dp = w->dp;
	const struct dpt_port *port = dp->ports[s->reply.port_id];
	bool zc = dp->zc_min != 0 && len >= dp->zc_min && port->multi_seg;
	struct rte_mbuf *m, *ext = NULL;
	struct dpt_cache_zc z;
	uint16_t sum = 0;
	uint8_t *p;
	int rc;

	dp_window_cover(s, off, len);
	m = reply_alloc(w, DPT_TFTP_HDR_LEN + len);
	if (m == NULL)
		return -ENOBUFS;
	/* Raw: attach sets what the segment needs, the rest is as every
	 * free leaves it (refcnt 1, no next, one segment). */
	if (zc && (ext = rte_mbuf_raw_alloc(dp->zc_pool)) == NULL) {
		rte_pktmbuf_free(m);
		DP_STAT_INC(w->st.nombuf);
		return -ENOBUFS;
	}
	/* Paid for only once it can go: the buffers are there. */
	if (unlikely(!port_pays(dp, s, len))) {
		rte_pktmbuf_free(ext);
		rte_pktmbuf_free(m);
		DP_STAT_INC(w->st.port_rate_waits);
		return -ENOBUFS;	/* the stall poll tries again */
	}
	p = rte_pktmbuf_mtod(m, uint8_t *);
	dpt_tftp_build_data_hdr(p, DPT_TFTP_HDR_LEN, block);
	if (zc) {
		rc = dpt_cache_zc(s->entry, off, len, port->needs_sum, &z);
		if (rc == -ERANGE) {	/* spans two chunks: copy it */
			rte_pktmbuf_free(ext);
			ext = NULL;
		} else if (rc < 0) {
			rte_pktmbuf_free(ext);
			rte_pktmbuf_free(m);
			return rc;
		}
	}
	if (ext != NULL) {
		ext->ol_flags = 0;
		rte_pktmbuf_attach_extbuf(ext, z.addr, z.iova, (uint16_t)len,
					  z.shinfo);
		ext->data_len = (uint16_t)len;
		ext->pkt_len = len;
		m->next = ext;
		m->nb_segs = 2;
		m->data_len = DPT_TFTP_HDR_LEN;
		sum = z.sum;
	} else {
		rc = (int)dpt_cache_read(s->entry, off, p + DPT_TFTP_HDR_LEN,
					 len);
		if (rc >= 0 && port->needs_sum)
			rc = dpt_cache_sum(s->entry, off, len, &sum);
		if (rc < 0) {
			rte_pktmbuf_free(m);
			return rc;
		}
		m->data_len = (uint16_t)(DPT_TFTP_HDR_LEN + len);
	}
	m->pkt_len = DPT_TFTP_HDR_LEN + len;
	if (port->needs_sum)
		reply_send(w, m, &s->reply, DPT_META_SUM,
			   dpt_net_sum_add(hdr_sum(block), sum));
	else
		reply_send(w, m, &s->reply, 0, 0);
	return 0;
}

/* WRQ: a block for the writer on the main lcore, in an mbuf of its own
 * (netascii blocks come decoded from the stack). Not now: -EAGAIN, and the
 * client sends the block again. */
static int
io_write(void *ctx, uint64_t off, const void *src, size_t len)
{
	struct dp_session *s = ctx;
	struct dp_worker *w = s->w;
	struct dp_msg *msg;
	struct rte_mbuf *m;
	void *p;

	if (rte_mempool_get(w->dp->msg_pool, (void **)&msg) < 0)
		return -EAGAIN;
	m = rte_pktmbuf_alloc(w->pool);
	p = m == NULL ? NULL : rte_pktmbuf_append(m, (uint16_t)len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		rte_mempool_put(w->dp->msg_pool, msg);
		DP_STAT_INC(w->st.nombuf);
		return -EAGAIN;
	}
	memcpy(p, src, len);
	msg->type = DP_MSG_WRITE;
	msg->worker = (uint16_t)w->id;
	msg->slot = s->slot;
	msg->gen = s->gen;
	msg->entry = NULL;
	msg->upload = s->upload;
	msg->m = m;
	msg->off = off;
	if (rte_ring_sp_enqueue(w->to_main, msg) < 0) {
		rte_pktmbuf_free(m);
		rte_mempool_put(w->dp->msg_pool, msg);
		return -EAGAIN;
	}
	dp_bell_ring(&w->dp->main_bell);
	return 0;
}

/* WRQ: every block is in; the final ACK waits for the rename. */
static int
io_commit(void *ctx)
{
	struct dp_session *s = ctx;
	struct dp_msg *msg = s->ctl;

	msg->type = DP_MSG_COMMIT;
	msg->slot = s->slot;
	msg->gen = s->gen;
	msg->upload = s->upload;
	msg->m = NULL;
	msg->entry = NULL;
	if (rte_ring_sp_enqueue(s->w->to_main, msg) < 0)
		return -ENOBUFS;	/* cannot happen: sized for all */
	s->ctl = NULL;
	s->upload = NULL;		/* the writer's now */
	dp_bell_ring(&s->w->dp->main_bell);
	return -EINPROGRESS;
}

const struct dpt_tftp_io dp_io = {
	.alloc = io_alloc,
	.send = io_send,
	.discard = io_discard,
	.read = io_read,
	.send_data = io_send_data,
	.write = io_write,
	.commit = io_commit,
};

