/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * EAL arguments for a user who gives none: the socket backend needs no
 * hugepages and no PCI, the file prefix is the instance's name (--instance:
 * what dpdk-telemetry.py -f and dpdk-dumpcap --file-prefix find it by),
 * and enough lcores for main, RX, TX and the workers, spread over the CPUs
 * this process may use (several lcores per CPU when there are few: they
 * back off when idle).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dpt_host.h"
#include "dptftpd.h"

/* EAL wants char *, not string literals. */
static char flag_no_huge[] = "--no-huge";
static char flag_mem[] = "-m";
static char flag_no_pci[] = "--no-pci";
static char flag_prefix[] = "--file-prefix";
static char flag_lcores[] = "--lcores";
static char flag_main[] = "--main-lcore";
static char flag_main_id[] = "0";
static char flag_log[] = "--log-level";

unsigned int
app_default_workers(const struct dpt_conf *conf, unsigned int n_cpus)
{
	if (conf->workers != 0)
		return conf->workers;
	return n_cpus > 3 ? n_cpus - 2 : 1;
}

bool
app_compact(const struct dpt_conf *conf, unsigned int n_cpus,
	    unsigned int n_workers)
{
	if (conf->layout != DPT_LAYOUT_AUTO)
		return conf->layout == DPT_LAYOUT_COMPACT;
	/* The pipeline pays off when each stage has a CPU to itself. */
	return n_cpus < n_workers + 3;
}

int
app_build_eal_args(struct app_eal *e, const char *prog,
		   const struct dpt_conf *conf, unsigned int n_lcores,
		   const int *cpus, unsigned int n_cpus, uint64_t mem_mb)
{
	if (dpt_host_lcore_map(e->lcores, sizeof(e->lcores), n_lcores, cpus,
			       n_cpus) < 0)
		return -1;
	snprintf(e->prog, sizeof(e->prog), "%s", prog);
	snprintf(e->mem, sizeof(e->mem), "%llu", (unsigned long long)mem_mb);
	snprintf(e->prefix, sizeof(e->prefix), "%s", conf->instance);
	snprintf(e->loglevel, sizeof(e->loglevel), "lib.*:%s",
		 strcmp(conf->log_level, "debug") == 0 ? "debug" : "error");
	e->argc = 0;
	e->argv[e->argc++] = e->prog;
	e->argv[e->argc++] = flag_no_huge;
	e->argv[e->argc++] = flag_mem;
	e->argv[e->argc++] = e->mem;
	e->argv[e->argc++] = flag_no_pci;
	e->argv[e->argc++] = flag_prefix;
	e->argv[e->argc++] = e->prefix;
	e->argv[e->argc++] = flag_lcores;
	e->argv[e->argc++] = e->lcores;
	e->argv[e->argc++] = flag_main;
	e->argv[e->argc++] = flag_main_id;
	e->argv[e->argc++] = flag_log;
	e->argv[e->argc++] = e->loglevel;
	e->argv[e->argc] = NULL;
	return 0;
}

char **
app_user_eal_args(int argc, char **argv, const struct dpt_conf *conf,
		  int *out_argc)
{
	static char prefix[64];
	char **v = calloc((size_t)argc + 3, sizeof(*v));
	int i, n = 0;
	bool has_prefix = false;

	if (v == NULL)
		return NULL;
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--file-prefix", 13) == 0 ||
		    strcmp(argv[i], "--in-memory") == 0)
			has_prefix = true;
		v[n++] = argv[i];
	}
	if (!has_prefix) {
		snprintf(prefix, sizeof(prefix), "%s", conf->instance);
		v[n++] = flag_prefix;
		v[n++] = prefix;
	}
	v[n] = NULL;
	*out_argc = n;
	return v;
}

char **
app_conf_eal_args(const char *prog, const char *args,
		  const struct dpt_conf *conf, int *out_argc)
{
	char *copy = strdup(args), *tok, *save = NULL, **v, **all;
	int n = 0;

	*out_argc = 0;
	v = calloc(strlen(args) / 2 + 2, sizeof(*v));
	if (copy == NULL || v == NULL) {
		free(copy);
		free(v);
		return NULL;
	}
	v[n++] = (char *)(uintptr_t)prog;
	for (tok = strtok_r(copy, " \t", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t", &save))
		v[n++] = tok;
	if (n == 1) {
		free(copy);
		free(v);
		return NULL;
	}
	all = app_user_eal_args(n, v, conf, out_argc);
	free(v);		/* the strings stay: EAL points into them */
	return all;
}

/*
 * EAL's runtime folder for prefix (eal_create_runtime_dir()'s rule):
 * /var/run/dpdk/<prefix> for root, else under $XDG_RUNTIME_DIR or /tmp.
 */
static void
runtime_dir(const char *prefix, char *buf, size_t len)
{
	const char *dir = "/var/run", *xdg = getenv("XDG_RUNTIME_DIR");

	if (getuid() != 0)
		dir = xdg != NULL ? xdg : "/tmp";
	snprintf(buf, len, "%s/dpdk/%s", dir, prefix);
}

/*
 * A primary process holds a write lock on its runtime folder's config file
 * while it lives; EAL would refuse in lines of its own, so ask first and
 * say it once.
 */
bool
app_instance_running(const char *prefix, char *path, size_t len)
{
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char dir[256];
	bool held;
	int fd;

	runtime_dir(prefix, dir, sizeof(dir));
	snprintf(path, len, "%s/config", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	held = fcntl(fd, F_GETLK, &lk) == 0 && lk.l_type != F_UNLCK;
	close(fd);
	return held;
}
