/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_TEXT_H_
#define _DPT_TEXT_H_

/*
 * Text a client chose (file names, option names and values, error
 * messages), made safe to print: on a terminal, in a log line, in a
 * `Key: value` field. No DPDK, no I/O.
 */

#include <stddef.h>
#include <stdio.h>

/*
 * Copies in to out with every byte that is not printable ASCII (control
 * bytes, newline, escape, DEL, bytes >= 0x80) and the backslash itself
 * written as \xNN, so nothing can move the cursor, start a line or be
 * read as another escape. At most cap - 1 bytes and a NUL are written; an
 * escape is never cut in half. 4 * strlen(in) + 1 bytes always suffice.
 * Returns out.
 */
const char *dpt_text_escape(const char *in, char *out, size_t cap);

/* Writes s to f as troff body text: backslashes and minus signs escaped,
 * and a line that would start with a control character made plain. */
void dpt_text_roff(FILE *f, const char *s);

/* An option's entry in a manual page: ".TP", "-s, --name ARG" in bold and
 * italics, then its help text (no newline after it). */
void dpt_text_roff_option(FILE *f, char short_name, const char *name,
			  const char *arg, const char *help);

#endif /* _DPT_TEXT_H_ */
