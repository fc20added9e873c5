/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * A transfer record in words: the console's block, a logfmt line for
 * syslog and a JSON line for files. Client-chosen text goes through
 * lib/text first (\xNN for what is not printable ASCII, and the
 * backslash), then is quoted for the format: in logfmt a double quote
 * becomes \x22 too; in JSON the escaped text is a JSON string (its
 * backslashes doubled), so a reader decodes it back to lib/text's form,
 * never to raw bytes.
 */

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "dpt_text.h"
#include "dpt_xlog.h"

/* Escaped client text: 4 bytes for each of the file name's. */
#define ESC_MAX (4 * DPT_TFTP_FILENAME_MAX)

/* An output buffer written piece by piece, cut at its end. */
struct out {
	char *buf;
	size_t len, off;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->off + 1 >= o->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->off, o->len - o->off, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->off += (size_t)n < o->len - o->off ? (size_t)n :
			  o->len - o->off - 1;
}

static const char *
client_ip(const struct dpt_transfer *t, char *buf, size_t len)
{
	if (inet_ntop(t->family == AF_INET6 ? AF_INET6 : AF_INET,
		      t->client_ip, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

/* "[addr]:port" for IPv6, "addr:port" for IPv4. */
static const char *
client_addr(const struct dpt_transfer *t, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	client_ip(t, ip, sizeof(ip));
	snprintf(buf, len, t->family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip,
		 t->client_port);
	return buf;
}

static const char *
iso_time(uint64_t unix_us, char *buf, size_t len)
{
	time_t s = (time_t)(unix_us / 1000000);
	struct tm tm;

	gmtime_r(&s, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ",
		 (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
		 tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
		 tm.tm_sec % 100, (unsigned int)(unix_us % 1000000));
	return buf;
}

static uint64_t
duration_us(const struct dpt_transfer *t)
{
	return t->end_us > t->start_us ? t->end_us - t->start_us : 0;
}

/* lib/text's form of s, quoted: for logfmt a '"' as \x22 too; for JSON
 * the inside of a JSON string (its backslashes and quotes escaped). */
static const char *
esc(const char *s, char *buf, size_t len, bool json)
{
	char tmp[ESC_MAX];
	size_t i, n = 0;

	dpt_text_escape(s, tmp, sizeof(tmp));
	for (i = 0; tmp[i] != '\0' && n + 5 < len; i++) {
		if (!json && tmp[i] == '"') {
			memcpy(buf + n, "\\x22", 4);
			n += 4;
			continue;
		}
		if (json && (tmp[i] == '"' || tmp[i] == '\\'))
			buf[n++] = '\\';
		buf[n++] = tmp[i];
	}
	buf[n] = '\0';
	return buf;
}

static uint64_t
granted_value(const struct dpt_tftp_negotiated *g, unsigned int o)
{
	switch (o) {
	case DPT_TFTP_OPT_BLKSIZE: return g->blksize;
	case DPT_TFTP_OPT_TIMEOUT: return g->timeout_s;
	case DPT_TFTP_OPT_TSIZE: return g->tsize;
	default: return g->windowsize;
	}
}

/* "blksize=1468 tsize=0", "" when none; sep between pairs. */
static void
put_asked(struct out *o, const struct dpt_transfer *t, const char *sep,
	  const char *none)
{
	unsigned int i, n = 0;

	for (i = 0; i < DPT_TFTP_OPT_COUNT; i++) {
		if (!t->asked[i].present)
			continue;
		if (t->asked[i].valid)
			put(o, "%s%s=%" PRIu64, n++ ? sep : "",
			    dpt_tftp_opt_name(i), t->asked[i].value);
		else
			put(o, "%s%s=invalid", n++ ? sep : "",
			    dpt_tftp_opt_name(i));
	}
	if (t->n_unknown != 0)
		put(o, "%sunknown=%u", n++ ? sep : "", t->n_unknown);
	if (n == 0)
		put(o, "%s", none);
}

static void
put_granted(struct out *o, const struct dpt_transfer *t, const char *sep,
	    const char *none)
{
	unsigned int i, n = 0;

	for (i = 0; i < DPT_TFTP_OPT_COUNT; i++)
		if (t->granted.accepted & DPT_TFTP_OPT_BIT(i))
			put(o, "%s%s=%" PRIu64, n++ ? sep : "",
			    dpt_tftp_opt_name(i), granted_value(&t->granted, i));
	if (n == 0)
		put(o, "%s", none);
}

static const char *
err_from(const struct dpt_transfer *t)
{
	return t->err_dir == DPT_TFTP_ERR_RECEIVED ? "client" : "server";
}

void
dpt_xlog_print(FILE *f, const struct dpt_xlog_entry *e)
{
	const struct dpt_transfer *t = &e->t;
	char addr[INET6_ADDRSTRLEN + 8], when[80], e_buf[ESC_MAX];
	char line[512];
	struct out o = { .buf = line, .len = sizeof(line) };
	uint64_t d = duration_us(t);

	fprintf(f, "Transfer: %" PRIu64 "\n  Start: %s\n  Client: %s\n"
		"  Server-port: %u\n  Request: %s\n  File: %s\n  Mode: %s\n",
		e->seq, iso_time(e->start_unix_us, when, sizeof(when)),
		client_addr(t, addr, sizeof(addr)), t->server_port,
		t->op == DPT_TFTP_WRQ ? "WRQ" : "RRQ",
		dpt_text_escape(t->file, e_buf, sizeof(e_buf)),
		t->mode == DPT_TFTP_MODE_NETASCII ? "netascii" : "octet");
	put_asked(&o, t, " ", "none");
	fprintf(f, "  Options-asked: %s\n", line);
	o.off = 0;
	put_granted(&o, t, " ", "none");
	fprintf(f, "  Options-granted: %s\n", line);
	fprintf(f, "  Bytes: %" PRIu64 "\n  Blocks: %" PRIu64 "\n"
		"  Retransmits: %u\n  Duration: %" PRIu64 ".%06" PRIu64 " s\n"
		"  Result: %s\n", t->bytes, t->blocks, t->retransmits,
		d / 1000000, d % 1000000, dpt_dp_xfer_result_name(t->result));
	if (t->err_dir == DPT_TFTP_ERR_NONE)
		fprintf(f, "  Error: none\n");
	else
		fprintf(f, "  Error: %u %s (from the %s)\n", t->err_code,
			dpt_text_escape(t->err_msg, e_buf, sizeof(e_buf)),
			err_from(t));
}

size_t
dpt_xlog_logfmt(const struct dpt_xlog_entry *e, char *buf, size_t len)
{
	const struct dpt_transfer *t = &e->t;
	struct out o = { .buf = buf, .len = len };
	char addr[INET6_ADDRSTRLEN + 8], when[80], e_buf[ESC_MAX];
	uint64_t d = duration_us(t);

	if (len == 0)
		return 0;
	buf[0] = '\0';
	put(&o, "transfer %" PRIu64 ": start=%s client=%s port=%u op=%s "
	    "file=\"%s\" mode=%s asked=\"", e->seq,
	    iso_time(e->start_unix_us, when, sizeof(when)),
	    client_addr(t, addr, sizeof(addr)),
	    t->server_port, t->op == DPT_TFTP_WRQ ? "WRQ" : "RRQ",
	    esc(t->file, e_buf, sizeof(e_buf), false),
	    t->mode == DPT_TFTP_MODE_NETASCII ? "netascii" : "octet");
	put_asked(&o, t, " ", "");
	put(&o, "\" granted=\"");
	put_granted(&o, t, " ", "");
	put(&o, "\" bytes=%" PRIu64 " blocks=%" PRIu64 " retransmits=%u "
	    "duration=%" PRIu64 ".%06" PRIu64 "s result=%s", t->bytes,
	    t->blocks, t->retransmits, d / 1000000, d % 1000000,
	    dpt_dp_xfer_result_name(t->result));
	if (t->err_dir != DPT_TFTP_ERR_NONE)
		put(&o, " error_code=%u error=\"%s\" error_from=%s",
		    t->err_code, esc(t->err_msg, e_buf, sizeof(e_buf), false),
		    err_from(t));
	return o.off;
}

static void
put_asked_json(struct out *o, const struct dpt_transfer *t)
{
	unsigned int i, n = 0;

	for (i = 0; i < DPT_TFTP_OPT_COUNT; i++) {
		if (!t->asked[i].present)
			continue;
		if (t->asked[i].valid)
			put(o, "%s\"%s\":%" PRIu64, n++ ? "," : "",
			    dpt_tftp_opt_name(i), t->asked[i].value);
		else		/* asked, with a value out of range */
			put(o, "%s\"%s\":null", n++ ? "," : "",
			    dpt_tftp_opt_name(i));
	}
}

static void
put_granted_json(struct out *o, const struct dpt_transfer *t)
{
	unsigned int i, n = 0;

	for (i = 0; i < DPT_TFTP_OPT_COUNT; i++)
		if (t->granted.accepted & DPT_TFTP_OPT_BIT(i))
			put(o, "%s\"%s\":%" PRIu64, n++ ? "," : "",
			    dpt_tftp_opt_name(i),
			    granted_value(&t->granted, i));
}

size_t
dpt_xlog_json(const struct dpt_xlog_entry *e, char *buf, size_t len)
{
	const struct dpt_transfer *t = &e->t;
	struct out o = { .buf = buf, .len = len };
	char ip[INET6_ADDRSTRLEN], when[80], e_buf[2 * ESC_MAX];
	uint64_t d = duration_us(t);

	if (len == 0)
		return 0;
	buf[0] = '\0';
	put(&o, "{\"seq\":%" PRIu64 ",\"start\":\"%s\",\"client\":\"%s\","
	    "\"client_port\":%u,\"server_port\":%u,\"request\":\"%s\","
	    "\"file\":\"%s\",\"mode\":\"%s\",\"options_asked\":{", e->seq,
	    iso_time(e->start_unix_us, when, sizeof(when)),
	    client_ip(t, ip, sizeof(ip)), t->client_port, t->server_port,
	    t->op == DPT_TFTP_WRQ ? "WRQ" : "RRQ",
	    esc(t->file, e_buf, sizeof(e_buf), true),
	    t->mode == DPT_TFTP_MODE_NETASCII ? "netascii" : "octet");
	put_asked_json(&o, t);
	put(&o, "},\"options_unknown\":%u,\"options_granted\":{",
	    t->n_unknown);
	put_granted_json(&o, t);
	put(&o, "},\"bytes\":%" PRIu64 ",\"blocks\":%" PRIu64
	    ",\"retransmits\":%u,\"duration\":%" PRIu64 ".%06" PRIu64
	    ",\"result\":\"%s\"", t->bytes, t->blocks, t->retransmits,
	    d / 1000000, d % 1000000, dpt_dp_xfer_result_name(t->result));
	if (t->err_dir != DPT_TFTP_ERR_NONE)
		put(&o, ",\"error\":{\"from\":\"%s\",\"code\":%u,"
		    "\"message\":\"%s\"}", err_from(t), t->err_code,
		    esc(t->err_msg, e_buf, sizeof(e_buf), true));
	put(&o, "}");
	return o.off;
}
