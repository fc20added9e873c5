/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Parsing the command line with the option table (lib/opt), the checks
 * across options (each with its own sentence), and --help's words around
 * the table's.
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench_opts.h"

/* What the checks across options read: which options were given. */
struct check {
	const struct dpt_opt_seen *seen;
	unsigned int modes;	/* --count, --duration, --storm given */
	char *err;
	size_t err_len;
};

/* One line into ck->err; -1. */
#define fail(ck, ...) dpt_opt_err((ck)->err, (ck)->err_len, __VA_ARGS__)

static unsigned int
n_given(const struct check *ck, const char *name)
{
	return dpt_opt_seen(&dpt_bench_table, ck->seen, name);
}

static bool
seen(const struct check *ck, const char *name)
{
	return n_given(ck, name) > 0;
}

void
dpt_bench_usage(FILE *f)
{
	fprintf(f, "Usage: " DPT_BENCH_PROG " --server ADDR[:PORT] "
		"(--get FILES | --put NAME --size SIZE) [options]\n\n"
		"Drives TFTP transfers against any server, checks every byte "
		"and reports\ngoodput, transfers/s, latency percentiles and "
		"failures by reason.\n");
	dpt_opt_usage(f, &dpt_bench_table);
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

/* The dpdk backend's options: all of them with it, none without. */
static int
validate_dpdk(const struct dpt_bench_opts *o, struct check *ck)
{
	static const char *const own[] = { "iface", "eal", "port-id", "ip",
					   "gateway" };
	size_t i;

	if (!o->backend->dpdk) {
		for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
			if (seen(ck, own[i]))
				return fail(ck, "--%s needs --backend dpdk",
					    own[i]);
		return 0;
	}
	if (o->ip == NULL)
		return fail(ck, "--backend dpdk needs --ip ADDR/PREFIX, our "
			    "address on the port");
	if (o->server_addr.ss_family != o->ip_family)
		return fail(ck, "--server and --ip are not of one family "
			    "(IPv4 and IPv6)");
	if (o->gateway != NULL &&
	    (strchr(o->gateway, ':') != NULL) != (o->ip_family == AF_INET6))
		return fail(ck, "--gateway and --ip are not of one family "
			    "(IPv4 and IPv6)");
	if (o->bind != NULL)
		return fail(ck, "--bind is the socket backend's; --backend "
			    "dpdk sends from --ip");
	if (o->iface != NULL && seen(ck, "port-id"))
		return fail(ck, "--iface and --port-id are exclusive");
	if (o->iface == NULL && o->eal_args == NULL)
		return fail(ck, "--backend dpdk needs a port: --iface IFNAME "
			    "(net_af_packet) or --eal '-a PCI ...'");
	return 0;
}

/* The run's mode, from which of --count, --duration and --storm was
 * given; ck->modes counts them all (more than one is refused). */
static void
run_mode(struct dpt_bench_opts *o, struct check *ck)
{
	ck->modes = n_given(ck, "count") + n_given(ck, "duration") +
		    n_given(ck, "storm");
	if (seen(ck, "duration"))
		o->run_mode = DPT_BENCH_MODE_DURATION;
	else if (seen(ck, "storm"))
		o->run_mode = DPT_BENCH_MODE_STORM;
	else
		o->run_mode = DPT_BENCH_MODE_COUNT;
}

/* Checks across options, in the order a user would fix them. */
static int
validate(struct dpt_bench_opts *o, struct check *ck)
{
	char name[DPT_TFTP_FILENAME_MAX];
	uint32_t slots;
	long cpus;

	if (o->make_pattern != NULL)
		return seen(ck, "size") ? 0 :
		       fail(ck, "--make-pattern needs --size");
	if (o->server == NULL)
		return fail(ck, "--server is required");
	if (o->n_files != 0 && o->put_name != NULL)
		return fail(ck, "--get and --put are exclusive");
	if (o->n_files == 0 && o->put_name == NULL)
		return fail(ck, "give files to download (--get) or a name to "
			    "upload to (--put)");
	if (o->put_name != NULL) {
		o->op = DPT_TFTP_WRQ;
		if (!seen(ck, "size"))
			return fail(ck, "--put needs --size");
		if (dpt_bench_expand_name(o->put_name, UINT64_MAX, UINT32_MAX,
					  name, sizeof(name)) < 0 ||
		    name[0] == '\0')
			return fail(ck, "--put: the name is empty or longer "
				    "than %d bytes", DPT_TFTP_FILENAME_MAX - 1);
		if (o->verify_file != NULL || o->verify_dir != NULL)
			return fail(ck, "--verify and --verify-dir check "
				    "downloads; uploads are checked on the "
				    "server");
	}
	if (ck->modes > 1)
		return fail(ck, "--count, --duration and --storm are "
			    "exclusive");
	if (validate_dpdk(o, ck) < 0)
		return -1;
	if (o->run_mode == DPT_BENCH_MODE_STORM) {
		if (o->rate == 0.0)
			return fail(ck, "--storm needs --rate");
		if (o->op == DPT_TFTP_WRQ)
			return fail(ck, "--storm fetches files: give --files, "
				    "not --put");
		if (seen(ck, "concurrency"))
			return fail(ck, "--concurrency does not apply to "
				    "--storm: each client runs one transfer "
				    "at a time");
	} else if (seen(ck, "rate")) {
		return fail(ck, "--rate applies to --storm only");
	}
	if (o->verify_file != NULL && o->verify_dir != NULL)
		return fail(ck, "--verify and --verify-dir are exclusive");
	if (o->timeout_s != 0 && !seen(ck, "rto"))
		o->rto_us = (uint64_t)o->timeout_s * DPT_BENCH_S;
	if (o->rto_max_us < o->rto_us) {
		if (seen(ck, "rto-max"))
			return fail(ck, "--rto-max is below the first "
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
	struct dpt_opt_seen given;
	struct check ck = { .seen = &given, .err = err, .err_len = err_len };
	int rc;

	memset(o, 0, sizeof(*o));
	dpt_opt_defaults(&dpt_bench_table, o);
	o->op = DPT_TFTP_RRQ;
	rc = dpt_opt_parse(&dpt_bench_table, o, argc, argv, &given, err,
			   err_len);
	if (rc != 0)
		return rc;	/* -1, or 1 when --help and such were said */
	run_mode(o, &ck);
	return validate(o, &ck);
}
