/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/dp's and lib/cache's functions that the console calls, as fakes
 * (see fake_dp.h). They keep the contracts of dpt_dp.h and dpt_cache.h
 * that the console relies on: return codes, filters, the stats format.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "fake_dp.h"

uint64_t fake_now_us = 1000000;

void
fake_dp_reset(struct dpt_dp *dp)
{
	memset(dp, 0, sizeof(*dp));
	dp->n_workers = 2;
	dpt_tftp_config_default(&dp->tftp);
	dp->max_sessions = 4096;
	dp->asked_worker = -2;
}

void
fake_cache_reset(struct dpt_cache *c)
{
	memset(c, 0, sizeof(*c));
	c->st.budget = 512u << 20;
}

uint64_t
dpt_dp_now_us(void)
{
	return fake_now_us;
}

unsigned int
dpt_dp_n_workers(const struct dpt_dp *dp)
{
	return dp->n_workers;
}

void
dpt_dp_worker_stats(const struct dpt_dp *dp, unsigned int w,
		    struct dpt_worker_stats *st)
{
	*st = dp->workers[w];
}

void
dpt_dp_worker_stats_lifetime(const struct dpt_dp *dp, unsigned int w,
			     struct dpt_worker_stats *st)
{
	*st = dp->workers[w];
}

const char *
dpt_dp_xfer_result_name(unsigned int result)
{
	return result == DPT_XFER_REFUSED ? "refused" :
	       result == DPT_XFER_STOPPED ? "stopped" :
	       dpt_tftp_end_name((enum dpt_tftp_end)result);
}

void
dpt_dp_io_stats(const struct dpt_dp *dp, struct dpt_io_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->rx_pkts = 7;
	st->tx_pkts = 5;
}

/* The real one's shape: `Worker k key: value`, then Total. */
void
dpt_dp_stats_print(const struct dpt_dp *dp, FILE *f)
{
	unsigned int w;
	uint64_t tot = 0;

	for (w = 0; w < dp->n_workers; w++) {
		fprintf(f, "Worker %u sessions-started: %llu\n", w,
			(unsigned long long)dp->workers[w].sess_started);
		tot += dp->workers[w].sess_started;
	}
	fprintf(f, "Total sessions-started: %llu\n", (unsigned long long)tot);
}

void
dpt_dp_stats_line(const struct dpt_dp *dp, FILE *f)
{
	fprintf(f, "stats: fake\n");
}

void
dpt_dp_clear_stats(struct dpt_dp *dp)
{
	dp->clears++;
}

int
dpt_dp_sessions(struct dpt_dp *dp, int w, int family, const void *ip,
		void (*fn)(const struct dpt_session_info *, void *), void *arg)
{
	unsigned int i;
	int n = 0;

	dp->sessions_calls++;
	dp->asked_worker = w;
	dp->asked_family = family;
	if (ip != NULL)
		memcpy(dp->asked_ip, ip, family == AF_INET ? 4 : 16);
	if (dp->sessions_rc < 0)
		return dp->sessions_rc;
	for (i = 0; i < dp->n_sessions; i++) {
		const struct dpt_session_info *s = &dp->sessions[i];

		if (w >= 0 && s->worker != (unsigned int)w)
			continue;
		if (family != 0 && (s->family != family ||
				    memcmp(s->client_ip, ip, family == AF_INET ?
					   4 : 16) != 0))
			continue;
		fn(s, arg);
		n++;
	}
	return n;
}

int
dpt_dp_session_kill(struct dpt_dp *dp, uint64_t id, const char *msg)
{
	unsigned int i;

	for (i = 0; i < dp->n_sessions; i++) {
		if (dp->sessions[i].id != id)
			continue;
		dp->killed = id;
		dp->kills++;
		dp->sessions[i] = dp->sessions[--dp->n_sessions];
		return 0;
	}
	return -ENOENT;
}

int
dpt_dp_set_tftp(struct dpt_dp *dp, const struct dpt_tftp_config *t)
{
	if (dp->set_tftp_rc < 0)
		return dp->set_tftp_rc;
	dp->tftp = *t;
	return 0;
}

void
dpt_dp_get_tftp(const struct dpt_dp *dp, struct dpt_tftp_config *t)
{
	*t = dp->tftp;
}

void
dpt_dp_set_max_sessions(struct dpt_dp *dp, uint32_t n)
{
	dp->max_sessions = n;
}

uint32_t
dpt_dp_get_max_sessions(const struct dpt_dp *dp)
{
	return dp->max_sessions;
}

void
dpt_dp_set_port_rate(struct dpt_dp *dp, uint64_t bits_per_s)
{
	dp->port_rate = bits_per_s;
}

uint64_t
dpt_dp_get_port_rate(const struct dpt_dp *dp)
{
	return dp->port_rate;
}

int
dpt_dp_set_balance(struct dpt_dp *dp, enum dpt_conf_balance b)
{
	if ((unsigned int)b >= DPT_BALANCE_COUNT)
		return -EINVAL;
	dp->balance = b;
	return 0;
}

enum dpt_conf_balance
dpt_dp_get_balance(const struct dpt_dp *dp)
{
	return dp->balance;
}

void
dpt_cache_stats(const struct dpt_cache *c, struct dpt_cache_stats *st)
{
	*st = c->st;
}

unsigned int
dpt_cache_list(const struct dpt_cache *c,
	       void (*fn)(const struct dpt_cache_entry_info *, void *),
	       void *arg)
{
	unsigned int i;

	for (i = 0; i < c->n_files; i++)
		fn(&c->files[i], arg);
	return c->n_files;
}

int
dpt_cache_preload(struct dpt_cache *c, const char *name)
{
	snprintf(c->preloaded, sizeof(c->preloaded), "%s", name);
	return strcmp(name, "missing.bin") == 0 ? -ENOENT : 0;
}

int
dpt_cache_evict(struct dpt_cache *c, const char *name)
{
	snprintf(c->evicted, sizeof(c->evicted), "%s", name);
	return c->evict_rc;
}

unsigned int
dpt_cache_flush(struct dpt_cache *c)
{
	return c->flushed;
}
