/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micconsole: attach the terminal to the virtio console of an Intel MIC
 * card, which micd(8) serves on a pty whose slave it links at
 * $MICD_RUNDIR/micN.console.  On a terminal: raw mode, and "~." at the
 * start of a line detaches.  Otherwise bytes pass through both ways; at
 * the end of the input micconsole prints what the card still says until it
 * has been quiet for a while.  The console may go away (micd restarts) and
 * come back: micconsole waits for it.
 */

#include <sys/file.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "mic.h"

#define CON_RUNDIR	"/run/micd"	/* as micd(8): MICD_RUNDIR */
#define CON_RUNDIR_ENV	"MICD_RUNDIR"
#define CON_WAIT_MS	2000	/* -w: quiet after the input ends */
#define CON_SECONDS_MAX	86400	/* -t and -w */
#define CON_RETRY_MS	200	/* looking for a console that went away */
#define CON_BUF		4096

/* The session. */
struct con {
	const char	*c_name;	/* micN */
	char		 c_path[PATH_MAX];	/* the console's link */
	int		 c_fd;		/* the pty slave; -1: gone */
	int		 c_tty;		/* the input is a terminal */
	int		 c_eof;		/* the input ended */
	int		 c_linestart;	/* the last byte typed ended a line */
	int		 c_tilde;	/* a "~" typed there, held */
	long long	 c_wait;	/* -w, ms */
	long long	 c_deadline;	/* -t, on the monotonic clock; 0: none */
	long long	 c_quiet;	/* since then nothing happened */
	size_t		 c_inoff;	/* c_in[c_inoff..c_inlen]: for the card */
	size_t		 c_inlen;
	char		 c_in[CON_BUF];
};

static _Noreturn void	usage(void);
static long long	con_seconds(const char *, int);
static void		con_path(struct con *);
static int		con_open(struct con *, int);
static void		con_raw(void);
static void		con_restore(void);
static void		con_signal(int);
static void		con_note(const char *, ...)
			    __attribute__((__format__(__printf__, 1, 2)));
static int		con_loop(struct con *);
static int		con_done(const struct con *, long long);
static int		con_timeout(const struct con *, long long);
static void		con_from_card(struct con *);
static int		con_from_user(struct con *);
static int		con_escape(struct con *, const char *, size_t);
static void		con_to_card(struct con *);
static void		con_gone(struct con *);
static long long	con_now(void);

extern char *__progname;

static struct termios		con_saved;	/* the terminal as it was */
static int			con_saved_valid;
static volatile sig_atomic_t	con_sig;

static _Noreturn void
usage(void)
{
	fprintf(stderr, "usage: %s [-t timeout] [-w wait] mic\n", __progname);
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct con c;
	int ch;

	memset(&c, 0, sizeof(c));
	c.c_wait = CON_WAIT_MS;
	opterr = 0;
	while ((ch = getopt(argc, argv, ":t:w:")) != -1) {
		switch (ch) {
		case 't':
			c.c_deadline = con_seconds(optarg, ch);
			break;
		case 'w':
			c.c_wait = con_seconds(optarg, ch);
			break;
		case ':':
			warnx("option \"-%c\" needs an argument", optopt);
			usage();
		default:
			warnx("unknown option \"-%c\"", optopt);
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	c.c_name = argv[optind];
	if (mic_card_valid(c.c_name) == -1) {
		warnx("invalid card name \"%s\"", c.c_name);
		usage();
	}
	if (c.c_deadline != 0)
		c.c_deadline += con_now();
	con_path(&c);
	if (con_open(&c, 1) == -1)
		return (1);
	c.c_tty = isatty(STDIN_FILENO);
	c.c_linestart = 1;
	if (c.c_tty) {
		con_raw();
		con_note("%s: attached; \"~.\" at the start of a line "
		    "detaches", c.c_name);
	}
	return (con_loop(&c));
}

/* Seconds, as a decimal number up to CON_SECONDS_MAX: in ms. */
static long long
con_seconds(const char *arg, int opt)
{
	char *end;
	double sec;

	errno = 0;
	sec = strtod(arg, &end);
	if (*arg < '0' || *arg > '9' || *end != '\0' || errno != 0 ||
	    sec > CON_SECONDS_MAX || (opt == 't' && sec <= 0)) {
		warnx("invalid %s \"%s\"", opt == 't' ? "timeout" : "wait",
		    arg);
		usage();
	}
	return ((long long)(sec * 1000));
}

static void
con_path(struct con *c)
{
	const char *dir;
	int n;

	if ((dir = getenv(CON_RUNDIR_ENV)) == NULL || *dir == '\0')
		dir = CON_RUNDIR;
	n = snprintf(c->c_path, sizeof(c->c_path), "%s/%s.console", dir,
	    c->c_name);
	if (n < 0 || (size_t)n >= sizeof(c->c_path))
		errx(1, "%s: %s: path too long", c->c_name, dir);
}

/*
 * Open the console: a pty slave that micd made (root's, for root only),
 * which no other micconsole holds.  -1 if it cannot, with a message if
 * report is set.
 */
static int
con_open(struct con *c, int report)
{
	struct stat sb;
	int fd;

	fd = open(c->c_path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1 && !report)
		return (-1);
	if (fd == -1) {
		if (errno != ENOENT)
			warn("%s: %s", c->c_name, c->c_path);
		else if (mic_card_exists(c->c_name) == -1 && errno == ENOENT)
			warnx("%s: no such card", c->c_name);
		else
			warnx("%s: %s: no console; is micd running?",
			    c->c_name, c->c_path);
		return (-1);
	}
	if (!isatty(fd) || fstat(fd, &sb) == -1 || sb.st_uid != geteuid() ||
	    (sb.st_mode & 077) != 0) {
		(void)close(fd);
		if (!report)
			return (-1);
		warnx("%s: %s: not a console of micd", c->c_name, c->c_path);
		return (-1);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (report && errno == EWOULDBLOCK)
			warnx("%s: console in use by another micconsole",
			    c->c_name);
		else if (report)
			warn("%s: %s", c->c_name, c->c_path);
		(void)close(fd);
		return (-1);
	}
	c->c_fd = fd;
	return (0);
}

/* The terminal in raw mode, restored at exit and on a signal. */
static void
con_raw(void)
{
	struct termios t;
	struct sigaction sa;

	if (tcgetattr(STDIN_FILENO, &con_saved) == -1)
		err(1, "stdin");
	t = con_saved;
	cfmakeraw(&t);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = con_signal;
	(void)sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGQUIT, &sa, NULL);
	con_saved_valid = 1;
	if (atexit(con_restore) != 0 ||
	    tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) == -1)
		err(1, "stdin");
}

static void
con_restore(void)
{
	if (con_saved_valid)
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &con_saved);
	con_saved_valid = 0;
}

static void
con_signal(int sig)
{
	con_sig = sig;
}

/* A message in the session: a whole line, also on a raw terminal. */
static void
con_note(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", __progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(con_saved_valid ? "\r\n" : "\n", stderr);
}

/*
 * Until detached, the end of the input and a quiet console, the timeout
 * or a signal: the exit status.
 */
static int
con_loop(struct con *c)
{
	struct pollfd pfd[2];
	int n, rv;

	c->c_quiet = con_now();
	while ((rv = con_done(c, con_now())) == -1) {
		pfd[0].fd = c->c_fd;
		pfd[0].events = POLLIN | (c->c_inlen > 0 ? POLLOUT : 0);
		pfd[1].fd = c->c_eof || c->c_inlen > 0 ||
		    (c->c_fd == -1 && !c->c_tty) ? -1 : STDIN_FILENO;
		pfd[1].events = POLLIN;
		n = poll(pfd, 2, con_timeout(c, con_now()));
		if (con_sig != 0) {
			con_restore();
			(void)signal(con_sig, SIG_DFL);
			(void)raise(con_sig);
			return (1);
		}
		if (n == -1 && errno != EINTR)
			err(1, "poll");
		if (c->c_fd == -1 && con_open(c, 0) == 0)
			con_note("%s: console back", c->c_name);
		if (n <= 0)
			continue;
		if (pfd[0].revents != 0)
			con_from_card(c);
		if (pfd[1].revents != 0 && (rv = con_from_user(c)) != -1)
			return (rv);
		if (c->c_fd != -1 && c->c_inlen > 0)
			con_to_card(c);
		else if (c->c_fd == -1 && c->c_tty)
			c->c_inoff = c->c_inlen = 0;	/* typed to nobody */
	}
	return (rv);
}

/*
 * -1 to go on; else the exit status: 0 once the input ended and the
 * console has been quiet long enough, 1 at the timeout.
 */
static int
con_done(const struct con *c, long long now)
{
	if (c->c_deadline != 0 && now >= c->c_deadline) {
		warnx("%s: timeout", c->c_name);
		return (1);
	}
	if (c->c_eof && c->c_inlen == 0 && now >= c->c_quiet + c->c_wait)
		return (0);
	return (-1);
}

/* How long poll(2) may sleep, in ms; -1: until something happens. */
static int
con_timeout(const struct con *c, long long now)
{
	long long t, end;

	t = -1;
	if (c->c_deadline != 0)
		t = c->c_deadline - now;
	if (c->c_eof && c->c_inlen == 0) {
		end = c->c_quiet + c->c_wait;
		if (t == -1 || end - now < t)
			t = end - now;
	}
	if (c->c_fd == -1 && (t == -1 || t > CON_RETRY_MS))
		t = CON_RETRY_MS;
	return ((int)t);
}

/* The console is readable (or gone): to the standard output. */
static void
con_from_card(struct con *c)
{
	char buf[CON_BUF];
	ssize_t n, w;
	size_t off;

	n = read(c->c_fd, buf, sizeof(buf));
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		con_gone(c);
		return;
	}
	c->c_quiet = con_now();
	for (off = 0; off < (size_t)n; off += (size_t)w) {
		w = write(STDOUT_FILENO, buf + off, (size_t)n - off);
		if (w == -1 && errno == EINTR)
			w = 0;
		else if (w == -1)
			err(1, "stdout");
	}
}

/* The input is readable: queue it for the card.  -1: go on. */
static int
con_from_user(struct con *c)
{
	char buf[CON_BUF / 2];	/* an escape may add a byte for each */
	ssize_t n;

	n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return (-1);
	if (n <= 0) {
		if (n == -1 && errno != EIO)
			err(1, "stdin");
		if (c->c_tty)
			return (0);	/* the terminal hung up */
		c->c_eof = 1;
		c->c_quiet = con_now();
		return (-1);
	}
	c->c_inoff = 0;
	c->c_inlen = 0;
	if (!c->c_tty) {
		memcpy(c->c_in, buf, (size_t)n);
		c->c_inlen = (size_t)n;
		return (-1);
	}
	return (con_escape(c, buf, (size_t)n));
}

/*
 * Typed bytes: "~." at the start of a line detaches (0), "~~" there sends
 * one "~"; the rest goes to the card as typed.  -1: go on.
 */
static int
con_escape(struct con *c, const char *p, size_t len)
{
	size_t i;
	char b;

	for (i = 0; i < len; i++) {
		b = p[i];
		if (c->c_tilde) {
			c->c_tilde = 0;
			if (b == '.') {
				con_restore();
				con_note("%s: detached", c->c_name);
				return (0);
			}
			if (b != '~')
				c->c_in[c->c_inlen++] = '~';
		} else if (c->c_linestart && b == '~') {
			c->c_tilde = 1;
			continue;
		}
		c->c_in[c->c_inlen++] = b;
		c->c_linestart = b == '\r' || b == '\n';
	}
	return (-1);
}

/* Write what is queued for the card, as far as the pty takes it. */
static void
con_to_card(struct con *c)
{
	ssize_t w;

	w = write(c->c_fd, c->c_in + c->c_inoff, c->c_inlen - c->c_inoff);
	if (w == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (w == -1) {
		con_gone(c);
		return;
	}
	c->c_inoff += (size_t)w;
	if (c->c_inoff == c->c_inlen)
		c->c_inoff = c->c_inlen = 0;
}

/* micd closed the pty (it stopped, or restarts): wait for the next one. */
static void
con_gone(struct con *c)
{
	(void)close(c->c_fd);
	c->c_fd = -1;
	c->c_inoff = c->c_inlen = 0;
	con_note("%s: console gone, waiting for it to come back",
	    c->c_name);
}

/* Milliseconds on the monotonic clock. */
static long long
con_now(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}
