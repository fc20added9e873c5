/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Building, starting and stopping the dataplane, and the main lcore's
 * share of it (file requests, streaming loads). The mbuf pool is
 * dp_pool.c's, the counters dp_stats.c's.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "dp_internal.h"

/* dptftp.dp: --log-level and `set log-level dp` reach it by name. */
RTE_LOG_REGISTER(dpt_dp_logtype, dptftp.dp, NOTICE);

#define WHEEL_SLOTS 4096
#define WHEEL_SHIFT 8		/* 256 us ticks: one turn is about 1 s */
#define MAIN_LOAD_CHUNK (4u << 20)	/* bytes loaded per main poll */

static uint64_t tsc_mult;	/* us = tsc * tsc_mult >> 32 */

uint64_t
dpt_dp_tsc_us(uint64_t tsc)
{
	return (uint64_t)(((unsigned __int128)tsc * tsc_mult) >> 32);
}

uint64_t
dpt_dp_now_us(void)
{
	return dpt_dp_tsc_us(rte_rdtsc());
}

static uint32_t
pow2_at_least(uint32_t v)
{
	return rte_align32pow2(v < 64 ? 64 : v);
}

static int
worker_init(struct dpt_dp *dp, struct dp_worker *w, unsigned int id,
	    const struct dpt_dp_params *p, uint32_t msg_ring)
{
	int socket = rte_lcore_to_socket_id(p->compact ? p->lcore_rx :
					    p->lcore_workers[id]);
	const struct dpt_port_share *sh = &p->shares[id];
	/* Single-port sessions need no port of their own. */
	uint32_t n_slots = p->single_port ? p->conf->max_sessions :
			   RTE_MIN(p->conf->max_sessions, sh->n);
	char name[RTE_RING_NAMESIZE];
	struct rte_hash_parameters hp = {
		.entries = RTE_MAX(2 * n_slots, 64u),
		.key_len = sizeof(struct dp_skey),
		.hash_func = rte_hash_crc,
		.socket_id = socket,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	uint32_t i;
	int rc;

	w->dp = dp;
	w->id = id;
	rc = dp_bell_init(&w->own_bell);
	if (rc < 0)
		return rc;
	w->bell = dp->compact ? &dp->compact_bell : &w->own_bell;
	w->lcore = p->compact ? p->lcore_rx : p->lcore_workers[id];
	w->pool = p->pool;
	w->reply_data_off = sizeof(struct rte_mbuf) +
			    rte_pktmbuf_priv_size(p->pool) + RTE_PKTMBUF_HEADROOM;
	w->tftp = p->tftp;
#define RING(field, fmt, size) do { \
	snprintf(name, sizeof(name), fmt, id); \
	w->field = rte_ring_create(name, size, socket, \
				   RING_F_SP_ENQ | RING_F_SC_DEQ); \
	if (w->field == NULL) \
		return -rte_errno; \
} while (0)
	RING(rx_ring, "dpt_rx_%u", p->conf->worker_ring);
	RING(tx_ring, "dpt_tx_%u", p->conf->tx_ring);
	RING(to_main, "dpt_req_%u", msg_ring);
	RING(from_main, "dpt_rep_%u", msg_ring);
#undef RING
	snprintf(name, sizeof(name), "dpt_sess_%u", id);
	hp.name = name;
	w->sessions = rte_hash_create(&hp);
	if (w->sessions == NULL)
		return -rte_errno;
	rc = dp_sessions_init(w, n_slots, sh->n, sh->ports);
	if (rc < 0)
		return rc;
	rc = dp_xfer_init(w, socket);
	if (rc < 0)
		return rc;
	for (i = 0; i < sh->n; i++)
		dp->owner[sh->ports[i]] = (uint8_t)id;
	return dp_wheel_init(&w->wheel, WHEEL_SLOTS, WHEEL_SHIFT,
			     dpt_dp_now_us(), socket);
}

/* What the dataplane keeps of its parameters. */
static void
dp_settings(struct dpt_dp *dp, const struct dpt_dp_params *p)
{
	dp->conf = p->conf;
	dp->ports = p->ports;
	dp->n_ports = p->n_ports;
	dp->cache = p->cache;
	dp->pool = p->pool;
	dp->n_workers = p->n_workers;
	dp->lcore_rx = p->lcore_rx;
	dp->lcore_tx = p->lcore_tx;
	dp->compact = p->compact;
	dp->lcore_dp = p->lcore_rx;
	dp->listen_port = p->conf->listen.port;
	dp->balance = p->conf->balance;
	dp->max_sessions = p->conf->max_sessions;
	dp->zc_min = p->zc_min;
	dp->upload = p->upload;
	dp->remap = p->remap;
	dp->single_port = p->single_port;
	dp->max_per_client = p->max_per_client;
	memcpy(dp->blksize_rules, p->blksize_rules,
	       sizeof(p->blksize_rules));
	dp->n_blksize_rules = RTE_MIN(p->n_blksize_rules,
				      (unsigned int)DPT_CONF_MAX_BLKSIZE_RULES);
	dp->tftp = p->tftp;
	dp->tsc_hz = rte_get_tsc_hz();
	dpt_dp_set_port_rate(dp, p->conf->port_rate);
}

/* The tables, pools and bells shared by the stages: 0 or -ENOMEM. */
static int
dp_alloc(struct dpt_dp *dp, const struct dpt_dp_params *p, uint32_t msgs)
{
	unsigned int w;

	dp->reply_rate = rte_malloc("dpt_reply_rate", sizeof(*dp->reply_rate),
				    RTE_CACHE_LINE_SIZE);
	if (dp->reply_rate != NULL)
		dpt_rate_init(dp->reply_rate, p->conf->reply_limit,
			      p->conf->reply_limit_total);
	dp->owner = rte_malloc("dpt_owner", 65536, 0);
	dp->rx = rte_zmalloc("dpt_rx", sizeof(*dp->rx), RTE_CACHE_LINE_SIZE);
	if (dp->rx != NULL) {
		/* Eight entries a session (16,384 at least, 1M at most):
		 * thousands of new requests a second must not push out, in
		 * seconds, the entry a copy or the next request needs. */
		uint32_t want = RTE_MAX(p->conf->max_sessions * 2, 4096u);
		uint32_t buckets = rte_align32pow2(RTE_MIN(want, 1u << 18));

		dp->rx->affinity = rte_zmalloc("dpt_affinity",
			sizeof(struct dp_affinity) * buckets,
			RTE_CACHE_LINE_SIZE);
		dp->rx->affinity_mask = buckets - 1;
	}
	dp->baseline = rte_zmalloc("dpt_base", sizeof(*dp->baseline) *
				   p->n_workers, 0);
	dp->workers = rte_zmalloc("dpt_workers",
				  sizeof(*dp->workers) * p->n_workers,
				  RTE_CACHE_LINE_SIZE);
	dp->msg_pool = rte_mempool_create("dpt_msg", msgs,
					  sizeof(struct dp_msg), 32, 0, NULL,
					  NULL, NULL, NULL, rte_socket_id(), 0);
	if (p->zc_min != 0)
		dp->zc_pool = rte_pktmbuf_pool_create("dpt_zc",
			dpt_dp_pool_count(p->conf, p->n_workers),
			DPT_DP_POOL_CACHE, 0, 0,
			rte_socket_id());
	if (dp->owner == NULL || dp->rx == NULL ||
	    dp->rx->affinity == NULL || dp->workers == NULL ||
	    dp->msg_pool == NULL || dp->baseline == NULL ||
	    dp->reply_rate == NULL ||
	    (p->zc_min != 0 && dp->zc_pool == NULL))
		return -ENOMEM;
	memset(dp->owner, DP_NO_OWNER, 65536);
	for (w = 0; w < p->n_workers; w++)
		dp->workers[w].own_bell.fd = -1;
	dp->tx_bell.fd = dp->main_bell.fd = dp->compact_bell.fd = -1;
	if (dp_bell_init(&dp->tx_bell) < 0 ||
	    dp_bell_init(&dp->main_bell) < 0 ||
	    dp_bell_init(&dp->compact_bell) < 0)
		return -ENOMEM;
	return 0;
}

/* Each port's blksize ceilings, and the descriptors that wake RX. */
static void
dp_ports_setup(struct dpt_dp *dp, const struct dpt_dp_params *p)
{
	unsigned int i;

	/* The blksize ceiling follows each port's MTU; a configured one (also
	 * changed at run time) lowers it per session. */
	for (i = 0; i < dp->n_ports; i++)
		dp_blksize_caps(dp->blksize_cap[i], dp->ports[i]->mtu, p->pool);
	/* Ports that can wake an idle RX lcore. */
	for (i = 0; i < dp->n_ports; i++) {
		int fd = dp->ports[i]->ops->wait_fd == NULL ? -1 :
			 dp->ports[i]->ops->wait_fd(dp->ports[i]);

		if (fd < 0 || dp->n_wait_fds == RTE_DIM(dp->wait_fds)) {
			dp->n_wait_fds = 0;
			break;
		}
		dp->wait_fds[dp->n_wait_fds++] = fd;
	}
}

struct dpt_dp *
dpt_dp_create(const struct dpt_dp_params *p, char *err, size_t errlen)
{
	uint32_t msgs = p->conf->max_sessions + 1024;
	uint32_t msg_ring = pow2_at_least(msgs + 1);
	struct dpt_dp *dp;
	unsigned int w;
	int rc;

	if (p->n_workers == 0 || p->n_workers > DPT_CONF_MAX_WORKERS) {
		snprintf(err, errlen, "%u workers: 1 to %u are possible",
			 p->n_workers, DPT_CONF_MAX_WORKERS);
		errno = EINVAL;
		return NULL;
	}
	if (p->n_ports > DPT_CONF_MAX_IFACES) {
		snprintf(err, errlen, "%u ports: at most %d", p->n_ports,
			 DPT_CONF_MAX_IFACES);
		errno = EINVAL;
		return NULL;
	}
	tsc_mult = ((uint64_t)1000000 << 32) / rte_get_tsc_hz();
	dp = rte_zmalloc("dpt_dp", sizeof(*dp), RTE_CACHE_LINE_SIZE);
	if (dp == NULL)
		goto nomem;
	dp_settings(dp, p);
	if (dp_alloc(dp, p, msgs) < 0)
		goto nomem;
	dp_ports_setup(dp, p);
	for (w = 0; w < p->n_workers; w++) {
		rc = worker_init(dp, &dp->workers[w], w, p, msg_ring);
		if (rc < 0) {
			snprintf(err, errlen, "worker %u: %s", w,
				 rte_strerror(-rc));
			dpt_dp_destroy(dp);
			errno = -rc;
			return NULL;
		}
	}
	return dp;
nomem:
	snprintf(err, errlen, "out of memory building the dataplane "
		 "(%u sessions, %u workers)", p->conf->max_sessions,
		 p->n_workers);
	dpt_dp_destroy(dp);
	errno = ENOMEM;
	return NULL;
}

int
dpt_dp_start(struct dpt_dp *dp)
{
	unsigned int w;
	int rc;

	if (dp->compact)
		return rte_eal_remote_launch(dp_compact_main, dp, dp->lcore_dp);
	rc = rte_eal_remote_launch(dp_tx_main, dp, dp->lcore_tx);
	if (rc == 0)
		rc = rte_eal_remote_launch(dp_rx_main, dp, dp->lcore_rx);
	for (w = 0; rc == 0 && w < dp->n_workers; w++)
		rc = rte_eal_remote_launch(dp_worker_main, &dp->workers[w],
					   dp->workers[w].lcore);
	return rc;
}

static int
main_ready(void *arg)
{
	struct dpt_dp *dp = arg;
	unsigned int w;

	for (w = 0; w < dp->n_workers; w++)
		if (!rte_ring_empty(dp->workers[w].to_main) ||
		    !rte_ring_empty(dp->workers[w].xfer_ring))
			return 1;
	return 0;
}

void
dpt_dp_main_wait(struct dpt_dp *dp, uint32_t us)
{
	dp_bell_sleep(&dp->main_bell, us, main_ready, dp);
}

unsigned int
dpt_dp_main_poll(struct dpt_dp *dp)
{
	unsigned int w, work = 0;

	for (w = 0; w < dp->n_workers; w++)
		work += dp_main_take(dp, &dp->workers[w]);
	work += dp_xfer_take(dp);
	if (dpt_cache_pump(dp->cache, MAIN_LOAD_CHUNK) != 0)
		work++;
	return work;
}

/* Takes back the messages nobody will read any more: references go back,
 * uploads that did not finish are removed. */
static void
drain_msgs(struct dpt_dp *dp, struct rte_ring *r)
{
	struct dp_msg *m;

	while (rte_ring_dequeue(r, (void **)&m) == 0) {
		if (m->entry != NULL)
			dpt_cache_put(m->entry);
		if (m->type == DP_MSG_WRITE)
			rte_pktmbuf_free(m->m);
		else if (m->upload != NULL)
			dpt_upload_abort(m->upload);
		rte_mempool_put(dp->msg_pool, m);
	}
}

void
dpt_dp_drain(struct dpt_dp *dp)
{
	__atomic_store_n(&dp->draining, 1, __ATOMIC_RELAXED);
}

uint32_t
dpt_dp_active(const struct dpt_dp *dp)
{
	return __atomic_load_n(&dp->sessions_total, __ATOMIC_RELAXED);
}

/* Waits for lcore lc to return, taking the transfer records the
 * sessions it ends leave meanwhile (more than a ring holds, at times). */
static void
wait_lcore(struct dpt_dp *dp, unsigned int lc)
{
	while (rte_eal_get_lcore_state(lc) == RUNNING)
		if (dp_xfer_take(dp) == 0)
			rte_delay_us_sleep(100);
	rte_eal_wait_lcore(lc);
}

void
dpt_dp_stop(struct dpt_dp *dp)
{
	unsigned int w;

	dp->stop_rx = 1;
	if (dp->compact) {
		wait_lcore(dp, dp->lcore_dp);
	} else {
		wait_lcore(dp, dp->lcore_rx);
		dp->stop_workers = 1;
		for (w = 0; w < dp->n_workers; w++)
			wait_lcore(dp, dp->workers[w].lcore);
		dp->stop_tx = 1;
		wait_lcore(dp, dp->lcore_tx);
	}
	while (dp_xfer_take(dp) != 0)
		;
	for (w = 0; w < dp->n_workers; w++) {
		drain_msgs(dp, dp->workers[w].to_main);
		drain_msgs(dp, dp->workers[w].from_main);
	}
}

void
dpt_dp_destroy(struct dpt_dp *dp)
{
	unsigned int w;

	if (dp == NULL)
		return;
	for (w = 0; dp->workers != NULL && w < dp->n_workers; w++) {
		struct dp_worker *wk = &dp->workers[w];

		dp_wheel_free(&wk->wheel);
		dp_bell_fini(&wk->own_bell);
		dp_sessions_free(wk);
		rte_hash_free(wk->sessions);
		rte_ring_free(wk->rx_ring);
		rte_ring_free(wk->tx_ring);
		rte_ring_free(wk->to_main);
		rte_ring_free(wk->from_main);
		dp_xfer_fini(wk);
	}
	dp_bell_fini(&dp->tx_bell);
	dp_bell_fini(&dp->main_bell);
	dp_bell_fini(&dp->compact_bell);
	rte_mempool_free(dp->msg_pool);
	rte_mempool_free(dp->zc_pool);
	rte_free(dp->workers);
	rte_free(dp->baseline);
	rte_free(dp->reply_rate);
	if (dp->rx != NULL)
		rte_free(dp->rx->affinity);
	rte_free(dp->rx);
	rte_free(dp->owner);
	rte_free(dp);
}

unsigned int
dpt_dp_n_workers(const struct dpt_dp *dp)
{
	return dp->n_workers;
}
