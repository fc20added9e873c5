/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * libFuzzer target over the codec and the session: the input is a request
 * followed by a script of client datagrams, clock steps and I/O switches.
 * Besides the sanitizers it checks what a peer would notice: every datagram
 * sent is well formed, DATA never exceeds the block size, uploads are
 * written once, in order, and deadlines never lie in the past.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpt_tftp.h"

#define FILE_MAX (256 * 1024)

struct fz {
	uint8_t pkt[70000];
	uint8_t file[FILE_MAX];
	uint64_t file_size;
	uint64_t written;	/* bytes stored: writes must be contiguous */
	uint16_t blksize;
	bool eagain;		/* read/write say "not now" */
	bool zero_copy;
	int commit_rc;
};

static struct fz F;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_tftp: %s:%d: %s\n", __FILE__, __LINE__, \
			#cond); \
		abort(); \
	} \
} while (0)

static void *
fz_alloc(void *ctx, size_t cap)
{
	check(cap <= sizeof(F.pkt));
	return F.pkt;
}

static void
fz_send(void *ctx, void *buf, size_t len)
{
	uint16_t op;

	check(buf == F.pkt && len >= 4 && len <= sizeof(F.pkt));
	op = (uint16_t)(F.pkt[0] << 8 | F.pkt[1]);
	check(op >= DPT_TFTP_DATA && op <= DPT_TFTP_OACK);
	if (op == DPT_TFTP_DATA)
		check(len - 4 <= F.blksize);
	if (op == DPT_TFTP_ERROR || op == DPT_TFTP_OACK)
		check(F.pkt[len - 1] == '\0');
}

static void
fz_discard(void *ctx, void *buf)
{
	check(buf == F.pkt);
}

static ssize_t
fz_read(void *ctx, uint64_t off, void *dst, size_t len)
{
	check(off + len <= F.file_size);
	if (F.eagain)
		return -EAGAIN;
	memcpy(dst, F.file + off, len);
	return (ssize_t)len;
}

static int
fz_send_data(void *ctx, uint16_t block, uint64_t off, uint32_t len)
{
	check(off + len <= F.file_size && len <= F.blksize);
	return F.eagain ? -EAGAIN : 0;
}

static int
fz_write(void *ctx, uint64_t off, const void *src, size_t len)
{
	if (F.eagain)
		return -EAGAIN;
	check(off == F.written && len > 0);
	F.written += len;
	return F.written > FILE_MAX ? -ENOSPC : 0;
}

static int
fz_commit(void *ctx)
{
	return F.commit_rc;
}

static const struct dpt_tftp_io fz_io = {
	.alloc = fz_alloc, .send = fz_send, .discard = fz_discard,
	.read = fz_read, .write = fz_write, .commit = fz_commit,
};

static const struct dpt_tftp_io fz_io_zc = {
	.alloc = fz_alloc, .send = fz_send, .discard = fz_discard,
	.read = fz_read, .send_data = fz_send_data, .write = fz_write,
	.commit = fz_commit,
};

/* A datagram of the script's next len bytes (len its first byte, times
 * 64 when op says long), fed through an exact-length heap copy. */
static void
script_datagram(struct dpt_tftp_session *s, uint8_t op,
		const uint8_t **data, size_t *size, uint64_t now)
{
	size_t len = *size > 0 ? (*data)[0] : 0;
	uint8_t *copy;

	if (*size > 0) {
		(*data)++;
		(*size)--;
	}
	if (op & 0x80)	/* long: repeat to reach big blocks */
		len *= 64;
	if (len > *size)
		len = *size;
	copy = malloc(len ? len : 1);
	memcpy(copy, *data, len);
	dpt_tftp_session_input(s, copy, len, now);
	free(copy);
	*data += len;
	*size -= len;
}

/* One step of the script: a datagram, the clock, an I/O switch. Returns
 * the time now. */
static uint64_t
script_step(struct dpt_tftp_session *s, const uint8_t **data, size_t *size,
	    uint64_t now)
{
	uint8_t op = (*data)[0];

	(*data)++;
	(*size)--;
	switch (op & 7) {
	case 0:		/* a datagram of len bytes */
	case 1:
	case 2:
		script_datagram(s, op, data, size, now);
		break;
	case 3:		/* the clock moves on */
		now += (uint64_t)(op >> 3) * 50000;
		dpt_tftp_session_timer(s, now);
		break;
	case 4:		/* to the deadline exactly */
		if (dpt_tftp_session_deadline(s) != UINT64_MAX &&
		    dpt_tftp_session_deadline(s) > now)
			now = dpt_tftp_session_deadline(s);
		dpt_tftp_session_timer(s, now);
		break;
	case 5:
		F.eagain = !F.eagain;
		dpt_tftp_session_kick(s, now);
		break;
	case 6:
		F.commit_rc = (op & 8) ? -EINPROGRESS :
			      (op & 16) ? -ENOSPC : 0;
		break;
	case 7:
		dpt_tftp_session_commit_done(s, (op & 8) ? -EIO : 0, now);
		break;
	}
	/* A live session always has a wake-up ahead, unless it waits for
	 * the disk to commit. */
	if (!dpt_tftp_session_done(s) &&
	    dpt_tftp_session_state(s) != DPT_TFTP_S_COMMITTING)
		check(dpt_tftp_session_deadline(s) != UINT64_MAX &&
		      dpt_tftp_session_deadline(s) >= now);
	return now;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dpt_tftp_session *s;
	struct dpt_tftp_request req;
	struct dpt_tftp_negotiated neg;
	struct dpt_tftp_config cfg;
	const char *msg;
	size_t i, rlen;
	uint64_t now = 1000;
	uint8_t flags;

	if (size < 4)
		return 0;
	if (s == NULL)		/* one session's memory, for every input */
		s = malloc(dpt_tftp_session_size());
	flags = data[0];
	dpt_tftp_config_default(&cfg);
	cfg.blksize_max = (uint16_t)(8 + data[1] * 16);
	cfg.windowsize_max = (uint16_t)(1 + (flags & 0x1f));
	cfg.upload_max = (flags & 0x20) ? 4096 : 0;
	cfg.rtt_adapt = (flags & 0x40) != 0;
	F.zero_copy = (flags & 0x80) != 0;
	F.file_size = (uint64_t)data[2] * 997 % FILE_MAX;
	if (F.file[1] == 0)	/* text with CRs and LFs, made once */
		for (i = 0; i < FILE_MAX; i++)
			F.file[i] = (uint8_t)(i * 7 % 13 == 0 ? '\n' :
					      i % 11 == 0 ? '\r' : i | 1);
	F.written = 0;
	F.eagain = false;
	F.commit_rc = 0;
	rlen = data[3];
	data += 4;
	size -= 4;
	if (rlen > size)
		rlen = size;

	if (dpt_tftp_request_parse(data, rlen, &req, &msg) < 0) {
		check(msg != NULL);
		return 0;
	}
	check(req.filename_len > 0 && req.filename[req.filename_len] == '\0');
	if (dpt_tftp_negotiate(&req, &cfg, F.file_size, &neg) < 0)
		return 0;
	if (neg.accepted & DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_BLKSIZE))
		check(neg.blksize >= DPT_TFTP_BLKSIZE_MIN &&
		      neg.blksize <= cfg.blksize_max);
	else
		check(neg.blksize == DPT_TFTP_BLKSIZE_DEFAULT);
	check(neg.windowsize >= 1 && neg.windowsize <= cfg.windowsize_max);
	F.blksize = neg.blksize;
	dpt_tftp_session_start(s, &cfg, &req, &neg, F.file_size,
			       F.zero_copy ? &fz_io_zc : &fz_io, NULL, now);
	data += rlen;
	size -= rlen;

	while (size > 0 && !dpt_tftp_session_done(s))
		now = script_step(s, &data, &size, now);
	if (dpt_tftp_session_op(s) == DPT_TFTP_WRQ)
		check(dpt_tftp_session_progress(s) == F.written ||
		      dpt_tftp_session_end_reason(s) != DPT_TFTP_END_COMPLETE);
	return 0;
}
