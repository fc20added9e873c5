/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The console's own commands: `help [group]`, `load <file>`, `quit`.
 * `help` reads each area's table, so a command cannot exist without its
 * line there.
 */

#include <string.h>

#include "console_internal.h"

#define HELP_COL 34
#define HELP_WIDTH 79

static char group_choices[128];

/* The description from column HELP_COL, wrapped at HELP_WIDTH. */
static void
help_what(FILE *f, const char *what)
{
	int used = 0, n;

	while (*what != '\0') {
		what += strspn(what, " ");
		n = (int)strcspn(what, " ");
		if (used > 0 && HELP_COL + used + 1 + n > HELP_WIDTH) {
			fprintf(f, "\n%*s", HELP_COL, "");
			used = 0;
		}
		fprintf(f, "%s%.*s", used > 0 ? " " : "", n, what);
		used += (used > 0) + n;
		what += n;
	}
	fputc('\n', f);
}

static void
help_group(FILE *f, const struct console_group *g)
{
	const struct console_help *h;

	fprintf(f, "%s (help %s):\n", g->title, g->name);
	for (h = g->help; h->syntax != NULL; h++) {
		if (strlen(h->syntax) < HELP_COL - 2)
			fprintf(f, "  %-*s", HELP_COL - 2, h->syntax);
		else
			fprintf(f, "  %s\n%*s", h->syntax, HELP_COL, "");
		help_what(f, h->what);
	}
}

void
console_help_print(FILE *f, const char *group)
{
	unsigned int g;

	for (g = 0; g < console_n_groups; g++) {
		if (group != NULL && strcmp(group, console_groups[g]->name))
			continue;
		help_group(f, console_groups[g]);
		if (group == NULL && g + 1 < console_n_groups)
			fputc('\n', f);
	}
	if (group == NULL)
		fprintf(f, "\nTab completes; '?' lists what may come next. "
			"Output is `Key: value`.\n");
}

void
console_misc_init(void)
{
	const char *names[16];
	unsigned int g;

	for (g = 0; g < console_n_groups && g < RTE_DIM(names); g++)
		names[g] = console_groups[g]->name;
	console_choices(group_choices, sizeof(group_choices), names, g);
}

struct cmd_misc_result {
	cmdline_fixed_string_t verb;
	cmdline_fixed_string_t group;
	cmdline_multi_string_t file;
};

static void
cmd_help_parsed(void *res, struct cmdline *cl, void *with_group)
{
	struct cmd_misc_result *r = res;
	FILE *f = console_file(cl);

	if (f == NULL)
		return;
	console_help_print(f, with_group != NULL ? r->group : NULL);
	fclose(f);
}

static void
cmd_load_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_misc_result *r = res;
	struct dpt_console *c = console_get();
	size_t n = strlen(r->file);

	while (n > 0 && (r->file[n - 1] == ' ' || r->file[n - 1] == '\t'))
		r->file[--n] = '\0';
	if (c == NULL)
		return;
	if (n == 0) {
		cmdline_printf(cl, "Error: load needs a file name\n");
		return;
	}
	console_run_file(c, cl, r->file);
}

static void
cmd_quit_parsed(void *res, struct cmdline *cl, void *data)
{
	struct dpt_console *c = console_get();

	if (c == NULL)
		return;
	cmdline_printf(cl, "Quit: stopping the server\n");
	c->quit = true;	/* the main loop sees it and shuts down in stages */
}

static cmdline_parse_token_string_t tok_help =
	TOKEN_STRING_INITIALIZER(struct cmd_misc_result, verb, "help");
static cmdline_parse_token_string_t tok_group =
	TOKEN_STRING_INITIALIZER(struct cmd_misc_result, group, group_choices);
static cmdline_parse_token_string_t tok_load =
	TOKEN_STRING_INITIALIZER(struct cmd_misc_result, verb, "load");
static cmdline_parse_token_string_t tok_file =
	TOKEN_STRING_INITIALIZER(struct cmd_misc_result, file,
				 TOKEN_STRING_MULTI);
static cmdline_parse_token_string_t tok_quit =
	TOKEN_STRING_INITIALIZER(struct cmd_misc_result, verb, "quit");

static cmdline_parse_inst_t cmd_help = {
	.f = cmd_help_parsed,
	.data = NULL,
	.help_str = "help: every command",
	.tokens = { (void *)&tok_help, NULL },
};

static cmdline_parse_inst_t cmd_help_group = {
	.f = cmd_help_parsed,
	.data = &cmd_help_group,
	.help_str = "help <group>: one group's commands",
	.tokens = { (void *)&tok_help, (void *)&tok_group, NULL },
};

static cmdline_parse_inst_t cmd_load = {
	.f = cmd_load_parsed,
	.help_str = "load <file>: run the commands in a file",
	.tokens = { (void *)&tok_load, (void *)&tok_file, NULL },
};

static cmdline_parse_inst_t cmd_quit = {
	.f = cmd_quit_parsed,
	.help_str = "quit: stop the server (as SIGTERM does)",
	.tokens = { (void *)&tok_quit, NULL },
};

static cmdline_parse_inst_t *const misc_insts[] = {
	&cmd_help, &cmd_help_group, &cmd_load, &cmd_quit, NULL,
};

static const struct console_help misc_help[] = {
	{ "help [port|worker|session|transfer|cache|config|misc]",
	  "these lines, all or one group's" },
	{ "load <file>",
	  "run the commands in a file, one a line; a line that starts with "
	  "'#' is a comment" },
	{ "quit",
	  "stop the server in stages, as SIGTERM does (Ctrl-D on a "
	  "connection only closes it)" },
	{ NULL, NULL },
};

const struct console_group console_group_misc = {
	.name = "misc",
	.title = "Console",
	.insts = misc_insts,
	.help = misc_help,
};
