/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/* Option negotiation: RFC 2347 (OACK), 2348, 2349 and 7440. */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dpt_tftp.h"
#include "tftp_internal.h"

static const char *const opt_names[DPT_TFTP_OPT_COUNT] = {
	[DPT_TFTP_OPT_BLKSIZE] = "blksize",
	[DPT_TFTP_OPT_TIMEOUT] = "timeout",
	[DPT_TFTP_OPT_TSIZE] = "tsize",
	[DPT_TFTP_OPT_WINDOWSIZE] = "windowsize",
};

const char *
dpt_tftp_opt_name(enum dpt_tftp_opt o)
{
	return (unsigned int)o < DPT_TFTP_OPT_COUNT ? opt_names[o] : "?";
}

int
dpt_tftp_opt_lookup(const char *name, size_t len)
{
	int i;

	for (i = 0; i < DPT_TFTP_OPT_COUNT; i++)
		if (strlen(opt_names[i]) == len &&
		    strncasecmp(opt_names[i], name, len) == 0)
			return i;
	return -1;
}

void
dpt_tftp_config_default(struct dpt_tftp_config *c)
{
	memset(c, 0, sizeof(*c));
	c->blksize_max = 1468;		/* MTU 1500 - IPv4 20 - UDP 8 - TFTP 4 */
	c->windowsize_max = 64;
	c->timeout_us = 1000000;
	c->timeout_max_us = 8000000;
	c->timeout_min_us = 50000;
	c->retries = 5;
	c->rtt_adapt = true;
	c->stall_us = 1000;
	c->dally_us = 2000000;
	c->upload_max = 0;
	c->pace = true;
	c->pace_min_us = 250;
}

static uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

int
dpt_tftp_negotiate(const struct dpt_tftp_request *req,
		   const struct dpt_tftp_config *c, uint64_t file_size,
		   struct dpt_tftp_negotiated *neg)
{
	const struct dpt_tftp_reqopt *o;
	int i;

	memset(neg, 0, sizeof(*neg));
	neg->blksize = DPT_TFTP_BLKSIZE_DEFAULT;
	neg->windowsize = 1;

	for (i = 0; i < DPT_TFTP_OPT_COUNT; i++) {
		o = &req->opt[i];
		if (!o->present || !o->valid ||
		    (c->refuse_mask & DPT_TFTP_OPT_BIT(i)) != 0)
			continue;
		switch (i) {
		case DPT_TFTP_OPT_BLKSIZE:
			neg->blksize = (uint16_t)min_u64(o->value,
				c->blksize_max >= DPT_TFTP_BLKSIZE_MIN ?
				c->blksize_max : DPT_TFTP_BLKSIZE_MIN);
			break;
		case DPT_TFTP_OPT_TIMEOUT:
			neg->timeout_s = (uint8_t)o->value;
			break;
		case DPT_TFTP_OPT_TSIZE:
			if (req->op == DPT_TFTP_RRQ) {
				/* The netascii size is not the file's: decline. */
				if (req->mode != DPT_TFTP_MODE_OCTET)
					continue;
				neg->tsize = file_size;
			} else {
				if (c->upload_max != 0 &&
				    o->value > c->upload_max)
					return -DPT_TFTP_ENOSPACE;
				neg->tsize = o->value;
			}
			break;
		case DPT_TFTP_OPT_WINDOWSIZE:
			neg->windowsize = (uint16_t)min_u64(o->value,
				c->windowsize_max > 0 ? c->windowsize_max : 1);
			break;
		}
		neg->accepted |= DPT_TFTP_OPT_BIT(i);
	}
	return 0;
}

static uint64_t
opt_value(const struct dpt_tftp_negotiated *neg, int i)
{
	switch (i) {
	case DPT_TFTP_OPT_BLKSIZE:
		return neg->blksize;
	case DPT_TFTP_OPT_TIMEOUT:
		return neg->timeout_s;
	case DPT_TFTP_OPT_TSIZE:
		return neg->tsize;
	default:
		return neg->windowsize;
	}
}

size_t
tftp_oack_build(void *buf, size_t cap, const uint8_t *order,
		const struct dpt_tftp_negotiated *neg)
{
	int idx[DPT_TFTP_OPT_COUNT], n = 0, i, j;
	uint8_t *p = buf;
	size_t off;

	if (neg->accepted == 0 || cap < 2)
		return 0;
	/* In the order the client sent them (a handful: insertion sort). */
	for (i = 0; i < DPT_TFTP_OPT_COUNT; i++) {
		if ((neg->accepted & DPT_TFTP_OPT_BIT(i)) == 0)
			continue;
		for (j = n; j > 0 && order[idx[j - 1]] > order[i]; j--)
			idx[j] = idx[j - 1];
		idx[j] = i;
		n++;
	}
	put_be16(p, DPT_TFTP_OACK);
	off = 2;
	for (i = 0; i < n; i++) {
		char val[24];
		size_t nl = strlen(opt_names[idx[i]]);
		int vl = snprintf(val, sizeof(val), "%llu",
				  (unsigned long long)opt_value(neg, idx[i]));

		if (off + nl + 1 + (size_t)vl + 1 > cap)
			return 0;
		memcpy(p + off, opt_names[idx[i]], nl + 1);
		off += nl + 1;
		memcpy(p + off, val, (size_t)vl + 1);
		off += (size_t)vl + 1;
	}
	return off;
}

void
tftp_opt_order(const struct dpt_tftp_request *req, uint8_t *order)
{
	int i;

	for (i = 0; i < DPT_TFTP_OPT_COUNT; i++)
		order[i] = req->opt[i].order;
}

size_t
dpt_tftp_build_oack(void *buf, size_t cap, const struct dpt_tftp_request *req,
		    const struct dpt_tftp_negotiated *neg)
{
	uint8_t order[DPT_TFTP_OPT_COUNT];

	tftp_opt_order(req, order);
	return tftp_oack_build(buf, cap, order, neg);
}
