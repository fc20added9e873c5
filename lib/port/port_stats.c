/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * A backend's counters read back from the `Key: value` lines its stats()
 * prints, for readers that know none of their names (metrics, telemetry):
 * a counter a backend adds to `show port stats` reaches them with no edit
 * anywhere else.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpt_port.h"

unsigned int
dpt_port_stats_read(struct dpt_port *p, bool lifetime,
		    struct dpt_port_stat *out, unsigned int n,
		    unsigned int cap)
{
	char *buf = NULL, *line, *save = NULL, *colon, *end;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return n;
	p->ops->stats(p, f, lifetime);
	fclose(f);
	for (line = strtok_r(buf, "\n", &save); line != NULL && n < cap;
	     line = strtok_r(NULL, "\n", &save)) {
		colon = strstr(line, ": ");
		if (colon == NULL || colon == line ||
		    colon - line >= (long)sizeof(out->key) ||
		    !isdigit((unsigned char)colon[2]))
			continue;
		out[n].value = strtoull(colon + 2, &end, 10);
		if (*end != '\0')
			continue;	/* "TX-checksum-offload: ip udp" */
		out[n].port = p->id;
		memcpy(out[n].key, line, (size_t)(colon - line));
		out[n].key[colon - line] = '\0';
		n++;
	}
	free(buf);
	return n;
}
