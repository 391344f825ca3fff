/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * viocon: the card's virtio console (VIRTIO_ID_CONSOLE, no features, one
 * port) over a pty.  The pty lives as long as the card process, across
 * the card's boots, at a stable path: $MICD_RUNDIR/micN.console, a
 * symbolic link to the slave, which micconsole(8) opens (the parent
 * removes it when the card process has ended).  micd holds the
 * slave open itself, so that the master never polls as hung up while
 * nobody is attached, and keeps it raw.
 *
 * Ring 1 (the card's transmitq) is drained into the pty master and the
 * console log; when nobody reads the pty, the oldest output is dropped
 * (the log still gets everything), so the card never waits for micd.
 * The buffer a transmit chain is copied into is cleared after each
 * chain, so that a chain with writable buffers too gets zeros there,
 * never the card's earlier output.
 * Ring 0 (the card's receiveq) gets what is written to the pty: with data
 * and a chain, the chain is filled and completed; with no data, micd holds
 * the next chain (COPY_DESC of nothing) so that the ring does not keep the
 * device readable; with data and no chain, the data waits in a bounded
 * buffer, and the pty is not read while that is full.
 */

#define _XOPEN_SOURCE	700	/* posix_openpt() in glibc, for the tests */

#include <sys/stat.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <linux/virtio_console.h>
#include <linux/virtio_ids.h>

#include "mic.h"
#include "micd.h"

#define VIOCON_RX		0	/* ring: host to card */
#define VIOCON_TX		1	/* ring: card to host */
#define VIOCON_NUM		128	/* entries of each ring */
#define VIOCON_FEATLEN		4	/* 32 feature bits, none offered */
#define VIOCON_INBUF		4096	/* from the pty, for the card */
#define VIOCON_OUTBUF		(64 * 1024)	/* from the card, for the pty */
#define VIOCON_CHAIN_MAX	(64 * 1024)	/* a longer chain is cut */
#define VIOCON_DRAIN_MAX	(2 * VIOCON_NUM)	/* chains a wakeup */

struct viocon {
	struct vio	 vc_vio;
	int		 vc_master;	/* -1: no pty */
	int		 vc_slave;
	char		 vc_pts[PATH_MAX];	/* the slave */
	char		 vc_link[PATH_MAX];	/* to it; "": none */
	int		 vc_logfd;	/* -1: not open */
	int		 vc_logfailed;	/* reported: not again until a boot */
	struct iobuf	 vc_in;		/* from the pty, for the card */
	struct iobuf	 vc_out;	/* from the card, for the pty */
	char		 vc_inbuf[VIOCON_INBUF];
	char		 vc_outbuf[VIOCON_OUTBUF];
};

static void	viocon_init(struct card *);
static void	viocon_exit(struct card *);
static int	viocon_start(struct card *);
static void	viocon_stop(struct card *);
static void	viocon_config(struct card *, const struct cardconf *);
static int	viocon_pty(struct card *);
static int	viocon_link(struct card *);
static void	viocon_ready(struct vio *);
static void	viocon_master(struct card *, int, short, void *);
static void	viocon_events(struct card *);
static void	viocon_from_card(struct card *);
static void	viocon_to_card(void);
static void	viocon_output(struct card *, const char *, size_t);
static void	viocon_flush(void);
static void	viocon_log(struct card *, const char *, size_t);
static int	viocon_log_open(struct card *, const char *);
static void	viocon_log_close(void);

const struct backend viocon_backend = {
	.b_name = "console",
	.b_init = viocon_init,
	.b_exit = viocon_exit,
	.b_start = viocon_start,
	.b_stop = viocon_stop,
	.b_config = viocon_config
};

static struct viocon	viocon;		/* a card process serves one card */
static char		viocon_chain[VIOCON_CHAIN_MAX];	/* zero between */

/* The card process starts: the descriptor block, and the pty. */
static void
viocon_init(struct card *c)
{
	static const uint8_t feat[VIOCON_FEATLEN];
	struct virtio_console_config conf;
	struct vio *v;

	v = &viocon.vc_vio;
	v->v_card = c;
	v->v_name = viocon_backend.b_name;
	v->v_fd = -1;
	v->v_ready = viocon_ready;
	v->v_arg = &viocon;
	memset(&conf, 0, sizeof(conf));
	if (vio_desc(v, VIRTIO_ID_CONSOLE, 2, VIOCON_NUM, feat, sizeof(feat),
	    &conf, sizeof(conf)) == -1)
		fatal("%s: console: descriptor", c->c_name);
	iobuf_init(&viocon.vc_in, viocon.vc_inbuf, sizeof(viocon.vc_inbuf));
	iobuf_init(&viocon.vc_out, viocon.vc_outbuf,
	    sizeof(viocon.vc_outbuf));
	viocon.vc_logfd = -1;
	viocon.vc_master = viocon.vc_slave = -1;
	if (viocon_pty(c) == -1)
		return;
	if (viocon_link(c) == -1)
		return;
	log_info("%s: console: %s on %s", c->c_name, viocon.vc_link,
	    viocon.vc_pts);
}

/*
 * A pty: the master nonblocking, the slave held open by micd, raw, and
 * for root only (the card's console is a root shell).
 */
static int
viocon_pty(struct card *c)
{
	struct termios t;
	const char *name;
	int m, s;

	if ((m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1 ||
	    grantpt(m) == -1 || unlockpt(m) == -1 ||
	    (name = ptsname(m)) == NULL ||
	    snprintf(viocon.vc_pts, sizeof(viocon.vc_pts), "%s", name) >=
	    (int)sizeof(viocon.vc_pts) ||
	    fcntl(m, F_SETFL, O_NONBLOCK) == -1) {
		log_warn("%s: console: pty", c->c_name);
		if (m != -1)
			(void)close(m);
		return (-1);
	}
	s = open(viocon.vc_pts, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (s == -1 || fchmod(s, 0600) == -1 || tcgetattr(s, &t) == -1 ||
	    (cfmakeraw(&t), tcsetattr(s, TCSANOW, &t)) == -1) {
		log_warn("%s: console: %s", c->c_name, viocon.vc_pts);
		if (s != -1)
			(void)close(s);
		(void)close(m);
		return (-1);
	}
	if (card_io_add(c, m, POLLIN, viocon_master, NULL) == -1) {
		log_warn("%s: console: pty", c->c_name);
		(void)close(s);
		(void)close(m);
		return (-1);
	}
	viocon.vc_master = m;
	viocon.vc_slave = s;
	return (0);
}

/* The directory of the consoles' links: $MICD_RUNDIR, or MICD_RUNDIR. */
const char *
viocon_rundir(void)
{
	const char *dir;

	if ((dir = getenv(MICD_RUNDIR_ENV)) == NULL || *dir == '\0')
		dir = MICD_RUNDIR;
	return (dir);
}

/* $MICD_RUNDIR/micN.console: a link to the slave, replaced atomically. */
static int
viocon_link(struct card *c)
{
	char tmp[PATH_MAX + sizeof(".new")];
	const char *dir;
	int n;

	dir = viocon_rundir();
	n = snprintf(viocon.vc_link, sizeof(viocon.vc_link), "%s/%s.console",
	    dir, c->c_name);
	if (n < 0 || (size_t)n >= sizeof(viocon.vc_link)) {
		log_warnx("%s: console: %s: path too long", c->c_name, dir);
		viocon.vc_link[0] = '\0';
		return (-1);
	}
	(void)snprintf(tmp, sizeof(tmp), "%s.new", viocon.vc_link);
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		log_warn("%s: console: %s", c->c_name, dir);
	(void)unlink(tmp);
	if (symlink(viocon.vc_pts, tmp) == -1 ||
	    rename(tmp, viocon.vc_link) == -1) {
		log_warn("%s: console: %s", c->c_name, viocon.vc_link);
		(void)unlink(tmp);
		viocon.vc_link[0] = '\0';
		return (-1);
	}
	return (0);
}

/*
 * The card process ends: close the pty.  Its sandbox cannot remove the
 * link: the parent does, with viocon_unlink(), once the process is gone.
 */
static void
viocon_exit(struct card *c)
{
	(void)c;
	viocon_log_close();
	viocon.vc_link[0] = '\0';
	if (viocon.vc_master != -1) {
		card_io_del(c, viocon.vc_master);
		(void)close(viocon.vc_master);
		(void)close(viocon.vc_slave);
		viocon.vc_master = viocon.vc_slave = -1;
	}
}

/* The process of card name has ended: remove its console's link. */
void
viocon_unlink(const char *name)
{
	char link[PATH_MAX];
	int n;

	n = snprintf(link, sizeof(link), "%s/%s.console", viocon_rundir(),
	    name);
	if (n > 0 && (size_t)n < sizeof(link) && unlink(link) == -1 &&
	    errno != ENOENT)
		log_warn("%s: console: %s", name, link);
}

/* The card boots, or is up: add the device; a new log is opened. */
static int
viocon_start(struct card *c)
{
	(void)c;
	iobuf_clear(&viocon.vc_in);
	viocon.vc_logfailed = 0;
	return (vio_open(&viocon.vc_vio));
}

/* Before a reset, and at exit: remove the device; close the log. */
static void
viocon_stop(struct card *c)
{
	vio_close(&viocon.vc_vio, "removed");
	iobuf_clear(&viocon.vc_in);
	viocon_log_close();
	if (viocon.vc_master != -1)
		viocon_events(c);
}

/* A new configuration: a changed console log is opened at the next write. */
static void
viocon_config(struct card *c, const struct cardconf *old)
{
	const char *a, *b;

	a = old->cc_conslog;
	b = c->c_conf->cc_conslog;
	if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0)) {
		viocon_log_close();
		viocon.vc_logfailed = 0;
	}
}

/* The device is readable: serve both rings. */
static void
viocon_ready(struct vio *v)
{
	viocon_from_card(v->v_card);
	viocon_to_card();
	if (viocon.vc_master != -1)
		viocon_events(v->v_card);
}

/* Read the pty only while there is room; write it while there is data. */
static void
viocon_events(struct card *c)
{
	short ev;

	ev = 0;
	if (iobuf_room(&viocon.vc_in) > 0)
		ev |= POLLIN;
	if (iobuf_len(&viocon.vc_out) > 0)
		ev |= POLLOUT;
	card_io_events(c, viocon.vc_master, ev);
}

/* The pty master: input for the card, room for the card's output. */
static void
viocon_master(struct card *c, int fd, short revents, void *arg)
{
	(void)arg;
	if ((revents & (POLLIN | POLLHUP)) != 0 &&
	    iobuf_read(&viocon.vc_in, fd) > 0) {
		if (vio_isopen(&viocon.vc_vio))
			viocon_to_card();
		else
			iobuf_clear(&viocon.vc_in);	/* nobody to read it */
	}
	if ((revents & POLLOUT) != 0)
		viocon_flush();
	viocon_events(c);
}

/* Drain the card's transmitq into the log and the pty. */
static void
viocon_from_card(struct card *c)
{
	struct iovec iov;
	size_t len;
	int i;

	for (i = 0; i < VIOCON_DRAIN_MAX; i++) {
		iov.iov_base = viocon_chain;
		iov.iov_len = sizeof(viocon_chain);
		if (vio_copy(&viocon.vc_vio, VIOCON_TX, &iov, 1, 1, &len) ==
		    -1) {
			memset(viocon_chain, 0, sizeof(viocon_chain));
			return;
		}
		if (len == 0)
			return;
		viocon_log(c, viocon_chain, len);
		viocon_output(c, viocon_chain, len);
		memset(viocon_chain, 0, len);
	}
}

/*
 * Fill the card's receive buffers with what the pty gave; with nothing
 * (left) to give, hold the next buffer so that the ring does not keep the
 * device readable.
 */
static void
viocon_to_card(void)
{
	struct iovec iov[2];
	size_t len, n;

	while ((n = iobuf_data(&viocon.vc_in, iov)) > 0) {
		if (vio_copy(&viocon.vc_vio, VIOCON_RX, iov, n, 1, &len) == -1)
			return;
		if (len == 0)
			return;		/* no buffer: wait for the card */
		iobuf_consume(&viocon.vc_in, len);
	}
	(void)vio_copy(&viocon.vc_vio, VIOCON_RX, NULL, 0, 0, &len);
}

/*
 * Queue output of the card for the pty.  If the pty is not read, drop the
 * oldest: first what the slave holds unread, then the oldest queued here.
 */
static void
viocon_output(struct card *c, const char *p, size_t len)
{
	size_t dropped;

	if (viocon.vc_master == -1)
		return;
	if (len > iobuf_room(&viocon.vc_out))
		viocon_flush();
	if (len > iobuf_room(&viocon.vc_out) &&
	    tcflush(viocon.vc_slave, TCIFLUSH) == 0)
		viocon_flush();
	dropped = iobuf_put(&viocon.vc_out, p, len);
	if (dropped > 0)
		log_debug("%s: console: nobody reads it, %zu bytes dropped",
		    c->c_name, dropped);
	viocon_flush();
}

static void
viocon_flush(void)
{
	while (iobuf_len(&viocon.vc_out) > 0 &&
	    iobuf_write(&viocon.vc_out, viocon.vc_master) > 0)
		continue;
}

/* Append to the console log, which is opened at the first write. */
static void
viocon_log(struct card *c, const char *p, size_t len)
{
	const char *path;
	ssize_t n;

	if ((path = c->c_conf->cc_conslog) == NULL || viocon.vc_logfailed)
		return;
	if (viocon.vc_logfd == -1 && viocon_log_open(c, path) == -1)
		return;
	while (len > 0) {
		if ((n = write(viocon.vc_logfd, p, len)) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0) {
			log_warn("%s: console: %s", c->c_name, path);
			viocon_log_close();
			viocon.vc_logfailed = 1;
			return;
		}
		p += n;
		len -= (size_t)n;
	}
}

/*
 * Open a console log for appending, its directory made if it is missing
 * (the parent, for a card process): -1 with errno set.
 */
int
viocon_log_file(const char *path)
{
	char dir[PATH_MAX], *slash;
	int fd, flags;

	flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY;
	fd = open(path, flags, 0640);
	if (fd == -1 && errno == ENOENT &&
	    snprintf(dir, sizeof(dir), "%s", path) < (int)sizeof(dir) &&
	    (slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) == 0)
			fd = open(path, flags, 0640);
	}
	return (fd);
}

/* Have the card's log opened (by the parent) for appending. */
static int
viocon_log_open(struct card *c, const char *path)
{
	viocon.vc_logfd = priv_open_conslog(c);
	if (viocon.vc_logfd == -1) {
		log_warn("%s: console: %s", c->c_name, path);
		viocon.vc_logfailed = 1;
		return (-1);
	}
	return (0);
}

static void
viocon_log_close(void)
{
	if (viocon.vc_logfd != -1)
		(void)close(viocon.vc_logfd);
	viocon.vc_logfd = -1;
}
