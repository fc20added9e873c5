/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The smallest HTTP/1.1 server a scraper needs: GET (or HEAD) /metrics,
 * one request a connection, answered whole with Content-Length and
 * "Connection: close". Everything is non-blocking and polled from the
 * main lcore's loop: accept() what waits, read() what came, write() what
 * the socket takes; a connection that sends more than a request, or
 * stalls, is closed. A few connections at once are plenty for a scraper
 * or two and a person with curl.
 */

#define _GNU_SOURCE	/* accept4(), strcasestr() */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "dpt_metrics.h"
#include "metrics_internal.h"

#define CONN_MAX 8
#define REQ_MAX 8192		/* a request's head, at most */
#define CONN_TIMEOUT_US 10000000	/* from accept to the last byte sent */

#define CT_OPENMETRICS "application/openmetrics-text; version=1.0.0; " \
		       "charset=utf-8"
#define CT_TEXT "text/plain; version=0.0.4; charset=utf-8"

struct conn {
	int fd;
	uint64_t deadline;
	char *out;		/* malloc'd response; NULL while reading */
	size_t out_len, out_off;
	size_t in_len;
	char in[REQ_MAX + 1];	/* last: a new connection clears the rest */
};

struct dpt_metrics {
	int fd;
	struct dpt_metrics_params p;
	struct conn conns[CONN_MAX];
	unsigned int n_conns;
	uint64_t scrapes;
};

struct dpt_metrics *
dpt_metrics_open(const struct dpt_conf_addr *addr,
		 const struct dpt_metrics_params *p, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	char where[80];
	socklen_t len;
	int fd, on = 1, e;
	struct dpt_metrics *m;

	memset(&ss, 0, sizeof(ss));
	if (addr->family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = addr->v6;
		a->sin6_port = htons(addr->port);
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_addr = addr->v4;
		a->sin_port = htons(addr->port);
		len = sizeof(*a);
	}
	dpt_conf_addr_str(addr, where, sizeof(where));
	fd = socket(addr->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 16) < 0) {
		e = errno;
		snprintf(err, errlen, "--metrics-listen: cannot listen on %s: "
			 "%s%s", where, strerror(e), e == EACCES &&
			 addr->port < 1024 ? " (a port below 1024 needs root "
			 "or CAP_NET_BIND_SERVICE)" : "");
		if (fd >= 0)
			close(fd);
		errno = e;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (m == NULL) {
		close(fd);
		snprintf(err, errlen, "--metrics-listen: %s", strerror(ENOMEM));
		return NULL;
	}
	m->fd = fd;
	m->p = *p;
	if (m->p.start_unix_us == 0)
		m->p.start_unix_us = metrics_unix_us();
	return m;
}

static void
conn_close(struct dpt_metrics *m, unsigned int i)
{
	close(m->conns[i].fd);
	free(m->conns[i].out);
	m->conns[i] = m->conns[--m->n_conns];
}

void
dpt_metrics_close(struct dpt_metrics *m)
{
	if (m == NULL)
		return;
	while (m->n_conns > 0)
		conn_close(m, 0);
	close(m->fd);
	free(m);
}

uint64_t
dpt_metrics_scrapes(const struct dpt_metrics *m)
{
	return m->scrapes;
}

/* Whether the request's Accept header names OpenMetrics (Prometheus
 * asks for it first, then for 0.0.4 text). */
static bool
accepts_openmetrics(const char *head)
{
	const char *a = strcasestr(head, "\r\naccept:"), *end;
	char line[1024];
	size_t n;

	if (a == NULL)
		return false;
	a += 2;
	end = strstr(a, "\r\n");
	n = end != NULL ? (size_t)(end - a) : strlen(a);
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, a, n);
	line[n] = '\0';
	return strcasestr(line, "application/openmetrics-text") != NULL;
}

/* The response to a whole request head: status, type and body. */
static void
respond(struct dpt_metrics *m, struct conn *c)
{
	char method[8] = "", path[256] = "", *body = NULL, *hdr_end;
	const char *status = "200 OK", *type = CT_TEXT;
	size_t body_len = 0;
	bool om, head;
	FILE *f;

	hdr_end = strstr(c->in, "\r\n\r\n");
	if (hdr_end != NULL)
		hdr_end[2] = '\0';	/* the headers, each ending in \r\n */
	if (sscanf(c->in, "%7s %255s HTTP/1.", method, path) != 2) {
		status = "400 Bad Request";
	} else if (strcmp(method, "GET") != 0 &&
		   strcmp(method, "HEAD") != 0) {
		status = "405 Method Not Allowed";
	} else if (strcmp(path, "/metrics") != 0 &&
		   strncmp(path, "/metrics?", 9) != 0) {
		status = "404 Not Found";
	}
	head = strcmp(method, "HEAD") == 0;
	om = accepts_openmetrics(c->in);
	f = open_memstream(&body, &body_len);
	if (f == NULL)
		return;
	if (strcmp(status, "200 OK") == 0) {
		dpt_metrics_write(&m->p, f, om);
		type = om ? CT_OPENMETRICS : CT_TEXT;
		m->scrapes++;
	} else {
		fprintf(f, "%s: dptftpd serves GET /metrics\n", status);
		type = "text/plain; charset=utf-8";
	}
	fclose(f);
	f = open_memstream(&c->out, &c->out_len);
	if (f == NULL) {
		free(body);
		return;
	}
	fprintf(f, "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		"Connection: close\r\n%s\r\n", status, type, body_len,
		strncmp(status, "405", 3) == 0 ? "Allow: GET, HEAD\r\n" : "");
	if (!head)
		fwrite(body, 1, body_len, f);
	fclose(f);
	free(body);
	c->out_off = 0;
}

/* Reads what came; answers once the head is whole. Returns -1 to close. */
static int
conn_read(struct dpt_metrics *m, struct conn *c)
{
	ssize_t n = read(c->fd, c->in + c->in_len, REQ_MAX - c->in_len);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		return -1;
	if (n < 0)
		return 0;
	c->in_len += (size_t)n;
	c->in[c->in_len] = '\0';
	if (strstr(c->in, "\r\n\r\n") == NULL) {
		if (c->in_len < REQ_MAX)
			return 0;
		snprintf(c->in, sizeof(c->in), "BAD\r\n\r\n");	/* too big */
	}
	respond(m, c);
	return c->out == NULL ? -1 : 0;
}

/* Sends what the socket takes; -1 when done or broken (close it). */
static int
conn_write(struct conn *c)
{
	ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	c->out_off += (size_t)n;
	return c->out_off == c->out_len ? -1 : 0;
}

unsigned int
dpt_metrics_poll(struct dpt_metrics *m)
{
	uint64_t now = dpt_dp_now_us();
	unsigned int work = 0, i;
	int fd;

	while (m->n_conns < CONN_MAX &&
	       (fd = accept4(m->fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		struct conn *c = &m->conns[m->n_conns++];

		memset(c, 0, offsetof(struct conn, in));
		c->fd = fd;
		c->in[0] = '\0';
		c->deadline = now + CONN_TIMEOUT_US;
		work++;
	}
	for (i = 0; i < m->n_conns; ) {
		struct conn *c = &m->conns[i];
		int rc = c->out == NULL ? conn_read(m, c) : conn_write(c);

		if (rc < 0 || now > c->deadline) {
			conn_close(m, i);
			work++;
			continue;
		}
		i++;
	}
	return work;
}
