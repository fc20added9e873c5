/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The console itself: the command table built from each area's group, the
 * one console the handlers reach, output to whichever prompt asked, and
 * command files (--cmdline-file, `load`).
 */

#define _GNU_SOURCE	/* fopencookie() */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console_internal.h"

RTE_LOG_REGISTER(dpt_console_logtype, dptftp.console, INFO);

const struct console_group *const console_groups[] = {
	&console_group_port,
	&console_group_worker,
	&console_group_session,
	&console_group_transfer,
	&console_group_cache,
	&console_group_config,
	&console_group_misc,
};
const unsigned int console_n_groups = RTE_DIM(console_groups);

/*
 * cmdline's instances are static tables whose data pointer cannot carry a
 * console, and one process serves one dataplane: the handlers find it here.
 */
static struct dpt_console *the_console;

struct dpt_console *
console_get(void)
{
	return the_console;
}

char *
console_choices(char *buf, size_t len, const char *const *names,
		unsigned int n)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i ? "#" : "", names[i]);
	return buf;
}

/* One word, of the choices or not: the handler judges it. */
static int
choice_parse(cmdline_parse_token_hdr_t *tk, const char *buf, void *res,
	     unsigned int ressize)
{
	struct cmdline_token_string any;
	int rc = cmdline_parse_string(tk, buf, res, ressize);

	if (rc >= 0)
		return rc;
	memcpy(&any, tk, sizeof(any));
	any.hdr.ops = &cmdline_token_string_ops;
	any.string_data.str = NULL;
	return cmdline_parse_string(&any.hdr, buf, res, ressize);
}

struct cmdline_token_ops console_token_choice_ops = {
	.parse = choice_parse,
	.complete_get_nb = cmdline_complete_get_nb_string,
	.complete_get_elt = cmdline_complete_get_elt_string,
	.get_help = cmdline_get_help_string,
};

const char *
console_choices_list(const char *choices, char *buf, size_t len)
{
	size_t i, n = 0;

	for (i = 0; choices[i] != '\0' && n + 3 < len; i++) {
		if (choices[i] == '#') {
			buf[n++] = ',';
			buf[n++] = ' ';
		} else {
			buf[n++] = choices[i];
		}
	}
	buf[n] = '\0';
	return buf;
}

static cmdline_parse_ctx_t *
build_ctx(void)
{
	cmdline_parse_ctx_t *ctx;
	unsigned int g, i, n = 0;

	for (g = 0; g < console_n_groups; g++)
		for (i = 0; console_groups[g]->insts[i] != NULL; i++)
			n++;
	ctx = calloc(n + 1, sizeof(*ctx));
	if (ctx == NULL)
		return NULL;
	n = 0;
	for (g = 0; g < console_n_groups; g++)
		for (i = 0; console_groups[g]->insts[i] != NULL; i++)
			ctx[n++] = console_groups[g]->insts[i];
	return ctx;
}

struct dpt_console *
dpt_console_create(const struct dpt_console_params *p)
{
	struct dpt_console *c;
	uint16_t i;

	if (the_console != NULL) {
		errno = EBUSY;
		return NULL;
	}
	if (p->n_ports > DPT_CONF_MAX_IFACES || p->conf == NULL) {
		errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->ctx = build_ctx();
	if (c->ctx == NULL) {
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	c->dp = p->dp;
	c->cache = p->cache;
	c->xlog = p->xlog;
	for (i = 0; i < p->n_ports; i++)
		c->ports[i] = p->ports[i];
	c->n_ports = p->n_ports;
	c->conf = *p->conf;
	c->max_sessions_start = p->conf->max_sessions;
	c->listen_fd = -1;
	c->started_us = dpt_dp_now_us();
	console_config_init();
	console_misc_init();
	the_console = c;
	return c;
}

void
dpt_console_destroy(struct dpt_console *c)
{
	if (c == NULL)
		return;
	console_telemetry_detach();
	console_io_close(c);
	if (the_console == c)
		the_console = NULL;
	free(c->ctx);
	free(c);
}

bool
dpt_console_quit_requested(const struct dpt_console *c)
{
	return c->quit;
}

struct cmdline *
dpt_console_cmdline(struct dpt_console *c, int in_fd, int out_fd)
{
	return cmdline_new(c->ctx, DPT_CONSOLE_PROMPT, in_fd, out_fd);
}

static ssize_t
file_write(void *cookie, const char *buf, size_t n)
{
	cmdline_printf(cookie, "%.*s", (int)n, buf);
	return (ssize_t)n;
}

FILE *
console_file(struct cmdline *cl)
{
	static const cookie_io_functions_t io = { .write = file_write };
	FILE *f = fopencookie(cl, "w", io);

	if (f == NULL) {
		cmdline_printf(cl, "Error: %s\n", strerror(errno));
		return NULL;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

static const char *
parse_error(int rc)
{
	switch (rc) {
	case CMDLINE_PARSE_AMBIGUOUS:
		return "Ambiguous command";
	case CMDLINE_PARSE_NOMATCH:
		return "Command not found";
	case CMDLINE_PARSE_BAD_ARGS:
		return "Bad arguments";
	default:
		return NULL;
	}
}

/*
 * Line by line through cmdline_parse() on the caller's cmdline, so output
 * goes where the caller's does and nothing is echoed twice. Each command
 * is shown after the prompt, as a transcript reads.
 */
int
console_run_file(struct dpt_console *c, struct cmdline *cl, const char *path)
{
	char line[CONSOLE_LINE_MAX + 2];
	unsigned int lineno = 0;
	int failed = 0, fd, err;
	const char *why;
	FILE *f;

	if (c->load_depth >= CONSOLE_LOAD_DEPTH) {
		cmdline_printf(cl, "Error: %s: files load each other more "
			       "than %u deep\n", path, CONSOLE_LOAD_DEPTH);
		errno = ELOOP;
		return -1;
	}
	/* O_NONBLOCK: a FIFO with no writer must not hang the main lcore */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (f == NULL) {
		err = errno;
		if (fd >= 0)
			close(fd);
		cmdline_printf(cl, "Error: %s: %s\n", path, strerror(err));
		errno = err;
		return -1;
	}
	c->load_depth++;
	while (!c->quit && fgets(line, sizeof(line), f) != NULL) {
		size_t n = strlen(line);

		lineno++;
		if (n > 0 && line[n - 1] != '\n' && n < sizeof(line) - 1)
			strcpy(line + n, "\n");	/* the last line */
		cmdline_printf(cl, DPT_CONSOLE_PROMPT "%s", line);
		why = parse_error(cmdline_parse(cl, line));
		if (why != NULL) {
			cmdline_printf(cl, "Error: %s:%u: %s\n", path, lineno,
				       why);
			failed++;
		}
	}
	c->load_depth--;
	fclose(f);
	return failed;
}

int
dpt_console_run_file(struct dpt_console *c, const char *path, int out_fd)
{
	struct cmdline *cl = cmdline_new(c->ctx, "", -1, out_fd);
	int rc;

	if (cl == NULL) {
		errno = ENOMEM;
		return -1;
	}
	rc = console_run_file(c, cl, path);
	cmdline_free(cl);
	return rc;
}
