/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The dataplane's counters: each worker's, read relaxed from any thread,
 * cleared by a baseline (the report at exit counts from the start), and
 * printed as `Key: value` lines.
 */

#include <stdio.h>
#include <string.h>

#include "dp_internal.h"

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

static void
load_stats(const struct dpt_dp *dp, unsigned int w,
	   struct dpt_worker_stats *st)
{
	const uint64_t *src = (const uint64_t *)&dp->workers[w].st;
	uint64_t *dst = (uint64_t *)st;
	size_t i;

	for (i = 0; i < sizeof(*st) / sizeof(uint64_t); i++)
		dst[i] = LOAD(src[i]);
}

void
dpt_dp_worker_stats(const struct dpt_dp *dp, unsigned int w,
		    struct dpt_worker_stats *st)
{
	const uint64_t *base = (const uint64_t *)&dp->baseline[w];
	uint64_t *dst = (uint64_t *)st, active;
	size_t i;

	load_stats(dp, w, st);
	active = st->active;		/* a gauge: never cleared */
	for (i = 0; i < sizeof(*st) / sizeof(uint64_t); i++)
		dst[i] -= LOAD(base[i]);
	st->active = active;
}

void
dpt_dp_worker_stats_lifetime(const struct dpt_dp *dp, unsigned int w,
			     struct dpt_worker_stats *st)
{
	load_stats(dp, w, st);
}

void
dpt_dp_clear_stats(struct dpt_dp *dp)
{
	struct dpt_worker_stats now;
	uint64_t *base;
	unsigned int w;
	size_t i;

	/* The telemetry thread reads the baseline while the console clears
	 * it: whole values only, as for the counters themselves. */
	for (w = 0; w < dp->n_workers; w++) {
		load_stats(dp, w, &now);
		base = (uint64_t *)&dp->baseline[w];
		for (i = 0; i < sizeof(now) / sizeof(uint64_t); i++)
			__atomic_store_n(&base[i], ((const uint64_t *)&now)[i],
					 __ATOMIC_RELAXED);
	}
}

void
dpt_dp_io_stats(const struct dpt_dp *dp, struct dpt_io_stats *st)
{
	st->rx_pkts = LOAD(dp->rx->st.rx_pkts);
	st->rx_ring_full = LOAD(dp->rx->st.rx_ring_full);
	st->rx_no_owner = LOAD(dp->rx->st.rx_no_owner);
	st->tx_pkts = LOAD(dp->tx_st.tx_pkts);
	st->tx_dropped = LOAD(dp->tx_st.tx_dropped);
}

/* The counters `show worker stats` and the shutdown report print. */
static const struct {
	const char *name;
	size_t off;
} worker_keys[] = {
#define K(n, f) { n, offsetof(struct dpt_worker_stats, f) }
	K("sessions-started", sess_started),
	K("sessions-completed", sess_completed),
	K("sessions-failed", sess_failed),
	K("sessions-timed-out", sess_timed_out),
	K("sessions-unacked", sess_unacked),
	K("sessions-superseded", sess_superseded),
	K("late-final-acks", late_final_acks),
	K("option-probes", option_probes),
	K("sessions-active", active),
	K("requests", requests),
	K("dup-requests", dup_requests),
	K("refused-busy", refused_busy),
	K("refused-client", refused_client),
	K("refused-remap", refused_remap),
	K("errors-limited", errors_limited),
	K("packets-in", pkts_in),
	K("packets-out", pkts_out),
	K("bytes-out", bytes_out),
	K("bytes-served", bytes_served),
	K("uploads", uploads_done),
	K("bytes-uploaded", bytes_uploaded),
	K("retransmits", retransmits),
	K("dup-acks", dup_acks),
	K("drop-malformed", drop_malformed),
	K("drop-stale", drop_stale),
	K("drop-foreign", drop_foreign),
	K("drop-nomsg", drop_nomsg),
	K("drop-draining", drop_draining),
	K("drop-encap", drop_encap),
	K("drop-tailroom", drop_tailroom),
	K("rate-waits", rate_waits),
	K("port-rate-waits", port_rate_waits),
	K("nombuf", nombuf),
	K("transfer-log-drops", xfer_log_drops),
#undef K
};

static uint64_t
errors_sum(const struct dpt_worker_stats *st)
{
	uint64_t n = 0;
	int c;

	for (c = 0; c < DPT_TFTP_ERR_COUNT; c++)
		n += st->errors_sent[c];
	return n;
}

static uint64_t
drops_sum(const struct dpt_worker_stats *st)
{
	return st->drop_malformed + st->drop_stale + st->drop_foreign +
	       st->drop_nomsg + st->drop_draining + st->drop_encap +
	       st->drop_tailroom;
}

static void
print_worker(FILE *f, const char *prefix, const struct dpt_worker_stats *st)
{
	size_t i;

	for (i = 0; i < RTE_DIM(worker_keys); i++)
		fprintf(f, "%s %s: %llu\n", prefix, worker_keys[i].name,
			(unsigned long long)*(const uint64_t *)
			((const char *)st + worker_keys[i].off));
	fprintf(f, "%s errors-sent: %llu\n", prefix,
		(unsigned long long)errors_sum(st));
	fprintf(f, "%s drops: %llu\n", prefix,
		(unsigned long long)drops_sum(st));
}

static void
stats_print(const struct dpt_dp *dp, FILE *f, bool lifetime)
{
	struct dpt_worker_stats st, tot;
	struct dpt_io_stats io;
	char prefix[32];
	unsigned int w;
	size_t i;
	int c;

	memset(&tot, 0, sizeof(tot));
	for (w = 0; w < dp->n_workers; w++) {
		if (lifetime)
			load_stats(dp, w, &st);
		else
			dpt_dp_worker_stats(dp, w, &st);
		snprintf(prefix, sizeof(prefix), "Worker %u", w);
		print_worker(f, prefix, &st);
		for (i = 0; i < sizeof(st) / sizeof(uint64_t); i++)
			((uint64_t *)&tot)[i] += ((uint64_t *)&st)[i];
	}
	print_worker(f, "Total", &tot);
	for (c = 0; c < DPT_TFTP_ERR_COUNT; c++)
		fprintf(f, "Total error-%d-sent: %llu\n", c,
			(unsigned long long)tot.errors_sent[c]);
	dpt_dp_io_stats(dp, &io);
	fprintf(f, "RX packets: %llu\nRX ring-full: %llu\nRX no-owner: %llu\n"
		"TX packets: %llu\nTX dropped: %llu\n",
		(unsigned long long)io.rx_pkts,
		(unsigned long long)io.rx_ring_full,
		(unsigned long long)io.rx_no_owner,
		(unsigned long long)io.tx_pkts,
		(unsigned long long)io.tx_dropped);
}

void
dpt_dp_stats_print(const struct dpt_dp *dp, FILE *f)
{
	stats_print(dp, f, false);
}

void
dpt_dp_stats_report(const struct dpt_dp *dp, FILE *f)
{
	stats_print(dp, f, true);
}

void
dpt_dp_stats_line(const struct dpt_dp *dp, FILE *f)
{
	struct dpt_worker_stats st, tot;
	struct dpt_io_stats io;
	unsigned int w;
	size_t i;

	memset(&tot, 0, sizeof(tot));
	for (w = 0; w < dp->n_workers; w++) {
		dpt_dp_worker_stats(dp, w, &st);
		for (i = 0; i < sizeof(st) / sizeof(uint64_t); i++)
			((uint64_t *)&tot)[i] += ((uint64_t *)&st)[i];
	}
	dpt_dp_io_stats(dp, &io);
	fprintf(f, "stats: active=%llu started=%llu completed=%llu "
		"failed=%llu timed-out=%llu probes=%llu rx=%llu tx=%llu "
		"bytes=%llu retransmits=%llu errors=%llu drops=%llu\n",
		(unsigned long long)tot.active,
		(unsigned long long)tot.sess_started,
		(unsigned long long)tot.sess_completed,
		(unsigned long long)tot.sess_failed,
		(unsigned long long)tot.sess_timed_out,
		(unsigned long long)tot.option_probes,
		(unsigned long long)io.rx_pkts, (unsigned long long)io.tx_pkts,
		(unsigned long long)tot.bytes_served,
		(unsigned long long)tot.retransmits,
		(unsigned long long)errors_sum(&tot),
		(unsigned long long)(drops_sum(&tot) + io.rx_ring_full +
				     io.rx_no_owner + io.tx_dropped));
}
