/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micd: serve the virtio backends of Intel MIC cards and look after their
 * lifecycle.  main, and the parent process: it owns the configuration and
 * the pid file, handles the signals, and starts one process per card
 * (card.c), again if it dies while its card is still there.
 */

#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mic.h"
#include "micd.h"

#define MICD_RESPAWN_MS		1000	/* a card process starts again */
#define MICD_RESPAWN_MAX_MS	60000	/* after at most this long */
#define MICD_STOP_MS		5000	/* card processes have this to exit */

/* The process of a card. */
struct child {
	pid_t		 ch_pid;	/* 0: none */
	int		 ch_sock;	/* our end of its channel */
	long long	 ch_start;	/* when it started (ms) */
	long long	 ch_respawn;	/* when to start it again; 0: not */
	int		 ch_delay;	/* the last respawn delay (ms) */
};

struct parent {
	struct config	*p_conf;
	const char	*p_confname;	/* as given, for messages */
	char		*p_confpath;	/* absolute */
	int		 p_confopt;	/* the default file: may be missing */
	char		*p_pidpath;	/* absolute */
	int		 p_pidfd;
	int		 p_sigfd;
	int		 p_stopping;
	struct child	 p_children[MICD_UNITS];
};

static _Noreturn void	usage(void);
static char		*parent_abspath(const char *);
static int		 parent_load(struct config **);
static _Noreturn void	 parent_start(int, int);
static void		 parent_pidfile_lock(void);
static void		 parent_pidfile_write(void);
static _Noreturn void	 parent_loop(void);
static void		 parent_signal(void);
static void		 parent_reload(void);
static void		 parent_scan(void);
static void		 parent_spawn(int);
static void		 parent_forked(void);
static void		 parent_send_config(int);
static void		 parent_reap(void);
static void		 parent_died(int, int);
static void		 parent_later(int);
static void		 parent_respawn(void);
static int		 parent_timeout(void);
static int		 parent_alive(void);
static void		 parent_wait(long long);
static _Noreturn void	 parent_stop(int);
static long long	 parent_now(void);

extern char *__progname;

static struct parent parent;

static _Noreturn void
usage(void)
{
	fprintf(stderr, "usage: %s [-dnv] [-f file] [-p pidfile]\n",
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
	while ((ch = getopt(argc, argv, ":df:np:v")) != -1) {
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
	parent.p_confpath = parent_abspath(parent.p_confname);
	if ((rv = parent_load(&cf)) != 0)
		return (rv);
	if (noaction) {
		config_print(stdout, cf);
		if (fflush(stdout) == EOF || ferror(stdout))
			fatal("stdout");
		return (0);
	}
	parent.p_conf = cf;
	parent.p_pidpath = parent_abspath(pidfile);
	parent_start(debug, verbose);
}

/* path, made absolute: the daemon works from /. */
static char *
parent_abspath(const char *path)
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
parent_load(struct config **cfp)
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
parent_start(int debug, int verbose)
{
	sigset_t set;

	parent_pidfile_lock();
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
	parent_pidfile_write();
	if ((parent.p_sigfd = signalfd(-1, &set, SFD_CLOEXEC)) == -1)
		fatal("signalfd");
	log_info("started");
	parent_scan();
	parent_loop();
}

/* Lock the pid file, so that only one micd runs. */
static void
parent_pidfile_lock(void)
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
parent_pidfile_write(void)
{
	char buf[32];
	int n;

	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(parent.p_pidfd, 0) == -1 ||
	    pwrite(parent.p_pidfd, buf, (size_t)n, 0) != n)
		fatal("%s", parent.p_pidpath);
}

static _Noreturn void
parent_loop(void)
{
	struct pollfd pfd;
	int n;

	pfd.fd = parent.p_sigfd;
	pfd.events = POLLIN;
	for (;;) {
		n = poll(&pfd, 1, parent_timeout());
		if (n == -1 && errno != EINTR)
			fatal("poll");
		if (n > 0)
			parent_signal();
		parent_respawn();
	}
}

static void
parent_signal(void)
{
	struct signalfd_siginfo si;

	if (read(parent.p_sigfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return;
	switch (si.ssi_signo) {
	case SIGHUP:
		parent_reload();
		break;
	case SIGCHLD:
		parent_reap();
		break;
	default:
		parent_stop((int)si.ssi_signo);
	}
}

/*
 * SIGHUP: read the configuration again; if it is good, pass each card
 * process its new settings and look for new cards, else keep the old one.
 */
static void
parent_reload(void)
{
	struct config *cf;
	int unit;

	log_info("reloading %s", parent.p_confname);
	if (parent_load(&cf) != 0) {
		log_warnx("%s: not reloaded, the configuration in use stays",
		    parent.p_confname);
		return;
	}
	config_free(parent.p_conf);
	parent.p_conf = cf;
	for (unit = 0; unit < MICD_UNITS; unit++)
		if (parent.p_children[unit].ch_pid != 0)
			parent_send_config(unit);
	parent_scan();
}

/*
 * Start a process for every card of the class that has none; name the
 * configured cards that do not exist.
 */
static void
parent_scan(void)
{
	const struct cardconf *cc;
	char **names, **np;
	int unit;

	if (mic_card_list(&names, NULL) == -1) {
		log_warn("%s", mic_sysfs_root());
		names = NULL;
	}
	for (np = names; np != NULL && *np != NULL; np++) {
		if (mic_card_unit(*np, &unit) == -1 || unit >= MICD_UNITS)
			log_warnx("%s: not served: micd serves mic0 to mic%d",
			    *np, MICD_UNITS - 1);
		else if (parent.p_children[unit].ch_pid == 0 &&
		    parent.p_children[unit].ch_respawn == 0)
			parent_spawn(unit);
	}
	mic_card_list_free(names);
	for (unit = 0; unit < MICD_UNITS; unit++) {
		cc = parent.p_conf->cf_cards[unit];
		if (cc != NULL && cc->cc_line != 0 &&
		    parent.p_children[unit].ch_pid == 0)
			log_info("%s: configured, but there is no such card",
			    cc->cc_name);
	}
}

static void
parent_spawn(int unit)
{
	struct child *ch;
	pid_t pid;
	int sv[2];

	ch = &parent.p_children[unit];
	ch->ch_start = parent_now();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		log_warn("mic%d: socketpair", unit);
		parent_later(unit);
		return;
	}
	if ((pid = fork()) == -1) {
		log_warn("mic%d: fork", unit);
		(void)close(sv[0]);
		(void)close(sv[1]);
		parent_later(unit);
		return;
	}
	if (pid == 0) {
		(void)close(sv[0]);
		parent_forked();
		card_main(parent.p_conf, unit, sv[1]);
	}
	(void)close(sv[1]);
	ch->ch_pid = pid;
	ch->ch_sock = sv[0];
	ch->ch_respawn = 0;
	log_debug("mic%d: card process %ld", unit, (long)pid);
}

/* In a new card process: close what is the parent's. */
static void
parent_forked(void)
{
	int unit;

	(void)close(parent.p_pidfd);
	(void)close(parent.p_sigfd);
	for (unit = 0; unit < MICD_UNITS; unit++)
		if (parent.p_children[unit].ch_pid != 0)
			(void)close(parent.p_children[unit].ch_sock);
}

/* Send a card process its settings, as micd -n prints them. */
static void
parent_send_config(int unit)
{
	struct micd_msg m;
	struct msghdr mh;
	struct iovec iov[2];
	char *text;
	size_t len;
	FILE *fp;

	if ((fp = open_memstream(&text, &len)) == NULL)
		fatal("open_memstream");
	config_print_card(fp, config_card(parent.p_conf, unit));
	if (fclose(fp) == EOF)
		fatal("open_memstream");
	m.m_type = MICD_MSG_CONFIG;
	m.m_card = (uint32_t)unit;
	m.m_len = (uint32_t)len;
	iov[0].iov_base = &m;
	iov[0].iov_len = sizeof(m);
	iov[1].iov_base = text;
	iov[1].iov_len = len;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	if (len > MICD_MSG_MAX)
		log_warnx("mic%d: settings too large to send", unit);
	else if (sendmsg(parent.p_children[unit].ch_sock, &mh,
	    MSG_NOSIGNAL) == -1)
		log_warn("mic%d: sending the settings", unit);
	free(text);
}

/* SIGCHLD: collect the card processes that ended. */
static void
parent_reap(void)
{
	pid_t pid;
	int status, unit;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (unit = 0; unit < MICD_UNITS; unit++)
			if (parent.p_children[unit].ch_pid == pid)
				break;
		if (unit < MICD_UNITS)
			parent_died(unit, status);
	}
}

/* The process of card unit ended; start another if the card is there. */
static void
parent_died(int unit, int status)
{
	struct child *ch;
	char name[MIC_NAME_MAX];

	ch = &parent.p_children[unit];
	(void)close(ch->ch_sock);
	ch->ch_pid = 0;
	(void)snprintf(name, sizeof(name), "mic%d", unit);
	if (WIFSIGNALED(status))
		log_warnx("%s: card process killed by signal %d", name,
		    WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		log_warnx("%s: card process exited with status %d", name,
		    WEXITSTATUS(status));
	if (parent.p_stopping)
		return;
	if (mic_card_exists(name) == -1) {
		log_info("%s: the card is gone", name);
		ch->ch_delay = 0;
		return;
	}
	parent_later(unit);
}

/*
 * Start the process of card unit again later: after MICD_RESPAWN_MS, twice
 * as long each time it dies young, up to MICD_RESPAWN_MAX_MS.
 */
static void
parent_later(int unit)
{
	struct child *ch;
	long long now;

	ch = &parent.p_children[unit];
	now = parent_now();
	if (ch->ch_delay == 0 || now - ch->ch_start > MICD_RESPAWN_MAX_MS)
		ch->ch_delay = MICD_RESPAWN_MS;
	else if (ch->ch_delay < MICD_RESPAWN_MAX_MS / 2)
		ch->ch_delay *= 2;
	else
		ch->ch_delay = MICD_RESPAWN_MAX_MS;
	ch->ch_respawn = now + ch->ch_delay;
	log_info("mic%d: card process starts again in %d ms", unit,
	    ch->ch_delay);
}

static void
parent_respawn(void)
{
	long long now;
	int unit;

	now = parent_now();
	for (unit = 0; unit < MICD_UNITS; unit++) {
		if (parent.p_children[unit].ch_respawn == 0 ||
		    parent.p_children[unit].ch_respawn > now)
			continue;
		parent.p_children[unit].ch_respawn = 0;
		parent_spawn(unit);
	}
}

/* Milliseconds until the next respawn, or -1. */
static int
parent_timeout(void)
{
	long long now, next;
	int unit;

	now = parent_now();
	next = -1;
	for (unit = 0; unit < MICD_UNITS; unit++) {
		if (parent.p_children[unit].ch_respawn == 0)
			continue;
		if (next == -1 || parent.p_children[unit].ch_respawn < next)
			next = parent.p_children[unit].ch_respawn;
	}
	if (next == -1)
		return (-1);
	return (next <= now ? 0 : (int)(next - now));
}

static int
parent_alive(void)
{
	int unit;

	for (unit = 0; unit < MICD_UNITS; unit++)
		if (parent.p_children[unit].ch_pid != 0)
			return (1);
	return (0);
}

/* Wait at most ms for a signal, and collect ended card processes. */
static void
parent_wait(long long ms)
{
	struct signalfd_siginfo si;
	struct pollfd pfd;

	pfd.fd = parent.p_sigfd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, (int)ms) > 0)
		(void)read(parent.p_sigfd, &si, sizeof(si));
	parent_reap();
}

/*
 * SIGTERM, SIGINT: end the card processes (which leave the cards as they
 * are), remove the pid file and exit.
 */
static _Noreturn void
parent_stop(int sig)
{
	long long deadline, now;
	int unit;

	log_info("exiting on signal %d", sig);
	parent.p_stopping = 1;
	for (unit = 0; unit < MICD_UNITS; unit++)
		if (parent.p_children[unit].ch_pid != 0)
			(void)kill(parent.p_children[unit].ch_pid, SIGTERM);
	deadline = parent_now() + MICD_STOP_MS;
	while (parent_alive() && (now = parent_now()) < deadline)
		parent_wait(deadline - now);
	for (unit = 0; unit < MICD_UNITS; unit++) {
		if (parent.p_children[unit].ch_pid == 0)
			continue;
		log_warnx("mic%d: card process did not exit, killed", unit);
		(void)kill(parent.p_children[unit].ch_pid, SIGKILL);
		(void)waitpid(parent.p_children[unit].ch_pid, NULL, 0);
	}
	if (unlink(parent.p_pidpath) == -1)
		log_warn("%s", parent.p_pidpath);
	exit(0);
}

/* Milliseconds on the monotonic clock. */
static long long
parent_now(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}
