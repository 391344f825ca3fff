/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The card processes, as the parent sees them: one is started for every
 * card of the class (card.c runs in it) and sent the card's settings when
 * they change; one that ends is started again while its card is there;
 * at exit all are stopped.
 */

#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mic.h"
#include "micd.h"

#define PROC_RESPAWN_MS		1000	/* a card process starts again */
#define PROC_RESPAWN_MAX_MS	60000	/* after at most this long */
#define PROC_STOP_MS		5000	/* card processes have this to exit */

/* The process of a card. */
struct child {
	pid_t		 ch_pid;	/* 0: none */
	int		 ch_sock;	/* our end of its channel */
	long long	 ch_start;	/* when it started (ms) */
	long long	 ch_respawn;	/* when to start it again; 0: not */
	int		 ch_delay;	/* the last respawn delay (ms) */
};

static void		 proc_scan(void);
static void		 proc_spawn(int);
static void		 proc_forked(void);
static void		 proc_send_config(int);
static void		 proc_died(int, int);
static void		 proc_later(int);
static int		 proc_alive(void);
static void		 proc_wait(long long);
static long long	 proc_now(void);

static struct config	*proc_conf;	/* the parent's, in use */
static int		 proc_pidfd;	/* the parent's pid file */
static int		 proc_sigfd;	/* the parent's signalfd */
static int		 proc_stopping;
static struct child	 proc_children[MICD_UNITS];

/*
 * Start a process for every card there is, with its settings from cf.
 * pidfd and sigfd are the parent's: card processes close them, and
 * proc_stop() waits on sigfd for SIGCHLD.
 */
void
proc_start(struct config *cf, int pidfd, int sigfd)
{
	proc_conf = cf;
	proc_pidfd = pidfd;
	proc_sigfd = sigfd;
	proc_scan();
}

/*
 * A new configuration, cf: pass each card process its new settings and
 * look for new cards.
 */
void
proc_config(struct config *cf)
{
	int unit;

	proc_conf = cf;
	for (unit = 0; unit < MICD_UNITS; unit++)
		if (proc_children[unit].ch_pid != 0)
			proc_send_config(unit);
	proc_scan();
}

/*
 * Start a process for every card of the class that has none; name the
 * configured cards that do not exist.
 */
static void
proc_scan(void)
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
		else if (proc_children[unit].ch_pid == 0 &&
		    proc_children[unit].ch_respawn == 0)
			proc_spawn(unit);
	}
	mic_card_list_free(names);
	for (unit = 0; unit < MICD_UNITS; unit++) {
		cc = proc_conf->cf_cards[unit];
		if (cc != NULL && cc->cc_line != 0 &&
		    proc_children[unit].ch_pid == 0)
			log_info("%s: configured, but there is no such card",
			    cc->cc_name);
	}
}

static void
proc_spawn(int unit)
{
	struct child *ch;
	pid_t pid;
	int sv[2];

	ch = &proc_children[unit];
	ch->ch_start = proc_now();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		log_warn("mic%d: socketpair", unit);
		proc_later(unit);
		return;
	}
	if ((pid = fork()) == -1) {
		log_warn("mic%d: fork", unit);
		(void)close(sv[0]);
		(void)close(sv[1]);
		proc_later(unit);
		return;
	}
	if (pid == 0) {
		(void)close(sv[0]);
		proc_forked();
		card_main(proc_conf, unit, sv[1]);
	}
	(void)close(sv[1]);
	ch->ch_pid = pid;
	ch->ch_sock = sv[0];
	ch->ch_respawn = 0;
	log_debug("mic%d: card process %ld", unit, (long)pid);
}

/* In a new card process: close what is the parent's. */
static void
proc_forked(void)
{
	int unit;

	(void)close(proc_pidfd);
	(void)close(proc_sigfd);
	for (unit = 0; unit < MICD_UNITS; unit++)
		if (proc_children[unit].ch_pid != 0)
			(void)close(proc_children[unit].ch_sock);
}

/* Send a card process its settings, as micd -n prints them. */
static void
proc_send_config(int unit)
{
	struct micd_msg m;
	struct msghdr mh;
	struct iovec iov[2];
	char *text;
	size_t len;
	FILE *fp;

	if ((fp = open_memstream(&text, &len)) == NULL)
		fatal("open_memstream");
	config_print_card(fp, config_card(proc_conf, unit));
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
	else if (sendmsg(proc_children[unit].ch_sock, &mh,
	    MSG_NOSIGNAL) == -1)
		log_warn("mic%d: sending the settings", unit);
	free(text);
}

/* SIGCHLD: collect the card processes that ended. */
void
proc_reap(void)
{
	pid_t pid;
	int status, unit;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (unit = 0; unit < MICD_UNITS; unit++)
			if (proc_children[unit].ch_pid == pid)
				break;
		if (unit < MICD_UNITS)
			proc_died(unit, status);
	}
}

/* The process of card unit ended; start another if the card is there. */
static void
proc_died(int unit, int status)
{
	struct child *ch;
	char name[MIC_NAME_MAX];

	ch = &proc_children[unit];
	(void)close(ch->ch_sock);
	ch->ch_pid = 0;
	(void)snprintf(name, sizeof(name), "mic%d", unit);
	if (WIFSIGNALED(status))
		log_warnx("%s: card process killed by signal %d", name,
		    WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		log_warnx("%s: card process exited with status %d", name,
		    WEXITSTATUS(status));
	if (proc_stopping)
		return;
	if (mic_card_exists(name) == -1) {
		log_info("%s: the card is gone", name);
		ch->ch_delay = 0;
		return;
	}
	proc_later(unit);
}

/*
 * Start the process of card unit again later: after PROC_RESPAWN_MS, twice
 * as long each time it dies young, up to PROC_RESPAWN_MAX_MS.
 */
static void
proc_later(int unit)
{
	struct child *ch;
	long long now;

	ch = &proc_children[unit];
	now = proc_now();
	if (ch->ch_delay == 0 || now - ch->ch_start > PROC_RESPAWN_MAX_MS)
		ch->ch_delay = PROC_RESPAWN_MS;
	else if (ch->ch_delay < PROC_RESPAWN_MAX_MS / 2)
		ch->ch_delay *= 2;
	else
		ch->ch_delay = PROC_RESPAWN_MAX_MS;
	ch->ch_respawn = now + ch->ch_delay;
	log_info("mic%d: card process starts again in %d ms", unit,
	    ch->ch_delay);
}

void
proc_respawn(void)
{
	long long now;
	int unit;

	now = proc_now();
	for (unit = 0; unit < MICD_UNITS; unit++) {
		if (proc_children[unit].ch_respawn == 0 ||
		    proc_children[unit].ch_respawn > now)
			continue;
		proc_children[unit].ch_respawn = 0;
		proc_spawn(unit);
	}
}

/* Milliseconds until the next respawn, or -1. */
int
proc_timeout(void)
{
	long long now, next;
	int unit;

	now = proc_now();
	next = -1;
	for (unit = 0; unit < MICD_UNITS; unit++) {
		if (proc_children[unit].ch_respawn == 0)
			continue;
		if (next == -1 || proc_children[unit].ch_respawn < next)
			next = proc_children[unit].ch_respawn;
	}
	if (next == -1)
		return (-1);
	return (next <= now ? 0 : (int)(next - now));
}

static int
proc_alive(void)
{
	int unit;

	for (unit = 0; unit < MICD_UNITS; unit++)
		if (proc_children[unit].ch_pid != 0)
			return (1);
	return (0);
}

/* Wait at most ms for a signal, and collect ended card processes. */
static void
proc_wait(long long ms)
{
	struct signalfd_siginfo si;
	struct pollfd pfd;

	pfd.fd = proc_sigfd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, (int)ms) > 0)
		(void)read(proc_sigfd, &si, sizeof(si));
	proc_reap();
}

/* Milliseconds on the monotonic clock. */
static long long
proc_now(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/*
 * End the card processes (which leave the cards as they are): SIGTERM,
 * then SIGKILL for those still there after PROC_STOP_MS.
 */
void
proc_stop(void)
{
	long long deadline, now;
	int unit;

	proc_stopping = 1;
	for (unit = 0; unit < MICD_UNITS; unit++)
		if (proc_children[unit].ch_pid != 0)
			(void)kill(proc_children[unit].ch_pid, SIGTERM);
	deadline = proc_now() + PROC_STOP_MS;
	while (proc_alive() && (now = proc_now()) < deadline)
		proc_wait(deadline - now);
	for (unit = 0; unit < MICD_UNITS; unit++) {
		if (proc_children[unit].ch_pid == 0)
			continue;
		log_warnx("mic%d: card process did not exit, killed", unit);
		(void)kill(proc_children[unit].ch_pid, SIGKILL);
		(void)waitpid(proc_children[unit].ch_pid, NULL, 0);
	}
}
