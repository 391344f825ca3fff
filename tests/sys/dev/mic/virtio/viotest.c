/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * viotest: a test tool run in micemu's host guest.  It plays a small
 * virtio backend on /dev/micN, driven by commands on standard input, one
 * per line; it answers each on standard output with one line:
 *	add console		a console (2 rings) that offers
 *				VIRTIO_CONSOLE_F_SIZE, 80 columns, 25 rows
 *	add block sectors	a block device of that many 512-byte sectors
 *				that reads zeros and drops what is written
 *	config cols rows	MIC_VIRTIO_CONFIG_CHANGE of a console's size
 *	serve | stop		serve the rings, or leave requests pending
 *	status			the device status byte, from the mmap
 *	close			close the device (the card sees it removed)
 *	quit			exit
 * Answers are "ok ..." or "error: ...", so that a test can wait for
 * them.  The block device serves every request with one COPY_DESC of a
 * zeroed buffer: readable bytes go into it, writable ones (data, then the
 * status byte) come from its zeros, that is, success.  A console holds
 * one buffer of its input ring (a COPY_DESC of nothing), so that the ring
 * does not keep poll(2) readable.
 *	viotest micN
 */

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include <endian.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/mic_common.h>
#include <linux/mic_ioctl.h>

#define VIOTEST_NUM	128		/* entries of each ring */
#define VIOTEST_BUF	(4 << 20)	/* the most one chain moves */

#define VIRTIO_ID_BLOCK		2
#define VIRTIO_ID_CONSOLE	3
#define VIRTIO_CONSOLE_F_SIZE	0

struct viotest {
	char		 path[64];
	int		 fd;		/* -1: no device */
	int		 type;
	int		 nvq;
	int		 serve;
	uint8_t		*dp;		/* the device page, mapped */
	unsigned int	 off;		/* of our block in it */
	unsigned char	*buf;
};

static void	 answer(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
static int	 dev_add(struct viotest *, int, unsigned long long);
static void	 dev_close(struct viotest *);
static void	 dev_config(struct viotest *, unsigned int, unsigned int);
static int	 dev_drain(struct viotest *);
static void	 dev_status(struct viotest *);
static void	 command(struct viotest *, char *);

static void
answer(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void
put_le16(uint8_t *p, unsigned int v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

/* The ADD_DEVICE block of a console or a block device. */
static int
dev_add(struct viotest *v, int type, unsigned long long sectors)
{
	uint8_t blk[MIC_MAX_DESC_BLK_SIZE];
	struct mic_device_desc *d = (struct mic_device_desc *)blk;
	struct mic_vqconfig *vq;
	uint8_t *feat, *cfg;
	unsigned int i, cfglen;

	if (v->fd != -1) {
		answer("error: a device is open");
		return -1;
	}
	memset(blk, 0, sizeof(blk));
	d->type = type;
	d->num_vq = type == VIRTIO_ID_BLOCK ? 1 : 2;
	d->feature_len = 4;
	cfglen = type == VIRTIO_ID_BLOCK ? 8 : 12;
	d->config_len = cfglen;
	vq = (struct mic_vqconfig *)(d + 1);
	for (i = 0; i < d->num_vq; i++)
		vq[i].num = htole16(VIOTEST_NUM);
	feat = (uint8_t *)(vq + d->num_vq);
	cfg = feat + 2 * d->feature_len;
	if (type == VIRTIO_ID_CONSOLE) {
		feat[0] = 1 << VIRTIO_CONSOLE_F_SIZE;
		put_le16(cfg, 80);
		put_le16(cfg + 2, 25);
	} else {
		for (i = 0; i < 8; i++)
			cfg[i] = (sectors >> (8 * i)) & 0xff;
	}
	if ((v->fd = open(v->path, O_RDWR | O_CLOEXEC)) == -1) {
		answer("error: %s: %s", v->path, strerror(errno));
		return -1;
	}
	if (ioctl(v->fd, MIC_VIRTIO_ADD_DEVICE, blk) == -1) {
		answer("error: MIC_VIRTIO_ADD_DEVICE: %s", strerror(errno));
		close(v->fd);
		v->fd = -1;
		return -1;
	}
	v->dp = mmap(NULL, MIC_DP_SIZE, PROT_READ, MAP_SHARED, v->fd, 0);
	if (v->dp == MAP_FAILED) {
		answer("error: mmap: %s", strerror(errno));
		dev_close(v);
		return -1;
	}
	v->type = type;
	v->nvq = d->num_vq;
	v->serve = 1;
	answer("ok added");
	return 0;
}

static void
dev_close(struct viotest *v)
{
	if (v->dp != NULL && v->dp != MAP_FAILED)
		munmap(v->dp, MIC_DP_SIZE);
	v->dp = NULL;
	if (v->fd != -1)
		close(v->fd);
	v->fd = -1;
}

static void
dev_config(struct viotest *v, unsigned int cols, unsigned int rows)
{
	uint8_t cfg[12];

	memset(cfg, 0, sizeof(cfg));
	put_le16(cfg, cols);
	put_le16(cfg + 2, rows);
	if (ioctl(v->fd, MIC_VIRTIO_CONFIG_CHANGE, cfg) == -1)
		answer("error: MIC_VIRTIO_CONFIG_CHANGE: %s", strerror(errno));
	else
		answer("ok config");
}

/*
 * Serve every ring until it is empty: a console's output is printed as
 * "console: text" lines, its input ring is left holding its buffers.
 * Returns -1 once the device is gone.
 */
static int
dev_drain(struct viotest *v)
{
	struct mic_copy_desc cd;
	struct iovec iov;
	int r;

	for (r = 0; r < v->nvq; r++) {
		if (v->type == VIRTIO_ID_CONSOLE && r == 0) {
			/* Hold a buffer of the card: nothing to send. */
			memset(&cd, 0, sizeof(cd));
			cd.iov = &iov;
			cd.vr_idx = 0;
			if (ioctl(v->fd, MIC_VIRTIO_COPY_DESC, &cd) == -1) {
				answer("error: MIC_VIRTIO_COPY_DESC: %s",
				    strerror(errno));
				return -1;
			}
			continue;
		}
		for (;;) {
			memset(v->buf, 0, VIOTEST_BUF);
			iov.iov_base = v->buf;
			iov.iov_len = VIOTEST_BUF;
			memset(&cd, 0, sizeof(cd));
			cd.iov = &iov;
			cd.iovcnt = 1;
			cd.vr_idx = r;
			cd.update_used = 1;
			if (ioctl(v->fd, MIC_VIRTIO_COPY_DESC, &cd) == -1) {
				answer("error: MIC_VIRTIO_COPY_DESC: %s",
				    strerror(errno));
				return -1;
			}
			if (cd.out_len == 0)
				break;
			if (v->type == VIRTIO_ID_CONSOLE)
				answer("console: %.*s", (int)strcspn(
				    (char *)v->buf, "\r\n"), (char *)v->buf);
		}
	}
	return 0;
}

static void
dev_status(struct viotest *v)
{
	const struct mic_device_desc *d;
	unsigned int off = sizeof(struct mic_bootparam);

	/* Our block is the one whose rings we own: the first of our type. */
	while (off + sizeof(*d) <= MIC_DP_SIZE) {
		d = (const struct mic_device_desc *)(v->dp + off);
		if (d->type == 0)
			break;
		if (d->type == v->type) {
			answer("ok status %u", d->status);
			return;
		}
		off += mic_total_desc_size(d);
	}
	answer("error: no device in the page");
}

static void
command(struct viotest *v, char *line)
{
	char what[16];
	unsigned long long n;
	unsigned int a, b;

	line[strcspn(line, "\n")] = '\0';
	if (sscanf(line, "add %15s %llu", what, &n) >= 1 &&
	    strncmp(line, "add ", 4) == 0) {
		if (strcmp(what, "console") == 0)
			(void)dev_add(v, VIRTIO_ID_CONSOLE, 0);
		else if (strcmp(what, "block") == 0)
			(void)dev_add(v, VIRTIO_ID_BLOCK, n);
		else
			answer("error: add what?");
	} else if (v->fd == -1 && strcmp(line, "quit") != 0) {
		answer("error: no device");
	} else if (sscanf(line, "config %u %u", &a, &b) == 2) {
		dev_config(v, a, b);
	} else if (strcmp(line, "serve") == 0) {
		v->serve = 1;
		answer("ok serve");
	} else if (strcmp(line, "stop") == 0) {
		v->serve = 0;
		answer("ok stop");
	} else if (strcmp(line, "status") == 0) {
		dev_status(v);
	} else if (strcmp(line, "close") == 0) {
		dev_close(v);
		answer("ok closed");
	} else if (strcmp(line, "quit") == 0) {
		dev_close(v);
		answer("ok quit");
		exit(0);
	} else {
		answer("error: unknown command \"%s\"", line);
	}
}

int
main(int argc, char *argv[])
{
	struct viotest v;
	struct pollfd pfd[2];
	char line[256];
	nfds_t n;

	if (argc != 2)
		errx(2, "usage: viotest micN");
	memset(&v, 0, sizeof(v));
	v.fd = -1;
	snprintf(v.path, sizeof(v.path), "/dev/%s", argv[1]);
	if ((v.buf = malloc(VIOTEST_BUF)) == NULL)
		err(1, "malloc");
	setvbuf(stdin, NULL, _IONBF, 0);
	for (;;) {
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		n = 1;
		if (v.fd != -1 && v.serve) {
			pfd[1].fd = v.fd;
			pfd[1].events = POLLIN;
			n = 2;
		}
		if (poll(pfd, n, -1) == -1)
			err(1, "poll");
		if (pfd[0].revents != 0) {
			if (fgets(line, sizeof(line), stdin) == NULL)
				break;
			command(&v, line);
		}
		if (n == 2 && pfd[1].revents & (POLLERR | POLLHUP)) {
			answer("ok ended");
			dev_close(&v);
		} else if (n == 2 && pfd[1].revents & POLLIN) {
			if (dev_drain(&v) == -1)
				dev_close(&v);
		}
	}
	dev_close(&v);
	return 0;
}
