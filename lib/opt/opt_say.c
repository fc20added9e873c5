/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Error lines from a language's templates: each program keeps its own
 * words ("is out of range (1..64)", "is outside 1..64") while the checks
 * behind them are the same code. A {key} the template names is filled
 * in; anything else is copied as it stands.
 */

#include <string.h>

#include "opt_internal.h"

/* The row's names joined: "a, b, c", or as a choice, "a, b or c". */
static const char *
names_of(const struct dpt_opt *o, bool either, char *buf, size_t len)
{
	const char *const *n = o != NULL ? o->names : NULL;
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; n != NULL && n[i] != NULL && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i == 0 ? "" : either &&
					n[i + 1] == NULL ? " or " : ", ",
					n[i]);
	return buf;
}

#define IS(key) (n == sizeof(key) - 1 && strncmp(k, key, n) == 0)

/* The text of the key k (n characters), or NULL where it is none. */
static const char *
key_text(const char *k, size_t n, const struct opt_words *w, char *buf,
	 size_t len)
{
	const struct dpt_opt *o = w->o;

	if (IS("val"))
		return dpt_opt_quote(w->val != NULL ? w->val : "", buf,
				     len < DPT_OPT_QUOTE_MAX ? len :
				     DPT_OPT_QUOTE_MAX);
	if (IS("name"))
		return o != NULL ? o->name : "?";
	if (IS("arg"))
		return o != NULL && o->arg != NULL ? o->arg : "?";
	if (IS("word"))
		return w->word != NULL ? w->word : "?";
	if (IS("lo"))
		return w->lo != NULL ? w->lo : "?";
	if (IS("hi"))
		return w->hi != NULL ? w->hi : "?";
	if (IS("zero"))
		return w->zero ? "0 or " : "";
	if (IS("list") || IS("either"))
		return names_of(o, IS("either"), buf, len);
	return NULL;
}

int
opt_say(const struct dpt_opt_lang *l, enum dpt_opt_msg m,
	const struct opt_words *w, char *err, size_t errlen)
{
	const char *tpl = l != NULL ? l->msg[m] : NULL, *p, *end, *text;
	char line[DPT_OPT_ERR_MAX], buf[128];
	size_t off = 0, n;

	if (tpl == NULL)
		tpl = dpt_opt_lang_default.msg[m];
	for (p = tpl; *p != '\0' && off < sizeof(line) - 1; p += n) {
		end = *p == '{' ? strchr(p, '}') : NULL;
		text = end != NULL ? key_text(p + 1, (size_t)(end - p - 1), w,
					      buf, sizeof(buf)) : NULL;
		if (text == NULL) {
			line[off++] = *p;
			n = 1;
			continue;
		}
		off += (size_t)snprintf(line + off, sizeof(line) - off, "%s",
					text);
		n = (size_t)(end - p) + 1;
	}
	line[off < sizeof(line) ? off : sizeof(line) - 1] = '\0';
	return dpt_opt_err(err, errlen, "%s", line);
}
