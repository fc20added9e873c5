/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _FAKE_DP_H_
#define _FAKE_DP_H_

/*
 * A dataplane and a cache that only remember what they were asked, linked
 * in place of lib/dp and lib/cache: the console's parsing, dispatch and
 * output are tested without lcores, rings or files.
 */

#include <stdbool.h>
#include <stdint.h>

#include "dpt_cache.h"
#include "dpt_dp.h"

#define FAKE_MAX_SESSIONS 4
#define FAKE_MAX_FILES 4

struct dpt_dp {
	unsigned int n_workers;
	struct dpt_worker_stats workers[4];
	struct dpt_tftp_config tftp;
	uint32_t max_sessions;
	uint64_t port_rate;
	enum dpt_conf_balance balance;
	unsigned int clears;
	int set_tftp_rc;

	/* what dpt_dp_sessions() answers, and what it was asked */
	struct dpt_session_info sessions[FAKE_MAX_SESSIONS];
	unsigned int n_sessions;
	int sessions_rc;		/* < 0: fail with it */
	unsigned int sessions_calls;
	int asked_worker;
	int asked_family;
	uint8_t asked_ip[16];

	uint64_t killed;		/* the last id killed */
	unsigned int kills;
};

struct dpt_cache {
	struct dpt_cache_stats st;
	struct dpt_cache_entry_info files[FAKE_MAX_FILES];
	unsigned int n_files;
	char preloaded[256];
	char evicted[256];
	int evict_rc;
	unsigned int flushed;
};

/* Fresh state: 2 workers, default protocol settings, no sessions. */
void fake_dp_reset(struct dpt_dp *dp);
void fake_cache_reset(struct dpt_cache *c);

/* Set by tests; what dpt_dp_now_us() returns. */
extern uint64_t fake_now_us;

#endif /* _FAKE_DP_H_ */
