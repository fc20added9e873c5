/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/* The wire codec: parse requests, build the small datagrams. */

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "dpt_tftp.h"
#include "tftp_internal.h"

static const char *const err_msgs[DPT_TFTP_ERR_COUNT] = {
	[DPT_TFTP_ENOTDEFINED] = "Undefined error",
	[DPT_TFTP_ENOTFOUND] = "File not found",
	[DPT_TFTP_EACCESS] = "Access violation",
	[DPT_TFTP_ENOSPACE] = "Disk full or allocation exceeded",
	[DPT_TFTP_EBADOP] = "Illegal TFTP operation",
	[DPT_TFTP_EBADID] = "Unknown transfer ID",
	[DPT_TFTP_EEXISTS] = "File already exists",
	[DPT_TFTP_ENOUSER] = "No such user",
	[DPT_TFTP_EOPTNEG] = "Option negotiation failed",
};

/* errno of a failure -> the ERROR the client gets (message NULL: the
 * code's own). One table for the protocol core's I/O and the server's
 * opens and uploads. */
static const struct {
	int err;
	uint16_t code;
	const char *msg;
} errno_errors[] = {
	{ ENOENT, DPT_TFTP_ENOTFOUND, NULL },
	{ EACCES, DPT_TFTP_EACCESS, NULL },
	{ EPERM, DPT_TFTP_EACCESS, NULL },
	{ EROFS, DPT_TFTP_EACCESS, "Read-only file system" },
	{ EEXIST, DPT_TFTP_EEXISTS, NULL },
	{ ENOSPC, DPT_TFTP_ENOSPACE, NULL },
	{ EDQUOT, DPT_TFTP_ENOSPACE, "Quota exceeded" },
	{ EFBIG, DPT_TFTP_ENOSPACE, "File too large" },
	{ ENOMEM, DPT_TFTP_ENOSPACE, "Server out of memory" },
};

/* Transfer modes: name -> mode, or refused with the message given. */
static const struct {
	const char *name;
	int mode;		/* enum dpt_tftp_mode, or -1: refused */
	const char *refusal;
} modes[] = {
	{ "octet", DPT_TFTP_MODE_OCTET, NULL },
	{ "netascii", DPT_TFTP_MODE_NETASCII, NULL },
	{ "mail", -1, "Mail mode not supported" },
};

const char *
dpt_tftp_err_str(unsigned int code)
{
	if (code >= DPT_TFTP_ERR_COUNT)
		return "Unknown error";
	return err_msgs[code];
}

uint16_t
dpt_tftp_err_from_errno(int err, const char *other, const char **msg)
{
	size_t i;

	for (i = 0; i < sizeof(errno_errors) / sizeof(errno_errors[0]); i++)
		if (errno_errors[i].err == -err) {
			*msg = errno_errors[i].msg;
			return errno_errors[i].code;
		}
	*msg = other;
	return DPT_TFTP_ENOTDEFINED;
}

uint16_t
dpt_tftp_opcode(const void *buf, size_t len)
{
	if (len < 2)
		return 0;
	return get_be16(buf);
}

/*
 * Finds the NUL ending the string at p, looking no further than end.
 * Returns its length, or -1 when the string is unterminated.
 */
static ssize_t
str_len_bounded(const uint8_t *p, const uint8_t *end)
{
	const uint8_t *nul = memchr(p, '\0', (size_t)(end - p));

	return nul == NULL ? -1 : nul - p;
}

/*
 * Parses a decimal option value: digits only, no sign, no spaces, at most
 * 20 digits, no overflow. Returns 0 and the value, or -1.
 */
static int
parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 20)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -1;
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* The RFC ranges of each option's value (tsize: any size). */
static const struct {
	uint64_t min, max;
} opt_range[DPT_TFTP_OPT_COUNT] = {
	[DPT_TFTP_OPT_BLKSIZE] = { DPT_TFTP_BLKSIZE_MIN, DPT_TFTP_BLKSIZE_MAX },
	[DPT_TFTP_OPT_TIMEOUT] = { DPT_TFTP_TIMEOUT_MIN, DPT_TFTP_TIMEOUT_MAX },
	[DPT_TFTP_OPT_TSIZE] = { 0, UINT64_MAX },
	[DPT_TFTP_OPT_WINDOWSIZE] = { 1, DPT_TFTP_WINDOWSIZE_MAX },
};

static void
record_option(struct dpt_tftp_request *req, const char *name, size_t nlen,
	      const char *val, size_t vlen)
{
	struct dpt_tftp_reqopt *o;
	uint64_t v;
	int idx;

	req->n_options++;
	idx = dpt_tftp_opt_lookup(name, nlen);
	if (idx < 0) {
		req->n_unknown++;
		return;
	}
	o = &req->opt[idx];
	if (o->present)		/* a repeat: the first one rules */
		return;
	o->present = true;
	o->order = req->n_options > UINT8_MAX ? UINT8_MAX
					      : (uint8_t)(req->n_options - 1);
	if (parse_u64(val, vlen, &v) == 0 && v >= opt_range[idx].min &&
	    v <= opt_range[idx].max) {
		o->valid = true;
		o->value = v;
	}
}

static int
parse_mode(const char *s, size_t len, struct dpt_tftp_request *req,
	   const char **errmsg)
{
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strlen(modes[i].name) != len ||
		    strncasecmp(modes[i].name, s, len) != 0)
			continue;
		if (modes[i].mode < 0) {
			*errmsg = modes[i].refusal;
			return -DPT_TFTP_EBADOP;
		}
		req->mode = (enum dpt_tftp_mode)modes[i].mode;
		return 0;
	}
	*errmsg = "Unknown transfer mode";
	return -DPT_TFTP_EBADOP;
}

int
dpt_tftp_request_parse(const void *buf, size_t len,
		       struct dpt_tftp_request *req, const char **errmsg)
{
	const uint8_t *p = buf, *end = p + len;
	const char *mode;
	ssize_t n, m;
	uint16_t op;

	memset(req, 0, sizeof(*req));
	*errmsg = dpt_tftp_err_str(DPT_TFTP_EBADOP);
	op = dpt_tftp_opcode(buf, len);
	if (op != DPT_TFTP_RRQ && op != DPT_TFTP_WRQ) {
		*errmsg = len < 2 ? "Truncated request" : "Unknown opcode";
		return -DPT_TFTP_EBADOP;
	}
	req->op = (enum dpt_tftp_op)op;
	p += 2;

	n = str_len_bounded(p, end);
	if (n < 0) {
		*errmsg = "Unterminated filename";
		return -DPT_TFTP_EBADOP;
	}
	if (n == 0) {
		*errmsg = "Empty filename";
		return -DPT_TFTP_EBADOP;
	}
	if (n >= DPT_TFTP_FILENAME_MAX) {
		*errmsg = "Filename too long";
		return -DPT_TFTP_EBADOP;
	}
	memcpy(req->filename, p, (size_t)n);
	req->filename[n] = '\0';
	req->filename_len = (uint16_t)n;
	p += n + 1;

	if (p >= end || (m = str_len_bounded(p, end)) < 0) {
		*errmsg = "Unterminated mode";
		return -DPT_TFTP_EBADOP;
	}
	mode = (const char *)p;
	if (parse_mode(mode, (size_t)m, req, errmsg) < 0)
		return -DPT_TFTP_EBADOP;
	p += m + 1;

	/* Options: whole name/value pairs; an incomplete tail is padding. */
	while (p < end) {
		const uint8_t *name = p, *val;
		ssize_t vl;

		n = str_len_bounded(name, end);
		if (n < 0 || name + n + 1 >= end) {
			req->trailing = true;
			break;
		}
		val = name + n + 1;
		vl = str_len_bounded(val, end);
		if (vl < 0) {
			req->trailing = true;
			break;
		}
		record_option(req, (const char *)name, (size_t)n,
			      (const char *)val, (size_t)vl);
		p = val + vl + 1;
	}
	*errmsg = NULL;
	return 0;
}

size_t
dpt_tftp_build_error(void *buf, size_t cap, uint16_t code, const char *msg)
{
	uint8_t *p = buf;
	size_t mlen;

	if (msg == NULL)
		msg = dpt_tftp_err_str(code);
	mlen = strnlen(msg, DPT_TFTP_ERRMSG_MAX - 1);
	if (cap < DPT_TFTP_HDR_LEN + mlen + 1)
		return 0;
	put_be16(p, DPT_TFTP_ERROR);
	put_be16(p + 2, code);
	memcpy(p + 4, msg, mlen);
	p[4 + mlen] = '\0';
	return DPT_TFTP_HDR_LEN + mlen + 1;
}

size_t
dpt_tftp_build_ack(void *buf, size_t cap, uint16_t block)
{
	if (cap < DPT_TFTP_HDR_LEN)
		return 0;
	put_be16(buf, DPT_TFTP_ACK);
	put_be16((uint8_t *)buf + 2, block);
	return DPT_TFTP_HDR_LEN;
}

size_t
dpt_tftp_build_data_hdr(void *buf, size_t cap, uint16_t block)
{
	if (cap < DPT_TFTP_HDR_LEN)
		return 0;
	put_be16(buf, DPT_TFTP_DATA);
	put_be16((uint8_t *)buf + 2, block);
	return DPT_TFTP_HDR_LEN;
}
