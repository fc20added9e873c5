/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/conf: what it writes: --help, the manual, the sample file, the
 * dump.
 */

#include "test_conf.h"

/* Verifies: the sample INI (--sample-config) loads back unchanged but
 * for root, and names every key a file may have, each once, under its
 * section; the manual page (--man) has a .TP entry for every option and
 * no raw "--" (troff would hyphenate it); [eal] takes eal-args and
 * hugepages. */
static void
sample_and_man(void **state)
{
	struct fx *t = *state;
	char *buf = NULL, *path, want[96];
	size_t len = 0;
	unsigned int i;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	dpt_conf_sample(f);
	fclose(f);
	for (i = 0; i < conf_n_opts; i++) {
		if (conf_opts[i].group == CONF_SEC_CLI)
			continue;
		snprintf(want, sizeof(want), "\n#%s = ", conf_opts[i].name);
		if (strstr(buf, want) == NULL &&
		    strcmp(conf_opts[i].name, "root") != 0)
			fail_msg("the sample lacks %s", conf_opts[i].name);
	}
	assert_non_null(strstr(buf, "\n[eal]\n"));
	path = write_ini(t, buf);
	free(buf);
	assert_int_equal(dpt_conf_load_file(&t->c, path, t->err,
					    sizeof(t->err)), 0);
	assert_string_equal(t->c.root, "/srv/tftp");
	f = open_memstream(&buf, &len);
	dpt_conf_man(f, "9.9");
	fclose(f);
	assert_non_null(strstr(buf, ".TH DPTFTPD 8 \"\" \"dptftp 9.9\""));
	for (i = 0; i < conf_n_opts; i++) {
		snprintf(want, sizeof(want), "\\fB\\-\\-%s\\fR",
			 conf_opts[i].name);
		/* names with a '-' have it escaped too */
		if (strchr(conf_opts[i].name, '-') == NULL &&
		    strstr(buf, want) == NULL)
			fail_msg("the manual lacks --%s", conf_opts[i].name);
	}
	assert_null(strstr(buf, " --"));
	free(buf);
	path = write_ini(t, "[eal]\neal-args = -l 0-3 -a 0000:03:00.0\n"
			    "hugepages = 1G\n");
	assert_int_equal(dpt_conf_load_file(&t->c, path, t->err,
					    sizeof(t->err)), 0);
	assert_string_equal(t->c.eal_args, "-l 0-3 -a 0000:03:00.0");
	assert_int_equal(t->c.hugepages, 1ull << 30);
	PARSE_ERR(t, "--hugepages: '1M' is out of range (0 or 2M..1T)",
		  "--hugepages", "1M");
}

static char *
usage_str(const char *prog)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	dpt_conf_usage(f, prog);
	fclose(f);
	return buf;
}

/* Verifies: --help names every option of the table with its argument and
 * default, the INI sections, the EAL note and the examples. */
static void
usage_lists_every_option(void **state)
{
	/* by hand too, so that a row dropped from the table is noticed */
	static const char *const expected[] = {
		"root", "listen", "port-range", "max-sessions", "backend",
		"iface", "ip", "ip6", "vlan", "mtu", "rx-queues", "instance",
		"blksize-max",
		"windowsize-max", "timeout", "retries", "pacing", "session-rate",
		"workers",
		"balance",
		"layout", "worker-ring", "tx-ring", "port-rate", "idle-sleep-max",
		"idle-spins", "cache-size", "preload", "zero-copy-min",
		"xdp", "xdp-busy-poll",
		"user", "serve-private", "max-open-files",
		"single-port", "max-per-client", "reply-limit",
		"reply-limit-total", "map-file", "refuse",
		"blksize-max-for",
		"allow-upload", "upload-dir", "upload-pattern", "upload-max",
		"upload-mode", "upload-fsync",
		"stats-period", "log-level", "cmdline-file", "console-socket",
		"config", "interactive", "help", "version",
		"drain-timeout", "transfer-log", "metrics-listen",
		"eal-args", "hugepages", "reserve-hugepages", "man",
		"sample-config",
	};
	char *u = usage_str("/usr/sbin/dptftpd");
	char want[128], *flat, *q;
	unsigned int i;
	const char *p;
	size_t n;

	/* help text wraps at the margin: compare it with spaces collapsed */
	flat = malloc(strlen(u) + 1);
	assert_non_null(flat);
	for (p = u, q = flat; *p != '\0'; p++)
		if (!(isspace((unsigned char)*p) && q > flat && q[-1] == ' '))
			*q++ = isspace((unsigned char)*p) ? ' ' : *p;
	*q = '\0';

	assert_non_null(strstr(u, "Usage: dptftpd [EAL options --] "
			       "[options]\n"));
	assert_null(strstr(u, "(null)"));	/* every section has a title */
	assert_int_equal(conf_n_opts, sizeof(expected) / sizeof(expected[0]));
	for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		snprintf(want, sizeof(want), "--%s", expected[i]);
		if (strstr(u, want) == NULL)
			fail_msg("--help lacks %s", want);
	}
	for (i = 0; i < conf_n_opts; i++) {
		const struct dpt_opt *o = &conf_opts[i];

		snprintf(want, sizeof(want), "--%s%s%s  ", o->name,
			 o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
		if (strstr(u, want) == NULL)
			fail_msg("--help lacks '%s'", want);
		if (strstr(flat, o->help) == NULL)
			fail_msg("--help lacks the help of --%s", o->name);
		snprintf(want, sizeof(want), "(default: %s)", o->def);
		if (o->def != NULL && strstr(u, want) == NULL)
			fail_msg("--help lacks '%s'", want);
	}
	assert_non_null(strstr(u, "-h, --help"));
	assert_non_null(strstr(u, "-V, --version"));
	assert_non_null(strstr(u, "[server]"));
	assert_non_null(strstr(u, "[dataplane]"));
	assert_non_null(strstr(u, "starts EAL itself for the socket"));
	assert_non_null(strstr(u, "  dptftpd --root /srv/tftp\n"));
	assert_non_null(strstr(u, "  dptftpd --root /srv/tftp --listen "
			       "127.0.0.1:6969\n"));
	assert_non_null(strstr(u, "  dptftpd --iface eth1 --ip 192.0.2.10/24 "
			       "--root /srv/tftp\n"));
	/* no line past 79 columns */
	for (p = u; *p != '\0'; p += n + (p[n] == '\n')) {
		n = strcspn(p, "\n");
		assert_true(n <= 79);
	}
	free(flat);
	free(u);
}

/* Verifies: every default shown in --help is what dpt_conf_defaults
 * sets: applying the shown text changes nothing. */
static void
usage_defaults_are_real(void **state)
{
	struct fx *t = *state;
	struct dpt_conf d;
	char opt[128];
	unsigned int i;

	for (i = 0; i < conf_n_opts; i++) {
		if (conf_opts[i].def == NULL)
			continue;
		dpt_conf_defaults(&d);
		t->c = d;
		snprintf(opt, sizeof(opt), "--%s=%s", conf_opts[i].name,
			 conf_opts[i].def);
		PARSE_OK(t, opt);
		if (memcmp(&d, &t->c, sizeof(d)) != 0)
			fail_msg("--help's default %s differs", opt);
	}
}

/* Verifies: the dump's lines are "key: value" with the long option names,
 * and its values read back from a file give the same dump. */
static void
dump_round_trips(void **state)
{
	struct fx *t = *state;
	char *d1, *d2, *line, *save, *colon, ini[4096];
	const struct dpt_opt *o;
	unsigned int seen = 0;
	const char *path;
	size_t n = 0;
	int s;

	PARSE_OK(t, "--root", t->dir, "--listen", "[::1]:6969",
		 "--port-range", "10000:20000", "--max-sessions", "100",
		 "--blksize-max", "1428", "--windowsize-max", "16",
		 "--timeout", "1.5", "--retries", "7", "--workers", "3",
		 "--balance", "least-loaded", "--worker-ring", "512",
		 "--tx-ring", "2048", "--idle-sleep-max", "1500us",
		 "--idle-spins", "9", "--cache-size", "1G",
		 "--stats-period", "10", "--log-level", "debug");
	d1 = dump_str(&t->c);
	assert_non_null(strstr(d1, "root: "));
	assert_non_null(strstr(d1, "\nlisten: [::1]:6969\n"));
	assert_non_null(strstr(d1, "\nbalance: least-loaded\n"));
	assert_non_null(strstr(d1, "\ntimeout: 1500ms\n"));
	assert_non_null(strstr(d1, "\nidle-sleep-max: 1500us\n"));
	assert_non_null(strstr(d1, "\ncache-size: 1073741824\n"));

	/* rebuild an INI file, section by section, from the dump */
	for (s = 0; s < CONF_SEC_CLI; s++) {
		char *copy = strdup(d1);

		n += (size_t)snprintf(ini + n, sizeof(ini) - n, "[%s]\n",
				      conf_section_names[s]);
		for (line = strtok_r(copy, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save)) {
			colon = strstr(line, ": ");
			assert_non_null(colon);
			*colon = '\0';
			o = conf_opt_find(line);
			if (o == NULL)
				fail_msg("dump key '%s' is no option", line);
			if (s == 0)
				seen++;
			/* INI has no empty values: unset means default */
			if ((int)o->group == s && colon[2] != '\0')
				n += (size_t)snprintf(ini + n, sizeof(ini) - n,
						      "%s = %s\n", line,
						      colon + 2);
		}
		free(copy);
	}
	/* every option with a value of its own, once: not ip/ip6/vlan/mtu/
	 * rx-queues/xdp/xdp-busy-poll (inside iface lines), iface (none
	 * here), interactive, help, version, reserve-hugepages, man,
	 * sample-config */
	assert_int_equal(seen, conf_n_opts - 14);
	path = write_ini(t, ini);
	dpt_conf_defaults(&t->c);
	assert_int_equal(dpt_conf_load_file(&t->c, path, t->err,
					    sizeof(t->err)), 0);
	d2 = dump_str(&t->c);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
}

/* Verifies: defaults dump as documented, ifaces one line each. */
static void
dump_defaults_and_ifaces(void **state)
{
	static const char *const lines[] = {
		"root: \n", "listen: 0.0.0.0:69\n", "port-range: 49152:65535\n",
		"max-sessions: 4096\n", "backend: ethdev\n",
		"iface 0: eth1 192.0.2.10/24 vlan 0 mtu 0 rx-queues 1\n",
		"iface 1: eth2 198.51.100.1/16 vlan 7 mtu 1500 rx-queues 4\n",
		("iface 2: eth3 192.0.2.20/24 2001:db8::20/64 vlan 0 mtu 0 "
		 "rx-queues 1\n"),
		("iface 3: eth4 fd00::4/56 vlan 9 mtu 0 rx-queues 1 xdp copy "
		 "busy-poll 64\n"),
		"blksize-max: 0\n", "windowsize-max: 64\n",
		"timeout: 1000ms\n", "retries: 5\n", "pacing: yes\n",
		"workers: 0\n",
		"balance: round-robin\n", "worker-ring: 256\n",
		"tx-ring: 1024\n", "idle-sleep-max: 500us\n",
		"idle-spins: 64\n", "cache-size: 536870912\n",
		"stats-period: 0\n", "log-level: notice\n", "config: \n",
		"instance: dptftpd\n", "cmdline-file: \n",
		"console-socket: \n",
	};
	struct fx *t = *state;
	unsigned int i;
	char *d;

	PARSE_OK(t, "--iface", "eth1", "--ip", "192.0.2.10/24", "--iface",
		 "eth2", "--ip", "198.51.100.1/16", "--vlan", "7", "--mtu",
		 "1500", "--rx-queues", "4", "--iface", "eth3", "--ip6", "2001:db8::20/64",
		 "--ip", "192.0.2.20/24", "--iface", "eth4", "--ip6",
		 "fd00::4/56", "--vlan", "9", "--xdp", "copy",
		 "--xdp-busy-poll", "64");
	d = dump_str(&t->c);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (strstr(d, lines[i]) == NULL)
			fail_msg("dump lacks '%s' in:\n%s", lines[i], d);
	/* in table order, so scripts can rely on it */
	assert_true(strstr(d, "root:") < strstr(d, "listen:"));
	assert_true(strstr(d, "iface 1:") < strstr(d, "blksize-max:"));
	assert_true(strstr(d, "log-level:") < strstr(d, "config:"));
	free(d);
}

const struct CMUnitTest conf_usage_tests[] = {
	TC_TEST(sample_and_man),
	TC_TEST(usage_lists_every_option),
	TC_TEST(usage_defaults_are_real),
	TC_TEST(dump_round_trips),
	TC_TEST(dump_defaults_and_ifaces),
};

const size_t conf_usage_count = TC_DIM(conf_usage_tests);
