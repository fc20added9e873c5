/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/conf: what a user types (command line, INI file) and what comes back
 * (the configuration, one-line errors, --help, the `Key: value` dump).
 * This file holds the fixture and runs every area's cases.
 */

#include "test_conf.h"
#include "test_groups.h"

#define MAX_TESTS 128

int
setup(void **state)
{
	struct fx *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return -1;
	dpt_conf_defaults(&t->c);
	snprintf(t->dir, sizeof(t->dir), "/tmp/dpt-conf-root-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	*state = t;
	return 0;
}

int
teardown(void **state)
{
	struct fx *t = *state;
	int i;

	for (i = 0; i < t->n_files; i++)
		unlink(t->files[i]);
	rmdir(t->dir);
	free(t);
	return 0;
}

char *
write_ini(struct fx *t, const char *text)
{
	char *path;
	size_t n = strlen(text);
	int fd;

	assert_true(t->n_files < MAX_FILES);
	path = t->files[t->n_files++];
	snprintf(path, sizeof(t->files[0]), "/tmp/dpt-conf-ini-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

int
parse_v(struct fx *t, char **argv)
{
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	t->err[0] = '\0';
	return dpt_conf_parse(&t->c, argc, argv, t->err, sizeof(t->err));
}

void
check_err(const char *err, const char *want)
{
	if (strchr(err, '\n') != NULL || err[0] == '\0' ||
	    strstr(err, want) == NULL)
		fail_msg("error '%s' does not say '%s' on one line", err, want);
}

void
expect_parse_err(struct fx *t, char **argv, const char *want)
{
	struct dpt_conf before = t->c;

	if (parse_v(t, argv) == 0)
		fail_msg("%s %s accepted; expected '%s'", argv[1],
			 argv[2] != NULL ? argv[2] : "", want);
	check_err(t->err, want);
	/* a refused command line changes nothing */
	assert_memory_equal(&before, &t->c, sizeof(before));
}

char *
dump_str(const struct dpt_conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	dpt_conf_dump(c, f);
	fclose(f);
	return buf;
}

int
main(void)
{
	static struct CMUnitTest tests[MAX_TESTS];
	size_t n = 0;

	n = dpt_test_add(tests, n, MAX_TESTS, conf_values_tests,
			 conf_values_count);
	n = dpt_test_add(tests, n, MAX_TESTS, conf_iface_tests,
			 conf_iface_count);
	n = dpt_test_add(tests, n, MAX_TESTS, conf_parse_tests,
			 conf_parse_count);
	n = dpt_test_add(tests, n, MAX_TESTS, conf_validate_tests,
			 conf_validate_count);
	n = dpt_test_add(tests, n, MAX_TESTS, conf_usage_tests,
			 conf_usage_count);
	n = dpt_test_add(tests, n, MAX_TESTS, conf_tftp_tests,
			 conf_tftp_count);
	return _cmocka_run_group_tests("conf", tests, n, NULL, NULL);
}
