/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Serving, on the main lcore, until a signal or `quit`: file opens and
 * loads for the workers, the console, the transfer log, and the signals
 * an operator sends. SIGHUP re-reads the map file and reopens the
 * transfer log's file (logrotate); SIGUSR1 prints every counter and
 * serves on (dnsmasq's habit); SIGTERM, SIGINT and `quit` drain: no new
 * request is taken while the transfers that run finish, for up to
 * --drain-timeout, or until the signal comes again.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dpt_console.h"
#include "dpt_dp.h"
#include "dpt_metrics.h"
#include "dpt_xlog.h"
#include "dptftpd.h"

/* Transfers `show transfers` can list. */
#define XLOG_HISTORY 1024

static volatile sig_atomic_t quit_signal;
static volatile sig_atomic_t quit_count;
static volatile sig_atomic_t hup_signal;
static volatile sig_atomic_t usr1_signal;

static void
on_hup(int sig)
{
	hup_signal = sig;
}

static void
on_quit(int sig)
{
	quit_signal = sig;
	quit_count++;
}

static void
on_usr1(int sig)
{
	usr1_signal = sig;
}

void
app_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_quit;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int
xlog_open(const struct dpt_conf *c, struct dpt_xlog **out, char *err,
	  size_t errlen)
{
	const char *sink = c->transfer_log;
	struct dpt_xlog *xl = dpt_xlog_create(XLOG_HISTORY);

	if (xl == NULL) {
		snprintf(err, errlen, "transfer log: %s", strerror(errno));
		return -1;
	}
	if (strcmp(sink, "auto") == 0 || sink[0] == '\0')
		sink = c->interactive ? "off" : "syslog";
	if (dpt_xlog_set_sink(xl, sink, err, errlen) < 0) {
		dpt_xlog_destroy(xl);
		return -1;
	}
	*out = xl;
	return 0;
}

static int
metrics_open(struct app_run *r, char *err, size_t errlen)
{
	struct dpt_metrics_params p = {
		.dp = r->dp, .cache = r->cache, .xlog = r->xlog,
		.ports = r->ports, .n_ports = r->n_ports,
		.backend = r->n_ports > 0 ? r->ports[0]->ops->name : "none",
		.version = DPT_VERSION,
		.start_unix_us = r->start_unix_us,
	};

	if (r->conf->metrics_listen.family == 0)
		return 0;
	r->metrics = dpt_metrics_open(&r->conf->metrics_listen, &p, err,
				      errlen);
	return r->metrics == NULL ? -1 : 0;
}

int
app_run_open(struct app_run *r, char *err, size_t errlen)
{
	if (xlog_open(r->conf, &r->xlog, err, errlen) < 0)
		return -1;
	dpt_dp_set_transfer_fn(r->dp, dpt_xlog_add, r->xlog);
	r->con = app_console_open(r->conf, r->dp, r->xlog, r->cache, r->ports,
				  r->n_ports);
	return metrics_open(r, err, errlen);
}

static void
reload(struct app_run *r)
{
	char err[DPT_CONF_ERR_MAX];

	app_notify("RELOADING=1");
	app_reload_remap(r->conf, r->dp);
	if (dpt_xlog_reopen(r->xlog, err, sizeof(err)) < 0)
		fprintf(stderr, "dptftpd: SIGHUP: %s; still writing to the "
			"old file\n", err);
	else if (dpt_xlog_sink(r->xlog) == DPT_XLOG_FILE)
		printf("dptftpd: SIGHUP: %s reopened\n", r->conf->transfer_log);
	app_notify("READY=1");
}

static void
stats_tick(struct app_run *r, uint64_t *next)
{
	uint64_t period = r->conf->stats_period_s * 1000000ull, now;

	if (period == 0)
		return;
	now = dpt_dp_now_us();
	if (*next == 0)
		*next = now + period;
	if (now >= *next) {
		dpt_dp_stats_line(r->dp, stdout);
		*next = now + period;
	}
}

/* SIGUSR1: every counter since the start, as at exit, and on. */
static void
dump(struct app_run *r)
{
	uint16_t i;

	printf("dptftpd: SIGUSR1: counters since the start\n");
	for (i = 0; i < r->n_ports; i++)
		dpt_console_port_report(r->ports[i], stdout);
	dpt_dp_stats_report(r->dp, stdout);
	printf("dptftpd: SIGUSR1: end of counters\n");
}

/* About once a second, each port says what should be said (a link gone
 * down, a run of checksum drops). */
static void
watch_tick(struct app_run *r)
{
	static uint64_t next;
	uint64_t now = dpt_dp_now_us();
	uint16_t i;

	if (now < next)
		return;
	next = now + 1000000;
	for (i = 0; i < r->n_ports; i++)
		if (r->ports[i]->ops->watch != NULL)
			r->ports[i]->ops->watch(r->ports[i]);
}

/* What every pass of the loop does: signals, the console, --stats-period.
 * Returns the work done. */
static unsigned int
pass(struct app_run *r, uint64_t *next_stats)
{
	unsigned int work = dpt_dp_main_poll(r->dp);

	if (hup_signal) {
		hup_signal = 0;
		reload(r);
	}
	if (usr1_signal) {
		usr1_signal = 0;
		dump(r);
	}
	work += dpt_console_poll(r->con);
	if (r->metrics != NULL)
		work += dpt_metrics_poll(r->metrics);
	stats_tick(r, next_stats);
	watch_tick(r);
	return work;
}

/*
 * The drain: requests are dropped from now on, the transfers that run go
 * on (their files keep loading, the console answers) until none is left,
 * --drain-timeout passes, or another SIGTERM or SIGINT comes.
 */
static void
drain(struct app_run *r, const char *why, uint64_t *next_stats)
{
	uint64_t end = dpt_dp_now_us() + r->conf->drain_timeout_us;
	sig_atomic_t count = quit_count;
	uint32_t n = dpt_dp_active(r->dp);

	dpt_dp_drain(r->dp);
	app_notify("STOPPING=1\nSTATUS=draining %u session%s", n,
		   n == 1 ? "" : "s");
	if (n == 0 || r->conf->drain_timeout_us == 0)
		return;
	printf("dptftpd: %s: draining %u session%s for up to %u ms (signal "
	       "again to stop now)\n", why, n, n == 1 ? "" : "s",
	       r->conf->drain_timeout_us / 1000);
	while ((n = dpt_dp_active(r->dp)) != 0 && quit_count == count &&
	       dpt_dp_now_us() < end)
		if (pass(r, next_stats) == 0)
			dpt_dp_main_wait(r->dp, 1000);
	if (n == 0)
		printf("dptftpd: drained: every transfer ended\n");
	else
		printf("dptftpd: drain %s: %u session%s left to end\n",
		       quit_count != count ? "cut short" : "timed out", n,
		       n == 1 ? "" : "s");
}

const char *
app_serve(struct app_run *r)
{
	uint64_t next_stats = 0;
	const char *why;

	while (!quit_signal && !dpt_console_quit_requested(r->con))
		if (pass(r, &next_stats) == 0)
			dpt_dp_main_wait(r->dp, 1000);
	why = quit_signal ? strsignal(quit_signal) : "quit";
	drain(r, why, &next_stats);
	return why;
}
