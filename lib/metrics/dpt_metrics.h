/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_METRICS_H_
#define _DPT_METRICS_H_

/*
 * Prometheus metrics: a small HTTP/1.1 responder on the main lcore that
 * serves every counter at /metrics, in the OpenMetrics text format to a
 * scraper that asks for it (Accept: application/openmetrics-text, as
 * Prometheus does) and in Prometheus' text format 0.0.4 to anything else
 * (curl, promtool). Counters are since the start: the console's `clear`
 * never changes them. Nothing here blocks: a connection that stalls is
 * dropped after a few seconds. Main lcore only.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dpt_cache.h"
#include "dpt_conf.h"
#include "dpt_dp.h"
#include "dpt_port.h"
#include "dpt_xlog.h"

struct dpt_metrics;

/* What the metrics read. */
struct dpt_metrics_params {
	struct dpt_dp *dp;
	struct dpt_cache *cache;
	struct dpt_xlog *xlog;		/* NULL: no transfer log figures */
	struct dpt_port *const *ports;
	uint16_t n_ports;
	const char *backend;		/* "socket", "ethdev" */
	const char *version;
	uint64_t start_unix_us;		/* CLOCK_REALTIME when dptftpd
					 * started; 0: when the metrics open */
};

/*
 * Listens on addr (TCP; --metrics-listen), before the switch to --user
 * (a port below 1024 needs the privilege). Returns NULL with one line in
 * err ("cannot listen on 127.0.0.1:9469: Address already in use").
 */
struct dpt_metrics *dpt_metrics_open(const struct dpt_conf_addr *addr,
				     const struct dpt_metrics_params *p,
				     char *err, size_t errlen);
void dpt_metrics_close(struct dpt_metrics *m);

/* Accepts, reads requests, answers them; never blocks. Returns how much
 * it did (0: idle). */
unsigned int dpt_metrics_poll(struct dpt_metrics *m);

/* Scrapes answered since the start. */
uint64_t dpt_metrics_scrapes(const struct dpt_metrics *m);

/*
 * Writes every metric to f: OpenMetrics when openmetrics (ending in
 * "# EOF"), else Prometheus' text format 0.0.4. For the responder and
 * for tests.
 */
void dpt_metrics_write(const struct dpt_metrics_params *p, FILE *f,
		       bool openmetrics);

#endif /* _DPT_METRICS_H_ */
