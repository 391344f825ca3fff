/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A bounded byte queue over a caller's array, for the data a backend holds
 * between a descriptor and a ring: filled and emptied in place, through at
 * most two iovecs (the queue wraps), with no allocation.  A queue that is
 * full either refuses more (iobuf_room() says so) or, with iobuf_put(),
 * drops its oldest bytes to make room.
 */

#include <sys/uio.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "mic.h"
#include "micd.h"

static size_t	iobuf_pieces(const struct iobuf *, size_t, size_t,
		    struct iovec *);

/* An empty queue over the size bytes at data. */
void
iobuf_init(struct iobuf *b, char *data, size_t size)
{
	b->b_data = data;
	b->b_size = size;
	b->b_off = 0;
	b->b_len = 0;
	b->b_dropped = 0;
}

void
iobuf_clear(struct iobuf *b)
{
	b->b_off = 0;
	b->b_len = 0;
}

size_t
iobuf_len(const struct iobuf *b)
{
	return (b->b_len);
}

size_t
iobuf_room(const struct iobuf *b)
{
	return (b->b_size - b->b_len);
}

/* The len bytes from offset off of the array, wrapped: 0 to 2 iovecs. */
static size_t
iobuf_pieces(const struct iobuf *b, size_t off, size_t len, struct iovec *iov)
{
	size_t first;

	if (len == 0)
		return (0);
	off %= b->b_size;
	first = b->b_size - off < len ? b->b_size - off : len;
	iov[0].iov_base = b->b_data + off;
	iov[0].iov_len = first;
	if (first == len)
		return (1);
	iov[1].iov_base = b->b_data;
	iov[1].iov_len = len - first;
	return (2);
}

/* The queued bytes, oldest first, in iov[2]; returns the iovec count. */
size_t
iobuf_data(const struct iobuf *b, struct iovec *iov)
{
	return (iobuf_pieces(b, b->b_off, b->b_len, iov));
}

/* The free space, in iov[2]; returns the iovec count. */
size_t
iobuf_space(const struct iobuf *b, struct iovec *iov)
{
	return (iobuf_pieces(b, b->b_off + b->b_len, iobuf_room(b), iov));
}

/* Forget the n oldest bytes (n at most iobuf_len()). */
void
iobuf_consume(struct iobuf *b, size_t n)
{
	if (n > b->b_len)
		n = b->b_len;
	b->b_len -= n;
	b->b_off = b->b_len == 0 ? 0 : (b->b_off + n) % b->b_size;
}

/* Count n bytes written into the space that iobuf_space() gave. */
void
iobuf_produce(struct iobuf *b, size_t n)
{
	if (n > iobuf_room(b))
		n = iobuf_room(b);
	b->b_len += n;
}

/*
 * Append the len bytes at p, dropping the oldest queued bytes, and then
 * the oldest of p, as far as needed to make room.  Returns the number of
 * bytes dropped, also added to b_dropped.
 */
size_t
iobuf_put(struct iobuf *b, const char *p, size_t len)
{
	struct iovec iov[2];
	size_t dropped, i, n;

	dropped = 0;
	if (len > b->b_size) {
		dropped = len - b->b_size;
		p += dropped;
		len = b->b_size;
	}
	if (len > iobuf_room(b)) {
		n = len - iobuf_room(b);
		iobuf_consume(b, n);
		dropped += n;
	}
	n = iobuf_space(b, iov);
	for (i = 0; i < n && len > 0; i++) {
		if (iov[i].iov_len > len)
			iov[i].iov_len = len;
		memcpy(iov[i].iov_base, p, iov[i].iov_len);
		p += iov[i].iov_len;
		len -= iov[i].iov_len;
		iobuf_produce(b, iov[i].iov_len);
	}
	b->b_dropped += dropped;
	return (dropped);
}

/*
 * Fill the free space from fd: the number of bytes read, 0 at end of file
 * (or when the queue is full), -1 with errno set (EAGAIN: nothing now).
 */
ssize_t
iobuf_read(struct iobuf *b, int fd)
{
	struct iovec iov[2];
	size_t n;
	ssize_t r;

	if ((n = iobuf_space(b, iov)) == 0)
		return (0);
	if ((r = readv(fd, iov, (int)n)) > 0)
		iobuf_produce(b, (size_t)r);
	return (r);
}

/*
 * Write the queued bytes to fd, as many as it takes: the number written,
 * or -1 with errno set (EAGAIN: fd takes nothing now).
 */
ssize_t
iobuf_write(struct iobuf *b, int fd)
{
	struct iovec iov[2];
	size_t n;
	ssize_t w;

	if ((n = iobuf_data(b, iov)) == 0)
		return (0);
	if ((w = writev(fd, iov, (int)n)) > 0)
		iobuf_consume(b, (size_t)w);
	return (w);
}
