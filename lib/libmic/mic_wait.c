/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Waiting for a card's state.  The kernel calls sysfs_notify() on state and
 * shutdown_status at every change, which wakes poll(2) with POLLPRI|POLLERR;
 * the attributes are also re-read every MIC_WAIT_PERIOD_MS, so that a wait
 * works on plain files in a fake tree too (poll never wakes for those).
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "mic.h"

static int		mic_wait_read(const struct pollfd *,
			    struct mic_cardstate *);
static int		mic_wait_loop(struct pollfd *,
			    int (*)(const struct mic_cardstate *, void *),
			    void *, int, struct mic_cardstate *);
static int		mic_wait_inmask(const struct mic_cardstate *, void *);

/* Milliseconds on the monotonic clock, the clock of every deadline. */
long long
mic_wait_now(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Read both attributes, open on pfd[0] (state) and pfd[1]. */
static int
mic_wait_read(const struct pollfd *pfd, struct mic_cardstate *csp)
{
	char buf[MIC_ATTR_MAX];

	if (mic_sysfs_readfd(pfd[0].fd, buf, sizeof(buf)) == -1)
		return (-1);
	(void)mic_state_parse(buf, &csp->cs_state);
	if (mic_sysfs_readfd(pfd[1].fd, buf, sizeof(buf)) == -1)
		return (-1);
	(void)mic_shutdown_parse(buf, &csp->cs_shutdown);
	return (0);
}

/* mic_wait() on the open attributes: read, check, poll, until done. */
static int
mic_wait_loop(struct pollfd *pfd,
    int (*done)(const struct mic_cardstate *, void *), void *arg,
    int timeout_ms, struct mic_cardstate *csp)
{
	long long deadline, left;

	deadline = mic_wait_now() + timeout_ms;
	for (;;) {
		if (mic_wait_read(pfd, csp) == -1)
			return (-1);
		if (done(csp, arg) != 0)
			return (0);
		left = timeout_ms < 0 ? MIC_WAIT_PERIOD_MS :
		    deadline - mic_wait_now();
		if (left <= 0) {
			errno = ETIMEDOUT;
			return (-1);
		}
		if (left > MIC_WAIT_PERIOD_MS)
			left = MIC_WAIT_PERIOD_MS;
		if (poll(pfd, 2, (int)left) == -1 && errno != EINTR)
			return (-1);
	}
}

/*
 * Wait until done(state, arg) returns non-zero for card, for at most
 * timeout_ms milliseconds (0: look once; negative: no limit).  The state
 * and shutdown_status are read at the start, whenever poll(2) reports a
 * change, and at least every MIC_WAIT_PERIOD_MS; unknown text reads as
 * MIC_STATE_UNKNOWN or MIC_SHUTDOWN_UNKNOWN.  If csp is not NULL it gets
 * the last state read, on success and on ETIMEDOUT.  Errors: ETIMEDOUT,
 * or the errno of a failed open or read (a card that went away).
 */
int
mic_wait(const char *card, int (*done)(const struct mic_cardstate *, void *),
    void *arg, int timeout_ms, struct mic_cardstate *csp)
{
	struct pollfd pfd[2];
	struct mic_cardstate cs;
	int rv, serrno;

	if (done == NULL) {
		errno = EINVAL;
		return (-1);
	}
	rv = -1;
	pfd[1].fd = -1;
	if ((pfd[0].fd = mic_sysfs_open(card, "state", O_RDONLY)) == -1)
		return (-1);
	pfd[1].fd = mic_sysfs_open(card, "shutdown_status", O_RDONLY);
	if (pfd[1].fd != -1) {
		pfd[0].events = pfd[1].events = POLLPRI | POLLERR;
		cs.cs_state = MIC_STATE_UNKNOWN;
		cs.cs_shutdown = MIC_SHUTDOWN_UNKNOWN;
		rv = mic_wait_loop(pfd, done, arg, timeout_ms, &cs);
		if (csp != NULL && (rv == 0 || errno == ETIMEDOUT))
			*csp = cs;
	}
	serrno = errno;
	close(pfd[0].fd);
	if (pfd[1].fd != -1)
		close(pfd[1].fd);
	errno = serrno;
	return (rv);
}

static int
mic_wait_inmask(const struct mic_cardstate *csp, void *arg)
{
	const unsigned int *maskp = arg;

	return (csp->cs_state != MIC_STATE_UNKNOWN &&
	    (*maskp & MIC_STATE_MASK(csp->cs_state)) != 0);
}

/*
 * Wait, as mic_wait() does, until the state of card is one of mask (a set
 * of MIC_STATE_MASK() bits); store the last state read in *sp if sp is not
 * NULL, on success and on ETIMEDOUT.
 */
int
mic_wait_state(const char *card, unsigned int mask, int timeout_ms,
    enum mic_state *sp)
{
	struct mic_cardstate cs;
	int rv;

	rv = mic_wait(card, mic_wait_inmask, &mask, timeout_ms, &cs);
	if (sp != NULL && (rv == 0 || errno == ETIMEDOUT))
		*sp = cs.cs_state;
	return (rv);
}
