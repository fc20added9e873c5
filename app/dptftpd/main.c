/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * dptftpd: a TFTP server on a DPDK dataplane. main() is a checklist: read
 * the configuration, start EAL, open the ports and the cache, build the
 * dataplane and the console, drop to --user, launch the lcores, serve
 * until a signal or `quit`, stop in stages, report.
 */

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/resource.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "dpt_cache.h"
#include "dpt_conf.h"
#include "dpt_console.h"
#include "dpt_dp.h"
#include "dpt_metrics.h"
#include "dpt_port.h"
#include "dpt_xlog.h"
#include "dptftpd.h"

#define PROG "dptftpd"

/* Descriptors kept for uploads, console connections, telemetry and EAL
 * beyond the ports' and the cache's. */
#define FD_SPARE 128

static void
die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3),
						   noreturn));

static void
die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

/* Index of "--" separating EAL's arguments from ours, or 0. */
static int
find_separator(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i;
	return 0;
}

static uint32_t
log_level(const char *name)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "err", "warning", "notice", "info",
		"debug",
	};
	uint32_t i;

	for (i = 0; i < RTE_DIM(names); i++)
		if (strcmp(names[i], name) == 0)
			return RTE_LOG_EMERG + i;
	return RTE_LOG_NOTICE;
}

/* Data room of the mbufs: a whole DATA packet or frame behind the
 * headroom. */
static uint16_t
data_room(const struct dpt_conf *c)
{
	uint32_t need = DPT_TFTP_HDR_LEN + (uint32_t)(c->blksize_max != 0 ?
						      c->blksize_max : 1468);
	unsigned int i;

	for (i = 0; i < c->n_ifaces; i++)	/* a whole tagged frame */
		if ((uint32_t)c->ifaces[i].mtu + 18 > need)
			need = (uint32_t)c->ifaces[i].mtu + 18;

	if (need < 2048)	/* net_af_packet's frames need 2016 */
		need = 2048;
	need += RTE_PKTMBUF_HEADROOM;
	return need > UINT16_MAX ? UINT16_MAX : (uint16_t)need;
}

/* Memory EAL must give us without hugepages, in MiB. */
static uint64_t
memory_mb(const struct dpt_conf *c, unsigned int n_workers, uint16_t room)
{
	uint64_t mbufs = dpt_dp_pool_count(c, n_workers);
	uint64_t bytes = mbufs * (room + 256ull) + c->cache_size +
			 (uint64_t)c->max_sessions * 2048 +
			 (uint64_t)n_workers * (16ull << 20) + (96ull << 20);

	return (bytes + (1 << 20) - 1) >> 20;
}

/* Free hugepage memory the heap may still grow into, in bytes: what
 * /proc/meminfo says is free in the default page size. */
static uint64_t
hugepages_free(void)
{
	unsigned long long free_pages = 0, page_kb = 0, v;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "HugePages_Free: %llu", &v) == 1)
			free_pages = v;
		else if (sscanf(line, "Hugepagesize: %llu kB", &v) == 1)
			page_kb = v;
	}
	fclose(f);
	return free_pages * page_kb * 1024;
}

/*
 * A cache budget the DPDK heap cannot hold does not fail: chunks stop
 * loading when the heap is full and sessions wait for them. Say so at
 * start, once, while the cause is still obvious. Without hugepages the
 * heap is what -m gave; with them it can grow into the free hugepages.
 */
static void
warn_cache_memory(uint64_t budget)
{
	struct rte_malloc_socket_stats st;
	uint64_t avail;

	if (rte_malloc_get_socket_stats((int)rte_socket_id(), &st) < 0)
		return;
	avail = st.heap_freesz_bytes;
	if (rte_eal_has_hugepages())
		avail += hugepages_free();
	/* chunks carry 1/16 more for their prefix sums */
	if (budget + budget / 16 <= avail)
		return;
	fprintf(stderr, PROG ": warning: --cache-size %llu MiB is more than "
		"the %llu MiB left in EAL's memory%s: files stop loading when "
		"it is full; lower --cache-size or give EAL more memory\n",
		(unsigned long long)(budget >> 20),
		(unsigned long long)(avail >> 20),
		rte_eal_has_hugepages() ? " (heap and free hugepages)" :
		" (-m, no hugepages)");
}

/* Descriptors open now: the ports' sockets among them. */
static unsigned int
fds_in_use(void)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned int n = 0;

	if (d == NULL)
		return 0;
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

/*
 * The cache's descriptors come on top of the ports' sockets (the socket
 * backend raises the limit to what its sessions need), uploads, console
 * connections and EAL: raise the soft limit for them too, or say at start
 * that opens may fail with EMFILE.
 */
static void
reserve_open_files(uint32_t max_open)
{
	uint64_t need = (uint64_t)fds_in_use() + max_open + FD_SPARE;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= need)
		return;
	rl.rlim_cur = rl.rlim_max >= need ? need : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur >= need)
		return;
	fprintf(stderr, PROG ": warning: --max-open-files %u and the %u "
		"descriptors open do not fit the limit (ulimit -n %llu): "
		"opens may fail with EMFILE; lower it or raise the limit\n",
		max_open, fds_in_use(), (unsigned long long)rl.rlim_cur);
}

static void
tftp_settings(const struct dpt_conf *c, struct dpt_tftp_config *t)
{
	dpt_tftp_config_default(t);
	t->blksize_max = c->blksize_max;	/* 0: each port's MTU - 32 */
	t->windowsize_max = c->windowsize_max;
	t->timeout_us = c->timeout_us;
	if (t->timeout_min_us > t->timeout_us)
		t->timeout_min_us = t->timeout_us;
	t->retries = c->retries;
	t->pace = c->pacing != 0;
}

/* The ports of the chosen backend and the session ports of each worker;
 * exits on failure. Returns the number of ports. */
static uint16_t
open_ports(const struct dpt_conf *c, unsigned int n_workers,
	   struct rte_mempool *pool, struct dpt_port **ports,
	   struct dpt_port_share *shares)
{
	char err[DPT_CONF_ERR_MAX];
	uint16_t i;

	if (c->backend == DPT_BACKEND_SOCKET) {
		ports[0] = dpt_port_socket_open(c, n_workers,
						c->single_port ? 0 :
						c->max_sessions,
						shares, pool, err,
						sizeof(err));
		if (ports[0] == NULL)
			die(2, "%s", err);
		return 1;
	}
	for (i = 0; i < c->n_ifaces; i++) {
		ports[i] = dpt_port_ethdev_open(c, &c->ifaces[i], i, pool, err,
						sizeof(err));
		if (ports[i] == NULL)
			die(2, "%s", err);
	}
	if (dpt_port_shares_make(c, n_workers, shares) < 0)
		die(2, "out of memory for session ports");
	return i;
}

/*
 * Another process with our file prefix would make EAL fail in lines of its
 * own; say it in one, with what to do. A prefix the user gave EAL is
 * theirs to mind.
 */
static void
check_instance(const struct dpt_conf *c, char **eal_argv, int eal_argc)
{
	char path[300];
	int i;

	for (i = 0; i + 1 < eal_argc; i++)
		if (strcmp(eal_argv[i], "--file-prefix") == 0 &&
		    strcmp(eal_argv[i + 1], c->instance) == 0 &&
		    app_instance_running(c->instance, path, sizeof(path)))
			die(2, "instance '%s' is already running (%s is locked); "
			    "give this one another --instance NAME",
			    c->instance, path);
}

/* What --allow-upload and friends allow. */
static void
upload_policy(const struct dpt_conf *c, struct dpt_upload_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->enabled = c->upload != DPT_UPLOAD_OFF;
	p->replace = c->upload == DPT_UPLOAD_REPLACE;
	p->fsync = c->upload_fsync != 0;
	p->max_size = c->upload_max;
	p->mode = (mode_t)c->upload_mode;
	p->dirs = c->upload_dirs;
	p->patterns = c->upload_patterns;
}

/* Removes what a crash left of uploads, as the user uploads run as. */
static void
upload_cleanup(struct dpt_cache *cache, const struct dpt_upload_policy *p)
{
	int n;

	if (!p->enabled)
		return;
	n = dpt_upload_cleanup(cache, p);
	if (n > 0)
		printf(PROG ": removed %d unfinished upload%s\n", n,
		       n == 1 ? "" : "s");
	else if (n < 0)
		fprintf(stderr, PROG ": cleaning unfinished uploads: %s\n",
			strerror(-n));
}

/* --preload: each name starts loading now; a bad one is said, not fatal
 * (the file may appear later). */
static void
preload(struct dpt_cache *cache, const char *list)
{
	char buf[DPT_CONF_PATH_MAX], *name, *save = NULL;
	int rc;

	snprintf(buf, sizeof(buf), "%s", list);
	for (name = strtok_r(buf, ",", &save); name != NULL;
	     name = strtok_r(NULL, ",", &save)) {
		rc = dpt_cache_preload(cache, name);
		if (rc < 0)
			fprintf(stderr, PROG ": --preload %s: %s\n", name,
				strerror(-rc));
	}
}

/* "10.0.0.1:69" for sockets; "eth1 192.0.2.10/24:69 [2001:db8::a]/64:69
 * mtu 1500, ..." for ethdev, each family when the iface has it. */
static const char *
where(const struct dpt_conf *c, struct dpt_port *const *ports, uint16_t n,
      char *buf, size_t len)
{
	char ip[INET_ADDRSTRLEN], ip6[INET6_ADDRSTRLEN], a4[32], a6[64];
	size_t off = 0;
	uint16_t i;

	if (c->backend == DPT_BACKEND_SOCKET)
		return dpt_conf_addr_str(&c->listen, buf, len);
	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++) {
		const struct dpt_conf_iface *f = &c->ifaces[i];

		inet_ntop(AF_INET, &f->ip, ip, sizeof(ip));
		inet_ntop(AF_INET6, &f->ip6, ip6, sizeof(ip6));
		a4[0] = a6[0] = '\0';
		if (f->prefix != 0)
			snprintf(a4, sizeof(a4), " %s/%u:%u", ip, f->prefix,
				 c->listen.port);
		if (f->prefix6 != 0)
			snprintf(a6, sizeof(a6), " [%s]/%u:%u", ip6,
				 f->prefix6, c->listen.port);
		off += (size_t)snprintf(buf + off, len - off,
					"%s%s%s%s mtu %u", i ? ", " : "",
					f->name, a4, a6, ports[i]->mtu);
	}
	return buf;
}

int
main(int argc, char **argv)
{
	static struct dpt_conf conf;
	struct dpt_port_share shares[DPT_CONF_MAX_WORKERS];
	unsigned int lcores[DPT_CONF_MAX_WORKERS + 2], n_lc = 0, n_workers;
	struct dpt_dp_params dpp;
	struct rte_mempool *pool;
	struct dpt_port *ports[DPT_CONF_MAX_IFACES];
	uint16_t n_ports;
	struct dpt_cache *cache;
	struct dpt_dp *dp;
	struct dpt_console *con;
	struct app_eal eal;
	struct app_user user;
	char err[DPT_CONF_ERR_MAX], abuf[256], **user_argv;
	int sep = find_separator(argc, argv), rc, cpus[256];
	unsigned int lc, n_cpus;
	bool compact;
	uint16_t room;
	uint64_t in_use, kept = 0, keep;
	struct app_run run = { 0 };
	const char *why;

	setvbuf(stdout, NULL, _IOLBF, 0);

	/* 1. the configuration: defaults, --config file, command line */
	dpt_conf_defaults(&conf);
	if (sep > 0) {
		argv[sep] = argv[0];
		rc = dpt_conf_parse(&conf, argc - sep, argv + sep, err,
				    sizeof(err));
		argv[sep] = (char *)"--";
	} else {
		rc = dpt_conf_parse(&conf, argc, argv, err, sizeof(err));
	}
	if (rc < 0)
		die(1, "%s (see --help)", err);
	if (conf.help) {
		dpt_conf_usage(stdout, PROG);
		return 0;
	}
	if (conf.version) {
		printf(PROG " %s\n", DPT_VERSION);
		return 0;
	}
	if (conf.man || conf.sample_config) {
		if (conf.man)
			dpt_conf_man(stdout, DPT_VERSION);
		else
			dpt_conf_sample(stdout);
		return 0;
	}
	if (conf.reserve_hugepages)	/* the unit's ExecStartPre */
		return app_reserve_hugepages(conf.hugepages, err,
					     sizeof(err)) < 0 ?
		       (fprintf(stderr, PROG ": %s\n", err), 2) : 0;
	if (dpt_conf_validate(&conf, err, sizeof(err)) < 0 ||
	    app_user_find(&conf, &user, err, sizeof(err)) < 0)
		die(1, "%s", err);
	if (app_notify_open(err, sizeof(err)) < 0)	/* before --user */
		fprintf(stderr, PROG ": warning: %s: systemd will not hear "
			"that dptftpd is ready\n", err);

	/* 2. EAL: the user's arguments, or ours for the socket backend */
	n_cpus = app_cpus(cpus, 256);
	n_workers = app_default_workers(&conf, n_cpus);
	compact = app_compact(&conf, n_cpus, n_workers);
	room = data_room(&conf);
	user_argv = NULL;
	if (sep == 0 && conf.eal_args[0] != '\0') {
		/* [eal] eal-args: as if typed before "--" */
		user_argv = app_conf_eal_args(argv[0], conf.eal_args, &conf,
					      &rc);
		if (user_argv == NULL)
			die(1, "[eal] eal-args: no arguments in '%s'",
			    conf.eal_args);
		sep = rc;
	} else if (sep > 0) {
		user_argv = app_user_eal_args(sep, argv, &conf, &rc);
		if (user_argv == NULL)
			die(2, "out of memory");
	}
	if (user_argv != NULL) {
		check_instance(&conf, user_argv, rc);
		rc = rte_eal_init(rc, user_argv);
	} else {
		if (app_build_eal_args(&eal, argv[0], &conf,
				       compact ? 2 : n_workers + 3,
				       memory_mb(&conf, n_workers, room)) < 0)
			die(1, "too many lcores for the EAL command line");
		check_instance(&conf, eal.argv, eal.argc);
		rc = rte_eal_init(eal.argc, eal.argv);
	}
	if (rc < 0)
		die(2, "cannot start EAL: %s", rte_strerror(rte_errno));
	rte_log_set_level_pattern("dptftp.*", log_level(conf.log_level));
	RTE_LCORE_FOREACH_WORKER(lc) {
		if (n_lc < RTE_DIM(lcores))
			lcores[n_lc++] = lc;
	}
	if (sep > 0) {		/* the user's lcores decide */
		if (n_lc == 0)
			die(1, "EAL gave no lcore besides the main one: the "
			    "dataplane needs at least one (-l 0-1)");
		if (conf.workers == 0)
			n_workers = n_lc >= 3 ? n_lc - 2 : 1;
		compact = app_compact(&conf, n_lc + 1, n_workers) ||
			  n_lc < n_workers + 2;
	}
	if (!compact && n_workers > n_lc - 2)
		die(1, "--workers %u needs %u lcores besides the main one; "
		    "EAL has %u", n_workers, n_workers + 2, n_lc);

	/* 3. mbufs, the port and its session ports, the cache */
	pool = dpt_dp_pool_create(&conf, n_workers, room);
	if (pool == NULL)
		die(2, "cannot create the mbuf pool: %s",
		    rte_strerror(rte_errno));
	memset(shares, 0, sizeof(shares));
	n_ports = open_ports(&conf, n_workers, pool, ports, shares);
	for (lc = 0; lc < n_ports && conf.backend == DPT_BACKEND_ETHDEV; lc++)
		if (conf.ifaces[lc].mtu == 0)	/* what show config says */
			conf.ifaces[lc].mtu = ports[lc]->mtu;
	reserve_open_files(conf.max_open_files);
	cache = dpt_cache_create(conf.root, conf.cache_size);
	if (cache == NULL)
		die(2, "cannot open root %s: %s", conf.root, strerror(errno));
	dpt_cache_set_files(cache, conf.serve_private != 0,
			    conf.max_open_files);
	warn_cache_memory(conf.cache_size);

	/* 4. the dataplane */
	memset(&dpp, 0, sizeof(dpp));
	dpp.conf = &conf;
	dpp.ports = ports;
	dpp.n_ports = n_ports;
	dpp.shares = shares;
	dpp.cache = cache;
	dpp.pool = pool;
	dpp.n_workers = n_workers;
	dpp.compact = compact;
	dpp.lcore_rx = lcores[0];
	dpp.lcore_tx = compact ? lcores[0] : lcores[1];
	dpp.lcore_workers = compact ? &lcores[0] : &lcores[2];
	tftp_settings(&conf, &dpp.tftp);
	dpp.zc_min = conf.zero_copy_min;
	upload_policy(&conf, &dpp.upload);
	if (app_compat(&conf, &dpp, &dpp.tftp, err, sizeof(err)) < 0)
		die(1, "%s", err);
	dp = dpt_dp_create(&dpp, err, sizeof(err));
	if (dp == NULL)
		die(2, "%s", err);
	/* the operator's side: transfer log, console, metrics */
	run.conf = &conf;
	run.dp = dp;
	run.ports = ports;
	run.n_ports = n_ports;
	run.cache = cache;
	if (app_run_open(&run, err, sizeof(err)) < 0)
		die(2, "%s", err);
	con = run.con;

	/* 5. least privilege: the user from now on, files as it sees them */
	app_user_own(&user, &conf);
	app_user_own_fd(&user, dpt_xlog_fd(run.xlog), conf.transfer_log);
	keep = app_user_keep(&conf);
	if (app_user_switch(&user, keep, err, sizeof(err)) < 0)
		die(2, "%s", err);
	app_user_say(&user, keep);
	if (app_user_check_files(&conf, &user, err, sizeof(err)) < 0)
		die(2, "%s", err);
	upload_cleanup(cache, &dpp.upload);
	preload(cache, conf.preload);

	app_signals();
	if (dpt_dp_start(dp) < 0)
		die(2, "cannot launch the lcores");
	app_console_run_file(con, &conf);
	printf(PROG ": ready: serving %s on %s (%s backend, %u worker%s, "
	       "balance %s, %s layout)\n", conf.root,
	       where(&conf, ports, n_ports, abuf, sizeof(abuf)),
	       ports[0]->ops->name, n_workers, n_workers == 1 ? "" : "s",
	       dpt_conf_balance_name(dpt_dp_get_balance(dp)),
	       compact ? "compact" : "pipeline");
	app_notify("READY=1\nSTATUS=serving %s", conf.root);

	app_console_prompt(con, &conf);

	/* 6. the control plane until a signal or `quit`: the console is
	 * polled between passes, so files keep loading while people type */
	why = app_serve(&run);

	/* 7. staged shutdown, then the report */
	printf(PROG ": %s: shutting down\n", why);
	app_console_close(con, &conf);
	dpt_metrics_close(run.metrics);
	dpt_dp_stop(dp);
	for (lc = 0; lc < n_ports; lc++)
		dpt_console_port_report(ports[lc], stdout);
	for (lc = 0; lc < n_ports; lc++) {
		kept += ports[lc]->mbufs_kept;
		ports[lc]->ops->close(ports[lc]);
	}
	for (lc = 0; lc < n_workers; lc++)
		dpt_port_share_free(&shares[lc]);
	dpt_dp_stats_report(dp, stdout);
	/* Mbufs a device keeps past its close are its, not a leak of ours
	 * (net_af_xdp's fill ring). */
	in_use = rte_mempool_in_use_count(pool);
	in_use = in_use > kept ? in_use - kept : 0;
	printf("Mbufs in use: %llu\n", (unsigned long long)in_use);
	if (kept != 0)
		printf("Mbufs kept by devices past their close: %llu\n",
		       (unsigned long long)kept);
	dpt_remap_free(dpt_dp_set_remap(dp, NULL));
	dpt_dp_destroy(dp);
	dpt_xlog_destroy(run.xlog);
	dpt_cache_destroy(cache);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	printf(PROG ": shutdown complete\n");
	app_notify_close();
	return in_use == 0 ? 0 : 3;
}
