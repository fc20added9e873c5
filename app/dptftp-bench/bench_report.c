/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * What a run found, three ways: `Key: value` lines for people and greps,
 * one JSON object per run, one CSV row per transfer. Rates count file
 * bytes of transfers that succeeded; M means 10^6 (Mbit/s, MB/s).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench_report.h"

static const char *const why_names[DPT_BENCH_WHY_COUNT] = {
	[DPT_BENCH_OK] = "ok",
	[DPT_BENCH_TIMEOUT] = "timeout",
	[DPT_BENCH_SERVER_ERROR] = "server-error",
	[DPT_BENCH_OACK_REFUSED] = "bad-oack",
	[DPT_BENCH_PROTOCOL] = "protocol",
	[DPT_BENCH_VERIFY_SIZE] = "verify-size",
	[DPT_BENCH_VERIFY_SUM] = "verify-checksum",
	[DPT_BENCH_UNREACHABLE] = "unreachable",
	[DPT_BENCH_SOCKET] = "socket",
	[DPT_BENCH_ABORTED] = "aborted",
};

static const char *const mode_names[] = { "count", "duration", "storm" };

const char *
dpt_bench_why_name(enum dpt_bench_why w)
{
	return (unsigned int)w < DPT_BENCH_WHY_COUNT ? why_names[w] : "?";
}

static void
add_stats(struct dpt_bench_stats *to, const struct dpt_bench_stats *from)
{
	unsigned int i;

	to->done += from->done;
	to->failed += from->failed;
	to->bytes += from->bytes;
	to->bytes_ok += from->bytes_ok;
	to->data_pkts += from->data_pkts;
	to->pkts_in += from->pkts_in;
	to->pkts_out += from->pkts_out;
	to->retransmits += from->retransmits;
	to->req_retransmits += from->req_retransmits;
	to->dup_data += from->dup_data;
	to->ooo_data += from->ooo_data;
	to->stray += from->stray;
	to->tx_dropped += from->tx_dropped;
	to->bad_frames += from->bad_frames;
	to->port_missed += from->port_missed;
	to->port_rx_errors += from->port_rx_errors;
	to->port_tx_errors += from->port_tx_errors;
	to->port_rx_nombuf += from->port_rx_nombuf;
	to->clients_ok += from->clients_ok;
	to->clients_failed += from->clients_failed;
	to->recs_oom |= from->recs_oom;
	to->idle_us += from->idle_us;
	for (i = 0; i < DPT_BENCH_WHY_COUNT; i++)
		to->why[i] += from->why[i];
	for (i = 0; i <= DPT_TFTP_ERR_COUNT; i++)
		to->err_code[i] += from->err_code[i];
	if (to->agreed_blksize == 0) {
		to->agreed_blksize = from->agreed_blksize;
		to->agreed_windowsize = from->agreed_windowsize;
	}
	if (to->err_msg[0] == '\0')
		memcpy(to->err_msg, from->err_msg, sizeof(to->err_msg));
	if (from->t_last_end > to->t_last_end)
		to->t_last_end = from->t_last_end;
	dpt_bench_hist_merge(&to->ttfb, &from->ttfb);
	dpt_bench_hist_merge(&to->xfer, &from->xfer);
	dpt_bench_hist_merge(&to->boot, &from->boot);
}

int
dpt_bench_summarize(const struct dpt_bench_plan *p,
		    const struct dpt_bench_stats *per, unsigned int n,
		    uint64_t t_end, struct dpt_bench_summary *sum)
{
	struct rusage ru;
	unsigned int i;

	memset(sum, 0, sizeof(*sum));
	sum->total = calloc(1, sizeof(*sum->total));
	if (sum->total == NULL)
		return -ENOMEM;
	dpt_bench_hist_init(&sum->total->ttfb);
	dpt_bench_hist_init(&sum->total->xfer);
	dpt_bench_hist_init(&sum->total->boot);
	for (i = 0; i < n; i++)
		add_stats(sum->total, &per[i]);
	/* Until the last transfer ended: a run's tail of idle timers is not
	 * the server's time. */
	if (sum->total->t_last_end > p->t0)
		t_end = sum->total->t_last_end;
	sum->elapsed_s = (double)(t_end - p->t0) / 1e6;
	if (sum->elapsed_s <= 0.0)
		sum->elapsed_s = 1e-6;
	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		sum->cpu_user_s = (double)ru.ru_utime.tv_sec +
				  (double)ru.ru_utime.tv_usec / 1e6;
		sum->cpu_sys_s = (double)ru.ru_stime.tv_sec +
				 (double)ru.ru_stime.tv_usec / 1e6;
		sum->max_rss_kb = (uint64_t)ru.ru_maxrss;
	}
	return 0;
}

void
dpt_bench_summary_free(struct dpt_bench_summary *sum)
{
	free(sum->total);
	sum->total = NULL;
}

static double
ms(uint64_t us)
{
	return (double)us / 1000.0;
}

static void
text_latency(FILE *f, const char *what, const struct dpt_bench_hist *h)
{
	if (h->n == 0)
		return;
	fprintf(f, "%s (ms): p50 %.3f  p90 %.3f  p99 %.3f  max %.3f  "
		"mean %.3f\n", what, ms(dpt_bench_hist_pct(h, 50)),
		ms(dpt_bench_hist_pct(h, 90)), ms(dpt_bench_hist_pct(h, 99)),
		ms(h->max), ms(h->sum / h->n));
}

static void
text_failures(FILE *f, const struct dpt_bench_stats *t)
{
	const char *sep = "";
	unsigned int i;

	fprintf(f, "Failures:");
	for (i = 1; i < DPT_BENCH_WHY_COUNT; i++) {
		if (t->why[i] == 0 || i == DPT_BENCH_SERVER_ERROR)
			continue;
		fprintf(f, "%s %s %llu", sep, why_names[i],
			(unsigned long long)t->why[i]);
		sep = ",";
	}
	for (i = 0; i <= DPT_TFTP_ERR_COUNT; i++) {
		if (t->err_code[i] == 0)
			continue;
		if (i < DPT_TFTP_ERR_COUNT)
			fprintf(f, "%s error %u (%s) %llu", sep, i,
				dpt_tftp_err_str(i),
				(unsigned long long)t->err_code[i]);
		else
			fprintf(f, "%s error >8 %llu", sep,
				(unsigned long long)t->err_code[i]);
		sep = ",";
	}
	fprintf(f, "%s\n", sep[0] == '\0' ? " none" : "");
	if (t->err_msg[0] != '\0')
		fprintf(f, "First error text: %s\n", t->err_msg);
}

void
dpt_bench_report_text(FILE *f, const struct dpt_bench_plan *p,
		      const struct dpt_bench_summary *sum)
{
	const struct dpt_bench_opts *o = p->o;
	const struct dpt_bench_stats *t = sum->total;
	double s = sum->elapsed_s, cpu = sum->cpu_user_s + sum->cpu_sys_s;

	fprintf(f, "Run: %s%s%s %s against %s, %s, %u thread%s\n",
		o->label != NULL ? o->label : "", o->label != NULL ? ": " : "",
		o->op == DPT_TFTP_RRQ ? "RRQ" : "WRQ",
		o->mode == DPT_TFTP_MODE_OCTET ? "octet" : "netascii",
		o->server, mode_names[o->run_mode], p->n_threads,
		p->n_threads == 1 ? "" : "s");
	fprintf(f, "Options: blksize %u, windowsize %u, tsize %s, timeout %u "
		"(0: not sent)\n", o->blksize, o->windowsize,
		o->tsize ? "asked" : "not asked", o->timeout_s);
	if (t->agreed_blksize != 0)
		fprintf(f, "Agreed: blksize %u, windowsize %u (first transfer "
			"that succeeded)\n", t->agreed_blksize,
			t->agreed_windowsize);
	fprintf(f, "Transfers: %llu ok, %llu failed\n",
		(unsigned long long)t->done, (unsigned long long)t->failed);
	fprintf(f, "Elapsed: %.3f s\n", s);
	fprintf(f, "Bytes: %llu\n", (unsigned long long)t->bytes_ok);
	fprintf(f, "Goodput: %.1f Mbit/s, %.2f MB/s\n",
		(double)t->bytes_ok * 8 / s / 1e6,
		(double)t->bytes_ok / s / 1e6);
	fprintf(f, "Transfers/s: %.1f\n", (double)t->done / s);
	fprintf(f, "DATA packets/s: %.0f\n", (double)t->data_pkts / s);
	text_latency(f, "Time to first byte", &t->ttfb);
	text_latency(f, "Transfer time", &t->xfer);
	if (o->run_mode == DPT_BENCH_MODE_STORM) {
		fprintf(f, "Clients: %llu booted, %llu failed\n",
			(unsigned long long)t->clients_ok,
			(unsigned long long)t->clients_failed);
		text_latency(f, "Boot time", &t->boot);
	}
	fprintf(f, "Retransmits: %llu (requests %llu)\n",
		(unsigned long long)t->retransmits,
		(unsigned long long)t->req_retransmits);
	fprintf(f, "DATA out of order: %llu, duplicate: %llu; stray "
		"datagrams: %llu; send drops: %llu\n",
		(unsigned long long)t->ooo_data,
		(unsigned long long)t->dup_data, (unsigned long long)t->stray,
		(unsigned long long)t->tx_dropped);
	if (t->bad_frames != 0)
		fprintf(f, "Frames dropped (bad checksum or length): %llu "
			"(a veth peer that leaves checksums to offload? see "
			"docs/bench.md)\n", (unsigned long long)t->bad_frames);
	if (o->backend->dpdk)
		fprintf(f, "Port drops: missed %llu, RX errors %llu, RX no "
			"mbuf %llu, TX errors %llu\n",
			(unsigned long long)t->port_missed,
			(unsigned long long)t->port_rx_errors,
			(unsigned long long)t->port_rx_nombuf,
			(unsigned long long)t->port_tx_errors);
	text_failures(f, t);
	fprintf(f, "Client CPU: %.2f s user, %.2f s system (%.0f%% of one "
		"CPU); max RSS %llu KiB\n", sum->cpu_user_s, sum->cpu_sys_s,
		100.0 * cpu / s, (unsigned long long)sum->max_rss_kb);
	if (o->busy_poll)	/* meaningful on a CPU of its own */
		fprintf(f, "Client busy: %.0f%% of one CPU (polls that found "
			"nothing excluded)\n", cpu > (double)t->idle_us / 1e6 ?
			100.0 * (cpu - (double)t->idle_us / 1e6) / s : 0.0);
	if (t->recs_oom)
		fprintf(f, "CSV: out of memory, rows are missing\n");
}

/* ------------------------------------------------------------------ */
/* JSON and CSV                                                        */
/* ------------------------------------------------------------------ */

static void
json_str(FILE *f, const char *s)
{
	if (s == NULL) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void
json_latency(FILE *f, const char *key, const struct dpt_bench_hist *h)
{
	fprintf(f, ",\n  \"%s\": {\"n\": %llu, \"p50\": %.3f, \"p90\": %.3f, "
		"\"p99\": %.3f, \"max\": %.3f, \"mean\": %.3f}", key,
		(unsigned long long)h->n, ms(dpt_bench_hist_pct(h, 50)),
		ms(dpt_bench_hist_pct(h, 90)), ms(dpt_bench_hist_pct(h, 99)),
		ms(h->n != 0 ? h->max : 0), ms(h->n != 0 ? h->sum / h->n : 0));
}

static void
json_counts(FILE *f, const struct dpt_bench_stats *t)
{
	const char *sep = "";
	unsigned int i;

	fprintf(f, ",\n  \"failures\": {");
	for (i = 1; i < DPT_BENCH_WHY_COUNT; i++) {
		fprintf(f, "%s\"%s\": %llu", sep, why_names[i],
			(unsigned long long)t->why[i]);
		sep = ", ";
	}
	fprintf(f, "},\n  \"server_errors\": {");
	for (sep = "", i = 0; i <= DPT_TFTP_ERR_COUNT; i++) {
		if (t->err_code[i] == 0)
			continue;
		fprintf(f, "%s\"%s%u\": %llu", sep,
			i == DPT_TFTP_ERR_COUNT ? ">" : "",
			i == DPT_TFTP_ERR_COUNT ? 8 : i,
			(unsigned long long)t->err_code[i]);
		sep = ", ";
	}
	fprintf(f, "},\n  \"first_error\": ");
	json_str(f, t->err_msg);
}

static FILE *
open_out(const char *path, char *err, size_t err_len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");

	if (f == NULL)
		snprintf(err, err_len, "cannot write %s: %s", path,
			 strerror(errno));
	return f;
}

static int
close_out(FILE *f, const char *path, char *err, size_t err_len)
{
	int bad = ferror(f);

	if (f == stdout)
		bad |= fflush(f);
	else
		bad |= fclose(f);
	if (bad != 0) {
		snprintf(err, err_len, "writing %s failed: %s", path,
			 strerror(errno));
		return -1;
	}
	return 0;
}

/* The JSON report's first fields: what was asked on the command line. */
static void
json_asked(FILE *f, const struct dpt_bench_opts *o)
{
	unsigned int i;

	fprintf(f, "{\n  \"label\": ");
	json_str(f, o->label);
	fprintf(f, ",\n  \"server\": ");
	json_str(f, o->server);
	fprintf(f, ",\n  \"op\": \"%s\", \"mode\": \"%s\", "
		"\"run_mode\": \"%s\"",
		o->op == DPT_TFTP_RRQ ? "rrq" : "wrq",
		o->mode == DPT_TFTP_MODE_OCTET ? "octet" : "netascii",
		mode_names[o->run_mode]);
	fprintf(f, ",\n  \"files\": [");
	for (i = 0; i < o->n_files; i++) {
		fprintf(f, "%s", i == 0 ? "" : ", ");
		json_str(f, o->files[i]);
	}
	fprintf(f, "], \"put\": ");
	json_str(f, o->put_name);
	fprintf(f, ", \"size\": %llu", (unsigned long long)o->size);
	fprintf(f, ",\n  \"blksize\": %u, \"windowsize\": %u, \"tsize\": %s, "
		"\"timeout\": %u, \"rto_ms\": %.3f, \"retries\": %u",
		o->blksize, o->windowsize, o->tsize ? "true" : "false",
		o->timeout_s, ms(o->rto_us), o->retries);
}

int
dpt_bench_report_json(const char *path, const struct dpt_bench_plan *p,
		      const struct dpt_bench_summary *sum, char *err,
		      size_t err_len)
{
	const struct dpt_bench_opts *o = p->o;
	const struct dpt_bench_stats *t = sum->total;
	double s = sum->elapsed_s;
	FILE *f = open_out(path, err, err_len);

	if (f == NULL)
		return -1;
	json_asked(f, o);
	fprintf(f, ",\n  \"agreed_blksize\": %u, \"agreed_windowsize\": %u",
		t->agreed_blksize, t->agreed_windowsize);
	fprintf(f, ",\n  \"count\": %llu, \"concurrency\": %u, "
		"\"duration_s\": %.3f, \"storm\": %u, \"rate\": %.3f, "
		"\"threads\": %u, \"backend\": \"%s\"",
		(unsigned long long)o->count, o->concurrency,
		(double)o->duration_us / 1e6, o->storm, o->rate, p->n_threads,
		o->backend->name);
	fprintf(f, ",\n  \"transfers_ok\": %llu, \"transfers_failed\": %llu, "
		"\"elapsed_s\": %.6f, \"bytes\": %llu",
		(unsigned long long)t->done, (unsigned long long)t->failed, s,
		(unsigned long long)t->bytes_ok);
	fprintf(f, ",\n  \"goodput_mbit_s\": %.3f, \"goodput_mbyte_s\": %.3f, "
		"\"transfers_per_s\": %.3f, \"data_pkts_per_s\": %.1f",
		(double)t->bytes_ok * 8 / s / 1e6,
		(double)t->bytes_ok / s / 1e6, (double)t->done / s,
		(double)t->data_pkts / s);
	json_latency(f, "ttfb_ms", &t->ttfb);
	json_latency(f, "time_ms", &t->xfer);
	json_latency(f, "boot_ms", &t->boot);
	fprintf(f, ",\n  \"clients_ok\": %llu, \"clients_failed\": %llu",
		(unsigned long long)t->clients_ok,
		(unsigned long long)t->clients_failed);
	fprintf(f, ",\n  \"retransmits\": %llu, \"request_retransmits\": %llu, "
		"\"dup_data\": %llu, \"ooo_data\": %llu, \"stray\": %llu, "
		"\"tx_dropped\": %llu, \"bad_frames\": %llu, "
		"\"pkts_in\": %llu, \"pkts_out\": %llu",
		(unsigned long long)t->retransmits,
		(unsigned long long)t->req_retransmits,
		(unsigned long long)t->dup_data,
		(unsigned long long)t->ooo_data, (unsigned long long)t->stray,
		(unsigned long long)t->tx_dropped,
		(unsigned long long)t->bad_frames,
		(unsigned long long)t->pkts_in,
		(unsigned long long)t->pkts_out);
	if (o->backend->dpdk)
		fprintf(f, ",\n  \"port_missed\": %llu, \"port_rx_errors\": "
			"%llu, \"port_rx_nombuf\": %llu, \"port_tx_errors\": "
			"%llu", (unsigned long long)t->port_missed,
			(unsigned long long)t->port_rx_errors,
			(unsigned long long)t->port_rx_nombuf,
			(unsigned long long)t->port_tx_errors);
	json_counts(f, t);
	fprintf(f, ",\n  \"client_cpu_user_s\": %.3f, \"client_cpu_sys_s\": "
		"%.3f, \"client_idle_poll_s\": %.3f, \"client_max_rss_kb\": "
		"%llu\n}\n", sum->cpu_user_s, sum->cpu_sys_s,
		(double)t->idle_us / 1e6, (unsigned long long)sum->max_rss_kb);
	return close_out(f, path, err, err_len);
}

/* A CSV field, quoted when it holds a comma, a quote or a newline. */
static void
csv_str(FILE *f, const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static int
by_id(const void *a, const void *b)
{
	const struct dpt_bench_rec *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int
dpt_bench_report_csv(const char *path, const struct dpt_bench_plan *p,
		     const struct dpt_bench_stats *per, unsigned int n,
		     char *err, size_t err_len)
{
	const struct dpt_bench_opts *o = p->o;
	struct dpt_bench_rec *all, *r;
	size_t total = 0, k = 0, i;
	unsigned int t;
	FILE *f;

	for (t = 0; t < n; t++)
		total += per[t].n_recs;
	all = malloc((total == 0 ? 1 : total) * sizeof(*all));
	if (all == NULL) {
		snprintf(err, err_len, "out of memory for %zu CSV rows", total);
		return -1;
	}
	for (t = 0; t < n; t++) {
		memcpy(all + k, per[t].recs, per[t].n_recs * sizeof(*all));
		k += per[t].n_recs;
	}
	qsort(all, total, sizeof(*all), by_id);
	f = open_out(path, err, err_len);
	if (f == NULL) {
		free(all);
		return -1;
	}
	fprintf(f, "label,id,thread,client,file,op,start_ms,ttfb_ms,time_ms,"
		"bytes,blksize,windowsize,retransmits,result,error_code,"
		"crc32c\n");
	for (i = 0; i < total; i++) {
		r = &all[i];
		csv_str(f, o->label);
		fprintf(f, ",%llu,%u,%u,", (unsigned long long)r->id,
			r->thread, r->client);
		csv_str(f, o->op == DPT_TFTP_RRQ ? o->files[r->file] :
			   "upload");
		fprintf(f, ",%s,%.3f,%.3f,%.3f,%llu,%u,%u,%u,%s,%u,%08x\n",
			o->op == DPT_TFTP_RRQ ? "rrq" : "wrq", ms(r->start_us),
			ms(r->ttfb_us), ms(r->time_us),
			(unsigned long long)r->bytes, r->blksize, r->windowsize,
			r->retransmits, why_names[r->why], r->err_code, r->crc);
	}
	free(all);
	return close_out(f, path, err, err_len);
}
