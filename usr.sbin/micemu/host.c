/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host guest: its end, and with -s the script's output (the host's
 * ttyS1, a socket micemu copies to its standard output) and status.
 */
#define _GNU_SOURCE		/* struct ucred, accept4() */

#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "micemu.h"

#define HOST_STOP_MS	5000

static int	out_lsock = -1, out_sock = -1;

static void	out_accept(void *, int, short);
static void	out_input(void *, int, short);

/* Start the host guest (and, with -s, listen for its script output). */
int
host_start(void)
{
	if (micemu.m_script != NULL) {
		out_lsock = listen_unix(path_work("out.sock"), NULL);
		if (out_lsock == -1 || loop_add(out_lsock, out_accept,
		    NULL) == -1)
			return (-1);
	}
	micemu.m_hostpid = qemu_host();
	if (micemu.m_hostpid == -1) {
		micemu.m_hostpid = 0;
		return (-1);
	}
	pidfile_write(path_work("host.pid"), micemu.m_hostpid);
	vlog("host guest started, pid %d", (int)micemu.m_hostpid);
	return (0);
}

/*
 * The host guest is gone: with -s, QEMU's status carries the script's
 * (isa-debug-exit: 2 * (status + 1) + 1); without, 0 is a power off.
 */
void
host_exited(int status)
{
	int code;

	micemu.m_hostpid = 0;
	(void)unlink(path_work("host.pid"));
	if (out_sock != -1)
		out_input(NULL, out_sock, POLLIN);
	if (!WIFEXITED(status)) {
		warnx("host guest killed by signal %d", WTERMSIG(status));
		loop_quit(1);
		return;
	}
	code = WEXITSTATUS(status);
	vlog("host guest exited, QEMU status %d", code);
	if (micemu.m_script == NULL) {
		if (code != 0)
			warnx("host guest exited with status %d", code);
		loop_quit(code == 0 ? 0 : 1);
	} else if (code >= 3 && (code & 1) != 0) {
		loop_quit((code - 1) / 2 - 1);
	} else {
		warnx("host guest exited without the script's status "
		    "(QEMU status %d)", code);
		loop_quit(1);
	}
}

/* Ask the host guest's QEMU to go (it restores the terminal), then kill. */
void
host_stop(void)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	pid_t pid = micemu.m_hostpid;
	int i, status;

	if (pid == 0 || pid == -1)
		return;
	(void)kill(pid, SIGTERM);
	for (i = 0; i < HOST_STOP_MS / 10; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		(void)nanosleep(&ts, NULL);
	}
	if (i == HOST_STOP_MS / 10)
		qemu_kill(pid);
	micemu.m_hostpid = 0;
	(void)unlink(path_work("host.pid"));
}

/* The script's output: ttyS1 of the host guest, to our stdout. */
static void
out_accept(void *arg, int fd, short revents)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int s;

	(void)arg;
	(void)revents;
	s = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (s == -1)
		return;
	if (out_sock != -1 ||
	    getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1 ||
	    cred.pid != micemu.m_hostpid || loop_add(s, out_input, NULL) ==
	    -1) {
		(void)close(s);
		return;
	}
	out_sock = s;
}

static void
out_input(void *arg, int fd, short revents)
{
	char buf[4096];
	ssize_t n, w, off;

	(void)arg;
	(void)revents;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += w) {
			w = write(STDOUT_FILENO, buf + off, (size_t)(n - off));
			if (w <= 0)
				break;
		}
	}
	if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		loop_del(fd);
		(void)close(fd);
		out_sock = -1;
	}
}
