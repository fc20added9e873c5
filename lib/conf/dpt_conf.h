/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_CONF_H_
#define _DPT_CONF_H_

/*
 * dptftpd's configuration: defaults, the command line, an INI file (read
 * with rte_cfgfile; the command line wins), validation, --help and a
 * `Key: value` dump. One table describes every option, so the three can
 * never disagree. Parsing never starts anything: errors come back as one
 * line of text for the caller to print.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#define DPT_CONF_PATH_MAX 4096
#define DPT_CONF_ERR_MAX 256
#define DPT_CONF_MAX_WORKERS 64
#define DPT_CONF_MAX_IFACES 8
/* --session-rate and --port-rate: 0 (no limit) or within these, bits/s */
#define DPT_CONF_RATE_MIN UINT64_C(8000)
#define DPT_CONF_RATE_MAX UINT64_C(1000000000000)
#define DPT_CONF_MAX_RX_QUEUES 16

/* How an --iface is reached when EAL has no port of its name. */
enum dpt_conf_xdp {
	DPT_XDP_OFF = 0,	/* AF_PACKET (net_af_packet) */
	DPT_XDP_AUTO,		/* AF_XDP: zero-copy where the driver has it */
	DPT_XDP_COPY,		/* AF_XDP, copy mode forced */
	DPT_XDP_ZEROCOPY,	/* AF_XDP, zero-copy or refuse to start */
};

#define DPT_CONF_XDP_BUSY_MAX 1024

enum dpt_conf_backend {
	DPT_BACKEND_SOCKET = 0,	/* kernel UDP sockets (default) */
	DPT_BACKEND_ETHDEV,	/* DPDK ports: NICs or vdevs (--iface, EAL) */
};

/* Balance strategies, in the order of lib/dp's strategy table. */
enum dpt_conf_balance {
	DPT_BALANCE_ROUND_ROBIN = 0,
	DPT_BALANCE_CLIENT_HASH,
	DPT_BALANCE_LEAST_LOADED,
	DPT_BALANCE_COUNT,
};

/* What uploads (WRQ) may do. */
enum dpt_conf_upload {
	DPT_UPLOAD_OFF = 0,
	DPT_UPLOAD_CREATE,	/* new files only */
	DPT_UPLOAD_REPLACE,	/* new files, and overwrite existing ones */
};

/* How the dataplane's stages map onto lcores. */
enum dpt_conf_layout {
	DPT_LAYOUT_AUTO = 0,	/* pipeline when each stage gets a CPU */
	DPT_LAYOUT_PIPELINE,	/* RX, TX, each worker: an lcore apiece */
	DPT_LAYOUT_COMPACT,	/* every stage in turn on one lcore */
};

/* An IPv4 or IPv6 address with a UDP port. */
struct dpt_conf_addr {
	int family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
	uint16_t port;		/* host order */
};

/* One interface of the ethdev backend (--iface NAME --ip A/P --ip6 A/P):
 * IPv4, IPv6 or both, each off while its prefix is 0. */
struct dpt_conf_iface {
	char name[32];
	struct in_addr ip;
	uint8_t prefix;
	uint16_t vlan;		/* 0: untagged */
	uint16_t mtu;		/* 0: the interface's own */
	struct in6_addr ip6;	/* besides the link-local one */
	uint8_t prefix6;
	uint16_t rx_queues;	/* RSS across this many; 0 reads as 1 */
	uint8_t xdp;		/* enum dpt_conf_xdp (--xdp MODE) */
	uint16_t xdp_busy_poll;	/* --xdp-busy-poll N: budget; 0: off */
};

struct dpt_conf {
	/* [server] */
	char root[DPT_CONF_PATH_MAX];		/* --root DIR (required) */
	struct dpt_conf_addr listen;		/* --listen ADDR[:PORT] */
	uint16_t port_lo, port_hi;		/* --port-range LO:HI */
	uint32_t max_sessions;			/* --max-sessions N */
	enum dpt_conf_backend backend;		/* --backend socket|ethdev */
	struct dpt_conf_iface ifaces[DPT_CONF_MAX_IFACES]; /* --iface, --ip,
							    * --ip6 */
	unsigned int n_ifaces;
	char instance[32];			/* --instance NAME: EAL's file
						 * prefix */

	char user[33];				/* --user NAME; "": tftp or
						 * nobody when root */
	unsigned int serve_private;		/* --serve-private yes|no */

	unsigned int single_port;		/* --single-port yes|no */
	uint32_t max_per_client;		/* --max-per-client N */
	uint32_t reply_limit;			/* --reply-limit N: ERROR and
						 * ICMP echo replies a second
						 * to one address; 0: none */
	uint32_t reply_limit_total;		/* --reply-limit-total N */
	char map_file[DPT_CONF_PATH_MAX];	/* --map-file FILE */
	uint32_t drain_timeout_us;		/* --drain-timeout DURATION */

	/* [tftp] */
	uint16_t blksize_max;			/* --blksize-max N; 0: MTU-32 */
	uint16_t windowsize_max;		/* --windowsize-max N */
	uint32_t timeout_us;			/* --timeout DURATION */
	uint8_t retries;			/* --retries N */
	unsigned int pacing;			/* --pacing yes|no */
	uint64_t session_rate;			/* --session-rate RATE, bits/s;
						 * 0: no limit */
	uint64_t port_rate;			/* --port-rate RATE, bits/s */
	char refuse[64];			/* --refuse LIST (commas) */
	char blksize_rules[1024];		/* --blksize-max-for (commas) */

	/* [dataplane] */
	unsigned int workers;			/* --workers N; 0: auto */
	enum dpt_conf_balance balance;		/* --balance NAME */
	enum dpt_conf_layout layout;		/* --layout NAME */
	uint32_t worker_ring;			/* --worker-ring N (power of 2) */
	uint32_t tx_ring;			/* --tx-ring N (power of 2) */
	uint32_t idle_sleep_max_us;		/* --idle-sleep-max DURATION */
	uint32_t idle_spins;			/* --idle-spins N */

	/* [cache] */
	uint64_t cache_size;			/* --cache-size SIZE */
	uint32_t zero_copy_min;			/* --zero-copy-min BYTES */
	uint32_t max_open_files;		/* --max-open-files N */
	char preload[DPT_CONF_PATH_MAX];	/* --preload LIST (commas) */

	/* [upload] */
	enum dpt_conf_upload upload;		/* --allow-upload POLICY */
	char upload_dirs[DPT_CONF_PATH_MAX];	/* --upload-dir (commas) */
	char upload_patterns[1024];		/* --upload-pattern (commas) */
	uint64_t upload_max;			/* --upload-max SIZE */
	unsigned int upload_mode;		/* --upload-mode OCTAL (<= 0666) */
	unsigned int upload_fsync;		/* --upload-fsync yes|no */

	/* [log] */
	uint32_t stats_period_s;		/* --stats-period S; 0: off */
	char log_level[16];			/* --log-level LEVEL */
	char transfer_log[DPT_CONF_PATH_MAX];	/* --transfer-log syslog|off|
						 * FILE|auto */
	struct dpt_conf_addr metrics_listen;	/* --metrics-listen ADDR:PORT;
						 * family 0: off */

	/* [console] */
	char cmdline_file[DPT_CONF_PATH_MAX];	/* --cmdline-file FILE */
	char console_socket[108];		/* --console-socket PATH
						 * (a sun_path) */

	/* [eal] */
	char eal_args[256];			/* --eal-args 'ARGS' */
	uint64_t hugepages;			/* --hugepages SIZE; 0: none */

	/* the command line only */
	char config_file[DPT_CONF_PATH_MAX];	/* --config FILE */
	bool reserve_hugepages;			/* --reserve-hugepages */
	bool man;				/* --man */
	bool sample_config;			/* --sample-config */
	bool interactive;			/* -i, --interactive */
	bool help;				/* --help */
	bool version;				/* --version */
};

/* Fills c with the defaults (docs/configuration.md lists them). */
void dpt_conf_defaults(struct dpt_conf *c);

/*
 * Applies argv (dptftpd's own options, EAL's already removed) over c, after
 * loading the --config file if one is named, so the command line overrides
 * the file. Returns 0, or -1 with one line in err (no newline) and c as it
 * was: "--workers: 'x' is not a number", "config.ini:12: unknown key 'foo'".
 */
int dpt_conf_parse(struct dpt_conf *c, int argc, char **argv, char *err,
		   size_t errlen);

/* Loads an INI file over c. Returns 0, or -1 with err as above, c as was. */
int dpt_conf_load_file(struct dpt_conf *c, const char *path, char *err,
		       size_t errlen);

/* A blksize ceiling for clients of one subnet (--blksize-max-for). */
struct dpt_blksize_rule {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t ip[16];
	uint8_t prefix;
	uint16_t max;
};

#define DPT_CONF_MAX_BLKSIZE_RULES 32

/* --refuse as a mask of the protocol core's DPT_TFTP_OPT_BIT()s. Returns
 * 0, or -1 with err (never for a configuration that passed
 * dpt_conf_validate()). */
int dpt_conf_refuse_mask(const struct dpt_conf *c, uint32_t *mask,
			 char *err, size_t errlen);

/* --blksize-max-for as rules, DPT_CONF_MAX_BLKSIZE_RULES of them at
 * most. Returns their number, or -1 with err (never for a configuration
 * that passed dpt_conf_validate()). */
int dpt_conf_blksize_rules(const struct dpt_conf *c,
			   struct dpt_blksize_rule *rules, char *err,
			   size_t errlen);

/*
 * Checks the whole configuration for consistency (root is a directory,
 * port range inside 1..65535 and not holding the listen port, ring sizes
 * powers of two, --user a user of this host, --upload-mode within 0666,
 * --refuse and --blksize-max-for well formed, ...). Returns 0, or -1 with
 * err.
 */
int dpt_conf_validate(const struct dpt_conf *c, char *err, size_t errlen);

/* Writes --help: usage and one line or two per option, grouped. */
void dpt_conf_usage(FILE *f, const char *prog);

/* Writes the manual page (troff, section 8) from the option table. */
void dpt_conf_man(FILE *f, const char *version);

/* Writes an INI file of every setting, each with its help as a comment
 * and commented out at its default (root set to /srv/tftp). */
void dpt_conf_sample(FILE *f);

/* Writes every setting as `Key: value` lines (for `show config`). */
void dpt_conf_dump(const struct dpt_conf *c, FILE *f);

/* Name of a strategy ("round-robin", ...), and the reverse (-1: none). */
const char *dpt_conf_balance_name(enum dpt_conf_balance b);

/* Name of an --xdp mode (enum dpt_conf_xdp): "off", "auto", ... */
const char *dpt_conf_xdp_name(unsigned int mode);
int dpt_conf_balance_parse(const char *s);
/* A log level by its syslog name ("emerg" .. "debug"): its priority, 0..7
 * (LOG_EMERG .. LOG_DEBUG; rte_log's is RTE_LOG_EMERG + it), or -1. */
int dpt_conf_log_level(const char *name);
/* The name of priority 0..7; NULL past it. */
const char *dpt_conf_log_level_name(unsigned int prio);

/*
 * Value parsers shared with the console. Each returns 0, or -1 with err:
 * numbers in [min, max]; durations "500ms", "2s", "250us" (a bare number is
 * seconds, fractions allowed); sizes "64M", "1G", "4096" (K, M, G, T are
 * powers of 1024); addresses "0.0.0.0:69", "[::]:69", "127.0.0.1" (port
 * keeps *a's when absent).
 */
/* A bit rate ("950M", "2.5G", "64k", bare bits a second; k M G T in
 * powers of 1000): 0 (no limit) or within 8k..1T. 0, or -1 with one line
 * in err. */
int dpt_conf_parse_rate(const char *s, uint64_t *v, char *err,
			size_t errlen);

/* v bits a second as --session-rate takes it back ("950M", "0"). */
const char *dpt_conf_rate_name(uint64_t v, char *buf, size_t len);

int dpt_conf_parse_uint(const char *s, uint64_t min, uint64_t max,
			uint64_t *v, char *err, size_t errlen);
int dpt_conf_parse_duration_us(const char *s, uint64_t *us, char *err,
			       size_t errlen);
int dpt_conf_parse_size(const char *s, uint64_t *bytes, char *err,
			size_t errlen);
int dpt_conf_parse_addr(const char *s, struct dpt_conf_addr *a, char *err,
			size_t errlen);

/* Formats a for printing ("127.0.0.1:69", "[::1]:69"); returns buf. */
const char *dpt_conf_addr_str(const struct dpt_conf_addr *a, char *buf,
			      size_t len);

#endif /* _DPT_CONF_H_ */
