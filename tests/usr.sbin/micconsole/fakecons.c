/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fakecons: play micd's console for micconsole's tests.  Make a pty as
 * micd does (the slave raw, mode 0600, held open), link the slave at
 * dir/name.console, write the greeting to the master, then append all
 * that is written to the slave to the file received and, with -e, echo
 * it back.  Exit 0 on SIGTERM, removing the link.
 *
 * usage: fakecons [-e] [-g greeting] dir name received
 */

#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static void	fake_pty(int *, int *, char *, size_t);
static void	fake_link(const char *, const char *, const char *, char *,
		    size_t);
static void	fake_write(int, const char *, size_t);
static void	fake_term(int);

static volatile sig_atomic_t fake_done;

int
main(int argc, char *argv[])
{
	char link[PATH_MAX], pts[PATH_MAX], buf[4096];
	const char *greeting;
	struct pollfd pfd;
	int ch, echo, m, s, out;
	ssize_t n;

	echo = 0;
	greeting = NULL;
	while ((ch = getopt(argc, argv, "eg:")) != -1) {
		switch (ch) {
		case 'e':
			echo = 1;
			break;
		case 'g':
			greeting = optarg;
			break;
		default:
			return (2);
		}
	}
	if (argc - optind != 3)
		errx(2, "usage: fakecons [-e] [-g greeting] dir name received");
	out = open(argv[optind + 2], O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (out == -1)
		err(1, "%s", argv[optind + 2]);
	(void)signal(SIGTERM, fake_term);
	fake_pty(&m, &s, pts, sizeof(pts));
	if (greeting != NULL)
		fake_write(m, greeting, strlen(greeting));
	fake_link(argv[optind], argv[optind + 1], pts, link, sizeof(link));
	pfd.fd = m;
	pfd.events = POLLIN;
	while (!fake_done) {
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			err(1, "poll");
		if (fake_done || (n = read(m, buf, sizeof(buf))) <= 0)
			continue;
		fake_write(out, buf, (size_t)n);
		if (echo)
			fake_write(m, buf, (size_t)n);
	}
	(void)unlink(link);
	(void)close(s);
	return (0);
}

static void
fake_pty(int *mp, int *sp, char *pts, size_t len)
{
	struct termios t;

	if ((*mp = posix_openpt(O_RDWR | O_NOCTTY)) == -1 ||
	    grantpt(*mp) == -1 || unlockpt(*mp) == -1 ||
	    ptsname_r(*mp, pts, len) != 0)
		err(1, "pty");
	if ((*sp = open(pts, O_RDWR | O_NOCTTY)) == -1 ||
	    fchmod(*sp, 0600) == -1 || tcgetattr(*sp, &t) == -1)
		err(1, "%s", pts);
	cfmakeraw(&t);
	if (tcsetattr(*sp, TCSANOW, &t) == -1)
		err(1, "%s", pts);
}

/* dir/name.console: a link to pts, made atomically. */
static void
fake_link(const char *dir, const char *name, const char *pts, char *link,
    size_t len)
{
	char tmp[PATH_MAX + 8];

	(void)snprintf(link, len, "%s/%s.console", dir, name);
	(void)snprintf(tmp, sizeof(tmp), "%s.new", link);
	(void)unlink(tmp);
	if (symlink(pts, tmp) == -1 || rename(tmp, link) == -1)
		err(1, "%s", link);
}

static void
fake_write(int fd, const char *p, size_t len)
{
	ssize_t w;

	while (len > 0) {
		if ((w = write(fd, p, len)) == -1 && errno == EINTR)
			continue;
		if (w == -1)
			err(1, "write");
		p += w;
		len -= (size_t)w;
	}
}

static void
fake_term(int sig)
{
	(void)sig;
	fake_done = 1;
}
