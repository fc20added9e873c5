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
#include "dpt_opt.h"

#define CONF_DIM(a) (sizeof(a) / sizeof((a)[0]))

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

/* The option table (conf_options.c) over struct dpt_conf, with each
 * section's name in a file and its heading in --help (conf_usage.c). */
extern const struct dpt_opt conf_opts[];
extern const unsigned int conf_n_opts;
extern const struct dpt_opt_table conf_table;
extern const char *const conf_section_names[CONF_SEC_COUNT];
extern const char *const conf_section_titles[CONF_SEC_COUNT];

static inline const struct dpt_opt *
conf_opt_find(const char *name)
{
	return dpt_opt_find(&conf_table, name);
}

/* The custom rows' setters and printers: obj is a struct dpt_conf. */
#define CONF_SETTER(fn) \
	int fn(void *obj, const struct dpt_opt *o, const char *val, \
	       char *err, size_t errlen)
#define CONF_SHOWER(fn) \
	void fn(const void *obj, const struct dpt_opt *o, FILE *f)

/* conf_setters.c */
CONF_SETTER(conf_set_listen);
CONF_SETTER(conf_set_metrics);
CONF_SHOWER(conf_show_metrics);
CONF_SETTER(conf_set_port_range);
CONF_SETTER(conf_set_backend);
CONF_SETTER(conf_set_list);
CONF_SETTER(conf_set_mode);
CONF_SETTER(conf_set_user);
CONF_SETTER(conf_set_rate);
CONF_SHOWER(conf_show_rate);
CONF_SHOWER(conf_show_mode);
CONF_SETTER(conf_set_balance);
CONF_SETTER(conf_set_log_level);
CONF_SETTER(conf_set_instance);
CONF_SHOWER(conf_show_listen);
CONF_SHOWER(conf_show_port_range);
CONF_SHOWER(conf_show_backend);
CONF_SHOWER(conf_show_balance);
const char *conf_backend_name(enum dpt_conf_backend b);

/* conf_tftp.c: each item checked, then conf_set_list() */
CONF_SETTER(conf_set_refuse);
CONF_SETTER(conf_set_blksize_for);

/* conf_iface.c */
CONF_SETTER(conf_set_iface);
CONF_SETTER(conf_set_ip);
CONF_SETTER(conf_set_ip6);
CONF_SETTER(conf_set_iface_xdp);
CONF_SETTER(conf_set_iface_u16);
CONF_SHOWER(conf_show_ifaces);

#endif /* _DPT_CONF_INTERNAL_H_ */
