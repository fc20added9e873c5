/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_DP_H_
#define _DPT_DP_H_

/*
 * The dataplane: an RX lcore polls the ports and steers each datagram over
 * a single-producer/single-consumer ring to one worker; workers own TFTP
 * sessions (session table, timer wheel, counters: no locks); a TX lcore
 * drains one ring per worker to the ports. The main lcore stays the control
 * plane: it calls dpt_dp_main_poll() to open files for the workers and to
 * stream them into the cache. shared/DESIGN.md sections 1 and 2.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_mempool.h>

#include "dpt_cache.h"
#include "dpt_conf.h"
#include "dpt_port.h"
#include "dpt_tftp.h"

struct dpt_dp;

/* Transfer histograms (dpt_worker_stats): DPT_DP_HIST_N buckets, the
 * last one past every bound; dpt_dp_hist_bounds() gives the bounds. */
#define DPT_DP_HIST_N 13

/* Per-worker counters. Written by the worker alone, read with relaxed
 * loads by anyone (dpt_dp_worker_stats()). */
struct dpt_worker_stats {
	uint64_t pkts_in;		/* datagrams from the RX lcore */
	uint64_t pkts_out;		/* datagrams handed to the TX lcore */
	uint64_t bytes_out;		/* TFTP bytes of those */
	uint64_t requests;		/* RRQ/WRQ received */
	uint64_t dup_requests;		/* retransmitted while being set up */
	uint64_t sess_started;
	uint64_t sess_completed;
	uint64_t sess_failed;		/* client error, protocol, I/O, killed */
	uint64_t sess_timed_out;
	uint64_t sess_unacked;		/* RRQ: final DATA sent, its ACK
					 * never came (not a failure) */
	uint64_t sess_superseded;	/* ended by a new request from the
					 * same client address and port */
	uint64_t late_final_acks;	/* final ACKs that came after their
					 * session ended: unacked turned
					 * completed */
	uint64_t option_probes;		/* ERROR 8 after OACK (UEFI) */
	uint64_t bytes_served;		/* file bytes of ended sessions */
	uint64_t uploads_done;		/* WRQ renamed into place */
	uint64_t bytes_uploaded;	/* file bytes of those */
	uint64_t retransmits;
	uint64_t dup_acks;
	uint64_t errors_sent[DPT_TFTP_ERR_COUNT];
	uint64_t errors_limited;	/* ERRORs not sent: --reply-limit */
	uint64_t drop_malformed;	/* to port 69, not a request: never
					 * answered; or a request that does not
					 * parse: ERROR 4 */
	uint64_t drop_stale;		/* for a port no session holds */
	uint64_t drop_foreign;		/* to a session's port from another
					 * peer: ERROR 5 unless an ERROR */
	uint64_t drop_nomsg;		/* control messages exhausted */
	uint64_t drop_draining;		/* requests while draining: never
					 * answered (the client tries again,
					 * or another server) */
	uint64_t drop_encap;		/* replies the port could not frame
					 * (no room for its headers) */
	uint64_t drop_tailroom;		/* replies longer than an mbuf holds */
	uint64_t rate_waits;		/* DATA held back by --session-rate */
	uint64_t port_rate_waits;	/* DATA held back by --port-rate */
	uint64_t nombuf;		/* mbuf allocation failed */
	uint64_t refused_busy;		/* --max-sessions reached: ERROR 3 */
	uint64_t refused_client;	/* --max-per-client reached: ERROR 3 */
	uint64_t refused_remap;		/* a map-file rule refused: ERROR 2 */
	uint64_t active;		/* sessions now (gauge) */
	uint64_t xfer_log_drops;	/* transfer records the main lcore's
					 * ring had no room for */
	/* Transfers that ran (a session started), when they ended: how
	 * long (us) and how many file bytes, bucket by bucket (not
	 * cumulative), and the sums. */
	uint64_t dur_hist[DPT_DP_HIST_N];
	uint64_t dur_sum_us;
	uint64_t bytes_hist[DPT_DP_HIST_N];
	uint64_t bytes_sum;
};

enum dpt_dp_hist {
	DPT_DP_HIST_DURATION = 0,	/* bounds in microseconds */
	DPT_DP_HIST_BYTES,		/* bounds in bytes */
};

/* The DPT_DP_HIST_N - 1 upper bounds (inclusive) of a histogram's
 * buckets, ascending. */
const uint64_t *dpt_dp_hist_bounds(enum dpt_dp_hist h);

/* RX and TX lcore counters. */
struct dpt_io_stats {
	uint64_t rx_pkts;
	uint64_t rx_ring_full;		/* steered to a full worker ring */
	uint64_t rx_no_owner;		/* to a port no worker owns */
	uint64_t tx_pkts;
	uint64_t tx_dropped;		/* refused twice by the port */
};

struct dpt_dp_params {
	const struct dpt_conf *conf;
	struct dpt_port **ports;
	uint16_t n_ports;
	struct dpt_port_share *shares;	/* one per worker */
	struct dpt_cache *cache;
	struct rte_mempool *pool;
	unsigned int n_workers;
	bool compact;			/* RX, workers and TX in turn on
					 * lcore_rx alone (few CPUs) */
	unsigned int lcore_rx;
	unsigned int lcore_tx;
	const unsigned int *lcore_workers;
	struct dpt_tftp_config tftp;	/* protocol settings for sessions */
	struct dpt_upload_policy upload;	/* WRQ: off unless enabled */
	struct dpt_remap *remap;	/* names rewritten first; NULL: as sent */
	bool single_port;		/* every session answers from the
					 * listening port (firewalls, NAT) */
	uint32_t max_per_client;	/* sessions per client address; 0: any */
	struct dpt_blksize_rule blksize_rules[DPT_CONF_MAX_BLKSIZE_RULES];
	unsigned int n_blksize_rules;
	uint32_t zc_min;		/* DATA blocks of this many bytes or
					 * more go zero-copy where the port
					 * takes chains; 0: always copy */
};

/* Mbufs each lcore keeps in the mbuf pools' per-lcore caches. */
#define DPT_DP_POOL_CACHE 256

/* Mbufs the pool needs for conf and n_workers, the ports' descriptors
 * included (for memory sizing). */
uint32_t dpt_dp_pool_count(const struct dpt_conf *conf,
			   unsigned int n_workers);

/*
 * Creates the mbuf pool the ports and workers share, sized from conf for
 * n_workers (rings, windows, bursts and per-lcore caches). NULL on failure.
 */
struct rte_mempool *dpt_dp_pool_create(const struct dpt_conf *conf,
				       unsigned int n_workers,
				       uint16_t data_room);

/* Builds the dataplane (rings, session tables, wheels); launches nothing.
 * Returns NULL with errno and one line in err. */
struct dpt_dp *dpt_dp_create(const struct dpt_dp_params *p, char *err,
			     size_t errlen);

/* Launches the RX, TX and worker lcores. */
int dpt_dp_start(struct dpt_dp *dp);

/*
 * The main lcore's share of the work: answers workers' file requests and
 * streams files into the cache. Returns how much it did (0: idle), so the
 * caller can back off.
 */
unsigned int dpt_dp_main_poll(struct dpt_dp *dp);

/* Sleeps up to us on the main lcore, waking early when a worker asks. */
void dpt_dp_main_wait(struct dpt_dp *dp, uint32_t us);

/*
 * The drain before a stop: from now on requests to the listening port
 * are dropped unanswered (drop-draining) while the transfers that run go
 * on. Any lcore; there is no way back.
 */
void dpt_dp_drain(struct dpt_dp *dp);

/* Sessions open now, across workers (opening ones included). */
uint32_t dpt_dp_active(const struct dpt_dp *dp);

/*
 * Staged shutdown: RX stops, workers end their sessions (ERROR 0 to their
 * clients), TX flushes, lcores join. Ports are left to the caller.
 */
void dpt_dp_stop(struct dpt_dp *dp);

/* Frees what dpt_dp_create() made. */
void dpt_dp_destroy(struct dpt_dp *dp);

unsigned int dpt_dp_n_workers(const struct dpt_dp *dp);
void dpt_dp_worker_stats(const struct dpt_dp *dp, unsigned int w,
			 struct dpt_worker_stats *st);
void dpt_dp_io_stats(const struct dpt_dp *dp, struct dpt_io_stats *st);

/* Worker w's counters since the start, whatever `clear` did (metrics,
 * the report at exit). */
void dpt_dp_worker_stats_lifetime(const struct dpt_dp *dp, unsigned int w,
				  struct dpt_worker_stats *st);

/* ---- control: the console's way in (main lcore only) ---- */

/* One session, as `show sessions` prints it. */
struct dpt_session_info {
	uint64_t id;			/* for dpt_dp_session_kill() */
	unsigned int worker;
	uint8_t family;
	uint8_t client_ip[16];
	uint16_t client_port;
	uint16_t server_port;
	char file[128];			/* truncated to fit */
	enum dpt_tftp_op op;		/* RRQ: download, WRQ: upload */
	enum dpt_tftp_mode mode;
	enum dpt_tftp_state state;
	bool opening;			/* waiting for the file to open */
	uint16_t blksize;
	uint16_t windowsize;
	uint64_t size;			/* file size; 0 when unknown */
	uint64_t progress;		/* bytes acknowledged or stored */
	uint64_t age_us;
	uint32_t retransmits;
	uint32_t rtt_us;
};

/*
 * Asks the workers (all, or worker w when w >= 0) for their sessions,
 * optionally only those of client address ip (family AF_INET/AF_INET6, NULL
 * for any), and calls fn for each. Workers answer between bursts; waits up
 * to a second. Returns the number of sessions, or a negative errno.
 */
int dpt_dp_sessions(struct dpt_dp *dp, int w, int family, const void *ip,
		    void (*fn)(const struct dpt_session_info *, void *),
		    void *arg);

/* Ends session id with ERROR 0 and msg (NULL: "Terminated by operator").
 * Returns 0, or -ENOENT when no such session runs. */
int dpt_dp_session_kill(struct dpt_dp *dp, uint64_t id, const char *msg);

/* Protocol settings for sessions started from now on (blksize and
 * windowsize ceilings, timeout, retries). */
int dpt_dp_set_tftp(struct dpt_dp *dp, const struct dpt_tftp_config *t);
void dpt_dp_get_tftp(const struct dpt_dp *dp, struct dpt_tftp_config *t);

/* --port-rate: the most bits a second of DATA (TFTP header and payload)
 * each port sends, from now on; 0: no limit. A session whose block the
 * port cannot pay for waits (port-rate-waits), it loses nothing. */
void dpt_dp_set_port_rate(struct dpt_dp *dp, uint64_t bits_per_s);
uint64_t dpt_dp_get_port_rate(const struct dpt_dp *dp);

/* The most sessions open at once, from now on. */
void dpt_dp_set_max_sessions(struct dpt_dp *dp, uint32_t n);
uint32_t dpt_dp_get_max_sessions(const struct dpt_dp *dp);

/* Zeroes the counters as the console shows them (a baseline is kept on
 * the main lcore: the workers' own counters are never written by others). */
void dpt_dp_clear_stats(struct dpt_dp *dp);

/* Swaps the remap rules in (main lcore); returns the old ones to free. */
struct dpt_remap *dpt_dp_set_remap(struct dpt_dp *dp, struct dpt_remap *r);

/* Changes where new sessions land; any lcore. */
int dpt_dp_set_balance(struct dpt_dp *dp, enum dpt_conf_balance b);
enum dpt_conf_balance dpt_dp_get_balance(const struct dpt_dp *dp);

/* Writes every counter as `Key: value` lines: `Worker k name: N` for each
 * worker, `Total name: N`, then the RX/TX lcores': since the last clear
 * (the console), or since the start (the report at exit, SIGUSR1). */
void dpt_dp_stats_print(const struct dpt_dp *dp, FILE *f);
void dpt_dp_stats_report(const struct dpt_dp *dp, FILE *f);

/* One line for --stats-period. */
void dpt_dp_stats_line(const struct dpt_dp *dp, FILE *f);

/* ---- the transfer log's source (main lcore) ---- */

/* How a transfer ended: the session's end (enum dpt_tftp_end), or one
 * of these two of the dataplane's. */
#define DPT_XFER_REFUSED DPT_TFTP_END_COUNT	/* an ERROR before any
						 * transfer: not found,
						 * access, busy, ... */
#define DPT_XFER_STOPPED (DPT_TFTP_END_COUNT + 1) /* ended by the stop */
#define DPT_XFER_RESULT_COUNT (DPT_TFTP_END_COUNT + 2)

/* "complete", "timeout", ..., "refused", "stopped". */
const char *dpt_dp_xfer_result_name(unsigned int result);

/* One transfer, recorded by its worker when it ends. */
struct dpt_transfer {
	uint64_t start_us;		/* the request, dpt_dp_now_us() clock */
	uint64_t end_us;		/* an upload's: its final ACK */
	uint64_t bytes;			/* file bytes sent or stored */
	uint64_t blocks;		/* DATA blocks, each counted once */
	uint32_t retransmits;
	uint16_t worker;
	uint16_t client_port;
	uint16_t server_port;		/* 0: refused before it had one */
	uint16_t err_code;
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t op;			/* DPT_TFTP_RRQ or DPT_TFTP_WRQ */
	uint8_t mode;			/* enum dpt_tftp_mode */
	uint8_t result;			/* enum dpt_tftp_end, DPT_XFER_* */
	uint8_t err_dir;		/* enum dpt_tftp_err_dir */
	uint8_t client_ip[16];
	uint16_t n_unknown;		/* option names asked we do not know */
	struct dpt_tftp_reqopt asked[DPT_TFTP_OPT_COUNT];
	struct dpt_tftp_negotiated granted;	/* .accepted: the OACK's */
	char err_msg[DPT_TFTP_ERRMSG_KEEP];	/* raw: escape to print */
	char file[DPT_TFTP_FILENAME_MAX];	/* as asked; raw */
};

/*
 * Where transfer records go: fn(rec, arg) on the main lcore, from
 * dpt_dp_main_poll() and from dpt_dp_stop() (the sessions it ends).
 * Workers hand records over a ring each; a record that finds it full is
 * dropped and counted (xfer_log_drops). NULL: workers make none.
 */
void dpt_dp_set_transfer_fn(struct dpt_dp *dp,
			    void (*fn)(const struct dpt_transfer *, void *),
			    void *arg);

/* Microseconds from the TSC; the clock every session runs on. */
uint64_t dpt_dp_now_us(void);

/* A TSC value (a packet's rx_tsc) on that clock. */
uint64_t dpt_dp_tsc_us(uint64_t tsc);

#endif /* _DPT_DP_H_ */
