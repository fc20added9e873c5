/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * rte_telemetry commands, for dpdk-telemetry.py and monitoring agents:
 *
 *   /dptftp/stats     totals of every worker, RX and TX (as `show worker
 *                     stats` Total lines)
 *   /dptftp/workers   {worker index: its counters}; a parameter picks one
 *   /dptftp/ports     {port index: its counters, common and its
 *                     backend's (show port stats)}
 *   /dptftp/sessions  {session id: the session}, up to SNAP_SESSIONS_MAX;
 *                     a parameter picks a worker
 *   /dptftp/cache     cache counters and its files (parallel arrays)
 *   /dptftp/config    every setting, as `show config`
 *
 * Keys are the console's names with '_' for '-': telemetry allows only
 * letters, digits, '_' and '/' in a key, and DPDK 22.11 keeps no dict in
 * an array, hence dicts keyed by index. The callbacks run on telemetry's
 * threads: counters are read directly, with relaxed loads; the rest
 * (sessions, the cache, the settings, the backends' own port counters)
 * comes from console_snapshot.c.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_telemetry.h>

#include "console_internal.h"

#define WK(n, f) { n, offsetof(struct dpt_worker_stats, f) }

/* The counters of `show worker stats`, in its order. */
static const struct {
	const char *name;
	size_t off;
} worker_keys[] = {
	WK("sessions_started", sess_started),
	WK("sessions_completed", sess_completed),
	WK("sessions_failed", sess_failed),
	WK("sessions_timed_out", sess_timed_out),
	WK("sessions_unacked", sess_unacked),
	WK("sessions_superseded", sess_superseded),
	WK("late_final_acks", late_final_acks),
	WK("option_probes", option_probes),
	WK("sessions_active", active),
	WK("requests", requests),
	WK("dup_requests", dup_requests),
	WK("refused_busy", refused_busy),
	WK("errors_limited", errors_limited),
	WK("packets_in", pkts_in),
	WK("packets_out", pkts_out),
	WK("bytes_out", bytes_out),
	WK("bytes_served", bytes_served),
	WK("retransmits", retransmits),
	WK("dup_acks", dup_acks),
	WK("drop_malformed", drop_malformed),
	WK("drop_stale", drop_stale),
	WK("drop_foreign", drop_foreign),
	WK("drop_nomsg", drop_nomsg),
	WK("drop_encap", drop_encap),
	WK("drop_tailroom", drop_tailroom),
	WK("rate_waits", rate_waits),
	WK("port_rate_waits", port_rate_waits),
	WK("nombuf", nombuf),
};

static void
worker_dict(struct rte_tel_data *d, const struct dpt_worker_stats *st)
{
	uint64_t errors = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM(worker_keys); i++)
		rte_tel_data_add_dict_u64(d, worker_keys[i].name,
					  *(const uint64_t *)((const char *)st +
							      worker_keys[i].off));
	for (i = 0; i < DPT_TFTP_ERR_COUNT; i++)
		errors += st->errors_sent[i];
	rte_tel_data_add_dict_u64(d, "errors_sent", errors);
	rte_tel_data_add_dict_u64(d, "drops", st->drop_malformed +
				  st->drop_stale + st->drop_foreign +
				  st->drop_nomsg + st->drop_encap +
				  st->drop_tailroom);
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dpt_console *c = console_tel_lock();
	struct dpt_worker_stats st, tot;
	struct dpt_io_stats io;
	unsigned int w, i, n;

	if (c == NULL)
		return -ENODEV;
	memset(&tot, 0, sizeof(tot));
	n = dpt_dp_n_workers(c->dp);
	for (w = 0; w < n; w++) {
		dpt_dp_worker_stats(c->dp, w, &st);
		for (i = 0; i < sizeof(st) / sizeof(uint64_t); i++)
			((uint64_t *)&tot)[i] += ((uint64_t *)&st)[i];
	}
	dpt_dp_io_stats(c->dp, &io);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "workers", n);
	rte_tel_data_add_dict_u64(d, "uptime_s",
				  (dpt_dp_now_us() - c->started_us) / 1000000);
	rte_tel_data_add_dict_string(d, "balance", dpt_conf_balance_name(
					     dpt_dp_get_balance(c->dp)));
	worker_dict(d, &tot);
	rte_tel_data_add_dict_u64(d, "rx_packets", io.rx_pkts);
	rte_tel_data_add_dict_u64(d, "rx_ring_full", io.rx_ring_full);
	rte_tel_data_add_dict_u64(d, "rx_no_owner", io.rx_no_owner);
	rte_tel_data_add_dict_u64(d, "tx_packets", io.tx_pkts);
	rte_tel_data_add_dict_u64(d, "tx_dropped", io.tx_dropped);
	console_tel_unlock();
	return 0;
}

/* A parameter, when given, must be a number below n: -1 when absent. */
static int
param_index(const char *params, unsigned int n)
{
	char *end;
	unsigned long v;

	if (params == NULL || *params == '\0')
		return -1;
	v = strtoul(params, &end, 10);
	if (*end != '\0' || !isdigit((unsigned char)*params) || v >= n)
		return -2;
	return (int)v;
}

static int
tel_workers(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dpt_console *c = console_tel_lock();
	struct dpt_worker_stats st;
	struct rte_tel_data *one;
	unsigned int w, n;
	char key[16];
	int pick;

	if (c == NULL)
		return -ENODEV;
	n = dpt_dp_n_workers(c->dp);
	pick = param_index(params, n);
	if (pick == -2) {
		console_tel_unlock();
		return -EINVAL;
	}
	if (pick >= 0) {
		dpt_dp_worker_stats(c->dp, (unsigned int)pick, &st);
		rte_tel_data_start_dict(d);
		rte_tel_data_add_dict_u64(d, "worker", (uint64_t)pick);
		worker_dict(d, &st);
		console_tel_unlock();
		return 0;
	}
	rte_tel_data_start_dict(d);
	for (w = 0; w < n; w++) {
		one = rte_tel_data_alloc();
		if (one == NULL)
			break;
		dpt_dp_worker_stats(c->dp, w, &st);
		rte_tel_data_start_dict(one);
		rte_tel_data_add_dict_u64(one, "worker", w);
		worker_dict(one, &st);
		snprintf(key, sizeof(key), "%u", w);
		if (rte_tel_data_add_dict_container(d, key, one, 0) < 0)
			rte_tel_data_free(one);
	}
	console_tel_unlock();
	return 0;
}

/* "Drop-src-mac" -> "drop_src_mac": telemetry's alphabet, in the case of
 * the other keys. */
static const char *
tel_key(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		buf[i] = isalnum((unsigned char)s[i]) ?
			 (char)tolower((unsigned char)s[i]) : '_';
	buf[i] = '\0';
	return buf;
}

/* Port p's dict: its common counters, read here, then its backend's
 * (sp's lines of p, from the main lcore), all since the last clear. */
static void
port_dict(struct rte_tel_data *d, struct dpt_port *p,
	  const struct snap_ports *sp)
{
	struct dpt_port_counters k;
	char key[sizeof(sp->l[0].key)];
	unsigned int i;

	dpt_port_counters_get(p, &k);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "port", p->id);
	rte_tel_data_add_dict_string(d, "name", p->name);
	rte_tel_data_add_dict_string(d, "backend", p->ops->name);
	rte_tel_data_add_dict_u64(d, "rx_packets", k.rx_pkts);
	rte_tel_data_add_dict_u64(d, "rx_bytes", k.rx_bytes);
	rte_tel_data_add_dict_u64(d, "rx_errors", k.rx_errors);
	rte_tel_data_add_dict_u64(d, "rx_nombuf", k.rx_nombuf);
	rte_tel_data_add_dict_u64(d, "rx_truncated", k.rx_truncated);
	rte_tel_data_add_dict_u64(d, "tx_packets", k.tx_pkts);
	rte_tel_data_add_dict_u64(d, "tx_bytes", k.tx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_errors", k.tx_errors);
	for (i = 0; i < sp->n; i++)
		if (sp->l[i].port == p->id)
			rte_tel_data_add_dict_u64(d, tel_key(sp->l[i].key, key,
							     sizeof(key)),
						  sp->l[i].value);
}

static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dpt_console *c = console_tel_lock();
	const struct snap_ports *sp;
	struct rte_tel_data *one;
	char key[16];
	uint64_t age;
	uint16_t i;

	if (c == NULL)
		return -ENODEV;
	sp = console_snap_get(SNAP_PORTS, &age);
	if (sp == NULL) {
		console_tel_unlock();
		return -EAGAIN;
	}
	rte_tel_data_start_dict(d);
	for (i = 0; i < c->n_ports; i++) {
		one = rte_tel_data_alloc();
		if (one == NULL)
			break;
		port_dict(one, c->ports[i], sp);
		snprintf(key, sizeof(key), "%u", c->ports[i]->id);
		if (rte_tel_data_add_dict_container(d, key, one, 0) < 0)
			rte_tel_data_free(one);
	}
	console_tel_unlock();
	return 0;
}

static void
session_dict(struct rte_tel_data *d, const struct dpt_session_info *s)
{
	char client[64], file[RTE_TEL_MAX_STRING_LEN];

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "id", s->id);
	rte_tel_data_add_dict_u64(d, "worker", s->worker);
	rte_tel_data_add_dict_string(d, "client",
				     console_session_client(s, client,
							    sizeof(client)));
	rte_tel_data_add_dict_string(d, "file", dpt_text_escape(s->file, file,
							       sizeof(file)));
	rte_tel_data_add_dict_string(d, "direction", s->op == DPT_TFTP_WRQ ?
				     "upload" : "download");
	rte_tel_data_add_dict_string(d, "state", s->opening ? "opening" :
				     dpt_tftp_state_name(s->state));
	rte_tel_data_add_dict_u64(d, "blksize", s->blksize);
	rte_tel_data_add_dict_u64(d, "windowsize", s->windowsize);
	rte_tel_data_add_dict_u64(d, "size", s->size);
	rte_tel_data_add_dict_u64(d, "bytes", s->progress);
	rte_tel_data_add_dict_u64(d, "retransmits", s->retransmits);
	rte_tel_data_add_dict_u64(d, "age_ms", s->age_us / 1000);
}

static int
tel_sessions(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dpt_console *c = console_tel_lock();
	const struct snap_sessions *ss;
	struct rte_tel_data *one;
	char key[24];
	uint64_t age;
	unsigned int i;
	int pick;

	if (c == NULL)
		return -ENODEV;
	pick = param_index(params, dpt_dp_n_workers(c->dp));
	ss = pick == -2 ? NULL : console_snap_get(SNAP_SESSIONS, &age);
	if (ss == NULL || ss->total < 0) {
		console_tel_unlock();
		return pick == -2 ? -EINVAL : -EAGAIN;
	}
	rte_tel_data_start_dict(d);
	for (i = 0; i < ss->kept; i++) {
		if (pick >= 0 && ss->s[i].worker != (unsigned int)pick)
			continue;
		one = rte_tel_data_alloc();
		if (one == NULL)
			break;
		session_dict(one, &ss->s[i]);
		snprintf(key, sizeof(key), "%" PRIu64, ss->s[i].id);
		if (rte_tel_data_add_dict_container(d, key, one, 0) < 0)
			rte_tel_data_free(one);
	}
	console_tel_unlock();
	return 0;
}

static int
tel_cache(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_tel_data *arr[4];
	const struct snap_cache *sc;
	char path[RTE_TEL_MAX_STRING_LEN];
	uint64_t age;
	unsigned int i;

	if (console_tel_lock() == NULL)
		return -ENODEV;
	sc = console_snap_get(SNAP_CACHE, &age);
	if (sc == NULL) {
		console_tel_unlock();
		return -EAGAIN;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "entries", sc->st.entries);
	rte_tel_data_add_dict_u64(d, "bytes_resident", sc->st.bytes_resident);
	rte_tel_data_add_dict_u64(d, "budget", sc->st.budget);
	rte_tel_data_add_dict_u64(d, "hits", sc->st.hits);
	rte_tel_data_add_dict_u64(d, "misses", sc->st.misses);
	rte_tel_data_add_dict_u64(d, "loads_in_progress",
				  sc->st.loads_in_progress);
	rte_tel_data_add_dict_u64(d, "evictions", sc->st.evictions);
	rte_tel_data_add_dict_u64(d, "load_errors", sc->st.load_errors);
	rte_tel_data_add_dict_u64(d, "open_files", sc->st.files_open);
	rte_tel_data_add_dict_u64(d, "open_files_max", sc->st.files_max);
	rte_tel_data_add_dict_u64(d, "files_closed", sc->st.files_closed);
	rte_tel_data_add_dict_u64(d, "age_ms", age / 1000);
	/* a dict in a dict holds no containers: one array per field */
	for (i = 0; i < RTE_DIM(arr); i++) {
		arr[i] = rte_tel_data_alloc();
		if (arr[i] == NULL)
			break;
		rte_tel_data_start_array(arr[i], i == 0 ? RTE_TEL_STRING_VAL :
					 RTE_TEL_U64_VAL);
	}
	for (i = 0; i < sc->kept && arr[RTE_DIM(arr) - 1] != NULL; i++) {
		rte_tel_data_add_array_string(arr[0], dpt_text_escape(
			sc->e[i].path, path, sizeof(path)));
		rte_tel_data_add_array_u64(arr[1], sc->e[i].size);
		rte_tel_data_add_array_u64(arr[2], sc->e[i].loaded);
		rte_tel_data_add_array_u64(arr[3], sc->e[i].refcnt);
	}
	if (arr[RTE_DIM(arr) - 1] != NULL) {
		rte_tel_data_add_dict_container(d, "files", arr[0], 0);
		rte_tel_data_add_dict_container(d, "files_size", arr[1], 0);
		rte_tel_data_add_dict_container(d, "files_loaded", arr[2], 0);
		rte_tel_data_add_dict_container(d, "files_sessions", arr[3], 0);
	} else {
		for (i = 0; i < RTE_DIM(arr) && arr[i] != NULL; i++)
			rte_tel_data_free(arr[i]);
	}
	console_tel_unlock();
	return 0;
}

/* `key: value` lines into a dict; "iface 0" becomes "iface_0". */
static int
tel_config(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct snap_config *sf;
	char text[SNAP_CONFIG_MAX], *line, *save = NULL, *val, *k;
	uint64_t age;

	if (console_tel_lock() == NULL)
		return -ENODEV;
	sf = console_snap_get(SNAP_CONFIG, &age);
	if (sf == NULL) {
		console_tel_unlock();
		return -EAGAIN;
	}
	memcpy(text, sf->text, sizeof(text));
	console_tel_unlock();
	rte_tel_data_start_dict(d);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		val = strchr(line, ':');
		if (val == NULL)
			continue;
		*val++ = '\0';
		val += *val == ' ';
		for (k = line; *k != '\0'; k++)
			if (!isalnum((unsigned char)*k) && *k != '_')
				*k = '_';
		rte_tel_data_add_dict_string(d, line, val);
	}
	return 0;
}

static const struct {
	const char *cmd;
	telemetry_cb fn;
	const char *help;
} tel_cmds[] = {
	{ "/dptftp/stats", tel_stats,
	  "dptftp totals: sessions, packets, bytes, drops. No parameters" },
	{ "/dptftp/workers", tel_workers,
	  "Counters of every worker. Parameter: a worker index" },
	{ "/dptftp/ports", tel_ports,
	  "Counters of every port, as show port stats. No parameters" },
	{ "/dptftp/sessions", tel_sessions,
	  "Sessions now (up to 32). Parameter: a worker index" },
	{ "/dptftp/cache", tel_cache,
	  "File cache counters and files. No parameters" },
	{ "/dptftp/config", tel_config,
	  "Every setting, as the console's show config. No parameters" },
};

int
dpt_console_telemetry(struct dpt_console *c)
{
	static bool registered;	/* commands cannot be unregistered */
	unsigned int i;
	int rc;

	console_tel_attach(c);
	if (registered)
		return 0;
	for (i = 0; i < RTE_DIM(tel_cmds); i++) {
		rc = rte_telemetry_register_cmd(tel_cmds[i].cmd, tel_cmds[i].fn,
						tel_cmds[i].help);
		if (rc < 0)
			return rc;
	}
	registered = true;
	return 0;
}
