/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/console's unit suite: the fixture (a console over fakes, a cmdline
 * writing to a temporary file) and main(). The cases are in
 * test_console_cmds.c (each command's parsing, dispatch and output) and
 * test_console_io.c (files, completion, the socket, telemetry snapshots).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_console.h"

static uint16_t
fp_burst(struct dpt_port *p, uint16_t q, struct rte_mbuf **m, uint16_t n)
{
	return 0;
}

static int
fp_encap(struct dpt_port *p, struct rte_mbuf *m)
{
	return 0;
}

static void
fp_stats(struct dpt_port *p, FILE *f, bool lifetime)
{
	struct fake_port *fp = (struct fake_port *)p;

	fprintf(f, "Fake-mode: on\nFake-drops: %u\n",
		fp->drops - fp->drops_base);
}

static void
fp_info(struct dpt_port *p, FILE *f)
{
	fprintf(f, "Device: fake%u\n", p->id);
}

static void
fp_xstats(struct dpt_port *p, FILE *f)
{
	fprintf(f, "rx_good_packets: 42\n");
}

static void
fp_clear(struct dpt_port *p)
{
	struct fake_port *fp = (struct fake_port *)p;

	dpt_port_counters_rebase(p);
	fp->drops_base = fp->drops;
	fp->clears++;
}

static void
fp_close(struct dpt_port *p)
{
}

/* Port 0 has every optional op; port 1 none, as an older backend. */
static const struct dpt_port_ops fp_ops_full = {
	.name = "fake", .rx_burst = fp_burst, .tx_burst = fp_burst,
	.encap = fp_encap, .stats = fp_stats, .close = fp_close,
	.info = fp_info, .xstats = fp_xstats, .clear = fp_clear,
};
static const struct dpt_port_ops fp_ops_bare = {
	.name = "bare", .rx_burst = fp_burst, .tx_burst = fp_burst,
	.encap = fp_encap, .stats = fp_stats, .close = fp_close,
};

int
tc_setup(void **state)
{
	struct tc *t = calloc(1, sizeof(*t));
	struct dpt_console_params p;
	char path[96];
	unsigned int i;

	if (t == NULL)
		return -1;
	fake_dp_reset(&t->dp);
	fake_cache_reset(&t->cache);
	dpt_conf_defaults(&t->conf);
	snprintf(t->conf.root, sizeof(t->conf.root), "/srv/tftp");
	for (i = 0; i < 2; i++) {
		struct dpt_port *dp = &t->ports[i].port;

		dp->ops = i == 0 ? &fp_ops_full : &fp_ops_bare;
		dp->id = (uint16_t)i;
		dp->n_rxq = dp->n_txq = 1;
		dp->mtu = 1500;
		dp->listen_port = 69;
		snprintf(dp->name, sizeof(dp->name), "eth%u", i);
		t->port_ptrs[i] = dp;
	}
	snprintf(t->dir, sizeof(t->dir), "/tmp/dpt-console-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/out", t->dir);
	t->out_fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	memset(&p, 0, sizeof(p));
	p.dp = &t->dp;
	p.cache = &t->cache;
	p.ports = t->port_ptrs;
	p.n_ports = 2;
	p.conf = &t->conf;
	t->con = dpt_console_create(&p);
	if (t->out_fd < 0 || t->con == NULL)
		return -1;
	t->cl = dpt_console_cmdline(t->con, -1, t->out_fd);
	if (t->cl == NULL)
		return -1;
	*state = t;
	return 0;
}

int
tc_teardown(void **state)
{
	struct tc *t = *state;
	char cmd[128];

	cmdline_free(t->cl);		/* closes out_fd */
	dpt_console_destroy(t->con);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", t->dir);
	free(t->out);
	free(t);
	return 0;
}

const char *
tc_run(struct tc *t, const char *line, int *rc)
{
	char buf[1024];
	size_t len = 0;
	ssize_t n;
	int r;

	assert_int_equal(ftruncate(t->out_fd, 0), 0);
	assert_int_equal(lseek(t->out_fd, 0, SEEK_SET), 0);
	snprintf(buf, sizeof(buf), "%s\n", line);
	r = cmdline_parse(t->cl, buf);
	if (rc != NULL)
		*rc = r;
	free(t->out);
	t->out = NULL;
	assert_int_equal(lseek(t->out_fd, 0, SEEK_SET), 0);
	while ((n = read(t->out_fd, buf, sizeof(buf))) > 0) {
		t->out = realloc(t->out, len + (size_t)n + 1);
		assert_non_null(t->out);
		memcpy(t->out + len, buf, (size_t)n);
		len += (size_t)n;
	}
	if (t->out == NULL)
		t->out = calloc(1, 1);
	t->out[len] = '\0';
	return t->out;
}

const char *
tc_file(struct tc *t, const char *name, const char *text)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", t->dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

int
main(void)
{
	static struct CMUnitTest tests[64];
	size_t n = 0;

	if (tc_n_cmd_tests + tc_n_io_tests > RTE_DIM(tests)) {
		printf("Bail out! more than %zu tests\n", RTE_DIM(tests));
		return 1;
	}
	memcpy(tests, tc_cmd_tests, tc_n_cmd_tests * sizeof(tests[0]));
	n += tc_n_cmd_tests;
	memcpy(tests + n, tc_io_tests, tc_n_io_tests * sizeof(tests[0]));
	n += tc_n_io_tests;
	return _cmocka_run_group_tests("console", tests, n, NULL, NULL);
}
