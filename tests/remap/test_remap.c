/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Filename remapping with tftpd-hpa's rules: each case writes a rule file,
 * loads it and checks what names become (or that they are refused), so a
 * site's existing map file means the same here.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "dpt_cache.h"

static const uint8_t ip4[16] = { 192, 0, 2, 169 };
static const uint8_t ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

/* Loads rules (a string) into a remap; fails the case on a parse error. */
static struct dpt_remap *
load(const char *rules)
{
	char path[] = "/tmp/dpt-remap-XXXXXX", err[256];
	struct dpt_remap *r = NULL;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, rules, strlen(rules)),
			 (ssize_t)strlen(rules));
	close(fd);
	if (dpt_remap_load(path, &r, err, sizeof(err)) < 0)
		fail_msg("load: %s", err);
	unlink(path);
	return r;
}

/* The error a rule file gets, or "" when it loads. */
static const char *
load_error(const char *rules)
{
	static char err[256];
	char path[] = "/tmp/dpt-remap-XXXXXX";
	struct dpt_remap *r = NULL;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, rules, strlen(rules)),
			 (ssize_t)strlen(rules));
	close(fd);
	err[0] = '\0';
	if (dpt_remap_load(path, &r, err, sizeof(err)) == 0)
		dpt_remap_free(r);
	unlink(path);
	/* Report without the temporary path. */
	return strchr(err, ':') != NULL ? strchr(err, ':') + 1 : err;
}

static void
expect(const struct dpt_remap *r, const char *in, bool put, int family,
       const char *want)
{
	char out[512];
	int rc = dpt_remap_apply(r, in, put, family,
				 family == AF_INET ? ip4 : ip6, out,
				 sizeof(out));

	if (want == NULL) {
		assert_int_equal(rc, -EACCES);
		return;
	}
	assert_int_equal(rc, 0);
	assert_string_equal(out, want);
}

/* Verifies: with no rules a name passes unchanged. */
static void
no_rules_copy(void **state)
{
	expect(NULL, "pxelinux.0", false, AF_INET, "pxelinux.0");
}

/* Verifies: `r` replaces the first match only; `rg` every one. */
static void
replace_once_and_global(void **state)
{
	struct dpt_remap *r = load("r a b\n");

	expect(r, "banana", false, AF_INET, "bbnana");
	dpt_remap_free(r);
	r = load("rg \\\\ /\n");	/* the classic: DOS paths */
	expect(r, "boot\\grub\\grubx64.efi", false, AF_INET,
	       "boot/grub/grubx64.efi");
	dpt_remap_free(r);
}

/* Verifies: groups \1..\9 and \0 expand; \L and \U fold case until \E. */
static void
groups_and_case(void **state)
{
	struct dpt_remap *r = load(
		"r ^PXELINUX\\.CFG/(.*) pxelinux.cfg/\\L\\1\n"
		"r ^up-(.*)$ \\U\\1\\E-\\0\n");

	expect(r, "PXELINUX.CFG/01-AA-BB", false, AF_INET,
	       "pxelinux.cfg/01-aa-bb");
	expect(r, "up-abc", false, AF_INET, "ABC-up-abc");
	dpt_remap_free(r);
}

/* Verifies: `i` matches without case; an `r` without a replacement
 * removes the match. */
static void
case_insensitive(void **state)
{
	struct dpt_remap *r = load("ri ^BOOT/ \n");

	expect(r, "boot/vmlinuz", false, AF_INET, "vmlinuz");
	dpt_remap_free(r);
}

/* Verifies: \i is the client's address, \x it in hex, IPv4 and IPv6. */
static void
client_address(void **state)
{
	struct dpt_remap *r = load("r ^cfg$ cfg-\\i\nr ^hex$ \\x\n");

	expect(r, "cfg", false, AF_INET, "cfg-192.0.2.169");
	expect(r, "hex", false, AF_INET, "C00002A9");
	expect(r, "cfg", false, AF_INET6, "cfg-2001:db8::1");
	expect(r, "hex", false, AF_INET6, "20010DB8000000000000000000000001");
	dpt_remap_free(r);
}

/* Verifies: `a` refuses; `~` inverts (refuse what does NOT match). */
static void
refuse_and_invert(void **state)
{
	struct dpt_remap *r = load("a \\.\\./\na~ ^(boot|pxelinux)\n");

	expect(r, "boot/../etc/passwd", false, AF_INET, NULL);
	expect(r, "etc/passwd", false, AF_INET, NULL);
	expect(r, "boot/vmlinuz", false, AF_INET, "boot/vmlinuz");
	dpt_remap_free(r);
}

/* Verifies: G rules touch reads only, P rules writes only; 4 and 6 pick
 * the address family. */
static void
direction_and_family(void **state)
{
	struct dpt_remap *r = load("rG ^f$ get\nrP ^f$ put\n"
				   "r4 ^v$ four\nr6 ^v$ six\n");

	expect(r, "f", false, AF_INET, "get");
	expect(r, "f", true, AF_INET, "put");
	expect(r, "v", false, AF_INET, "four");
	expect(r, "v", false, AF_INET6, "six");
	dpt_remap_free(r);
}

/* Verifies: `e` stops after a match; `s` starts over from the top. */
static void
end_and_restart(void **state)
{
	struct dpt_remap *r = load("re ^a b\nr ^b c\n");

	expect(r, "a", false, AF_INET, "b");
	expect(r, "b", false, AF_INET, "c");
	dpt_remap_free(r);
	r = load("r ^c$ d\nrs ^x$ c\n");
	expect(r, "x", false, AF_INET, "d");	/* x -> c, over: c -> d */
	dpt_remap_free(r);
}

/* Verifies: rules that would loop forever stop (a bounded number of
 * passes) and a name that would grow without end is refused as too long,
 * never a hang. */
static void
loops_are_bounded(void **state)
{
	struct dpt_remap *r = load("rg a aa\n");
	char out[64];

	assert_int_equal(dpt_remap_apply(r, "a", false, AF_INET, ip4, out,
					 sizeof(out)), -ENAMETOOLONG);
	dpt_remap_free(r);
	r = load("rs ^(.*)$ \\1\n");
	expect(r, "same", false, AF_INET, "same");
	dpt_remap_free(r);
}

/* Verifies: comments and blank lines are skipped; "\ " is a space in a
 * replacement; a # ends a rule's fields. */
static void
syntax_comments_spaces(void **state)
{
	struct dpt_remap *r = load("# site rules\n\n"
				   "r ^sp$ a\\ b   # a comment\n");

	expect(r, "sp", false, AF_INET, "a b");
	dpt_remap_free(r);
}

/* Verifies: broken files are refused with the line and the reason. */
static void
errors_named(void **state)
{
	assert_non_null(strstr(load_error("x foo bar\n"), "1: expected"));
	assert_non_null(strstr(load_error("# ok\nrz foo bar\n"),
			       "2: expected"));
	assert_non_null(strstr(load_error("r~ a b\n"), "cannot go with"));
	assert_non_null(strstr(load_error("r ( x\n"), "regex '('"));
	assert_string_equal(load_error("r a b\n"), "");
}

/* Verifies: a missing file is an error naming it. */
static void
missing_file(void **state)
{
	struct dpt_remap *r = NULL;
	char err[256];

	assert_int_equal(dpt_remap_load("/nonexistent/map", &r, err,
					 sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/map"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_rules_copy),
		cmocka_unit_test(replace_once_and_global),
		cmocka_unit_test(groups_and_case),
		cmocka_unit_test(case_insensitive),
		cmocka_unit_test(client_address),
		cmocka_unit_test(refuse_and_invert),
		cmocka_unit_test(direction_and_family),
		cmocka_unit_test(end_and_restart),
		cmocka_unit_test(loops_are_bounded),
		cmocka_unit_test(syntax_comments_spaces),
		cmocka_unit_test(errors_named),
		cmocka_unit_test(missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
