/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * card_io_add(), card_io_events() and card_io_del() for the backend
 * tests: they record the one descriptor of the backend in fakeio.
 */

#include <atf-c.h>
#include <poll.h>

#include "mic.h"
#include "micd.h"
#include "fakeio.h"

struct fakeio fakeio = { .fd = -1 };

int
card_io_add(struct card *c, int fd, short events,
    void (*fn)(struct card *, int, short, void *), void *arg)
{
	(void)c;
	fakeio.fd = fd;
	fakeio.events = events;
	fakeio.fn = fn;
	fakeio.arg = arg;
	return (0);
}

void
card_io_events(struct card *c, int fd, short events)
{
	(void)c;
	ATF_CHECK_EQ(fd, fakeio.fd);
	fakeio.events = events;
}

void
card_io_del(struct card *c, int fd)
{
	(void)c;
	ATF_CHECK_EQ(fd, fakeio.fd);
	fakeio.fd = -1;
}
