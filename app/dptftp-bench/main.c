/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * dptftp-bench: drives TFTP transfers against any server and reports what
 * it measured. main() is the checklist: read the options, read the local
 * copies, start the backend's threads, show progress until they finish,
 * report. The socket backend needs no DPDK: EAL is never started.
 *
 * Exit status: 0 every transfer succeeded, 1 bad usage, 2 the run could
 * not start or its output could not be written, 3 some transfers failed.
 */

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_report.h"

#define TICK_US 100000		/* how often main looks at the threads */
#define PROGRESS_US 1000000	/* how often the progress line changes */

static volatile sig_atomic_t interrupts;

static void
on_signal(int sig)
{
	interrupts++;
}

static void
die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3),
						   noreturn));

static void
die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, DPT_BENCH_PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

/* The first SIGINT stops new transfers, the second aborts those running. */
static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		die(2, "sigaction: %s", strerror(errno));
}

static bool
want_progress(const struct dpt_bench_opts *o)
{
	static const bool table[] = {
		[DPT_BENCH_PROGRESS_ALWAYS] = true,
		[DPT_BENCH_PROGRESS_NEVER] = false,
	};

	if (o->progress == DPT_BENCH_PROGRESS_AUTO)
		return !o->quiet && isatty(STDOUT_FILENO);
	return table[o->progress];
}

static void
sleep_us(uint64_t us)
{
	struct timespec ts = {
		.tv_sec = (time_t)(us / 1000000),
		.tv_nsec = (long)(us % 1000000) * 1000,
	};

	nanosleep(&ts, NULL);	/* a signal cutting it short is welcome */
}

/* Waits for the threads; passes interrupts on; draws the progress line. */
static void
watch(struct dpt_bench_plan *p, const struct dpt_bench_stats *st,
      bool progress)
{
	uint64_t now, last = p->t0, bytes_last = 0, bytes, done, failed, act;
	bool drawn = false;
	unsigned int i;

	while (__atomic_load_n(&p->threads_done, __ATOMIC_ACQUIRE) <
	       p->n_threads) {
		sleep_us(TICK_US);
		if (interrupts > 0)
			__atomic_store_n(&p->stop, interrupts > 1 ?
					 DPT_BENCH_STOP_NOW :
					 DPT_BENCH_STOP_NEW, __ATOMIC_RELAXED);
		now = dpt_bench_now();
		if (!progress || now - last < PROGRESS_US)
			continue;
		bytes = done = failed = act = 0;
		for (i = 0; i < p->n_threads; i++) {
			bytes += dpt_bench_peek(&st[i].bytes);
			done += dpt_bench_peek(&st[i].done);
			failed += dpt_bench_peek(&st[i].failed);
			act += dpt_bench_peek(&st[i].active);
		}
		printf("\r%7.1f s  done %llu  failed %llu  active %llu  "
		       "%.3f Gbit/s%s   ", (double)(now - p->t0) / 1e6,
		       (unsigned long long)done, (unsigned long long)failed,
		       (unsigned long long)act,
		       (double)(bytes - bytes_last) * 8 / (double)(now - last) /
		       1e3, interrupts > 0 ? "  (stopping)" : "");
		fflush(stdout);
		drawn = true;
		bytes_last = bytes;
		last = now;
	}
	if (drawn)
		putchar('\n');
}

static void
plan_init(struct dpt_bench_plan *p, const struct dpt_bench_opts *o,
	  const struct dpt_bench_file *files)
{
	memset(p, 0, sizeof(*p));
	p->o = o;
	p->files = files;
	p->n_threads = o->threads;
	dpt_bench_xcfg_init(&p->xcfg, o);
}

static int
write_outputs(const struct dpt_bench_plan *p,
	      const struct dpt_bench_stats *st,
	      const struct dpt_bench_summary *sum)
{
	const struct dpt_bench_opts *o = p->o;
	char err[256];
	int rc = 0;

	if (!o->quiet)
		dpt_bench_report_text(stdout, p, sum);
	if (o->json != NULL &&
	    dpt_bench_report_json(o->json, p, sum, err, sizeof(err)) < 0) {
		fprintf(stderr, DPT_BENCH_PROG ": %s\n", err);
		rc = -1;
	}
	if (o->csv != NULL && dpt_bench_report_csv(o->csv, p, st, p->n_threads,
						   err, sizeof(err)) < 0) {
		fprintf(stderr, DPT_BENCH_PROG ": %s\n", err);
		rc = -1;
	}
	return rc;
}

int
main(int argc, char **argv)
{
	struct dpt_bench_file files[DPT_BENCH_FILES_MAX];
	struct dpt_bench_summary sum;
	struct dpt_bench_stats *st;
	struct dpt_bench_opts o;
	struct dpt_bench_plan p;
	char err[512];
	bool failed;
	unsigned int i;
	int rc;

	rc = dpt_bench_opts_parse(argc, argv, &o, err, sizeof(err));
	if (rc > 0)
		return 0;
	if (rc < 0)
		die(1, "%s (see --help)", err);

	if (o.make_pattern != NULL) {
		rc = dpt_bench_pattern_write(o.make_pattern, o.seed, o.size);
		if (rc < 0)
			die(2, "cannot write %s: %s", o.make_pattern,
			    strerror(-rc));
		return 0;
	}

	memset(files, 0, sizeof(files));
	if (dpt_bench_files_load(&o, files, err, sizeof(err)) < 0)
		die(2, "%s", err);
	if (o.op == DPT_TFTP_RRQ && o.verify_file == NULL &&
	    o.verify_dir == NULL && !o.quiet)
		fprintf(stderr, DPT_BENCH_PROG ": no --verify or --verify-dir: "
			"downloads are checked against tsize only\n");

	plan_init(&p, &o, files);
	st = calloc(p.n_threads, sizeof(*st));
	if (st == NULL)
		die(2, "out of memory for %u threads' counters", p.n_threads);
	install_signals();

	p.t0 = dpt_bench_now();
	p.t_stop = p.t0 + o.duration_us;
	if (o.backend->start(&p, st, err, sizeof(err)) < 0) {
		__atomic_store_n(&p.stop, DPT_BENCH_STOP_NOW, __ATOMIC_RELAXED);
		o.backend->wait(&p);
		die(2, "%s", err);
	}
	watch(&p, st, want_progress(&o));
	o.backend->wait(&p);

	if (dpt_bench_summarize(&p, st, p.n_threads, dpt_bench_now(),
				&sum) < 0)
		die(2, "out of memory for the summary");
	rc = write_outputs(&p, st, &sum);
	failed = sum.total->failed != 0;
	dpt_bench_summary_free(&sum);
	for (i = 0; i < p.n_threads; i++)
		free(st[i].recs);
	free(st);
	return rc < 0 ? 2 : failed ? 3 : 0;
}
