/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Filename remapping, with the rules of tftpd-hpa's --map-file so existing
 * PXE sites can bring theirs: one rule a line, `flags regex [replacement]`,
 * POSIX extended regexes, applied top down before path resolution.
 *
 *   r replace the match   g repeat while it matches   i ignore case
 *   e end after a match   s start over after a match  a refuse (ERROR 2)
 *   G RRQ only            P WRQ only                  4 / 6 IPv4 / IPv6 only
 *   ~ the rule applies when the regex does NOT match
 *
 * Replacement escapes: \0 the match, \1..\9 groups, \i the client's
 * address, \x it in hex, \U \L \E upper/lower case, \\ \# and "\ ".
 * An `r` rule without a replacement removes what it matched.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "cache_internal.h"

#define REMAP_MAX_RULES 1024
#define REMAP_MAX_LOOPS 256	/* g and s must end, whatever the rules */

enum {
	RF_REPLACE = 1 << 0, RF_GLOBAL = 1 << 1, RF_ICASE = 1 << 2,
	RF_END = 1 << 3, RF_RESTART = 1 << 4, RF_REFUSE = 1 << 5,
	RF_GET = 1 << 6, RF_PUT = 1 << 7, RF_V4 = 1 << 8, RF_V6 = 1 << 9,
	RF_INVERT = 1 << 10,
};

static const struct {
	char c;
	unsigned int flag;
} flag_chars[] = {
	{ 'r', RF_REPLACE }, { 'g', RF_GLOBAL }, { 'i', RF_ICASE },
	{ 'e', RF_END }, { 's', RF_RESTART }, { 'a', RF_REFUSE },
	{ 'G', RF_GET }, { 'P', RF_PUT }, { '4', RF_V4 }, { '6', RF_V6 },
	{ '~', RF_INVERT },
};

struct remap_rule {
	unsigned int flags;
	regex_t re;
	char *repl;		/* as written, escapes unexpanded */
};

struct dpt_remap {
	unsigned int n;
	struct remap_rule rules[];
};

/*
 * Splits the next field off *p, as tftpd-hpa does: characters are kept as
 * written (a regex needs its backslashes); a backslash only keeps the next
 * character, even a space or '#', from ending the field.
 */
static char *
field(char **p)
{
	char *s = *p, *start;
	bool escaped = false;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0' || *s == '#') {
		*p = s;
		return NULL;
	}
	start = s;
	while (*s != '\0' &&
	       (escaped || !(isspace((unsigned char)*s) || *s == '#'))) {
		escaped = !escaped && *s == '\\';
		s++;
	}
	if (*s == '#')
		*s = '\0';	/* the rest is a comment: fields end here */
	else if (*s != '\0')
		*s++ = '\0';
	*p = s;
	return start;
}

static int
parse_flags(const char *s, unsigned int *flags)
{
	size_t i;

	*flags = 0;
	for (; *s != '\0'; s++) {
		for (i = 0; i < RTE_DIM(flag_chars); i++)
			if (flag_chars[i].c == *s)
				break;
		if (i == RTE_DIM(flag_chars))
			return -1;
		*flags |= flag_chars[i].flag;
	}
	return 0;
}

static int
parse_line(struct dpt_remap *r, char *line, const char *path,
	   unsigned int lineno, char *err, size_t errlen)
{
	struct remap_rule *rule = &r->rules[r->n];
	char *p = line, *fl, *re, *repl;
	char msg[128];
	int rc;

	fl = field(&p);
	if (fl == NULL)
		return 0;		/* blank or comment */
	re = field(&p);
	repl = field(&p);
	if (re == NULL || parse_flags(fl, &rule->flags) < 0) {
		snprintf(err, errlen, "%s:%u: expected 'FLAGS REGEX "
			 "[REPLACEMENT]' with flags from rgiesaGP46~", path,
			 lineno);
		return -1;
	}
	if ((rule->flags & RF_REPLACE) && (rule->flags & RF_INVERT)) {
		snprintf(err, errlen, "%s:%u: '~' cannot go with 'r'", path,
			 lineno);
		return -1;
	}
	if (r->n == REMAP_MAX_RULES) {
		snprintf(err, errlen, "%s:%u: more than %u rules", path,
			 lineno, REMAP_MAX_RULES);
		return -1;
	}
	rc = regcomp(&rule->re, re, REG_EXTENDED |
		     ((rule->flags & RF_ICASE) ? REG_ICASE : 0));
	if (rc != 0) {
		regerror(rc, &rule->re, msg, sizeof(msg));
		snprintf(err, errlen, "%s:%u: regex '%s': %s", path, lineno,
			 re, msg);
		return -1;
	}
	rule->repl = strdup(repl != NULL ? repl : "");
	if (rule->repl == NULL) {
		regfree(&rule->re);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->n++;
	return 0;
}

void
dpt_remap_free(struct dpt_remap *r)
{
	unsigned int i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		regfree(&r->rules[i].re);
		free(r->rules[i].repl);
	}
	free(r);
}

int
dpt_remap_load(const char *path, struct dpt_remap **out, char *err,
	       size_t errlen)
{
	struct dpt_remap *r;
	char line[2048];
	unsigned int lineno = 0;
	FILE *f = fopen(path, "re");

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = calloc(1, sizeof(*r) + sizeof(r->rules[0]) * REMAP_MAX_RULES);
	if (r == NULL) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (parse_line(r, line, path, lineno, err, errlen) < 0) {
			fclose(f);
			dpt_remap_free(r);
			return -1;
		}
	}
	fclose(f);
	*out = r;
	return 0;
}

/* Appends c to out (cap bytes), applying \U / \L case. */
static int
put(char *out, size_t cap, size_t *o, char c, int fold)
{
	if (*o + 1 >= cap)
		return -ENAMETOOLONG;
	out[(*o)++] = fold > 0 ? (char)toupper((unsigned char)c) :
		      fold < 0 ? (char)tolower((unsigned char)c) : c;
	return 0;
}

static int
put_str(char *out, size_t cap, size_t *o, const char *s, size_t n, int fold)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (put(out, cap, o, s[i], fold) < 0)
			return -ENAMETOOLONG;
	return 0;
}

/* Expands a replacement for the match m of subject into out at *o. */
static int
expand(const char *repl, const char *subject, const regmatch_t *m,
       int family, const uint8_t *ip, char *out, size_t cap, size_t *o)
{
	char addr[INET6_ADDRSTRLEN];
	const char *s;
	int fold = 0, rc = 0, k;

	for (s = repl; *s != '\0' && rc == 0; s++) {
		if (*s != '\\' || s[1] == '\0') {
			rc = put(out, cap, o, *s, fold);
			continue;
		}
		s++;
		if (*s >= '0' && *s <= '9') {
			k = *s - '0';
			if (m[k].rm_so >= 0)
				rc = put_str(out, cap, o, subject + m[k].rm_so,
					     (size_t)(m[k].rm_eo - m[k].rm_so),
					     fold);
		} else if (*s == 'i') {
			inet_ntop(family, ip, addr, sizeof(addr));
			rc = put_str(out, cap, o, addr, strlen(addr), fold);
		} else if (*s == 'x') {
			for (k = 0; k < (family == AF_INET ? 4 : 16); k++) {
				snprintf(addr, sizeof(addr), "%02X", ip[k]);
				rc |= put_str(out, cap, o, addr, 2, 0);
			}
		} else if (*s == 'U') {
			fold = 1;
		} else if (*s == 'L') {
			fold = -1;
		} else if (*s == 'E') {
			fold = 0;
		} else {	/* \\, \#, and any other char taken as is */
			rc = put(out, cap, o, *s, fold);
		}
	}
	return rc;
}

/* One replacement of rule's first match in buf; returns 1 if it matched. */
static int
replace_once(const struct remap_rule *rule, char *buf, size_t cap,
	     int family, const uint8_t *ip)
{
	char tmp[PATH_MAX];
	regmatch_t m[10];
	size_t o = 0;
	int rc;

	if (regexec(&rule->re, buf, RTE_DIM(m), m, 0) != 0)
		return 0;
	rc = put_str(tmp, sizeof(tmp), &o, buf, (size_t)m[0].rm_so, 0);
	if (rc == 0)
		rc = expand(rule->repl, buf, m, family, ip, tmp, sizeof(tmp),
			    &o);
	if (rc == 0)
		rc = put_str(tmp, sizeof(tmp), &o, buf + m[0].rm_eo,
			     strlen(buf + m[0].rm_eo), 0);
	if (rc < 0 || o >= cap)
		return -ENAMETOOLONG;
	memcpy(buf, tmp, o);
	buf[o] = '\0';
	return 1;
}

int
dpt_remap_apply(const struct dpt_remap *r, const char *name, bool put_req,
		int family, const uint8_t *ip, char *out, size_t cap)
{
	unsigned int i = 0, loops = 0;

	if (strlen(name) >= cap)
		return -ENAMETOOLONG;
	strcpy(out, name);
	while (r != NULL && i < r->n) {
		const struct remap_rule *rule = &r->rules[i++];
		bool hit;
		int rc;

		if (((rule->flags & RF_GET) && put_req) ||
		    ((rule->flags & RF_PUT) && !put_req) ||
		    ((rule->flags & RF_V4) && family != AF_INET) ||
		    ((rule->flags & RF_V6) && family != AF_INET6))
			continue;
		if (rule->flags & RF_REPLACE) {
			rc = replace_once(rule, out, cap, family, ip);
			hit = rc > 0;
			while (rc > 0 && (rule->flags & RF_GLOBAL) &&
			       ++loops < REMAP_MAX_LOOPS)
				rc = replace_once(rule, out, cap, family, ip);
			if (rc < 0)
				return rc;
		} else {
			hit = regexec(&rule->re, out, 0, NULL, 0) == 0;
			if (rule->flags & RF_INVERT)
				hit = !hit;
		}
		if (!hit)
			continue;
		if (rule->flags & RF_REFUSE)
			return -EACCES;
		if (rule->flags & RF_END)
			break;
		if ((rule->flags & RF_RESTART) && ++loops < REMAP_MAX_LOOPS)
			i = 0;
	}
	return 0;
}
