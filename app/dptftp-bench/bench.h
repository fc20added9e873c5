/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_BENCH_H_
#define _DPT_BENCH_H_

/*
 * dptftp-bench: a TFTP load generator. The pieces, each in its own file:
 *   bench_opts.c, bench_args.c   the option table (on lib/opt); parsing,
 *                   the checks across options and --help
 *   bench_man.c     the manual page
 *   bench_parse.c   rates and addresses as users type them
 *   bench_check.c   CRC32C and the upload pattern
 *   bench_hist.c    log-linear histograms and percentiles
 *   bench_files.c   the local copies transfers are verified against
 *   bench_plan.c    what each slot (a client) fetches next, and when
 *   bench_xfer.c    one transfer: the client side of RFC 1350/2347-2349/7440
 *   bench_backend.c the table of backends
 *   bench_sock.c, bench_sock_setup.c   the kernel-socket backend
 *   bench_heap.c    the per-thread timer heap
 *   bench_report.c  the final report, --json and --csv
 * A transfer does no I/O: it asks its backend for a buffer and pushes
 * datagrams (struct dpt_bench_io), so another backend (DPDK ethdev) plugs
 * in by filling struct dpt_bench_backend.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "dpt_tftp.h"

#define DPT_BENCH_PROG "dptftp-bench"
#define DPT_BENCH_FILES_MAX 64
#define DPT_BENCH_ERRMSG_MAX 64		/* a server's ERROR text, kept */

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

enum dpt_bench_mode {
	DPT_BENCH_MODE_COUNT = 0,	/* --count N transfers */
	DPT_BENCH_MODE_DURATION,	/* --duration S */
	DPT_BENCH_MODE_STORM,		/* --storm K clients at --rate R */
};

enum dpt_bench_progress {
	DPT_BENCH_PROGRESS_AUTO = 0,	/* when stdout is a terminal */
	DPT_BENCH_PROGRESS_ALWAYS,
	DPT_BENCH_PROGRESS_NEVER,
};

struct dpt_bench_backend;

struct dpt_bench_opts {
	const char *server;			/* as typed */
	struct sockaddr_storage server_addr;
	socklen_t server_len;
	const char *bind;			/* local address, or NULL */
	struct sockaddr_storage bind_addr;
	socklen_t bind_len;

	enum dpt_tftp_op op;			/* RRQ (--get) or WRQ (--put) */
	char *files[DPT_BENCH_FILES_MAX];	/* --get / --files list */
	unsigned int n_files;
	const char *put_name;			/* --put template, "{n}" */
	uint64_t size;				/* --size: bytes per upload */
	uint64_t seed;				/* the upload pattern's seed */
	enum dpt_tftp_mode mode;

	uint32_t blksize;			/* 0: not asked */
	uint32_t windowsize;			/* 0: not asked */
	uint32_t timeout_s;			/* 0: the option is not sent */
	bool tsize;				/* ask for tsize */
	uint64_t rto_us;			/* first retransmission */
	uint64_t rto_max_us;			/* back-off ceiling */
	uint32_t retries;

	enum dpt_bench_mode run_mode;
	uint64_t count;
	uint32_t concurrency;
	uint64_t duration_us;
	uint32_t storm;				/* clients */
	double rate;				/* client arrivals per second */

	uint32_t threads;			/* 0: one per CPU */
	const struct dpt_bench_backend *backend;
	const char *verify_dir;
	const char *verify_file;
	const char *json;
	const char *csv;
	const char *label;
	const char *make_pattern;		/* write the pattern, exit */
	enum dpt_bench_progress progress;
	bool quiet;				/* no report on stdout */
	bool busy_poll;				/* never sleep while busy */
	bool reuse_ports;			/* the kernel's port choice: a
						 * freed port comes straight
						 * back (as firmware does) */
	bool naive_tid;				/* the first datagram from the
						 * server's host is the TID */

	/* the dpdk backend */
	const char *iface;			/* net_af_packet over it */
	const char *ip;				/* as typed: ADDR/PREFIX */
	int ip_family;				/* AF_INET or AF_INET6 */
	uint32_t ip_addr;			/* IPv4, network order */
	uint8_t ip6[16];			/* IPv6 */
	uint8_t ip_prefix;
	const char *gateway;
	uint32_t gateway_addr;			/* IPv4, network order */
	uint8_t gateway6[16];			/* IPv6 */
	const char *eal_args;			/* words for rte_eal_init */
	uint32_t port_id;
};

/*
 * Parses argv into o (defaults first). Returns 0, 1 when --help or
 * --version was printed (exit 0), or -1 with one line in err.
 */
int dpt_bench_opts_parse(int argc, char **argv, struct dpt_bench_opts *o,
			 char *err, size_t err_len);

void dpt_bench_usage(FILE *f);
/* The manual page, troff (bench_man.c). */
void dpt_bench_man(FILE *f);

/* Parsers the option table uses; exported for the unit tests. Each returns
 * 0, or -1 when text is not a valid value. Sizes and durations are
 * lib/opt's, in the bench's language (dpt_bench_lang, bench_opts.h). */
int dpt_bench_parse_rate(const char *text, double *per_s);
int dpt_bench_parse_addr(const char *text, uint16_t default_port,
			 struct sockaddr_storage *ss, socklen_t *len);

/* ------------------------------------------------------------------ */
/* Checksums and the upload pattern (bench_check.c)                    */
/* ------------------------------------------------------------------ */

/* CRC32C (Castagnoli), hardware-assisted where the CPU has SSE4.2. Start
 * with crc = 0; feed pieces in order; the result is the standard CRC. */
uint32_t dpt_bench_crc32c(uint32_t crc, const void *buf, size_t len);
/* The table-driven version, always in software (for tests). */
uint32_t dpt_bench_crc32c_sw(uint32_t crc, const void *buf, size_t len);

/* Fills dst with the pattern bytes [off, off+len): byte i is byte (i % 8),
 * little-endian, of splitmix64(seed + i / 8). Any split gives the same
 * bytes. */
void dpt_bench_pattern(uint64_t seed, uint64_t off, void *dst, size_t len);

/* Writes size pattern bytes to path; 0 or -errno. */
int dpt_bench_pattern_write(const char *path, uint64_t seed, uint64_t size);

/* ------------------------------------------------------------------ */
/* Histograms (bench_hist.c)                                           */
/* ------------------------------------------------------------------ */

/* Any 64-bit value in log-linear buckets: exact below 128, then 64
 * buckets per power of two (relative error under 1.6%), the HDR
 * histogram's layout. Fixed size, so a soak's memory stays flat. */
#define DPT_BENCH_HIST_SUB 64
#define DPT_BENCH_HIST_BUCKETS (59 * DPT_BENCH_HIST_SUB)

struct dpt_bench_hist {
	uint64_t n, sum, min, max;
	uint64_t bucket[DPT_BENCH_HIST_BUCKETS];
};

void dpt_bench_hist_init(struct dpt_bench_hist *h);
void dpt_bench_hist_add(struct dpt_bench_hist *h, uint64_t v);
void dpt_bench_hist_merge(struct dpt_bench_hist *to,
			  const struct dpt_bench_hist *from);
/* The value at percentile p (0..100]: the highest value its bucket holds,
 * never above the largest recorded; 0 when empty. */
uint64_t dpt_bench_hist_pct(const struct dpt_bench_hist *h, double p);

/* Bucket index of v and the range of values a bucket holds (tests). */
unsigned int dpt_bench_hist_index(uint64_t v);
void dpt_bench_hist_range(unsigned int idx, uint64_t *lo, uint64_t *hi);

/* ------------------------------------------------------------------ */
/* Local copies (bench_files.c)                                        */
/* ------------------------------------------------------------------ */

struct dpt_bench_file {
	const char *name;	/* as requested */
	bool known;		/* size and crc are those of a local copy */
	uint64_t size;
	uint32_t crc;
};

/*
 * Fills files[i] for each requested name: from --verify FILE (every name
 * has that content), --verify-dir DIR (DIR/name), or unknown. Uploads get
 * the pattern's size and crc. Returns 0, or -1 with one line in err.
 */
int dpt_bench_files_load(const struct dpt_bench_opts *o,
			 struct dpt_bench_file *files, char *err,
			 size_t err_len);

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

/* Why a transfer ended; names in bench_report.c. */
enum dpt_bench_why {
	DPT_BENCH_OK = 0,
	DPT_BENCH_TIMEOUT,		/* retries exhausted */
	DPT_BENCH_SERVER_ERROR,		/* the server sent ERROR n */
	DPT_BENCH_OACK_REFUSED,		/* its OACK broke RFC 2347-2349/7440 */
	DPT_BENCH_PROTOCOL,		/* an illegal or oversized packet */
	DPT_BENCH_VERIFY_SIZE,		/* wrong number of bytes */
	DPT_BENCH_VERIFY_SUM,		/* right size, wrong content */
	DPT_BENCH_UNREACHABLE,		/* ICMP: the server's port is gone */
	DPT_BENCH_SOCKET,		/* a local socket call failed */
	DPT_BENCH_ABORTED,		/* interrupted by the user */
	DPT_BENCH_WHY_COUNT,
};

const char *dpt_bench_why_name(enum dpt_bench_why w);

/* One transfer, for --csv. */
struct dpt_bench_rec {
	uint64_t id;
	uint64_t start_us;	/* since the run began */
	uint64_t ttfb_us;	/* 0: no byte came */
	uint64_t time_us;
	uint64_t bytes;
	uint32_t client;
	uint32_t retransmits;
	uint32_t crc;
	uint16_t file;		/* index in the file list */
	uint16_t err_code;
	uint16_t blksize;
	uint16_t windowsize;
	uint8_t why;
	uint8_t thread;
};

/*
 * A thread's counters. The first block is published for the progress line
 * (single writer, relaxed stores); the rest is read after the join.
 */
struct dpt_bench_stats {
	uint64_t done;
	uint64_t failed;
	uint64_t bytes;		/* file bytes moved so far, all transfers */
	uint64_t active;	/* transfers in flight */

	uint64_t bytes_ok;	/* of transfers that succeeded */
	uint64_t data_pkts;	/* DATA received in order (RRQ), sent (WRQ) */
	uint64_t pkts_in, pkts_out;
	uint64_t retransmits;	/* requests, ACKs and DATA sent again */
	uint64_t req_retransmits;
	uint64_t dup_data;	/* DATA seen before */
	uint64_t ooo_data;	/* DATA ahead of a gap */
	uint64_t stray;		/* datagrams from another address or TID */
	uint64_t tx_dropped;	/* datagrams the kernel (or, dpdk, the TX
				 * queue or the mbuf pool) would not take */
	uint64_t bad_frames;	/* dpdk: frames that failed lib/net's checks
				 * (checksum, lengths) */
	/* dpdk: the port's own counters at the end (thread 0's only) */
	uint64_t port_missed;	/* frames the NIC had no descriptor for */
	uint64_t port_rx_errors, port_tx_errors, port_rx_nombuf;
	uint64_t why[DPT_BENCH_WHY_COUNT];
	uint64_t err_code[DPT_TFTP_ERR_COUNT + 1];	/* last: other codes */
	char err_msg[DPT_BENCH_ERRMSG_MAX];		/* first ERROR text */
	uint64_t clients_ok, clients_failed;		/* storm */
	uint16_t agreed_blksize;	/* by the first transfer that */
	uint16_t agreed_windowsize;	/* succeeded: what the server gave */
	uint64_t t_last_end;	/* when its last transfer ended */
	uint64_t idle_us;	/* --busy-poll: time in polls that found
				 * nothing, to tell load from spinning */
	struct dpt_bench_hist ttfb, xfer, boot;
	struct dpt_bench_rec *recs;	/* when --csv */
	size_t n_recs, recs_cap;
	bool recs_oom;
};

static inline void
dpt_bench_publish(uint64_t *c, uint64_t v)
{
	__atomic_store_n(c, v, __ATOMIC_RELAXED);
}

static inline uint64_t
dpt_bench_peek(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

#endif /* _DPT_BENCH_H_ */
