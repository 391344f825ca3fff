/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micioctl: a test tool run in micemu's host guest.  It checks the
 * ioctls, poll(2) and mmap(2) of /dev/micN against ABI.md section 2, one
 * scenario per run, and prints a line per check:
 *	micioctl dev errors	every error a ready card gives
 *	micioctl dev full	ENOSPC when the page is full, room again after
 *				a close
 *	micioctl dev pending	an online card that never acknowledges:
 *				CONFIG_CHANGE, then EBUSY
 *	micioctl dev busy	ADD_DEVICE refused with EBUSY (the card is
 *				shutting down or resetting)
 *	micioctl dev end	ADD_DEVICE, print "added", then wait (300 s at
 *				most) until the device ends (a card reset, or
 *				the card goes away): POLLERR and ENODEV
 *	micioctl dev console text	serve a console until the card wrote
 *				text (300 s at most)
 *	micioctl dev remove n	add n consoles and close them at once
 *	micioctl dev kept	add a console and close it, again and again,
 *				until ADD_DEVICE fails or 1000 were added:
 *				print "kept: n added, then ERRNO"
 * It exits 0 if every check passed, 1 at the first that did not.
 */

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include <endian.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/mic_common.h>
#include <linux/mic_ioctl.h>

#define MICIOCTL_BLK	512	/* room for any block, and then some */
#define MICIOCTL_NUM	16	/* entries of the rings of a console */
#define MICIOCTL_CONFIG	12	/* bytes of config space of a console */
#define MICIOCTL_FDS	200	/* more than a page of devices */

struct blk {
	unsigned char	b_buf[MICIOCTL_BLK];
	size_t		b_len;
};

static const char *dev;

static void	blk_make(struct blk *, int, int, unsigned int, int, int);
static const char *errname(int);
static int	dev_open(void);
static int	try_ioctl(int, unsigned long, void *);
static void	expect(int, int, const char *);
static void	expect_poll(int, short, const char *);
static int	add_console(int);
static int	copy_desc(int, int, unsigned int, struct iovec *,
		    unsigned int *);
static void	check_page(int);
static void	check_mmap(int);
static void	check_unusable(int, int, const char *);
static void	scenario_errors(void);
static void	scenario_full(void);
static void	scenario_pending(void);
static void	scenario_busy(void);
static size_t	serve_console(int);
static void	scenario_end(void);
static void	scenario_console(const char *);
static void	scenario_remove(int);
static void	scenario_kept(void);

/* A block: type, num_vq rings of num entries, feature_len, config_len. */
static void
blk_make(struct blk *b, int type, int num_vq, unsigned int num,
    int feature_len, int config_len)
{
	struct mic_device_desc *d = (struct mic_device_desc *)b->b_buf;
	struct mic_vqconfig *vq;
	unsigned char *p;
	int i;

	memset(b, 0, sizeof(*b));
	d->type = type;
	d->num_vq = num_vq;
	d->feature_len = feature_len;
	d->config_len = config_len;
	vq = (struct mic_vqconfig *)(d + 1);
	for (i = 0; i < num_vq && i < 8; i++)
		vq[i].num = htole16(num);
	b->b_len = mic_desc_size(d);
	p = (unsigned char *)(vq + num_vq);
	for (i = 0; i < feature_len && i < 32; i++)
		p[i] = 0xa0 + i;		/* host features */
	for (i = 0; i < feature_len && i < 32; i++)
		p[feature_len + i] = 0x55;	/* guest: the host's */
	p += 2 * feature_len;
	for (i = 0; i < config_len && i < 255; i++)
		p[i] = i + 1;
}

/* The errno's name: strerror(3) texts differ between C libraries. */
static const char *
errname(int e)
{
	static const struct {
		int		 e;
		const char	*name;
	} names[] = {
		{ 0, "ok" }, { EFAULT, "EFAULT" }, { EINVAL, "EINVAL" },
		{ EBUSY, "EBUSY" }, { ENOSPC, "ENOSPC" }, { ENODEV, "ENODEV" },
		{ EIO, "EIO" }, { EACCES, "EACCES" }, { ENOTTY, "ENOTTY" },
		{ ENOMEM, "ENOMEM" }, { EPERM, "EPERM" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return (names[i].name);
	return (strerror(e));
}

static int
dev_open(void)
{
	int fd;

	if ((fd = open(dev, O_RDWR)) == -1)
		err(1, "%s", dev);
	return (fd);
}

/* The ioctl's result: 0 or the errno. */
static int
try_ioctl(int fd, unsigned long req, void *arg)
{
	return (ioctl(fd, req, arg) == -1 ? errno : 0);
}

static void
expect(int got, int want, const char *what)
{
	if (got != want) {
		printf("FAIL: %s: %s, not %s\n", what, errname(got),
		    errname(want));
		exit(1);
	}
	printf("%s: %s\n", what, errname(want));
	fflush(stdout);
}

/* poll(2) at once must give exactly revents. */
static void
expect_poll(int fd, short revents, const char *what)
{
	struct pollfd pfd;

	pfd.fd = fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) == -1)
		err(1, "poll");
	if (pfd.revents != revents) {
		printf("FAIL: %s: revents %#x, not %#x\n", what,
		    pfd.revents, revents);
		exit(1);
	}
	printf("%s: revents %#x\n", what, revents);
}

static int
add_console(int fd)
{
	struct blk b;

	blk_make(&b, 3, 2, MICIOCTL_NUM, 4, MICIOCTL_CONFIG);
	return (try_ioctl(fd, MIC_VIRTIO_ADD_DEVICE, b.b_buf));
}

static int
copy_desc(int fd, int vr, unsigned int cnt, struct iovec *iov,
    unsigned int *out)
{
	struct mic_copy_desc cd;
	int e;

	memset(&cd, 0, sizeof(cd));
	cd.iov = iov;
	cd.iovcnt = cnt;
	cd.vr_idx = vr;
	cd.update_used = 1;
	cd.out_len = 77;
	e = try_ioctl(fd, MIC_VIRTIO_COPY_DESC, &cd);
	*out = cd.out_len;
	return (e);
}

/* The console of add_console() in the device page, as the card sees it. */
static void
check_page(int fd)
{
	size_t len = MIC_DP_SIZE + 2 * mic_vring_map_size(MICIOCTL_NUM);
	struct mic_device_ctrl *ctrl;
	struct mic_device_desc *d;
	struct mic_vring_info info;
	struct mic_vqconfig *vq;
	unsigned char *m, *p;
	size_t off;
	int i;

	m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		err(1, "mmap of the page and the rings");
	if (le32toh(*(uint32_t *)m) != MIC_MAGIC)
		errx(1, "mmap: no magic in the device page");
	/* The first device of the list: this test added only this one. */
	off = sizeof(struct mic_bootparam);
	while ((d = (struct mic_device_desc *)(m + off))->type == -1)
		off += mic_total_desc_size(d);
	if (d->type != 3 || d->num_vq != 2 || d->feature_len != 4 ||
	    d->config_len != MICIOCTL_CONFIG || d->status != 0)
		errx(1, "page: block at %zu: type %d num_vq %u", off,
		    d->type, d->num_vq);
	vq = (struct mic_vqconfig *)(d + 1);
	for (i = 0; i < 2; i++)
		if (vq[i].address == 0 || vq[i].used_address != 0 ||
		    le16toh(vq[i].num) != MICIOCTL_NUM)
			errx(1, "page: vq %d: address %#llx num %u", i,
			    (unsigned long long)le64toh(vq[i].address),
			    le16toh(vq[i].num));
	p = (unsigned char *)(vq + 2);
	if (p[0] != 0xa0 || p[3] != 0xa3 || p[4] != 0 || p[7] != 0 ||
	    p[8] != 1 || p[8 + MICIOCTL_CONFIG - 1] != MICIOCTL_CONFIG)
		errx(1, "page: features or config not as added");
	ctrl = (struct mic_device_ctrl *)((unsigned char *)d +
	    mic_aligned_desc_size(d));
	if (ctrl->c2h_vdev_db < 1 || ctrl->c2h_vdev_db > 3 ||
	    ctrl->h2c_vdev_db != -1 || ctrl->config_change != 0)
		errx(1, "page: ctrl: c2h %d h2c %d", ctrl->c2h_vdev_db,
		    ctrl->h2c_vdev_db);
	printf("page: type 3 at %zu, vq0 %#llx vq1 %#llx, c2h_vdev_db %d\n",
	    off, (unsigned long long)le64toh(vq[0].address),
	    (unsigned long long)le64toh(vq[1].address), ctrl->c2h_vdev_db);
	for (i = 0; i < 2; i++) {
		memcpy(&info, m + MIC_DP_SIZE +
		    i * mic_vring_map_size(MICIOCTL_NUM) +
		    mic_vring_size(MICIOCTL_NUM), sizeof(info));
		if (le32toh(info.magic) != MIC_VRING_MAGIC(3U, i) ||
		    info.avail_idx != 0)
			errx(1, "ring %d: trailer magic %#x", i,
			    le32toh(info.magic));
		printf("ring %d: magic %#x\n", i, le32toh(info.magic));
	}
	munmap(m, len);
}

/* The mmap errors of a file with a device. */
static void
check_mmap(int fd)
{
	void *m;

	m = mmap(NULL, MIC_DP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	expect(m == MAP_FAILED ? errno : 0, EACCES, "mmap PROT_WRITE");
	m = mmap(NULL, MIC_DP_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	expect(m == MAP_FAILED ? errno : 0, EACCES, "mmap private PROT_WRITE");
	m = mmap(NULL, MIC_DP_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		err(1, "mmap PROT_READ");
	expect(mprotect(m, MIC_DP_SIZE, PROT_READ | PROT_WRITE) == -1 ?
	    errno : 0, EACCES, "mprotect PROT_WRITE");
	munmap(m, MIC_DP_SIZE);
	m = mmap(NULL, MIC_DP_SIZE, PROT_READ, MAP_SHARED, fd,
	    MIC_DP_SIZE + 2 * mic_vring_map_size(MICIOCTL_NUM));
	expect(m == MAP_FAILED ? errno : 0, EINVAL, "mmap past the rings");
	m = mmap(NULL, 2 * MIC_DP_SIZE, PROT_READ, MAP_SHARED, fd,
	    MIC_DP_SIZE + 2 * mic_vring_map_size(MICIOCTL_NUM) - MIC_DP_SIZE);
	expect(m == MAP_FAILED ? errno : 0, EINVAL,
	    "mmap across the end of the rings");
	check_page(fd);
}

/* The blocks ADD_DEVICE refuses with EINVAL. */
static const struct {
	int		 type;
	int		 num_vq;
	unsigned int	 num;
	int		 feature_len;
	int		 config_len;
	const char	*what;
} bad[] = {
	{ 0, 1, 1, 0, 0, "ADD_DEVICE type 0" },
	{ -1, 1, 1, 0, 0, "ADD_DEVICE type -1" },
	{ 2, 0, 1, 0, 0, "ADD_DEVICE num_vq 0" },
	{ 2, 5, 1, 0, 0, "ADD_DEVICE num_vq 5" },
	{ 2, 1, 3, 0, 0, "ADD_DEVICE num 3" },
	{ 2, 1, 0, 0, 0, "ADD_DEVICE num 0" },
	{ 2, 1, 256, 0, 0, "ADD_DEVICE num 256" },
	/* 8 + 24 + 2 * 32 + 161 = 257 bytes */
	{ 2, 1, 1, 32, 161, "ADD_DEVICE block of 257 bytes" },
	{ 2, 1, 1, 33, 0, "ADD_DEVICE feature_len 33" },
};

/*
 * A file without a usable device: POLLERR, and COPY_DESC, CONFIG_CHANGE
 * and mmap fail with e.
 */
static void
check_unusable(int fd, int e, const char *when)
{
	unsigned char cfg[MICIOCTL_CONFIG];
	struct mic_copy_desc cd;
	char what[64];
	void *m;

	snprintf(what, sizeof(what), "poll %s", when);
	expect_poll(fd, POLLERR | POLLHUP, what);
	memset(&cd, 0, sizeof(cd));
	snprintf(what, sizeof(what), "COPY_DESC %s", when);
	expect(try_ioctl(fd, MIC_VIRTIO_COPY_DESC, &cd), e, what);
	memset(cfg, 0, sizeof(cfg));
	snprintf(what, sizeof(what), "CONFIG_CHANGE %s", when);
	expect(try_ioctl(fd, MIC_VIRTIO_CONFIG_CHANGE, cfg), e, what);
	m = mmap(NULL, MIC_DP_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	snprintf(what, sizeof(what), "mmap %s", when);
	expect(m == MAP_FAILED ? errno : 0, e, what);
}

static void
scenario_errors(void)
{
	struct mic_copy_desc cd;
	struct iovec iov;
	struct blk b;
	unsigned char *m, cfg[MICIOCTL_CONFIG];
	unsigned int out;
	size_t i;
	int fd;

	fd = dev_open();
	check_unusable(fd, EINVAL, "before ADD_DEVICE");
	memset(cfg, 0, sizeof(cfg));
	expect(try_ioctl(fd, MIC_VIRTIO_ADD_DEVICE, NULL), EFAULT,
	    "ADD_DEVICE NULL");
	expect(try_ioctl(fd, MIC_VIRTIO_COPY_DESC, NULL), EFAULT,
	    "COPY_DESC NULL");
	/* A header that can be read, and a body that cannot. */
	m = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || munmap(m + 4096, 4096) == -1)
		err(1, "mmap");
	blk_make(&b, 3, 2, MICIOCTL_NUM, 4, MICIOCTL_CONFIG);
	memcpy(m + 4096 - 8, b.b_buf, 8);
	expect(try_ioctl(fd, MIC_VIRTIO_ADD_DEVICE, m + 4096 - 8), EFAULT,
	    "ADD_DEVICE body unreadable");
	munmap(m, 4096);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		blk_make(&b, bad[i].type, bad[i].num_vq, bad[i].num,
		    bad[i].feature_len, bad[i].config_len);
		expect(try_ioctl(fd, MIC_VIRTIO_ADD_DEVICE, b.b_buf), EINVAL,
		    bad[i].what);
	}
	expect_poll(fd, POLLERR | POLLHUP, "poll after refused ADD_DEVICEs");
	expect(add_console(fd), 0, "ADD_DEVICE console");
	expect(add_console(fd), EBUSY, "second ADD_DEVICE");
	expect_poll(fd, 0, "poll with no chain");
	memset(&cd, 0, sizeof(cd));
	cd.vr_idx = 2;
	expect(try_ioctl(fd, MIC_VIRTIO_COPY_DESC, &cd), EINVAL,
	    "COPY_DESC vr_idx 2 of 2");
	cd.vr_idx = 1;
	cd.iov = &iov;
	cd.iovcnt = 1025;
	expect(try_ioctl(fd, MIC_VIRTIO_COPY_DESC, &cd), EINVAL,
	    "COPY_DESC iovcnt 1025");
	cd.iov = NULL;
	cd.iovcnt = 1;
	expect(try_ioctl(fd, MIC_VIRTIO_COPY_DESC, &cd), EFAULT,
	    "COPY_DESC iov NULL");
	iov.iov_base = cfg;
	iov.iov_len = sizeof(cfg);
	expect(copy_desc(fd, 1, 1, &iov, &out), 0, "COPY_DESC no chain");
	if (out != 0)
		errx(1, "COPY_DESC no chain: out_len %u", out);
	expect(copy_desc(fd, 0, 0, NULL, &out), 0, "COPY_DESC iovcnt 0");
	expect(try_ioctl(fd, MIC_VIRTIO_CONFIG_CHANGE, NULL), EFAULT,
	    "CONFIG_CHANGE NULL");
	expect(try_ioctl(fd, MIC_VIRTIO_CONFIG_CHANGE, cfg), EIO,
	    "CONFIG_CHANGE card not online");
	expect(try_ioctl(fd, _IO('s', 9), NULL), ENOTTY, "unknown ioctl");
	check_mmap(fd);
	close(fd);
	fd = dev_open();
	expect(add_console(fd), 0, "ADD_DEVICE again after close");
	check_page(fd);
	close(fd);
	printf("errors: all checked\n");
}

static void
scenario_full(void)
{
	int fds[MICIOCTL_FDS], i, n, e = 0, fd;
	struct blk b;

	/* 48 bytes a block: 85 of them fill the 4080 bytes of the list. */
	blk_make(&b, 2, 1, 1, 0, 0);
	for (n = 0; n < MICIOCTL_FDS; n++) {
		fds[n] = dev_open();
		if ((e = try_ioctl(fds[n], MIC_VIRTIO_ADD_DEVICE, b.b_buf)))
			break;
	}
	expect(e, ENOSPC, "ADD_DEVICE on a full page");
	printf("full after %d devices\n", n);
	if (n != (MIC_DP_SIZE - 16) / 48)
		errx(1, "full after %d devices, not %d", n,
		    (MIC_DP_SIZE - 16) / 48);
	expect(try_ioctl(fds[n], MIC_VIRTIO_ADD_DEVICE, b.b_buf), ENOSPC,
	    "ADD_DEVICE on a full page again");
	close(fds[n / 2]);
	fds[n / 2] = -1;
	expect(try_ioctl(fds[n], MIC_VIRTIO_ADD_DEVICE, b.b_buf), 0,
	    "ADD_DEVICE after a close");
	fd = dev_open();
	blk_make(&b, 2, 1, 1, 0, 1);
	expect(try_ioctl(fd, MIC_VIRTIO_ADD_DEVICE, b.b_buf), ENOSPC,
	    "ADD_DEVICE larger than the free slot");
	close(fd);
	for (i = 0; i <= n; i++)
		if (fds[i] != -1)
			close(fds[i]);
	/* The removed slots stay (48 bytes each): a small block fits. */
	fd = dev_open();
	blk_make(&b, 2, 1, 1, 0, 0);
	expect(try_ioctl(fd, MIC_VIRTIO_ADD_DEVICE, b.b_buf), 0,
	    "ADD_DEVICE after closing them all");
	close(fd);
}

static void
scenario_pending(void)
{
	unsigned char cfg[MICIOCTL_CONFIG];
	int fd;

	fd = dev_open();
	expect(add_console(fd), 0, "ADD_DEVICE on an online card");
	memset(cfg, 0x42, sizeof(cfg));
	expect(try_ioctl(fd, MIC_VIRTIO_CONFIG_CHANGE, cfg), 0,
	    "CONFIG_CHANGE");
	expect(try_ioctl(fd, MIC_VIRTIO_CONFIG_CHANGE, cfg), EBUSY,
	    "CONFIG_CHANGE while one is pending");
	close(fd);
}

static void
scenario_busy(void)
{
	int fd;

	fd = dev_open();
	expect(add_console(fd), EBUSY, "ADD_DEVICE card not up");
	expect_poll(fd, POLLERR | POLLHUP, "poll after a refused ADD_DEVICE");
	close(fd);
}

/*
 * Serve a console as micd does: drain what the card wrote (ring 1), hold
 * a buffer of ring 0 (nothing to send).  Return: the bytes read.
 */
static size_t
serve_console(int fd)
{
	char buf[4096];
	struct iovec iov;
	unsigned int out;
	size_t got = 0;
	int e;

	do {
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		if ((e = copy_desc(fd, 1, 1, &iov, &out)) != 0)
			return (got);
		got += out;
	} while (out > 0);
	if ((e = copy_desc(fd, 0, 0, NULL, &out)) != 0 && e != ENODEV)
		errx(1, "COPY_DESC hold: %s", errname(e));
	return (got);
}

static void
scenario_end(void)
{
	struct pollfd pfd;
	size_t got;
	time_t end;
	int fd;

	fd = dev_open();
	expect(add_console(fd), 0, "ADD_DEVICE");
	printf("added\n");
	fflush(stdout);
	pfd.fd = fd;
	pfd.events = POLLIN;
	end = time(NULL) + 300;
	for (got = 0; time(NULL) < end; ) {
		pfd.revents = 0;
		if (poll(&pfd, 1, 1000) == -1)
			err(1, "poll");
		if (pfd.revents & (POLLERR | POLLHUP))
			break;
		if (pfd.revents & POLLIN)
			got += serve_console(fd);
	}
	if (!(pfd.revents & POLLERR))
		errx(1, "no POLLERR in time: revents %#x", pfd.revents);
	printf("end: POLLERR\n");
	printf("console: %zu bytes from the card\n", got);
	check_unusable(fd, ENODEV, "after the end");
	close(fd);
}

/*
 * A live console: serve it until the card wrote pattern, sending a
 * newline now and then (a getty prompts again on one).
 */
static void
scenario_console(const char *pattern)
{
	char text[8192], buf[4096];
	struct pollfd pfd;
	struct iovec iov;
	unsigned int out;
	size_t len = 0;
	time_t end;
	int fd, e;

	fd = dev_open();
	expect(add_console(fd), 0, "ADD_DEVICE console");
	pfd.fd = fd;
	pfd.events = POLLIN;
	end = time(NULL) + 300;
	while (time(NULL) < end) {
		if (poll(&pfd, 1, 1000) == -1)
			err(1, "poll");
		if (pfd.revents & POLLERR)
			errx(1, "console: POLLERR");
		do {
			iov.iov_base = buf;
			iov.iov_len = sizeof(buf);
			if ((e = copy_desc(fd, 1, 1, &iov, &out)) != 0)
				errx(1, "COPY_DESC ring 1: %s", errname(e));
			if (out > sizeof(text) - 1 - len)
				len = 0;
			memcpy(text + len, buf, out);
			len += out;
			text[len] = '\0';
		} while (out > 0);
		if (strstr(text, pattern) != NULL)
			break;
		iov.iov_base = "\n";
		iov.iov_len = 1;
		if ((e = copy_desc(fd, 0, 1, &iov, &out)) != 0)
			errx(1, "COPY_DESC ring 0: %s", errname(e));
	}
	if (strstr(text, pattern) == NULL)
		errx(1, "console: no \"%s\" in \"%s\"", pattern, text);
	printf("console: \"%s\" from the card\n", pattern);
	close(fd);
}

static void
scenario_remove(int n)
{
	int fd, i;

	for (i = 0; i < n; i++) {
		fd = dev_open();
		expect(add_console(fd), 0, "ADD_DEVICE");
		close(fd);
	}
	printf("removing %d\n", n);
}

static void
scenario_kept(void)
{
	int e, fd, n;

	for (n = 0, e = 0; n < 1000 && e == 0; n++) {
		fd = dev_open();
		e = add_console(fd);
		close(fd);
	}
	printf("kept: %d added, then %s\n", e == 0 ? n : n - 1, errname(e));
}

int
main(int argc, char *argv[])
{
	if (argc < 3)
		errx(2, "usage: micioctl dev errors|full|pending|busy|end|"
		    "console text|remove n|kept");
	dev = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(argv[2], "errors") == 0)
		scenario_errors();
	else if (strcmp(argv[2], "full") == 0)
		scenario_full();
	else if (strcmp(argv[2], "pending") == 0)
		scenario_pending();
	else if (strcmp(argv[2], "busy") == 0)
		scenario_busy();
	else if (strcmp(argv[2], "end") == 0)
		scenario_end();
	else if (strcmp(argv[2], "console") == 0 && argc == 4)
		scenario_console(argv[3]);
	else if (strcmp(argv[2], "remove") == 0 && argc == 4)
		scenario_remove(atoi(argv[3]));
	else if (strcmp(argv[2], "kept") == 0)
		scenario_kept();
	else
		errx(2, "unknown scenario \"%s\"", argv[2]);
	return (0);
}
