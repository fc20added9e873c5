/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The knobs PXE sites reach for, handed to the dataplane: the map file,
 * refused options and per-subnet blksize ceilings (parsed and checked by
 * lib/conf), single-port mode, the per-client limit.
 */

#include <stdio.h>

#include "dpt_cache.h"
#include "dpt_dp.h"
#include "dptftpd.h"

int
app_compat(const struct dpt_conf *c, struct dpt_dp_params *p,
	   struct dpt_tftp_config *t, char *err, size_t errlen)
{
	int n;

	/* Both checked by dpt_conf_validate() before EAL started. */
	if (dpt_conf_refuse_mask(c, &t->refuse_mask, err, errlen) < 0)
		return -1;
	n = dpt_conf_blksize_rules(c, p->blksize_rules, err, errlen);
	if (n < 0)
		return -1;
	p->n_blksize_rules = (unsigned int)n;
	p->single_port = c->single_port != 0;
	p->max_per_client = c->max_per_client;
	p->remap = NULL;
	if (c->map_file[0] != '\0' &&
	    dpt_remap_load(c->map_file, &p->remap, err, errlen) < 0)
		return -1;
	return 0;
}

void
app_reload_remap(const struct dpt_conf *c, struct dpt_dp *dp)
{
	struct dpt_remap *r = NULL;
	char err[256];

	if (c->map_file[0] == '\0')
		return;
	if (dpt_remap_load(c->map_file, &r, err, sizeof(err)) < 0) {
		/* A broken edit must not take the rules away. */
		fprintf(stderr, "dptftpd: SIGHUP: %s; keeping the old rules\n",
			err);
		return;
	}
	dpt_remap_free(dpt_dp_set_remap(dp, r));
	printf("dptftpd: SIGHUP: %s re-read\n", c->map_file);
}
