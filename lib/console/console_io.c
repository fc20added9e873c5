/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Where commands come from: the terminal (-i) and connections to the
 * console socket. The main lcore must never wait on a person, so nothing
 * here blocks: poll() with no timeout says who typed, read() takes what is
 * there, and cmdline_in() runs every line it completes.
 */

#define _GNU_SOURCE	/* accept4() */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cmdline_socket.h>

#include "console_internal.h"

#define READ_CHUNK 256
#define SEND_TIMEOUT_S 2	/* a client that stops reading loses its turn */

static int
term_add(struct dpt_console *c, struct cmdline *cl, int fd, bool is_stdin)
{
	if (c->n_terms >= CONSOLE_MAX_TERMS)
		return -ENOSPC;
	c->terms[c->n_terms].cl = cl;
	c->terms[c->n_terms].fd = fd;
	c->terms[c->n_terms].is_stdin = is_stdin;
	c->n_terms++;
	return 0;
}

static void
term_close(struct dpt_console *c, unsigned int i)
{
	struct console_term *t = &c->terms[i];

	if (t->is_stdin) {
		cmdline_printf(t->cl, "\n");
		cmdline_stdin_exit(t->cl);	/* gives the terminal back */
	} else {
		cmdline_free(t->cl);		/* closes the connection */
	}
	c->terms[i] = c->terms[--c->n_terms];
}

int
dpt_console_stdin(struct dpt_console *c)
{
	struct cmdline *cl;
	int rc;

	/* The prompt shows once the terminal is raw: what is typed at the
	 * first prompt must not be echoed by the terminal and by us. */
	cl = cmdline_stdin_new(c->ctx, "");
	if (cl == NULL)
		return -ENOMEM;
	cmdline_set_prompt(cl, DPT_CONSOLE_PROMPT);
	rdline_newline(cmdline_get_rdline(cl), DPT_CONSOLE_PROMPT);
	rc = term_add(c, cl, STDIN_FILENO, true);
	if (rc < 0)
		cmdline_stdin_exit(cl);
	return rc;
}

/* What a file of this type is called in a message. */
static const char *
file_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISLNK(mode))
		return "a symlink";
	if (S_ISFIFO(mode))
		return "a FIFO";
	return "a device node";
}

/*
 * The path is free, or holds a socket file nobody answers on (left by a
 * killed server): that one is removed. Anything else there is refused and
 * left as it is: --console-socket pointed at the configuration by mistake
 * must not erase it.
 */
static int
sock_path_free(const struct sockaddr_un *sa, char *err, size_t errlen)
{
	struct stat st, again;
	int fd, rc = 0;

	if (lstat(sa->sun_path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "console socket %s: %s", sa->sun_path,
			 strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "console socket %s: %s is there, not a "
			 "socket; left untouched (remove it or choose another "
			 "path)", sa->sun_path, file_kind(st.st_mode));
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;	/* bind will say what is wrong */
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0) {
		snprintf(err, errlen, "console socket %s: another server "
			 "listens there", sa->sun_path);
		rc = -1;
	} else if (errno == ECONNREFUSED &&
		   lstat(sa->sun_path, &again) == 0 &&
		   again.st_dev == st.st_dev && again.st_ino == st.st_ino) {
		unlink(sa->sun_path);	/* still that dead socket */
	}
	close(fd);
	return rc;
}

int
dpt_console_listen(struct dpt_console *c, const char *path, char *err,
		   size_t errlen)
{
	struct sockaddr_un sa;
	struct stat st;
	mode_t mask;
	int fd, rc;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "console socket %s: path too long "
			 "(%zu bytes at most)", path, sizeof(sa.sun_path) - 1);
		return -1;
	}
	strcpy(sa.sun_path, path);
	if (sock_path_free(&sa, err, errlen) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "console socket %s: %s", path,
			 strerror(errno));
		return -1;
	}
	/* Mode 0600 from its first instant: bind() makes the file with the
	 * umask's mode, and a chmod after would leave a moment in which
	 * anyone could connect. The console is made before any other
	 * thread of ours creates files. */
	mask = umask(0177);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(mask);
	if (rc < 0 || lstat(path, &st) < 0 || listen(fd, 4) < 0) {
		snprintf(err, errlen, "console socket %s: %s", path,
			 strerror(errno));
		close(fd);
		return -1;
	}
	c->listen_fd = fd;
	c->sock_dev = st.st_dev;
	c->sock_ino = st.st_ino;
	snprintf(c->sock_path, sizeof(c->sock_path), "%s", path);
	return 0;
}

static unsigned int
accept_one(struct dpt_console *c)
{
	struct timeval tv = { .tv_sec = SEND_TIMEOUT_S };
	struct cmdline *cl;
	int fd;

	fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return 0;
	/* Output is written as it is made: bound how long a client that
	 * reads nothing can hold the main lcore. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (c->n_terms >= CONSOLE_MAX_TERMS) {
		static const char busy[] = "Error: too many consoles\n";

		if (write(fd, busy, sizeof(busy) - 1) < 0)
			CONSOLE_LOG(DEBUG, "refused connection: %s\n",
				    strerror(errno));
		close(fd);
		return 1;
	}
	cl = cmdline_new(c->ctx, DPT_CONSOLE_PROMPT, fd, fd);
	if (cl == NULL) {
		close(fd);
		return 1;
	}
	term_add(c, cl, fd, false);
	CONSOLE_LOG(INFO, "console connection opened\n");
	return 1;
}

/* Feeds what fd has to its cmdline; false when the prompt is done. */
static bool
term_read(struct dpt_console *c, struct console_term *t)
{
	char buf[READ_CHUNK];
	ssize_t n = read(t->fd, buf, sizeof(buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n <= 0)
		return false;
	/* -1: Ctrl-D on an empty line, or `quit` */
	return cmdline_in(t->cl, buf, (int)n) >= 0 && !c->quit;
}

unsigned int
dpt_console_poll(struct dpt_console *c)
{
	struct pollfd pfd[CONSOLE_MAX_TERMS + 1];
	unsigned int i, n = 0, work = 0;

	work += console_telemetry_poll(c);
	for (i = 0; i < c->n_terms; i++) {
		pfd[n].fd = c->terms[i].fd;
		pfd[n++].events = POLLIN;
	}
	if (c->listen_fd >= 0) {
		pfd[n].fd = c->listen_fd;
		pfd[n++].events = POLLIN;
	}
	if (n == 0 || poll(pfd, n, 0) <= 0)
		return work;
	/* Backwards: closing a prompt moves the last one, already seen,
	 * into its place. */
	for (i = c->n_terms; i-- > 0;) {
		if (pfd[i].revents == 0)
			continue;
		work++;
		if (term_read(c, &c->terms[i]))
			continue;
		if (c->terms[i].is_stdin)
			c->quit = true;	/* -i: end of input stops the server */
		else
			CONSOLE_LOG(INFO, "console connection closed\n");
		term_close(c, i);
	}
	if (c->listen_fd >= 0 && (pfd[n - 1].revents & POLLIN))
		work += accept_one(c);
	return work;
}

void
console_io_close(struct dpt_console *c)
{
	while (c->n_terms > 0)
		term_close(c, c->n_terms - 1);
	if (c->listen_fd >= 0) {
		struct stat st;

		close(c->listen_fd);
		c->listen_fd = -1;
		/* Only our own socket: whatever replaced it stays. */
		if (lstat(c->sock_path, &st) == 0 && S_ISSOCK(st.st_mode) &&
		    st.st_dev == c->sock_dev && st.st_ino == c->sock_ino)
			unlink(c->sock_path);
	}
}
