/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micemu's one poll loop: sockets, eventfds and signals of every card.
 */
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "micemu.h"

struct watch {
	int		  w_fd;
	void		(*w_fn)(void *, int, short);
	void		 *w_arg;
};

static struct watch	*watches;
static size_t		 nwatches, capwatches;
static int		 loop_done, loop_status;

static int	loop_alive(const struct watch *);

int
loop_add(int fd, void (*fn)(void *, int, short), void *arg)
{
	struct watch *w;

	if (nwatches == capwatches) {
		capwatches = capwatches ? capwatches * 2 : 64;
		w = reallocarray(watches, capwatches, sizeof(*w));
		if (w == NULL) {
			warn(NULL);
			return (-1);
		}
		watches = w;
	}
	w = &watches[nwatches++];
	w->w_fd = fd;
	w->w_fn = fn;
	w->w_arg = arg;
	return (0);
}

void
loop_del(int fd)
{
	size_t i;

	for (i = 0; i < nwatches; i++) {
		if (watches[i].w_fd == fd) {
			watches[i] = watches[--nwatches];
			return;
		}
	}
}

void
loop_quit(int status)
{
	if (!loop_done)
		loop_status = status;
	loop_done = 1;
}

/* Callbacks may add and remove watches: poll a copy, check each. */
int
loop_run(void)
{
	struct pollfd *pfd = NULL;
	struct watch *snap = NULL;
	size_t i, n;

	while (!loop_done) {
		n = nwatches;
		pfd = reallocarray(pfd, n, sizeof(*pfd));
		snap = reallocarray(snap, n, sizeof(*snap));
		if (pfd == NULL || snap == NULL)
			err(1, NULL);
		memcpy(snap, watches, n * sizeof(*snap));
		for (i = 0; i < n; i++) {
			pfd[i].fd = snap[i].w_fd;
			pfd[i].events = POLLIN;
		}
		if (poll(pfd, n, -1) == -1) {
			if (errno != EINTR)
				err(1, "poll");
			continue;
		}
		for (i = 0; i < n && !loop_done; i++)
			if (pfd[i].revents != 0 && loop_alive(&snap[i]))
				snap[i].w_fn(snap[i].w_arg, snap[i].w_fd,
				    pfd[i].revents);
	}
	free(pfd);
	free(snap);
	return (loop_status);
}

static int
loop_alive(const struct watch *w)
{
	size_t i;

	for (i = 0; i < nwatches; i++)
		if (watches[i].w_fd == w->w_fd && watches[i].w_fn == w->w_fn &&
		    watches[i].w_arg == w->w_arg)
			return (1);
	return (0);
}
