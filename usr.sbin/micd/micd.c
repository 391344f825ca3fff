/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micd: serve the virtio backends of Intel MIC cards and look after their
 * lifecycle.  main, and the parent process: it owns the configuration and
 * the pid file, and handles the signals; proc.c starts one process per
 * card (card.c), again if it dies while its card is still there.
 */

#include <sys/file.h>
#include <sys/signalfd.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mic.h"
#include "micd.h"

struct parent {
	struct config	*p_conf;
	const char	*p_confname;	/* as given, for messages */
	char		*p_confpath;	/* absolute */
	int		 p_confopt;	/* the default file: may be missing */
	char		*p_pidpath;	/* absolute */
	int		 p_pidfd;
	int		 p_sigfd;
	struct sandbox	 p_sandbox;	/* of the card processes */
};

static _Noreturn void	usage(void);
static char		*micd_abspath(const char *);
static int		 micd_load(struct config **);
static int		 micd_user(const struct config *, struct sandbox *);
static _Noreturn void	 micd_start(int, int);
static void		 micd_pidfile_lock(void);
static void		 micd_pidfile_write(void);
static _Noreturn void	 micd_loop(void);
static void		 micd_signal(void);
static void		 micd_reload(void);
static _Noreturn void	 micd_stop(int);

extern char *__progname;

static struct parent parent;

static _Noreturn void
usage(void)
{
	fprintf(stderr, "usage: %s [-dnvx] [-f file] [-p pidfile]\n",
	    __progname);
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct config *cf;
	const char *pidfile;
	int ch, debug, noaction, verbose, rv;

	log_init(1, 0);
	parent.p_confname = MICD_CONF;
	parent.p_confopt = 1;
	pidfile = MICD_PIDFILE;
	debug = noaction = verbose = 0;
	opterr = 0;
	while ((ch = getopt(argc, argv, ":df:np:vx")) != -1) {
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'f':
			parent.p_confname = optarg;
			parent.p_confopt = 0;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'x':
			parent.p_sandbox.sb_fault = 1;
			break;
		case ':':
			log_warnx("option \"-%c\" needs an argument", optopt);
			usage();
		default:
			log_warnx("unknown option \"-%c\"", optopt);
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_init(1, verbose);
	parent.p_confpath = micd_abspath(parent.p_confname);
	if ((rv = micd_load(&cf)) != 0)
		return (rv);
	if (noaction) {
		config_print(stdout, cf);
		if (fflush(stdout) == EOF || ferror(stdout))
			fatal("stdout");
		return (0);
	}
	parent.p_conf = cf;
	parent.p_pidpath = micd_abspath(pidfile);
	if (micd_user(cf, &parent.p_sandbox) == -1)
		return (1);
	micd_start(debug, verbose);
}

/* The user of the card processes, from cf, into sb; -1 if logged bad. */
static int
micd_user(const struct config *cf, struct sandbox *sb)
{
	char why[256];

	if (sandbox_user(cf->cf_user, sb, why, sizeof(why)) == -1) {
		log_warnx("%s", why);
		return (-1);
	}
	return (0);
}

/* path, made absolute: the daemon works from /. */
static char *
micd_abspath(const char *path)
{
	char cwd[4096], *p;
	size_t len;

	cwd[0] = '\0';
	if (*path != '/' && getcwd(cwd, sizeof(cwd)) == NULL)
		fatal("getcwd");
	len = strlen(cwd) + 1 + strlen(path) + 1;
	if ((p = malloc(len)) == NULL)
		fatal("%s", path);
	(void)snprintf(p, len, "%s%s%s", cwd, *cwd != '\0' ? "/" : "", path);
	return (p);
}

/*
 * Load the configuration file: 0, or the exit status of a failure, which
 * is logged.  The default file may be missing: then every setting has its
 * default.
 */
static int
micd_load(struct config **cfp)
{
	switch (config_load(parent.p_confpath, parent.p_confname, cfp)) {
	case 0:
		return (0);
	case CONFIG_ESYNTAX:
		return (2);
	}
	if (errno == ENOENT && parent.p_confopt) {
		log_debug("%s: no such file, using the defaults",
		    parent.p_confname);
		*cfp = config_parse(parent.p_confname, "", 0);
		return (*cfp == NULL ? 2 : 0);
	}
	log_warn("%s", parent.p_confname);
	return (1);
}

/* Become the daemon, with signals taken through a signalfd. */
static _Noreturn void
micd_start(int debug, int verbose)
{
	sigset_t set;
	char *rundir;

	micd_pidfile_lock();
	rundir = micd_abspath(viocon_rundir());
	sandbox_root(rundir, &parent.p_sandbox);
	free(rundir);
	(void)sigemptyset(&set);
	(void)sigaddset(&set, SIGTERM);
	(void)sigaddset(&set, SIGINT);
	(void)sigaddset(&set, SIGHUP);
	(void)sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		fatal("sigprocmask");
	if (!debug && daemon(0, 0) == -1)
		fatal("daemon");
	log_init(debug, verbose);
	micd_pidfile_write();
	if ((parent.p_sigfd = signalfd(-1, &set, SFD_CLOEXEC)) == -1)
		fatal("signalfd");
	log_info("started");
	(void)hosts_update(parent.p_conf);
	proc_start(parent.p_conf, &parent.p_sandbox, parent.p_pidfd,
	    parent.p_sigfd);
	micd_loop();
}

/* Lock the pid file, so that only one micd runs. */
static void
micd_pidfile_lock(void)
{
	int fd;

	fd = open(parent.p_pidpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1)
		fatal("%s", parent.p_pidpath);
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			fatalx("%s: locked by another micd",
			    parent.p_pidpath);
		fatal("%s", parent.p_pidpath);
	}
	parent.p_pidfd = fd;
}

static void
micd_pidfile_write(void)
{
	char buf[32];
	int n;

	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(parent.p_pidfd, 0) == -1 ||
	    pwrite(parent.p_pidfd, buf, (size_t)n, 0) != n)
		fatal("%s", parent.p_pidpath);
}

/* Signals, the card processes' requests, their respawns. */
static _Noreturn void
micd_loop(void)
{
	struct pollfd pfd[1 + MICD_UNITS];
	nfds_t nreq;
	int n;

	for (;;) {
		pfd[0].fd = parent.p_sigfd;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		nreq = proc_pollfds(pfd + 1, MICD_UNITS);
		n = poll(pfd, 1 + nreq, proc_timeout());
		if (n == -1 && errno != EINTR)
			fatal("poll");
		if (n > 0) {
			proc_serve(pfd + 1, nreq);
			if (pfd[0].revents != 0)
				micd_signal();
		}
		proc_respawn();
	}
}

static void
micd_signal(void)
{
	struct signalfd_siginfo si;

	if (read(parent.p_sigfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return;
	switch (si.ssi_signo) {
	case SIGHUP:
		micd_reload();
		break;
	case SIGCHLD:
		proc_reap();
		break;
	default:
		micd_stop((int)si.ssi_signo);
	}
}

/*
 * SIGHUP: read the configuration again; if it is good, pass each card
 * process its new settings and look for new cards, else keep the old one.
 */
static void
micd_reload(void)
{
	struct sandbox sb;
	struct config *cf;

	log_info("reloading %s", parent.p_confname);
	sb = parent.p_sandbox;
	cf = NULL;
	if (micd_load(&cf) != 0 || micd_user(cf, &sb) == -1) {
		log_warnx("%s: not reloaded, the configuration in use stays",
		    parent.p_confname);
		config_free(cf);
		return;
	}
	config_free(parent.p_conf);
	parent.p_conf = cf;
	parent.p_sandbox = sb;
	(void)hosts_update(cf);
	proc_config(cf, &sb);
}

/*
 * SIGTERM, SIGINT: end the card processes (which leave the cards as they
 * are), remove the pid file and exit.
 */
static _Noreturn void
micd_stop(int sig)
{
	log_info("exiting on signal %d", sig);
	proc_stop();
	if (unlink(parent.p_pidpath) == -1)
		log_warn("%s", parent.p_pidpath);
	exit(0);
}
