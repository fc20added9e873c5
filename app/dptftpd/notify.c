/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * systemd's readiness protocol (sd_notify(3), Type=notify) without
 * libsystemd: one datagram per state change to the AF_UNIX socket named
 * by $NOTIFY_SOCKET ('@' first: an abstract one). The socket is connected
 * at the start, while dptftpd may still reach the path (the switch to
 * --user comes later); the variable is then removed, so nothing started
 * from here could talk to systemd in our name.
 */

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "dptftpd.h"

static int notify_fd = -1;

int
app_notify_open(char *err, size_t errlen)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n;
	socklen_t len;
	int fd;

	if (path == NULL || path[0] == '\0')
		return 0;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "NOTIFY_SOCKET '%s' is not a socket path",
			 path);
		return -1;
	}
	memcpy(sa.sun_path, path, n);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';	/* abstract */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
			  (path[0] == '@' ? 0 : 1));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, len) < 0) {
		snprintf(err, errlen, "NOTIFY_SOCKET %s: %s", path,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	notify_fd = fd;
	unsetenv("NOTIFY_SOCKET");
	return 0;
}

void
app_notify(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	int n;

	if (notify_fd < 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n > 0)	/* best effort: systemd's timeouts say the rest */
		(void)!send(notify_fd, msg, (size_t)n < sizeof(msg) ?
			    (size_t)n : sizeof(msg) - 1, MSG_NOSIGNAL);
}

void
app_notify_close(void)
{
	if (notify_fd >= 0)
		close(notify_fd);
	notify_fd = -1;
}
