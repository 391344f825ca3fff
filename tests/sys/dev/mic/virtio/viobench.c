/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * viobench: the ceilings of the benchmarks (tools/bench.sh), measured in
 * micemu's host guest.
 *	viobench aper pcidev MiB	memcpy bandwidth to and from a card's
 *					aperture (the PCI function's BAR 2,
 *					mapped through sysfs), pre-faulted;
 *					only while the card is not running:
 *					it overwrites card memory
 *	viobench db micN count		the doorbell round trip: a console
 *					device whose config changes count
 *					times, each acknowledged by the card
 *					(a doorbell each way), online card
 * Each prints one line "viobench: what value unit".
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

#define VIOBENCH_ROUNDS	8

static double	now(void);
static void	aper(const char *, long);
static void	db(const char *, long);

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
aper(const char *pcidev, long mib)
{
	char path[256];
	size_t len = (size_t)mib << 20;
	double t, wr, rd;
	uint8_t *bar, *buf;
	int fd, i;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource2",
	    pcidev);
	if ((fd = open(path, O_RDWR)) == -1)
		err(1, "%s", path);
	bar = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (bar == MAP_FAILED)
		err(1, "mmap %s", path);
	if ((buf = malloc(len)) == NULL)
		err(1, "malloc");
	/* Pre-fault both sides. */
	memset(buf, 0x5a, len);
	memset(bar, 0, len);
	t = now();
	for (i = 0; i < VIOBENCH_ROUNDS; i++)
		memcpy(bar, buf, len);
	wr = VIOBENCH_ROUNDS * (double)len / (now() - t);
	t = now();
	for (i = 0; i < VIOBENCH_ROUNDS; i++)
		memcpy(buf, bar, len);
	rd = VIOBENCH_ROUNDS * (double)len / (now() - t);
	printf("viobench: aper_write %.1f MB/s\n", wr / 1e6);
	printf("viobench: aper_read %.1f MB/s\n", rd / 1e6);
}

/* A console that offers VIRTIO_CONSOLE_F_SIZE: its config can change. */
static void
db(const char *card, long count)
{
	uint8_t blk[MIC_MAX_DESC_BLK_SIZE], cfg[12];
	struct mic_device_desc *d = (struct mic_device_desc *)blk;
	struct mic_vqconfig *vq = (struct mic_vqconfig *)(d + 1);
	struct mic_copy_desc cd;
	struct iovec iov;
	struct pollfd pfd;
	char path[64];
	double t, sum = 0, best = 1e9;
	long i;
	int fd;

	memset(blk, 0, sizeof(blk));
	d->type = 3;
	d->num_vq = 2;
	d->feature_len = 4;
	d->config_len = sizeof(cfg);
	vq[0].num = htole16(64);
	vq[1].num = htole16(64);
	((uint8_t *)(vq + 2))[0] = 1;	/* VIRTIO_CONSOLE_F_SIZE */
	snprintf(path, sizeof(path), "/dev/%s", card);
	if ((fd = open(path, O_RDWR)) == -1)
		err(1, "%s", path);
	if (ioctl(fd, MIC_VIRTIO_ADD_DEVICE, blk) == -1)
		err(1, "MIC_VIRTIO_ADD_DEVICE");
	/* Let the card bind it, then hold a receive buffer: poll is quiet. */
	sleep(3);
	memset(&cd, 0, sizeof(cd));
	cd.iov = &iov;
	cd.vr_idx = 0;
	if (ioctl(fd, MIC_VIRTIO_COPY_DESC, &cd) == -1)
		err(1, "MIC_VIRTIO_COPY_DESC");
	for (i = 0; i < count; i++) {
		memset(cfg, 0, sizeof(cfg));
		cfg[0] = (uint8_t)(80 + i % 2);
		cfg[2] = 25;
		t = now();
		if (ioctl(fd, MIC_VIRTIO_CONFIG_CHANGE, cfg) == -1)
			err(1, "MIC_VIRTIO_CONFIG_CHANGE %ld", i);
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 10000) != 1 || !(pfd.revents & POLLIN))
			errx(1, "no acknowledgement %ld", i);
		t = now() - t;
		sum += t;
		if (t < best)
			best = t;
		/* Clears the event; the held buffer stays held. */
		if (ioctl(fd, MIC_VIRTIO_COPY_DESC, &cd) == -1)
			err(1, "MIC_VIRTIO_COPY_DESC");
	}
	printf("viobench: db_rtt %.1f us (best %.1f us, %ld round trips)\n",
	    sum / count * 1e6, best * 1e6, count);
	close(fd);
}

int
main(int argc, char *argv[])
{
	long n;

	if (argc != 4 || (n = strtol(argv[3], NULL, 10)) <= 0)
		errx(2, "usage: viobench aper pcidev MiB | db micN count");
	if (strcmp(argv[1], "aper") == 0)
		aper(argv[2], n);
	else if (strcmp(argv[1], "db") == 0)
		db(argv[2], n);
	else
		errx(2, "usage: viobench aper pcidev MiB | db micN count");
	return 0;
}
