/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The card processes, as the parent sees them: one is started for every
 * card of the class (card.c runs in it, in its sandbox: sandbox.c) and
 * sent the card's settings when they change; one that ends is started
 * again while its card is there; at exit all are stopped.  The parent
 * does for each what its sandbox forbids (priv.c asks): it opens files
 * and passes them over (SCM_RIGHTS), configures the tap, and makes every
 * write micd makes to sysfs, each for that card only and from its own
 * settings.
 */

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

#define PROC_RESPAWN_MS		1000	/* a card process starts again */
#define PROC_RESPAWN_MAX_MS	60000	/* after at most this long */
#define PROC_STOP_MS		5000	/* card processes have this to exit */

/* The process of a card. */
struct child {
	pid_t		 ch_pid;	/* 0: none */
	int		 ch_sock;	/* our end of its channel */
	int		 ch_req;	/* our end of its request channel */
	int		 ch_reqeof;	/* that has ended */
	int		 ch_syscall;	/* the call seccomp trapped; -1: none */
	long long	 ch_start;	/* when it started (ms) */
	long long	 ch_respawn;	/* when to start it again; 0: not */
	int		 ch_delay;	/* the last respawn delay (ms) */
};

static void		 proc_scan(void);
static void		 proc_spawn(int);
static void		 proc_forked(void);
static void		 proc_send_config(int);
static int		 proc_request(int, int);
static int		 proc_do(int, const struct micd_msg *, const char *,
			    int *);
static void		 proc_reply(int, int, int);
static int		 proc_open_disk(const struct cardconf *, const char *,
			    size_t);
static int		 proc_boot(int);
static int		 proc_sysfs_write(int, const char *, const char *);
static void		 proc_died(int, int);
static void		 proc_later(int);
static int		 proc_alive(void);
static void		 proc_wait(long long);
static long long	 proc_now(void);

static struct config	*proc_conf;	/* the parent's, in use */
static struct sandbox	 proc_sandbox;	/* of the card processes */
static int		 proc_pidfd;	/* the parent's pid file */
static int		 proc_sigfd;	/* the parent's signalfd */
static int		 proc_stopping;
static struct child	 proc_children[MICD_UNITS];

/*
 * Start a process for every card there is, with its settings from cf, in
 * sandbox sb.  pidfd and sigfd are the parent's: card processes close
 * them, and proc_stop() waits on sigfd for SIGCHLD.
 */
void
proc_start(struct config *cf, const struct sandbox *sb, int pidfd,
    int sigfd)
{
	proc_conf = cf;
	proc_sandbox = *sb;
	proc_pidfd = pidfd;
	proc_sigfd = sigfd;
	proc_scan();
}

/*
 * A new configuration, cf, and sandbox (a new user is for the processes
 * started from now on): pass each card process its new settings and look
 * for new cards.
 */
void
proc_config(struct config *cf, const struct sandbox *sb)
{
	int unit;

	proc_conf = cf;
	proc_sandbox = *sb;
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
	int sv[2], rv[2];

	ch = &proc_children[unit];
	ch->ch_start = proc_now();
	sv[0] = rv[0] = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, rv) == -1) {
		log_warn("mic%d: socketpair", unit);
		if (sv[0] != -1) {
			(void)close(sv[0]);
			(void)close(sv[1]);
		}
		proc_later(unit);
		return;
	}
	if ((pid = fork()) == -1) {
		log_warn("mic%d: fork", unit);
		(void)close(sv[0]);
		(void)close(sv[1]);
		(void)close(rv[0]);
		(void)close(rv[1]);
		proc_later(unit);
		return;
	}
	if (pid == 0) {
		(void)close(sv[0]);
		(void)close(rv[0]);
		proc_forked();
		card_main(proc_conf, unit, sv[1], rv[1], &proc_sandbox);
	}
	(void)close(sv[1]);
	(void)close(rv[1]);
	ch->ch_pid = pid;
	ch->ch_sock = sv[0];
	ch->ch_req = rv[0];
	ch->ch_reqeof = 0;
	ch->ch_syscall = -1;
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
		if (proc_children[unit].ch_pid != 0) {
			(void)close(proc_children[unit].ch_sock);
			(void)close(proc_children[unit].ch_req);
		}
}

/* Send a card process its settings, as micd -n prints them. */
static void
proc_send_config(int unit)
{
	struct iovec iov;
	char *text;
	size_t len;
	FILE *fp;

	if ((fp = open_memstream(&text, &len)) == NULL)
		fatal("open_memstream");
	config_print_card(fp, config_card(proc_conf, unit));
	if (fclose(fp) == EOF)
		fatal("open_memstream");
	iov.iov_base = text;
	iov.iov_len = len;
	if (len > MICD_MSG_MAX)
		log_warnx("mic%d: settings too large to send", unit);
	else if (priv_send(proc_children[unit].ch_sock, MICD_MSG_CONFIG,
	    (uint32_t)unit, &iov, 1, -1, MSG_DONTWAIT) == -1)
		log_warn("mic%d: sending the settings", unit);
	free(text);
}

/*
 * The request channels to poll, at most max of them, in pfd; the count.
 * A channel whose card process has ended (end of file) is left out.
 */
nfds_t
proc_pollfds(struct pollfd *pfd, nfds_t max)
{
	nfds_t n;
	int unit;

	n = 0;
	for (unit = 0; unit < MICD_UNITS && n < max; unit++) {
		if (proc_children[unit].ch_pid == 0 ||
		    proc_children[unit].ch_reqeof)
			continue;
		pfd[n].fd = proc_children[unit].ch_req;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		n++;
	}
	return (n);
}

/* Serve the channels of pfd (from proc_pollfds()) that poll(2) woke. */
void
proc_serve(const struct pollfd *pfd, nfds_t n)
{
	nfds_t i;
	int unit;

	for (i = 0; i < n; i++) {
		if (pfd[i].revents == 0)
			continue;
		for (unit = 0; unit < MICD_UNITS; unit++)
			if (proc_children[unit].ch_pid != 0 &&
			    !proc_children[unit].ch_reqeof &&
			    proc_children[unit].ch_req == pfd[i].fd)
				(void)proc_request(unit, 0);
	}
}

/*
 * One request of the process of card unit, if there is one: 1 if there
 * was.  A request that makes no sense is refused (EINVAL) and logged.
 * Once the process is dead, only a report of seccomp is taken.
 */
static int
proc_request(int unit, int dead)
{
	char buf[sizeof(struct micd_msg) + MICD_REQ_MAX + 1];
	struct child *ch;
	struct micd_msg m;
	ssize_t n;
	int err, fd;

	ch = &proc_children[unit];
	while ((n = recv(ch->ch_req, buf, sizeof(buf) - 1, MSG_DONTWAIT)) ==
	    -1 && errno == EINTR)
		continue;
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return (0);
	if (n <= 0) {
		ch->ch_reqeof = 1;
		return (0);
	}
	memcpy(&m, buf, (size_t)n < sizeof(m) ? (size_t)n : sizeof(m));
	if ((size_t)n < sizeof(m) || m.m_len != (size_t)n - sizeof(m) ||
	    m.m_card != (uint32_t)unit) {
		log_warnx("mic%d: bad request from the card process", unit);
		if (!dead)
			proc_reply(unit, EINVAL, -1);
		return (1);
	}
	buf[n] = '\0';
	if (m.m_type == MICD_MSG_SECCOMP) {
		if (m.m_len == sizeof(int32_t))
			memcpy(&ch->ch_syscall, buf + sizeof(m),
			    sizeof(int32_t));
		return (1);
	}
	if (dead)
		return (1);
	fd = -1;
	err = proc_do(unit, &m, buf + sizeof(m), &fd) == -1 ? errno : 0;
	proc_reply(unit, err, fd);
	if (fd != -1)
		(void)close(fd);
	return (1);
}

/*
 * Do request m of card unit, with its data; an open stores its
 * descriptor in *fdp.  -1 with errno set if it fails.
 */
static int
proc_do(int unit, const struct micd_msg *m, const char *data, int *fdp)
{
	const struct cardconf *cc;
	char name[MIC_NAME_MAX];

	cc = config_card(proc_conf, unit);
	(void)snprintf(name, sizeof(name), "mic%d", unit);
	switch (m->m_type) {
	case MICD_MSG_OPEN_DEV:
		*fdp = vio_devopen(name);
		break;
	case MICD_MSG_OPEN_DISK:
		*fdp = proc_open_disk(cc, data, m->m_len);
		break;
	case MICD_MSG_OPEN_CONSLOG:
		if (cc->cc_conslog == NULL) {
			errno = ENOENT;
			return (-1);
		}
		*fdp = viocon_log_file(cc->cc_conslog);
		break;
	case MICD_MSG_TAP_ADDRESS:
		return (tap_address(name, &cc->cc_hostaddr));
	case MICD_MSG_BOOT:
		return (proc_boot(unit));
	case MICD_MSG_RESET:
		if (proc_sysfs_write(unit, "state", "reset") == -1) {
			log_warn("%s: reset", name);
			return (-1);
		}
		return (0);
	default:
		log_warnx("%s: unknown request %u from the card process", name,
		    m->m_type);
		errno = EINVAL;
		return (-1);
	}
	return (*fdp == -1 ? -1 : 0);
}

/* Reply to the process of card unit: errno err, and descriptor fd. */
static void
proc_reply(int unit, int err, int fd)
{
	struct iovec iov;
	int32_t e;

	e = err;
	iov.iov_base = &e;
	iov.iov_len = sizeof(e);
	if (priv_send(proc_children[unit].ch_req, MICD_MSG_REPLY,
	    (uint32_t)unit, &iov, 1, err == 0 ? fd : -1, MSG_DONTWAIT) == -1)
		log_warn("mic%d: replying to the card process", unit);
}

/*
 * Open a disk of the card's settings: the path (len bytes) must be one of
 * them, with the same read-only flag (the uint32_t before it).
 */
static int
proc_open_disk(const struct cardconf *cc, const char *data, size_t len)
{
	const char *path;
	uint32_t ro;
	size_t i;

	if (len <= sizeof(ro)) {
		errno = EINVAL;
		return (-1);
	}
	memcpy(&ro, data, sizeof(ro));
	path = data + sizeof(ro);
	if (strlen(path) != len - sizeof(ro)) {
		errno = EINVAL;
		return (-1);
	}
	for (i = 0; i < cc->cc_ndisks; i++)
		if (strcmp(cc->cc_disks[i].d_path, path) == 0 &&
		    (cc->cc_disks[i].d_readonly != 0) == (ro != 0))
			return (vioblk_open_image(path, ro != 0));
	errno = EACCES;
	return (-1);
}

/*
 * Boot card unit: write the boot settings, then boot.  The card process
 * has added the devices, so that the card finds them when it starts.
 */
static int
proc_boot(int unit)
{
	const struct cardconf *cc;
	char addr[INET4_STRLEN];
	const char *attrs[4], *values[4];
	int i;

	cc = config_card(proc_conf, unit);
	addr[0] = '\0';
	if (cc->cc_addr.i_len != 0)
		addr_inet4_print(&cc->cc_addr, addr, sizeof(addr));
	attrs[0] = "ipaddr";
	values[0] = addr;
	attrs[1] = "cmdline";
	values[1] = cc->cc_cmdline;
	attrs[2] = "firmware";
	values[2] = cc->cc_firmware;
	attrs[3] = "ramdisk";
	values[3] = cc->cc_ramdisk;
	for (i = 0; i < 4; i++)
		if (proc_sysfs_write(unit, attrs[i], values[i]) == -1) {
			log_warn("mic%d: boot: %s", unit, attrs[i]);
			return (-1);
		}
	if (proc_sysfs_write(unit, "state", "boot") == -1) {
		log_warn("mic%d: boot", unit);
		return (-1);
	}
	return (0);
}

/* Every write micd makes to sysfs (privileged): only here. */
static int
proc_sysfs_write(int unit, const char *attr, const char *value)
{
	char name[MIC_NAME_MAX];

	(void)snprintf(name, sizeof(name), "mic%d", unit);
	log_debug("%s: write \"%s\" to %s", name, value, attr);
	return (mic_sysfs_write(name, attr, value));
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
	while (!ch->ch_reqeof && proc_request(unit, 1))
		continue;	/* a report of seccomp */
	(void)close(ch->ch_sock);
	(void)close(ch->ch_req);
	ch->ch_pid = 0;
	(void)snprintf(name, sizeof(name), "mic%d", unit);
	viocon_unlink(name);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS &&
	    ch->ch_syscall != -1)
		log_warnx("%s: card process killed by seccomp: system call %d",
		    name, ch->ch_syscall);
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		log_warnx("%s: card process killed by seccomp: a system call "
		    "of another architecture", name);
	else if (WIFSIGNALED(status))
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
