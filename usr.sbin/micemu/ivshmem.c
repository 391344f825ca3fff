/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ivshmem server protocol (QEMU's docs/specs/ivshmem-spec.rst), one
 * server per card.  Every message is a little-endian int64, some carry
 * one file descriptor (SCM_RIGHTS).  To a new client: the protocol
 * version (0), its peer id, -1 with the shared memory, then for every
 * other peer its id once per vector with that vector's eventfd, then
 * its own id likewise with its own eventfds.  The other clients get the
 * new id with its eventfds; when a client goes, they get its id alone.
 *
 * A server has three peers: micemu (id 0), the host guest (id 1) and
 * the card guest, which gets a new id each time it connects, from 2 on:
 * QEMU frees a peer's eventfds when it goes, and would use them after
 * free if the same id came back.  micemu's own eventfds are in the poll
 * loop, so the guests can ring it like any peer.
 */
#define _GNU_SOURCE		/* struct ucred, accept4() */

#include <sys/eventfd.h>
#include <sys/socket.h>

#include <endian.h>
#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "micemu.h"

#define IVSHMEM_PROTOCOL	0
#define IVSHMEM_MAXID		65535

static void	ivshmem_accept(void *, int, short);
static void	ivshmem_input(void *, int, short);
static void	ivshmem_vector(void *, int, short);
static int	ivshmem_send(int, int64_t, int);
static int	ivshmem_send_peer(int, const struct peer *);
static int	ivshmem_setup(struct ivserver *, int, int);
static int	ivshmem_eventfds(struct peer *);
static void	ivshmem_closefds(struct peer *);

static const char *ivshmem_roles[PEER_COUNT] = { "micemu", "host", "card" };

int
ivshmem_open(struct ivserver *iv, const char *path, int shmfd)
{
	int i, v;

	for (i = 0; i < PEER_COUNT; i++) {
		iv->iv_peer[i].p_id = i;
		iv->iv_peer[i].p_sock = -1;
		for (v = 0; v < MICEMU_NVEC; v++)
			iv->iv_peer[i].p_efd[v] = -1;
	}
	iv->iv_nextid = PEER_CARD;
	iv->iv_shmfd = shmfd;
	if ((iv->iv_lsock = listen_unix(path, iv->iv_name)) == -1)
		return (-1);
	if (ivshmem_eventfds(&iv->iv_peer[PEER_EMU]) == -1)
		return (-1);
	for (v = 0; v < MICEMU_NVEC; v++)
		if (loop_add(iv->iv_peer[PEER_EMU].p_efd[v], ivshmem_vector,
		    iv) == -1)
			return (-1);
	return (loop_add(iv->iv_lsock, ivshmem_accept, iv));
}

void
ivshmem_close(struct ivserver *iv)
{
	int v;

	ivshmem_drop(iv, PEER_CARD);
	ivshmem_drop(iv, PEER_HOST);
	for (v = 0; v < MICEMU_NVEC; v++)
		if (iv->iv_peer[PEER_EMU].p_efd[v] != -1)
			loop_del(iv->iv_peer[PEER_EMU].p_efd[v]);
	ivshmem_closefds(&iv->iv_peer[PEER_EMU]);
	if (iv->iv_lsock != -1) {
		loop_del(iv->iv_lsock);
		(void)close(iv->iv_lsock);
		iv->iv_lsock = -1;
	}
}

/* Ring vector vec of peer role; a peer that is not there misses it. */
int
ivshmem_ring(struct ivserver *iv, int role, int vec)
{
	uint64_t one = 1;
	int fd;

	fd = iv->iv_peer[role].p_efd[vec];
	if (fd == -1)
		return (-1);
	if (write(fd, &one, sizeof(one)) != sizeof(one) && errno != EAGAIN) {
		warn("%s: ring %s", iv->iv_name, ivshmem_roles[role]);
		return (-1);
	}
	return (0);
}

/* Forget a client: close its connection, tell the others it is gone. */
void
ivshmem_drop(struct ivserver *iv, int role)
{
	struct peer *p = &iv->iv_peer[role];
	int i;

	if (p->p_sock == -1)
		return;
	loop_del(p->p_sock);
	(void)close(p->p_sock);
	p->p_sock = -1;
	ivshmem_closefds(p);
	for (i = PEER_HOST; i < PEER_COUNT; i++)
		if (iv->iv_peer[i].p_sock != -1)
			(void)ivshmem_send(iv->iv_peer[i].p_sock, p->p_id, -1);
	vlog("%s: ivshmem: %s (peer %d) disconnected", iv->iv_name,
	    ivshmem_roles[role], p->p_id);
	iv->iv_change(iv->iv_arg, role, -1);
}

static void
ivshmem_accept(void *arg, int fd, short revents)
{
	struct ivserver *iv = arg;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int s, role;

	(void)revents;
	s = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (s == -1) {
		if (errno != EAGAIN && errno != EINTR)
			warn("%s: accept", iv->iv_name);
		return;
	}
	role = -1;
	if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
		role = iv->iv_role(iv->iv_arg, cred.pid);
	if (role == -1 || iv->iv_peer[role].p_sock != -1 ||
	    iv->iv_nextid > IVSHMEM_MAXID) {
		warnx("%s: ivshmem: connection refused: not a guest of "
		    "micemu, a second one, or out of peer ids", iv->iv_name);
		(void)close(s);
		return;
	}
	if (role == PEER_CARD)
		iv->iv_peer[role].p_id = iv->iv_nextid++;
	if (ivshmem_setup(iv, s, role) == -1) {
		ivshmem_closefds(&iv->iv_peer[role]);
		(void)close(s);
		return;
	}
	iv->iv_peer[role].p_sock = s;
	if (loop_add(s, ivshmem_input, iv) == -1) {
		ivshmem_drop(iv, role);
		return;
	}
	vlog("%s: ivshmem: %s connected, peer %d", iv->iv_name,
	    ivshmem_roles[role], iv->iv_peer[role].p_id);
	iv->iv_change(iv->iv_arg, role, iv->iv_peer[role].p_id);
}

/* The handshake of a new client, and its news to the others. */
static int
ivshmem_setup(struct ivserver *iv, int s, int role)
{
	struct peer *p = &iv->iv_peer[role];
	int i;

	if (ivshmem_eventfds(p) == -1)
		return (-1);
	if (ivshmem_send(s, IVSHMEM_PROTOCOL, -1) == -1 ||
	    ivshmem_send(s, p->p_id, -1) == -1 ||
	    ivshmem_send(s, -1, iv->iv_shmfd) == -1)
		goto fail;
	for (i = 0; i < PEER_COUNT; i++) {
		if (i == role || iv->iv_peer[i].p_efd[0] == -1)
			continue;
		if (ivshmem_send_peer(s, &iv->iv_peer[i]) == -1)
			goto fail;
	}
	if (ivshmem_send_peer(s, p) == -1)
		goto fail;
	for (i = PEER_HOST; i < PEER_COUNT; i++)
		if (i != role && iv->iv_peer[i].p_sock != -1)
			(void)ivshmem_send_peer(iv->iv_peer[i].p_sock, p);
	return (0);
fail:
	warn("%s: ivshmem: %s", iv->iv_name, ivshmem_roles[role]);
	return (-1);
}

/* A client never talks; input means it went away. */
static void
ivshmem_input(void *arg, int fd, short revents)
{
	struct ivserver *iv = arg;
	char buf[64];
	ssize_t n;
	int role;

	(void)revents;
	n = read(fd, buf, sizeof(buf));
	if (n > 0 || (n == -1 && (errno == EAGAIN || errno == EINTR)))
		return;
	for (role = PEER_HOST; role < PEER_COUNT; role++)
		if (iv->iv_peer[role].p_sock == fd)
			ivshmem_drop(iv, role);
}

/* One of micemu's own eventfds: a guest rang micemu. */
static void
ivshmem_vector(void *arg, int fd, short revents)
{
	struct ivserver *iv = arg;
	uint64_t count;
	int v;

	(void)revents;
	if (read(fd, &count, sizeof(count)) != sizeof(count))
		return;
	for (v = 0; v < MICEMU_NVEC; v++)
		if (iv->iv_peer[PEER_EMU].p_efd[v] == fd)
			iv->iv_ring(iv->iv_arg, v);
}

static int
ivshmem_send(int s, int64_t val, int fd)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cmsg;
	struct msghdr msg;
	struct iovec iov;
	uint64_t le = htole64((uint64_t)val);

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &le;
	iov.iov_len = sizeof(le);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fd != -1) {
		memset(&cmsg, 0, sizeof(cmsg));
		msg.msg_control = cmsg.buf;
		msg.msg_controllen = sizeof(cmsg.buf);
		cmsg.hdr.cmsg_level = SOL_SOCKET;
		cmsg.hdr.cmsg_type = SCM_RIGHTS;
		cmsg.hdr.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&cmsg.hdr), &fd, sizeof(int));
	}
	if (sendmsg(s, &msg, MSG_NOSIGNAL) != sizeof(le))
		return (-1);
	return (0);
}

/* Peer id once per vector, each time with that vector's eventfd. */
static int
ivshmem_send_peer(int s, const struct peer *p)
{
	int v;

	for (v = 0; v < MICEMU_NVEC; v++)
		if (ivshmem_send(s, p->p_id, p->p_efd[v]) == -1)
			return (-1);
	return (0);
}

static int
ivshmem_eventfds(struct peer *p)
{
	int v;

	for (v = 0; v < MICEMU_NVEC; v++) {
		p->p_efd[v] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (p->p_efd[v] == -1) {
			warn("eventfd");
			ivshmem_closefds(p);
			return (-1);
		}
	}
	return (0);
}

static void
ivshmem_closefds(struct peer *p)
{
	int v;

	for (v = 0; v < MICEMU_NVEC; v++) {
		if (p->p_efd[v] != -1)
			(void)close(p->p_efd[v]);
		p->p_efd[v] = -1;
	}
}
