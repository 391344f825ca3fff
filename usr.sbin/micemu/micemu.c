/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micemu: a virtual host with virtual X100 cards, under QEMU.
 */
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "micemu.h"

#ifndef MICEMU_DATADIR
#define MICEMU_DATADIR	"/usr/local/share/micemu"
#endif
#ifndef MICEMU_KERNEL
#define MICEMU_KERNEL	"/boot/vmlinuz"
#endif
#define __dead2		__attribute__((__noreturn__))

struct micemu micemu;

static struct timespec	 start_time;
static pid_t		 main_pid;

static void __dead2	usage(void);
static uint64_t	parse_mem(int, const char *, uint64_t);
static int	parse_count(const char *);
static const char	*find_datadir(void);
static void	check(void);
static void	start(void);
static void	cleanup(void);
static void	sig_event(void *, int, short);

int
main(int argc, char *argv[])
{
	const char *wdir = NULL;
	int ch;

	micemu.m_ncards = 1;
	micemu.m_cardmem = MICEMU_DEFMEM;
	micemu.m_hostmem = MICEMU_DEFHOSTMEM;
	while ((ch = getopt(argc, argv, "c:M:m:S:s:vw:")) != -1) {
		switch (ch) {
		case 'c':
			micemu.m_ncards = parse_count(optarg);
			break;
		case 'M':
			micemu.m_hostmem = parse_mem(ch, optarg,
			    MICEMU_MINHOSTMEM);
			break;
		case 'm':
			micemu.m_cardmem = parse_mem(ch, optarg, MICEMU_MINMEM);
			break;
		case 'S':
			micemu.m_share = optarg;
			break;
		case 's':
			micemu.m_script = optarg;
			break;
		case 'v':
			micemu.m_verbose = 1;
			break;
		case 'w':
			wdir = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	micemu.m_interactive = micemu.m_script == NULL;
	check();
	workdir_init(wdir);
	main_pid = getpid();
	if (atexit(cleanup) != 0)
		err(1, "atexit");
	start();
	exit(loop_run());
}

static void __dead2
usage(void)
{
	fprintf(stderr, "usage: micemu [-v] [-c count] [-M hostmem] "
	    "[-m cardmem] [-S dir] [-s script]\n"
	    "              [-w workdir]\n");
	exit(2);
}

/*
 * A memory size (of option -opt): a power of two from min to 2G; M if
 * no unit.
 */
static uint64_t
parse_mem(int opt, const char *s, uint64_t min)
{
	unsigned long long v;
	char *end;
	int shift;

	errno = 0;
	v = isdigit((unsigned char)s[0]) ? strtoull(s, &end, 10) : 0;
	if (v == 0 || errno != 0)
		errx(2, "-%c: \"%s\": not a size", opt, s);
	switch (*end) {
	case 'K': case 'k':
		shift = 10;
		break;
	case '\0': case 'M': case 'm':
		shift = 20;
		break;
	case 'G': case 'g':
		shift = 30;
		break;
	default:
		errx(2, "-%c: \"%s\": not a size", opt, s);
	}
	if (*end != '\0' && end[1] != '\0')
		errx(2, "-%c: \"%s\": not a size", opt, s);
	if ((v & (v - 1)) != 0)
		errx(2, "-%c: \"%s\": not a power of two", opt, s);
	if (v > (MICEMU_MAXMEM >> shift) || (v << shift) < min)
		errx(2, "-%c: \"%s\": not from %lluM to 2G", opt, s,
		    (unsigned long long)(min >> 20));
	return ((uint64_t)v << shift);
}

static int
parse_count(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 ||
	    v > MICEMU_MAXCARDS)
		errx(2, "-c: \"%s\": not a number from 1 to %d", s,
		    MICEMU_MAXCARDS);
	return ((int)v);
}

/* Check what the guests need before anything is made or started. */
static void
check(void)
{
	static char share[PATH_MAX], script[PATH_MAX], vmlinux[PATH_MAX];
	char img[PATH_MAX];
	struct stat st;
	const char *s;

	if (micemu.m_share != NULL) {
		if (stat(micemu.m_share, &st) == -1)
			err(2, "-S: \"%s\"", micemu.m_share);
		if (!S_ISDIR(st.st_mode))
			errx(2, "-S: \"%s\": not a directory", micemu.m_share);
		if (realpath(micemu.m_share, share) == NULL)
			err(2, "-S: \"%s\"", micemu.m_share);
		micemu.m_share = share;
	}
	if (micemu.m_script != NULL) {
		if (access(micemu.m_script, R_OK) == -1 ||
		    realpath(micemu.m_script, script) == NULL)
			err(2, "-s: \"%s\"", micemu.m_script);
		micemu.m_script = script;
	}
	s = getenv("MICEMU_KERNEL");
	micemu.m_bzimage = s != NULL ? s : MICEMU_KERNEL;
	if (access(micemu.m_bzimage, R_OK) == -1)
		err(1, "%s", micemu.m_bzimage);
	s = getenv("MICEMU_QEMU");
	micemu.m_qemu = s != NULL ? s : "qemu-system-x86_64";
	micemu.m_datadir = find_datadir();
	if (snprintf(img, sizeof(img), "%s/host.img", micemu.m_datadir) >=
	    (int)sizeof(img) || snprintf(vmlinux, sizeof(vmlinux),
	    "%s/vmlinux", micemu.m_datadir) >= (int)sizeof(vmlinux))
		errx(1, "%s: path too long", micemu.m_datadir);
	if (access(img, R_OK) == -1)
		err(1, "%s", img);
	if (getenv("MICEMU_KERNEL") == NULL && getenv("MICEMU_NOPVH") ==
	    NULL && access(vmlinux, R_OK) == 0)
		micemu.m_vmlinux = vmlinux;
	clock_gettime(CLOCK_MONOTONIC, &start_time);
}

/*
 * The images: $MICEMU_DATADIR, else the installed ones, else those of
 * the build tree micemu was run from.
 */
static const char *
find_datadir(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n;
	const char *s;

	if ((s = getenv("MICEMU_DATADIR")) != NULL)
		return (s);
	if (access(MICEMU_DATADIR "/host.img", R_OK) == 0)
		return (MICEMU_DATADIR);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return (MICEMU_DATADIR);
	exe[n] = '\0';
	(void)snprintf(dir, sizeof(dir), "%s/../../share/micemu",
	    dirname(exe));
	if (access(dir, R_OK) == 0)
		return (dir);
	return (MICEMU_DATADIR);
}

/* Memory files, the cards' servers, then the host guest. */
static void
start(void)
{
	char name[32];
	sigset_t set;
	int fd, k;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1 ||
	    (fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		err(1, "signalfd");
	(void)signal(SIGPIPE, SIG_IGN);
	if (loop_add(fd, sig_event, NULL) == -1)
		exit(1);
	fd = open(path_mem("host.mem"), O_RDWR | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0600);
	if (fd == -1 || ftruncate(fd, (off_t)micemu.m_hostmem) == -1)
		err(1, "%s", path_mem("host.mem"));
	(void)close(fd);
	workdir_link("host.mem");
	for (k = 0; k < micemu.m_ncards; k++) {
		if (card_init(k) == -1)
			exit(1);
		(void)snprintf(name, sizeof(name), "mic%d.mem", k);
		workdir_link(name);
		(void)snprintf(name, sizeof(name), "mic%d.regs", k);
		workdir_link(name);
		(void)snprintf(name, sizeof(name), "mic%d.host", k);
		workdir_link(name);
	}
	if (host_start() == -1)
		exit(1);
}

/* Guests first (they hold the files), then the files. */
static void
cleanup(void)
{
	int k;

	if (getpid() != main_pid)
		return;
	for (k = 0; k < micemu.m_ncards; k++)
		card_fini(k);
	host_stop();
	workdir_clean(1);
}

void
pidfile_write(const char *path, pid_t pid)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL) {
		warn("%s", path);
		return;
	}
	fprintf(f, "%d\n", (int)pid);
	if (fclose(f) == EOF)
		warn("%s", path);
}

/*
 * A listening unix socket at path, non-blocking, or -1.  A failed
 * socket(2) is reported as "name: socket" ("socket" if name is NULL).
 */
int
listen_unix(const char *path, const char *name)
{
	struct sockaddr_un sun;
	int s;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path) >=
	    (int)sizeof(sun.sun_path)) {
		warnx("%s: socket path too long", path);
		return (-1);
	}
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s == -1) {
		if (name != NULL)
			warn("%s: socket", name);
		else
			warn("socket");
		return (-1);
	}
	(void)unlink(path);
	if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(s, 4) == -1) {
		warn("%s", path);
		(void)close(s);
		return (-1);
	}
	return (s);
}

static void
sig_event(void *arg, int fd, short revents)
{
	struct signalfd_siginfo si;
	pid_t pid;
	int status;

	(void)arg;
	(void)revents;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			continue;
		warnx("%s: stopping", si.ssi_signo == SIGINT ? "SIGINT" :
		    si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGHUP");
		loop_quit(1);
		return;
	}
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == micemu.m_hostpid)
			host_exited(status);
		else
			(void)card_reap(pid, status);
	}
}

/* With -v: what happens, with the time since micemu started. */
void
vlog(const char *fmt, ...)
{
	struct timespec now;
	va_list ap;
	double t;

	if (!micemu.m_verbose)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	t = (double)(now.tv_sec - start_time.tv_sec) +
	    (double)(now.tv_nsec - start_time.tv_nsec) / 1e9;
	fprintf(stderr, "micemu: %.3f: ", t);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
