/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * What the operator talks to, in the order it must come up: the console,
 * its socket and the telemetry commands exist before the lcores start (so a
 * socket that cannot be made stops us before anything runs); the command
 * file runs once the dataplane answers, before the ready line, so what it
 * sets holds for the first request; the -i prompt opens last, under the
 * ready line. Packet capture (rte_pdump) serves dpdk-dumpcap on ethdev
 * ports.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_pdump.h>

#include "dpt_console.h"
#include "dptftpd.h"

static bool pdump_on;

static void
fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "dptftpd: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

struct dpt_console *
app_console_open(const struct dpt_conf *conf, struct dpt_dp *dp,
		 struct dpt_xlog *xlog, struct dpt_cache *cache,
		 struct dpt_port *const *ports, uint16_t n_ports)
{
	struct dpt_console_params p = {
		.dp = dp, .cache = cache, .ports = ports, .n_ports = n_ports,
		.conf = conf, .xlog = xlog,
	};
	struct dpt_console *con = dpt_console_create(&p);
	char err[DPT_CONF_ERR_MAX];
	int rc;

	if (con == NULL)
		fail("cannot create the console: %s", strerror(errno));
	if (conf->console_socket[0] != '\0' &&
	    dpt_console_listen(con, conf->console_socket, err,
			       sizeof(err)) < 0)
		fail("%s", err);
	/* Telemetry is a convenience: without it (--no-telemetry) we serve. */
	rc = dpt_console_telemetry(con);
	if (rc < 0)
		fprintf(stderr, "dptftpd: telemetry commands not registered: "
			"%s\n", strerror(-rc));
	if (conf->backend == DPT_BACKEND_ETHDEV) {
		if (rte_pdump_init() == 0)
			pdump_on = true;
		else
			fprintf(stderr, "dptftpd: packet capture not available: "
				"%s\n", rte_strerror(rte_errno));
	}
	return con;
}

void
app_console_run_file(struct dpt_console *con, const struct dpt_conf *conf)
{
	int rc;

	if (conf->cmdline_file[0] != '\0') {
		printf("dptftpd: running %s\n", conf->cmdline_file);
		rc = dpt_console_run_file(con, conf->cmdline_file,
					  STDOUT_FILENO);
		if (rc < 0)
			fprintf(stderr, "dptftpd: %s: %s\n", conf->cmdline_file,
				strerror(errno));
		else if (rc > 0)
			fprintf(stderr, "dptftpd: %s: %d command%s failed\n",
				conf->cmdline_file, rc, rc == 1 ? "" : "s");
	}
}

void
app_console_prompt(struct dpt_console *con, const struct dpt_conf *conf)
{
	if (conf->interactive && dpt_console_stdin(con) < 0)
		fprintf(stderr, "dptftpd: cannot open the prompt\n");
}

void
app_console_close(struct dpt_console *con, const struct dpt_conf *conf)
{
	dpt_console_destroy(con);
	if (pdump_on) {
		rte_pdump_uninit();
		pdump_on = false;
	}
}
