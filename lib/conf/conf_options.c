/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The option table: the one place an option is described. The command
 * line, the INI file, the defaults, --help, validation and the dump all
 * walk it, so adding a row is all it takes to add a setting everywhere.
 */

#include <errno.h>
#include <inttypes.h>
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

const struct conf_opt conf_opts[] = {
	/* [server] */
	{ .name = "root", .arg = "DIR", .section = CONF_SEC_SERVER,
	  .help = "serve the files under DIR (required)",
	  .kind = CONF_CUSTOM, FIELD(root),
	  .set = conf_set_root, .show = conf_show_string },
	{ .name = "listen", .arg = "ADDR[:PORT]", .section = CONF_SEC_SERVER,
	  .help = "address for requests; IPv6 as [::]:69; port 69 if absent",
	  .def = "0.0.0.0:69",
	  .kind = CONF_CUSTOM, .set = conf_set_listen,
	  .show = conf_show_listen },
	{ .name = "port-range", .arg = "LO:HI", .section = CONF_SEC_SERVER,
	  .help = "server ports for sessions; must hold --max-sessions ports",
	  .def = "49152:65535",
	  .kind = CONF_CUSTOM, .set = conf_set_port_range,
	  .show = conf_show_port_range },
	{ .name = "max-sessions", .arg = "N", .section = CONF_SEC_SERVER,
	  .help = "most sessions open at once (1..1000000)", .def = "4096",
	  .kind = CONF_UINT, FIELD(max_sessions), .min = 1, .max = 1000000 },
	{ .name = "backend", .arg = "NAME", .section = CONF_SEC_SERVER,
	  .help = "socket (kernel UDP sockets) or ethdev (DPDK ports)",
	  .def = "socket",
	  .kind = CONF_CUSTOM, .set = conf_set_backend,
	  .show = conf_show_backend },
	{ .name = "iface", .arg = "NAME", .section = CONF_SEC_SERVER,
	  .help = "serve on interface NAME through AF_PACKET; repeatable "
		  "(up to 8); implies --backend ethdev",
	  .kind = CONF_CUSTOM, .set = conf_set_iface,
	  .show = conf_show_ifaces },
	{ .name = "ip", .arg = "A.B.C.D/P", .section = CONF_SEC_SERVER,
	  .help = "IPv4 address and prefix of the last --iface (it needs "
		  "--ip, --ip6 or both)",
	  .kind = CONF_CUSTOM, .set = conf_set_ip },
	{ .name = "ip6", .arg = "ADDR/P", .section = CONF_SEC_SERVER,
	  .help = "IPv6 address and prefix of the last --iface; it also "
		  "answers on its link-local address",
	  .kind = CONF_CUSTOM, .set = conf_set_ip6 },
	{ .name = "vlan", .arg = "ID", .section = CONF_SEC_SERVER,
	  .help = "VLAN of the last --iface (1..4094); untagged if absent",
	  .kind = CONF_CUSTOM, .set = conf_set_iface_u16,
	  .off = offsetof(struct dpt_conf_iface, vlan), .min = 1, .max = 4094 },
	{ .name = "mtu", .arg = "N", .section = CONF_SEC_SERVER,
	  .help = "MTU of the last --iface (68..9702); the interface's own "
		  "if absent",
	  .kind = CONF_CUSTOM, .set = conf_set_iface_u16,
	  .off = offsetof(struct dpt_conf_iface, mtu), .min = 68, .max = 9702 },
	{ .name = "rx-queues", .arg = "N", .section = CONF_SEC_SERVER,
	  .help = "RX queues of the last --iface (1..16), flows spread by "
		  "RSS (af_packet: the kernel's fanout); 1 if absent",
	  .kind = CONF_CUSTOM, .set = conf_set_iface_u16,
	  .off = offsetof(struct dpt_conf_iface, rx_queues), .min = 1,
	  .max = DPT_CONF_MAX_RX_QUEUES },
	{ .name = "xdp", .arg = "MODE", .section = CONF_SEC_SERVER,
	  .help = "reach the last --iface through AF_XDP (net_af_xdp) "
		  "instead of AF_PACKET: auto (zero-copy where the driver "
		  "has it, else copy), copy, zero-copy (or refuse to start), "
		  "off",
	  .kind = CONF_CUSTOM, .set = conf_set_iface_xdp },
	{ .name = "xdp-busy-poll", .arg = "N", .section = CONF_SEC_SERVER,
	  .help = "AF_XDP busy polling of the last --iface, N packets per "
		  "poll (1..1024; the kernel's SO_PREFER_BUSY_POLL); off if "
		  "absent",
	  .kind = CONF_CUSTOM, .set = conf_set_iface_u16,
	  .off = offsetof(struct dpt_conf_iface, xdp_busy_poll), .min = 1,
	  .max = DPT_CONF_XDP_BUSY_MAX },
	{ .name = "instance", .arg = "NAME", .section = CONF_SEC_SERVER,
	  .help = "name of this instance: EAL's file prefix, which "
		  "dpdk-telemetry.py -f and dpdk-dumpcap --file-prefix take; "
		  "a second instance on the host needs another",
	  .def = "dptftpd", .kind = CONF_CUSTOM, FIELD(instance),
	  .set = conf_set_instance, .show = conf_show_string },

	{ .name = "user", .arg = "NAME", .section = CONF_SEC_SERVER,
	  .help = "once the ports are up, run as NAME and its groups, with "
		  "no capability left but what a running port needs (root: "
		  "stay root); started as root, the default is tftp if it "
		  "exists, else nobody",
	  .kind = CONF_CUSTOM, FIELD(user),
	  .set = conf_set_user, .show = conf_show_string },
	{ .name = "serve-private", .arg = "yes|no", .section = CONF_SEC_SERVER,
	  .help = "also serve files without the world-read bit (tftpd-hpa "
		  "-p); no: ERROR 2 for them, as tftpd-hpa",
	  .def = "no", .kind = CONF_ENUM, FIELD(serve_private),
	  .names = yes_no },

	{ .name = "single-port", .arg = "yes|no", .section = CONF_SEC_SERVER,
	  .help = "every session answers from the listening port (for "
		  "firewalls and NAT); sessions then land by client hash",
	  .def = "no", .kind = CONF_ENUM, FIELD(single_port),
	  .names = yes_no },
	{ .name = "max-per-client", .arg = "N", .section = CONF_SEC_SERVER,
	  .help = "most sessions one client address may hold (0: no limit); "
		  "more get ERROR 3", .def = "0", .kind = CONF_UINT,
	  FIELD(max_per_client), .min = 1, .max = 1000000,
	  .flags = CONF_F_ZERO_OK },
	{ .name = "reply-limit", .arg = "N", .section = CONF_SEC_SERVER,
	  .help = "most ERROR and ICMP echo replies a second to one client "
		  "address, bursts of a tenth (0: no limit); more are dropped "
		  "and counted", .def = "100", .kind = CONF_UINT,
	  FIELD(reply_limit), .min = 1, .max = 1000000,
	  .flags = CONF_F_ZERO_OK },
	{ .name = "reply-limit-total", .arg = "N", .section = CONF_SEC_SERVER,
	  .help = "most ERROR replies a second in all, and ICMP echo "
		  "replies per port (0: no limit)", .def = "1000",
	  .kind = CONF_UINT, FIELD(reply_limit_total), .min = 1,
	  .max = 1000000, .flags = CONF_F_ZERO_OK },
	{ .name = "map-file", .arg = "FILE", .section = CONF_SEC_SERVER,
	  .help = "filename remapping rules, as tftpd-hpa's --map-file "
		  "(re-read on SIGHUP)",
	  .kind = CONF_CUSTOM, FIELD(map_file),
	  .set = conf_set_string, .show = conf_show_string },

	{ .name = "drain-timeout", .arg = "DURATION",
	  .section = CONF_SEC_SERVER,
	  .help = "on SIGTERM, SIGINT or quit, take no new request and let "
		  "the transfers running finish for up to DURATION, then end "
		  "the rest (0..1h; 0: at once; a second signal: now)",
	  .def = "5s", .kind = CONF_DURATION, FIELD(drain_timeout_us),
	  .min = 0, .max = 3600000000u },

	/* [tftp] */
	{ .name = "blksize-max", .arg = "N", .section = CONF_SEC_TFTP,
	  .help = "largest blksize granted (8..65464); 0: the path MTU "
		  "minus 32",
	  .def = "0", .kind = CONF_UINT, FIELD(blksize_max),
	  .min = 8, .max = 65464, .flags = CONF_F_ZERO_OK },
	{ .name = "windowsize-max", .arg = "N", .section = CONF_SEC_TFTP,
	  .help = "largest windowsize granted (1..65535)", .def = "64",
	  .kind = CONF_UINT, FIELD(windowsize_max), .min = 1, .max = 65535 },
	{ .name = "refuse", .arg = "OPTION[,OPTION...]",
	  .section = CONF_SEC_TFTP,
	  .help = "options never granted, as if unknown: blksize, timeout, "
		  "tsize, windowsize (for ROMs that ask, then break)",
	  .kind = CONF_CUSTOM, FIELD(refuse),
	  .set = conf_set_refuse, .show = conf_show_string },
	{ .name = "blksize-max-for", .arg = "SUBNET=N",
	  .section = CONF_SEC_TFTP,
	  .help = "blksize ceiling for clients in SUBNET (like "
		  "10.1.0.0/16=1024; repeatable; longest prefix wins)",
	  .kind = CONF_CUSTOM, FIELD(blksize_rules),
	  .set = conf_set_blksize_for, .show = conf_show_string },
	{ .name = "timeout", .arg = "DURATION", .section = CONF_SEC_TFTP,
	  .help = "wait before a retransmission (10ms..255s)", .def = "1s",
	  .kind = CONF_DURATION, FIELD(timeout_us),
	  .min = 10000, .max = 255000000 },
	{ .name = "retries", .arg = "N", .section = CONF_SEC_TFTP,
	  .help = "retransmissions before a session is dropped (1..255)",
	  .def = "5", .kind = CONF_UINT, FIELD(retries), .min = 1, .max = 255 },
	{ .name = "pacing", .arg = "yes|no", .section = CONF_SEC_TFTP,
	  .help = "after a loss, spread a session's windows over its RTT in "
		  "bursts that halve on each loss and grow back a block a "
		  "clean window; no effect on a clean path",
	  .def = "yes", .kind = CONF_ENUM, FIELD(pacing), .names = yes_no },

	/* [dataplane] */
	{ .name = "workers", .arg = "N", .section = CONF_SEC_DATAPLANE,
	  .help = "worker lcores (0..64); 0: the CPUs left after RX and TX",
	  .def = "0", .kind = CONF_UINT, FIELD(workers),
	  .min = 0, .max = DPT_CONF_MAX_WORKERS },
	{ .name = "balance", .arg = "NAME", .section = CONF_SEC_DATAPLANE,
	  .help = "where new sessions go: round-robin, client-hash or "
		  "least-loaded",
	  .def = "round-robin",
	  .kind = CONF_CUSTOM, .set = conf_set_balance,
	  .show = conf_show_balance },
	{ .name = "layout", .arg = "NAME", .section = CONF_SEC_DATAPLANE,
	  .help = "pipeline: RX, TX and each worker on its own lcore; "
		  "compact: all in turn on one lcore (fewest wake-ups, best "
		  "on small hosts); auto: pipeline when the CPUs allow",
	  .def = "auto", .kind = CONF_ENUM, FIELD(layout),
	  .names = layout_names },
	{ .name = "worker-ring", .arg = "N", .section = CONF_SEC_DATAPLANE,
	  .help = "slots in each RX-to-worker ring (power of two, 64..65536)",
	  .def = "256", .kind = CONF_UINT, FIELD(worker_ring),
	  .min = 64, .max = 65536, .flags = CONF_F_POW2 },
	{ .name = "tx-ring", .arg = "N", .section = CONF_SEC_DATAPLANE,
	  .help = "slots in each worker-to-TX ring (power of two, 64..65536)",
	  .def = "1024", .kind = CONF_UINT, FIELD(tx_ring),
	  .min = 64, .max = 65536, .flags = CONF_F_POW2 },
	{ .name = "idle-sleep-max", .arg = "DURATION",
	  .section = CONF_SEC_DATAPLANE,
	  .help = "longest sleep of an idle poll loop (0..100ms)",
	  .def = "500us", .kind = CONF_DURATION, FIELD(idle_sleep_max_us),
	  .min = 0, .max = 100000 },
	{ .name = "idle-spins", .arg = "N", .section = CONF_SEC_DATAPLANE,
	  .help = "empty polls before an idle loop sleeps (0..1000000)",
	  .def = "64", .kind = CONF_UINT, FIELD(idle_spins),
	  .min = 0, .max = 1000000 },

	/* [cache] */
	{ .name = "cache-size", .arg = "SIZE", .section = CONF_SEC_CACHE,
	  .help = "memory for cached files (1M..1T; K, M, G, T are powers "
		  "of 1024)",
	  .def = "512M", .kind = CONF_SIZE, FIELD(cache_size),
	  .min = UINT64_C(1) << 20, .max = UINT64_C(1) << 40 },
	{ .name = "preload", .arg = "FILE[,FILE...]", .section = CONF_SEC_CACHE,
	  .help = "load these files into the cache at start (repeatable; "
		  "names as clients ask for them)",
	  .kind = CONF_CUSTOM, FIELD(preload),
	  .set = conf_set_list, .show = conf_show_string },
	{ .name = "zero-copy-min", .arg = "BYTES", .section = CONF_SEC_CACHE,
	  .help = "DATA blocks this big or bigger leave without a copy, "
		  "pointing into the cache, where the port sends mbuf "
		  "chains (0: always copy)",
	  .def = "1024", .kind = CONF_UINT, FIELD(zero_copy_min),
	  .min = 0, .max = 65464 },
	{ .name = "max-open-files", .arg = "N", .section = CONF_SEC_CACHE,
	  .help = "descriptors the cache keeps open (16..1048576), the least "
		  "recently used closed first; keep it well under the "
		  "process's limit (ulimit -n)",
	  .def = "256", .kind = CONF_UINT, FIELD(max_open_files),
	  .min = 16, .max = 1048576 },

	/* [log] */
	/* [upload] */
	{ .name = "allow-upload", .arg = "POLICY", .section = CONF_SEC_UPLOAD,
	  .help = "WRQ: off; create (new files only, ERROR 6 if it exists); "
		  "replace (also overwrite existing files)",
	  .def = "off", .kind = CONF_ENUM, FIELD(upload),
	  .names = upload_names },
	{ .name = "upload-dir", .arg = "DIR", .section = CONF_SEC_UPLOAD,
	  .help = "folder under the root uploads may go to (repeatable); "
		  "anywhere under the root if none",
	  .kind = CONF_CUSTOM, FIELD(upload_dirs),
	  .set = conf_set_list, .show = conf_show_string },
	{ .name = "upload-pattern", .arg = "GLOB", .section = CONF_SEC_UPLOAD,
	  .help = "file names uploads may have, as fnmatch patterns on the "
		  "path under the root (repeatable); any if none",
	  .kind = CONF_CUSTOM, FIELD(upload_patterns),
	  .set = conf_set_list, .show = conf_show_string },
	{ .name = "upload-max", .arg = "SIZE", .section = CONF_SEC_UPLOAD,
	  .help = "largest upload (0: no limit); a larger tsize is refused "
		  "at once with ERROR 3",
	  .def = "1G", .kind = CONF_SIZE, FIELD(upload_max),
	  .min = 1, .max = UINT64_C(1) << 50, .flags = CONF_F_ZERO_OK },
	{ .name = "upload-mode", .arg = "OCTAL", .section = CONF_SEC_UPLOAD,
	  .help = "permissions of uploaded files, 0666 at most (no "
		  "setuid, setgid, sticky or execute bit)", .def = "0644",
	  .kind = CONF_CUSTOM, FIELD(upload_mode),
	  .set = conf_set_mode, .show = conf_show_mode },
	{ .name = "upload-fsync", .arg = "yes|no", .section = CONF_SEC_UPLOAD,
	  .help = "make each upload durable (file and folder synced) before "
		  "its final ACK", .def = "yes", .kind = CONF_ENUM,
	  FIELD(upload_fsync), .names = yes_no },

	{ .name = "stats-period", .arg = "S", .section = CONF_SEC_LOG,
	  .help = "log the counters every S seconds, 0 for never (0..86400)",
	  .def = "0", .kind = CONF_UINT, FIELD(stats_period_s),
	  .min = 0, .max = 86400 },
	{ .name = "log-level", .arg = "LEVEL", .section = CONF_SEC_LOG,
	  .help = "emerg, alert, crit, err, warning, notice, info or debug",
	  .def = "notice", .kind = CONF_CUSTOM, FIELD(log_level),
	  .set = conf_set_log_level, .show = conf_show_string },

	{ .name = "transfer-log", .arg = "SINK", .section = CONF_SEC_LOG,
	  .help = "where a record of each transfer goes when it ends: "
		  "syslog (one line, the journal's way), off, or FILE "
		  "(JSON lines, reopened on SIGHUP for logrotate); auto: "
		  "syslog, or off with -i",
	  .def = "auto", .kind = CONF_CUSTOM, FIELD(transfer_log),
	  .set = conf_set_string, .show = conf_show_string },

	{ .name = "metrics-listen", .arg = "ADDR:PORT",
	  .section = CONF_SEC_LOG,
	  .help = "serve Prometheus metrics (OpenMetrics) at "
		  "http://ADDR:PORT/metrics, like 127.0.0.1:9469 or "
		  "[::]:9469; off if absent",
	  .def = "off", .kind = CONF_CUSTOM, .set = conf_set_metrics,
	  .show = conf_show_metrics },

	/* [console] */
	{ .name = "cmdline-file", .arg = "FILE", .section = CONF_SEC_CONSOLE,
	  .help = "run the console commands in FILE once the dataplane is up",
	  .kind = CONF_CUSTOM, FIELD(cmdline_file),
	  .set = conf_set_string, .show = conf_show_string },
	{ .name = "console-socket", .arg = "PATH", .section = CONF_SEC_CONSOLE,
	  .help = "serve the console on a Unix socket at PATH "
		  "(scripts/dptftp-console connects to it)",
	  .kind = CONF_CUSTOM, FIELD(console_socket),
	  .set = conf_set_string, .show = conf_show_string },

	/* [eal] */
	{ .name = "eal-args", .arg = "ARGS", .section = CONF_SEC_EAL,
	  .help = "EAL arguments (cores, devices: '-l 0-3 -a 0000:03:00.0'), "
		  "split at spaces, used when the command line has none "
		  "before '--': a DPDK NIC from the systemd unit as shipped",
	  .kind = CONF_CUSTOM, FIELD(eal_args),
	  .set = conf_set_string, .show = conf_show_string },
	{ .name = "hugepages", .arg = "SIZE", .section = CONF_SEC_EAL,
	  .help = "hugepage memory to reserve before the start (2M pages, "
		  "and hugetlbfs mounted): what --reserve-hugepages, the "
		  "unit's ExecStartPre, does; 0: none",
	  .def = "0", .kind = CONF_SIZE, FIELD(hugepages),
	  .min = UINT64_C(2) << 20, .max = UINT64_C(1) << 40,
	  .flags = CONF_F_ZERO_OK },

	/* the command line only */
	{ .name = "config", .arg = "FILE", .section = CONF_SEC_CLI,
	  .help = "read settings from an INI file; the command line wins",
	  .kind = CONF_CUSTOM, FIELD(config_file),
	  .set = conf_set_config, .show = conf_show_string },
	{ .name = "interactive", .short_name = 'i', .section = CONF_SEC_CLI,
	  .help = "console prompt on the terminal; quit or Ctrl-D stops the "
		  "server",
	  .kind = CONF_CUSTOM, FIELD(interactive), .set = conf_set_flag },
	{ .name = "reserve-hugepages", .section = CONF_SEC_CLI,
	  .help = "reserve [eal] hugepages (as root), mount hugetlbfs and "
		  "exit; nothing when hugepages is 0 (the systemd unit's "
		  "ExecStartPre)",
	  .kind = CONF_CUSTOM, FIELD(reserve_hugepages),
	  .set = conf_set_flag },
	{ .name = "man", .section = CONF_SEC_CLI,
	  .help = "write the manual page (troff) and exit",
	  .kind = CONF_CUSTOM, FIELD(man), .set = conf_set_flag },
	{ .name = "sample-config", .section = CONF_SEC_CLI,
	  .help = "write a commented INI file of every setting and exit",
	  .kind = CONF_CUSTOM, FIELD(sample_config), .set = conf_set_flag },
	{ .name = "help", .short_name = 'h', .section = CONF_SEC_CLI,
	  .help = "show this help and exit",
	  .kind = CONF_CUSTOM, FIELD(help), .set = conf_set_flag },
	{ .name = "version", .short_name = 'V', .section = CONF_SEC_CLI,
	  .help = "show the version and exit",
	  .kind = CONF_CUSTOM, FIELD(version), .set = conf_set_flag },
};

const unsigned int conf_n_opts = CONF_DIM(conf_opts);

const struct conf_opt *
conf_opt_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < conf_n_opts; i++)
		if (strcmp(conf_opts[i].name, name) == 0)
			return &conf_opts[i];
	return NULL;
}

uint64_t
conf_opt_get(const struct dpt_conf *c, const struct conf_opt *o)
{
	const char *p = (const char *)c + o->off;

	switch (o->width) {
	case 1: return *(const uint8_t *)p;
	case 2: return *(const uint16_t *)p;
	case 4: return *(const uint32_t *)p;
	default: return *(const uint64_t *)p;
	}
}

static void
opt_put(struct dpt_conf *c, const struct conf_opt *o, uint64_t v)
{
	char *p = (char *)c + o->off;

	switch (o->width) {
	case 1: *(uint8_t *)p = (uint8_t)v; break;
	case 2: *(uint16_t *)p = (uint16_t)v; break;
	case 4: *(uint32_t *)p = (uint32_t)v; break;
	default: *(uint64_t *)p = v; break;
	}
}

/* Whole units read best in ranges: "10ms..255s", "1M..1T". */
static const char *
fmt_value(const struct conf_opt *o, uint64_t v, char *buf, size_t len)
{
	static const char sizes[] = "KMGT";
	int i;

	if (o->kind == CONF_DURATION) {
		if (v == 0)
			snprintf(buf, len, "0");
		else if (v % 1000000 == 0)
			snprintf(buf, len, "%" PRIu64 "s", v / 1000000);
		else if (v != 0 && v % 1000 == 0)
			snprintf(buf, len, "%" PRIu64 "ms", v / 1000);
		else
			snprintf(buf, len, "%" PRIu64 "us", v);
		return buf;
	}
	if (o->kind == CONF_SIZE && v != 0) {
		for (i = 3; i >= 0; i--) {
			uint64_t unit = UINT64_C(1) << (10 * (i + 1));

			if (v % unit == 0) {
				snprintf(buf, len, "%" PRIu64 "%c", v / unit,
					 sizes[i]);
				return buf;
			}
		}
	}
	snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

int
conf_opt_check(const struct conf_opt *o, uint64_t v, const char *val,
	       char *err, size_t errlen)
{
	char q[CONF_QUOTE_MAX], vb[32], lo[32], hi[32];

	if (v == 0 && (o->flags & CONF_F_ZERO_OK))
		return 0;
	if (val == NULL)
		val = fmt_value(o, v, vb, sizeof(vb));
	fmt_value(o, o->min, lo, sizeof(lo));
	fmt_value(o, o->max, hi, sizeof(hi));
	if (v < o->min || v > o->max) {
		conf_err(err, errlen, "'%s' is out of range (%s%s..%s)",
			 conf_quote(val, q, sizeof(q)),
			 (o->flags & CONF_F_ZERO_OK) ? "0 or " : "", lo, hi);
		return -1;
	}
	/* rte_ring sizes are powers of two; better said here than by EAL */
	if ((o->flags & CONF_F_POW2) && (v & (v - 1)) != 0) {
		conf_err(err, errlen, "'%s' is not a power of two (%s..%s)",
			 conf_quote(val, q, sizeof(q)), lo, hi);
		return -1;
	}
	return 0;
}

/* One of o->names: stored as its index. */
static int
enum_apply(struct dpt_conf *c, const struct conf_opt *o, const char *val,
	   char *err, size_t errlen)
{
	char q[CONF_QUOTE_MAX], list[128];
	size_t off = 0;
	unsigned int i;

	for (i = 0; o->names[i] != NULL; i++) {
		if (strcmp(val, o->names[i]) == 0) {
			opt_put(c, o, i);
			return 0;
		}
		off += (size_t)snprintf(list + off, off < sizeof(list) ?
					sizeof(list) - off : 0, "%s%s",
					i ? ", " : "", o->names[i]);
	}
	conf_err(err, errlen, "unknown value '%s' (%s)",
		 conf_quote(val, q, sizeof(q)), list);
	return -1;
}

int
conf_opt_apply(struct dpt_conf *c, const struct conf_opt *o,
	       const char *val, char *err, size_t errlen)
{
	static const char *const what[] = {
		[CONF_UINT] = "is not a number",
		[CONF_DURATION] = "is not a duration (like 500ms, 2s, 250us)",
		[CONF_SIZE] = "is not a size (like 4096, 64M, 1G)",
	};
	char q[CONF_QUOTE_MAX];
	uint64_t v = 0;
	int rc;

	if (o->kind == CONF_CUSTOM)
		return o->set(c, o, val, err, errlen);
	if (val == NULL)
		val = "";
	if (o->kind == CONF_ENUM)
		return enum_apply(c, o, val, err, errlen);
	if (o->kind == CONF_UINT)
		rc = conf_strtou64(val, &v);
	else if (o->kind == CONF_DURATION)
		rc = conf_duration(val, &v);
	else
		rc = conf_size(val, &v);
	if (rc == -EINVAL) {
		conf_err(err, errlen, "'%s' %s", conf_quote(val, q, sizeof(q)),
			 what[o->kind]);
		return -1;
	}
	if (rc == -EDOM) {
		conf_err(err, errlen, "'%s' is finer than a microsecond",
			 conf_quote(val, q, sizeof(q)));
		return -1;
	}
	if (rc == -ERANGE)
		v = UINT64_MAX;	/* then "out of range (lo..hi)" */
	if (conf_opt_check(o, v, val, err, errlen) < 0)
		return -1;
	opt_put(c, o, v);
	return 0;
}

/*
 * Durations print in one unit a script can rely on: milliseconds when
 * whole, else microseconds ("timeout: 1000ms", "idle-sleep-max: 500us").
 */
void
conf_opt_show(const struct dpt_conf *c, const struct conf_opt *o, FILE *f)
{
	uint64_t v;

	if (o->kind == CONF_CUSTOM) {
		if (o->show != NULL)
			o->show(c, o, f);
		return;
	}
	if (o->kind == CONF_ENUM) {
		fprintf(f, "%s: %s\n", o->name, o->names[conf_opt_get(c, o)]);
		return;
	}
	v = conf_opt_get(c, o);
	if (o->kind == CONF_DURATION && v % 1000 == 0)
		fprintf(f, "%s: %" PRIu64 "ms\n", o->name, v / 1000);
	else if (o->kind == CONF_DURATION)
		fprintf(f, "%s: %" PRIu64 "us\n", o->name, v);
	else
		fprintf(f, "%s: %" PRIu64 "\n", o->name, v);
}

void
dpt_conf_defaults(struct dpt_conf *c)
{
	char err[DPT_CONF_ERR_MAX];
	unsigned int i;

	memset(c, 0, sizeof(*c));
	/* Through the setters, so --help's defaults are the real ones. */
	for (i = 0; i < conf_n_opts; i++)
		if (conf_opts[i].def != NULL)
			conf_opt_apply(c, &conf_opts[i], conf_opts[i].def, err,
				       sizeof(err));
}

void
dpt_conf_dump(const struct dpt_conf *c, FILE *f)
{
	unsigned int i;

	for (i = 0; i < conf_n_opts; i++)
		conf_opt_show(c, &conf_opts[i], f);
}
