/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The client's half of the codec: requests out, OACK and ERROR in. A load
 * generator must hold servers to the RFCs, so an OACK is checked against
 * what was asked rather than trusted.
 */

#include <stdio.h>
#include <string.h>

#include "dpt_tftp.h"
#include "tftp_internal.h"

static const char *const mode_names[] = {
	[DPT_TFTP_MODE_OCTET] = "octet",
	[DPT_TFTP_MODE_NETASCII] = "netascii",
};

/* Appends the NUL-terminated string s at *off; false when it does not fit. */
static bool
put_str(uint8_t *buf, size_t cap, size_t *off, const char *s)
{
	size_t n = strlen(s) + 1;

	if (cap - *off < n)
		return false;
	memcpy(buf + *off, s, n);
	*off += n;
	return true;
}

size_t
dpt_tftp_build_request(void *buf, size_t cap, enum dpt_tftp_op op,
		       const char *filename, enum dpt_tftp_mode mode,
		       const struct dpt_tftp_client_opts *opts)
{
	size_t off = 2, flen = strnlen(filename, DPT_TFTP_FILENAME_MAX);
	char val[24];
	int i;

	if ((op != DPT_TFTP_RRQ && op != DPT_TFTP_WRQ) || flen == 0 ||
	    flen >= DPT_TFTP_FILENAME_MAX ||
	    (unsigned int)mode >= sizeof(mode_names) / sizeof(mode_names[0]) ||
	    cap < 2)
		return 0;
	put_be16(buf, (uint16_t)op);
	if (!put_str(buf, cap, &off, filename) ||
	    !put_str(buf, cap, &off, mode_names[mode]))
		return 0;
	for (i = 0; opts != NULL && i < DPT_TFTP_OPT_COUNT; i++) {
		if ((opts->mask & DPT_TFTP_OPT_BIT(i)) == 0)
			continue;
		snprintf(val, sizeof(val), "%llu",
			 (unsigned long long)opts->value[i]);
		if (!put_str(buf, cap, &off, dpt_tftp_opt_name(i)) ||
		    !put_str(buf, cap, &off, val))
			return 0;
	}
	return off;
}

/* Decimal digits only, no sign, no overflow; false otherwise. */
static bool
parse_value(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 20)
		return false;
	for (i = 0; i < len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

int
dpt_tftp_oack_parse(const void *buf, size_t len, struct dpt_tftp_oack *o)
{
	const uint8_t *p = buf, *end = p + len, *nul;
	const char *name, *val;
	size_t nlen, vlen;
	uint64_t v;
	int idx;

	memset(o, 0, sizeof(*o));
	if (dpt_tftp_opcode(buf, len) != DPT_TFTP_OACK)
		return -1;
	for (p += 2; p < end; p = (const uint8_t *)val + vlen + 1) {
		name = (const char *)p;
		nul = memchr(p, '\0', (size_t)(end - p));
		if (nul == NULL || nul + 1 >= end)
			return -1;
		nlen = (size_t)(nul - p);
		val = (const char *)nul + 1;
		nul = memchr(val, '\0', (size_t)(end - (const uint8_t *)val));
		if (nul == NULL)
			return -1;
		vlen = (size_t)(nul - (const uint8_t *)val);
		idx = dpt_tftp_opt_lookup(name, nlen);
		if (idx < 0) {
			o->n_unknown++;
			continue;
		}
		if ((o->mask & DPT_TFTP_OPT_BIT(idx)) != 0)
			continue;	/* a repeat: the first one rules */
		if (!parse_value(val, vlen, &v)) {
			o->bad_value = true;
			continue;
		}
		o->mask |= DPT_TFTP_OPT_BIT(idx);
		o->value[idx] = v;
	}
	return 0;
}

/* Whether the server's value v for option idx answers the asked value a. */
static const char *
check_value(int idx, uint64_t v, uint64_t a, enum dpt_tftp_op op)
{
	switch (idx) {
	case DPT_TFTP_OPT_BLKSIZE:
		if (v < DPT_TFTP_BLKSIZE_MIN || v > a)
			return "blksize outside 8..asked";
		return NULL;
	case DPT_TFTP_OPT_TIMEOUT:
		return v != a ? "timeout differs from the request's" : NULL;
	case DPT_TFTP_OPT_TSIZE:
		return op == DPT_TFTP_WRQ && v != a ?
			"tsize differs from the size sent" : NULL;
	case DPT_TFTP_OPT_WINDOWSIZE:
		return v < 1 || v > a ? "windowsize outside 1..asked" : NULL;
	default:
		return "unknown option";
	}
}

int
dpt_tftp_oack_accept(const struct dpt_tftp_oack *o,
		     const struct dpt_tftp_client_opts *asked,
		     enum dpt_tftp_op op, struct dpt_tftp_negotiated *agreed,
		     const char **why)
{
	uint32_t want = asked != NULL ? asked->mask : 0;
	int i;

	memset(agreed, 0, sizeof(*agreed));
	agreed->blksize = DPT_TFTP_BLKSIZE_DEFAULT;
	agreed->windowsize = 1;
	*why = NULL;
	if (o->n_unknown != 0 || o->bad_value) {
		*why = o->bad_value ? "option value not a number" :
				      "option the client did not send";
		return -1;
	}
	if ((o->mask & ~want) != 0) {
		*why = "option the client did not send";
		return -1;
	}
	for (i = 0; i < DPT_TFTP_OPT_COUNT; i++) {
		if ((o->mask & DPT_TFTP_OPT_BIT(i)) == 0)
			continue;
		*why = check_value(i, o->value[i], asked->value[i], op);
		if (*why != NULL)
			return -1;
	}
	agreed->accepted = o->mask;
	if ((o->mask & DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_BLKSIZE)) != 0)
		agreed->blksize = (uint16_t)o->value[DPT_TFTP_OPT_BLKSIZE];
	if ((o->mask & DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_WINDOWSIZE)) != 0)
		agreed->windowsize =
			(uint16_t)o->value[DPT_TFTP_OPT_WINDOWSIZE];
	if ((o->mask & DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_TIMEOUT)) != 0)
		agreed->timeout_s = (uint8_t)o->value[DPT_TFTP_OPT_TIMEOUT];
	if ((o->mask & DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_TSIZE)) != 0)
		agreed->tsize = o->value[DPT_TFTP_OPT_TSIZE];
	return 0;
}

int
dpt_tftp_error_parse(const void *buf, size_t len, uint16_t *code,
		     const char **msg, size_t *msg_len)
{
	const uint8_t *p = buf;

	if (len < DPT_TFTP_HDR_LEN ||
	    dpt_tftp_opcode(buf, len) != DPT_TFTP_ERROR)
		return -1;
	*code = get_be16(p + 2);
	*msg = (const char *)p + 4;
	*msg_len = strnlen(*msg, len - 4);
	return 0;
}
