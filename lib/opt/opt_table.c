/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The table's rows at work: reading a value into its field (the generic
 * kinds need no code of the user's), checking a range, applying the
 * defaults, showing a setting.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "opt_internal.h"

const struct dpt_opt *
dpt_opt_find(const struct dpt_opt_table *t, const char *name)
{
	unsigned int i;

	for (i = 0; i < t->n_rows; i++)
		if (strcmp(t->rows[i].name, name) == 0)
			return &t->rows[i];
	return NULL;
}

uint64_t
dpt_opt_get(const void *obj, const struct dpt_opt *o)
{
	const char *p = (const char *)obj + o->off;

	switch (o->width) {
	case 1: return *(const uint8_t *)p;
	case 2: return *(const uint16_t *)p;
	case 4: return *(const uint32_t *)p;
	default: return *(const uint64_t *)p;
	}
}

void
dpt_opt_put(void *obj, const struct dpt_opt *o, uint64_t v)
{
	char *p = (char *)obj + o->off;

	switch (o->width) {
	case 1: *(uint8_t *)p = (uint8_t)v; break;
	case 2: *(uint16_t *)p = (uint16_t)v; break;
	case 4: *(uint32_t *)p = (uint32_t)v; break;
	default: *(uint64_t *)p = v; break;
	}
}

/* Whole units read best in ranges: "10ms..255s", "1M..1T". */
static const char *
fmt_value(const struct dpt_opt *o, uint64_t v, char *buf, size_t len)
{
	static const char sizes[] = "KMGT";
	int i;

	if (o->kind == DPT_OPT_DURATION) {
		if (v == 0)
			snprintf(buf, len, "0");
		else if (v % 1000000 == 0)
			snprintf(buf, len, "%" PRIu64 "s", v / 1000000);
		else if (v % 1000 == 0)
			snprintf(buf, len, "%" PRIu64 "ms", v / 1000);
		else
			snprintf(buf, len, "%" PRIu64 "us", v);
		return buf;
	}
	if (o->kind == DPT_OPT_SIZE && v != 0) {
		for (i = 3; i >= 0; i--) {
			uint64_t unit = UINT64_C(1) << (10 * (i + 1));

			if (v % unit == 0) {
				snprintf(buf, len, "%" PRIu64 "%c", v / unit,
					 sizes[i]);
				return buf;
			}
		}
	}
	snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

/* "'val' is out of range (lo..hi)", or not a power of two, as m says. */
static int
say_range(const struct dpt_opt_table *t, enum dpt_opt_msg m,
	  const struct dpt_opt *o, const char *val, char *err, size_t errlen)
{
	char lo[32], hi[32];
	const struct opt_words w = {
		.val = val, .o = o,
		.lo = fmt_value(o, o->min, lo, sizeof(lo)),
		.hi = fmt_value(o, o->max, hi, sizeof(hi)),
		.zero = m == DPT_OPT_M_RANGE && (o->flags & DPT_OPT_F_ZERO_OK),
	};

	return opt_say(opt_lang(t), m, &w, err, errlen);
}

int
dpt_opt_check(const struct dpt_opt_table *t, const struct dpt_opt *o,
	      uint64_t v, const char *val, char *err, size_t errlen)
{
	char vb[32];

	if (v == 0 && (o->flags & DPT_OPT_F_ZERO_OK))
		return 0;
	if (val == NULL)
		val = fmt_value(o, v, vb, sizeof(vb));
	if (v < o->min || v > o->max)
		return say_range(t, DPT_OPT_M_RANGE, o, val, err, errlen);
	/* rte_ring sizes are powers of two; better said here than by EAL */
	if ((o->flags & DPT_OPT_F_POW2) && (v & (v - 1)) != 0)
		return say_range(t, DPT_OPT_M_POW2, o, val, err, errlen);
	return 0;
}

int
dpt_opt_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *v,
		   char *err, size_t errlen)
{
	const struct dpt_opt row = {
		.kind = DPT_OPT_UINT, .min = min, .max = max,
	};
	uint64_t x;
	int rc = dpt_opt_strtou64(s, &x);

	if (rc == -EINVAL)
		return opt_say_value(NULL, DPT_OPT_UINT, rc, s, err, errlen);
	if (rc == -ERANGE)
		return say_range(NULL, DPT_OPT_M_RANGE, &row, s, err, errlen);
	if (dpt_opt_check(NULL, &row, x, s, err, errlen) < 0)
		return -1;
	*v = x;
	return 0;
}

/* One of o->names: stored as its index. */
static int
enum_apply(const struct dpt_opt_table *t, void *obj, const struct dpt_opt *o,
	   const char *val, char *err, size_t errlen)
{
	const struct opt_words w = { .val = val, .o = o };
	unsigned int i;

	for (i = 0; o->names[i] != NULL; i++) {
		if (strcmp(val, o->names[i]) == 0) {
			dpt_opt_put(obj, o, i);
			return 0;
		}
	}
	return opt_say(opt_lang(t), DPT_OPT_M_ENUM, &w, err, errlen);
}

static int
string_apply(const struct dpt_opt_table *t, void *obj,
	     const struct dpt_opt *o, const char *val, char *err,
	     size_t errlen)
{
	char *field = (char *)obj + o->off, hi[32];
	const struct opt_words w = { .val = val, .o = o, .hi = hi };
	size_t n = strlen(val);

	if (n == 0 && (o->flags & DPT_OPT_F_EMPTY_OK)) {
		if (o->flags & DPT_OPT_F_REF)
			*(const char **)(void *)field = NULL;
		else
			field[0] = '\0';
		return 0;
	}
	if (n == 0)
		return opt_say(opt_lang(t), DPT_OPT_M_EMPTY, &w, err, errlen);
	if (o->flags & DPT_OPT_F_REF) {
		*(const char **)(void *)field = val;
		return 0;
	}
	if (n >= o->width) {
		snprintf(hi, sizeof(hi), "%zu", o->width - 1);
		return opt_say(opt_lang(t), DPT_OPT_M_LONG, &w, err, errlen);
	}
	memcpy(field, val, n + 1);
	return 0;
}

/* UINT, DURATION, SIZE: read, checked against the row, stored. */
static int
number_apply(const struct dpt_opt_table *t, void *obj,
	     const struct dpt_opt *o, const char *val, char *err,
	     size_t errlen)
{
	const struct dpt_opt_lang *l = opt_lang(t);
	uint64_t v = 0;
	int rc = opt_scan(l, o->kind, val, &v);

	/* too big for any field: "out of range (lo..hi)" */
	if (rc == -ERANGE)
		return say_range(t, DPT_OPT_M_RANGE, o, val, err, errlen);
	if (rc < 0)
		return opt_say_value(l, o->kind, rc, val, err, errlen);
	if (dpt_opt_check(t, o, v, val, err, errlen) < 0)
		return -1;
	dpt_opt_put(obj, o, v);
	return 0;
}

int
dpt_opt_apply(const struct dpt_opt_table *t, void *obj,
	      const struct dpt_opt *o, const char *val, char *err,
	      size_t errlen)
{
	/* a setter of the row's own: CUSTOM's, or one that checks more
	 * than its kind does (the kind still shows the value) */
	if (o->set != NULL || o->kind == DPT_OPT_CUSTOM)
		return o->set(obj, o, val, err, errlen);
	if (o->kind == DPT_OPT_FLAG) {
		dpt_opt_put(obj, o, 1);
		return 0;
	}
	if (val == NULL)
		val = "";
	if (o->kind == DPT_OPT_ENUM)
		return enum_apply(t, obj, o, val, err, errlen);
	if (o->kind == DPT_OPT_STRING)
		return string_apply(t, obj, o, val, err, errlen);
	return number_apply(t, obj, o, val, err, errlen);
}

int
dpt_opt_defaults(const struct dpt_opt_table *t, void *obj)
{
	char err[DPT_OPT_ERR_MAX];
	unsigned int i;
	int rc = 0;

	/* Through the setters, so --help's defaults are the real ones. */
	for (i = 0; i < t->n_rows; i++)
		if (t->rows[i].def != NULL &&
		    dpt_opt_apply(t, obj, &t->rows[i], t->rows[i].def, err,
				  sizeof(err)) < 0)
			rc = -1;
	return rc;
}

/*
 * Durations print in one unit a script can rely on: milliseconds when
 * whole, else microseconds ("timeout: 1000ms", "idle-sleep-max: 500us").
 */
void
dpt_opt_show(const struct dpt_opt_table *t, const void *obj,
	     const struct dpt_opt *o, FILE *f)
{
	const char *s;
	uint64_t v;

	if (o->flags & DPT_OPT_F_NO_SHOW)
		return;
	if (o->kind == DPT_OPT_CUSTOM) {
		if (o->show != NULL)
			o->show(obj, o, f);
		return;
	}
	if (o->kind == DPT_OPT_STRING) {
		s = (o->flags & DPT_OPT_F_REF) ?
		    *(const char *const *)(const void *)((const char *)obj +
							 o->off) :
		    (const char *)obj + o->off;
		fprintf(f, "%s: %s\n", o->name, s != NULL ? s : "");
		return;
	}
	v = dpt_opt_get(obj, o);
	if (o->kind == DPT_OPT_ENUM)
		fprintf(f, "%s: %s\n", o->name, o->names[v]);
	else if (o->kind == DPT_OPT_FLAG)
		fprintf(f, "%s: %s\n", o->name, v != 0 ? "yes" : "no");
	else if (o->kind == DPT_OPT_DURATION && v % 1000 == 0)
		fprintf(f, "%s: %" PRIu64 "ms\n", o->name, v / 1000);
	else if (o->kind == DPT_OPT_DURATION)
		fprintf(f, "%s: %" PRIu64 "us\n", o->name, v);
	else
		fprintf(f, "%s: %" PRIu64 "\n", o->name, v);
}

void
dpt_opt_dump(const struct dpt_opt_table *t, const void *obj, FILE *f)
{
	unsigned int i;

	for (i = 0; i < t->n_rows; i++)
		dpt_opt_show(t, obj, &t->rows[i], f);
}

unsigned int
dpt_opt_seen(const struct dpt_opt_table *t, const struct dpt_opt_seen *s,
	     const char *name)
{
	const struct dpt_opt *o = dpt_opt_find(t, name);

	if (o == NULL || o - t->rows >= DPT_OPT_MAX)
		return 0;
	return s->n[o - t->rows];
}
