/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPTFTPD_H_
#define _DPTFTPD_H_

/* Glue of the dptftpd program: nothing here is a library's business. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

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

/* --workers, or the CPUs left after RX and TX (at least one). */
unsigned int app_default_workers(const struct dpt_conf *conf,
				 unsigned int n_cpus);

/* Whether RX, the workers and TX share one lcore (the compact layout). */
bool app_compact(const struct dpt_conf *conf, unsigned int n_cpus,
		 unsigned int n_workers);

/* Fills e for the socket backend: --no-huge, -m mem_mb, the instance's
 * file prefix, n_lcores lcores over cpus[0..n_cpus) (dpt_host_cpus()).
 * Returns 0 or -1. */
int app_build_eal_args(struct app_eal *e, const char *prog,
		       const struct dpt_conf *conf, unsigned int n_lcores,
		       const int *cpus, unsigned int n_cpus, uint64_t mem_mb);

/* The user's EAL arguments (argv[0..argc)) with --file-prefix INSTANCE
 * added unless they name a prefix (or --in-memory). NULL when out of
 * memory; the array is the caller's to free. */
char **app_user_eal_args(int argc, char **argv, const struct dpt_conf *conf,
			 int *out_argc);

/* [eal] eal-args (split at spaces) after prog, with --file-prefix as for
 * app_user_eal_args(). NULL when out of memory; *out_argc 0 when args
 * holds none. The array and its strings are the caller's (never freed:
 * EAL keeps pointers into them). */
char **app_conf_eal_args(const char *prog, const char *args,
			 const struct dpt_conf *conf, int *out_argc);

/*
 * notify.c: systemd's Type=notify. app_notify_open() connects to
 * $NOTIFY_SOCKET before the switch to --user (0 and nothing to do
 * without it; -1 with err); app_notify() sends one state ("READY=1",
 * "STOPPING=1\nSTATUS=..."), best effort.
 */
int app_notify_open(char *err, size_t errlen);
void app_notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void app_notify_close(void);

/* hugepages.c: --reserve-hugepages: reserves bytes of 2 MiB hugepages
 * and mounts hugetlbfs (0: nothing). Returns 0, or -1 with err. */
int app_reserve_hugepages(uint64_t bytes, char *err, size_t errlen);

/* Whether a primary process of EAL file prefix prefix runs now; path gets
 * the config file that says so. */
bool app_instance_running(const char *prefix, char *path, size_t len);

struct dpt_console;
struct dpt_dp;
struct dpt_cache;
struct dpt_port;
struct dpt_xlog;

/*
 * console_glue.c: what the operator talks to. app_console_open() makes the
 * console, its socket, the telemetry commands and packet capture before
 * the lcores start (exits on failure); app_console_run_file() runs
 * --cmdline-file once they run; app_console_prompt() opens the -i prompt;
 * app_console_close() undoes it all.
 */
struct dpt_console *app_console_open(const struct dpt_conf *conf,
				     struct dpt_dp *dp,
				     struct dpt_xlog *xlog,
				     struct dpt_cache *cache,
				     struct dpt_port *const *ports,
				     uint16_t n_ports);
void app_console_run_file(struct dpt_console *con,
			  const struct dpt_conf *conf);
void app_console_prompt(struct dpt_console *con, const struct dpt_conf *conf);
void app_console_close(struct dpt_console *con, const struct dpt_conf *conf);

/* resources.c: the mbufs' data room (a whole DATA packet or frame
 * behind the headroom); the memory EAL must give without hugepages, in
 * MiB; a warning when the cache budget exceeds what EAL's heap can hold;
 * the descriptor limit raised for the cache (or a warning). */
uint16_t app_data_room(const struct dpt_conf *c);
uint64_t app_memory_mb(const struct dpt_conf *c, unsigned int n_workers,
		       uint16_t room);
void app_warn_cache_memory(uint64_t budget);
void app_reserve_open_files(uint32_t max_open);

struct dpt_dp;
struct dpt_dp_params;
struct dpt_tftp_config;

/* --refuse, --blksize-max-for, --single-port, --max-per-client and
 * --map-file into p and t. Returns 0, or -1 with one line in err. */
int app_compat(const struct dpt_conf *c, struct dpt_dp_params *p,
	       struct dpt_tftp_config *t, char *err, size_t errlen);

/* SIGHUP: reads the map file again; a broken file keeps the old rules. */
void app_reload_remap(const struct dpt_conf *c, struct dpt_dp *dp);

/*
 * run.c: serving until a signal or `quit`. app_signals() installs the
 * handlers (SIGINT, SIGTERM: drain and stop; SIGHUP: reload; SIGUSR1:
 * the counters); app_run_open() makes the operator's side, the transfer
 * log with --transfer-log's sink (auto: syslog, or off with -i) among
 * it; app_serve() runs the main lcore's loop, then the
 * drain (--drain-timeout), and returns why it stopped ("Terminated",
 * "quit").
 */
struct dpt_xlog;
struct dpt_metrics;

struct app_run {
	const struct dpt_conf *conf;
	struct dpt_dp *dp;
	struct dpt_console *con;
	struct dpt_xlog *xlog;
	struct dpt_port *const *ports;
	uint16_t n_ports;
	struct dpt_cache *cache;
	struct dpt_metrics *metrics;	/* NULL: no --metrics-listen */
	uint64_t start_unix_us;		/* the wall clock as main() began */
};

void app_signals(void);
const char *app_serve(struct app_run *r);

/* With r's conf, dp, ports and cache set: the transfer log (its records
 * from the dataplane), the console (exits when it cannot), the metrics
 * (--metrics-listen), before the switch to --user. Returns 0, or -1 with
 * one line in err. */
int app_run_open(struct app_run *r, char *err, size_t errlen);

/*
 * priv.c: who the server runs as once EAL, the ports and the listening
 * sockets are up (--user). app_user_find() resolves it at start: --user,
 * else (started as root) tftp if that user exists, else nobody; --user
 * root (or any uid 0) stays root on purpose. app_user_own() gives it what
 * was made for it as root (the console socket). app_user_switch() moves
 * every thread to its groups, gid and uid, leaves no capability in any
 * thread but keep in the main one, and checks each thread in
 * /proc/self/task.
 */
struct app_user {
	char name[33];
	uid_t uid;
	gid_t gid;
	bool stay;		/* uid 0: nothing to switch */
	bool by_default;	/* no --user given */
	bool switched;		/* started as root, now u */
	int n_groups;
	gid_t groups[256];
};

int app_user_find(const struct dpt_conf *c, struct app_user *u, char *err,
		  size_t errlen);
void app_user_own(const struct app_user *u, const struct dpt_conf *c);
/* A file we opened as root (root's), given to u so that it can open it
 * again after a rotation (the transfer log's). */
void app_user_own_fd(const struct app_user *u, int fd, const char *what);
int app_user_switch(struct app_user *u, uint64_t keep, char *err,
		    size_t errlen);

/* The capabilities the main thread keeps for a running port: none, but
 * CAP_IPC_LOCK for a NIC bound to vfio-pci. */
uint64_t app_user_keep(const struct dpt_conf *c);

/* The one line that says who the server runs as, and with what. */
void app_user_say(const struct app_user *u, uint64_t keep);

/* After the switch: the root readable by u, and every upload folder (the
 * root when there is none) writable. Returns 0, or -1 with err. */
int app_user_check_files(const struct dpt_conf *c, const struct app_user *u,
			 char *err, size_t errlen);

#endif /* _DPTFTPD_H_ */
