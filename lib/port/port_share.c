/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/* Session ports: each worker's share of --port-range, in random order. */

#include <errno.h>

#include <rte_malloc.h>
#include <rte_random.h>

#include "port_internal.h"

/* dptftp.port: --log-level and `set log-level port` reach it by name. */
RTE_LOG_REGISTER(dpt_port_logtype, dptftp.port, NOTICE);

int
port_share_candidates(const struct dpt_conf *conf, unsigned int w,
		      unsigned int n_workers, uint16_t **ports, uint32_t *n)
{
	uint32_t span = conf->port_hi - conf->port_lo + 1, i, k = 0;
	uint16_t *p = rte_malloc(NULL, sizeof(*p) * (span / n_workers + 2), 0);

	*ports = p;
	*n = 0;
	if (p == NULL)
		return -ENOMEM;
	for (i = w; i < span; i += n_workers)
		if (conf->port_lo + i != conf->listen.port)
			p[k++] = (uint16_t)(conf->port_lo + i);
	/* Fisher-Yates: RFC 1350 TIDs should be hard to guess. */
	for (i = k; i > 1; i--) {
		uint32_t j = (uint32_t)rte_rand_max(i);
		uint16_t t = p[i - 1];

		p[i - 1] = p[j];
		p[j] = t;
	}
	*n = k;
	return 0;
}

int
dpt_port_shares_make(const struct dpt_conf *conf, unsigned int n_workers,
		     struct dpt_port_share *shares)
{
	unsigned int w;

	for (w = 0; w < n_workers; w++) {
		if (port_share_candidates(conf, w, n_workers, &shares[w].ports,
					  &shares[w].n) < 0) {
			while (w-- > 0)
				dpt_port_share_free(&shares[w]);
			return -ENOMEM;
		}
	}
	return 0;
}

void
dpt_port_share_free(struct dpt_port_share *s)
{
	rte_free(s->ports);
	s->ports = NULL;
	s->n = 0;
}
