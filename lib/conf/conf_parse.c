/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The command line, read with getopt_long from tables built out of
 * conf_opts[]. Two passes: the first only finds --config (the file must be
 * loaded before any option so that the command line overrides it), the
 * second applies every option in order.
 */

#include <getopt.h>
#include <string.h>

#include "conf_internal.h"

/* getopt_long's return value for an option with no short form */
#define LONG_BASE 256
#define MAX_OPTS 64

struct getopt_tables {
	struct option lopts[MAX_OPTS + 1];
	char sopts[2 + 2 * MAX_OPTS + 1];
};

static void
build_tables(struct getopt_tables *t)
{
	char *p = t->sopts;
	unsigned int i;

	/*
	 * '+': stop at the first word that is not an option, so a stray one
	 * is reported instead of being moved to the end of argv.
	 * ':': tell a missing argument (':') from an unknown option ('?').
	 */
	*p++ = '+';
	*p++ = ':';
	for (i = 0; i < conf_n_opts && i < MAX_OPTS; i++) {
		const struct conf_opt *o = &conf_opts[i];

		t->lopts[i] = (struct option){
			.name = o->name,
			.has_arg = o->arg != NULL ? required_argument :
						    no_argument,
			.val = o->short_name != 0 ? o->short_name :
						    LONG_BASE + (int)i,
		};
		if (o->short_name != 0) {
			*p++ = o->short_name;
			if (o->arg != NULL)
				*p++ = ':';
		}
	}
	memset(&t->lopts[i], 0, sizeof(t->lopts[i]));
	*p = '\0';
}

static const struct conf_opt *
opt_of(int ch)
{
	unsigned int i;

	if (ch >= LONG_BASE && ch < LONG_BASE + (int)conf_n_opts)
		return &conf_opts[ch - LONG_BASE];
	for (i = 0; i < conf_n_opts; i++)
		if (ch != 0 && conf_opts[i].short_name == ch)
			return &conf_opts[i];
	return NULL;
}

/* getopt said '?': name what it refused, in words. */
static void
bad_option(int argc, char **argv, char *err, size_t errlen)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	const struct conf_opt *o = opt_of(optopt);
	char name[CONF_QUOTE_MAX], q[CONF_QUOTE_MAX];
	unsigned int i, n = 0;
	size_t len;

	if (o != NULL) {
		/* a known option refused: "--help=yes" */
		conf_err(err, errlen, "--%s: takes no value", o->name);
		return;
	}
	if (optopt != 0 || strncmp(arg, "--", 2) != 0) {
		conf_err(err, errlen, "unknown option '-%c'",
			 optopt != 0 ? optopt : '?');
		return;
	}
	len = strcspn(arg + 2, "=");
	snprintf(name, sizeof(name), "%.*s", (int)len, arg + 2);
	for (i = 0; i < conf_n_opts; i++)
		if (strncmp(conf_opts[i].name, name, strlen(name)) == 0)
			n++;
	if (n > 1)
		conf_err(err, errlen, "ambiguous option '--%s' (%u options "
			 "start so)", name, n);
	else
		conf_err(err, errlen, "unknown option '%s'",
			 conf_quote(arg, q, sizeof(q)));
}

/*
 * First pass: the --config file, if any. --help and --version skip it, so
 * that they work whatever state the file is in.
 */
static int
find_config(int argc, char **argv, const struct getopt_tables *t,
	    const char **path, char *err, size_t errlen)
{
	const struct conf_opt *o;
	bool skip = false;
	int ch;

	*path = NULL;
	optind = 0;	/* 0, not 1: glibc then forgets any earlier scan */
	while ((ch = getopt_long(argc, argv, t->sopts, t->lopts, NULL)) != -1) {
		o = opt_of(ch);
		if (o == NULL)
			continue;	/* the second pass reports it */
		if (o->set == conf_set_flag)
			skip = true;
		if (o->set != conf_set_config)
			continue;
		if (*path != NULL) {
			conf_err(err, errlen, "--config: given twice");
			return -1;
		}
		if (*optarg == '\0') {
			conf_err(err, errlen, "--config: empty value");
			return -1;
		}
		*path = optarg;
	}
	if (skip)
		*path = NULL;
	return 0;
}

static int
apply_args(struct dpt_conf *c, int argc, char **argv,
	   const struct getopt_tables *t, char *err, size_t errlen)
{
	char why[DPT_CONF_ERR_MAX], q[CONF_QUOTE_MAX];
	const struct conf_opt *o;
	bool cli_iface = false;
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, t->sopts, t->lopts, NULL)) != -1) {
		if (ch == '?') {
			bad_option(argc, argv, err, errlen);
			return -1;
		}
		if (ch == ':') {
			o = opt_of(optopt);
			conf_err(err, errlen, "--%s: missing value (%s)",
				 o != NULL ? o->name : "?",
				 o != NULL ? o->arg : "?");
			return -1;
		}
		o = opt_of(ch);
		if (o == NULL)
			continue;
		/* --iface on the command line replaces the file's list
		 * rather than adding to it: the command line overrides. */
		if (o->set == conf_set_iface && !cli_iface) {
			c->n_ifaces = 0;
			memset(c->ifaces, 0, sizeof(c->ifaces));
			cli_iface = true;
		}
		if (conf_opt_apply(c, o, optarg, why, sizeof(why)) < 0) {
			conf_err(err, errlen, "--%s: %s", o->name, why);
			return -1;
		}
	}
	if (optind < argc) {
		conf_err(err, errlen, "unexpected argument '%s'",
			 conf_quote(argv[optind], q, sizeof(q)));
		return -1;
	}
	return 0;
}

int
dpt_conf_parse(struct dpt_conf *c, int argc, char **argv, char *err,
	       size_t errlen)
{
	struct getopt_tables t;
	const char *path;
	struct dpt_conf tmp;
	int saved_opterr = opterr, rc;

	if (argc < 1 || argv == NULL)
		return 0;
	build_tables(&t);
	opterr = 0;	/* errors come back in err, never on stderr */
	tmp = *c;
	rc = find_config(argc, argv, &t, &path, err, errlen);
	if (rc == 0 && path != NULL)
		rc = dpt_conf_load_file(&tmp, path, err, errlen);
	if (rc == 0)
		rc = apply_args(&tmp, argc, argv, &t, err, errlen);
	opterr = saved_opterr;
	if (rc == 0)
		*c = tmp;
	return rc;
}
