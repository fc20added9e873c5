/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/* Netascii: streaming conversions that split anywhere between blocks. */

#include "dpt_tftp.h"

size_t
dpt_tftp_nva_encode(struct dpt_tftp_nva_enc *st, const uint8_t *in,
		    size_t in_len, uint8_t *out, size_t cap, size_t *used)
{
	size_t i = 0, o = 0;

	if (st->pending != 0 && o < cap) {
		if (out != NULL)
			out[o] = st->pending == 0xff ? 0 : st->pending;
		o++;
		st->pending = 0;
	}
	while (i < in_len && o < cap && st->pending == 0) {
		uint8_t c = in[i++];
		uint8_t second;

		if (c == '\n') {
			c = '\r';
			second = '\n';
		} else if (c == '\r') {
			second = 0;
		} else {
			if (out != NULL)
				out[o] = c;
			o++;
			continue;
		}
		if (out != NULL)
			out[o] = c;
		o++;
		if (o < cap) {
			if (out != NULL)
				out[o] = second;
			o++;
		} else {
			/* The pair straddles blocks; 0xff stands for NUL. */
			st->pending = second == 0 ? 0xff : second;
		}
	}
	*used = i;
	return o;
}

size_t
dpt_tftp_nva_decode(struct dpt_tftp_nva_dec *st, const uint8_t *in,
		    size_t in_len, uint8_t *out)
{
	size_t i, o = 0;

	for (i = 0; i < in_len; i++) {
		uint8_t c = in[i];

		if (st->cr) {
			st->cr = false;
			if (c == '\n') {
				out[o++] = '\n';
				continue;
			}
			if (c == '\0') {
				out[o++] = '\r';
				continue;
			}
			/* A bare CR: keep it, then look at c afresh. */
			out[o++] = '\r';
		}
		if (c == '\r')
			st->cr = true;
		else
			out[o++] = c;
	}
	return o;
}

size_t
dpt_tftp_nva_decode_end(struct dpt_tftp_nva_dec *st, uint8_t *out)
{
	if (!st->cr)
		return 0;
	st->cr = false;
	out[0] = '\r';
	return 1;
}
