/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Escaping of client-chosen text. A name like "a\nFile: x" would forge a
 * line of `show sessions`, and "\x1b]0;..." would talk to the operator's
 * terminal: both are bytes a client may put in an RRQ.
 */

#include "dpt_text.h"

const char *
dpt_text_escape(const char *in, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)in;
	size_t n = 0;

	if (cap == 0)
		return out;
	for (; *p != '\0'; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
			if (n + 1 >= cap)
				break;
			out[n++] = (char)*p;
			continue;
		}
		if (n + 4 >= cap)
			break;
		out[n++] = '\\';
		out[n++] = 'x';
		out[n++] = hex[*p >> 4];
		out[n++] = hex[*p & 0xf];
	}
	out[n] = '\0';
	return out;
}
