/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The command line, read with lib/opt over conf_opts[]. Two passes: the
 * first only finds --config (the file must be loaded before any option so
 * that the command line overrides it), the second applies every option in
 * order.
 */

#include <string.h>

#include "conf_internal.h"

/*
 * The options that only print and exit skip the --config file, so that
 * they work whatever state it is in. The other flags need it: -i serves
 * what it says, and --reserve-hugepages reads its [eal] hugepages (the
 * systemd unit's ExecStartPre).
 */
static bool
prints_only(const struct dpt_opt *o)
{
	static const char *const names[] = {
		"help", "version", "man", "sample-config",
	};
	unsigned int i;

	for (i = 0; i < CONF_DIM(names); i++)
		if (strcmp(o->name, names[i]) == 0)
			return true;
	return false;
}

/*
 * First pass: the --config file, if any (none when an option that only
 * prints is given). Errors other than --config's own are the second
 * pass's to report.
 */
static int
find_config(int argc, char **argv, const char **path, char *err,
	    size_t errlen)
{
	const struct dpt_opt *config = conf_opt_find("config"), *o;
	char ignored[DPT_CONF_ERR_MAX];
	struct dpt_opt_argv a;
	const char *val;
	bool skip = false;
	int rc;

	*path = NULL;
	dpt_opt_argv_init(&a, &conf_table, argc, argv);
	while ((rc = dpt_opt_argv_next(&a, &o, &val, ignored,
				       sizeof(ignored))) != 0) {
		if (rc < 0)
			continue;
		if (prints_only(o))
			skip = true;
		if (o != config)
			continue;
		if (*path != NULL)
			return dpt_opt_err(err, errlen, "--config: given "
					   "twice");
		if (*val == '\0')
			return dpt_opt_err(err, errlen, "--config: empty "
					   "value");
		*path = val;
	}
	if (skip)
		*path = NULL;
	return 0;
}

static int
apply_args(struct dpt_conf *c, int argc, char **argv, char *err,
	   size_t errlen)
{
	const struct dpt_opt *iface = conf_opt_find("iface"), *o;
	char why[DPT_CONF_ERR_MAX];
	struct dpt_opt_argv a;
	bool cli_iface = false;
	const char *val;
	int rc;

	dpt_opt_argv_init(&a, &conf_table, argc, argv);
	while ((rc = dpt_opt_argv_next(&a, &o, &val, err, errlen)) > 0) {
		/* --iface on the command line replaces the file's list
		 * rather than adding to it: the command line overrides. */
		if (o == iface && !cli_iface) {
			c->n_ifaces = 0;
			memset(c->ifaces, 0, sizeof(c->ifaces));
			cli_iface = true;
		}
		if (dpt_opt_apply(&conf_table, c, o, val, why,
				  sizeof(why)) < 0)
			return dpt_opt_err(err, errlen, "--%s: %s", o->name,
					   why);
	}
	return rc;
}

int
dpt_conf_parse(struct dpt_conf *c, int argc, char **argv, char *err,
	       size_t errlen)
{
	struct dpt_conf tmp;
	const char *path;
	int rc;

	if (argc < 1 || argv == NULL)
		return 0;
	tmp = *c;
	rc = find_config(argc, argv, &path, err, errlen);
	if (rc == 0 && path != NULL)
		rc = dpt_conf_load_file(&tmp, path, err, errlen);
	if (rc == 0)
		rc = apply_args(&tmp, argc, argv, err, errlen);
	if (rc == 0)
		*c = tmp;
	return rc;
}
