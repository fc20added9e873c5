/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Snapshots for telemetry. rte_telemetry answers on threads of its own,
 * but sessions are asked of the workers by the main lcore alone
 * (dpt_dp_sessions), and the cache and the ports' stats() (ethdev calls,
 * AF_XDP socket options) are the main lcore's, so a telemetry thread may
 * not read them. Counters it reads itself (relaxed loads).
 *
 * Why on request rather than every second: a periodic copy costs a round
 * trip to every worker each second for a reader that may never come, and
 * answers with data up to a second old. Instead a reader sets a bit in
 * `want` and waits on a condition variable; the main loop tests that bit
 * each pass (one relaxed load: free when nobody asks), builds the copy
 * without any lock, then, under the lock, flips it in (two buffers per
 * kind) and wakes the readers. The main lcore never waits on a reader
 * (it holds the lock only to flip); a reader waits at most SNAP_WAIT_MS,
 * then gets the last copy and its age. Readers hold the lock while they
 * format, so detaching (the console going away) waits for them, and they
 * see `console` NULL afterwards.
 */

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "console_internal.h"

#define SNAP_WAIT_MS 2000	/* a session dump waits up to 1 s itself */

static struct snap_sessions snap_sessions[2];
static struct snap_cache snap_cache[2];
static struct snap_config snap_config[2];
static struct snap_ports snap_ports[2];

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct dpt_console *console;	/* NULL: detached */
	unsigned int want;		/* 1 << kind: atomics */
	struct {
		void *buf[2];
		unsigned int front;	/* what readers see; main flips it */
		uint64_t gen;		/* flips so far */
		uint64_t taken_us;	/* when front was made */
	} kind[SNAP_COUNT];
} tel = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
	.kind = {
		[SNAP_SESSIONS] = { { &snap_sessions[0], &snap_sessions[1] } },
		[SNAP_CACHE] = { { &snap_cache[0], &snap_cache[1] } },
		[SNAP_CONFIG] = { { &snap_config[0], &snap_config[1] } },
		[SNAP_PORTS] = { { &snap_ports[0], &snap_ports[1] } },
	},
};

/* ---- main lcore ------------------------------------------------------ */

static void
keep_session(const struct dpt_session_info *s, void *arg)
{
	struct snap_sessions *ss = arg;

	if (ss->kept < SNAP_SESSIONS_MAX)
		ss->s[ss->kept++] = *s;
}

static void
fill_sessions(struct dpt_console *c, void *buf)
{
	struct snap_sessions *ss = buf;

	ss->kept = 0;
	ss->total = dpt_dp_sessions(c->dp, -1, 0, NULL, keep_session, ss);
}

static void
keep_file(const struct dpt_cache_entry_info *e, void *arg)
{
	struct snap_cache *sc = arg;

	if (sc->kept < SNAP_FILES_MAX)
		sc->e[sc->kept++] = *e;
}

static void
fill_cache(struct dpt_console *c, void *buf)
{
	struct snap_cache *sc = buf;

	dpt_cache_stats(c->cache, &sc->st);
	sc->kept = 0;
	sc->total = dpt_cache_list(c->cache, keep_file, sc);
}

static void
fill_config(struct dpt_console *c, void *buf)
{
	struct snap_config *sf = buf;
	FILE *f = fmemopen(sf->text, sizeof(sf->text), "w");

	sf->text[0] = '\0';
	if (f == NULL)
		return;
	dpt_conf_dump(&c->conf, f);
	fclose(f);
	sf->text[sizeof(sf->text) - 1] = '\0';
}

/* What `show port stats` shows beyond the common counters, as numbers. */
static void
fill_ports(struct dpt_console *c, void *buf)
{
	struct snap_ports *sp = buf;
	uint16_t i;

	sp->n = 0;
	for (i = 0; i < c->n_ports; i++)
		sp->n = dpt_port_stats_read(c->ports[i], false, sp->l, sp->n,
					    SNAP_PORT_LINES);
}

static void (*const fill[SNAP_COUNT])(struct dpt_console *, void *) = {
	[SNAP_SESSIONS] = fill_sessions,
	[SNAP_CACHE] = fill_cache,
	[SNAP_CONFIG] = fill_config,
	[SNAP_PORTS] = fill_ports,
};

unsigned int
console_telemetry_poll(struct dpt_console *c)
{
	unsigned int want = __atomic_load_n(&tel.want, __ATOMIC_ACQUIRE);
	uint64_t now;
	int k;

	if (want == 0)
		return 0;
	/* Only the main lcore flips `front`: reading it needs no lock. */
	for (k = 0; k < SNAP_COUNT; k++)
		if (want & (1u << k))
			fill[k](c, tel.kind[k].buf[tel.kind[k].front ^ 1]);
	now = dpt_dp_now_us();
	pthread_mutex_lock(&tel.lock);
	for (k = 0; k < SNAP_COUNT; k++) {
		if (!(want & (1u << k)))
			continue;
		tel.kind[k].front ^= 1;
		tel.kind[k].gen++;
		tel.kind[k].taken_us = now;
	}
	__atomic_and_fetch(&tel.want, ~want, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&tel.cond);
	pthread_mutex_unlock(&tel.lock);
	return 1;
}

void
console_tel_attach(struct dpt_console *c)
{
	pthread_mutex_lock(&tel.lock);
	tel.console = c;
	pthread_mutex_unlock(&tel.lock);
}

void
console_telemetry_detach(void)
{
	pthread_mutex_lock(&tel.lock);
	tel.console = NULL;
	pthread_cond_broadcast(&tel.cond);
	pthread_mutex_unlock(&tel.lock);
}

/* ---- telemetry threads ----------------------------------------------- */

struct dpt_console *
console_tel_lock(void)
{
	pthread_mutex_lock(&tel.lock);
	if (tel.console == NULL)
		pthread_mutex_unlock(&tel.lock);
	return tel.console;
}

void
console_tel_unlock(void)
{
	pthread_mutex_unlock(&tel.lock);
}

const void *
console_snap_get(enum console_snap_kind kind, uint64_t *age_us)
{
	uint64_t gen = tel.kind[kind].gen;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += SNAP_WAIT_MS / 1000;
	until.tv_nsec += (long)(SNAP_WAIT_MS % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	__atomic_or_fetch(&tel.want, 1u << kind, __ATOMIC_RELEASE);
	while (tel.console != NULL && tel.kind[kind].gen == gen)
		if (pthread_cond_timedwait(&tel.cond, &tel.lock, &until) ==
		    ETIMEDOUT)
			break;
	if (tel.console == NULL || tel.kind[kind].gen == 0)
		return NULL;
	*age_us = dpt_dp_now_us() - tel.kind[kind].taken_us;
	return tel.kind[kind].buf[tel.kind[kind].front];
}
