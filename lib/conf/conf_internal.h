/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_CONF_INTERNAL_H_
#define _DPT_CONF_INTERNAL_H_

/* Shared between lib/conf's files; not part of its interface. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dpt_conf.h"

#define CONF_DIM(a) (sizeof(a) / sizeof((a)[0]))

/* Room for a value quoted in an error, so the reason still fits in err. */
#define CONF_QUOTE_MAX 64

/* The most --upload-mode may give: read and write, nothing that runs or
 * changes who runs it. */
#define CONF_UPLOAD_MODE_MAX 0666

/* INI sections, in the order --help and the dump list them. */
enum conf_section {
	CONF_SEC_SERVER = 0,
	CONF_SEC_TFTP,
	CONF_SEC_DATAPLANE,
	CONF_SEC_CACHE,
	CONF_SEC_UPLOAD,
	CONF_SEC_LOG,
	CONF_SEC_CONSOLE,
	CONF_SEC_EAL,		/* EAL's arguments, for the systemd unit */
	CONF_SEC_CLI,		/* command line only: never in a file */
	CONF_SEC_COUNT,
};

/* How a value is read; the generic kinds need no setter of their own. */
enum conf_kind {
	CONF_UINT,		/* decimal digits into an unsigned field */
	CONF_DURATION,		/* "500ms", "2s" into a microseconds field */
	CONF_SIZE,		/* "512M" into a bytes field */
	CONF_ENUM,		/* one of names[] into an enum field */
	CONF_CUSTOM,		/* set() and show() below */
};

#define CONF_F_ZERO_OK	0x1	/* 0 is allowed below min (0 = auto, off) */
#define CONF_F_POW2	0x2	/* must be a power of two */

struct conf_opt;

typedef int (*conf_set_t)(struct dpt_conf *c, const struct conf_opt *o,
			  const char *val, char *err, size_t errlen);
typedef void (*conf_show_t)(const struct dpt_conf *c,
			    const struct conf_opt *o, FILE *f);

/*
 * One option: its long name (the INI key too), what --help says, the
 * default (applied by dpt_conf_defaults through the same setter, so --help
 * cannot show a default the code does not use) and how to read it.
 */
struct conf_opt {
	const char *name;
	char short_name;	/* 0: none */
	const char *arg;	/* argument in --help; NULL: takes none */
	enum conf_section section;
	const char *help;
	const char *def;	/* NULL: no default */
	enum conf_kind kind;
	size_t off;		/* field, for the generic kinds */
	size_t width;		/* sizeof the field: 1, 2, 4 or 8 */
	uint64_t min, max;
	unsigned int flags;	/* CONF_F_* */
	const char *const *names; /* CONF_ENUM: NULL-terminated */
	conf_set_t set;		/* CONF_CUSTOM */
	conf_show_t show;	/* CONF_CUSTOM; NULL: not in the dump */
};

/* conf_options.c */
extern const struct conf_opt conf_opts[];
extern const unsigned int conf_n_opts;
extern const char *const conf_section_names[CONF_SEC_COUNT];
/* conf_usage.c: each section's heading in --help and the manual */
extern const char *const conf_section_titles[CONF_SEC_COUNT];
const struct conf_opt *conf_opt_find(const char *name);
int conf_opt_apply(struct dpt_conf *c, const struct conf_opt *o,
		   const char *val, char *err, size_t errlen);
uint64_t conf_opt_get(const struct dpt_conf *c, const struct conf_opt *o);
int conf_opt_check(const struct conf_opt *o, uint64_t v, const char *val,
		   char *err, size_t errlen);
void conf_opt_show(const struct dpt_conf *c, const struct conf_opt *o,
		   FILE *f);

/* conf_setters.c */
int conf_set_root(struct dpt_conf *c, const struct conf_opt *o,
		  const char *val, char *err, size_t errlen);
int conf_set_listen(struct dpt_conf *c, const struct conf_opt *o,
		    const char *val, char *err, size_t errlen);
int conf_set_metrics(struct dpt_conf *c, const struct conf_opt *o,
		     const char *val, char *err, size_t errlen);
void conf_show_metrics(const struct dpt_conf *c, const struct conf_opt *o,
		       FILE *f);
int conf_set_port_range(struct dpt_conf *c, const struct conf_opt *o,
			const char *val, char *err, size_t errlen);
int conf_set_backend(struct dpt_conf *c, const struct conf_opt *o,
		     const char *val, char *err, size_t errlen);
int conf_set_list(struct dpt_conf *c, const struct conf_opt *o,
		  const char *val, char *err, size_t errlen);
/* conf_tftp.c: each item checked, then conf_set_list() */
int conf_set_refuse(struct dpt_conf *c, const struct conf_opt *o,
		    const char *val, char *err, size_t errlen);
int conf_set_blksize_for(struct dpt_conf *c, const struct conf_opt *o,
			 const char *val, char *err, size_t errlen);
int conf_set_mode(struct dpt_conf *c, const struct conf_opt *o,
		  const char *val, char *err, size_t errlen);
int conf_set_user(struct dpt_conf *c, const struct conf_opt *o,
		  const char *val, char *err, size_t errlen);
void conf_show_mode(const struct dpt_conf *c, const struct conf_opt *o,
		    FILE *f);
int conf_set_balance(struct dpt_conf *c, const struct conf_opt *o,
		     const char *val, char *err, size_t errlen);
int conf_set_log_level(struct dpt_conf *c, const struct conf_opt *o,
		       const char *val, char *err, size_t errlen);
int conf_set_config(struct dpt_conf *c, const struct conf_opt *o,
		    const char *val, char *err, size_t errlen);
int conf_set_string(struct dpt_conf *c, const struct conf_opt *o,
		    const char *val, char *err, size_t errlen);
int conf_set_instance(struct dpt_conf *c, const struct conf_opt *o,
		      const char *val, char *err, size_t errlen);
int conf_set_flag(struct dpt_conf *c, const struct conf_opt *o,
		  const char *val, char *err, size_t errlen);
void conf_show_string(const struct dpt_conf *c, const struct conf_opt *o,
		      FILE *f);
void conf_show_listen(const struct dpt_conf *c, const struct conf_opt *o,
		      FILE *f);
void conf_show_port_range(const struct dpt_conf *c, const struct conf_opt *o,
			  FILE *f);
void conf_show_backend(const struct dpt_conf *c, const struct conf_opt *o,
		       FILE *f);
void conf_show_balance(const struct dpt_conf *c, const struct conf_opt *o,
		       FILE *f);
bool conf_log_level_known(const char *s);
const char *conf_backend_name(enum dpt_conf_backend b);

/* conf_iface.c */
int conf_set_iface(struct dpt_conf *c, const struct conf_opt *o,
		   const char *val, char *err, size_t errlen);
int conf_set_ip(struct dpt_conf *c, const struct conf_opt *o,
		const char *val, char *err, size_t errlen);
int conf_set_ip6(struct dpt_conf *c, const struct conf_opt *o,
		 const char *val, char *err, size_t errlen);
int conf_set_iface_xdp(struct dpt_conf *c, const struct conf_opt *o,
		       const char *val, char *err, size_t errlen);
int conf_set_iface_u16(struct dpt_conf *c, const struct conf_opt *o,
		       const char *val, char *err, size_t errlen);
void conf_show_ifaces(const struct dpt_conf *c, const struct conf_opt *o,
		      FILE *f);

/* conf_value.c: 0, -EINVAL (malformed), -ERANGE (overflow), -EDOM */
int conf_strtou64(const char *s, uint64_t *v);
int conf_duration(const char *s, uint64_t *us);
int conf_size(const char *s, uint64_t *bytes);
void conf_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *conf_quote(const char *s, char *buf, size_t len);

#endif /* _DPT_CONF_INTERNAL_H_ */
