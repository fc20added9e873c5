/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The INI file. rte_cfgfile reads it, but rte_cfgfile keeps no line
 * numbers, silently skips lines it does not understand, and reports its
 * own failures only through rte_log. So a first pass here walks the lines
 * the way rte_cfgfile will (same buffer, same '#' rule, same stripping),
 * refuses what it would refuse or drop with a "file:line:" message, and
 * remembers the line of each entry; the second pass takes the entries from
 * rte_cfgfile in file order and pairs them with those lines.
 */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cfgfile.h>

#include "conf_internal.h"

/* rte_cfgfile_load_with_params reads lines into a buffer this big. */
#define INI_LINE_BUF (CFG_NAME_LEN + CFG_VALUE_LEN + 4)

struct ini_scan {
	const char *path;
	unsigned int *lines;	/* line of each entry, in file order */
	unsigned int n, cap;
};

static char *
strip(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
scan_add(struct ini_scan *sc, unsigned int lineno)
{
	unsigned int *n;

	if (sc->n == sc->cap) {
		n = realloc(sc->lines, (sc->cap + 64) * sizeof(*n));
		if (n == NULL)
			return -ENOMEM;
		sc->lines = n;
		sc->cap += 64;
	}
	sc->lines[sc->n++] = lineno;
	return 0;
}

static int
find_section(const char *name)
{
	int i;

	for (i = 0; i < CONF_SEC_CLI; i++)
		if (strcmp(name, conf_section_names[i]) == 0)
			return i;
	return -1;
}

/* "server, tftp, ...": every section a file may have, from the table. */
static const char *
section_list(char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < CONF_SEC_CLI && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i ? ", " : "", conf_section_names[i]);
	return buf;
}

/* A key: known, in this section, settable from a file. */
static int
scan_key(struct ini_scan *sc, unsigned int lineno, int sec, const char *key,
	 const char *val, char *err, size_t errlen)
{
	const struct dpt_opt *o = conf_opt_find(key);
	char q[DPT_OPT_QUOTE_MAX];

	if (o != NULL && o->group == CONF_SEC_CLI) {
		dpt_opt_err(err, errlen, "%s:%u: '%s' is for the command line "
			    "only", sc->path, lineno, key);
		return -1;
	}
	if (sec < 0) {
		dpt_opt_err(err, errlen,
			    "%s:%u: '%s' is outside any [section]%s%s%s",
			    sc->path, lineno, dpt_opt_quote(key, q, sizeof(q)),
			    o != NULL ? " (it belongs in [" : "",
			    o != NULL ? conf_section_names[o->group] : "",
			    o != NULL ? "])" : "");
		return -1;
	}
	if (o == NULL) {
		dpt_opt_err(err, errlen, "%s:%u: [%s] unknown key '%s'",
			    sc->path, lineno, conf_section_names[sec],
			    dpt_opt_quote(key, q, sizeof(q)));
		return -1;
	}
	if ((int)o->group != sec) {
		dpt_opt_err(err, errlen, "%s:%u: [%s] '%s' belongs in [%s]",
			    sc->path, lineno, conf_section_names[sec], key,
			    conf_section_names[o->group]);
		return -1;
	}
	if (*val == '\0') {
		dpt_opt_err(err, errlen, "%s:%u: [%s] '%s' has no value",
			    sc->path, lineno, conf_section_names[sec], key);
		return -1;
	}
	if (strlen(val) >= CFG_VALUE_LEN) {
		dpt_opt_err(err, errlen, "%s:%u: [%s] '%s' value too long "
			    "(%d characters at most)", sc->path, lineno,
			    conf_section_names[sec], key, CFG_VALUE_LEN - 1);
		return -1;
	}
	if (scan_add(sc, lineno) < 0) {
		dpt_opt_err(err, errlen, "%s: %s", sc->path, strerror(ENOMEM));
		return -1;
	}
	return 0;
}

/* One line, classified the way rte_cfgfile_load_with_params does. */
static int
scan_line(struct ini_scan *sc, char *buf, unsigned int lineno, int *sec,
	  char *err, size_t errlen)
{
	char *pos, *s, *eq, *end, *t, q[DPT_OPT_QUOTE_MAX];

	/* '#' starts a comment unless escaped; only the first one counts */
	pos = strchr(buf, '#');
	if (pos != NULL && (pos == buf || pos[-1] != '\\'))
		*pos = '\0';
	s = strip(buf);
	/* ';' lines reach rte_cfgfile as entries named ";...": skipped too */
	if (*s == '\0' || *s == ';')
		return 0;
	if (*s == '[') {
		end = strchr(s, ']');
		/* rte_cfgfile ignores what follows ']': allow only a comment */
		t = end != NULL ? strip(end + 1) : NULL;
		if (t == NULL || (*t != '\0' && *t != ';')) {
			dpt_opt_err(err, errlen, "%s:%u: '%s' is not a "
				    "[section] line", sc->path, lineno,
				    dpt_opt_quote(s, q, sizeof(q)));
			return -1;
		}
		*end = '\0';
		*sec = find_section(strip(s + 1));
		if (*sec < 0) {
			char list[128];

			dpt_opt_err(err, errlen, "%s:%u: unknown section "
				    "[%s] (%s)", sc->path, lineno,
				    dpt_opt_quote(strip(s + 1), q, sizeof(q)),
				    section_list(list, sizeof(list)));
			return -1;
		}
		return 0;
	}
	eq = strchr(s, '=');
	if (eq == NULL || eq == s) {
		dpt_opt_err(err, errlen, "%s:%u: '%s' is not 'key = value'",
			    sc->path, lineno, dpt_opt_quote(s, q, sizeof(q)));
		return -1;
	}
	*eq = '\0';
	return scan_key(sc, lineno, *sec, strip(s), strip(eq + 1), err,
			errlen);
}

static int
scan_file(struct ini_scan *sc, char *err, size_t errlen)
{
	char buf[INI_LINE_BUF];
	unsigned int lineno = 0;
	int sec = -1, rc = 0;
	FILE *f;

	f = fopen(sc->path, "r");
	if (f == NULL) {
		dpt_opt_err(err, errlen, "%s: cannot read: %s", sc->path,
			    strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(buf, sizeof(buf), f) != NULL) {
		size_t len = strnlen(buf, sizeof(buf));

		lineno++;
		if (len >= sizeof(buf) - 1 && buf[len - 1] != '\n') {
			dpt_opt_err(err, errlen, "%s:%u: line too long "
				    "(%zu characters at most)", sc->path,
				    lineno, sizeof(buf) - 2);
			rc = -1;
			break;
		}
		rc = scan_line(sc, buf, lineno, &sec, err, errlen);
	}
	if (rc == 0 && ferror(f)) {
		/* a directory opens fine and fails here, with EISDIR */
		dpt_opt_err(err, errlen, "%s: cannot read: %s", sc->path,
			    strerror(errno));
		rc = -1;
	}
	fclose(f);
	return rc;
}

/* Applies the section's entries, line by line, over c. */
static int
apply_section(struct dpt_conf *c, struct rte_cfgfile *cfg, int idx,
	      struct ini_scan *sc, unsigned int *k, char *err, size_t errlen)
{
	char sec[CFG_NAME_LEN], why[DPT_CONF_ERR_MAX];
	struct rte_cfgfile_entry *e;
	const struct dpt_opt *o;
	int n, i, rc = 0;

	n = rte_cfgfile_section_num_entries_by_index(cfg, sec, idx);
	if (n <= 0)
		return 0;
	e = malloc((size_t)n * sizeof(*e));
	if (e == NULL) {
		dpt_opt_err(err, errlen, "%s: %s", sc->path, strerror(ENOMEM));
		return -1;
	}
	n = rte_cfgfile_section_entries_by_index(cfg, idx, sec, e, n);
	for (i = 0; i < n && rc == 0; i++) {
		if (e[i].name[0] == ';')
			continue;
		o = conf_opt_find(e[i].name);
		if (o == NULL || *k >= sc->n) {
			dpt_opt_err(err, errlen, "%s: changed while being read",
				    sc->path);
			rc = -1;
			break;
		}
		rc = dpt_opt_apply(&conf_table, c, o, e[i].value, why,
				   sizeof(why));
		if (rc < 0)
			dpt_opt_err(err, errlen, "%s:%u: %s: %s", sc->path,
				    sc->lines[*k], o->name, why);
		(*k)++;
	}
	free(e);
	return rc;
}

int
dpt_conf_load_file(struct dpt_conf *c, const char *path, char *err,
		   size_t errlen)
{
	/* '#' for rte_cfgfile; ';' lines are dropped by the scan above */
	const struct rte_cfgfile_parameters params = {
		.comment_character = '#',
	};
	struct ini_scan sc = { .path = path };
	struct rte_cfgfile *cfg;
	struct dpt_conf tmp;
	unsigned int k = 0;
	int nsec, i, rc;

	if (scan_file(&sc, err, errlen) < 0) {
		free(sc.lines);
		return -1;
	}
	/*
	 * GLOBAL and EMPTY_VALUES keep rte_cfgfile from failing silently on
	 * ';' lines before the first section or ending in '='; the scan has
	 * already refused every real entry of that kind.
	 */
	cfg = rte_cfgfile_load_with_params(path, CFG_FLAG_GLOBAL_SECTION |
					   CFG_FLAG_EMPTY_VALUES, &params);
	if (cfg == NULL) {
		dpt_opt_err(err, errlen, "%s: cannot read: %s", path,
			    strerror(errno));
		free(sc.lines);
		return -1;
	}
	/* A file that fails half-way changes nothing. */
	tmp = *c;
	rc = 0;
	nsec = rte_cfgfile_num_sections(cfg, "", 0);
	for (i = 0; i < nsec && rc == 0; i++)
		rc = apply_section(&tmp, cfg, i, &sc, &k, err, errlen);
	if (rc == 0 && k != sc.n) {
		dpt_opt_err(err, errlen, "%s: changed while being read", path);
		rc = -1;
	}
	rte_cfgfile_close(cfg);
	free(sc.lines);
	if (rc == 0)
		*c = tmp;
	return rc;
}
