/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/conf: --refuse and --blksize-max-for, checked as they are given
 * (before EAL starts) and turned into the dataplane's terms.
 */

#include "test_conf.h"
#include "dpt_tftp.h"

/* Verifies: --refuse takes option names, case-insensitive, as a list and
 * repeated; the mask has exactly their bits and the dump shows the list
 * as given. */
static void
refuse_names(void **state)
{
	struct fx *t = *state;
	uint32_t mask = 1;

	assert_int_equal(dpt_conf_refuse_mask(&t->c, &mask, t->err,
					      sizeof(t->err)), 0);
	assert_int_equal(mask, 0);
	PARSE_OK(t, "--refuse", "blksize,TSize", "--refuse", "windowsize");
	assert_string_equal(t->c.refuse, "blksize,TSize,windowsize");
	assert_int_equal(dpt_conf_refuse_mask(&t->c, &mask, t->err,
					      sizeof(t->err)), 0);
	assert_int_equal(mask, DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_BLKSIZE) |
			 DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_TSIZE) |
			 DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_WINDOWSIZE));
	PARSE_OK(t, "--refuse", "timeout");
	assert_int_equal(dpt_conf_refuse_mask(&t->c, &mask, t->err,
					      sizeof(t->err)), 0);
	assert_int_equal(mask, DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_COUNT) - 1);
}

/* Verifies: an unknown name is refused at parse time, by name, with the
 * names that are known, and changes nothing; in a file the error says
 * the file and line. */
static void
refuse_unknown(void **state)
{
	struct fx *t = *state;
	char *path;

	PARSE_ERR(t, "--refuse: unknown option 'mtu' (blksize, timeout, "
		  "tsize, windowsize)", "--refuse", "blksize,mtu");
	PARSE_ERR(t, "unknown option 'multicast'", "--refuse", "multicast");
	path = write_ini(t, "[tftp]\nrefuse = tsize,bogus\n");
	assert_int_equal(PARSE(t, "--config", path), -1);
	check_err(t->err, ":2: refuse: unknown option 'bogus'");
	assert_string_equal(t->c.refuse, "");
}

/* Verifies: --blksize-max-for rules, IPv4 and IPv6, as a list and
 * repeated, come back in order with address, prefix and ceiling. */
static void
blksize_for_rules(void **state)
{
	struct dpt_blksize_rule r[DPT_CONF_MAX_BLKSIZE_RULES];
	struct fx *t = *state;
	uint8_t v6[16];

	assert_int_equal(dpt_conf_blksize_rules(&t->c, r, t->err,
						sizeof(t->err)), 0);
	PARSE_OK(t, "--blksize-max-for", "10.1.0.0/16=1024,10.1.2.3/32=800",
		 "--blksize-max-for", "2001:db8::/32=1200");
	assert_int_equal(dpt_conf_blksize_rules(&t->c, r, t->err,
						sizeof(t->err)), 3);
	assert_int_equal(r[0].family, AF_INET);
	assert_memory_equal(r[0].ip, ((uint8_t[]){ 10, 1, 0, 0 }), 4);
	assert_int_equal(r[0].prefix, 16);
	assert_int_equal(r[0].max, 1024);
	assert_memory_equal(r[1].ip, ((uint8_t[]){ 10, 1, 2, 3 }), 4);
	assert_int_equal(r[1].prefix, 32);
	assert_int_equal(r[1].max, 800);
	assert_int_equal(r[2].family, AF_INET6);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::", v6), 1);
	assert_memory_equal(r[2].ip, v6, 16);
	assert_int_equal(r[2].prefix, 32);
	assert_int_equal(r[2].max, 1200);
}

/* Verifies: every malformed rule is refused at parse time with the form
 * it should have, and changes nothing. */
static void
blksize_for_bad(void **state)
{
	static char *bad[] = {
		"10.1.0.0=1024", "10.1.0.0/16", "10.1.0.0/33=1024",
		"10.1.0.0/16=7", "10.1.0.0/16=65465", "10.1.0.0/16=",
		"10.1.0.0/=512", "10.1.0/16=512", "fe80::/129=512",
		"host/8=512", "10.1.0.0/16=1k", "=", "/",
		"10.1.0.0/+16=1024", "10.1.0.0/16= 1024", "10.1.0.0/16=+512",
		"10.1.0.0/-0=512",
	};
	struct fx *t = *state;
	char want[128];
	size_t i;

	for (i = 0; i < TC_DIM(bad); i++) {
		snprintf(want, sizeof(want), "--blksize-max-for: '%s' is not "
			 "SUBNET=N (like 10.1.0.0/16=1024, N in 8..65464)",
			 bad[i]);
		expect_parse_err(t, (char *[]){ "dptftpd", "--blksize-max-for",
				 bad[i], NULL }, want);
	}
	/* one bad rule in a list refuses the whole option */
	PARSE_ERR(t, "'bad' is not SUBNET=N", "--blksize-max-for",
		  "10.0.0.0/8=1024,bad");
	assert_string_equal(t->c.blksize_rules, "");
}

/* Verifies: DPT_CONF_MAX_BLKSIZE_RULES rules are taken, one more is
 * refused, whether it comes in the same list or a later option. */
static void
blksize_for_limit(void **state)
{
	struct dpt_blksize_rule r[DPT_CONF_MAX_BLKSIZE_RULES];
	struct fx *t = *state;
	char list[1024], one[32];
	int i;

	list[0] = '\0';
	for (i = 0; i < DPT_CONF_MAX_BLKSIZE_RULES; i++) {
		snprintf(one, sizeof(one), "%s10.%d.0.0/16=%d",
			 i != 0 ? "," : "", i, 600 + i);
		strcat(list, one);
	}
	PARSE_OK(t, "--blksize-max-for", list);
	assert_int_equal(dpt_conf_blksize_rules(&t->c, r, t->err,
						sizeof(t->err)),
			 DPT_CONF_MAX_BLKSIZE_RULES);
	assert_int_equal(r[DPT_CONF_MAX_BLKSIZE_RULES - 1].max,
			 600 + DPT_CONF_MAX_BLKSIZE_RULES - 1);
	PARSE_ERR(t, "--blksize-max-for: at most 32 rules",
		  "--blksize-max-for", "192.0.2.0/24=512");
	dpt_conf_defaults(&t->c);
	strcat(list, ",192.0.2.0/24=512");
	PARSE_ERR(t, "at most 32 rules", "--blksize-max-for", list);
}

/* Verifies: a configuration changed by code rather than parsed (the
 * lists written directly) is checked by dpt_conf_validate(). */
static void
validate_checks_lists(void **state)
{
	struct fx *t = *state;

	PARSE_OK(t, "--root", t->dir, "--refuse", "tsize",
		 "--blksize-max-for", "10.0.0.0/8=1024");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), 0);
	snprintf(t->c.refuse, sizeof(t->c.refuse), "tsize,nope");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	check_err(t->err, "--refuse: unknown option 'nope'");
	snprintf(t->c.refuse, sizeof(t->c.refuse), "tsize");
	snprintf(t->c.blksize_rules, sizeof(t->c.blksize_rules),
		 "10.0.0.0/8=4");
	assert_int_equal(dpt_conf_validate(&t->c, t->err, sizeof(t->err)), -1);
	check_err(t->err, "--blksize-max-for: '10.0.0.0/8=4' is not SUBNET=N");
}

const struct CMUnitTest conf_tftp_tests[] = {
	TC_TEST(refuse_names),
	TC_TEST(refuse_unknown),
	TC_TEST(blksize_for_rules),
	TC_TEST(blksize_for_bad),
	TC_TEST(blksize_for_limit),
	TC_TEST(validate_checks_lists),
};

const size_t conf_tftp_count = TC_DIM(conf_tftp_tests);
