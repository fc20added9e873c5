/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * dptftpd: a TFTP server on a DPDK dataplane. main() is a checklist, a
 * function a step: read the configuration, start EAL, open the ports and
 * the cache, build the dataplane and the console, drop to --user, launch
 * the lcores, serve until a signal or `quit`, stop in stages, report.
 */

#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>

#include "dpt_cache.h"
#include "dpt_conf.h"
#include "dpt_console.h"
#include "dpt_dp.h"
#include "dpt_host.h"
#include "dpt_metrics.h"
#include "dpt_port.h"
#include "dpt_xlog.h"
#include "dptftpd.h"

#define PROG "dptftpd"

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

/* rte_log's level for a configured name (checked by lib/conf). */
static uint32_t
log_level(const char *name)
{
	int prio = dpt_conf_log_level(name);

	return prio < 0 ? RTE_LOG_NOTICE : RTE_LOG_EMERG + (uint32_t)prio;
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
	t->rate_bps = c->session_rate;
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

/* What main() makes, step by step, and takes down at the end. */
struct app_main {
	struct dpt_conf conf;
	int sep;			/* argv's "--"; 0: none */
	struct app_user user;
	unsigned int n_workers;
	bool compact;
	uint16_t room;			/* the mbufs' data room */
	unsigned int lcores[DPT_CONF_MAX_WORKERS + 2], n_lc;
	struct rte_mempool *pool;
	struct dpt_port *ports[DPT_CONF_MAX_IFACES];
	uint16_t n_ports;
	struct dpt_port_share shares[DPT_CONF_MAX_WORKERS];
	struct dpt_cache *cache;
	struct dpt_dp_params dpp;
	struct dpt_dp *dp;
	struct app_run run;
};

/* 1. The configuration: defaults, --config file, command line, checked
 * whole. Returns the exit status when this run ends here (--help,
 * --version, ...), or -1 to go on. */
static int
read_config(struct app_main *a, int argc, char **argv)
{
	struct dpt_conf *conf = &a->conf;
	char err[DPT_CONF_ERR_MAX];
	int rc;

	dpt_conf_defaults(conf);
	if (a->sep > 0) {
		argv[a->sep] = argv[0];
		rc = dpt_conf_parse(conf, argc - a->sep, argv + a->sep, err,
				    sizeof(err));
		argv[a->sep] = (char *)"--";
	} else {
		rc = dpt_conf_parse(conf, argc, argv, err, sizeof(err));
	}
	if (rc < 0)
		die(1, "%s (see --help)", err);
	if (conf->help) {
		dpt_conf_usage(stdout, PROG);
		return 0;
	}
	if (conf->version) {
		printf(PROG " %s\n", DPT_VERSION);
		return 0;
	}
	if (conf->man || conf->sample_config) {
		if (conf->man)
			dpt_conf_man(stdout, DPT_VERSION);
		else
			dpt_conf_sample(stdout);
		return 0;
	}
	if (conf->reserve_hugepages)	/* the unit's ExecStartPre */
		return app_reserve_hugepages(conf->hugepages, err,
					     sizeof(err)) < 0 ?
		       (fprintf(stderr, PROG ": %s\n", err), 2) : 0;
	if (dpt_conf_validate(conf, err, sizeof(err)) < 0 ||
	    app_user_find(conf, &a->user, err, sizeof(err)) < 0)
		die(1, "%s", err);
	if (app_notify_open(err, sizeof(err)) < 0)	/* before --user */
		fprintf(stderr, PROG ": warning: %s: systemd will not hear "
			"that dptftpd is ready\n", err);
	return -1;
}

/* 2. EAL: the user's arguments (before "--" or [eal] eal-args), or ours
 * for the socket backend; the layout guessed from the CPUs. */
static void
start_eal(struct app_main *a, char **argv)
{
	struct dpt_conf *conf = &a->conf;
	int cpus[256], rc = 0;
	unsigned int n_cpus = dpt_host_cpus(cpus, 256);
	char **user_argv = NULL;
	struct app_eal eal;

	a->n_workers = app_default_workers(conf, n_cpus);
	a->compact = app_compact(conf, n_cpus, a->n_workers);
	a->room = app_data_room(conf);
	if (a->sep == 0 && conf->eal_args[0] != '\0') {
		/* [eal] eal-args: as if typed before "--" */
		user_argv = app_conf_eal_args(argv[0], conf->eal_args, conf,
					      &rc);
		if (user_argv == NULL)
			die(1, "[eal] eal-args: no arguments in '%s'",
			    conf->eal_args);
		a->sep = rc;
	} else if (a->sep > 0) {
		user_argv = app_user_eal_args(a->sep, argv, conf, &rc);
		if (user_argv == NULL)
			die(2, "out of memory");
	}
	if (user_argv != NULL) {
		check_instance(conf, user_argv, rc);
		rc = rte_eal_init(rc, user_argv);
	} else {
		if (app_build_eal_args(&eal, argv[0], conf,
				       a->compact ? 2 : a->n_workers + 3,
				       cpus, n_cpus,
				       app_memory_mb(conf, a->n_workers,
						     a->room)) < 0)
			die(1, "too many lcores for the EAL command line");
		check_instance(conf, eal.argv, eal.argc);
		rc = rte_eal_init(eal.argc, eal.argv);
	}
	if (rc < 0)
		die(2, "cannot start EAL: %s", rte_strerror(rte_errno));
	rte_log_set_level_pattern("dptftp.*", log_level(conf->log_level));
}

/* The lcores EAL gave: RX, TX and the workers, or one for all. */
static void
take_lcores(struct app_main *a)
{
	unsigned int lc;

	RTE_LCORE_FOREACH_WORKER(lc) {
		if (a->n_lc < RTE_DIM(a->lcores))
			a->lcores[a->n_lc++] = lc;
	}
	if (a->sep > 0) {		/* the user's lcores decide */
		if (a->n_lc == 0)
			die(1, "EAL gave no lcore besides the main one: the "
			    "dataplane needs at least one (-l 0-1)");
		if (a->conf.workers == 0)
			a->n_workers = a->n_lc >= 3 ? a->n_lc - 2 : 1;
		a->compact = app_compact(&a->conf, a->n_lc + 1,
					 a->n_workers) ||
			     a->n_lc < a->n_workers + 2;
	}
	if (!a->compact && a->n_workers > a->n_lc - 2)
		die(1, "--workers %u needs %u lcores besides the main one; "
		    "EAL has %u", a->n_workers, a->n_workers + 2, a->n_lc);
}

/* 3. Mbufs, the ports and their session ports, the cache. */
static void
open_io(struct app_main *a)
{
	struct dpt_conf *conf = &a->conf;
	uint16_t i;

	a->pool = dpt_dp_pool_create(conf, a->n_workers, a->room);
	if (a->pool == NULL)
		die(2, "cannot create the mbuf pool: %s",
		    rte_strerror(rte_errno));
	a->n_ports = open_ports(conf, a->n_workers, a->pool, a->ports,
				a->shares);
	for (i = 0; i < a->n_ports && conf->backend == DPT_BACKEND_ETHDEV;
	     i++)
		if (conf->ifaces[i].mtu == 0)	/* what show config says */
			conf->ifaces[i].mtu = a->ports[i]->mtu;
	app_reserve_open_files(conf->max_open_files);
	a->cache = dpt_cache_create(conf->root, conf->cache_size);
	if (a->cache == NULL)
		die(2, "cannot open root %s: %s", conf->root, strerror(errno));
	dpt_cache_set_files(a->cache, conf->serve_private != 0,
			    conf->max_open_files);
	app_warn_cache_memory(conf->cache_size);
}

/* 4. The dataplane, and the operator's side: transfer log, console,
 * metrics. */
static void
build_dataplane(struct app_main *a)
{
	struct dpt_dp_params *dpp = &a->dpp;
	char err[DPT_CONF_ERR_MAX];

	dpp->conf = &a->conf;
	dpp->ports = a->ports;
	dpp->n_ports = a->n_ports;
	dpp->shares = a->shares;
	dpp->cache = a->cache;
	dpp->pool = a->pool;
	dpp->n_workers = a->n_workers;
	dpp->compact = a->compact;
	dpp->lcore_rx = a->lcores[0];
	dpp->lcore_tx = a->compact ? a->lcores[0] : a->lcores[1];
	dpp->lcore_workers = a->compact ? &a->lcores[0] : &a->lcores[2];
	tftp_settings(&a->conf, &dpp->tftp);
	dpp->zc_min = a->conf.zero_copy_min;
	upload_policy(&a->conf, &dpp->upload);
	if (app_compat(&a->conf, dpp, &dpp->tftp, err, sizeof(err)) < 0)
		die(1, "%s", err);
	a->dp = dpt_dp_create(dpp, err, sizeof(err));
	if (a->dp == NULL)
		die(2, "%s", err);
	a->run.conf = &a->conf;
	a->run.dp = a->dp;
	a->run.ports = a->ports;
	a->run.n_ports = a->n_ports;
	a->run.cache = a->cache;
	if (app_run_open(&a->run, err, sizeof(err)) < 0)
		die(2, "%s", err);
}

/* 5. Least privilege: the user from now on, files as it sees them. */
static void
drop_privileges(struct app_main *a)
{
	char err[DPT_CONF_ERR_MAX];
	uint64_t keep;

	app_user_own(&a->user, &a->conf);
	app_user_own_fd(&a->user, dpt_xlog_fd(a->run.xlog),
			a->conf.transfer_log);
	keep = app_user_keep(&a->conf);
	if (app_user_switch(&a->user, keep, err, sizeof(err)) < 0)
		die(2, "%s", err);
	app_user_say(&a->user, keep);
	if (app_user_check_files(&a->conf, &a->user, err, sizeof(err)) < 0)
		die(2, "%s", err);
	upload_cleanup(a->cache, &a->dpp.upload);
	preload(a->cache, a->conf.preload);
}

/* 6. The lcores launched, the command file run, the ready line. */
static void
launch(struct app_main *a)
{
	char abuf[256];

	app_signals();
	if (dpt_dp_start(a->dp) < 0)
		die(2, "cannot launch the lcores");
	app_console_run_file(a->run.con, &a->conf);
	printf(PROG ": ready: serving %s on %s (%s backend, %u worker%s, "
	       "balance %s, %s layout)\n", a->conf.root,
	       where(&a->conf, a->ports, a->n_ports, abuf, sizeof(abuf)),
	       a->ports[0]->ops->name, a->n_workers,
	       a->n_workers == 1 ? "" : "s",
	       dpt_conf_balance_name(dpt_dp_get_balance(a->dp)),
	       a->compact ? "compact" : "pipeline");
	app_notify("READY=1\nSTATUS=serving %s", a->conf.root);
	app_console_prompt(a->run.con, &a->conf);
}

/* 8. Staged shutdown, then the report. Returns the mbufs still in use
 * (not counting those a device keeps past its close). */
static uint64_t
stop_and_report(struct app_main *a, const char *why)
{
	uint64_t in_use, kept = 0;
	unsigned int i;

	printf(PROG ": %s: shutting down\n", why);
	app_console_close(a->run.con, &a->conf);
	dpt_metrics_close(a->run.metrics);
	dpt_dp_stop(a->dp);
	for (i = 0; i < a->n_ports; i++)
		dpt_console_port_report(a->ports[i], stdout);
	for (i = 0; i < a->n_ports; i++) {
		kept += a->ports[i]->mbufs_kept;
		a->ports[i]->ops->close(a->ports[i]);
	}
	for (i = 0; i < a->n_workers; i++)
		dpt_port_share_free(&a->shares[i]);
	dpt_dp_stats_report(a->dp, stdout);
	/* Mbufs a device keeps past its close are its, not a leak of ours
	 * (net_af_xdp's fill ring). */
	in_use = rte_mempool_in_use_count(a->pool);
	in_use = in_use > kept ? in_use - kept : 0;
	printf("Mbufs in use: %llu\n", (unsigned long long)in_use);
	if (kept != 0)
		printf("Mbufs kept by devices past their close: %llu\n",
		       (unsigned long long)kept);
	dpt_remap_free(dpt_dp_set_remap(a->dp, NULL));
	dpt_dp_destroy(a->dp);
	dpt_xlog_destroy(a->run.xlog);
	dpt_cache_destroy(a->cache);
	rte_mempool_free(a->pool);
	rte_eal_cleanup();
	printf(PROG ": shutdown complete\n");
	app_notify_close();
	return in_use;
}

int
main(int argc, char **argv)
{
	static struct app_main a;
	struct timespec now;
	const char *why;
	int rc;

	/* when dptftpd started, for dptftp_start_time_seconds */
	clock_gettime(CLOCK_REALTIME, &now);
	a.run.start_unix_us = (uint64_t)now.tv_sec * 1000000 +
			      (uint64_t)now.tv_nsec / 1000;
	setvbuf(stdout, NULL, _IOLBF, 0);
	a.sep = find_separator(argc, argv);
	rc = read_config(&a, argc, argv);		/* 1 */
	if (rc >= 0)
		return rc;
	start_eal(&a, argv);				/* 2 */
	take_lcores(&a);
	open_io(&a);					/* 3 */
	build_dataplane(&a);				/* 4 */
	drop_privileges(&a);				/* 5 */
	launch(&a);					/* 6 */
	/* 7. the control plane until a signal or `quit`: the console is
	 * polled between passes, so files keep loading while people type */
	why = app_serve(&a.run);
	return stop_and_report(&a, why) == 0 ? 0 : 3;	/* 8 */
}
