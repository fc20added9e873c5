/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * What /metrics says: every counter the console shows, since the start.
 * Workers' counters carry worker="k"; ports' port="n" and name="IFACE";
 * counters that count the same thing for different reasons are one
 * family with a reason label (one unit of account per name); the cache;
 * sessions by state; ERRORs sent by code; the transfers' duration and
 * size histograms. Names start with dptftp_ and end in their unit
 * (_bytes, _seconds) and, for counters, _total.
 */

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dpt_metrics.h"
#include "metrics_internal.h"

#define WS(f) offsetof(struct dpt_worker_stats, f)

/* A worker counter: rows of one family are consecutive, told apart by
 * label=value. */
static const struct wmetric {
	const char *name;
	enum mw_type type;
	const char *unit;
	const char *help;
	size_t off;
	const char *label, *value;
} worker_metrics[] = {
	{ "dptftp_sessions_started", MW_COUNTER, NULL,
	  "Sessions started: the file opened and the first answer sent.",
	  WS(sess_started) },
	{ "dptftp_sessions_completed", MW_COUNTER, NULL,
	  "Sessions whose whole file was moved and acknowledged.",
	  WS(sess_completed) },
	{ "dptftp_sessions_failed", MW_COUNTER, NULL,
	  "Sessions ended by an ERROR either way, a protocol or I/O error, "
	  "the operator or the stop.", WS(sess_failed) },
	{ "dptftp_sessions_timed_out", MW_COUNTER, NULL,
	  "Sessions whose client went silent (retries exhausted).",
	  WS(sess_timed_out) },
	{ "dptftp_sessions_unacked", MW_COUNTER, NULL,
	  "Downloads whose final DATA went out and whose final ACK never "
	  "came (the client most likely has its file).", WS(sess_unacked) },
	{ "dptftp_sessions_superseded", MW_COUNTER, NULL,
	  "Sessions ended by a new request from the same client address "
	  "and port.", WS(sess_superseded) },
	{ "dptftp_late_final_acks", MW_COUNTER, NULL,
	  "Final ACKs that came after their download ended unacked (it "
	  "then counts completed).", WS(late_final_acks) },
	{ "dptftp_option_probes", MW_COUNTER, NULL,
	  "OACKs answered with ERROR 8 (UEFI's size probe).",
	  WS(option_probes) },
	{ "dptftp_requests", MW_COUNTER, NULL,
	  "RRQs and WRQs received and parsed.", WS(requests) },
	{ "dptftp_duplicate_requests", MW_COUNTER, NULL,
	  "Copies of a request that is being served.", WS(dup_requests) },
	{ "dptftp_requests_refused", MW_COUNTER, NULL,
	  "Requests refused with ERROR 3 or 2: busy is --max-sessions, "
	  "client --max-per-client, remap a map-file rule.",
	  WS(refused_busy), "reason", "busy" },
	{ "dptftp_requests_refused", MW_COUNTER, NULL, NULL,
	  WS(refused_client), "reason", "client" },
	{ "dptftp_requests_refused", MW_COUNTER, NULL, NULL,
	  WS(refused_remap), "reason", "remap" },
	{ "dptftp_errors_limited", MW_COUNTER, NULL,
	  "ERRORs not sent for --reply-limit.", WS(errors_limited) },
	{ "dptftp_worker_received_packets", MW_COUNTER, NULL,
	  "Datagrams a worker took from the RX lcore.", WS(pkts_in) },
	{ "dptftp_worker_sent_packets", MW_COUNTER, NULL,
	  "Datagrams a worker handed to the TX lcore.", WS(pkts_out) },
	{ "dptftp_worker_sent_bytes", MW_COUNTER, "bytes",
	  "TFTP bytes of the datagrams a worker handed to the TX lcore.",
	  WS(bytes_out) },
	{ "dptftp_served_bytes", MW_COUNTER, "bytes",
	  "File bytes sent (downloads) or stored (uploads) by ended "
	  "sessions.", WS(bytes_served) },
	{ "dptftp_uploads", MW_COUNTER, NULL,
	  "Uploads stored and renamed into place.", WS(uploads_done) },
	{ "dptftp_uploaded_bytes", MW_COUNTER, "bytes",
	  "File bytes of the uploads stored.", WS(bytes_uploaded) },
	{ "dptftp_retransmits", MW_COUNTER, NULL,
	  "DATA, ACK and OACK packets sent again.", WS(retransmits) },
	{ "dptftp_duplicate_acks", MW_COUNTER, NULL,
	  "Stale or duplicate ACKs ignored.", WS(dup_acks) },
	{ "dptftp_worker_dropped_packets", MW_COUNTER, NULL,
	  "Datagrams a worker dropped: malformed (to the listening port, "
	  "not a request), stale (to a port no session holds), foreign "
	  "(from another peer), nomsg (control messages exhausted), "
	  "draining (requests during the drain), encap (replies the port "
	  "could not frame), tailroom (replies longer than an mbuf).",
	  WS(drop_malformed), "reason", "malformed" },
	{ "dptftp_worker_dropped_packets", MW_COUNTER, NULL, NULL,
	  WS(drop_stale), "reason", "stale" },
	{ "dptftp_worker_dropped_packets", MW_COUNTER, NULL, NULL,
	  WS(drop_foreign), "reason", "foreign" },
	{ "dptftp_worker_dropped_packets", MW_COUNTER, NULL, NULL,
	  WS(drop_nomsg), "reason", "nomsg" },
	{ "dptftp_worker_dropped_packets", MW_COUNTER, NULL, NULL,
	  WS(drop_draining), "reason", "draining" },
	{ "dptftp_worker_dropped_packets", MW_COUNTER, NULL, NULL,
	  WS(drop_encap), "reason", "encap" },
	{ "dptftp_worker_dropped_packets", MW_COUNTER, NULL, NULL,
	  WS(drop_tailroom), "reason", "tailroom" },
	{ "dptftp_rate_waits", MW_COUNTER, NULL,
	  "DATA blocks that waited for a rate limit (--session-rate, "
	  "--port-rate).", WS(rate_waits), "limit", "session" },
	{ "dptftp_rate_waits", MW_COUNTER, NULL, NULL,
	  WS(port_rate_waits), "limit", "port" },
	{ "dptftp_worker_nombuf", MW_COUNTER, NULL,
	  "Mbuf allocations that failed on a worker.", WS(nombuf) },
	{ "dptftp_transfer_log_dropped", MW_COUNTER, NULL,
	  "Transfer records lost: the worker's ring to the main lcore was "
	  "full.", WS(xfer_log_drops) },
	{ "dptftp_sessions_active", MW_GAUGE, NULL,
	  "Sessions open now, opening ones included.", WS(active) },
};

static const struct {
	const char *name, *unit, *help;
	size_t off;
} cache_metrics[] = {
#define CS(f) offsetof(struct dpt_cache_stats, f)
	{ "dptftp_cache_hits", NULL,
	  "Opens served by a cached file.", CS(hits) },
	{ "dptftp_cache_misses", NULL,
	  "Opens that had to read the file into the cache.", CS(misses) },
	{ "dptftp_cache_chunks_loaded", NULL,
	  "Cache chunks read from disk.", CS(chunks_loaded) },
	{ "dptftp_cache_chunks_evicted", NULL,
	  "Cache chunks dropped to stay within the budget.",
	  CS(chunks_evicted) },
	{ "dptftp_cache_chunk_frees_deferred", NULL,
	  "Chunks freed late because mbufs still held them.",
	  CS(chunk_frees_deferred) },
	{ "dptftp_cache_evictions", NULL,
	  "Cached files dropped whole.", CS(evictions) },
	{ "dptftp_cache_load_errors", NULL,
	  "Reads into the cache that failed.", CS(load_errors) },
	{ "dptftp_cache_files_closed", NULL,
	  "Descriptors closed to stay within --max-open-files.",
	  CS(files_closed) },
};

static const struct {
	const char *name, *unit, *help;
	size_t off;
} cache_gauges[] = {
	{ "dptftp_cache_resident_bytes", "bytes",
	  "File bytes in the cache now.", CS(bytes_resident) },
	{ "dptftp_cache_budget_bytes", "bytes",
	  "The cache's budget (--cache-size).", CS(budget) },
	{ "dptftp_cache_entries", NULL,
	  "Files in the cache now.", CS(entries) },
	{ "dptftp_cache_loads_in_progress", NULL,
	  "Files being read into the cache now.", CS(loads_in_progress) },
	{ "dptftp_cache_open_files", NULL,
	  "Descriptors the cache holds now.", CS(files_open) },
	{ "dptftp_cache_open_files_max", NULL,
	  "Descriptors the cache may hold (--max-open-files).",
	  CS(files_max) },
#undef CS
};

/* Everything read once per scrape, so families stay grouped. */
struct snap {
	unsigned int n_workers;
	struct dpt_worker_stats *ws;
	struct dpt_io_stats io;
	uint64_t states[DPT_TFTP_S_DONE + 1];	/* [0]: opening */
	int sessions;
};

static uint64_t
field(const struct dpt_worker_stats *st, size_t off)
{
	return *(const uint64_t *)((const char *)st + off);
}

static void
worker_label(char *buf, size_t len, unsigned int w)
{
	char v[16];

	buf[0] = '\0';
	snprintf(v, sizeof(v), "%u", w);
	mw_label(buf, len, "worker", v);
}

static void
write_workers(struct mw *w, const struct snap *s)
{
	const char *family = NULL;
	char labels[128];
	unsigned int i, k;

	for (i = 0; i < sizeof(worker_metrics) / sizeof(worker_metrics[0]);
	     i++) {
		const struct wmetric *m = &worker_metrics[i];

		if (family == NULL || strcmp(family, m->name) != 0)
			mw_family(w, m->name, m->type, m->unit, m->help);
		family = m->name;
		for (k = 0; k < s->n_workers; k++) {
			worker_label(labels, sizeof(labels), k);
			if (m->label != NULL)
				mw_label(labels, sizeof(labels), m->label,
					 m->value);
			mw_u64(w, NULL, labels, field(&s->ws[k], m->off));
		}
	}
	mw_family(w, "dptftp_errors_sent", MW_COUNTER, NULL,
		  "ERRORs sent to clients, by code (RFC 1350, 2347).");
	for (k = 0; k < s->n_workers; k++) {
		for (i = 0; i < DPT_TFTP_ERR_COUNT; i++) {
			char code[8];

			snprintf(code, sizeof(code), "%u", i);
			worker_label(labels, sizeof(labels), k);
			mw_label(labels, sizeof(labels), "code", code);
			mw_u64(w, NULL, labels, s->ws[k].errors_sent[i]);
		}
	}
}

/* One histogram over every worker's buckets; bounds in us (printed in
 * seconds) or bytes. */
static void
write_hist(struct mw *w, const struct snap *s, const char *name,
	   const char *unit, const char *help, enum dpt_dp_hist h)
{
	const uint64_t *bounds = dpt_dp_hist_bounds(h);
	uint64_t cum = 0, sum = 0;
	char le[64], labels[80];
	unsigned int b, k;

	mw_family(w, name, MW_HISTOGRAM, unit, help);
	for (b = 0; b < DPT_DP_HIST_N; b++) {
		for (k = 0; k < s->n_workers; k++)
			cum += h == DPT_DP_HIST_DURATION ? s->ws[k].dur_hist[b] :
			       s->ws[k].bytes_hist[b];
		if (b + 1 < DPT_DP_HIST_N && h == DPT_DP_HIST_DURATION)
			snprintf(le, sizeof(le), "%g", bounds[b] / 1e6);
		else if (b + 1 < DPT_DP_HIST_N)
			snprintf(le, sizeof(le), "%" PRIu64, bounds[b]);
		else
			snprintf(le, sizeof(le), "+Inf");
		labels[0] = '\0';
		mw_u64(w, "_bucket", mw_label(labels, sizeof(labels), "le",
					       le), cum);
	}
	for (k = 0; k < s->n_workers; k++)
		sum += h == DPT_DP_HIST_DURATION ? s->ws[k].dur_sum_us :
		       s->ws[k].bytes_sum;
	if (h == DPT_DP_HIST_DURATION)
		mw_double(w, "_sum", NULL, sum / 1e6);
	else
		mw_u64(w, "_sum", NULL, sum);
	mw_u64(w, "_count", NULL, cum);
}

static void
write_io(struct mw *w, const struct snap *s)
{
	static const struct {
		const char *name, *help;
		size_t off;
	} io[] = {
#define IO(f) offsetof(struct dpt_io_stats, f)
		{ "dptftp_rx_lcore_packets", "Datagrams the RX lcore took "
		  "from the ports and steered.", IO(rx_pkts) },
		{ "dptftp_rx_ring_full", "Datagrams dropped: their worker's "
		  "ring was full.", IO(rx_ring_full) },
		{ "dptftp_rx_no_owner", "Datagrams to a port no worker owns.",
		  IO(rx_no_owner) },
		{ "dptftp_tx_lcore_packets", "Datagrams the TX lcore sent.",
		  IO(tx_pkts) },
		{ "dptftp_tx_dropped", "Datagrams the ports refused twice.",
		  IO(tx_dropped) },
#undef IO
	};
	unsigned int i;

	for (i = 0; i < sizeof(io) / sizeof(io[0]); i++) {
		mw_family(w, io[i].name, MW_COUNTER, NULL, io[i].help);
		mw_u64(w, NULL, NULL, *(const uint64_t *)
		       ((const char *)&s->io + io[i].off));
	}
}

static void
write_cache(struct mw *w, struct dpt_cache *cache)
{
	struct dpt_cache_stats st;
	unsigned int i;

	if (cache == NULL)
		return;
	dpt_cache_stats(cache, &st);
	for (i = 0; i < sizeof(cache_metrics) / sizeof(cache_metrics[0]);
	     i++) {
		mw_family(w, cache_metrics[i].name, MW_COUNTER,
			  cache_metrics[i].unit, cache_metrics[i].help);
		mw_u64(w, NULL, NULL, *(const uint64_t *)
		       ((const char *)&st + cache_metrics[i].off));
	}
	for (i = 0; i < sizeof(cache_gauges) / sizeof(cache_gauges[0]); i++) {
		mw_family(w, cache_gauges[i].name, MW_GAUGE,
			  cache_gauges[i].unit, cache_gauges[i].help);
		mw_u64(w, NULL, NULL, *(const uint64_t *)
		       ((const char *)&st + cache_gauges[i].off));
	}
}

static void
count_state(const struct dpt_session_info *si, void *arg)
{
	struct snap *s = arg;

	if (si->opening)
		s->states[0]++;
	else if ((unsigned int)si->state <= DPT_TFTP_S_DONE)
		s->states[si->state]++;
}

static void
write_sessions(struct mw *w, const struct dpt_metrics_params *p,
	       const struct snap *s)
{
	char labels[64];
	unsigned int st;

	mw_family(w, "dptftp_sessions", MW_GAUGE, NULL,
		  "Sessions open now, by state: opening (the file being "
		  "opened), oack-sent, sending, receiving, committing, "
		  "dally.");
	for (st = 0; s->sessions >= 0 && st < DPT_TFTP_S_DONE; st++) {
		labels[0] = '\0';
		mw_label(labels, sizeof(labels), "state", st == 0 ? "opening" :
			 dpt_tftp_state_name((enum dpt_tftp_state)st));
		mw_u64(w, NULL, labels, s->states[st]);
	}
	mw_family(w, "dptftp_sessions_max", MW_GAUGE, NULL,
		  "The most sessions open at once (--max-sessions, set max-"
		  "sessions).");
	mw_u64(w, NULL, NULL, dpt_dp_get_max_sessions(p->dp));
}

static void
write_xlog(struct mw *w, struct dpt_xlog *xl)
{
	struct dpt_xlog_stats st;

	if (xl == NULL)
		return;
	dpt_xlog_stats(xl, &st);
	mw_family(w, "dptftp_transfer_records", MW_COUNTER, NULL,
		  "Transfer records the transfer log took.");
	mw_u64(w, NULL, NULL, st.records);
	mw_family(w, "dptftp_transfer_log_write_errors", MW_COUNTER, NULL,
		  "Transfer records the --transfer-log file did not take.");
	mw_u64(w, NULL, NULL, st.write_errors);
}

uint64_t
metrics_unix_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void
write_info(struct mw *w, const struct dpt_metrics_params *p)
{
	char labels[128] = "";

	mw_label(labels, sizeof(labels), "version", p->version);
	mw_label(labels, sizeof(labels), "backend", p->backend);
	mw_family(w, "dptftp_build_info", MW_INFO, NULL,
		  "dptftpd's version and port backend (always 1).");
	mw_u64(w, NULL, labels, 1);
	mw_family(w, "dptftp_start_time_seconds", MW_GAUGE, "seconds",
		  "When dptftpd started, in seconds since the Unix epoch.");
	mw_double(w, NULL, NULL, p->start_unix_us / 1e6);
}

void
dpt_metrics_write(const struct dpt_metrics_params *p, FILE *f,
		  bool openmetrics)
{
	struct mw w = { .f = f, .om = openmetrics };
	struct snap s;
	unsigned int k;

	memset(&s, 0, sizeof(s));
	s.n_workers = dpt_dp_n_workers(p->dp);
	s.ws = calloc(s.n_workers ? s.n_workers : 1, sizeof(*s.ws));
	if (s.ws == NULL)
		return;
	for (k = 0; k < s.n_workers; k++)
		dpt_dp_worker_stats_lifetime(p->dp, k, &s.ws[k]);
	dpt_dp_io_stats(p->dp, &s.io);
	s.sessions = dpt_dp_sessions(p->dp, -1, 0, NULL, count_state, &s);
	write_info(&w, p);
	write_workers(&w, &s);
	write_hist(&w, &s, "dptftp_transfer_duration_seconds", "seconds",
		   "How long transfers that ran took, from the request to "
		   "their end (an upload's: its final ACK, before the "
		   "dally).", DPT_DP_HIST_DURATION);
	write_hist(&w, &s, "dptftp_transfer_size_bytes", "bytes",
		   "File bytes each transfer that ran moved.",
		   DPT_DP_HIST_BYTES);
	write_sessions(&w, p, &s);
	write_io(&w, &s);
	metrics_write_ports(&w, p);
	write_cache(&w, p->cache);
	write_xlog(&w, p->xlog);
	mw_end(&w);
	free(s.ws);
}
