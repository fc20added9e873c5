/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_TEST_DP_H_
#define _DPT_TEST_DP_H_

/*
 * lib/dp on a fake port: datagrams with chosen metadata (client, server
 * port, when they arrived) go in through the RX lcore's poll, the workers
 * run the sessions, the main lcore opens files from a real cache and
 * writes uploads, and what the TX lcore sends is read back. All on this
 * thread, so each case says exactly which datagram arrives when, and
 * checks what goes out, the files and the counters.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_malloc.h>

#include "dp_internal.h"

#define SMALL_SIZE 600		/* two blocks of 512 */
#define BIG_SIZE (40 * 512 + 7)
#define TX_MAX 512
#define TDP_WORKERS_MAX 2
#define TDP_PORTS 64		/* session ports 50000.., split among workers */

struct tdp {
	char root[64];
	struct rte_mempool *pool;
	struct dpt_cache *cache;
	struct dpt_conf conf;
	struct dpt_port port;
	struct dpt_port *ports[1];
	uint16_t *port_list;
	struct dpt_port_share share[TDP_WORKERS_MAX];
	unsigned int lcores[TDP_WORKERS_MAX];
	struct dpt_dp *dp;
	struct rte_mbuf *rx[64];
	unsigned int n_rx;
	struct rte_mbuf *tx[TX_MAX];	/* sent since the last clear */
	unsigned int n_tx;
	unsigned int msgs_free;		/* the message pool, just made */
};

extern struct tdp F;

/* What tdp_create() may change from one worker and nothing else. */
struct tdp_opts {
	unsigned int workers;		/* 0: 1 */
	uint32_t max_per_client;
	const struct dpt_upload_policy *upload;	/* NULL: no uploads */
};

/* Builds the dataplane (compact: every stage polled by run()). */
void tdp_create(const struct tdp_opts *o);

/* cmocka fixtures: one worker, nothing else; or nothing at all (the case
 * calls tdp_create()); the teardown stops and frees whatever was made. */
int dp_up(void **state);
int dp_none(void **state);
int dp_down(void **state);
#define TDP_TEST(f) cmocka_unit_test_setup_teardown(f, dp_up, dp_down)
#define TDP_TEST_OWN(f) cmocka_unit_test_setup_teardown(f, dp_none, dp_down)
#define TDP_DIM(a) (sizeof(a) / sizeof((a)[0]))

/* A datagram from 10.0.0.<host>:cport to sport, taken in at TSC rx_tsc;
 * send_at() is from 10.0.0.2. */
void send_from(uint8_t host, uint16_t cport, uint16_t sport,
	       const void *payload, size_t len, uint64_t rx_tsc);
void send_at(uint16_t cport, uint16_t sport, const void *payload,
	     size_t len, uint64_t rx_tsc);

/* An RRQ's bytes for name, octet, with "blksize 512" when opts. */
size_t rrq(uint8_t *buf, const char *name, bool opts);
/* A WRQ's bytes for name, octet, no options. */
size_t wrq(uint8_t *buf, const char *name);

/* Client datagrams from 10.0.0.2:cport to sport. */
void ack(uint16_t cport, uint16_t sport, uint16_t block);
void data(uint16_t cport, uint16_t sport, uint16_t block, const void *p,
	  size_t len);
void error_to(uint16_t cport, uint16_t sport, uint16_t code,
	      const char *msg);

/* Forgets (and frees) what was sent. */
void tx_clear(void);

/* Runs every stage until nothing moves (the main lcore opens files). */
void run(void);

/* The datagrams sent to cport since the last clear: how many, and the
 * last one's opcode, block (or error code) and source port. */
unsigned int sent_to(uint16_t cport, uint16_t *op, uint16_t *block,
		     uint16_t *sport);
/* The message of the last ERROR sent to cport ("" when none). */
const char *error_sent_to(uint16_t cport);

/* Worker w's counters, and the sum over the workers. */
struct dpt_worker_stats stats_of(unsigned int w);
struct dpt_worker_stats stats(void);

/* Each area's cases (test_dp_<area>.c). */
extern const struct CMUnitTest tdp_request_tests[];
extern const size_t tdp_request_count;
extern const struct CMUnitTest tdp_steer_tests[];
extern const size_t tdp_steer_count;
extern const struct CMUnitTest tdp_upload_tests[];
extern const size_t tdp_upload_count;
extern const struct CMUnitTest tdp_stop_tests[];
extern const size_t tdp_stop_count;
extern const struct CMUnitTest tdp_xfer_tests[];
extern const size_t tdp_xfer_count;

#endif /* _DPT_TEST_DP_H_ */
