/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The manual page and the sample INI file, written from the option table
 * like --help: neither can name an option the parser does not take, or a
 * default the code does not use. The build runs `dptftpd --man` and
 * `dptftpd --sample-config` and installs what they write.
 */

#include <string.h>

#include "conf_internal.h"

#define SAMPLE_WIDTH 76

static const char *const man_body[] = {
	".SH SIGNALS",
	".TP", "\\fBSIGTERM\\fR, \\fBSIGINT\\fR",
	"Drain: no new request is taken while the transfers that run finish, "
	"for up to \\fB\\-\\-drain\\-timeout\\fR (a second signal cuts it "
	"short); then the rest end with ERROR 0, every counter since the "
	"start is printed, and dptftpd exits.",
	".TP", "\\fBSIGHUP\\fR",
	"Re-read the \\fB\\-\\-map\\-file\\fR and reopen the "
	"\\fB\\-\\-transfer\\-log\\fR file (logrotate).",
	".TP", "\\fBSIGUSR1\\fR",
	"Print every counter since the start, and serve on.",
	".SH EXIT STATUS",
	"0: stopped cleanly; 1: a bad option or configuration (one line on "
	"stderr); 2: could not start (EAL, a port, the root; one line); 3: "
	"mbufs were still in use at the end.",
	".SH FILES",
	".TP", "\\fI/etc/dptftpd/dptftpd.ini\\fR",
	"the configuration the systemd unit reads (\\fBdptftpd "
	"\\-\\-sample\\-config\\fR writes one with every key).",
	".TP", "\\fI/run/dptftpd/\\fR",
	"the unit's runtime folder: EAL's files, a \\fB\\-\\-console\\-socket"
	"\\fR for \\fBdptftp\\-console\\fR.",
	".TP", "\\fI/var/log/dptftpd/\\fR",
	"the unit's log folder, for a \\fB\\-\\-transfer\\-log\\fR file.",
	".SH EXAMPLES",
	".nf",
	"dptftpd \\-\\-root /srv/tftp",
	"dptftpd \\-\\-root /srv/tftp \\-\\-listen 127.0.0.1:6969 "
	"\\-\\-transfer\\-log /var/log/dptftpd/transfers.json",
	"dptftpd \\-\\-iface eth1 \\-\\-ip 192.0.2.10/24 \\-\\-root /srv/tftp "
	"\\-\\-metrics\\-listen 127.0.0.1:9469",
	"dptftpd \\-l 0\\-3 \\-a 0000:03:00.0 \\-\\- \\-\\-iface 0000:03:00.0 "
	"\\-\\-ip 192.0.2.10/24 \\-\\-root /srv/tftp",
	".fi",
	".SH SEE ALSO",
	"\\fBdptftp\\-console\\fR(1), \\fBdptftp\\-bench\\fR(1), "
	"\\fBin.tftpd\\fR(8), \\fBdnsmasq\\fR(8), \\fBsystemd.service\\fR(5); "
	"the documentation in the source tree's docs/ folder: configuration.md, "
	"console.md, deploy.md, migrate.md.",
	NULL,
};

void
dpt_conf_man(FILE *f, const char *version)
{
	unsigned int i;

	fprintf(f, ".TH DPTFTPD 8 \"\" \"dptftp %s\" \"System Manager's "
		"Manual\"\n.SH NAME\ndptftpd \\- TFTP server on a DPDK "
		"dataplane\n.SH SYNOPSIS\n.B dptftpd\n[\\fIEAL options\\fR "
		"\\fB\\-\\-\\fR] [\\fIoptions\\fR]\n.SH DESCRIPTION\n", version);
	fputs("dptftpd serves files over TFTP (RFC 1350, 2347, 2348, 2349, "
	      "7440) from a DPDK dataplane: an RX lcore polls the ports (kernel "
	      "UDP sockets, AF_PACKET, AF_XDP or a DPDK NIC) and steers each "
	      "datagram to a worker lcore; workers run the sessions from a "
	      "file cache in hugepage memory; a TX lcore sends the replies. "
	      "The main lcore opens files, runs the console and writes the "
	      "transfer log.\n.PP\n"
	      "Every option but those of the command line only may also be "
	      "set in the \\fB\\-\\-config\\fR file, as \\fIkey = value\\fR "
	      "under its [section]; the command line wins. With no EAL "
	      "options (on the command line before \\fB\\-\\-\\fR, or "
	      "\\fBeal\\-args\\fR in the file) dptftpd starts EAL itself for "
	      "the socket backend, without hugepages or PCI. Durations: 250us, "
	      "500ms, 2s; sizes: bytes, or K, M, G, T (powers of 1024).\n"
	      ".SH OPTIONS\n", f);
	dpt_opt_man(f, &conf_table);
	for (i = 0; man_body[i] != NULL; i++)
		fprintf(f, "%s\n", man_body[i]);
}

/* text as '# ' comment lines, wrapped. */
static void
comment(FILE *f, const char *text)
{
	int col = 0, n;

	while (*text != '\0') {
		text += strspn(text, " ");
		n = (int)strcspn(text, " ");
		if (n == 0)
			break;
		if (col > 0 && col + 1 + n > SAMPLE_WIDTH) {
			fputc('\n', f);
			col = 0;
		}
		col += fprintf(f, "%s%.*s", col == 0 ? "# " : " ", n, text);
		text += n;
	}
	if (col > 0)
		fputc('\n', f);
}

void
dpt_conf_sample(FILE *f)
{
	unsigned int i;
	int s;

	fputs("# dptftpd's configuration: dptftpd --config FILE, the file the "
	      "systemd\n# unit reads (/etc/dptftpd/dptftpd.ini). Each key is "
	      "an option of dptftpd(8)\n# without its '--', under its "
	      "[section]; the command line wins. Lines that\n# start with "
	      "'#' are comments: each setting is shown at its default,\n"
	      "# commented out; uncomment what you change. Written by "
	      "dptftpd --sample-config.\n", f);
	for (s = 0; s < CONF_SEC_CLI; s++) {
		fprintf(f, "\n[%s]\n", conf_section_names[s]);
		for (i = 0; i < conf_n_opts; i++) {
			const struct dpt_opt *o = &conf_opts[i];

			if ((int)o->group != s)
				continue;
			fputc('\n', f);
			comment(f, o->help);
			if (strcmp(o->name, "root") == 0)
				fprintf(f, "%s = /srv/tftp\n", o->name);
			else
				fprintf(f, "#%s = %s\n", o->name,
					o->def != NULL ? o->def :
					o->arg != NULL ? o->arg : "");
		}
	}
}
