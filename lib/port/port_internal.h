/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_PORT_INTERNAL_H_
#define _DPT_PORT_INTERNAL_H_

#include <rte_log.h>

#include "dpt_port.h"

extern int dpt_port_logtype;
#define PORT_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, dpt_port_logtype, "dptftp.port: " __VA_ARGS__)

/*
 * The session ports of worker w's share ((p - lo) % n_workers == w, the
 * listening port left out), shuffled so nobody can guess the next one.
 * *ports is rte_malloc'd (room for one more); returns 0 or -ENOMEM.
 */
int port_share_candidates(const struct dpt_conf *conf, unsigned int w,
			  unsigned int n_workers, uint16_t **ports,
			  uint32_t *n);

#endif /* _DPT_PORT_INTERNAL_H_ */
