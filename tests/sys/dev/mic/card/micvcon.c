/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micvcon: a test tool run in micemu's host guest, the smallest console
 * backend.  It adds a console device (type 3, two rings of 64 entries, no
 * features, 12 bytes of config) to a card through /dev/micN, and prints
 * every chain the card writes (ring 1) as a line "chain: text".  It holds
 * the chains the card offers on ring 0 without filling them.  When the
 * card breaks the ring rules (EIO), it prints "readd" and adds the
 * device again, as micd does.
 *	micvcon [-bu] [-c chains] [-m text] [-t seconds] /dev/micN
 * It exits 0 once it has printed chains chains (default 1), or with -m
 * once a chain has held text; 1 when seconds (default 300) pass first or
 * the device ends.
 *	-b	bulk: each copy of ring 1 offers the card UIO_MAXIOV iovecs of
 *		one 4 MiB buffer (4 GiB); a copy of more than 4 MiB prints
 *		"bulk: <bytes> <errno>" and ends micvcon
 *	-u	stall: after the device is added, drop to user nobody and make
 *		the first copy of ring 1 into memory of a userfaultfd whose
 *		faults are never served; print "stalled" once the copy waits
 *		on such a fault, and wait for ever (until killed)
 */

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <endian.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/mic_common.h>
#include <linux/mic_ioctl.h>
#include <linux/userfaultfd.h>

#define MICVCON_TYPE		3	/* VIRTIO_ID_CONSOLE */
#define MICVCON_NUM		64
#define MICVCON_CONFIG_LEN	12
#define MICVCON_RX		0	/* host to card */
#define MICVCON_TX		1	/* card to host */
#define MICVCON_BULK_BUF	(4U << 20)
#define MICVCON_BULK_IOV	1024	/* UIO_MAXIOV */
#define MICVCON_NOBODY		65534

static int	micvcon_add(const char *);
static int	micvcon_copy(int, int, struct iovec *, int, int, uint32_t *);
static int	micvcon_drain(int, int *, const char *);
static void	micvcon_bulk(void);
static void	*micvcon_uffd_wait(void *);
static void	micvcon_stall(int);
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
static struct iovec micvcon_iov[MICVCON_BULK_IOV];
static int micvcon_iovcnt;
static char micvcon_buf[4096];

static int
micvcon_drain(int fd, int *chains, const char *match)
{
	char *buf = micvcon_iov[0].iov_base;
	uint32_t len;
	int e;

	if (micvcon_copy(fd, MICVCON_RX, NULL, 0, 0, &len) == -1)
		return (-1);
	for (;;) {
		e = micvcon_copy(fd, MICVCON_TX, micvcon_iov, micvcon_iovcnt,
		    1, &len) == -1 ? errno : 0;
		if (micvcon_iovcnt > 1 && (len > MICVCON_BULK_BUF || e != 0)) {
			printf("bulk: %u %d\n", len, e);
			exit(0);
		}
		if (e != 0) {
			errno = e;
			return (-1);
		}
		if (len == 0)
			return (0);
		len = len < sizeof(micvcon_buf) - 1 ? len :
		    sizeof(micvcon_buf) - 1;
		memcpy(micvcon_buf, buf, len);
		buf = micvcon_buf;
		buf[len] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		printf("chain: %s\n", buf);
		fflush(stdout);
		if (match == NULL || strstr(buf, match) != NULL)
			(*chains)++;
	}
}

/* -b: every copy of ring 1 has room for 4 GiB. */
static void
micvcon_bulk(void)
{
	char *buf;
	int i;

	if ((buf = malloc(MICVCON_BULK_BUF)) == NULL)
		err(1, "malloc");
	for (i = 0; i < MICVCON_BULK_IOV; i++) {
		micvcon_iov[i].iov_base = buf;
		micvcon_iov[i].iov_len = MICVCON_BULK_BUF;
	}
	micvcon_iovcnt = MICVCON_BULK_IOV;
}

/* The fault handler that never serves: say when the first fault comes. */
static void *
micvcon_uffd_wait(void *arg)
{
	struct uffd_msg msg;
	struct pollfd pfd;
	int uffd = *(int *)arg;

	pfd.fd = uffd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, -1) == -1 && errno == EINTR)
		;
	if (read(uffd, &msg, sizeof(msg)) != sizeof(msg))
		err(1, "userfaultfd: read");
	if (msg.event == UFFD_EVENT_PAGEFAULT)
		printf("stalled\n");
	fflush(stdout);
	for (;;)
		pause();
}

/* -u: a copy of ring 1 into memory whose faults are never served. */
static void
micvcon_stall(int fd)
{
	struct uffdio_register reg;
	struct uffdio_api api;
	struct pollfd pfd;
	struct iovec iov;
	pthread_t t;
	uint32_t len;
	void *p;
	int uffd;

	if (setgid(MICVCON_NOBODY) == -1 || setuid(MICVCON_NOBODY) == -1)
		err(1, "setuid nobody");
	if ((uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC)) == -1)
		err(1, "userfaultfd");
	memset(&api, 0, sizeof(api));
	api.api = UFFD_API;
	if (ioctl(uffd, UFFDIO_API, &api) == -1)
		err(1, "UFFDIO_API");
	p = mmap(NULL, 65536, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	memset(&reg, 0, sizeof(reg));
	reg.range.start = (unsigned long)p;
	reg.range.len = 65536;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) == -1)
		err(1, "UFFDIO_REGISTER");
	if (pthread_create(&t, NULL, micvcon_uffd_wait, &uffd) != 0)
		errx(1, "pthread_create");
	iov.iov_base = p;
	iov.iov_len = 65536;
	/* Hold a receive buffer: then POLLIN means a chain to copy. */
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (micvcon_copy(fd, MICVCON_RX, NULL, 0, 0, &len) == 0 &&
	    micvcon_copy(fd, MICVCON_TX, &iov, 1, 1, &len) == 0)
		(void)poll(&pfd, 1, 1000);
	printf("stall: the copy returned: %s\n", strerror(errno));
	fflush(stdout);
	for (;;)
		pause();
}

static void
micvcon_usage(void)
{
	fprintf(stderr, "usage: micvcon [-bu] [-c chains] [-m text] "
	    "[-t seconds] /dev/micN\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct pollfd pfd;
	const char *match;
	time_t end;
	int bulk, ch, chains, fd, ms, stall, want;

	want = 1;
	end = 300;
	match = NULL;
	bulk = stall = 0;
	while ((ch = getopt(argc, argv, "bc:m:t:u")) != -1) {
		switch (ch) {
		case 'b':
			bulk = 1;
			break;
		case 'u':
			stall = 1;
			break;
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
	micvcon_iov[0].iov_base = micvcon_buf;
	micvcon_iov[0].iov_len = sizeof(micvcon_buf) - 1;
	micvcon_iovcnt = 1;
	if (bulk)
		micvcon_bulk();
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
		if (stall)
			micvcon_stall(fd);
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
