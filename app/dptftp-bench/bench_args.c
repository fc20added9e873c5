/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Parsing the command line with the option table, the checks across
 * options (each with its own sentence), and --help.
 */

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench_opts.h"

#define fail dpt_bench_fail	/* "--name: why" into ps->err, -1 */


/* Prints text from column 29, wrapped before column 80. */
static void
print_wrapped(FILE *f, const char *text)
{
	const int indent = 29, width = 79;
	int col = indent, n;
	const char *w = text;

	while (*w != '\0') {
		n = (int)strcspn(w, " ");
		if (col > indent && col + 1 + n > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", n, w);
		col += n;
		w += n;
		w += strspn(w, " ");
	}
	fputc('\n', f);
}

void
dpt_bench_usage(FILE *f)
{
	char left[64];
	size_t i;

	fprintf(f, "Usage: " DPT_BENCH_PROG " --server ADDR[:PORT] "
		"(--get FILES | --put NAME --size SIZE) [options]\n\n"
		"Drives TFTP transfers against any server, checks every byte "
		"and reports\ngoodput, transfers/s, latency percentiles and "
		"failures by reason.\n");
	for (i = 0; i < dpt_bench_n_opts; i++) {
		const struct opt_def *d = &dpt_bench_opt_table[i];

		if (d->name == NULL) {
			fprintf(f, "\n%s:\n", d->help);
			continue;
		}
		if (d->short_name != 0)
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
				 d->short_name, d->name,
				 d->arg != NULL ? " " : "",
				 d->arg != NULL ? d->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", d->name,
				 d->arg != NULL ? " " : "",
				 d->arg != NULL ? d->arg : "");
		if (strlen(left) >= 26)
			fprintf(f, "  %s\n%29s", left, "");
		else
			fprintf(f, "  %-26s ", left);
		print_wrapped(f, d->help);
	}
	fprintf(f, "\nDurations: 250us, 500ms, 2s, 1m, 1h, or seconds. Sizes: "
		"bytes, or K, M, G, T\n(powers of 1024). Bad input: one line "
		"on stderr, exit status 1.\n\nExamples:\n"
		"  " DPT_BENCH_PROG " --server 10.0.0.1 --get boot.img "
		"--blksize 1468 --count 100 -c 10\n"
		"  " DPT_BENCH_PROG " --server 10.0.0.1 --files pxelinux.0,"
		"vmlinuz,initrd.img \\\n      --storm 1000 --rate 50/s "
		"--verify-dir /srv/tftp --json storm.json\n"
		"  " DPT_BENCH_PROG " --server 10.0.0.1 --put 'up/{n}.bin' "
		"--size 4M --windowsize 16 --duration 30s -c 64\n");
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */
/* ------------------------------------------------------------------ */

static void
defaults(struct dpt_bench_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->op = DPT_TFTP_RRQ;
	o->mode = DPT_TFTP_MODE_OCTET;
	o->rto_us = 1 * DPT_BENCH_S;
	o->rto_max_us = 8 * DPT_BENCH_S;
	o->retries = 5;
	o->run_mode = DPT_BENCH_MODE_COUNT;
	o->count = 1;
	o->concurrency = 1;
	o->backend = &dpt_bench_backends[0];
	o->progress = DPT_BENCH_PROGRESS_AUTO;
}

static bool
seen(const struct parse_state *ps, const char *name)
{
	size_t i;

	for (i = 0; i < dpt_bench_n_opts; i++)
		if (dpt_bench_opt_table[i].name != NULL &&
		    strcmp(dpt_bench_opt_table[i].name, name) == 0)
			return ps->seen[i];
	return false;
}

/* The dpdk backend's options: all of them with it, none without. */
static int
validate_dpdk(const struct dpt_bench_opts *o, struct parse_state *ps)
{
	static const char *const own[] = { "iface", "eal", "port-id", "ip",
					   "gateway" };
	size_t i;

	if (!o->backend->dpdk) {
		for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
			if (seen(ps, own[i]))
				return fail(ps, "--%s needs --backend dpdk",
					    own[i]);
		return 0;
	}
	if (o->ip == NULL)
		return fail(ps, "--backend dpdk needs --ip ADDR/PREFIX, our "
			    "address on the port");
	if (o->server_addr.ss_family != o->ip_family)
		return fail(ps, "--server and --ip are not of one family "
			    "(IPv4 and IPv6)");
	if (o->gateway != NULL &&
	    (strchr(o->gateway, ':') != NULL) != (o->ip_family == AF_INET6))
		return fail(ps, "--gateway and --ip are not of one family "
			    "(IPv4 and IPv6)");
	if (o->bind != NULL)
		return fail(ps, "--bind is the socket backend's; --backend "
			    "dpdk sends from --ip");
	if (o->iface != NULL && seen(ps, "port-id"))
		return fail(ps, "--iface and --port-id are exclusive");
	if (o->iface == NULL && o->eal_args == NULL)
		return fail(ps, "--backend dpdk needs a port: --iface IFNAME "
			    "(net_af_packet) or --eal '-a PCI ...'");
	return 0;
}

/* Checks across options, in the order a user would fix them. */
static int
validate(struct dpt_bench_opts *o, struct parse_state *ps)
{
	char name[DPT_TFTP_FILENAME_MAX];
	uint32_t slots;
	long cpus;

	ps->def = NULL;
	if (o->make_pattern != NULL)
		return seen(ps, "size") ? 0 :
		       fail(ps, "--make-pattern needs --size");
	if (o->server == NULL)
		return fail(ps, "--server is required");
	if (o->n_files != 0 && o->put_name != NULL)
		return fail(ps, "--get and --put are exclusive");
	if (o->n_files == 0 && o->put_name == NULL)
		return fail(ps, "give files to download (--get) or a name to "
			    "upload to (--put)");
	if (o->put_name != NULL) {
		o->op = DPT_TFTP_WRQ;
		if (!seen(ps, "size"))
			return fail(ps, "--put needs --size");
		if (dpt_bench_expand_name(o->put_name, UINT64_MAX, UINT32_MAX,
					  name, sizeof(name)) < 0 ||
		    name[0] == '\0')
			return fail(ps, "--put: the name is empty or longer "
				    "than %d bytes", DPT_TFTP_FILENAME_MAX - 1);
		if (o->verify_file != NULL || o->verify_dir != NULL)
			return fail(ps, "--verify and --verify-dir check "
				    "downloads; uploads are checked on the "
				    "server");
	}
	if (ps->modes > 1)
		return fail(ps, "--count, --duration and --storm are "
			    "exclusive");
	if (validate_dpdk(o, ps) < 0)
		return -1;
	if (o->run_mode == DPT_BENCH_MODE_STORM) {
		if (o->rate == 0.0)
			return fail(ps, "--storm needs --rate");
		if (o->op == DPT_TFTP_WRQ)
			return fail(ps, "--storm fetches files: give --files, "
				    "not --put");
		if (seen(ps, "concurrency"))
			return fail(ps, "--concurrency does not apply to "
				    "--storm: each client runs one transfer "
				    "at a time");
	} else if (seen(ps, "rate")) {
		return fail(ps, "--rate applies to --storm only");
	}
	if (o->verify_file != NULL && o->verify_dir != NULL)
		return fail(ps, "--verify and --verify-dir are exclusive");
	if (o->timeout_s != 0 && !seen(ps, "rto"))
		o->rto_us = (uint64_t)o->timeout_s * DPT_BENCH_S;
	if (o->rto_max_us < o->rto_us) {
		if (seen(ps, "rto-max"))
			return fail(ps, "--rto-max is below the first "
				    "retransmission's wait");
		o->rto_max_us = o->rto_us;
	}
	if (o->run_mode == DPT_BENCH_MODE_COUNT && o->concurrency > o->count)
		o->concurrency = (uint32_t)o->count;
	slots = o->run_mode == DPT_BENCH_MODE_STORM ? o->storm :
						      o->concurrency;
	if (o->threads == 0) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		o->threads = cpus < 1 ? 1 : cpus > 64 ? 64 : (uint32_t)cpus;
	}
	if (o->threads > slots)
		o->threads = slots;
	return 0;
}

int
dpt_bench_opts_parse(int argc, char **argv, struct dpt_bench_opts *o,
		     char *err, size_t err_len)
{
	struct option longopts[DPT_BENCH_OPTS_MAX + 1];
	struct parse_state ps;
	char shortopts[2 * DPT_BENCH_OPTS_MAX + 2] = ":";
	size_t i, n = 0, sl = 1;
	int c, idx, rc;

	memset(&ps, 0, sizeof(ps));
	memset(longopts, 0, sizeof(longopts));
	ps.err = err;
	ps.err_len = err_len;
	defaults(o);
	for (i = 0; i < dpt_bench_n_opts; i++) {
		if (dpt_bench_opt_table[i].name == NULL)
			continue;
		longopts[n].name = dpt_bench_opt_table[i].name;
		longopts[n].has_arg = dpt_bench_opt_table[i].arg != NULL ?
				      required_argument : no_argument;
		longopts[n++].val = 256 + (int)i;
		if (dpt_bench_opt_table[i].short_name == 0)
			continue;
		shortopts[sl++] = dpt_bench_opt_table[i].short_name;
		if (dpt_bench_opt_table[i].arg != NULL)
			shortopts[sl++] = ':';
	}
	shortopts[sl] = '\0';
	optind = 0;		/* glibc: start afresh (tests parse often) */
	opterr = 0;		/* our own one-line messages */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			ps.def = NULL;
			return fail(&ps, c == '?' ? "unknown option '%s'" :
					 "option '%s' needs a value",
				    argv[optind - 1]);
		}
		idx = c - 256;
		for (i = 0; c < 256 && i < dpt_bench_n_opts; i++)
			if (dpt_bench_opt_table[i].short_name == c)
				idx = (int)i;
		ps.def = &dpt_bench_opt_table[idx];
		ps.seen[idx] = true;
		rc = ps.def->set(o, optarg, &ps);
		if (rc != 0)
			return rc;
	}
	if (optind < argc) {
		ps.def = NULL;
		return fail(&ps, "unexpected argument '%s'", argv[optind]);
	}
	return validate(o, &ps);
}
