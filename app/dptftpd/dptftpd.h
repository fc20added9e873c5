/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPTFTPD_H_
#define _DPTFTPD_H_

/* Glue of the dptftpd program: nothing here is a library's business. */

#include <stdbool.h>
#include <stdint.h>

#include "dpt_conf.h"

/* EAL arguments built for a user who gave none. */
struct app_eal {
	int argc;
	char *argv[24];
	char prog[256];
	char lcores[1024];
	char mem[24];
	char prefix[64];
	char loglevel[32];
};

/* CPUs this process may run on, into cpus[]; returns how many (>= 1). */
unsigned int app_cpus(int *cpus, unsigned int max);

/* --workers, or the CPUs left after RX and TX (at least one). */
unsigned int app_default_workers(const struct dpt_conf *conf,
				 unsigned int n_cpus);

/* Whether RX, the workers and TX share one lcore (the compact layout). */
bool app_compact(const struct dpt_conf *conf, unsigned int n_cpus,
		 unsigned int n_workers);

/* Fills e for the socket backend: --no-huge, -m mem_mb, the instance's
 * file prefix, n_lcores lcores over the CPUs. Returns 0 or -1. */
int app_build_eal_args(struct app_eal *e, const char *prog,
		       const struct dpt_conf *conf, unsigned int n_lcores,
		       uint64_t mem_mb);

/* The user's EAL arguments (argv[0..argc)) with --file-prefix INSTANCE
 * added unless they name a prefix (or --in-memory). NULL when out of
 * memory; the array is the caller's to free. */
char **app_user_eal_args(int argc, char **argv, const struct dpt_conf *conf,
			 int *out_argc);

/* Whether a primary process of EAL file prefix prefix runs now; path gets
 * the config file that says so. */
bool app_instance_running(const char *prefix, char *path, size_t len);

struct dpt_console;
struct dpt_dp;
struct dpt_cache;
struct dpt_port;

/*
 * console_glue.c: what the operator talks to. app_console_open() makes the
 * console, its socket, the telemetry commands and packet capture before
 * the lcores start (exits on failure); app_console_run_file() runs
 * --cmdline-file once they run; app_console_prompt() opens the -i prompt;
 * app_console_close() undoes it all.
 */
struct dpt_console *app_console_open(const struct dpt_conf *conf,
				     struct dpt_dp *dp,
				     struct dpt_cache *cache,
				     struct dpt_port *const *ports,
				     uint16_t n_ports);
void app_console_run_file(struct dpt_console *con,
			  const struct dpt_conf *conf);
void app_console_prompt(struct dpt_console *con, const struct dpt_conf *conf);
void app_console_close(struct dpt_console *con, const struct dpt_conf *conf);

struct dpt_dp;
struct dpt_dp_params;
struct dpt_tftp_config;

/* --refuse, --blksize-max-for, --single-port, --max-per-client and
 * --map-file into p and t. Returns 0, or -1 with one line in err. */
int app_compat(const struct dpt_conf *c, struct dpt_dp_params *p,
	       struct dpt_tftp_config *t, char *err, size_t errlen);

/* SIGHUP: reads the map file again; a broken file keeps the old rules. */
void app_reload_remap(const struct dpt_conf *c, struct dpt_dp *dp);

#endif /* _DPTFTPD_H_ */
