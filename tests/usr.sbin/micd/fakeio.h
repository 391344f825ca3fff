/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the backend tests fake (fakeio.c): the card process's poll loop
 * (the one descriptor a backend added with card_io_add(), its events and
 * handler), and the card's side of a two-ring device: the chains the card
 * sends (ring 1) and what micd writes into those that also have writable
 * buffers, the sizes of the buffers it posts (ring 0), whether micd holds
 * one, vio_open()/vio_close() and vio_copy() of the device.
 * Each test supplies card_received(), which takes what micd gives a
 * receive buffer.  Include after "micd.h".
 */

#ifndef FAKEIO_H
#define FAKEIO_H

struct fakeio {
	int		 fd;		/* -1: none */
	short		 events;
	void		(*fn)(struct card *, int, short, void *);
	void		*arg;
};

#define FAKEIO_CHAINS	1024
#define FAKEIO_BACK	(256 * 1024)

struct fakecard {
	int		 open;		/* the device is added */
	int		 opens;		/* vio_open() calls */
	char		*tx[FAKEIO_CHAINS];	/* chains, card to host */
	size_t		 txlen[FAKEIO_CHAINS];
	size_t		 txwlen[FAKEIO_CHAINS];	/* writable bytes after */
	char		 back[FAKEIO_BACK];	/* what micd wrote there */
	size_t		 backlen;
	size_t		 txhead, txtail;
	size_t		 rx[FAKEIO_CHAINS];	/* buffer sizes, host to card */
	size_t		 rxhead, rxtail;
	int		 held;		/* micd holds a receive buffer */
	int		 holds;		/* COPY_DESC of nothing */
	size_t		 iovmax;	/* iovecs a COPY_DESC may have; 0: any */
};

extern struct fakeio	fakeio;
extern struct fakecard	fakecard;

void	card_tx(const void *, size_t);
void	card_tx_back(const void *, size_t, size_t);
size_t	card_back_nonzero(void);
void	card_rx(size_t);
size_t	card_received(size_t, struct iovec *, size_t);

#endif /* !FAKEIO_H */
