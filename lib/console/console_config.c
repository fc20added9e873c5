/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Settings: `show config`, `set balance <strategy>`, `set blksize-max|
 * windowsize-max|timeout|retries|pacing|session-rate|port-rate|
 * max-sessions <value>`, `set log-level <lib> <level>`. Values are read
 * by lib/conf's own parsers, so the console accepts exactly what the
 * command line does; each change goes to the dataplane first and, once it
 * took, into the copy `show config` prints, which then answers in the
 * same `key: value` line.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "console_internal.h"

/* The choices of the completable tokens, filled at start from the tables
 * they name, so a new strategy or setting completes without an edit here. */
static char balance_choices[128];
static char param_choices[128];

#define LEVEL_CHOICES "emerg#alert#crit#err#warning#notice#info#debug"

/* Prints the `show config` line of key, as the dump has it. */
static void
print_setting(struct cmdline *cl, const struct dpt_conf *conf,
	      const char *key)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0, klen = strlen(key);
	FILE *m = open_memstream(&buf, &len);

	if (m == NULL)
		return;
	dpt_conf_dump(conf, m);
	fclose(m);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, key, klen) == 0 && line[klen] == ':')
			cmdline_printf(cl, "%s\n", line);
	free(buf);
}

static int
set_tftp(struct dpt_console *c, const struct dpt_tftp_config *t,
	 char *err, size_t errlen)
{
	int rc = dpt_dp_set_tftp(c->dp, t);

	if (rc < 0)
		snprintf(err, errlen, "the workers did not take it: %s",
			 strerror(-rc));
	return rc;
}

static int
apply_blksize(struct dpt_console *c, const char *val, char *err,
	      size_t errlen)
{
	struct dpt_tftp_config t;
	uint64_t v;

	if (dpt_conf_parse_uint(val, 0, 65464, &v, err, errlen) < 0)
		return -1;
	if (v != 0 && v < 8) {	/* 0: each port's MTU - 32 */
		snprintf(err, errlen, "'%s' is out of range (0 or 8..65464)",
			 val);
		return -1;
	}
	dpt_dp_get_tftp(c->dp, &t);
	t.blksize_max = (uint16_t)v;
	if (set_tftp(c, &t, err, errlen) < 0)
		return -1;
	c->conf.blksize_max = (uint16_t)v;
	return 0;
}

static int
apply_windowsize(struct dpt_console *c, const char *val, char *err,
		 size_t errlen)
{
	struct dpt_tftp_config t;
	uint64_t v;

	if (dpt_conf_parse_uint(val, 1, 65535, &v, err, errlen) < 0)
		return -1;
	dpt_dp_get_tftp(c->dp, &t);
	t.windowsize_max = (uint16_t)v;
	if (set_tftp(c, &t, err, errlen) < 0)
		return -1;
	c->conf.windowsize_max = (uint16_t)v;
	return 0;
}

static int
apply_timeout(struct dpt_console *c, const char *val, char *err,
	      size_t errlen)
{
	struct dpt_tftp_config t;
	uint64_t us;

	if (dpt_conf_parse_duration_us(val, &us, err, errlen) < 0)
		return -1;
	if (us < 10000 || us > 255000000) {
		snprintf(err, errlen, "'%s' is out of range (10ms..255s)", val);
		return -1;
	}
	dpt_dp_get_tftp(c->dp, &t);
	t.timeout_us = (uint32_t)us;
	/* the RTT-adapted floor and the back-off cap bracket it */
	if (t.timeout_min_us > t.timeout_us)
		t.timeout_min_us = t.timeout_us;
	if (t.timeout_max_us < t.timeout_us)
		t.timeout_max_us = t.timeout_us;
	if (set_tftp(c, &t, err, errlen) < 0)
		return -1;
	c->conf.timeout_us = (uint32_t)us;
	return 0;
}

static int
apply_retries(struct dpt_console *c, const char *val, char *err,
	      size_t errlen)
{
	struct dpt_tftp_config t;
	uint64_t v;

	if (dpt_conf_parse_uint(val, 1, 255, &v, err, errlen) < 0)
		return -1;
	dpt_dp_get_tftp(c->dp, &t);
	t.retries = (uint8_t)v;
	if (set_tftp(c, &t, err, errlen) < 0)
		return -1;
	c->conf.retries = (uint8_t)v;
	return 0;
}

/* Sessions slots are allocated at start: lower is possible, not higher. */
static int
apply_max_sessions(struct dpt_console *c, const char *val, char *err,
		   size_t errlen)
{
	uint64_t v;

	if (dpt_conf_parse_uint(val, 1, c->max_sessions_start, &v, err,
				errlen) < 0)
		return -1;
	dpt_dp_set_max_sessions(c->dp, (uint32_t)v);
	c->conf.max_sessions = (uint32_t)v;
	return 0;
}

static int
apply_pacing(struct dpt_console *c, const char *val, char *err,
	     size_t errlen)
{
	struct dpt_tftp_config t;
	bool on;

	if (strcmp(val, "yes") == 0) {
		on = true;
	} else if (strcmp(val, "no") == 0) {
		on = false;
	} else {
		snprintf(err, errlen, "'%s' is not yes or no", val);
		return -1;
	}
	dpt_dp_get_tftp(c->dp, &t);
	t.pace = on;
	if (set_tftp(c, &t, err, errlen) < 0)
		return -1;
	c->conf.pacing = on;
	return 0;
}

static int
apply_session_rate(struct dpt_console *c, const char *val, char *err,
		   size_t errlen)
{
	struct dpt_tftp_config t;
	uint64_t v;

	if (dpt_conf_parse_rate(val, &v, err, errlen) < 0)
		return -1;
	dpt_dp_get_tftp(c->dp, &t);
	t.rate_bps = v;
	if (set_tftp(c, &t, err, errlen) < 0)
		return -1;
	c->conf.session_rate = v;
	return 0;
}

/* At once, for every session: the ports' buckets start full again. */
static int
apply_port_rate(struct dpt_console *c, const char *val, char *err,
		size_t errlen)
{
	uint64_t v;

	if (dpt_conf_parse_rate(val, &v, err, errlen) < 0)
		return -1;
	dpt_dp_set_port_rate(c->dp, v);
	c->conf.port_rate = v;
	return 0;
}

static const struct {
	const char *name;	/* as in `show config` and on the command line */
	int (*apply)(struct dpt_console *c, const char *val, char *err,
		     size_t errlen);
} params[] = {
	{ "blksize-max", apply_blksize },
	{ "windowsize-max", apply_windowsize },
	{ "timeout", apply_timeout },
	{ "retries", apply_retries },
	{ "pacing", apply_pacing },
	{ "session-rate", apply_session_rate },
	{ "port-rate", apply_port_rate },
	{ "max-sessions", apply_max_sessions },
};

void
console_config_init(void)
{
	const char *names[DPT_BALANCE_COUNT > RTE_DIM(params) ?
			  DPT_BALANCE_COUNT : RTE_DIM(params)];
	unsigned int i;

	for (i = 0; i < DPT_BALANCE_COUNT; i++)
		names[i] = dpt_conf_balance_name(i);
	console_choices(balance_choices, sizeof(balance_choices), names,
			DPT_BALANCE_COUNT);
	for (i = 0; i < RTE_DIM(params); i++)
		names[i] = params[i].name;
	console_choices(param_choices, sizeof(param_choices), names,
			RTE_DIM(params));
}

struct cmd_set_result {
	cmdline_fixed_string_t verb;
	cmdline_fixed_string_t what;
	cmdline_fixed_string_t arg;
	cmdline_fixed_string_t level;
};

static void
cmd_show_config_parsed(void *res, struct cmdline *cl, void *data)
{
	struct dpt_console *c = console_get();
	FILE *f;

	if (c == NULL || (f = console_file(cl)) == NULL)
		return;
	dpt_conf_dump(&c->conf, f);
	fclose(f);
}

static void
cmd_set_balance_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_set_result *r = res;
	struct dpt_console *c = console_get();
	int b = dpt_conf_balance_parse(r->arg);

	if (c == NULL)
		return;
	char list[sizeof(balance_choices) * 2];

	if (b < 0 || dpt_dp_set_balance(c->dp, b) < 0) {
		cmdline_printf(cl, "Error: unknown strategy '%s' (%s)\n", r->arg,
			       console_choices_list(balance_choices, list,
						    sizeof(list)));
		return;
	}
	c->conf.balance = b;
	print_setting(cl, &c->conf, "balance");
}

static void
cmd_set_param_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_set_result *r = res;
	struct dpt_console *c = console_get();
	char err[DPT_CONF_ERR_MAX];
	unsigned int i;

	if (c == NULL)
		return;
	for (i = 0; i < RTE_DIM(params); i++) {
		if (strcmp(params[i].name, r->what) != 0)
			continue;
		if (params[i].apply(c, r->arg, err, sizeof(err)) < 0)
			cmdline_printf(cl, "Error: %s: %s\n", r->what, err);
		else
			print_setting(cl, &c->conf, r->what);
		return;
	}
}

/*
 * A bare name is one of ours ("cache" is dptftp.cache, "all" every
 * dptftp.* type); anything with a dot or a star is an rte_log pattern
 * ("lib.eal", "pmd.net.*").
 */
static void
cmd_set_log_level_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_set_result *r = res;
	struct dpt_console *c = console_get();
	char pattern[sizeof(r->arg) + 8];
	int i;

	if (strcmp(r->arg, "all") == 0)
		snprintf(pattern, sizeof(pattern), "dptftp.*");
	else if (strpbrk(r->arg, ".*") != NULL)
		snprintf(pattern, sizeof(pattern), "%s", r->arg);
	else
		snprintf(pattern, sizeof(pattern), "dptftp.%s", r->arg);
	i = dpt_conf_log_level(r->level);
	if (i < 0) {
		char list[128];

		cmdline_printf(cl, "Error: unknown level '%s' (%s)\n", r->level,
			       console_choices_list(LEVEL_CHOICES, list,
						    sizeof(list)));
		return;
	}
	if (rte_log_set_level_pattern(pattern, RTE_LOG_EMERG + i) < 0) {
		cmdline_printf(cl, "Error: cannot set %s to %s\n", pattern,
			       r->level);
		return;
	}
	if (c != NULL && strcmp(pattern, "dptftp.*") == 0)
		snprintf(c->conf.log_level, sizeof(c->conf.log_level), "%s",
			 dpt_conf_log_level_name((unsigned int)i));
	cmdline_printf(cl, "log-level %s: %s\n", pattern,
		       dpt_conf_log_level_name((unsigned int)i));
}

static cmdline_parse_token_string_t tok_show =
	TOKEN_STRING_INITIALIZER(struct cmd_set_result, verb, "show");
static cmdline_parse_token_string_t tok_config =
	TOKEN_STRING_INITIALIZER(struct cmd_set_result, what, "config");
static cmdline_parse_token_string_t tok_set =
	TOKEN_STRING_INITIALIZER(struct cmd_set_result, verb, "set");
static cmdline_parse_token_string_t tok_balance =
	TOKEN_STRING_INITIALIZER(struct cmd_set_result, what, "balance");
static cmdline_parse_token_string_t tok_strategy =
	CONSOLE_TOKEN_CHOICE_INITIALIZER(struct cmd_set_result, arg,
					 balance_choices);
static cmdline_parse_token_string_t tok_param =
	TOKEN_STRING_INITIALIZER(struct cmd_set_result, what, param_choices);
static cmdline_parse_token_string_t tok_value =
	TOKEN_STRING_INITIALIZER(struct cmd_set_result, arg, NULL);
static cmdline_parse_token_string_t tok_log_level =
	TOKEN_STRING_INITIALIZER(struct cmd_set_result, what, "log-level");
static cmdline_parse_token_string_t tok_lib =
	TOKEN_STRING_INITIALIZER(struct cmd_set_result, arg, NULL);
static cmdline_parse_token_string_t tok_level =
	CONSOLE_TOKEN_CHOICE_INITIALIZER(struct cmd_set_result, level,
					 LEVEL_CHOICES);

static cmdline_parse_inst_t cmd_show_config = {
	.f = cmd_show_config_parsed,
	.help_str = "show config: every setting as it is now",
	.tokens = { (void *)&tok_show, (void *)&tok_config, NULL },
};

static cmdline_parse_inst_t cmd_set_balance = {
	.f = cmd_set_balance_parsed,
	.help_str = "set balance <strategy>: where new sessions land",
	.tokens = { (void *)&tok_set, (void *)&tok_balance, (void *)&tok_strategy, NULL },
};

static cmdline_parse_inst_t cmd_set_param = {
	.f = cmd_set_param_parsed,
	.help_str = "set blksize-max|windowsize-max|timeout|retries|"
		    "pacing|session-rate|port-rate|max-sessions <value>",
	.tokens = { (void *)&tok_set, (void *)&tok_param, (void *)&tok_value, NULL },
};

static cmdline_parse_inst_t cmd_set_log_level = {
	.f = cmd_set_log_level_parsed,
	.help_str = "set log-level <lib> <level>: one library's logging",
	.tokens = { (void *)&tok_set, (void *)&tok_log_level, (void *)&tok_lib, (void *)&tok_level, NULL },
};

static cmdline_parse_inst_t *const config_insts[] = {
	&cmd_show_config, &cmd_set_balance, &cmd_set_param,
	&cmd_set_log_level, NULL,
};

static const struct console_help config_help[] = {
	{ "show config", "every setting, as `key: value` (changes included)" },
	{ "set balance <strategy>",
	  "where new sessions land: round-robin, client-hash, least-loaded" },
	{ "set blksize-max <n>", "largest blksize granted (0: MTU - 32)" },
	{ "set windowsize-max <n>", "largest windowsize granted" },
	{ "set timeout <duration>",
	  "wait before a retransmission (500ms, 2s, ...)" },
	{ "set retries <n>", "retransmissions before a session is dropped" },
	{ "set pacing yes|no",
	  "after a loss, spread windows over the RTT (docs/tuning.md)" },
	{ "set session-rate <rate>",
	  "most bits a second one download sends, from now on (950M, "
	  "2.5G; 0: no limit)" },
	{ "set port-rate <rate>",
	  "most bits a second of DATA each port sends, at once (0: no "
	  "limit)" },
	{ "set max-sessions <n>",
	  "most sessions at once (up to the number set at start)" },
	{ "set log-level <lib> <level>",
	  "<lib>: cache, dp, port, console, ... (dptftp.<lib>), all, or an "
	  "rte_log pattern; <level>: emerg ... debug" },
	{ NULL, NULL },
};

const struct console_group console_group_config = {
	.name = "config",
	.title = "Settings",
	.insts = config_insts,
	.help = config_help,
};
