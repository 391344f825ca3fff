/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What micctl does to one card: read and check its state, write a command
 * to it, wait for the state the command leads to.  Every failure is
 * reported here, once, and marks the card failed.
 */

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include "mic.h"
#include "micctl.h"

#define S(x)	MIC_STATE_MASK(MIC_STATE_##x)

static int		 card_read(struct card *, const char *);
static int		 card_write(struct card *, const char *, const char *);
static int		 card_fail(struct card *);
static const char	*card_describe(const struct card *, char *, size_t);
static int		 card_command(struct card *, const char *,
			    enum mic_state, const char *);
static int		 card_reached(const struct mic_cardstate *, void *);
static int		 card_missed(const struct card *, const struct goal *);

/* boot -w: online; back to ready or any later state is a failure. */
const struct goal goal_boot = {
	.g_want = "online",
	.g_done = S(ONLINE),
	.g_fail = S(READY) | S(SHUTTING_DOWN) | S(RESETTING) | S(RESET_FAILED)
};

/* reset -w, and reboot: ready. */
const struct goal goal_reset = {
	.g_want = "ready",
	.g_done = S(READY),
	.g_fail = S(RESET_FAILED)
};

/*
 * shutdown -w: the card has reported how it went down (shutdown_status is
 * set), or it has already left shutting_down (a daemon reset it).
 */
const struct goal goal_shutdown = {
	.g_done = S(READY) | S(BOOTING) | S(RESETTING),
	.g_fail = S(RESET_FAILED),
	.g_final = 1,
	.g_crash = 1
};

/* reboot: as shutdown, but whatever the end, a reset follows. */
static const struct goal goal_reboot_down = {
	.g_done = S(READY) | S(BOOTING) | S(RESETTING) | S(RESET_FAILED),
	.g_final = 1
};

static int
card_fail(struct card *c)
{
	c->c_failed = 1;
	return (-1);
}

/* Check that card name exists; set up c for it. */
int
card_open(struct card *c, const char *name)
{
	(void)snprintf(c->c_name, sizeof(c->c_name), "%s", name);
	c->c_state = MIC_STATE_UNKNOWN;
	c->c_shutdown = MIC_SHUTDOWN_UNKNOWN;
	c->c_step = REBOOT_DONE;
	c->c_failed = 0;
	if (mic_card_exists(name) == -1) {
		if (errno == ENOENT)
			warnx("%s: no such card", name);
		else
			warn("%s", name);
		return (card_fail(c));
	}
	return (0);
}

/* Read attribute attr of card c into buf, for operation op. */
int
card_attr(struct card *c, const char *op, const char *attr, char *buf,
    size_t len)
{
	if (mic_sysfs_read(c->c_name, attr, buf, len) == -1) {
		warn("%s: %s: %s", c->c_name, op, attr);
		return (card_fail(c));
	}
	return (0);
}

static int
card_read(struct card *c, const char *op)
{
	char buf[MIC_ATTR_MAX];

	if (card_attr(c, op, "state", buf, sizeof(buf)) == -1)
		return (-1);
	(void)mic_state_parse(buf, &c->c_state);
	if (card_attr(c, op, "shutdown_status", buf, sizeof(buf)) == -1)
		return (-1);
	(void)mic_shutdown_parse(buf, &c->c_shutdown);
	return (0);
}

static int
card_write(struct card *c, const char *op, const char *cmd)
{
	if (mic_sysfs_write(c->c_name, "state", cmd) == -1) {
		warn("%s: %s", c->c_name, op);
		return (card_fail(c));
	}
	return (0);
}

/* "online", or "shutting_down (crashed)" once the status is set. */
static const char *
card_describe(const struct card *c, char *buf, size_t len)
{
	if (c->c_state == MIC_STATE_SHUTTING_DOWN &&
	    c->c_shutdown != MIC_SHUTDOWN_NOP)
		(void)snprintf(buf, len, "%s (%s)", mic_state_name(c->c_state),
		    mic_shutdown_name(c->c_shutdown));
	else
		(void)snprintf(buf, len, "%s", mic_state_name(c->c_state));
	return (buf);
}

/* Write cmd to card c, for operation op, if the card is in state want. */
static int
card_command(struct card *c, const char *op, enum mic_state want,
    const char *cmd)
{
	char what[64];

	if (card_read(c, op) == -1)
		return (-1);
	if (c->c_state != want) {
		warnx("%s: %s: card is %s, not %s", c->c_name, op,
		    card_describe(c, what, sizeof(what)), mic_state_name(want));
		return (card_fail(c));
	}
	return (card_write(c, op, cmd));
}

int
card_boot(struct card *c, const char *op)
{
	return (card_command(c, op, MIC_STATE_READY, "boot"));
}

int
card_shutdown(struct card *c, const char *op)
{
	return (card_command(c, op, MIC_STATE_ONLINE, "shutdown"));
}

/* A card that is ready or resetting cannot be reset (the kernel: EINVAL). */
int
card_reset(struct card *c, const char *op)
{
	if (card_read(c, op) == -1)
		return (-1);
	if (c->c_state == MIC_STATE_READY ||
	    c->c_state == MIC_STATE_RESETTING) {
		warnx("%s: %s: card is already %s", c->c_name, op,
		    mic_state_name(c->c_state));
		return (card_fail(c));
	}
	return (card_write(c, op, "reset"));
}

/* The deadline, in mic_wait_now() milliseconds, sec seconds from now. */
long long
card_deadline(int sec)
{
	return (mic_wait_now() + (long long)sec * 1000);
}

static int
card_reached(const struct mic_cardstate *cs, void *arg)
{
	const struct goal *g = arg;

	if (cs->cs_state != MIC_STATE_UNKNOWN &&
	    ((g->g_done | g->g_fail) & MIC_STATE_MASK(cs->cs_state)) != 0)
		return (1);
	return (g->g_final && cs->cs_shutdown != MIC_SHUTDOWN_NOP &&
	    cs->cs_shutdown != MIC_SHUTDOWN_UNKNOWN);
}

static int
card_missed(const struct card *c, const struct goal *g)
{
	if (g->g_crash && (c->c_shutdown == MIC_SHUTDOWN_CRASHED ||
	    c->c_shutdown == MIC_SHUTDOWN_LOST))
		return (1);
	return (c->c_state != MIC_STATE_UNKNOWN &&
	    (g->g_fail & MIC_STATE_MASK(c->c_state)) != 0);
}

/* Wait until card c reaches goal g, at the latest at deadline. */
int
card_wait(struct card *c, const char *op, const struct goal *g,
    long long deadline)
{
	struct mic_cardstate cs;
	struct goal arg;
	long long left;
	char what[64];
	int rv;

	arg = *g;
	left = deadline - mic_wait_now();
	left = left < 0 ? 0 : left > INT_MAX ? INT_MAX : left;
	rv = mic_wait(c->c_name, card_reached, &arg, (int)left, &cs);
	if (rv == -1 && errno != ETIMEDOUT) {
		warn("%s: %s", c->c_name, op);
		return (card_fail(c));
	}
	c->c_state = cs.cs_state;
	c->c_shutdown = cs.cs_shutdown;
	if (rv == -1) {
		warnx("%s: %s: timed out, card is %s", c->c_name, op,
		    card_describe(c, what, sizeof(what)));
		return (card_fail(c));
	}
	if (card_missed(c, g)) {
		warnx("%s: %s: card is %s%s%s", c->c_name, op,
		    card_describe(c, what, sizeof(what)),
		    g->g_want != NULL ? ", not " : "",
		    g->g_want != NULL ? g->g_want : "");
		return (card_fail(c));
	}
	return (0);
}

/*
 * reboot: choose the first step from the card's state.  An online card is
 * shut down; one shutting down is waited for; one whose reset failed is
 * reset; one resetting is waited for; a ready one is booted.
 */
int
card_reboot_start(struct card *c)
{
	char what[64];

	if (card_read(c, "reboot") == -1)
		return (-1);
	switch (c->c_state) {
	case MIC_STATE_ONLINE:
		c->c_step = REBOOT_SHUTDOWN;
		break;
	case MIC_STATE_SHUTTING_DOWN:
		c->c_step = REBOOT_SHUTDOWN_WAIT;
		break;
	case MIC_STATE_RESET_FAILED:
		c->c_step = REBOOT_RESET;
		break;
	case MIC_STATE_RESETTING:
		c->c_step = REBOOT_RESET_WAIT;
		break;
	case MIC_STATE_READY:
		c->c_step = REBOOT_BOOT;
		break;
	default:
		warnx("%s: reboot: card is %s, not online", c->c_name,
		    card_describe(c, what, sizeof(what)));
		return (card_fail(c));
	}
	return (0);
}

/* reboot: do step for card c if it is due; a wait ends at deadline. */
int
card_reboot_step(struct card *c, enum reboot_step step, long long deadline)
{
	int rv;

	if (c->c_failed || c->c_step > step)
		return (0);
	switch (step) {
	case REBOOT_SHUTDOWN:
		rv = card_write(c, "reboot", "shutdown");
		break;
	case REBOOT_SHUTDOWN_WAIT:
		rv = card_wait(c, "reboot", &goal_reboot_down, deadline);
		break;
	case REBOOT_RESET:
		/* A daemon (micd) may have reset it already. */
		rv = 0;
		if (c->c_state != MIC_STATE_READY &&
		    c->c_state != MIC_STATE_RESETTING)
			rv = card_write(c, "reboot", "reset");
		break;
	case REBOOT_RESET_WAIT:
		rv = card_wait(c, "reboot", &goal_reset, deadline);
		break;
	case REBOOT_BOOT:
		rv = card_boot(c, "reboot");
		break;
	case REBOOT_BOOT_WAIT:
		rv = card_wait(c, "reboot", &goal_boot, deadline);
		break;
	default:
		rv = 0;
		break;
	}
	c->c_step = (enum reboot_step)(step + 1);
	return (rv);
}
