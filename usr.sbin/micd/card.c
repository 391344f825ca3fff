/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The process of one card: a poll(2) loop over the card's state
 * attributes, the channel from the parent, its signals and the descriptors
 * of its backends; and the card's lifecycle.  The backends' devices are
 * added before micd boots the card, or when the card is found booting or
 * online (hot add), and removed when the card has shut down (before the
 * reset), when it is found ready or resetting, and at exit.  Once it has
 * opened what it keeps, the process enters its sandbox (sandbox.c); boot
 * and reset, like every privileged act, it asks of the parent (priv.c).
 */

#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/statfs.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/magic.h>

#include "mic.h"
#include "micd.h"

#define CARD_FAKE_PERIOD_MS	100	/* re-read a state that is not sysfs */

static void	card_open(struct card *);
static void	card_loop(struct card *);
static void	card_io_compact(struct card *);
static void	card_state(struct card *, int, short, void *);
static void	card_signal(struct card *, int, short, void *);
static void	card_msg(struct card *, int, short, void *);
static void	card_msg_config(struct card *, const char *, size_t);
static void	card_check(struct card *);
static void	card_step(struct card *, enum mic_state, enum mic_shutdown);
static void	card_log_change(struct card *, enum mic_state,
		    enum mic_shutdown);
static void	card_backends_init(struct card *);
static void	card_backends_exit(struct card *);
static void	card_up(struct card *);
static void	card_stop(struct card *);
static void	card_down(struct card *, enum mic_shutdown);
static void	card_boot(struct card *);

/* The backends, started and stopped in this order. */
static const struct backend *const card_backends[] = {
	&viocon_backend,
	&vioblk_backend,
	&vionet_backend,
	NULL
};

/*
 * Serve card unit with its settings from cf, the parent's messages on
 * sock and its replies on req, in sandbox sb, until SIGTERM, the parent
 * going away, or the card going away.
 */
_Noreturn void
card_main(struct config *cf, int unit, int sock, int req,
    const struct sandbox *sb)
{
	struct card c;
	sigset_t set;
	int sigfd;

	memset(&c, 0, sizeof(c));
	(void)snprintf(c.c_name, sizeof(c.c_name), "mic%d", unit);
	c.c_unit = unit;
	c.c_config = cf;
	c.c_conf = config_card(cf, unit);
	c.c_state = MIC_STATE_UNKNOWN;
	c.c_shutdown = MIC_SHUTDOWN_UNKNOWN;
	c.c_boot = c.c_conf->cc_boot;
	(void)sigemptyset(&set);
	(void)sigaddset(&set, SIGTERM);
	(void)sigaddset(&set, SIGINT);
	if (sb->sb_fault) {
		(void)sigaddset(&set, SIGUSR1);
		if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
			fatal("%s: sigprocmask", c.c_name);
	}
	if ((sigfd = signalfd(-1, &set, SFD_CLOEXEC)) == -1)
		fatal("%s: signalfd", c.c_name);
	(void)card_io_add(&c, sigfd, POLLIN, card_signal, NULL);
	(void)card_io_add(&c, sock, POLLIN, card_msg, NULL);
	priv_init(req);
	card_open(&c);
	log_debug("%s: card process started", c.c_name);
	card_backends_init(&c);
	sandbox_enter(c.c_name, unit, req, sb);
	card_check(&c);
	card_loop(&c);
	card_stop(&c);
	card_backends_exit(&c);
	log_debug("%s: card process exiting", c.c_name);
	exit(c.c_exit);
}

/*
 * Open the state attributes.  On sysfs a change wakes poll(2) with
 * POLLPRI; anything else (a fake tree in tests) is re-read periodically.
 */
static void
card_open(struct card *c)
{
	struct statfs sfs;

	c->c_statefd = mic_sysfs_open(c->c_name, "state", O_RDONLY);
	if (c->c_statefd == -1)
		fatal("%s: state", c->c_name);
	c->c_statusfd = mic_sysfs_open(c->c_name, "shutdown_status",
	    O_RDONLY);
	if (c->c_statusfd == -1)
		fatal("%s: shutdown_status", c->c_name);
	c->c_fake = fstatfs(c->c_statefd, &sfs) == -1 ||
	    (unsigned long)sfs.f_type != SYSFS_MAGIC;
	(void)card_io_add(c, c->c_statefd, POLLPRI, card_state, NULL);
	(void)card_io_add(c, c->c_statusfd, POLLPRI, card_state, NULL);
}

static void
card_loop(struct card *c)
{
	nfds_t i;
	int n;

	while (!c->c_quit) {
		n = poll(c->c_pfd, c->c_npfd, c->c_fake ?
		    CARD_FAKE_PERIOD_MS : -1);
		if (n == -1 && errno != EINTR)
			fatal("%s: poll", c->c_name);
		if (n == 0 || c->c_fake)
			card_check(c);
		for (i = 0; n > 0 && i < c->c_npfd && !c->c_quit; i++) {
			if (c->c_pfd[i].fd < 0 || c->c_pfd[i].revents == 0)
				continue;
			c->c_io[i].ci_fn(c, c->c_pfd[i].fd,
			    c->c_pfd[i].revents, c->c_io[i].ci_arg);
		}
		card_io_compact(c);
	}
}

/*
 * Have fn(c, fd, revents, arg) called when poll(2) reports events on fd.
 * -1 with ENOSPC if the card has CARD_IO_MAX descriptors already.
 */
int
card_io_add(struct card *c, int fd, short events,
    void (*fn)(struct card *, int, short, void *), void *arg)
{
	if (c->c_npfd == CARD_IO_MAX) {
		errno = ENOSPC;
		return (-1);
	}
	c->c_pfd[c->c_npfd].fd = fd;
	c->c_pfd[c->c_npfd].events = events;
	c->c_pfd[c->c_npfd].revents = 0;
	c->c_io[c->c_npfd].ci_fn = fn;
	c->c_io[c->c_npfd].ci_arg = arg;
	c->c_npfd++;
	return (0);
}

/* Wait for events on fd instead. */
void
card_io_events(struct card *c, int fd, short events)
{
	nfds_t i;

	for (i = 0; i < c->c_npfd; i++)
		if (c->c_pfd[i].fd == fd)
			c->c_pfd[i].events = events;
}

/* Forget fd, before it is closed; a callback may do it. */
void
card_io_del(struct card *c, int fd)
{
	nfds_t i;

	for (i = 0; i < c->c_npfd; i++)
		if (c->c_pfd[i].fd == fd)
			c->c_pfd[i].fd = -1;
}

static void
card_io_compact(struct card *c)
{
	nfds_t i, j;

	for (i = j = 0; i < c->c_npfd; i++) {
		if (c->c_pfd[i].fd == -1)
			continue;
		c->c_pfd[j] = c->c_pfd[i];
		c->c_io[j] = c->c_io[i];
		j++;
	}
	c->c_npfd = j;
}

static void
card_state(struct card *c, int fd, short revents, void *arg)
{
	(void)fd;
	(void)revents;
	(void)arg;
	card_check(c);
}

static void
card_signal(struct card *c, int fd, short revents, void *arg)
{
	struct signalfd_siginfo si;

	(void)revents;
	(void)arg;
	if (read(fd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return;
	log_debug("%s: signal %u", c->c_name, si.ssi_signo);
	if (si.ssi_signo == SIGUSR1) {
		log_info("%s: SIGUSR1 with -x: a system call the sandbox "
		    "forbids", c->c_name);
		sandbox_forbidden();
		return;
	}
	c->c_quit = 1;
}

/* A message from the parent; end of file when the parent is gone. */
static void
card_msg(struct card *c, int fd, short revents, void *arg)
{
	static char buf[sizeof(struct micd_msg) + MICD_MSG_MAX];
	struct micd_msg m;
	ssize_t n;

	(void)revents;
	(void)arg;
	if ((n = recv(fd, buf, sizeof(buf), 0)) == -1 && errno == EINTR)
		return;
	if (n <= 0) {
		log_debug("%s: the parent process is gone", c->c_name);
		c->c_quit = 1;
		return;
	}
	memcpy(&m, buf, (size_t)n < sizeof(m) ? (size_t)n : sizeof(m));
	if ((size_t)n < sizeof(m) || m.m_len != (size_t)n - sizeof(m) ||
	    m.m_card != (uint32_t)c->c_unit) {
		log_warnx("%s: bad message from the parent", c->c_name);
		return;
	}
	if (m.m_type == MICD_MSG_CONFIG)
		card_msg_config(c, buf + sizeof(m), m.m_len);
	else
		log_warnx("%s: unknown message %u from the parent", c->c_name,
		    m.m_type);
}

/* New settings: the card's block, in the form micd -n prints. */
static void
card_msg_config(struct card *c, const char *buf, size_t len)
{
	const struct backend *const *b;
	const struct cardconf *old;
	struct config *cf, *oldcf;

	cf = config_parse(c->c_config->cf_name, buf, len);
	if (cf == NULL || cf->cf_cards[c->c_unit] == NULL) {
		log_warnx("%s: bad configuration from the parent", c->c_name);
		config_free(cf);
		return;
	}
	oldcf = c->c_config;
	old = c->c_conf;
	c->c_config = cf;
	c->c_conf = cf->cf_cards[c->c_unit];
	for (b = card_backends; *b != NULL; b++)
		if ((*b)->b_config != NULL)
			(*b)->b_config(c, old);
	config_free(oldcf);
	log_debug("%s: new configuration", c->c_name);
}

/* Read the state and shutdown_status and act on them. */
static void
card_check(struct card *c)
{
	char buf[MIC_ATTR_MAX];
	enum mic_state s;
	enum mic_shutdown sd;

	if (mic_sysfs_readfd(c->c_statefd, buf, sizeof(buf)) == -1) {
		log_warn("%s: state", c->c_name);
		c->c_exit = 1;
		c->c_quit = 1;
		return;
	}
	(void)mic_state_parse(buf, &s);
	if (mic_sysfs_readfd(c->c_statusfd, buf, sizeof(buf)) == -1) {
		log_warn("%s: shutdown_status", c->c_name);
		c->c_exit = 1;
		c->c_quit = 1;
		return;
	}
	(void)mic_shutdown_parse(buf, &sd);
	card_step(c, s, sd);
}

/*
 * The lifecycle.  Act on the state as it is, not on the change that led
 * there: micd may start, or restart, at any point of a card's life.
 */
static void
card_step(struct card *c, enum mic_state s, enum mic_shutdown sd)
{
	if (s == MIC_STATE_UNKNOWN)
		return;		/* not a state (yet): wait for one */
	card_log_change(c, s, sd);
	c->c_state = s;
	c->c_shutdown = sd;
	if (s != MIC_STATE_SHUTTING_DOWN)
		c->c_reset = 0;
	switch (s) {
	case MIC_STATE_READY:
		card_stop(c);
		if (c->c_boot)
			card_boot(c);
		break;
	case MIC_STATE_BOOTING:
	case MIC_STATE_ONLINE:
		card_up(c);
		break;
	case MIC_STATE_SHUTTING_DOWN:
		if (sd > MIC_SHUTDOWN_NOP && !c->c_reset)
			card_down(c, sd);
		break;
	default:
		card_stop(c);
		break;
	}
}

static void
card_log_change(struct card *c, enum mic_state s, enum mic_shutdown sd)
{
	if (s != c->c_state && s == MIC_STATE_RESET_FAILED)
		log_warnx("%s: state %s", c->c_name, mic_state_name(s));
	else if (s != c->c_state)
		log_info("%s: state %s", c->c_name, mic_state_name(s));
	if (s == MIC_STATE_SHUTTING_DOWN && sd > MIC_SHUTDOWN_NOP &&
	    (sd != c->c_shutdown || s != c->c_state))
		log_info("%s: shutdown_status %s", c->c_name,
		    mic_shutdown_name(sd));
}

/* What lasts as long as the card process: the console's pty. */
static void
card_backends_init(struct card *c)
{
	const struct backend *const *b;

	for (b = card_backends; *b != NULL; b++)
		if ((*b)->b_init != NULL)
			(*b)->b_init(c);
}

static void
card_backends_exit(struct card *c)
{
	const struct backend *const *b;

	for (b = card_backends; *b != NULL; b++)
		if ((*b)->b_exit != NULL)
			(*b)->b_exit(c);
}

/*
 * The card is about to boot, is booting or is up: add the devices.  A
 * backend that fails has said why; its device comes at the next boot.
 */
static void
card_up(struct card *c)
{
	const struct backend *const *b;

	if (c->c_up)
		return;
	c->c_up = 1;
	for (b = card_backends; *b != NULL; b++)
		(void)(*b)->b_start(c);
}

static void
card_stop(struct card *c)
{
	const struct backend *const *b;

	if (!c->c_up)
		return;
	c->c_up = 0;
	for (b = card_backends; *b != NULL; b++)
		(*b)->b_stop(c);
}

/*
 * The card has gone down, for the reason sd: stop the backends, reset it,
 * and boot it again once ready after a restart, or after a crash if so
 * configured.
 */
static void
card_down(struct card *c, enum mic_shutdown sd)
{
	card_stop(c);
	c->c_reset = 1;
	c->c_boot = sd == MIC_SHUTDOWN_RESTART ||
	    ((sd == MIC_SHUTDOWN_CRASHED || sd == MIC_SHUTDOWN_LOST) &&
	    c->c_conf->cc_crashboot);
	if (priv_reset(c) == -1) {
		c->c_boot = 0;	/* the parent said why */
		return;
	}
	log_info("%s: reset after %s%s", c->c_name, mic_shutdown_name(sd),
	    c->c_boot ? ", will boot" : "");
}

/*
 * Add the devices (so that the card finds them when it starts), then have
 * the parent write the boot settings and boot.
 */
static void
card_boot(struct card *c)
{
	c->c_boot = 0;
	card_up(c);
	if (priv_boot(c) == -1) {
		card_stop(c);	/* the parent said why */
		return;
	}
	log_info("%s: boot", c->c_name);
}
