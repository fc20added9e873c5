/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/* --help, written from the option table so it lists what parse accepts. */

#include <string.h>

#include "conf_internal.h"

#define USAGE_WIDTH 79

const char *const conf_section_titles[CONF_SEC_COUNT] = {
	[CONF_SEC_SERVER] = "Server, [server] in a --config file:",
	[CONF_SEC_TFTP] = "TFTP, [tftp]:",
	[CONF_SEC_DATAPLANE] = "Dataplane, [dataplane]:",
	[CONF_SEC_CACHE] = "File cache, [cache]:",
	[CONF_SEC_UPLOAD] = "Uploads (WRQ), [upload]:",
	[CONF_SEC_LOG] = "Logging and metrics, [log]:",
	[CONF_SEC_CONSOLE] = "Console, [console]:",
	[CONF_SEC_EAL] = "EAL, [eal]:",
	[CONF_SEC_CLI] = "Command line only:",
};

static int
opt_label(const struct conf_opt *o, char *buf, size_t len)
{
	const char *sp = o->arg != NULL ? " " : "";
	const char *arg = o->arg != NULL ? o->arg : "";

	if (o->short_name != 0)
		return snprintf(buf, len, "-%c, --%s%s%s", o->short_name,
				o->name, sp, arg);
	return snprintf(buf, len, "--%s%s%s", o->name, sp, arg);
}

/* One word of help text, on a new line when it would pass the margin. */
static void
put_word(FILE *f, const char *w, int n, int col, int *used)
{
	int room = USAGE_WIDTH - col - 4;

	if (*used > 0 && *used + 1 + n > room) {
		fprintf(f, "\n  %-*s  ", col, "");
		*used = 0;
	}
	fprintf(f, "%s%.*s", *used > 0 ? " " : "", n, w);
	*used += (*used > 0) + n;
}

static void
usage_option(FILE *f, const struct conf_opt *o, int col)
{
	char label[64], def[64];
	const char *p;
	int used = 0, n;

	opt_label(o, label, sizeof(label));
	fprintf(f, "  %-*s  ", col, label);
	for (p = o->help; *p != '\0'; p += n) {
		p += strspn(p, " ");
		n = (int)strcspn(p, " ");
		if (n > 0)
			put_word(f, p, n, col, &used);
	}
	/* the default stays in one piece, to be found at a glance */
	if (o->def != NULL) {
		n = snprintf(def, sizeof(def), "(default: %s)", o->def);
		put_word(f, def, n, col, &used);
	}
	fputc('\n', f);
}

void
dpt_conf_usage(FILE *f, const char *prog)
{
	const char *name = "dptftpd", *slash;
	char label[64];
	int col = 0, n, s;
	unsigned int i;

	if (prog != NULL && *prog != '\0') {
		slash = strrchr(prog, '/');
		name = slash != NULL && slash[1] != '\0' ? slash + 1 : prog;
	}
	for (i = 0; i < conf_n_opts; i++) {
		n = opt_label(&conf_opts[i], label, sizeof(label));
		if (n > col)
			col = n;
	}

	fprintf(f, "Usage: %s [EAL options --] [options]\n\n"
		"Serves files over TFTP (RFC 1350, 2347-2349, 7440) from a "
		"DPDK dataplane.\n"
		"Every option but the command line only ones can also be "
		"set in the\n"
		"--config file, as 'key = value' under its [section]; the "
		"command line wins.\n", name);
	for (s = 0; s < CONF_SEC_COUNT; s++) {
		fprintf(f, "\n%s\n", conf_section_titles[s]);
		for (i = 0; i < conf_n_opts; i++)
			if ((int)conf_opts[i].section == s)
				usage_option(f, &conf_opts[i], col);
	}
	fprintf(f, "\n"
		"Durations: 250us, 500ms, 2s, or a bare number of seconds "
		"(0.5 is 500ms).\n"
		"Sizes: bytes, or a number with K, M, G or T (powers of "
		"1024).\n"
		"\n"
		"With no EAL options, %s starts EAL itself for the socket "
		"backend\n"
		"(--no-huge --no-pci and a file prefix of its own), so a "
		"host without DPDK\n"
		"NICs or hugepages needs no setup. EAL options (cores, "
		"devices, --vdev)\n"
		"go before '--'.\n"
		"\n"
		"Examples:\n"
		"  %s --root /srv/tftp\n"
		"  %s --root /srv/tftp --listen 127.0.0.1:6969\n"
		"  %s --iface eth1 --ip 192.0.2.10/24 --root /srv/tftp\n"
		"  %s --config /etc/dptftp.ini --workers 4\n",
		name, name, name, name, name);
}
