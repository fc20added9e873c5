/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The command line: one table (lib/opt's rows) says each option's name,
 * value, range, field, default and help line; parsing, --help, the manual
 * and the error messages all come from it. The setters here are the
 * bench's own values (files, addresses, a rate); numbers, durations,
 * sizes, names and text are lib/opt's, in the bench's words. Checks
 * across options come after (bench_args.c).
 */

#include <errno.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "bench_opts.h"

#define VERSION "0.1.0"

/* The bench's values: durations also in minutes and hours, any case,
 * rounded to the microsecond; sizes with a fraction ("1.5K"). */
static const struct dpt_opt_unit duration_units[] = {
	{ "", DPT_BENCH_S },	/* a bare number is seconds */
	{ "us", 1 },
	{ "ms", DPT_BENCH_MS },
	{ "s", DPT_BENCH_S },
	{ "m", 60 * DPT_BENCH_S },
	{ "h", 3600 * DPT_BENCH_S },
	{ NULL, 0 },
};

static const struct dpt_opt_scale durations = {
	.units = duration_units,
	.flags = DPT_OPT_S_ANYCASE | DPT_OPT_S_FRACTION | DPT_OPT_S_ROUND |
		 DPT_OPT_S_DOT,
};

static const struct dpt_opt_scale sizes = {
	.units = dpt_opt_size_units,
	.flags = DPT_OPT_S_ANYCASE | DPT_OPT_S_FRACTION | DPT_OPT_S_DOT,
};

const struct dpt_opt_lang dpt_bench_lang = {
	.duration = &durations,
	.size = &sizes,
	.msg = {
		[DPT_OPT_M_NOT_UINT] = "'{val}' is not a whole number",
		[DPT_OPT_M_NOT_DURATION] = "'{val}' is not a duration (250us, "
					   "500ms, 2s, 1m, or seconds)",
		[DPT_OPT_M_NOT_SIZE] = "'{val}' is not a size (bytes, or a "
				       "number with K, M, G or T)",
		[DPT_OPT_M_RANGE] = "{val} is outside {lo}..{hi}",
		[DPT_OPT_M_ENUM] = "'{val}' is not {either}",
		[DPT_OPT_M_EMPTY] = "needs a value",
		[DPT_OPT_M_MISSING] = "option '{word}' needs a value",
	},
};

/* --server and --bind: parsed now, so a bad one is said before the run. */
static int
set_addr(void *obj, const struct dpt_opt *d, const char *arg, char *err,
	 size_t errlen)
{
	struct dpt_bench_opts *o = obj;
	bool server = d->off == offsetof(struct dpt_bench_opts, server);

	if (dpt_bench_parse_addr(arg, server ? DPT_TFTP_PORT : 0,
				 server ? &o->server_addr : &o->bind_addr,
				 server ? &o->server_len : &o->bind_len) < 0)
		return dpt_opt_err(err, errlen, "'%s' is not an address "
				   "(A.B.C.D[:PORT], [V6]:PORT or a host name)",
				   arg);
	*(const char **)(void *)((char *)obj + d->off) = arg;
	return 0;
}

/* --get, --files: a list, cut up in place (argv is ours, like getopt's
 * permutations). */
static int
set_files(void *obj, const struct dpt_opt *d, const char *arg, char *err,
	  size_t errlen)
{
	struct dpt_bench_opts *o = obj;
	char *save = NULL, *name;

	for (name = strtok_r((char *)(uintptr_t)arg, ",", &save);
	     name != NULL; name = strtok_r(NULL, ",", &save)) {
		if (o->n_files == DPT_BENCH_FILES_MAX)
			return dpt_opt_err(err, errlen, "more than %d files",
					   DPT_BENCH_FILES_MAX);
		if (strlen(name) >= DPT_TFTP_FILENAME_MAX)
			return dpt_opt_err(err, errlen, "file name longer "
					   "than %d bytes",
					   DPT_TFTP_FILENAME_MAX - 1);
		o->files[o->n_files++] = name;
	}
	if (o->n_files == 0)
		return dpt_opt_err(err, errlen, "needs at least one file name");
	return 0;
}

static int
set_backend(void *obj, const struct dpt_opt *d, const char *arg, char *err,
	    size_t errlen)
{
	struct dpt_bench_opts *o = obj;
	unsigned int i;

	for (i = 0; i < dpt_bench_n_backends; i++) {
		if (strcmp(arg, dpt_bench_backends[i].name) == 0) {
			o->backend = &dpt_bench_backends[i];
			return 0;
		}
	}
	return dpt_opt_err(err, errlen, "'%s' is not a backend of this build "
			   "(%s)", arg, dpt_bench_n_backends > 1 ?
			   "socket, dpdk" : "socket");
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
set_cidr(void *obj, const struct dpt_opt *d, const char *arg, char *err,
	 size_t errlen)
{
	struct dpt_bench_opts *o = obj;
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(arg, '/');
	unsigned long prefix, max;
	char *end;

	if (slash == NULL || (size_t)(slash - arg) >= sizeof(addr))
		return dpt_opt_err(err, errlen, "'%s' is not ADDR/PREFIX "
				   "(192.0.2.20/24 or 2001:db8::20/64)", arg);
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
		return dpt_opt_err(err, errlen, "'%s' is not ADDR/PREFIX with "
				   "a prefix of 1..32 (IPv4) or 1..128 (IPv6)",
				   arg);
	o->ip_prefix = (uint8_t)prefix;
	o->ip = arg;
	return 0;
}

static int
set_gateway(void *obj, const struct dpt_opt *d, const char *arg, char *err,
	    size_t errlen)
{
	struct dpt_bench_opts *o = obj;

	if ((parse_ipv4(arg, &o->gateway_addr) < 0 ||
	     o->gateway_addr == 0) &&
	    inet_pton(AF_INET6, arg, o->gateway6) != 1)
		return dpt_opt_err(err, errlen, "'%s' is not an IPv4 or IPv6 "
				   "address", arg);
	o->gateway = arg;
	return 0;
}

static int
set_rate(void *obj, const struct dpt_opt *d, const char *arg, char *err,
	 size_t errlen)
{
	struct dpt_bench_opts *o = obj;

	if (dpt_bench_parse_rate(arg, &o->rate) < 0)
		return dpt_opt_err(err, errlen, "'%s' is not a rate above 0 "
				   "(R, R/s or R/m)", arg);
	return 0;
}

/* --help, --man, --version: said at once; the parse ends with 1. */
static int
say(void *obj, const struct dpt_opt *d, const char *arg, char *err,
    size_t errlen)
{
	if (strcmp(d->name, "help") == 0)
		dpt_bench_usage(stdout);
	else if (strcmp(d->name, "man") == 0)
		dpt_bench_man(stdout);
	else
		printf(DPT_BENCH_PROG " " VERSION "\n");
	return 1;
}

static const char *const mode_names[] = {
	[DPT_TFTP_MODE_OCTET] = "octet",
	[DPT_TFTP_MODE_NETASCII] = "netascii",
	NULL,
};

static const char *const progress_names[] = {
	[DPT_BENCH_PROGRESS_AUTO] = "auto",
	[DPT_BENCH_PROGRESS_ALWAYS] = "always",
	[DPT_BENCH_PROGRESS_NEVER] = "never",
	NULL,
};

enum bench_group {
	G_TARGET, G_MOVE, G_TFTP, G_RETX, G_LOAD, G_DPDK, G_CHECKS, G_OUTPUT,
	G_COUNT,
};

static const char *const groups[G_COUNT] = {
	[G_TARGET] = "Target:",
	[G_MOVE] = "What to move:",
	[G_TFTP] = "TFTP options (RFC 2347-2349, 7440); none is sent unless "
		   "given:",
	[G_RETX] = "Retransmission (RFC 1350: the client resends its last "
		   "packet):",
	[G_LOAD] = "Load:",
	[G_DPDK] = "The dpdk backend (one lcore and one queue pair per "
		   "thread):",
	[G_CHECKS] = "Checks (size and CRC32C of every download):",
	[G_OUTPUT] = "Output:",
};

#define FIELD(f) .off = offsetof(struct dpt_bench_opts, f), \
	.width = sizeof(((struct dpt_bench_opts *)0)->f)
#define UINT(f, lo, hi) .kind = DPT_OPT_UINT, FIELD(f), .min = lo, .max = hi
#define DUR(f, lo, hi) .kind = DPT_OPT_DURATION, FIELD(f), .min = lo, \
	.max = hi
#define TEXT(f) .kind = DPT_OPT_STRING, FIELD(f), .flags = DPT_OPT_F_REF
#define FLAG(f) .kind = DPT_OPT_FLAG, FIELD(f)
#define CUSTOM(fn) .kind = DPT_OPT_CUSTOM, .set = fn
#define MS DPT_BENCH_MS
#define S DPT_BENCH_S

static const struct dpt_opt rows[] = {
	{ "server", 0, "ADDR[:PORT]", G_TARGET, "the TFTP server; port 69 if "
	  "absent; IPv6 as [::1]:69 (required)",
	  CUSTOM(set_addr), FIELD(server) },
	{ "bind", 0, "ADDR", G_TARGET, "send from this local address "
	  "(default: the kernel's choice); source ports go round the "
	  "ephemeral range, one per transfer",
	  CUSTOM(set_addr), FIELD(bind) },

	{ "get", 0, "FILE[,FILE...]", G_MOVE, "download these files (RRQ); "
	  "transfers take them in turn", CUSTOM(set_files) },
	{ "files", 0, "FILE[,FILE...]", G_MOVE, "the same as --get; a --storm "
	  "client fetches them in this order", CUSTOM(set_files) },
	{ "put", 0, "NAME", G_MOVE, "upload (WRQ) the pattern as NAME; {n} in "
	  "NAME becomes the transfer number, {c} the client number",
	  TEXT(put_name) },
	{ "size", 0, "SIZE", G_MOVE, "bytes per upload (required with --put "
	  "and --make-pattern)", .kind = DPT_OPT_SIZE, FIELD(size),
	  .max = UINT64_MAX / 2 },
	{ "seed", 0, "N", G_MOVE, "seed of the upload pattern", .def = "0",
	  UINT(seed, 0, UINT64_MAX) },
	{ "mode", 0, "MODE", G_MOVE, "octet or netascii", .def = "octet",
	  .kind = DPT_OPT_ENUM, FIELD(mode), .names = mode_names },

	{ "blksize", 0, "N", G_TFTP, "ask for blksize N; absent: 512",
	  UINT(blksize, DPT_TFTP_BLKSIZE_MIN, DPT_TFTP_BLKSIZE_MAX) },
	{ "windowsize", 0, "N", G_TFTP, "ask for windowsize N (ACK once per "
	  "window); absent: 1", UINT(windowsize, 1, DPT_TFTP_WINDOWSIZE_MAX) },
	{ "tsize", 0, NULL, G_TFTP, "ask for tsize (RRQ: 0, the server says "
	  "the size; WRQ: --size)", FLAG(tsize) },
	{ "timeout", 0, "S", G_TFTP, "ask for timeout S seconds; it is also "
	  "our first retransmission unless --rto is given",
	  UINT(timeout_s, DPT_TFTP_TIMEOUT_MIN, DPT_TFTP_TIMEOUT_MAX) },

	{ "rto", 0, "DURATION", G_RETX, "wait before the first "
	  "retransmission", .def = "1s", DUR(rto_us, 1 * MS, 255 * S) },
	{ "rto-max", 0, "DURATION", G_RETX, "each retransmission doubles the "
	  "wait, up to this", .def = "8s", DUR(rto_max_us, 1 * MS, 600 * S) },
	{ "retries", 0, "N", G_RETX, "retransmissions without progress before "
	  "a transfer fails", .def = "5", UINT(retries, 0, 255) },

	{ "count", 0, "N", G_LOAD, "transfers in all", .def = "1",
	  UINT(count, 1, UINT64_MAX / 2) },
	{ "concurrency", 'c', "C", G_LOAD, "transfers at once, each on its own "
	  "socket", .def = "1", UINT(concurrency, 1, 1000000) },
	{ "duration", 0, "DURATION", G_LOAD, "keep C transfers going this "
	  "long, instead of --count",
	  DUR(duration_us, 1 * MS, 30 * 86400 * S) },
	{ "storm", 0, "K", G_LOAD, "boot storm: K clients, each fetching the "
	  "--files list in order, one file at a time, instead of --count",
	  UINT(storm, 1, 1000000) },
	{ "rate", 0, "R", G_LOAD, "storm clients arriving per second (R, R/s "
	  "or R/m)", CUSTOM(set_rate) },
	{ "threads", 't', "T", G_LOAD, "threads; 0: one per CPU, never more "
	  "than transfers at once", .def = "0", UINT(threads, 0, 64) },
	{ "busy-poll", 0, NULL, G_LOAD, "never sleep while transfers run: "
	  "spares the server a wake-up of ours per datagram; the report then "
	  "separates idle polling from work", FLAG(busy_poll) },
	{ "reuse-ports", 0, NULL, G_LOAD, "let the kernel choose each "
	  "transfer's source port, so a port just freed comes straight back "
	  "to the next transfer (PXE firmware and many clients do); default: "
	  "walk the ephemeral range", FLAG(reuse_ports) },
	{ "naive-tid", 0, NULL, G_LOAD, "take the first datagram from the "
	  "server's address, whatever it is, as the transfer's TID, as simple "
	  "firmware does (default: only an OACK, ERROR, DATA 1 or ACK 0); a "
	  "late datagram of an earlier transfer on the port then derails this "
	  "one", FLAG(naive_tid) },
	{ "backend", 0, "NAME", G_LOAD, "how datagrams move: socket, kernel "
	  "UDP sockets; dpdk, a DPDK port with frames of our own",
	  .def = "socket", CUSTOM(set_backend) },

	{ "iface", 0, "IFNAME", G_DPDK, "run on net_af_packet over this Linux "
	  "interface (no other set-up needed; the kernel must not also hold "
	  "--ip there)", TEXT(iface) },
	{ "eal", 0, "'ARGS'", G_DPDK, "EAL arguments, e.g. '-a 0000:03:00.0 -l "
	  "2-6' for a NIC; what they leave out is chosen for you (see "
	  "docs/bench.md)", TEXT(eal_args) },
	{ "port-id", 0, "N", G_DPDK, "without --iface: the DPDK port to use",
	  .def = "0", UINT(port_id, 0, 65535) },
	{ "ip", 0, "ADDR/PREFIX", G_DPDK, "our address on that port, IPv4 or "
	  "IPv6 as the server's (required)", CUSTOM(set_cidr) },
	{ "gateway", 0, "ADDR", G_DPDK, "next hop when --server is not on "
	  "--ip's link", CUSTOM(set_gateway) },

	{ "verify", 0, "FILE", G_CHECKS, "every download must equal FILE",
	  TEXT(verify_file) },
	{ "verify-dir", 0, "DIR", G_CHECKS, "a download of NAME must equal "
	  "DIR/NAME", TEXT(verify_dir) },

	{ "json", 0, "FILE", G_OUTPUT, "write the summary as a JSON object "
	  "('-': stdout)", TEXT(json) },
	{ "csv", 0, "FILE", G_OUTPUT, "write one row per transfer ('-': "
	  "stdout)", TEXT(csv) },
	{ "label", 0, "TEXT", G_OUTPUT, "a name for this run, in the report, "
	  "JSON and CSV", TEXT(label) },
	{ "progress", 0, "WHEN", G_OUTPUT, "the once-a-second progress line: "
	  "auto (when stdout is a terminal), always or never", .def = "auto",
	  .kind = DPT_OPT_ENUM, FIELD(progress), .names = progress_names },
	{ "quiet", 'q', NULL, G_OUTPUT, "no report on stdout", FLAG(quiet) },
	{ "make-pattern", 0, "FILE", G_OUTPUT, "write --size bytes of the "
	  "upload pattern (--seed) to FILE, exit", TEXT(make_pattern) },
	{ "help", 'h', NULL, G_OUTPUT, "show this help and exit", CUSTOM(say) },
	{ "man", 0, NULL, G_OUTPUT, "write the manual page (troff) and exit",
	  CUSTOM(say) },
	{ "version", 'V', NULL, G_OUTPUT, "show the version and exit",
	  CUSTOM(say) },
};

_Static_assert(sizeof(rows) / sizeof(rows[0]) <= DPT_OPT_MAX,
	       "the option table outgrew DPT_OPT_MAX");

const struct dpt_opt_table dpt_bench_table = {
	.rows = rows,
	.n_rows = sizeof(rows) / sizeof(rows[0]),
	.groups = groups,
	.n_groups = G_COUNT,
	.lang = &dpt_bench_lang,
	.help_col = 25,
	.flags = DPT_OPT_T_PERMUTE | DPT_OPT_T_PAD_SHORT,
};
