/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_TFTP_H_
#define _DPT_TFTP_H_

/*
 * The TFTP protocol core: a wire codec and a session state machine that do
 * no I/O. A session is fed packets and the current time (microseconds, any
 * monotonic origin) and answers by calling the caller's callbacks: build and
 * send a datagram, read file bytes, write file bytes. After each call the
 * caller asks when to wake the session next (dpt_tftp_session_deadline()).
 *
 * RFC 1350 (octet, netascii, rollover past block 65535), RFC 2347 (OACK),
 * RFC 2348 (blksize), RFC 2349 (timeout, tsize), RFC 7440 (windowsize).
 * docs/protocol.md lists every choice made here.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opcodes (RFC 1350, RFC 2347). */
enum dpt_tftp_op {
	DPT_TFTP_RRQ = 1,
	DPT_TFTP_WRQ = 2,
	DPT_TFTP_DATA = 3,
	DPT_TFTP_ACK = 4,
	DPT_TFTP_ERROR = 5,
	DPT_TFTP_OACK = 6,
};

/* Error codes (RFC 1350, RFC 2347). */
enum dpt_tftp_err {
	DPT_TFTP_ENOTDEFINED = 0,
	DPT_TFTP_ENOTFOUND = 1,
	DPT_TFTP_EACCESS = 2,
	DPT_TFTP_ENOSPACE = 3,
	DPT_TFTP_EBADOP = 4,
	DPT_TFTP_EBADID = 5,
	DPT_TFTP_EEXISTS = 6,
	DPT_TFTP_ENOUSER = 7,
	DPT_TFTP_EOPTNEG = 8,
	DPT_TFTP_ERR_COUNT = 9,
};

enum dpt_tftp_mode {
	DPT_TFTP_MODE_OCTET = 0,
	DPT_TFTP_MODE_NETASCII = 1,
};

/* The options this core understands, in the order of this enum. */
enum dpt_tftp_opt {
	DPT_TFTP_OPT_BLKSIZE = 0,
	DPT_TFTP_OPT_TIMEOUT,
	DPT_TFTP_OPT_TSIZE,
	DPT_TFTP_OPT_WINDOWSIZE,
	DPT_TFTP_OPT_COUNT,
};

#define DPT_TFTP_PORT 69
#define DPT_TFTP_HDR_LEN 4		/* opcode + block, or opcode + code */
#define DPT_TFTP_BLKSIZE_DEFAULT 512
#define DPT_TFTP_BLKSIZE_MIN 8		/* RFC 2348 */
#define DPT_TFTP_BLKSIZE_MAX 65464	/* RFC 2348 */
#define DPT_TFTP_TIMEOUT_MIN 1		/* RFC 2349, seconds */
#define DPT_TFTP_TIMEOUT_MAX 255
#define DPT_TFTP_WINDOWSIZE_MAX 65535	/* RFC 7440 */
#define DPT_TFTP_FILENAME_MAX 512	/* buffer, NUL included */
#define DPT_TFTP_ERRMSG_MAX 128		/* longest message we send, NUL included */

/* Bit n set in a mask: option n (enum dpt_tftp_opt). */
#define DPT_TFTP_OPT_BIT(o) (1u << (o))

/* ------------------------------------------------------------------ */
/* Wire codec                                                          */
/* ------------------------------------------------------------------ */

/* One option as the client sent it (RFC 2347): first occurrence only. */
struct dpt_tftp_reqopt {
	bool present;		/* the client sent this option name */
	bool valid;		/* its value is within the RFC's range */
	uint8_t order;		/* position among the request's options */
	uint64_t value;		/* parsed value, meaningful when valid */
};

/* A parsed RRQ or WRQ. Strings are copied, NUL-terminated. */
struct dpt_tftp_request {
	enum dpt_tftp_op op;			/* DPT_TFTP_RRQ or DPT_TFTP_WRQ */
	enum dpt_tftp_mode mode;
	uint16_t filename_len;
	char filename[DPT_TFTP_FILENAME_MAX];
	struct dpt_tftp_reqopt opt[DPT_TFTP_OPT_COUNT];
	uint16_t n_options;	/* option pairs seen, known or not */
	uint16_t n_unknown;	/* option pairs with names we ignore */
	bool trailing;		/* bytes after the last whole option pair */
};

/*
 * Parses an RRQ or WRQ datagram of len bytes. Never reads past buf+len.
 * Returns 0, or a negative TFTP error code to answer with (the ERROR to
 * send is then described by *errmsg, a static string):
 *   -DPT_TFTP_EBADOP: empty, truncated, unterminated, unknown opcode,
 *                     empty or over-long filename, unknown or mail mode.
 * Options are parsed leniently: an incomplete trailing pair (padding some
 * firmware sends) is ignored, and so are unknown names and invalid values.
 */
int dpt_tftp_request_parse(const void *buf, size_t len,
			   struct dpt_tftp_request *req, const char **errmsg);

/* Name of option o ("blksize", ...). */
const char *dpt_tftp_opt_name(enum dpt_tftp_opt o);

/* Looks an option name up case-insensitively; -1 when unknown. */
int dpt_tftp_opt_lookup(const char *name, size_t len);

/* Default message for an error code ("File not found", ...). */
const char *dpt_tftp_err_str(unsigned int code);

/*
 * The ERROR a client gets for a failure with errno err (negative): returns
 * its code and sets *msg to its message (NULL: the code's default). An
 * errno with no TFTP meaning is ERROR 0 with message `other`.
 */
uint16_t dpt_tftp_err_from_errno(int err, const char *other,
				 const char **msg);

/*
 * Builders: each writes one datagram into buf (cap bytes) and returns its
 * length, or 0 when it does not fit.
 */
size_t dpt_tftp_build_error(void *buf, size_t cap, uint16_t code,
			    const char *msg);
size_t dpt_tftp_build_ack(void *buf, size_t cap, uint16_t block);
size_t dpt_tftp_build_data_hdr(void *buf, size_t cap, uint16_t block);

/* Opcode of a datagram, or 0 when it is shorter than two bytes. */
uint16_t dpt_tftp_opcode(const void *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Netascii (RFC 764 / RFC 1350)                                       */
/* ------------------------------------------------------------------ */

/*
 * Encoder from local text to netascii: LF -> CR LF, CR -> CR NUL. The second
 * byte of a pair may not fit the output; it is then kept in pending and
 * emitted first by the next call, so blocks split anywhere.
 */
struct dpt_tftp_nva_enc {
	uint8_t pending;	/* 0: none; '\n': LF owed; 0xff: NUL owed */
};

/*
 * Encodes from in (in_len bytes) into out (cap bytes); out may be NULL to
 * count only. Stores the input bytes consumed in *used; returns output bytes.
 */
size_t dpt_tftp_nva_encode(struct dpt_tftp_nva_enc *st, const uint8_t *in,
			   size_t in_len, uint8_t *out, size_t cap,
			   size_t *used);

/*
 * Decoder from netascii to local text: CR LF -> LF, CR NUL -> CR; a CR
 * followed by anything else is kept as is. A CR ending one block is carried
 * to the next. out holds in_len + 1 bytes (a carried CR may come out
 * first) and does not alias in.
 */
struct dpt_tftp_nva_dec {
	bool cr;		/* the last byte seen was a CR not yet resolved */
};

size_t dpt_tftp_nva_decode(struct dpt_tftp_nva_dec *st, const uint8_t *in,
			   size_t in_len, uint8_t *out);

/* Flushes a dangling CR at end of stream; returns 0 or 1 bytes written. */
size_t dpt_tftp_nva_decode_end(struct dpt_tftp_nva_dec *st, uint8_t *out);

/* ------------------------------------------------------------------ */
/* Negotiation                                                         */
/* ------------------------------------------------------------------ */

/* Server-side limits and timers, set by the caller per session. */
struct dpt_tftp_config {
	uint16_t blksize_max;		/* ceiling (path MTU - 32 by default) */
	uint16_t windowsize_max;	/* ceiling for RFC 7440 windowsize */
	uint32_t refuse_mask;		/* DPT_TFTP_OPT_BIT()s treated as unknown */
	uint32_t timeout_us;		/* first retransmission without a
					 * negotiated timeout */
	uint32_t timeout_max_us;	/* back-off cap */
	uint32_t timeout_min_us;	/* floor for the RTT-adapted timeout */
	uint8_t retries;		/* retransmissions before giving up */
	bool rtt_adapt;			/* adapt the first retry to the RTT */
	uint32_t stall_us;		/* re-poll period when data or buffers
					 * are not there yet */
	uint32_t dally_us;		/* WRQ: linger after the final ACK */
	uint64_t upload_max;		/* WRQ: largest size accepted (0: any) */
	bool pace;			/* RRQ windows: after a loss, spread a
					 * window's blocks over about an RTT
					 * in bursts that halve on each loss
					 * and double each clean window, back
					 * to the whole window */
	uint32_t pace_min_us;		/* a gap between bursts shorter than
					 * this (the caller's timer tick) is
					 * no pacing: the window goes whole */
	uint64_t rate_bps;		/* RRQ: most bits a second of DATA
					 * (TFTP header and payload) one
					 * session sends; 0: no limit */
};

/* Fills c with the defaults documented in docs/protocol.md. */
void dpt_tftp_config_default(struct dpt_tftp_config *c);

/* What was agreed; options not accepted keep RFC 1350 values. */
struct dpt_tftp_negotiated {
	uint32_t accepted;	/* DPT_TFTP_OPT_BIT()s to put in the OACK */
	uint16_t blksize;
	uint16_t windowsize;
	uint8_t timeout_s;	/* 0: not negotiated */
	uint64_t tsize;		/* RRQ: file size; WRQ: size announced */
};

/*
 * Applies RFC 2347-2349 and 7440 to req. file_size is the size of the file
 * for an RRQ (ignored for a WRQ). Returns 0, or -DPT_TFTP_ENOSPACE when a WRQ
 * announces a tsize above c->upload_max.
 */
int dpt_tftp_negotiate(const struct dpt_tftp_request *req,
		       const struct dpt_tftp_config *c, uint64_t file_size,
		       struct dpt_tftp_negotiated *neg);

/*
 * Builds the OACK for neg into buf (cap bytes), options in the order the
 * client sent them; returns its length, or 0 when nothing was accepted or
 * it does not fit.
 */
size_t dpt_tftp_build_oack(void *buf, size_t cap,
			   const struct dpt_tftp_request *req,
			   const struct dpt_tftp_negotiated *neg);

/* ------------------------------------------------------------------ */
/* Session                                                             */
/* ------------------------------------------------------------------ */

/*
 * The caller's side of a session. ctx is the session's ctx pointer. The
 * session never keeps a buffer across calls: every datagram is built into a
 * buffer from alloc() and handed straight to send().
 */
struct dpt_tftp_io {
	/* A buffer for one datagram of up to cap bytes, or NULL when none is
	 * free now (the session retries after stall_us). */
	void *(*alloc)(void *ctx, size_t cap);
	/* Sends the first len bytes of buf, a buffer from alloc(). */
	void (*send)(void *ctx, void *buf, size_t len);
	/* Gives back a buffer from alloc() that will not be sent. */
	void (*discard)(void *ctx, void *buf);
	/* RRQ: copies file bytes [off, off+len) into dst. Returns len, or
	 * -EAGAIN when they are not resident yet (the session polls again
	 * after stall_us, or at dpt_tftp_session_kick()), or another negative
	 * errno (the session ends with ERROR 0). */
	ssize_t (*read)(void *ctx, uint64_t off, void *dst, size_t len);
	/* RRQ, octet, optional: sends DATA `block` carrying file bytes
	 * [off, off+len) built by the caller (zero-copy). Returns 0,
	 * -EAGAIN / -ENOBUFS (not now: polled again), or another errno. */
	int (*send_data)(void *ctx, uint16_t block, uint64_t off, uint32_t len);
	/* WRQ: stores len bytes at file offset off. Returns 0, -EAGAIN (not
	 * now: the DATA is dropped unacknowledged and will be resent),
	 * -ENOSPC or -EFBIG (ERROR 3), another errno (ERROR 0). */
	int (*write)(void *ctx, uint64_t off, const void *src, size_t len);
	/* WRQ: every byte has been given; make the file durable. Returns 0,
	 * -EINPROGRESS (caller calls dpt_tftp_session_commit_done()), or a
	 * negative errno as for write(). The final ACK waits for it. */
	int (*commit)(void *ctx);
};

enum dpt_tftp_state {
	DPT_TFTP_S_IDLE = 0,
	DPT_TFTP_S_OACK_SENT,	/* waiting for ACK 0 (RRQ) or DATA 1 (WRQ) */
	DPT_TFTP_S_SENDING,	/* RRQ: DATA in flight */
	DPT_TFTP_S_RECEIVING,	/* WRQ: DATA expected */
	DPT_TFTP_S_COMMITTING,	/* WRQ: final block in, waiting for commit */
	DPT_TFTP_S_DALLY,	/* WRQ: final ACK sent, re-ACKing stragglers */
	DPT_TFTP_S_DONE,
};

/* Why a session ended. */
enum dpt_tftp_end {
	DPT_TFTP_END_NONE = 0,		/* still running */
	DPT_TFTP_END_COMPLETE,		/* whole file moved and acknowledged */
	DPT_TFTP_END_OPTION_PROBE,	/* client answered the OACK with ERROR 8 */
	DPT_TFTP_END_CLIENT_ERROR,	/* client sent another ERROR */
	DPT_TFTP_END_TIMEOUT,		/* retries exhausted */
	DPT_TFTP_END_PROTOCOL,		/* illegal packet: ERROR 4 sent */
	DPT_TFTP_END_IO,		/* read/write/commit failed: ERROR sent */
	DPT_TFTP_END_ABORTED,		/* dpt_tftp_session_abort() */
	DPT_TFTP_END_UNACKED,		/* RRQ: the final DATA went out, its
					 * ACK never came (timed out, or ended
					 * by a new request or the stop): most
					 * often the client has its file */
	DPT_TFTP_END_SUPERSEDED,	/* a new request from the same peer
					 * ended it mid-transfer */
	DPT_TFTP_END_COUNT,
};

/* Who sent the ERROR that ended a session (dpt_tftp_session_error()). */
enum dpt_tftp_err_dir {
	DPT_TFTP_ERR_NONE = 0,		/* no ERROR either way */
	DPT_TFTP_ERR_SENT,		/* we sent it */
	DPT_TFTP_ERR_RECEIVED,		/* the peer did */
};

/* Bytes of an ERROR's message a session keeps, NUL included. */
#define DPT_TFTP_ERRMSG_KEEP 64

/* Per-session counters (for `show sessions` and worker totals). */
struct dpt_tftp_session_stats {
	uint64_t bytes;		/* file bytes sent (RRQ) or stored (WRQ) */
	uint64_t blocks;	/* DATA packets sent or accepted, first time */
	uint32_t retransmits;	/* DATA/ACK/OACK sent again (a timeout, or
				 * blocks after a partial ACK) */
	uint32_t dup_acks;	/* stale or duplicate ACKs ignored */
	uint32_t dup_data;	/* duplicate DATA re-ACKed, never written */
	uint32_t rtt_us;	/* smoothed RTT, 0 before the first sample */
	uint32_t pace_cuts;	/* losses that halved the burst */
	uint32_t rate_waits;	/* times a block waited for cfg.rate_bps */
};

/*
 * A session: opaque, as ngtcp2 keeps its connection. The caller owns its
 * memory, dpt_tftp_session_size() bytes aligned to 8 (from a pool made
 * at start: nothing is allocated per session), and reads it only through
 * the functions below.
 */
struct dpt_tftp_session;

/* Bytes of memory one session takes: a multiple of 8. */
size_t dpt_tftp_session_size(void);

/*
 * Starts a session for req, already parsed and negotiated by the caller,
 * at time now. For an RRQ file_size is the size of the file. Sends the
 * first datagram (OACK, DATA 1 or ACK 0). Returns 0, or a negative errno
 * when the session could not start (it is then DONE, with an ERROR sent
 * where one applies).
 */
int dpt_tftp_session_start(struct dpt_tftp_session *s,
			   const struct dpt_tftp_config *c,
			   const struct dpt_tftp_request *req,
			   const struct dpt_tftp_negotiated *neg,
			   uint64_t file_size, const struct dpt_tftp_io *io,
			   void *ctx, uint64_t now);

/*
 * Feeds one datagram from the session's peer (the TID already checked by
 * the caller). Never reads past buf+len.
 */
void dpt_tftp_session_input(struct dpt_tftp_session *s, const void *buf,
			    size_t len, uint64_t now);

/* Wakes the session: retransmits or polls when its deadline has passed;
 * does nothing before. */
void dpt_tftp_session_timer(struct dpt_tftp_session *s, uint64_t now);

/* Data became available (RRQ) or buffers were freed: try to send now. */
void dpt_tftp_session_kick(struct dpt_tftp_session *s, uint64_t now);

/* WRQ: the commit() that returned -EINPROGRESS finished with err (0 or a
 * negative errno). */
void dpt_tftp_session_commit_done(struct dpt_tftp_session *s, int err,
				  uint64_t now);

/* Ends the session now for `why` (DPT_TFTP_END_ABORTED: a kill or the
 * stop; DPT_TFTP_END_IO: the caller's writer failed), sending ERROR code
 * with msg (NULL: default); a WRQ already complete and dallying just ends,
 * complete, without one, and an RRQ whose final DATA went out ends as
 * DPT_TFTP_END_UNACKED without one (the client most likely has its
 * file). */
void dpt_tftp_session_abort(struct dpt_tftp_session *s, uint16_t code,
			    const char *msg, enum dpt_tftp_end why);

/*
 * Ends the session now without a word to the peer, for `why` (the peer
 * has moved on: a new request from it, DPT_TFTP_END_SUPERSEDED): nothing
 * may be sent to an address and port that now belong to another
 * transfer. A WRQ dallying ends complete, an RRQ whose final DATA went
 * out ends DPT_TFTP_END_UNACKED, whatever `why` says.
 */
void dpt_tftp_session_end(struct dpt_tftp_session *s, enum dpt_tftp_end why);

/* Has the session sent the last DATA of the file (RRQ), or the final ACK
 * (WRQ, dallying)? Its peer may then hold the whole file. */
bool dpt_tftp_session_final_sent(const struct dpt_tftp_session *s);

/* RRQ pacing: the blocks that leave back to back now (the window when
 * nothing was lost lately). */
uint16_t dpt_tftp_session_burst(const struct dpt_tftp_session *s);

/* RRQ pacing: when the next burst may leave; UINT64_MAX when none waits. */
uint64_t dpt_tftp_session_pace_at(const struct dpt_tftp_session *s);

/* When to call dpt_tftp_session_timer(); UINT64_MAX when never. */
uint64_t dpt_tftp_session_deadline(const struct dpt_tftp_session *s);

/* Has the session ended (state DPT_TFTP_S_DONE)? */
bool dpt_tftp_session_done(const struct dpt_tftp_session *s);

enum dpt_tftp_state dpt_tftp_session_state(const struct dpt_tftp_session *s);

/* Why the session ended; DPT_TFTP_END_NONE while it runs. */
enum dpt_tftp_end
dpt_tftp_session_end_reason(const struct dpt_tftp_session *s);

/* DPT_TFTP_RRQ or DPT_TFTP_WRQ. */
enum dpt_tftp_op dpt_tftp_session_op(const struct dpt_tftp_session *s);

/* The options agreed at the start. */
const struct dpt_tftp_negotiated *
dpt_tftp_session_negotiated(const struct dpt_tftp_session *s);

/* The session's counters so far. */
const struct dpt_tftp_session_stats *
dpt_tftp_session_stats(const struct dpt_tftp_session *s);

/* When the transfer itself was over, on the callers' clock (`now`): a
 * WRQ's final ACK first sent, before the session dallies; 0 before that
 * and for an RRQ, whose transfer ends with its session. */
uint64_t dpt_tftp_session_done_at(const struct dpt_tftp_session *s);

/* RRQ: the file's size; WRQ: the size the client announced (tsize), 0
 * when it announced none. */
uint64_t dpt_tftp_session_file_size(const struct dpt_tftp_session *s);

/* RRQ: the first block not yet acknowledged (1-based, 64-bit: no
 * rollover); WRQ: the next block expected. */
uint64_t dpt_tftp_session_block(const struct dpt_tftp_session *s);

/* RRQ: the final block's number once the end of the file is known, else
 * 0. */
uint64_t dpt_tftp_session_last_block(const struct dpt_tftp_session *s);

/* Retransmissions of what is in flight now (0 again after progress). */
unsigned int dpt_tftp_session_tries(const struct dpt_tftp_session *s);

/*
 * The ERROR that ended the session, or the last one sent or received:
 * who sent it, its code and its message (NUL-terminated; a peer's is raw
 * bytes, at most DPT_TFTP_ERRMSG_KEEP - 1 of them: escape it to print).
 * DPT_TFTP_ERR_NONE, *code and *msg untouched, when there was none.
 */
enum dpt_tftp_err_dir dpt_tftp_session_error(const struct dpt_tftp_session *s,
					     uint16_t *code, const char **msg);

/* Name of a state or an end reason, for consoles and logs. */
const char *dpt_tftp_state_name(enum dpt_tftp_state st);
const char *dpt_tftp_end_name(enum dpt_tftp_end e);

/*
 * Progress in file bytes acknowledged (RRQ) or stored (WRQ); for RRQ in
 * octet mode the total is the file size, otherwise unknown (0).
 */
uint64_t dpt_tftp_session_progress(const struct dpt_tftp_session *s);

/* ------------------------------------------------------------------ */
/* Client side (used by dptftp-bench; lib/tftp/tftp_client.c)          */
/* ------------------------------------------------------------------ */

/* The options a client asks for: option o is sent when its bit is in mask. */
struct dpt_tftp_client_opts {
	uint32_t mask;				/* DPT_TFTP_OPT_BIT()s */
	uint64_t value[DPT_TFTP_OPT_COUNT];
};

/*
 * Builds an RRQ or WRQ for filename in mode with the options of opts (NULL:
 * none), in the order of enum dpt_tftp_opt. Returns its length, or 0 when
 * op is not a request, the filename is empty or longer than
 * DPT_TFTP_FILENAME_MAX - 1, or the datagram does not fit in cap bytes.
 */
size_t dpt_tftp_build_request(void *buf, size_t cap, enum dpt_tftp_op op,
			      const char *filename, enum dpt_tftp_mode mode,
			      const struct dpt_tftp_client_opts *opts);

/* An OACK as the server sent it. */
struct dpt_tftp_oack {
	uint32_t mask;				/* options present and valid */
	uint64_t value[DPT_TFTP_OPT_COUNT];
	uint16_t n_unknown;			/* names this core does not know */
	bool bad_value;				/* a known name with a bad value */
};

/*
 * Parses an OACK datagram of len bytes: name/value pairs after the opcode,
 * every string NUL-terminated, names case-insensitive, a repeated option
 * keeps its first value. Returns 0, or -1 when it is not an OACK or a pair
 * is cut short. Never reads past buf+len.
 */
int dpt_tftp_oack_parse(const void *buf, size_t len, struct dpt_tftp_oack *o);

/*
 * Checks an OACK against what the client asked for and says what was
 * agreed. RFC 2347: every option answered must have been asked, no unknown
 * names; RFC 2348: blksize within 8..asked; RFC 2349: timeout equal to the
 * request's; RFC 7440: windowsize within 1..asked; tsize: any value (on a
 * WRQ, the value sent). Options not answered keep RFC 1350 values (blksize
 * 512, windowsize 1). Returns 0, or -1 with *why saying what is wrong (the
 * client then answers ERROR 8).
 */
int dpt_tftp_oack_accept(const struct dpt_tftp_oack *o,
			 const struct dpt_tftp_client_opts *asked,
			 enum dpt_tftp_op op, struct dpt_tftp_negotiated *agreed,
			 const char **why);

/*
 * Parses an ERROR datagram: its code, and its message (NUL-terminated in
 * the datagram, or cut at len). Returns 0, or -1 when it is not an ERROR or
 * is shorter than its header. *msg points into buf, *msg_len bytes long.
 */
int dpt_tftp_error_parse(const void *buf, size_t len, uint16_t *code,
			 const char **msg, size_t *msg_len);

#ifdef __cplusplus
}
#endif

#endif /* _DPT_TFTP_H_ */
