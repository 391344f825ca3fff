/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The card process's poll loop, as the backend tests see it: the one
 * descriptor a backend added with card_io_add(), its events and handler
 * (fakeio.c).  Include after "micd.h".
 */

#ifndef FAKEIO_H
#define FAKEIO_H

struct fakeio {
	int		 fd;		/* -1: none */
	short		 events;
	void		(*fn)(struct card *, int, short, void *);
	void		*arg;
};

extern struct fakeio fakeio;

#endif /* !FAKEIO_H */
