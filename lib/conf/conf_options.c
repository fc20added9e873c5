/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The option table: the one place an option is described. The command
 * line, the INI file, the defaults, --help, validation and the dump all
 * walk it, so adding a row is all it takes to add a setting everywhere.
 */

#include <stddef.h>
#include <string.h>

#include "conf_internal.h"

#define FIELD(m) \
	.off = offsetof(struct dpt_conf, m), \
	.width = sizeof(((struct dpt_conf *)0)->m)

const char *const conf_section_names[CONF_SEC_COUNT] = {
	[CONF_SEC_SERVER] = "server",
	[CONF_SEC_TFTP] = "tftp",
	[CONF_SEC_DATAPLANE] = "dataplane",
	[CONF_SEC_CACHE] = "cache",
	[CONF_SEC_UPLOAD] = "upload",
	[CONF_SEC_LOG] = "log",
	[CONF_SEC_CONSOLE] = "console",
	[CONF_SEC_EAL] = "eal",
	[CONF_SEC_CLI] = "command line",
};

static const char *const upload_names[] = {
	[DPT_UPLOAD_OFF] = "off",
	[DPT_UPLOAD_CREATE] = "create",
	[DPT_UPLOAD_REPLACE] = "replace",
	NULL,
};

static const char *const yes_no[] = { "no", "yes", NULL };

static const char *const layout_names[] = {
	[DPT_LAYOUT_AUTO] = "auto",
	[DPT_LAYOUT_PIPELINE] = "pipeline",
	[DPT_LAYOUT_COMPACT] = "compact",
	NULL,
};

const struct dpt_opt conf_opts[] = {
	/* [server] */
	{ .name = "root", .arg = "DIR", .group = CONF_SEC_SERVER,
	  .help = "serve the files under DIR (required)",
	  .kind = DPT_OPT_STRING, FIELD(root) },
	{ .name = "listen", .arg = "ADDR[:PORT]", .group = CONF_SEC_SERVER,
	  .help = "address for requests; IPv6 as [::]:69; port 69 if absent",
	  .def = "0.0.0.0:69",
	  .kind = DPT_OPT_CUSTOM, .set = conf_set_listen,
	  .show = conf_show_listen },
	{ .name = "port-range", .arg = "LO:HI", .group = CONF_SEC_SERVER,
	  .help = "server ports for sessions; must hold --max-sessions ports",
	  .def = "49152:65535",
	  .kind = DPT_OPT_CUSTOM, .set = conf_set_port_range,
	  .show = conf_show_port_range },
	{ .name = "max-sessions", .arg = "N", .group = CONF_SEC_SERVER,
	  .help = "most sessions open at once (1..1000000)", .def = "4096",
	  .kind = DPT_OPT_UINT, FIELD(max_sessions), .min = 1, .max = 1000000 },
	{ .name = "backend", .arg = "NAME", .group = CONF_SEC_SERVER,
	  .help = "socket (kernel UDP sockets) or ethdev (DPDK ports)",
	  .def = "socket",
	  .kind = DPT_OPT_CUSTOM, .set = conf_set_backend,
	  .show = conf_show_backend },
	{ .name = "iface", .arg = "NAME", .group = CONF_SEC_SERVER,
	  .help = "serve on interface NAME through AF_PACKET; repeatable "
		  "(up to 8); implies --backend ethdev",
	  .kind = DPT_OPT_CUSTOM, .set = conf_set_iface,
	  .show = conf_show_ifaces },
	{ .name = "ip", .arg = "A.B.C.D/P", .group = CONF_SEC_SERVER,
	  .help = "IPv4 address and prefix of the last --iface (it needs "
		  "--ip, --ip6 or both)",
	  .kind = DPT_OPT_CUSTOM, .set = conf_set_ip },
	{ .name = "ip6", .arg = "ADDR/P", .group = CONF_SEC_SERVER,
	  .help = "IPv6 address and prefix of the last --iface; it also "
		  "answers on its link-local address",
	  .kind = DPT_OPT_CUSTOM, .set = conf_set_ip6 },
	{ .name = "vlan", .arg = "ID", .group = CONF_SEC_SERVER,
	  .help = "VLAN of the last --iface (1..4094); untagged if absent",
	  .kind = DPT_OPT_CUSTOM, .set = conf_set_iface_u16,
	  .off = offsetof(struct dpt_conf_iface, vlan), .min = 1, .max = 4094 },
	{ .name = "mtu", .arg = "N", .group = CONF_SEC_SERVER,
	  .help = "MTU of the last --iface (68..9702); the interface's own "
		  "if absent",
	  .kind = DPT_OPT_CUSTOM, .set = conf_set_iface_u16,
	  .off = offsetof(struct dpt_conf_iface, mtu), .min = 68, .max = 9702 },
	{ .name = "rx-queues", .arg = "N", .group = CONF_SEC_SERVER,
	  .help = "RX queues of the last --iface (1..16), flows spread by "
		  "RSS (af_packet: the kernel's fanout); 1 if absent",
	  .kind = DPT_OPT_CUSTOM, .set = conf_set_iface_u16,
	  .off = offsetof(struct dpt_conf_iface, rx_queues), .min = 1,
	  .max = DPT_CONF_MAX_RX_QUEUES },
	{ .name = "xdp", .arg = "MODE", .group = CONF_SEC_SERVER,
	  .help = "reach the last --iface through AF_XDP (net_af_xdp) "
		  "instead of AF_PACKET: auto (zero-copy where the driver "
		  "has it, else copy), copy, zero-copy (or refuse to start), "
		  "off",
	  .kind = DPT_OPT_CUSTOM, .set = conf_set_iface_xdp },
	{ .name = "xdp-busy-poll", .arg = "N", .group = CONF_SEC_SERVER,
	  .help = "AF_XDP busy polling of the last --iface, N packets per "
		  "poll (1..1024; the kernel's SO_PREFER_BUSY_POLL); off if "
		  "absent",
	  .kind = DPT_OPT_CUSTOM, .set = conf_set_iface_u16,
	  .off = offsetof(struct dpt_conf_iface, xdp_busy_poll), .min = 1,
	  .max = DPT_CONF_XDP_BUSY_MAX },
	{ .name = "instance", .arg = "NAME", .group = CONF_SEC_SERVER,
	  .help = "name of this instance: EAL's file prefix, which "
		  "dpdk-telemetry.py -f and dpdk-dumpcap --file-prefix take; "
		  "a second instance on the host needs another",
	  .def = "dptftpd", .kind = DPT_OPT_STRING, FIELD(instance),
	  .set = conf_set_instance },

	{ .name = "user", .arg = "NAME", .group = CONF_SEC_SERVER,
	  .help = "once the ports are up, run as NAME and its groups, with "
		  "no capability left but what a running port needs (root: "
		  "stay root); started as root, the default is tftp if it "
		  "exists, else nobody",
	  .kind = DPT_OPT_STRING, FIELD(user),
	  .set = conf_set_user },
	{ .name = "serve-private", .arg = "yes|no", .group = CONF_SEC_SERVER,
	  .help = "also serve files without the world-read bit (tftpd-hpa "
		  "-p); no: ERROR 2 for them, as tftpd-hpa",
	  .def = "no", .kind = DPT_OPT_ENUM, FIELD(serve_private),
	  .names = yes_no },

	{ .name = "single-port", .arg = "yes|no", .group = CONF_SEC_SERVER,
	  .help = "every session answers from the listening port (for "
		  "firewalls and NAT); sessions then land by client hash",
	  .def = "no", .kind = DPT_OPT_ENUM, FIELD(single_port),
	  .names = yes_no },
	{ .name = "max-per-client", .arg = "N", .group = CONF_SEC_SERVER,
	  .help = "most sessions one client address may hold (0: no limit); "
		  "more get ERROR 3", .def = "0", .kind = DPT_OPT_UINT,
	  FIELD(max_per_client), .min = 1, .max = 1000000,
	  .flags = DPT_OPT_F_ZERO_OK },
	{ .name = "reply-limit", .arg = "N", .group = CONF_SEC_SERVER,
	  .help = "most ERROR and ICMP echo replies a second to one client "
		  "address, bursts of a tenth (0: no limit); more are dropped "
		  "and counted", .def = "100", .kind = DPT_OPT_UINT,
	  FIELD(reply_limit), .min = 1, .max = 1000000,
	  .flags = DPT_OPT_F_ZERO_OK },
	{ .name = "reply-limit-total", .arg = "N", .group = CONF_SEC_SERVER,
	  .help = "most ERROR replies a second in all, and ICMP echo "
		  "replies per port (0: no limit)", .def = "1000",
	  .kind = DPT_OPT_UINT, FIELD(reply_limit_total), .min = 1,
	  .max = 1000000, .flags = DPT_OPT_F_ZERO_OK },
	{ .name = "map-file", .arg = "FILE", .group = CONF_SEC_SERVER,
	  .help = "filename remapping rules, as tftpd-hpa's --map-file "
		  "(re-read on SIGHUP)",
	  .kind = DPT_OPT_STRING, FIELD(map_file),
	  .flags = DPT_OPT_F_EMPTY_OK },

	{ .name = "drain-timeout", .arg = "DURATION",
	  .group = CONF_SEC_SERVER,
	  .help = "on SIGTERM, SIGINT or quit, take no new request and let "
		  "the transfers running finish for up to DURATION, then end "
		  "the rest (0..1h; 0: at once; a second signal: now)",
	  .def = "5s", .kind = DPT_OPT_DURATION, FIELD(drain_timeout_us),
	  .min = 0, .max = 3600000000u },

	/* [tftp] */
	{ .name = "blksize-max", .arg = "N", .group = CONF_SEC_TFTP,
	  .help = "largest blksize granted (8..65464); 0: the path MTU "
		  "minus 32",
	  .def = "0", .kind = DPT_OPT_UINT, FIELD(blksize_max),
	  .min = 8, .max = 65464, .flags = DPT_OPT_F_ZERO_OK },
	{ .name = "windowsize-max", .arg = "N", .group = CONF_SEC_TFTP,
	  .help = "largest windowsize granted (1..65535)", .def = "64",
	  .kind = DPT_OPT_UINT, FIELD(windowsize_max), .min = 1, .max = 65535 },
	{ .name = "refuse", .arg = "OPTION[,OPTION...]",
	  .group = CONF_SEC_TFTP,
	  .help = "options never granted, as if unknown: blksize, timeout, "
		  "tsize, windowsize (for ROMs that ask, then break)",
	  .kind = DPT_OPT_STRING, FIELD(refuse),
	  .set = conf_set_refuse },
	{ .name = "blksize-max-for", .arg = "SUBNET=N",
	  .group = CONF_SEC_TFTP,
	  .help = "blksize ceiling for clients in SUBNET (like "
		  "10.1.0.0/16=1024; repeatable; longest prefix wins)",
	  .kind = DPT_OPT_STRING, FIELD(blksize_rules),
	  .set = conf_set_blksize_for },
	{ .name = "timeout", .arg = "DURATION", .group = CONF_SEC_TFTP,
	  .help = "wait before a retransmission (10ms..255s)", .def = "1s",
	  .kind = DPT_OPT_DURATION, FIELD(timeout_us),
	  .min = 10000, .max = 255000000 },
	{ .name = "retries", .arg = "N", .group = CONF_SEC_TFTP,
	  .help = "retransmissions before a session is dropped (1..255)",
	  .def = "5", .kind = DPT_OPT_UINT, FIELD(retries), .min = 1,
	  .max = 255 },
	{ .name = "pacing", .arg = "yes|no", .group = CONF_SEC_TFTP,
	  .help = "after a loss, spread a session's windows over its RTT in "
		  "bursts that halve on each loss and double back each "
		  "window acknowledged whole; no effect on a clean path",
	  .def = "yes", .kind = DPT_OPT_ENUM, FIELD(pacing), .names = yes_no },
	{ .name = "session-rate", .arg = "RATE", .group = CONF_SEC_TFTP,
	  .help = "most bits a second of DATA one download sends (950M, "
		  "2.5G; k M G T are powers of 1000; 0: no limit); blocks "
		  "wait for it, lock-step and windows alike",
	  .def = "0", .kind = DPT_OPT_CUSTOM, FIELD(session_rate),
	  .set = conf_set_rate, .show = conf_show_rate },

	/* [dataplane] */
	{ .name = "workers", .arg = "N", .group = CONF_SEC_DATAPLANE,
	  .help = "worker lcores (0..64); 0: the CPUs left after RX and TX",
	  .def = "0", .kind = DPT_OPT_UINT, FIELD(workers),
	  .min = 0, .max = DPT_CONF_MAX_WORKERS },
	{ .name = "balance", .arg = "NAME", .group = CONF_SEC_DATAPLANE,
	  .help = "where new sessions go: round-robin, client-hash or "
		  "least-loaded",
	  .def = "round-robin",
	  .kind = DPT_OPT_CUSTOM, .set = conf_set_balance,
	  .show = conf_show_balance },
	{ .name = "layout", .arg = "NAME", .group = CONF_SEC_DATAPLANE,
	  .help = "pipeline: RX, TX and each worker on its own lcore; "
		  "compact: all in turn on one lcore (fewest wake-ups, best "
		  "on small hosts); auto: pipeline when the CPUs allow",
	  .def = "auto", .kind = DPT_OPT_ENUM, FIELD(layout),
	  .names = layout_names },
	{ .name = "worker-ring", .arg = "N", .group = CONF_SEC_DATAPLANE,
	  .help = "slots in each RX-to-worker ring (power of two, 64..65536)",
	  .def = "256", .kind = DPT_OPT_UINT, FIELD(worker_ring),
	  .min = 64, .max = 65536, .flags = DPT_OPT_F_POW2 },
	{ .name = "tx-ring", .arg = "N", .group = CONF_SEC_DATAPLANE,
	  .help = "slots in each worker-to-TX ring (power of two, 64..65536)",
	  .def = "1024", .kind = DPT_OPT_UINT, FIELD(tx_ring),
	  .min = 64, .max = 65536, .flags = DPT_OPT_F_POW2 },
	{ .name = "port-rate", .arg = "RATE", .group = CONF_SEC_DATAPLANE,
	  .help = "most bits a second of DATA each port sends, all sessions "
		  "together (10G, 950M; k M G T are powers of 1000; 0: no "
		  "limit); sessions wait for it",
	  .def = "0", .kind = DPT_OPT_CUSTOM, FIELD(port_rate),
	  .set = conf_set_rate, .show = conf_show_rate },
	{ .name = "idle-sleep-max", .arg = "DURATION",
	  .group = CONF_SEC_DATAPLANE,
	  .help = "longest sleep of an idle poll loop (0..100ms)",
	  .def = "500us", .kind = DPT_OPT_DURATION, FIELD(idle_sleep_max_us),
	  .min = 0, .max = 100000 },
	{ .name = "idle-spins", .arg = "N", .group = CONF_SEC_DATAPLANE,
	  .help = "empty polls before an idle loop sleeps (0..1000000)",
	  .def = "64", .kind = DPT_OPT_UINT, FIELD(idle_spins),
	  .min = 0, .max = 1000000 },

	/* [cache] */
	{ .name = "cache-size", .arg = "SIZE", .group = CONF_SEC_CACHE,
	  .help = "memory for cached files (1M..1T; K, M, G, T are powers "
		  "of 1024)",
	  .def = "512M", .kind = DPT_OPT_SIZE, FIELD(cache_size),
	  .min = UINT64_C(1) << 20, .max = UINT64_C(1) << 40 },
	{ .name = "preload", .arg = "FILE[,FILE...]", .group = CONF_SEC_CACHE,
	  .help = "load these files into the cache at start (repeatable; "
		  "names as clients ask for them)",
	  .kind = DPT_OPT_STRING, FIELD(preload),
	  .set = conf_set_list },
	{ .name = "zero-copy-min", .arg = "BYTES", .group = CONF_SEC_CACHE,
	  .help = "DATA blocks this big or bigger leave without a copy, "
		  "pointing into the cache, where the port sends mbuf "
		  "chains (0: always copy)",
	  .def = "1024", .kind = DPT_OPT_UINT, FIELD(zero_copy_min),
	  .min = 0, .max = 65464 },
	{ .name = "max-open-files", .arg = "N", .group = CONF_SEC_CACHE,
	  .help = "descriptors the cache keeps open (16..1048576), the least "
		  "recently used closed first; keep it well under the "
		  "process's limit (ulimit -n)",
	  .def = "256", .kind = DPT_OPT_UINT, FIELD(max_open_files),
	  .min = 16, .max = 1048576 },

	/* [log] */
	/* [upload] */
	{ .name = "allow-upload", .arg = "POLICY", .group = CONF_SEC_UPLOAD,
	  .help = "WRQ: off; create (new files only, ERROR 6 if it exists); "
		  "replace (also overwrite existing files)",
	  .def = "off", .kind = DPT_OPT_ENUM, FIELD(upload),
	  .names = upload_names },
	{ .name = "upload-dir", .arg = "DIR", .group = CONF_SEC_UPLOAD,
	  .help = "folder under the root uploads may go to (repeatable); "
		  "anywhere under the root if none",
	  .kind = DPT_OPT_STRING, FIELD(upload_dirs),
	  .set = conf_set_list },
	{ .name = "upload-pattern", .arg = "GLOB", .group = CONF_SEC_UPLOAD,
	  .help = "file names uploads may have, as fnmatch patterns on the "
		  "path under the root (repeatable); any if none",
	  .kind = DPT_OPT_STRING, FIELD(upload_patterns),
	  .set = conf_set_list },
	{ .name = "upload-max", .arg = "SIZE", .group = CONF_SEC_UPLOAD,
	  .help = "largest upload (0: no limit); a larger tsize is refused "
		  "at once with ERROR 3",
	  .def = "1G", .kind = DPT_OPT_SIZE, FIELD(upload_max),
	  .min = 1, .max = UINT64_C(1) << 50, .flags = DPT_OPT_F_ZERO_OK },
	{ .name = "upload-mode", .arg = "OCTAL", .group = CONF_SEC_UPLOAD,
	  .help = "permissions of uploaded files, 0666 at most (no "
		  "setuid, setgid, sticky or execute bit)", .def = "0644",
	  .kind = DPT_OPT_CUSTOM, FIELD(upload_mode),
	  .set = conf_set_mode, .show = conf_show_mode },
	{ .name = "upload-fsync", .arg = "yes|no", .group = CONF_SEC_UPLOAD,
	  .help = "make each upload durable (file and folder synced) before "
		  "its final ACK", .def = "yes", .kind = DPT_OPT_ENUM,
	  FIELD(upload_fsync), .names = yes_no },

	{ .name = "stats-period", .arg = "S", .group = CONF_SEC_LOG,
	  .help = "log the counters every S seconds, 0 for never (0..86400)",
	  .def = "0", .kind = DPT_OPT_UINT, FIELD(stats_period_s),
	  .min = 0, .max = 86400 },
	{ .name = "log-level", .arg = "LEVEL", .group = CONF_SEC_LOG,
	  .help = "emerg, alert, crit, err, warning, notice, info or debug",
	  .def = "notice", .kind = DPT_OPT_STRING, FIELD(log_level),
	  .set = conf_set_log_level },

	{ .name = "transfer-log", .arg = "SINK", .group = CONF_SEC_LOG,
	  .help = "where a record of each transfer goes when it ends: "
		  "syslog (one line, the journal's way), off, or FILE "
		  "(JSON lines, reopened on SIGHUP for logrotate); auto: "
		  "syslog, or off with -i",
	  .def = "auto", .kind = DPT_OPT_STRING, FIELD(transfer_log),
	  .flags = DPT_OPT_F_EMPTY_OK },

	{ .name = "metrics-listen", .arg = "ADDR:PORT",
	  .group = CONF_SEC_LOG,
	  .help = "serve Prometheus metrics (OpenMetrics) at "
		  "http://ADDR:PORT/metrics, like 127.0.0.1:9469 or "
		  "[::]:9469; off if absent",
	  .def = "off", .kind = DPT_OPT_CUSTOM, .set = conf_set_metrics,
	  .show = conf_show_metrics },

	/* [console] */
	{ .name = "cmdline-file", .arg = "FILE", .group = CONF_SEC_CONSOLE,
	  .help = "run the console commands in FILE once the dataplane is up",
	  .kind = DPT_OPT_STRING, FIELD(cmdline_file),
	  .flags = DPT_OPT_F_EMPTY_OK },
	{ .name = "console-socket", .arg = "PATH", .group = CONF_SEC_CONSOLE,
	  .help = "serve the console on a Unix socket at PATH "
		  "(scripts/dptftp-console connects to it)",
	  .kind = DPT_OPT_STRING, FIELD(console_socket),
	  .flags = DPT_OPT_F_EMPTY_OK },

	/* [eal] */
	{ .name = "eal-args", .arg = "ARGS", .group = CONF_SEC_EAL,
	  .help = "EAL arguments (cores, devices: '-l 0-3 -a 0000:03:00.0'), "
		  "split at spaces, used when the command line has none "
		  "before '--': a DPDK NIC from the systemd unit as shipped",
	  .kind = DPT_OPT_STRING, FIELD(eal_args),
	  .flags = DPT_OPT_F_EMPTY_OK },
	{ .name = "hugepages", .arg = "SIZE", .group = CONF_SEC_EAL,
	  .help = "hugepage memory to reserve before the start (2M pages, "
		  "and hugetlbfs mounted): what --reserve-hugepages, the "
		  "unit's ExecStartPre, does; 0: none",
	  .def = "0", .kind = DPT_OPT_SIZE, FIELD(hugepages),
	  .min = UINT64_C(2) << 20, .max = UINT64_C(1) << 40,
	  .flags = DPT_OPT_F_ZERO_OK },

	/* the command line only */
	{ .name = "config", .arg = "FILE", .group = CONF_SEC_CLI,
	  .help = "read settings from an INI file; the command line wins",
	  .kind = DPT_OPT_STRING, FIELD(config_file) },
	{ .name = "interactive", .short_name = 'i', .group = CONF_SEC_CLI,
	  .help = "console prompt on the terminal; quit or Ctrl-D stops the "
		  "server",
	  .kind = DPT_OPT_FLAG, FIELD(interactive),
	  .flags = DPT_OPT_F_NO_SHOW },
	{ .name = "reserve-hugepages", .group = CONF_SEC_CLI,
	  .help = "reserve [eal] hugepages (as root), mount hugetlbfs and "
		  "exit; nothing when hugepages is 0 (the systemd unit's "
		  "ExecStartPre)",
	  .kind = DPT_OPT_FLAG, FIELD(reserve_hugepages),
	  .flags = DPT_OPT_F_NO_SHOW },
	{ .name = "man", .group = CONF_SEC_CLI,
	  .help = "write the manual page (troff) and exit",
	  .kind = DPT_OPT_FLAG, FIELD(man), .flags = DPT_OPT_F_NO_SHOW },
	{ .name = "sample-config", .group = CONF_SEC_CLI,
	  .help = "write a commented INI file of every setting and exit",
	  .kind = DPT_OPT_FLAG, FIELD(sample_config),
	  .flags = DPT_OPT_F_NO_SHOW },
	{ .name = "help", .short_name = 'h', .group = CONF_SEC_CLI,
	  .help = "show this help and exit",
	  .kind = DPT_OPT_FLAG, FIELD(help), .flags = DPT_OPT_F_NO_SHOW },
	{ .name = "version", .short_name = 'V', .group = CONF_SEC_CLI,
	  .help = "show the version and exit",
	  .kind = DPT_OPT_FLAG, FIELD(version), .flags = DPT_OPT_F_NO_SHOW },
};

const unsigned int conf_n_opts = CONF_DIM(conf_opts);

_Static_assert(CONF_DIM(conf_opts) <= DPT_OPT_MAX,
	       "the option table outgrew DPT_OPT_MAX");

const struct dpt_opt_table conf_table = {
	.rows = conf_opts,
	.n_rows = CONF_DIM(conf_opts),
	.groups = conf_section_titles,
	.n_groups = CONF_SEC_COUNT,
	.flags = DPT_OPT_T_MAN_STOP,
};

void
dpt_conf_defaults(struct dpt_conf *c)
{
	memset(c, 0, sizeof(*c));
	dpt_opt_defaults(&conf_table, c);
}

void
dpt_conf_dump(const struct dpt_conf *c, FILE *f)
{
	dpt_opt_dump(&conf_table, c, f);
}
