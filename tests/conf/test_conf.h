/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_TEST_CONF_H_
#define _DPT_TEST_CONF_H_

/*
 * What the lib/conf test files share: a fresh configuration with a root
 * folder to point at, temporary INI files, the command line as a list of
 * words, one-line errors, and each area's table of cases. No EAL: the
 * library needs only rte_cfgfile.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "dpt_conf.h"
#include "conf_internal.h"	/* the option table, to check --help covers it */

#define MAX_FILES 8

struct fx {
	struct dpt_conf c;
	char err[DPT_CONF_ERR_MAX];
	char dir[64];			/* an existing directory, for --root */
	char files[MAX_FILES][64];	/* temporary INI files */
	int n_files;
};

/* cmocka fixtures: *state is a struct fx with the defaults. */
int setup(void **state);
int teardown(void **state);
#define TC_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define TC_DIM(a) (sizeof(a) / sizeof((a)[0]))

/* Writes text to a new temporary file; returns its path. */
char *write_ini(struct fx *t, const char *text);

/* dpt_conf_parse() of argv (NULL-terminated, argv[0] the program). */
int parse_v(struct fx *t, char **argv);

/* argv[0] is the program name, as main() gets it */
#define PARSE(t, ...) parse_v((t), (char *[]){ "dptftpd", __VA_ARGS__, NULL })

/* The error is one line, non-empty, and says what it should. */
void check_err(const char *err, const char *want);

/* argv is refused with an error that says want, and changes nothing. */
void expect_parse_err(struct fx *t, char **argv, const char *want);

#define PARSE_ERR(t, want, ...) \
	expect_parse_err((t), (char *[]){ "dptftpd", __VA_ARGS__, NULL }, \
			 (want))

#define PARSE_OK(t, ...) do { \
	if (PARSE((t), __VA_ARGS__) != 0) \
		fail_msg("refused: %s", (t)->err); \
} while (0)

/* dpt_conf_dump() as a string (free it). */
char *dump_str(const struct dpt_conf *c);

/* Each area's cases (test_conf_<area>.c). */
extern const struct CMUnitTest conf_values_tests[];
extern const size_t conf_values_count;
extern const struct CMUnitTest conf_iface_tests[];
extern const size_t conf_iface_count;
extern const struct CMUnitTest conf_parse_tests[];
extern const size_t conf_parse_count;
extern const struct CMUnitTest conf_validate_tests[];
extern const size_t conf_validate_count;
extern const struct CMUnitTest conf_usage_tests[];
extern const size_t conf_usage_count;
extern const struct CMUnitTest conf_tftp_tests[];
extern const size_t conf_tftp_count;

#endif /* _DPT_TEST_CONF_H_ */
