/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micvcon: a test tool run in micemu's host guest, the smallest console
 * backend.  It adds a console device (type 3, two rings of 64 entries, no
 * features, 12 bytes of config) to a card through /dev/micN, and prints
 * every chain the card writes (ring 1) as a line "chain: text".  It holds
 * the chains the card offers on ring 0 without filling them.  When the
 * card breaks the ring rules (EIO), it prints "readd" and adds the
 * device again, as micd does.
 *	micvcon [-c chains] [-m text] [-t seconds] /dev/micN
 * It exits 0 once it has printed chains chains (default 1), or with -m
 * once a chain has held text; 1 when seconds (default 300) pass first or
 * the device ends.
 */

#include <sys/ioctl.h>
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

#define MICVCON_TYPE		3	/* VIRTIO_ID_CONSOLE */
#define MICVCON_NUM		64
#define MICVCON_CONFIG_LEN	12
#define MICVCON_RX		0	/* host to card */
#define MICVCON_TX		1	/* card to host */

static int	micvcon_add(const char *);
static int	micvcon_copy(int, int, struct iovec *, int, int, uint32_t *);
static int	micvcon_drain(int, int *, const char *);
static void	micvcon_usage(void);

/* Open the device and add a console to it; exits on failure. */
static int
micvcon_add(const char *path)
{
	unsigned char blk[MIC_MAX_DESC_BLK_SIZE];
	struct mic_device_desc *d = (struct mic_device_desc *)blk;
	struct mic_vqconfig *vq = (struct mic_vqconfig *)(d + 1);
	int fd, i;

	memset(blk, 0, sizeof(blk));
	d->type = MICVCON_TYPE;
	d->num_vq = 2;
	d->feature_len = 0;
	d->config_len = MICVCON_CONFIG_LEN;
	for (i = 0; i < 2; i++)
		vq[i].num = htole16(MICVCON_NUM);
	if ((fd = open(path, O_RDWR)) == -1)
		err(1, "%s", path);
	if (ioctl(fd, MIC_VIRTIO_ADD_DEVICE, blk) == -1)
		err(1, "%s: add", path);
	printf("added\n");
	fflush(stdout);
	return (fd);
}

/* COPY_DESC on ring vr; -1 with errno set on failure. */
static int
micvcon_copy(int fd, int vr, struct iovec *iov, int iovcnt, int update,
    uint32_t *out_len)
{
	struct mic_copy_desc cd;

	memset(&cd, 0, sizeof(cd));
	cd.iov = iov;
	cd.iovcnt = iovcnt;
	cd.vr_idx = vr;
	cd.update_used = update;
	if (ioctl(fd, MIC_VIRTIO_COPY_DESC, &cd) == -1)
		return (-1);
	*out_len = cd.out_len;
	return (0);
}

/*
 * Print the chains of ring 1, hold one of ring 0; count the chains.
 * Returns 0, or -1 with errno set.
 */
static int
micvcon_drain(int fd, int *chains, const char *match)
{
	char buf[4096];
	struct iovec iov;
	uint32_t len;

	if (micvcon_copy(fd, MICVCON_RX, NULL, 0, 0, &len) == -1)
		return (-1);
	for (;;) {
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf) - 1;
		if (micvcon_copy(fd, MICVCON_TX, &iov, 1, 1, &len) == -1)
			return (-1);
		if (len == 0)
			return (0);
		buf[len] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		printf("chain: %s\n", buf);
		fflush(stdout);
		if (match == NULL || strstr(buf, match) != NULL)
			(*chains)++;
	}
}

static void
micvcon_usage(void)
{
	fprintf(stderr,
	    "usage: micvcon [-c chains] [-m text] [-t seconds] /dev/micN\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct pollfd pfd;
	const char *match;
	time_t end;
	int ch, chains, fd, ms, want;

	want = 1;
	end = 300;
	match = NULL;
	while ((ch = getopt(argc, argv, "c:m:t:")) != -1) {
		switch (ch) {
		case 'c':
			want = atoi(optarg);
			break;
		case 'm':
			match = optarg;
			break;
		case 't':
			end = atoi(optarg);
			break;
		default:
			micvcon_usage();
		}
	}
	if (argc - optind != 1)
		micvcon_usage();
	end += time(NULL);
	fd = micvcon_add(argv[optind]);
	chains = 0;
	while (chains < want) {
		ms = (int)(end - time(NULL)) * 1000;
		if (ms <= 0)
			errx(1, "timeout: %d chains of %d", chains, want);
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, ms) == -1)
			err(1, "poll");
		if (pfd.revents & POLLERR)
			errx(1, "%s: the device ended", argv[optind]);
		if (pfd.revents == 0)
			continue;
		if (micvcon_drain(fd, &chains, match) == 0)
			continue;
		if (errno != EIO)
			err(1, "%s: copy", argv[optind]);
		printf("readd\n");
		fflush(stdout);
		close(fd);
		fd = micvcon_add(argv[optind]);
	}
	return (0);
}
