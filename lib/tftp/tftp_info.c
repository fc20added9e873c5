/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * What a session shows its caller: its state, why it ended, what was
 * agreed, its counters and progress, the last ERROR. The session itself
 * stays opaque (dpt_tftp.h).
 */

#include <string.h>

#include "dpt_tftp.h"
#include "tftp_internal.h"

static const char *const state_names[] = {
	[DPT_TFTP_S_IDLE] = "idle",
	[DPT_TFTP_S_OACK_SENT] = "oack-sent",
	[DPT_TFTP_S_SENDING] = "sending",
	[DPT_TFTP_S_RECEIVING] = "receiving",
	[DPT_TFTP_S_COMMITTING] = "committing",
	[DPT_TFTP_S_DALLY] = "dally",
	[DPT_TFTP_S_DONE] = "done",
};

static const char *const end_names[DPT_TFTP_END_COUNT] = {
	[DPT_TFTP_END_NONE] = "running",
	[DPT_TFTP_END_COMPLETE] = "complete",
	[DPT_TFTP_END_OPTION_PROBE] = "option-probe",
	[DPT_TFTP_END_CLIENT_ERROR] = "client-error",
	[DPT_TFTP_END_TIMEOUT] = "timeout",
	[DPT_TFTP_END_PROTOCOL] = "protocol-error",
	[DPT_TFTP_END_IO] = "io-error",
	[DPT_TFTP_END_ABORTED] = "aborted",
	[DPT_TFTP_END_UNACKED] = "final-ack-lost",
	[DPT_TFTP_END_SUPERSEDED] = "superseded",
};

const char *
dpt_tftp_state_name(enum dpt_tftp_state st)
{
	if ((unsigned int)st >= sizeof(state_names) / sizeof(state_names[0]))
		return "?";
	return state_names[st];
}

const char *
dpt_tftp_end_name(enum dpt_tftp_end e)
{
	return (unsigned int)e < DPT_TFTP_END_COUNT ? end_names[e] : "?";
}

size_t
dpt_tftp_session_size(void)
{
	return (sizeof(struct dpt_tftp_session) + 7) & ~(size_t)7;
}

uint16_t
dpt_tftp_session_burst(const struct dpt_tftp_session *s)
{
	return s->burst;
}

uint64_t
dpt_tftp_session_pace_at(const struct dpt_tftp_session *s)
{
	return s->t_pace;
}

uint64_t
dpt_tftp_session_deadline(const struct dpt_tftp_session *s)
{
	return s->deadline;
}

bool
dpt_tftp_session_done(const struct dpt_tftp_session *s)
{
	return s->state == DPT_TFTP_S_DONE;
}

enum dpt_tftp_state
dpt_tftp_session_state(const struct dpt_tftp_session *s)
{
	return s->state;
}

enum dpt_tftp_end
dpt_tftp_session_end_reason(const struct dpt_tftp_session *s)
{
	return s->end;
}

enum dpt_tftp_op
dpt_tftp_session_op(const struct dpt_tftp_session *s)
{
	return s->op;
}

const struct dpt_tftp_negotiated *
dpt_tftp_session_negotiated(const struct dpt_tftp_session *s)
{
	return &s->neg;
}

const struct dpt_tftp_session_stats *
dpt_tftp_session_stats(const struct dpt_tftp_session *s)
{
	return &s->stats;
}

uint64_t
dpt_tftp_session_done_at(const struct dpt_tftp_session *s)
{
	return s->t_done;
}

uint64_t
dpt_tftp_session_file_size(const struct dpt_tftp_session *s)
{
	return s->op == DPT_TFTP_RRQ ? s->size : s->neg.tsize;
}

uint64_t
dpt_tftp_session_block(const struct dpt_tftp_session *s)
{
	return s->base;
}

uint64_t
dpt_tftp_session_last_block(const struct dpt_tftp_session *s)
{
	return s->op == DPT_TFTP_RRQ ? s->last : 0;
}

unsigned int
dpt_tftp_session_tries(const struct dpt_tftp_session *s)
{
	return s->tries;
}

enum dpt_tftp_err_dir
dpt_tftp_session_error(const struct dpt_tftp_session *s, uint16_t *code,
		       const char **msg)
{
	if (s->err_dir == DPT_TFTP_ERR_NONE)
		return DPT_TFTP_ERR_NONE;
	*code = s->err_code;
	*msg = s->err_msg;
	return (enum dpt_tftp_err_dir)s->err_dir;
}

static uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t
dpt_tftp_session_progress(const struct dpt_tftp_session *s)
{
	if (s->op == DPT_TFTP_WRQ)
		return s->wr_off;
	if (s->mode == DPT_TFTP_MODE_NETASCII)
		return s->nva_base_off;
	if (s->base <= 1)
		return 0;
	return min_u64((s->base - 1) * s->neg.blksize, s->size);
}
