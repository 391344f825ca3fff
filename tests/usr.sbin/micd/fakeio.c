/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fakes the backend tests share (fakeio.h): card_io_add(),
 * card_io_events() and card_io_del() record the backend's descriptor in
 * fakeio; vio_open(), vio_close(), vio_isopen(), vio_copy(), card_tx() and
 * card_rx() play the card's side of the device in fakecard.
 */

#include <sys/uio.h>

#include <atf-c.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "mic.h"
#include "micd.h"
#include "fakeio.h"

struct fakeio fakeio = { .fd = -1 };
struct fakecard fakecard;

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

int
vio_open(struct vio *v)
{
	v->v_fd = 1000;
	fakecard.open = 1;
	fakecard.opens++;
	return (0);
}

void
vio_close(struct vio *v, const char *why)
{
	(void)why;
	v->v_fd = -1;
	fakecard.open = 0;
	fakecard.held = 0;
}

int
vio_isopen(const struct vio *v)
{
	return (v->v_fd != -1);
}

/* The card sends p, len bytes, as one chain. */
void
card_tx(const void *p, size_t len)
{
	card_tx_back(p, len, 0);
}

/*
 * The same, with wlen writable bytes after them, where micd's bytes go
 * into fakecard.back.
 */
void
card_tx_back(const void *p, size_t len, size_t wlen)
{
	ATF_REQUIRE(fakecard.txtail < FAKEIO_CHAINS);
	ATF_REQUIRE((fakecard.tx[fakecard.txtail] = malloc(len + 1)) != NULL);
	memcpy(fakecard.tx[fakecard.txtail], p, len);
	fakecard.txwlen[fakecard.txtail] = wlen;
	fakecard.txlen[fakecard.txtail++] = len;
}

/* The first byte micd wrote into a transmit chain that is not zero. */
size_t
card_back_nonzero(void)
{
	size_t i;

	for (i = 0; i < fakecard.backlen; i++)
		if (fakecard.back[i] != 0)
			break;
	return (i);
}

/* The card posts a receive buffer of len bytes. */
void
card_rx(size_t len)
{
	ATF_REQUIRE(fakecard.rxtail < FAKEIO_CHAINS);
	fakecard.rx[fakecard.rxtail++] = len;
}

/* Copy from the chain p, len bytes, into iov: the bytes copied. */
static size_t
fake_scatter(const char *p, size_t len, struct iovec *iov, size_t iovcnt)
{
	size_t i, n, done;

	for (i = done = 0; i < iovcnt && done < len; i++) {
		n = iov[i].iov_len < len - done ? iov[i].iov_len : len - done;
		memcpy(iov[i].iov_base, p + done, n);
		done += n;
	}
	return (done);
}

/* Copy from iov, past its first skip bytes, into p: the bytes copied. */
static size_t
fake_gather(char *p, size_t len, const struct iovec *iov, size_t iovcnt,
    size_t skip)
{
	size_t i, n, done;

	for (i = done = 0; i < iovcnt && done < len; i++) {
		if (skip >= iov[i].iov_len) {
			skip -= iov[i].iov_len;
			continue;
		}
		n = iov[i].iov_len - skip;
		if (n > len - done)
			n = len - done;
		memcpy(p + done, (const char *)iov[i].iov_base + skip, n);
		done += n;
		skip = 0;
	}
	return (done);
}

/*
 * COPY_DESC: ring 1 gives the card's chains whole (then takes what
 * follows in the iovecs into its writable bytes, if it has any); on ring 0 a copy of
 * nothing holds the next receive buffer, anything else fills it.
 */
int
vio_copy(struct vio *v, unsigned int r, struct iovec *iov, size_t iovcnt,
    int update, size_t *lenp)
{
	size_t w;

	*lenp = 0;
	ATF_REQUIRE(v->v_fd != -1);
	ATF_REQUIRE(fakecard.iovmax == 0 || iovcnt <= fakecard.iovmax);
	if (r == 1) {
		ATF_CHECK(update);
		if (fakecard.txhead == fakecard.txtail)
			return (0);
		*lenp = fake_scatter(fakecard.tx[fakecard.txhead],
		    fakecard.txlen[fakecard.txhead], iov, iovcnt);
		w = fakecard.txwlen[fakecard.txhead];
		ATF_REQUIRE(fakecard.backlen + w <= FAKEIO_BACK);
		w = fake_gather(fakecard.back + fakecard.backlen, w, iov,
		    iovcnt, *lenp);
		fakecard.backlen += w;
		*lenp += w;
		free(fakecard.tx[fakecard.txhead++]);
		return (0);
	}
	ATF_REQUIRE_EQ(r, 0);
	if (fakecard.rxhead == fakecard.rxtail)
		return (0);
	if (iovcnt == 0) {
		ATF_CHECK(!update);
		fakecard.holds++;
		fakecard.held = 1;
		return (0);
	}
	ATF_CHECK(update);
	*lenp = card_received(fakecard.rx[fakecard.rxhead++], iov, iovcnt);
	fakecard.held = 0;
	return (0);
}
