/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The command line: one table says each option's name, value, range, field
 * and help line; parsing, --help and the error messages all come from it.
 * Checks across options come after, each with its own sentence.
 */

#include <errno.h>
#include <arpa/inet.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_opts.h"

#define fail dpt_bench_fail	/* "--name: why" into ps->err, -1 */

#define VERSION "0.1.0"

int
dpt_bench_fail(struct parse_state *ps, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (ps->def != NULL && ps->def->name != NULL)
		n = snprintf(ps->err, ps->err_len, "--%s: ", ps->def->name);
	if (n < 0 || (size_t)n >= ps->err_len)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->err_len - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

#define FIELD(o, T, off) ((T *)((char *)(o) + (off)))

static int
parse_uint(const char *arg, uint64_t *v)
{
	char *end;

	if (arg[0] < '0' || arg[0] > '9')
		return -1;
	errno = 0;
	*v = strtoull(arg, &end, 10);
	return errno != 0 || *end != '\0' ? -1 : 0;
}

static int
in_range(struct parse_state *ps, const char *arg, uint64_t v)
{
	if (v < ps->def->min || v > ps->def->max)
		return fail(ps, "%s is outside %llu..%llu", arg,
			    (unsigned long long)ps->def->min,
			    (unsigned long long)ps->def->max);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Setters                                                             */
/* ------------------------------------------------------------------ */

static int
set_flag(struct dpt_bench_opts *o, const char *arg, struct parse_state *ps)
{
	*FIELD(o, bool, ps->def->off) = true;
	return 0;
}

static int
set_str(struct dpt_bench_opts *o, const char *arg, struct parse_state *ps)
{
	if (arg[0] == '\0')
		return fail(ps, "needs a value");
	*FIELD(o, const char *, ps->def->off) = arg;
	return 0;
}

/* A whole number within the row's range into *v; 0 or -1. */
static int
whole_number(const char *arg, struct parse_state *ps, uint64_t *v)
{
	if (parse_uint(arg, v) < 0)
		return fail(ps, "'%s' is not a whole number", arg);
	return in_range(ps, arg, *v);
}

static int
set_u32(struct dpt_bench_opts *o, const char *arg, struct parse_state *ps)
{
	uint64_t v;

	if (whole_number(arg, ps, &v) < 0)
		return -1;
	*FIELD(o, uint32_t, ps->def->off) = (uint32_t)v;
	return 0;
}

static int
set_u64(struct dpt_bench_opts *o, const char *arg, struct parse_state *ps)
{
	uint64_t v;

	if (whole_number(arg, ps, &v) < 0)
		return -1;
	*FIELD(o, uint64_t, ps->def->off) = v;
	return 0;
}

static int
set_size(struct dpt_bench_opts *o, const char *arg, struct parse_state *ps)
{
	uint64_t v;

	if (dpt_bench_parse_size(arg, &v) < 0)
		return fail(ps, "'%s' is not a size (bytes, or a number with "
			    "K, M, G or T)", arg);
	if (in_range(ps, arg, v) < 0)
		return -1;
	*FIELD(o, uint64_t, ps->def->off) = v;
	return 0;
}

static int
set_dur(struct dpt_bench_opts *o, const char *arg, struct parse_state *ps)
{
	uint64_t v;

	if (dpt_bench_parse_duration(arg, &v) < 0)
		return fail(ps, "'%s' is not a duration (250us, 500ms, 2s, 1m, "
			    "or seconds)", arg);
	if (v < ps->def->min || v > ps->def->max)
		return fail(ps, "%s is outside %llums..%llus", arg,
			    (unsigned long long)ps->def->min / 1000,
			    (unsigned long long)ps->def->max / 1000000);
	*FIELD(o, uint64_t, ps->def->off) = v;
	return 0;
}

static int
set_addr(struct dpt_bench_opts *o, const char *arg, struct parse_state *ps)
{
	bool server = ps->def->off == offsetof(struct dpt_bench_opts, server);

	if (dpt_bench_parse_addr(arg, server ? DPT_TFTP_PORT : 0,
				 server ? &o->server_addr : &o->bind_addr,
				 server ? &o->server_len : &o->bind_len) < 0)
		return fail(ps, "'%s' is not an address (A.B.C.D[:PORT], "
			    "[V6]:PORT or a host name)", arg);
	*FIELD(o, const char *, ps->def->off) = arg;
	return 0;
}

static int
set_files(struct dpt_bench_opts *o, char *arg, struct parse_state *ps)
{
	char *save = NULL, *name;

	for (name = strtok_r(arg, ",", &save); name != NULL;
	     name = strtok_r(NULL, ",", &save)) {
		if (o->n_files == DPT_BENCH_FILES_MAX)
			return fail(ps, "more than %d files",
				    DPT_BENCH_FILES_MAX);
		if (strlen(name) >= DPT_TFTP_FILENAME_MAX)
			return fail(ps, "file name longer than %d bytes",
				    DPT_TFTP_FILENAME_MAX - 1);
		o->files[o->n_files++] = name;
	}
	if (o->n_files == 0)
		return fail(ps, "needs at least one file name");
	return 0;
}

static int
set_get(struct dpt_bench_opts *o, const char *arg, struct parse_state *ps)
{
	/* argv is ours to cut up, like getopt's permutations */
	return set_files(o, (char *)(uintptr_t)arg, ps);
}

static int
set_mode(struct dpt_bench_opts *o, const char *arg, struct parse_state *ps)
{
	static const char *const names[] = {
		[DPT_TFTP_MODE_OCTET] = "octet",
		[DPT_TFTP_MODE_NETASCII] = "netascii",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(arg, names[i]) == 0) {
			o->mode = (enum dpt_tftp_mode)i;
			return 0;
		}
	}
	return fail(ps, "'%s' is not octet or netascii", arg);
}

static int
set_progress(struct dpt_bench_opts *o, const char *arg,
	     struct parse_state *ps)
{
	static const char *const names[] = {
		[DPT_BENCH_PROGRESS_AUTO] = "auto",
		[DPT_BENCH_PROGRESS_ALWAYS] = "always",
		[DPT_BENCH_PROGRESS_NEVER] = "never",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(arg, names[i]) == 0) {
			o->progress = (enum dpt_bench_progress)i;
			return 0;
		}
	}
	return fail(ps, "'%s' is not auto, always or never", arg);
}

static int
set_backend(struct dpt_bench_opts *o, const char *arg,
	    struct parse_state *ps)
{
	unsigned int i;

	for (i = 0; i < dpt_bench_n_backends; i++) {
		if (strcmp(arg, dpt_bench_backends[i].name) == 0) {
			o->backend = &dpt_bench_backends[i];
			return 0;
		}
	}
	return fail(ps, "'%s' is not a backend of this build (%s)", arg,
		    dpt_bench_n_backends > 1 ? "socket, dpdk" : "socket");
}

/* An IPv4 address in network order; -1 when text is not one. */
static int
parse_ipv4(const char *text, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, text, &a) != 1)
		return -1;
	*out = a.s_addr;
	return 0;
}

static int
set_cidr(struct dpt_bench_opts *o, const char *arg, struct parse_state *ps)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(arg, '/');
	unsigned long prefix, max;
	char *end;

	if (slash == NULL || (size_t)(slash - arg) >= sizeof(addr))
		return fail(ps, "'%s' is not ADDR/PREFIX (192.0.2.20/24 or "
			    "2001:db8::20/64)", arg);
	memcpy(addr, arg, (size_t)(slash - arg));
	addr[slash - arg] = '\0';
	if (parse_ipv4(addr, &o->ip_addr) == 0)
		o->ip_family = AF_INET;
	else if (inet_pton(AF_INET6, addr, o->ip6) == 1)
		o->ip_family = AF_INET6;
	else
		o->ip_family = 0;
	max = o->ip_family == AF_INET6 ? 128 : 32;
	errno = 0;
	prefix = strtoul(slash + 1, &end, 10);
	if (o->ip_family == 0 || slash[1] == '\0' || *end != '\0' ||
	    errno != 0 || prefix < 1 || prefix > max)
		return fail(ps, "'%s' is not ADDR/PREFIX with a prefix of "
			    "1..32 (IPv4) or 1..128 (IPv6)", arg);
	o->ip_prefix = (uint8_t)prefix;
	o->ip = arg;
	return 0;
}

static int
set_gateway(struct dpt_bench_opts *o, const char *arg,
	    struct parse_state *ps)
{
	if ((parse_ipv4(arg, &o->gateway_addr) < 0 ||
	     o->gateway_addr == 0) &&
	    inet_pton(AF_INET6, arg, o->gateway6) != 1)
		return fail(ps, "'%s' is not an IPv4 or IPv6 address", arg);
	o->gateway = arg;
	return 0;
}

static int
set_rate(struct dpt_bench_opts *o, const char *arg, struct parse_state *ps)
{
	if (dpt_bench_parse_rate(arg, &o->rate) < 0)
		return fail(ps, "'%s' is not a rate above 0 (R, R/s or R/m)",
			    arg);
	return 0;
}

static int
set_run_mode(struct dpt_bench_opts *o, const char *arg,
	     struct parse_state *ps)
{
	static const struct {
		const char *name;
		enum dpt_bench_mode mode;
	} modes[] = {
		{ "count", DPT_BENCH_MODE_COUNT },
		{ "duration", DPT_BENCH_MODE_DURATION },
		{ "storm", DPT_BENCH_MODE_STORM },
	};
	unsigned int i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(ps->def->name, modes[i].name) == 0)
			o->run_mode = modes[i].mode;
	ps->modes++;
	if (o->run_mode == DPT_BENCH_MODE_DURATION)
		return set_dur(o, arg, ps);
	return ps->def->off == offsetof(struct dpt_bench_opts, storm) ?
	       set_u32(o, arg, ps) : set_u64(o, arg, ps);
}

static int
say_help(struct dpt_bench_opts *o, const char *arg, struct parse_state *ps)
{
	dpt_bench_usage(stdout);
	return 1;
}

static int
say_man(struct dpt_bench_opts *o, const char *arg, struct parse_state *ps)
{
	dpt_bench_man(stdout);
	return 1;
}

static int
say_version(struct dpt_bench_opts *o, const char *arg,
	    struct parse_state *ps)
{
	printf(DPT_BENCH_PROG " " VERSION "\n");
	return 1;
}

#define OFF(f) offsetof(struct dpt_bench_opts, f)
#define HEAD(text) { NULL, 0, NULL, NULL, 0, 0, 0, text }
#define MS DPT_BENCH_MS
#define S DPT_BENCH_S

const struct opt_def dpt_bench_opt_table[] = {
	HEAD("Target"),
	{ "server", 0, "ADDR[:PORT]", set_addr, OFF(server), 0, 0,
	  "the TFTP server; port 69 if absent; IPv6 as [::1]:69 (required)" },
	{ "bind", 0, "ADDR", set_addr, OFF(bind), 0, 0,
	  "send from this local address (default: the kernel's choice); "
	  "source ports go round the ephemeral range, one per transfer" },
	HEAD("What to move"),
	{ "get", 0, "FILE[,FILE...]", set_get, 0, 0, 0,
	  "download these files (RRQ); transfers take them in turn" },
	{ "files", 0, "FILE[,FILE...]", set_get, 0, 0, 0,
	  "the same as --get; a --storm client fetches them in this order" },
	{ "put", 0, "NAME", set_str, OFF(put_name), 0, 0,
	  "upload (WRQ) the pattern as NAME; {n} in NAME becomes the "
	  "transfer number, {c} the client number" },
	{ "size", 0, "SIZE", set_size, OFF(size), 0, UINT64_MAX / 2,
	  "bytes per upload (required with --put and --make-pattern)" },
	{ "seed", 0, "N", set_u64, OFF(seed), 0, UINT64_MAX,
	  "seed of the upload pattern (default: 0)" },
	{ "mode", 0, "MODE", set_mode, 0, 0, 0,
	  "octet or netascii (default: octet)" },
	HEAD("TFTP options (RFC 2347-2349, 7440); none is sent unless given"),
	{ "blksize", 0, "N", set_u32, OFF(blksize), DPT_TFTP_BLKSIZE_MIN,
	  DPT_TFTP_BLKSIZE_MAX, "ask for blksize N; absent: 512" },
	{ "windowsize", 0, "N", set_u32, OFF(windowsize), 1,
	  DPT_TFTP_WINDOWSIZE_MAX, "ask for windowsize N (ACK once per "
	  "window); absent: 1" },
	{ "tsize", 0, NULL, set_flag, OFF(tsize), 0, 0,
	  "ask for tsize (RRQ: 0, the server says the size; WRQ: --size)" },
	{ "timeout", 0, "S", set_u32, OFF(timeout_s), DPT_TFTP_TIMEOUT_MIN,
	  DPT_TFTP_TIMEOUT_MAX, "ask for timeout S seconds; it is also our "
	  "first retransmission unless --rto is given" },
	HEAD("Retransmission (RFC 1350: the client resends its last packet)"),
	{ "rto", 0, "DURATION", set_dur, OFF(rto_us), 1 * MS, 255 * S,
	  "wait before the first retransmission (default: 1s)" },
	{ "rto-max", 0, "DURATION", set_dur, OFF(rto_max_us), 1 * MS, 600 * S,
	  "each retransmission doubles the wait, up to this (default: 8s)" },
	{ "retries", 0, "N", set_u32, OFF(retries), 0, 255,
	  "retransmissions without progress before a transfer fails "
	  "(default: 5)" },
	HEAD("Load"),
	{ "count", 0, "N", set_run_mode, OFF(count), 1, UINT64_MAX / 2,
	  "transfers in all (default: 1)" },
	{ "concurrency", 'c', "C", set_u32, OFF(concurrency), 1, 1000000,
	  "transfers at once, each on its own socket (default: 1)" },
	{ "duration", 0, "DURATION", set_run_mode, OFF(duration_us), 1 * MS,
	  30 * 86400 * S, "keep C transfers going this long, instead of "
	  "--count" },
	{ "storm", 0, "K", set_run_mode, OFF(storm), 1, 1000000,
	  "boot storm: K clients, each fetching the --files list in order, "
	  "one file at a time, instead of --count" },
	{ "rate", 0, "R", set_rate, 0, 0, 0,
	  "storm clients arriving per second (R, R/s or R/m)" },
	{ "threads", 't', "T", set_u32, OFF(threads), 0, 64,
	  "threads; 0: one per CPU, never more than transfers at once "
	  "(default: 0)" },
	{ "busy-poll", 0, NULL, set_flag, OFF(busy_poll), 0, 0,
	  "never sleep while transfers run: spares the server a wake-up of "
	  "ours per datagram; the report then separates idle polling from "
	  "work" },
	{ "reuse-ports", 0, NULL, set_flag, OFF(reuse_ports), 0, 0,
	  "let the kernel choose each transfer's source port, so a port just "
	  "freed comes straight back to the next transfer (PXE firmware and "
	  "many clients do); default: walk the ephemeral range" },
	{ "naive-tid", 0, NULL, set_flag, OFF(naive_tid), 0, 0,
	  "take the first datagram from the server's address, whatever it "
	  "is, as the transfer's TID, as simple firmware does (default: only "
	  "an OACK, ERROR, DATA 1 or ACK 0); a late datagram of an earlier "
	  "transfer on the port then derails this one" },
	{ "backend", 0, "NAME", set_backend, 0, 0, 0,
	  "how datagrams move: socket, kernel UDP sockets; dpdk, a DPDK "
	  "port with frames of our own (default: socket)" },
	HEAD("The dpdk backend (one lcore and one queue pair per thread)"),
	{ "iface", 0, "IFNAME", set_str, OFF(iface), 0, 0,
	  "run on net_af_packet over this Linux interface (no other set-up "
	  "needed; the kernel must not also hold --ip there)" },
	{ "eal", 0, "'ARGS'", set_str, OFF(eal_args), 0, 0,
	  "EAL arguments, e.g. '-a 0000:03:00.0 -l 2-6' for a NIC; what "
	  "they leave out is chosen for you (see docs/bench.md)" },
	{ "port-id", 0, "N", set_u32, OFF(port_id), 0, 65535,
	  "without --iface: the DPDK port to use (default: 0)" },
	{ "ip", 0, "ADDR/PREFIX", set_cidr, 0, 0, 0,
	  "our address on that port, IPv4 or IPv6 as the server's "
	  "(required)" },
	{ "gateway", 0, "ADDR", set_gateway, 0, 0, 0,
	  "next hop when --server is not on --ip's link" },
	HEAD("Checks (size and CRC32C of every download)"),
	{ "verify", 0, "FILE", set_str, OFF(verify_file), 0, 0,
	  "every download must equal FILE" },
	{ "verify-dir", 0, "DIR", set_str, OFF(verify_dir), 0, 0,
	  "a download of NAME must equal DIR/NAME" },
	HEAD("Output"),
	{ "json", 0, "FILE", set_str, OFF(json), 0, 0,
	  "write the summary as a JSON object ('-': stdout)" },
	{ "csv", 0, "FILE", set_str, OFF(csv), 0, 0,
	  "write one row per transfer ('-': stdout)" },
	{ "label", 0, "TEXT", set_str, OFF(label), 0, 0,
	  "a name for this run, in the report, JSON and CSV" },
	{ "progress", 0, "WHEN", set_progress, 0, 0, 0,
	  "the once-a-second progress line: auto (when stdout is a "
	  "terminal), always or never (default: auto)" },
	{ "quiet", 'q', NULL, set_flag, OFF(quiet), 0, 0,
	  "no report on stdout" },
	{ "make-pattern", 0, "FILE", set_str, OFF(make_pattern), 0, 0,
	  "write --size bytes of the upload pattern (--seed) to FILE, exit" },
	{ "help", 'h', NULL, say_help, 0, 0, 0, "show this help and exit" },
	{ "man", 0, NULL, say_man, 0, 0, 0,
	  "write the manual page (troff) and exit" },
	{ "version", 'V', NULL, say_version, 0, 0, 0,
	  "show the version and exit" },
};

const size_t dpt_bench_n_opts = sizeof(dpt_bench_opt_table) /
			       sizeof(dpt_bench_opt_table[0]);

_Static_assert(sizeof(dpt_bench_opt_table) /
	       sizeof(dpt_bench_opt_table[0]) <= DPT_BENCH_OPTS_MAX,
	       "the option table outgrew DPT_BENCH_OPTS_MAX");
