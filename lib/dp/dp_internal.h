/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_DP_INTERNAL_H_
#define _DPT_DP_INTERNAL_H_

/* Structures the dataplane's files share; not part of its interface. */

#include <string.h>
#include <sys/socket.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dpt_dp.h"
#include "dpt_net.h"
#include "dpt_net.h"
#include "dp_wheel.h"

extern int dpt_dp_logtype;
#define DP_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, dpt_dp_logtype, "dptftp.dp: " __VA_ARGS__)

#define DP_BURST 32
#define DP_TIMER_DEFER_US 100000	/* timers wait for backed-up input */
#define DP_TIMERS_PER_POLL 64		/* timers a worker fires a round */
#define DP_RX_BURSTS 4			/* bursts a full queue gives a round */
#define DP_TXB_MAX 64		/* replies a worker buffers before its ring */
#define DP_NO_OWNER 0xff
#define DP_CLIENT_BUCKETS 65536	/* --max-per-client: address hash buckets */

/* Counters: one writer, relaxed readers. A plain add, never a locked one. */
#define DP_STAT_ADD(field, n) \
	__atomic_store_n(&(field), __atomic_load_n(&(field), \
			 __ATOMIC_RELAXED) + (n), __ATOMIC_RELAXED)
#define DP_STAT_INC(field) DP_STAT_ADD(field, 1)

/*
 * A doorbell: lets a producer wake a consumer that sleeps in its idle
 * back-off, so an idle lcore answers in microseconds, not at the end of its
 * sleep. Busy lcores never see it: the producer writes the eventfd only
 * when the consumer has said it is going to sleep.
 */
struct dp_bell {
	int fd;			/* eventfd */
	uint32_t asleep;
} __rte_cache_aligned;

int dp_bell_init(struct dp_bell *b);
void dp_bell_fini(struct dp_bell *b);
void dp_bell_wake(struct dp_bell *b);

static inline void
dp_bell_ring(struct dp_bell *b)
{
	/* Pairs with the sleeper's store of asleep and its re-check. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&b->asleep, __ATOMIC_RELAXED))
		dp_bell_wake(b);
}

/*
 * Sleeps up to us, unless ready(arg) finds work first, the bell rings or
 * one of fds (n of them) polls readable. b may be NULL.
 */
void dp_wait(struct dp_bell *b, const int *fds, unsigned int n, uint32_t us,
	     int (*ready)(void *), void *arg);

static inline void
dp_bell_sleep(struct dp_bell *b, uint32_t us, int (*ready)(void *), void *arg)
{
	dp_wait(b, NULL, 0, us, ready, arg);
}

/* Messages between a worker and the main lcore. */
enum dp_msg_type {
	DP_MSG_OPEN = 1,	/* worker -> main: open name; main -> worker: result */
	DP_MSG_DUMP,		/* main -> worker: list sessions into dump.buf */
	DP_MSG_KILL,		/* main -> worker: end session slot/gen */
	DP_MSG_SET_TFTP,	/* main -> worker: settings for new sessions */
	DP_MSG_DONE,		/* worker -> main: the request above is done */
	DP_MSG_WRITE,		/* worker -> main: store m at off (upload) */
	DP_MSG_WRITE_FAILED,	/* main -> worker: the upload cannot go on */
	DP_MSG_COMMIT,		/* worker -> main: all in; make it the file */
	DP_MSG_COMMITTED,	/* main -> worker: result of the commit */
	DP_MSG_ABORT,		/* worker -> main: drop the upload */
};

struct dp_msg {
	uint16_t type;
	uint16_t worker;
	uint32_t slot;
	uint32_t gen;
	int32_t result;		/* 0 or negative errno */
	struct dpt_cache_entry *entry;
	struct dpt_upload *upload;	/* OPEN of a WRQ, WRITE, COMMIT */
	struct rte_mbuf *m;		/* WRITE: the bytes */
	uint64_t off;			/* WRITE: where; OPEN: tsize */
	uint8_t op;			/* OPEN: DPT_TFTP_RRQ or WRQ */
	uint8_t family;			/* OPEN: the client, for remapping */
	uint8_t ip[16];
	union {
		char name[DPT_TFTP_FILENAME_MAX];	/* OPEN */
		struct {				/* DUMP */
			struct dpt_session_info *buf;
			uint32_t cap, n;
			int family;			/* 0: any client */
			uint8_t ip[16];
		} dump;
		char text[DPT_TFTP_ERRMSG_MAX];		/* KILL */
		struct dpt_tftp_config tftp;		/* SET_TFTP */
	};
};

/* Session table key: the client's address and port, and our port. A key
 * with sport 0 finds the session a request from that client set up. */
struct dp_skey {
	uint8_t ip[16];
	uint16_t cport;
	uint16_t sport;
	uint8_t family;
	uint8_t pad[3];
};

enum dp_phase {
	DP_FREE = 0,
	DP_OPENING,		/* waiting for the main lcore to open the file */
	DP_ACTIVE,
};

/*
 * What tells a copy of a request from a new one: the request's bytes
 * (length and a 64-bit hash), and when its session first heard from the
 * client (the client sends copies only until our first answer reaches
 * it, so a copy arrives before that) or ended. A request with the same
 * bytes that arrived (rx_tsc: when the kernel or the RX lcore took it in,
 * however long a queue then held it) before min(heard, ended) is a copy.
 */
struct dp_req_mark {
	uint64_t hash;
	uint64_t heard_us;		/* UINT64_MAX: never */
	uint64_t ended_us;		/* UINT64_MAX: still running */
	uint16_t len;			/* 0: no request */
};

/* The mark of a client address and port's last session, kept after the
 * session ends (overwritten by the next that hashes there). */
struct dp_recent {
	struct dp_skey key;
	struct dp_req_mark mark;
};

/* A worker's session: the protocol core plus what the dataplane needs. */
struct dp_session {
	struct dpt_tftp_session *t;	/* the protocol core's, opaque */
	struct dp_worker *w;
	struct dp_req_mark mark;
	struct dpt_cache_entry *entry;
	struct dpt_pkt_meta reply;	/* addresses every reply carries */
	struct dp_skey key;
	uint32_t slot;
	uint32_t gen;			/* bumped at each reuse of the slot */
	uint8_t phase;
	uint64_t t_created;
	struct dp_wheel_link tw;
	uint64_t hold_off, hold_len;	/* the cache window this session holds */
	struct dpt_upload *upload;	/* WRQ: the writer's, until committed */
	struct dp_msg *ctl;		/* WRQ: kept for the commit or abort */
	uint32_t client_bucket;		/* in dp->per_client, when limited */
	uint32_t hold_first, hold_last;	/* its chunks; first > last: none */
	uint64_t win_len;	/* windowsize x blksize, as negotiated */
	uint8_t xfer;			/* not started: the result its record
					 * gets at the end; 0: none */
	struct dpt_tftp_request req;	/* kept until the file is open */
};

struct dp_worker {
	/* read-mostly */
	struct dpt_dp *dp;
	unsigned int id;
	unsigned int lcore;
	struct rte_ring *rx_ring;	/* RX lcore -> worker */
	struct rte_ring *tx_ring;	/* worker -> TX lcore */
	struct rte_ring *to_main;	/* file requests */
	struct rte_ring *from_main;	/* their answers */
	struct rte_ring *xfer_ring;	/* transfer records -> main */
	bool stopping;			/* the stop ends what still runs */
	struct rte_mempool *pool;
	uint32_t reply_data_off;	/* a fresh mbuf of pool -> its data */
	struct rte_hash *sessions;
	struct dp_session *slots;
	void *tftp_mem;			/* the slots' protocol sessions */
	uint32_t n_slots;
	uint32_t *free_slots;		/* stack */
	uint32_t n_free;
	uint16_t *free_ports;		/* FIFO: oldest freed port first */
	uint32_t n_ports, port_head, port_count;
	uint32_t *by_port;		/* session port -> slot + 1; 0: free */
	uint32_t *per_client;		/* --max-per-client: this worker's
					 * sessions per address hash bucket
					 * (written by it alone) */
	struct dp_recent *recent;	/* ended sessions' marks, by peer */
	uint32_t recent_mask;
	uint32_t *late_ack;		/* session port -> the final ACK its
					 * download still awaited when it
					 * ended (peer hash ^ block), 0 none */
	struct dp_wheel wheel;
	struct dpt_tftp_config tftp;
	struct dp_bell *bell;		/* rung by RX and the main lcore */
	struct dp_bell own_bell;

	/* the worker's own, hot */
	uint64_t timers_at __rte_cache_aligned;	/* when its timers last
						 * fired */
	uint16_t n_txb;
	struct rte_mbuf *txb[DP_TXB_MAX];

	/* published */
	uint64_t requests_seen __rte_cache_aligned;	/* for least-loaded */
	struct dpt_worker_stats st;
} __rte_cache_aligned;

#define DP_AFFINITY_WAYS 4

struct dp_affinity {
	struct {
		uint8_t ip[16];
		uint16_t cport;
		uint8_t worker;
		uint64_t expires;	/* TSC; 0: empty */
	} way[DP_AFFINITY_WAYS];
};

/* RX lcore state. */
struct dp_rx {
	unsigned int rr_next;
	uint64_t steered[DPT_CONF_MAX_WORKERS];	/* requests sent to each */
	uint16_t n_buf[DPT_CONF_MAX_WORKERS];
	struct rte_mbuf *buf[DPT_CONF_MAX_WORKERS][DP_BURST];
	/* Request -> worker, so a retransmitted request meets its first
	 * copy whatever the strategy: 4-way buckets, sized from
	 * --max-sessions, so thousands of clients booting at once do not
	 * push each other out. */
	struct dp_affinity *affinity;
	uint32_t affinity_mask;		/* buckets - 1 */
	struct dpt_io_stats st;
	/* The last poll found a queue with more than a burst waiting:
	 * workers let their timers wait for the input (written only when it
	 * changes, read by the workers). */
	uint32_t backlog __rte_cache_aligned;
} __rte_cache_aligned;

struct dpt_dp {
	const struct dpt_conf *conf;
	struct dpt_port **ports;
	uint16_t n_ports;
	struct dpt_cache *cache;
	struct rte_mempool *pool;
	struct rte_mempool *msg_pool;
	struct rte_mempool *zc_pool;	/* data-less mbufs for cache chunks */
	uint32_t zc_min;		/* smallest block sent zero-copy; 0: never */
	unsigned int n_workers;
	unsigned int lcore_rx, lcore_tx;
	uint16_t listen_port;
	uint8_t *owner;			/* session port -> worker */
	struct dp_worker *workers;
	struct dp_rx *rx;
	struct dpt_io_stats tx_st __rte_cache_aligned;
	struct dp_bell tx_bell;		/* rung by the workers */
	struct dp_bell main_bell;	/* rung by the workers */
	uint32_t balance;		/* enum dpt_conf_balance, atomic */
	uint32_t max_sessions;		/* atomic */
	struct dpt_tftp_config tftp;	/* what workers were last told */
	struct dpt_upload_policy upload;
	struct dpt_remap *remap;	/* main lcore only */
	bool single_port;
	uint32_t max_per_client;
	struct dpt_rate *reply_rate;	/* ERRORs: --reply-limit, -total */
	struct dpt_blksize_rule blksize_rules[DPT_CONF_MAX_BLKSIZE_RULES];
	unsigned int n_blksize_rules;
	unsigned int ctl_done;		/* main: DONE messages seen */
	struct dpt_worker_stats *baseline;	/* main: at the last clear */
	void (*xfer_fn)(const struct dpt_transfer *, void *);
	void *xfer_arg;
	bool compact;			/* every stage on one lcore */
	unsigned int lcore_dp;		/* compact: that lcore */
	struct dp_bell compact_bell;	/* compact: what wakes it */
	/* per port and family (dp_family_idx()): dp_blksize_fit() */
	uint16_t blksize_cap[DPT_CONF_MAX_IFACES][2];
	int wait_fds[DPT_CONF_MAX_IFACES];	/* ports' wait fds */
	unsigned int n_wait_fds;	/* 0 when some port has none */

	/* --port-rate: DATA bytes each port may send, taken by every
	 * worker (a line each) */
	uint64_t port_rate_bps;		/* main lcore: as last set */
	struct {
		struct dpt_byte_rate r;
	} __rte_cache_aligned port_rate[DPT_CONF_MAX_IFACES];

	/* Polled by every lcore, written once or twice in a run: a line no
	 * counter shares, so no session's start or end evicts it. */
	struct {
		volatile int stop_rx, stop_workers, stop_tx;
		uint32_t draining;	/* atomic: requests are dropped */
		uint64_t tsc_hz;
	} __rte_cache_aligned;
	/* Written by every worker at each session's start and end: a line
	 * of its own. */
	struct {
		uint32_t sessions_total;	/* across workers, atomic */
	} __rte_cache_aligned;
};

/* dp_ctl.c: control messages, both sides */
unsigned int dp_main_take(struct dpt_dp *dp, struct dp_worker *w);
void dp_worker_ctl(struct dp_worker *w, struct dp_msg *msg, uint64_t now);
void dp_session_info(const struct dp_session *s, uint64_t now,
		     struct dpt_session_info *info);
int dp_session_kill(struct dp_worker *w, uint32_t slot, uint32_t gen,
		    const char *text);

/* dp_xfer.c: transfer records, worker side and main side */
int dp_xfer_init(struct dp_worker *w, int socket);
void dp_xfer_fini(struct dp_worker *w);
/* A session ends (called as it is freed): the histograms, and its
 * record when it started or s->xfer says what became of it. */
void dp_xfer_end(struct dp_worker *w, const struct dp_session *s,
		 uint64_t now);
/* Answers ERROR code/msg to a request that gets no transfer, and
 * records it: req NULL: s's (not started) own; the record is then
 * s's, and s->xfer cleared. */
void dp_xfer_refuse(struct dp_worker *w, struct dp_session *s,
		    const struct dpt_pkt_meta *m,
		    const struct dpt_tftp_request *req, uint8_t result,
		    uint16_t code, const char *msg, uint64_t now);
/* Main: hands the workers' records to xfer_fn; returns how many. */
unsigned int dp_xfer_take(struct dpt_dp *dp);

/* dp_pool.c: the ceilings of a port of this MTU, per family
 * (dp_family_idx()): MTU less IP, UDP and TFTP headers, and what an mbuf
 * of pool holds. */
void dp_blksize_caps(uint16_t cap[2], uint16_t mtu, struct rte_mempool *pool);

/* dp_balance.c */
unsigned int dp_balance_pick(struct dpt_dp *dp, struct dp_rx *rx,
			     const struct dpt_pkt_meta *m);

/* dp_worker.c */
int dp_worker_main(void *arg);

/*
 * The TFTP bytes of a datagram from the RX lcore, whatever its
 * segmentation (a datagram reassembled from fragments may come as a
 * chain): *p and *len cover the whole of it, never just its first
 * segment. A chain is made flat in place; one too long for that is
 * dropped and counted (drop_malformed): -1.
 */
static __rte_always_inline int
dp_payload(struct dp_worker *w, struct rte_mbuf *m, const void **p,
	   uint32_t *len)
{
	if (unlikely(m->nb_segs != 1) && rte_pktmbuf_linearize(m) < 0) {
		DP_STAT_INC(w->st.drop_malformed);
		return -1;
	}
	*p = rte_pktmbuf_mtod(m, const void *);
	*len = rte_pktmbuf_pkt_len(m);
	return 0;
}

/* blksize_cap's second index: 0 for IPv4, 1 for IPv6. */
static inline unsigned int
dp_family_idx(uint8_t family)
{
	return family == AF_INET6;
}

/* Is the datagram at p an RRQ or a WRQ (by its opcode only)? */
static inline bool
dp_is_request(const void *p, uint32_t len)
{
	uint16_t op = dpt_tftp_opcode(p, len);

	return op == DPT_TFTP_RRQ || op == DPT_TFTP_WRQ;
}

/* The session table's key for a client (sport 0: the request's). */
static inline void
dp_key_make(struct dp_skey *k, const struct dpt_pkt_meta *m, uint16_t sport)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->ip, m->client_ip, m->family == AF_INET ? 4 : 16);
	k->cport = m->client_port;
	k->sport = sport;
	k->family = m->family;
}

static inline struct dp_session *
dp_session_lookup(struct dp_worker *w, const struct dp_skey *k)
{
	void *data;

	if (rte_hash_lookup_data(w->sessions, k, &data) < 0)
		return NULL;
	return data;
}

/* Where the mark of a client address and port's last session is kept. */
static inline struct dp_recent *
dp_recent_of(struct dp_worker *w, const struct dp_skey *k)
{
	return &w->recent[rte_hash_crc(k, sizeof(*k), 0) & w->recent_mask];
}

/* What a download ended final-ack-lost still awaits on its port: the
 * final block's ACK from its peer; never 0. */
static inline uint32_t
dp_late_ack_mark(const struct dpt_pkt_meta *m, uint16_t block)
{
	uint32_t h = rte_hash_crc(m->client_ip, 16,
				  rte_hash_crc_4byte(m->client_port, 0));

	return ((h << 16) | block) | 0x80000000u;
}

/* dp_session.c: slots, ports, the life of a session */
int dp_sessions_init(struct dp_worker *w, uint32_t n, uint32_t ports_n,
		     const uint16_t *ports);
void dp_sessions_free(struct dp_worker *w);
/* A slot and a session port for a request from meta; NULL after
 * answering ERROR 3 (--max-sessions, --max-per-client, no port free). */
struct dp_session *dp_session_new(struct dp_worker *w,
				  const struct dpt_pkt_meta *meta,
				  const struct dpt_tftp_request *req,
				  uint64_t now);
/* dp_request.c: requests, and the main lcore's answers to them */
void dp_request(struct dp_worker *w, struct rte_mbuf *m, uint64_t now);
void dp_open_reply(struct dp_worker *w, struct dp_msg *msg, uint64_t now);
void dp_upload_reply(struct dp_worker *w, struct dp_msg *msg, uint64_t now);
/* dp_input.c: what clients send their sessions */
void dp_session_input(struct dp_worker *w, struct rte_mbuf *m, uint64_t now);
void dp_shared_input(struct dp_worker *w, struct rte_mbuf *m, uint64_t now);
void dp_session_fire(struct dp_worker *w, struct dp_session *s, uint64_t now);
/* dp_window.c: the session's window held in the cache (off, len), and
 * following its first unacknowledged byte */
void dp_window_hold(struct dp_session *s, uint64_t off, uint64_t len);
void dp_window_follow(struct dp_session *s);

/*
 * Before a worker reads [off, off+len) of its session's file: the core may
 * have moved the window since dp_window_follow() last ran (an ACK slides
 * it, then DATA of the new window goes out in the same call), so the new
 * window is held before its first read, never after: a chunk read without
 * a hold may be evicted under the read.
 */
static __rte_always_inline void
dp_window_cover(struct dp_session *s, uint64_t off, uint64_t len)
{
	if (likely(len == 0 ||
		   (off / DPT_CACHE_CHUNK >= s->hold_first &&
		    (off + len - 1) / DPT_CACHE_CHUNK <= s->hold_last)))
		return;
	dp_window_follow(s);
}
/* After the protocol core ran: end the session or set its next wake. */
void dp_session_after(struct dp_worker *w, struct dp_session *s);
/* Frees everything a session holds; accounts for it if it had started. */
void dp_session_free(struct dp_worker *w, struct dp_session *s);
void dp_sessions_abort_all(struct dp_worker *w);
/* dp_io.c: replies, and the protocol core's callbacks (ctx: the session) */
extern const struct dpt_tftp_io dp_io;
void dp_send_error(struct dp_worker *w, const struct dpt_pkt_meta *to,
		   uint16_t code, const char *msg);
int dp_tx_flush(struct dp_worker *w);

/* dp_rx.c, dp_tx.c, dp_worker.c: each stage's loop, and one pass of it */
int dp_rx_main(void *arg);
int dp_tx_main(void *arg);
unsigned int dp_rx_poll(struct dpt_dp *dp);
void dp_rx_flush_all(struct dpt_dp *dp);
/* At the stop: hands the workers what the ports already hold (a few
 * bursts at most), so transfers whose last ACK came in time complete. */
#define DP_LAST_LOOK 4
void dp_rx_last_look(struct dpt_dp *dp);
unsigned int dp_tx_poll(struct dpt_dp *dp);
unsigned int dp_worker_poll(struct dp_worker *w);
void dp_worker_shutdown(struct dp_worker *w);

/* dp_compact.c: every stage in turn on one lcore */
int dp_compact_main(void *arg);

/* dp_idle.c: the shared back-off */
struct dp_idle {
	uint32_t empty;
	uint32_t sleep_us;
};
/* Returns the microseconds to sleep now (0: just spin). */
uint32_t dp_idle_next(struct dp_idle *st, const struct dpt_conf *c,
		      unsigned int work, bool wakeable);
void dp_idle_sleep(uint32_t us);
void dp_lcore_init_thread(void);

#endif /* _DPT_DP_INTERNAL_H_ */
