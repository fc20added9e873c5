/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The knobs PXE sites reach for, turned from configuration text into the
 * dataplane's terms: the map file, refused options, per-subnet blksize
 * ceilings, single-port mode, the per-client limit.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpt_cache.h"
#include "dpt_dp.h"
#include "dptftpd.h"

/* "blksize,windowsize" -> DPT_TFTP_OPT_BIT()s. */
static int
refuse_mask(const char *list, uint32_t *mask, char *err, size_t errlen)
{
	char buf[64], *name, *save = NULL;
	int o;

	*mask = 0;
	snprintf(buf, sizeof(buf), "%s", list);
	for (name = strtok_r(buf, ",", &save); name != NULL;
	     name = strtok_r(NULL, ",", &save)) {
		o = dpt_tftp_opt_lookup(name, strlen(name));
		if (o < 0) {
			snprintf(err, errlen, "--refuse: unknown option '%s' "
				 "(blksize, timeout, tsize, windowsize)", name);
			return -1;
		}
		*mask |= DPT_TFTP_OPT_BIT(o);
	}
	return 0;
}

/* One "SUBNET=N" of --blksize-max-for. */
static int
blksize_rule(const char *text, struct dpt_blksize_rule *r, char *err,
	     size_t errlen)
{
	char buf[128], *eq, *slash, *end;
	unsigned long max, prefix;

	snprintf(buf, sizeof(buf), "%s", text);
	eq = strchr(buf, '=');
	slash = strchr(buf, '/');
	if (eq == NULL || slash == NULL || slash > eq)
		goto bad;
	*eq = '\0';
	*slash = '\0';
	memset(r, 0, sizeof(*r));
	r->family = strchr(buf, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(r->family, buf, r->ip) != 1)
		goto bad;
	prefix = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || slash[1] == '\0' ||
	    prefix > (r->family == AF_INET ? 32u : 128u))
		goto bad;
	max = strtoul(eq + 1, &end, 10);
	if (*end != '\0' || eq[1] == '\0' || max < DPT_TFTP_BLKSIZE_MIN ||
	    max > DPT_TFTP_BLKSIZE_MAX)
		goto bad;
	r->prefix = (uint8_t)prefix;
	r->max = (uint16_t)max;
	return 0;
bad:
	snprintf(err, errlen, "--blksize-max-for: '%s' is not SUBNET=N "
		 "(like 10.1.0.0/16=1024, N in 8..65464)", text);
	return -1;
}

int
app_compat(const struct dpt_conf *c, struct dpt_dp_params *p,
	   struct dpt_tftp_config *t, char *err, size_t errlen)
{
	char buf[sizeof(c->blksize_rules)], *item, *save = NULL;

	if (refuse_mask(c->refuse, &t->refuse_mask, err, errlen) < 0)
		return -1;
	snprintf(buf, sizeof(buf), "%s", c->blksize_rules);
	for (item = strtok_r(buf, ",", &save); item != NULL;
	     item = strtok_r(NULL, ",", &save)) {
		if (p->n_blksize_rules == DPT_DP_MAX_BLKSIZE_RULES) {
			snprintf(err, errlen, "--blksize-max-for: at most %d "
				 "rules", DPT_DP_MAX_BLKSIZE_RULES);
			return -1;
		}
		if (blksize_rule(item, &p->blksize_rules[p->n_blksize_rules],
				 err, errlen) < 0)
			return -1;
		p->n_blksize_rules++;
	}
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
