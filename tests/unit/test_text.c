/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/* lib/text: client-chosen text made safe to print. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "dpt_text.h"

/* Verifies: printable ASCII passes as it is; control bytes, newline,
 * escape, DEL, bytes >= 0x80 and the backslash become \\xNN. */
static void
escapes_what_is_not_printable(void **state)
{
	char out[256];

	(void)state;
	assert_string_equal(dpt_text_escape("pxelinux.cfg/01-aa-bb", out,
					    sizeof(out)),
			    "pxelinux.cfg/01-aa-bb");
	assert_string_equal(dpt_text_escape(" !~\"'%s", out, sizeof(out)),
			    " !~\"'%s");
	assert_string_equal(dpt_text_escape("a\nb\r\tc", out, sizeof(out)),
			    "a\\x0ab\\x0d\\x09c");
	assert_string_equal(dpt_text_escape("\x1b[2J\x7f", out, sizeof(out)),
			    "\\x1b[2J\\x7f");
	assert_string_equal(dpt_text_escape("\\x41", out, sizeof(out)),
			    "\\x5cx41");
	assert_string_equal(dpt_text_escape("caf\xc3\xa9\xff", out,
					    sizeof(out)),
			    "caf\\xc3\\xa9\\xff");
	assert_string_equal(dpt_text_escape("", out, sizeof(out)), "");
}

/* Verifies: the output never passes cap (the NUL included) and an escape
 * is never cut in half; 4 * length + 1 always holds the whole. */
static void
bounded_and_whole(void **state)
{
	char out[16], big[4 * 6 + 1];

	(void)state;
	memset(out, 'Z', sizeof(out));
	assert_string_equal(dpt_text_escape("abcdefghijklmnopq", out, 8),
			    "abcdefg");
	assert_int_equal(out[8], 'Z');
	assert_string_equal(dpt_text_escape("ab\ncd", out, 6), "ab");
	assert_string_equal(dpt_text_escape("ab\ncd", out, 7), "ab\\x0a");
	assert_string_equal(dpt_text_escape("\n\n\n\n\n\n", big, sizeof(big)),
			    "\\x0a\\x0a\\x0a\\x0a\\x0a\\x0a");
	out[0] = 'Z';
	dpt_text_escape("abc", out, 0);
	assert_int_equal(out[0], 'Z');
	assert_string_equal(dpt_text_escape("abc", out, 1), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes_what_is_not_printable),
		cmocka_unit_test(bounded_and_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
