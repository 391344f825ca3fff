/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What a card process asks of the parent, which keeps root: a file it
 * cannot open from its sandbox (/dev/micN for each new device, a disk
 * image, the console log, each passed back with SCM_RIGHTS), and the
 * privileged acts (the tap's address, boot and reset).  One request at a
 * time: the card process waits for the reply.  Each function returns a
 * descriptor or 0, or -1 with errno set (the parent's error, or EPROTO
 * for a reply that makes no sense); the caller logs.
 */

#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "mic.h"
#include "micd.h"

static int	priv_call(struct card *, uint32_t, const void *, size_t,
		    const void *, size_t, int *);
static int	priv_reply(int *);
static int	priv_open(struct card *, uint32_t, const void *, size_t,
		    const void *, size_t);

static int	priv_fd = -1;	/* the request channel */

void
priv_init(int fd)
{
	priv_fd = fd;
}

/*
 * Send one message on sock, parent to card process or back: the header
 * (type, card, the length of the data), the n buffers of data, and the
 * descriptor fd unless it is -1.  send(2) flags add to MSG_NOSIGNAL.
 * Without a descriptor, the message is sent with send(2), the one way
 * out that the card process's filter allows (no address, no sendmsg(2)),
 * and it must fit in MICD_REQ_MAX bytes of data.  Safe in a signal
 * handler.
 */
int
priv_send(int sock, uint32_t type, uint32_t card, const struct iovec *data,
    int n, int fd, int flags)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct micd_msg m;
	struct msghdr mh;
	struct cmsghdr *cmp;
	struct iovec iov[1 + PRIV_IOV_MAX];
	char buf[sizeof(struct micd_msg) + MICD_REQ_MAX];
	size_t len;
	ssize_t rv;
	int i;

	if (n < 0 || n > PRIV_IOV_MAX) {
		errno = EINVAL;
		return (-1);
	}
	m.m_type = type;
	m.m_card = card;
	m.m_len = 0;
	iov[0].iov_base = &m;
	iov[0].iov_len = sizeof(m);
	for (i = 0; i < n; i++) {
		iov[1 + i] = data[i];
		m.m_len += (uint32_t)data[i].iov_len;
	}
	if (fd == -1 && m.m_len <= MICD_REQ_MAX) {
		for (i = 0, len = 0; i <= n; i++) {
			memcpy(buf + len, iov[i].iov_base, iov[i].iov_len);
			len += iov[i].iov_len;
		}
		while ((rv = send(sock, buf, len, MSG_NOSIGNAL | flags)) ==
		    -1 && errno == EINTR)
			continue;
		return (rv == -1 ? -1 : 0);
	}
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = 1 + n;
	if (fd != -1) {
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		cmp = CMSG_FIRSTHDR(&mh);
		cmp->cmsg_level = SOL_SOCKET;
		cmp->cmsg_type = SCM_RIGHTS;
		cmp->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmp), &fd, sizeof(fd));
	}
	while ((rv = sendmsg(sock, &mh, MSG_NOSIGNAL | flags)) == -1 &&
	    errno == EINTR)
		continue;
	return (rv == -1 ? -1 : 0);
}

/*
 * Send request type with the bytes of a and b, and wait for the reply;
 * with fdp, the reply must carry a descriptor, stored there.
 */
static int
priv_call(struct card *c, uint32_t type, const void *a, size_t alen,
    const void *b, size_t blen, int *fdp)
{
	struct iovec iov[2];

	iov[0].iov_base = (void *)(uintptr_t)a;
	iov[0].iov_len = alen;
	iov[1].iov_base = (void *)(uintptr_t)b;
	iov[1].iov_len = blen;
	if (priv_send(priv_fd, type, (uint32_t)c->c_unit, iov, 2, -1, 0) ==
	    -1)
		return (-1);
	return (priv_reply(fdp));
}

/* Receive the reply to a request. */
static int
priv_reply(int *fdp)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct micd_msg m;
	struct msghdr mhs, *mh = &mhs;
	struct cmsghdr *cmp;
	struct iovec iov[2];
	int32_t err;
	ssize_t n;
	int fd;

	iov[0].iov_base = &m;
	iov[0].iov_len = sizeof(m);
	iov[1].iov_base = &err;
	iov[1].iov_len = sizeof(err);
	memset(mh, 0, sizeof(*mh));
	mh->msg_iov = iov;
	mh->msg_iovlen = 2;
	mh->msg_control = cm.buf;
	mh->msg_controllen = sizeof(cm.buf);
	while ((n = recvmsg(priv_fd, mh, MSG_CMSG_CLOEXEC)) == -1 &&
	    errno == EINTR)
		continue;
	if (n <= 0) {
		if (n == 0)
			errno = EPIPE;
		return (-1);
	}
	fd = -1;
	cmp = CMSG_FIRSTHDR(mh);
	if (cmp != NULL && cmp->cmsg_level == SOL_SOCKET &&
	    cmp->cmsg_type == SCM_RIGHTS &&
	    cmp->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(cmp), sizeof(fd));
	if ((size_t)n != sizeof(m) + sizeof(err) ||
	    m.m_type != MICD_MSG_REPLY || m.m_len != sizeof(err) ||
	    (mh->msg_flags & MSG_CTRUNC) != 0 ||
	    (err == 0 && (fdp != NULL) != (fd != -1))) {
		if (fd != -1)
			(void)close(fd);
		errno = EPROTO;
		return (-1);
	}
	if (err != 0) {
		if (fd != -1)
			(void)close(fd);
		errno = err;
		return (-1);
	}
	if (fdp != NULL)
		*fdp = fd;
	return (0);
}

/* A request whose answer is a file: the descriptor, or -1. */
static int
priv_open(struct card *c, uint32_t type, const void *a, size_t alen,
    const void *b, size_t blen)
{
	int fd;

	return (priv_call(c, type, a, alen, b, blen, &fd) == -1 ? -1 : fd);
}

/* A new open file of /dev/micN: read-write, nonblocking, close-on-exec. */
int
priv_open_dev(struct card *c)
{
	return (priv_open(c, MICD_MSG_OPEN_DEV, NULL, 0, NULL, 0));
}

/* Disk path of the card (read-only or not) open, without its lock. */
int
priv_open_disk(struct card *c, const char *path, int readonly)
{
	uint32_t ro;

	ro = readonly != 0;
	return (priv_open(c, MICD_MSG_OPEN_DISK, &ro, sizeof(ro), path,
	    strlen(path)));
}

/* The card's console log, open for appending (its directory made). */
int
priv_open_conslog(struct card *c)
{
	return (priv_open(c, MICD_MSG_OPEN_CONSLOG, NULL, 0, NULL, 0));
}

/* Give the card's tap the host address of the settings, and bring it up. */
int
priv_tap_address(struct card *c)
{
	return (priv_call(c, MICD_MSG_TAP_ADDRESS, NULL, 0, NULL, 0, NULL));
}

/* Write the boot settings, then boot; the parent logs a failure. */
int
priv_boot(struct card *c)
{
	return (priv_call(c, MICD_MSG_BOOT, NULL, 0, NULL, 0, NULL));
}

/* Reset the card; the parent logs a failure. */
int
priv_reset(struct card *c)
{
	return (priv_call(c, MICD_MSG_RESET, NULL, 0, NULL, 0, NULL));
}
