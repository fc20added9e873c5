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

/* Fills e for the socket backend: --no-huge, -m mem_mb, a prefix of our
 * own, n_lcores lcores over the CPUs. Returns 0 or -1. */
int app_build_eal_args(struct app_eal *e, const char *prog,
		       const struct dpt_conf *conf, unsigned int n_lcores,
		       uint64_t mem_mb);

#endif /* _DPTFTPD_H_ */
