/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The options that reach into the protocol: --refuse (option names) and
 * --blksize-max-for (SUBNET=N rules). Each item is checked as it is set,
 * so a mistake is said with its option (and file and line) before
 * anything starts; the lists stay text, as given, and are turned into the
 * dataplane's terms here.
 */

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "conf_internal.h"
#include "dpt_tftp.h"

/* The longest list: --blksize-max-for's. */
#define LIST_MAX sizeof(((struct dpt_conf *)0)->blksize_rules)

typedef int (*item_fn)(const char *item, void *arg, char *err,
		       size_t errlen);

/* Calls fn on each comma-separated item of list, stopping at an error. */
static int
each_item(const char *list, item_fn fn, void *arg, char *err, size_t errlen)
{
	char buf[LIST_MAX], *item, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (item = strtok_r(buf, ",", &save); item != NULL;
	     item = strtok_r(NULL, ",", &save))
		if (fn(item, arg, err, errlen) < 0)
			return -1;
	return 0;
}

/* One name of --refuse into the mask at arg. */
static int
refuse_item(const char *name, void *arg, char *err, size_t errlen)
{
	uint32_t *mask = arg;
	char q[DPT_OPT_QUOTE_MAX];
	int o = dpt_tftp_opt_lookup(name, strlen(name));

	if (o < 0) {
		dpt_opt_err(err, errlen, "unknown option '%s' (blksize, "
			    "timeout, tsize, windowsize)",
			    dpt_opt_quote(name, q, sizeof(q)));
		return -1;
	}
	*mask |= DPT_TFTP_OPT_BIT(o);
	return 0;
}

/* One "SUBNET=N" of --blksize-max-for into *r. */
static int
blksize_rule(const char *text, struct dpt_blksize_rule *r, char *err,
	     size_t errlen)
{
	char buf[128], *eq, *slash, q[DPT_OPT_QUOTE_MAX];
	uint64_t max, prefix;

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
	/* digits only: strtoul would take "+16", " 16" and "-0" */
	if (dpt_opt_strtou64(slash + 1, &prefix) < 0 ||
	    prefix > (r->family == AF_INET ? 32u : 128u))
		goto bad;
	if (dpt_opt_strtou64(eq + 1, &max) < 0 ||
	    max < DPT_TFTP_BLKSIZE_MIN || max > DPT_TFTP_BLKSIZE_MAX)
		goto bad;
	r->prefix = (uint8_t)prefix;
	r->max = (uint16_t)max;
	return 0;
bad:
	dpt_opt_err(err, errlen, "'%s' is not SUBNET=N (like 10.1.0.0/16=1024, "
		    "N in 8..65464)", dpt_opt_quote(text, q, sizeof(q)));
	return -1;
}

struct rules {
	struct dpt_blksize_rule *r;	/* NULL: count and check only */
	unsigned int n;
};

static int
rule_item(const char *text, void *arg, char *err, size_t errlen)
{
	struct rules *rs = arg;
	struct dpt_blksize_rule tmp;

	if (rs->n == DPT_CONF_MAX_BLKSIZE_RULES) {
		dpt_opt_err(err, errlen, "at most %d rules",
			    DPT_CONF_MAX_BLKSIZE_RULES);
		return -1;
	}
	if (blksize_rule(text, rs->r != NULL ? &rs->r[rs->n] : &tmp, err,
			 errlen) < 0)
		return -1;
	rs->n++;
	return 0;
}

int
conf_set_refuse(void *obj, const struct dpt_opt *o,
		const char *val, char *err, size_t errlen)
{
	uint32_t mask = 0;

	if (each_item(val, refuse_item, &mask, err, errlen) < 0)
		return -1;
	return conf_set_list(obj, o, val, err, errlen);
}

int
conf_set_blksize_for(void *obj, const struct dpt_opt *o,
		     const char *val, char *err, size_t errlen)
{
	struct dpt_conf *c = obj;
	struct rules rs = { .r = NULL, .n = 0 };

	/* The rules already set count towards the limit. */
	if (each_item(c->blksize_rules, rule_item, &rs, err, errlen) < 0 ||
	    each_item(val, rule_item, &rs, err, errlen) < 0)
		return -1;
	return conf_set_list(obj, o, val, err, errlen);
}

int
dpt_conf_refuse_mask(const struct dpt_conf *c, uint32_t *mask, char *err,
		     size_t errlen)
{
	char why[DPT_CONF_ERR_MAX];

	*mask = 0;
	if (each_item(c->refuse, refuse_item, mask, why, sizeof(why)) < 0) {
		dpt_opt_err(err, errlen, "--refuse: %s", why);
		return -1;
	}
	return 0;
}

int
dpt_conf_blksize_rules(const struct dpt_conf *c,
		       struct dpt_blksize_rule *rules, char *err,
		       size_t errlen)
{
	struct rules rs = { .r = rules, .n = 0 };
	char why[DPT_CONF_ERR_MAX];

	if (each_item(c->blksize_rules, rule_item, &rs, why,
		      sizeof(why)) < 0) {
		dpt_opt_err(err, errlen, "--blksize-max-for: %s", why);
		return -1;
	}
	return (int)rs.n;
}
