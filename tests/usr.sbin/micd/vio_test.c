/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vio.c without a kernel: the descriptor block that ADD_DEVICE gets, what
 * each COPY_DESC failure means, the failures of adding a device when
 * /dev/micN is missing or is not the driver's, and the ring peek over a
 * ring in memory, whose indices the card may forge.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/virtio_ring.h>

#include <atf-c.h>

#include "mic.h"
#include "micd.h"

static int	io_fd = -1;

int
card_io_add(struct card *c, int fd, short events,
    void (*fn)(struct card *, int, short, void *), void *arg)
{
	(void)c;
	(void)events;
	(void)fn;
	(void)arg;
	io_fd = fd;
	return (0);
}

void
card_io_del(struct card *c, int fd)
{
	(void)c;
	if (fd == io_fd)
		io_fd = -1;
}

/* The parent opens /dev/micN, as it would for the card process. */
int
priv_open_dev(struct card *c)
{
	return (vio_devopen(c->c_name));
}

static void
ready(struct vio *v)
{
	(void)v;
}

static void
init(struct vio *v, struct card *c)
{
	memset(c, 0, sizeof(*c));
	(void)snprintf(c->c_name, sizeof(c->c_name), "mic0");
	memset(v, 0, sizeof(*v));
	v->v_card = c;
	v->v_name = "console";
	v->v_fd = -1;
	v->v_ready = ready;
}

ATF_TC(desc);
ATF_TC_HEAD(desc, tc)
{
	atf_tc_set_md_var(tc, "descr", "the console's block: header, two "
	    "vqconfigs with num 128 (little endian), 4 bytes of host and of "
	    "guest features, 12 bytes of config; 76 bytes");
}
ATF_TC_BODY(desc, tc)
{
	static const uint8_t feat[4] = { 0x01, 0x02, 0x03, 0x04 };
	static const uint8_t conf[12] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2 };
	struct vio v;
	struct card c;
	uint8_t want[76];

	init(&v, &c);
	ATF_REQUIRE_EQ(vio_desc(&v, 3, 2, 128, feat, 4, conf, 12), 0);
	ATF_CHECK_EQ(v.v_desclen, 76);
	memset(want, 0, sizeof(want));
	want[0] = 3;		/* type */
	want[1] = 2;		/* num_vq */
	want[2] = 4;		/* feature_len */
	want[3] = 12;		/* config_len */
	want[8 + 16] = 128;	/* vqconfig 0: num */
	want[32 + 16] = 128;	/* vqconfig 1 */
	memcpy(want + 56, feat, 4);	/* host; guest stays 0 */
	memcpy(want + 64, conf, 12);
	ATF_CHECK(memcmp(v.v_desc, want, sizeof(want)) == 0);
	ATF_CHECK_EQ(v.v_desc[76], 0);
}

ATF_TC(desc_limits);
ATF_TC_HEAD(desc_limits, tc)
{
	atf_tc_set_md_var(tc, "descr", "a block the driver would refuse is "
	    "refused here: bad type, ring count or size, too many features, "
	    "too big");
}
ATF_TC_BODY(desc_limits, tc)
{
	static uint8_t big[255];
	struct vio v;
	struct card c;

	init(&v, &c);
	ATF_CHECK_EQ(vio_desc(&v, 0, 1, 128, NULL, 0, NULL, 0), -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK_EQ(vio_desc(&v, -1, 1, 128, NULL, 0, NULL, 0), -1);
	ATF_CHECK_EQ(vio_desc(&v, 3, 0, 128, NULL, 0, NULL, 0), -1);
	ATF_CHECK_EQ(vio_desc(&v, 3, 5, 128, NULL, 0, NULL, 0), -1);
	ATF_CHECK_EQ(vio_desc(&v, 3, 1, 256, NULL, 0, NULL, 0), -1);
	ATF_CHECK_EQ(vio_desc(&v, 3, 1, 96, NULL, 0, NULL, 0), -1);
	ATF_CHECK_EQ(vio_desc(&v, 3, 1, 0, NULL, 0, NULL, 0), -1);
	ATF_CHECK_EQ(vio_desc(&v, 3, 1, 1, big, 33, NULL, 0), -1);
	/* 8 + 4 * 24 + 2 * 32 + 88 = 256 bytes: at the limit */
	ATF_CHECK_EQ(vio_desc(&v, 3, 4, 1, big, 32, big, 89), -1);
	ATF_CHECK_EQ(vio_desc(&v, 3, 4, 1, big, 32, big, 88), 0);
	ATF_CHECK_EQ(v.v_desclen, 256);
	ATF_CHECK_EQ(vio_desc(&v, 2, 1, 1, NULL, 0, big, 255), -1);
	ATF_CHECK_EQ(vio_desc(&v, 1, 1, 1, NULL, 0, NULL, 0), 0);
}

ATF_TC(fate);
ATF_TC_HEAD(fate, tc)
{
	atf_tc_set_md_var(tc, "descr", "EIO (a broken ring) adds the device "
	    "again, ENODEV (removed, card reset) ends it, EINTR retries, "
	    "anything else closes it");
}
ATF_TC_BODY(fate, tc)
{
	ATF_CHECK_EQ(vio_fate(EIO), VIO_READD);
	ATF_CHECK_EQ(vio_fate(ENODEV), VIO_ENDED);
	ATF_CHECK_EQ(vio_fate(EINTR), VIO_RETRY);
	ATF_CHECK_EQ(vio_fate(EINVAL), VIO_FAILED);
	ATF_CHECK_EQ(vio_fate(EFAULT), VIO_FAILED);
	ATF_CHECK_EQ(vio_fate(EAGAIN), VIO_FAILED);
}

ATF_TC(open_fails);
ATF_TC_HEAD(open_fails, tc)
{
	atf_tc_set_md_var(tc, "descr", "with no /dev/micN, or a file that is "
	    "not the driver's, the device is not added, nothing stays open, "
	    "and COPY_DESC says the device is gone");
}
ATF_TC_BODY(open_fails, tc)
{
	struct vio v;
	struct card c;
	size_t len;
	int fd;

	ATF_REQUIRE(mkdir("dev", 0755) == 0);
	ATF_REQUIRE(setenv("MIC_DEV_ROOT", "dev", 1) == 0);
	init(&v, &c);
	ATF_REQUIRE_EQ(vio_desc(&v, 3, 2, 128, NULL, 0, NULL, 0), 0);
	ATF_CHECK_EQ(vio_open(&v), -1);
	ATF_CHECK_EQ(v.v_fd, -1);
	fd = open("dev/mic0", O_WRONLY | O_CREAT, 0600);
	ATF_REQUIRE(fd != -1);
	(void)close(fd);
	ATF_CHECK_EQ(vio_open(&v), -1);		/* ENOTTY */
	ATF_CHECK_EQ(v.v_fd, -1);
	ATF_CHECK_EQ(io_fd, -1);
	ATF_CHECK(!vio_isopen(&v));
	len = 1;
	ATF_CHECK_EQ(vio_copy(&v, 0, NULL, 0, 0, &len), -1);
	ATF_CHECK_EQ(len, 0);
	vio_close(&v, "removed");		/* harmless */
}

/* A ring of 8 entries in memory, as the mapping shows it. */
#define PEEK_NUM	8
#define PEEK_AVAIL	(16 * PEEK_NUM)
#define PEEK_USED	4096
#define PEEK_TRAILER	(4096 + 6 + 8 * PEEK_NUM)

static void
peek_put16(uint8_t *p, unsigned int v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* Descriptor i: len bytes, writable or not, then next if next >= 0. */
static void
peek_desc(uint8_t *ring, unsigned int i, uint32_t len, int write, int next)
{
	uint8_t *d = ring + 16 * i;

	memset(d, 0, 16);
	peek_put16(d + 8, len & 0xffff);
	peek_put16(d + 10, len >> 16);
	peek_put16(d + 12, (write ? VRING_DESC_F_WRITE : 0) |
	    (next >= 0 ? VRING_DESC_F_NEXT : 0));
	peek_put16(d + 14, next >= 0 ? (unsigned int)next : 0);
}

ATF_TC(peek_forged);
ATF_TC_HEAD(peek_forged, tc)
{
	atf_tc_set_md_var(tc, "descr", "vio_peek() reads the chain the "
	    "ring's indices point at: with the trailer's avail_idx and the "
	    "used index the card forged, another chain than the next "
	    "available one, which is why micd takes its lengths as advice");
}
ATF_TC_BODY(peek_forged, tc)
{
	static const uint8_t feat[4];
	struct vio v;
	struct card c;
	struct vio_chain ch;
	uint8_t *map, *ring;

	init(&v, &c);
	ATF_REQUIRE(vio_desc(&v, 2, 1, PEEK_NUM, feat, sizeof(feat), NULL,
	    0) == 0);
	ATF_REQUIRE((map = calloc(1, MIC_DP_SIZE +
	    mic_vring_map_size(PEEK_NUM))) != NULL);
	v.v_map = map;
	ring = map + MIC_DP_SIZE;
	/* Slot 0, published: one writable buffer.  Slot 1: a read. */
	peek_desc(ring, 0, 529, 1, -1);
	peek_desc(ring, 5, 16, 0, 6);
	peek_desc(ring, 6, 512, 1, 7);
	peek_desc(ring, 7, 1, 1, -1);
	peek_put16(ring + PEEK_AVAIL + 4, 0);
	peek_put16(ring + PEEK_AVAIL + 6, 5);
	ATF_CHECK_EQ(vio_peek(&v, 0, &ch), 0);		/* nothing yet */
	peek_put16(ring + PEEK_AVAIL + 2, 1);
	ATF_REQUIRE_EQ(vio_peek(&v, 0, &ch), 1);
	ATF_CHECK_EQ(ch.vc_rlen, 0);
	ATF_CHECK_EQ(ch.vc_wlen, 529);
	ATF_CHECK_EQ(ch.vc_ndesc, 1);
	/* Taken 2, completed 1: slot 1 looks in progress. */
	peek_put16(ring + PEEK_TRAILER, 2);
	peek_put16(ring + PEEK_USED + 2, 1);
	ATF_REQUIRE_EQ(vio_peek(&v, 0, &ch), 1);
	ATF_CHECK_EQ(ch.vc_rlen, 16);
	ATF_CHECK_EQ(ch.vc_wlen, 513);
	ATF_CHECK_EQ(ch.vc_ndesc, 3);
	/* A loop never ends the walk: the peek gives up. */
	peek_desc(ring, 7, 1, 1, 5);
	ATF_CHECK_EQ(vio_peek(&v, 0, &ch), -1);
	free(map);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, desc);
	ATF_TP_ADD_TC(tp, desc_limits);
	ATF_TP_ADD_TC(tp, fate);
	ATF_TP_ADD_TC(tp, open_fails);
	ATF_TP_ADD_TC(tp, peek_forged);
	return (atf_no_error());
}
