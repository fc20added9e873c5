/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The file cache: `show cache`, `cache load <file>`, `cache evict <file>`,
 * `cache flush`. All of it runs on the main lcore, the only one that may
 * change the cache; workers keep reading what they hold.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "console_internal.h"

static const char *
entry_state(const struct dpt_cache_entry_info *e, char *buf, size_t len)
{
	if (e->load_err != 0)
		snprintf(buf, len, "error (%s)", strerror(-e->load_err));
	else if (e->stale)
		snprintf(buf, len, "stale");
	else if (e->loading)
		snprintf(buf, len, "loading");
	else
		snprintf(buf, len, "resident");
	return buf;
}

static void
print_entry(const struct dpt_cache_entry_info *e, void *arg)
{
	FILE *f = arg;
	char state[64], path[4 * sizeof(e->path)];

	fprintf(f, "File: %s\n  Size: %" PRIu64 "\n  Loaded: %" PRIu64 "\n"
		"  Sessions: %u\n  State: %s\n",
		dpt_text_escape(e->path, path, sizeof(path)), e->size, e->loaded,
		e->refcnt, entry_state(e, state, sizeof(state)));
}

static void
cmd_show_cache_parsed(void *res, struct cmdline *cl, void *data)
{
	struct dpt_console *c = console_get();
	struct dpt_cache_stats st;
	unsigned int n;
	FILE *f;

	if (c == NULL || (f = console_file(cl)) == NULL)
		return;
	dpt_cache_stats(c->cache, &st);
	fprintf(f, "Entries: %" PRIu64 "\nBytes-resident: %" PRIu64 "\n"
		"Budget: %" PRIu64 "\nHits: %" PRIu64 "\nMisses: %" PRIu64 "\n"
		"Loads-in-progress: %" PRIu64 "\nEvictions: %" PRIu64 "\n"
		"Load-errors: %" PRIu64 "\nOpen-files: %" PRIu64 "\n"
		"Open-files-max: %" PRIu64 "\nFiles-closed: %" PRIu64 "\n",
		st.entries, st.bytes_resident, st.budget, st.hits, st.misses,
		st.loads_in_progress, st.evictions, st.load_errors,
		st.files_open, st.files_max, st.files_closed);
	n = dpt_cache_list(c->cache, print_entry, f);
	fprintf(f, "Files: %u\n", n);
	fclose(f);
}

struct cmd_cache_result {
	cmdline_fixed_string_t cache;
	cmdline_fixed_string_t verb;
	cmdline_multi_string_t file;	/* the rest of the line: spaces too */
};

/* cmdline keeps the trailing blanks of a multi-word token. */
static char *
trim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

static void
cmd_cache_file_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_cache_result *r = res;
	struct dpt_console *c = console_get();
	const char *file = trim(r->file);
	int rc;

	if (c == NULL)
		return;
	if (*file == '\0') {
		cmdline_printf(cl, "Error: cache %s needs a file name\n",
			       r->verb);
		return;
	}
	if (strcmp(r->verb, "load") == 0) {
		rc = dpt_cache_preload(c->cache, file);
		if (rc == 0)
			cmdline_printf(cl, "Loading: %s\n", file);
		else
			cmdline_printf(cl, "Error: %s: %s\n", file,
				       strerror(-rc));
		return;
	}
	rc = dpt_cache_evict(c->cache, file);
	if (rc >= 0)
		cmdline_printf(cl, "Evicted: %d\n", rc);
	else if (rc == -ENOENT)
		cmdline_printf(cl, "Error: %s is not cached\n", file);
	else if (rc == -EBUSY)
		cmdline_printf(cl, "Error: %s is in use; it goes when its "
			       "sessions end\n", file);
	else
		cmdline_printf(cl, "Error: %s: %s\n", file, strerror(-rc));
}

static void
cmd_cache_flush_parsed(void *res, struct cmdline *cl, void *data)
{
	struct dpt_console *c = console_get();

	if (c != NULL)
		cmdline_printf(cl, "Flushed: %u\n", dpt_cache_flush(c->cache));
}

static cmdline_parse_token_string_t tok_show =
	TOKEN_STRING_INITIALIZER(struct cmd_cache_result, cache, "show");
static cmdline_parse_token_string_t tok_cache_obj =
	TOKEN_STRING_INITIALIZER(struct cmd_cache_result, verb, "cache");
static cmdline_parse_token_string_t tok_cache =
	TOKEN_STRING_INITIALIZER(struct cmd_cache_result, cache, "cache");
static cmdline_parse_token_string_t tok_file_verb =
	TOKEN_STRING_INITIALIZER(struct cmd_cache_result, verb, "load#evict");
static cmdline_parse_token_string_t tok_flush =
	TOKEN_STRING_INITIALIZER(struct cmd_cache_result, verb, "flush");
static cmdline_parse_token_string_t tok_file =
	TOKEN_STRING_INITIALIZER(struct cmd_cache_result, file,
				 TOKEN_STRING_MULTI);

static cmdline_parse_inst_t cmd_show_cache = {
	.f = cmd_show_cache_parsed,
	.help_str = "show cache: counters and every cached file",
	.tokens = { (void *)&tok_show, (void *)&tok_cache_obj, NULL },
};

static cmdline_parse_inst_t cmd_cache_file = {
	.f = cmd_cache_file_parsed,
	.help_str = "cache load|evict <file>: load a file now, or drop it",
	.tokens = { (void *)&tok_cache, (void *)&tok_file_verb, (void *)&tok_file, NULL },
};

static cmdline_parse_inst_t cmd_cache_flush = {
	.f = cmd_cache_flush_parsed,
	.help_str = "cache flush: drop every file no session holds",
	.tokens = { (void *)&tok_cache, (void *)&tok_flush, NULL },
};

static cmdline_parse_inst_t *const cache_insts[] = {
	&cmd_show_cache, &cmd_cache_file, &cmd_cache_flush, NULL,
};

static const struct console_help cache_help[] = {
	{ "show cache",
	  "entries, bytes resident, budget, hits, misses, evictions, open "
	  "files; then "
	  "each file (least recently used first): size, loaded, sessions, "
	  "state" },
	{ "cache load <file>",
	  "start loading a file (a path beneath the root) before anyone asks" },
	{ "cache evict <file>",
	  "drop a file's cached versions that no session holds" },
	{ "cache flush", "drop every file no session holds" },
	{ NULL, NULL },
};

const struct console_group console_group_cache = {
	.name = "cache",
	.title = "File cache",
	.insts = cache_insts,
	.help = cache_help,
};
