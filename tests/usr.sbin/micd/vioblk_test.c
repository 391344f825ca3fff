/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vioblk.c: the request checks, the iovec layouts and the serial as pure
 * functions; then the backend whole over a fake host.  The fake's vio_*()
 * keep the ring in memory, peek at it (vio_peek()) and play COPY_DESC over
 * it as the host does: one cursor through the iovecs, the chain's
 * readable bytes first, completion on update_used.  The "card" writes
 * chains into that ring, with buffers in an array standing for its memory,
 * and the disks are image files in the work directory.  The card can also
 * make the peek see other lengths than the chain the host takes, as one
 * that forges the ring's indices does.
 */

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/virtio_blk.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>

#include <atf-c.h>

#include "mic.h"
#include "micd.h"

#define FAKE_MEM	(1 << 20)	/* the card's memory */
#define FAKE_MAPLEN	(MIC_DP_SIZE + 3 * 4096)
#define RING		(fake.f_map + MIC_DP_SIZE)
#define AVAIL		(16 * VIOBLK_NUM)
#define USED		4096
#define TRAILER		5126

struct seg {
	uint32_t	s_addr;
	uint32_t	s_len;
	int		s_write;
};

static struct {
	int		 f_fd;		/* the memfd of the ring */
	uint8_t		*f_map;
	uint8_t		 f_mem[FAKE_MEM];
	struct vio	*f_vio;		/* the last device added */
	int		 f_opens, f_closes;
	int		 f_ro;		/* the last device offered F_RO */
	uint64_t	 f_capacity;	/* the last device's */
	/* the host's walker */
	uint16_t	 f_last, f_used;
	int		 f_busy;
	struct seg	 f_chain[VIOBLK_NUM];
	unsigned int	 f_n, f_cur;
	uint32_t	 f_off, f_written, f_head;
	/* the card's */
	uint16_t	 f_avail;
	uint32_t	 f_lastlen;	/* of the last used entry */
	int		 f_completed;
	const struct vio_chain *f_lie;	/* what the peek sees; NULL: the truth */
	uint64_t	 f_copied;	/* bytes COPY_DESC moved, both ways */
} fake;

static struct card	card;
static struct cardconf	conf;

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static uint16_t
get16(const uint8_t *p)
{
	return ((uint16_t)(p[0] | p[1] << 8));
}

static uint32_t
get32(const uint8_t *p)
{
	return ((uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16);
}

int
vio_desc(struct vio *v, int type, unsigned int nvq, unsigned int num,
    const uint8_t *feat, size_t featlen, const void *config, size_t conflen)
{
	struct virtio_blk_config c;

	(void)v;
	ATF_CHECK_EQ(type, VIRTIO_ID_BLOCK);
	ATF_CHECK_EQ(nvq, 1);
	ATF_CHECK_EQ(num, VIOBLK_NUM);
	ATF_REQUIRE_EQ(featlen, 4);
	ATF_REQUIRE_EQ(conflen, sizeof(c));
	memcpy(&c, config, sizeof(c));
	fake.f_capacity = c.capacity;
	ATF_CHECK_EQ(c.seg_max, VIOBLK_NUM - 2);
	ATF_CHECK_EQ(c.blk_size, 512);
	ATF_CHECK_EQ((uint64_t)c.size_max * c.seg_max <= VIOBLK_DATA_MAX, 1);
	fake.f_ro = (get32(feat) >> VIRTIO_BLK_F_RO) & 1;
	ATF_CHECK((get32(feat) & (1U << VIRTIO_BLK_F_FLUSH)) != 0);
	ATF_CHECK((get32(feat) & (1U << VIRTIO_BLK_F_SEG_MAX)) != 0);
	return (0);
}

/* The parent opens the image, as it would for the card process. */
int
priv_open_disk(struct card *c, const char *path, int readonly)
{
	(void)c;
	return (vioblk_open_image(path, readonly));
}

int
vio_open(struct vio *v)
{
	v->v_fd = dup(fake.f_fd);
	ATF_REQUIRE(v->v_fd != -1);
	v->v_map = fake.f_map;
	fake.f_vio = v;
	fake.f_opens++;
	/* A new device: its ring starts empty. */
	fake.f_last = fake.f_avail;
	fake.f_busy = 0;
	fake.f_lie = NULL;
	return (0);
}

void
vio_close(struct vio *v, const char *why)
{
	(void)why;
	if (v->v_fd == -1)
		return;
	(void)close(v->v_fd);
	v->v_fd = -1;
	fake.f_closes++;
}

int
vio_isopen(const struct vio *v)
{
	return (v->v_fd != -1);
}

/* The chain at the next avail slot into f_chain; its length. */
static unsigned int
fake_walk(void)
{
	unsigned int i, n;
	uint8_t *d;

	fake.f_head = i = get16(RING + AVAIL + 4 + 2 * (fake.f_last % 128));
	for (n = 0; i < VIOBLK_NUM; n++) {
		ATF_REQUIRE(n < VIOBLK_NUM);
		d = RING + 16 * i;
		fake.f_chain[n].s_addr = get32(d);
		fake.f_chain[n].s_len = get32(d + 8);
		fake.f_chain[n].s_write = (get16(d + 12) & VRING_DESC_F_WRITE);
		ATF_REQUIRE(fake.f_chain[n].s_addr + fake.f_chain[n].s_len <=
		    FAKE_MEM);
		i = (get16(d + 12) & VRING_DESC_F_NEXT) ? get16(d + 14) :
		    VIOBLK_NUM;
	}
	return (n);
}

/* vio_peek(): the lengths of the chain in progress, or of the next. */
int
vio_peek(const struct vio *v, unsigned int r, struct vio_chain *ch)
{
	unsigned int i;

	ATF_REQUIRE(v->v_map != NULL);
	ATF_REQUIRE_EQ(r, 0);
	if (!fake.f_busy && get16(RING + AVAIL + 2) == fake.f_last)
		return (0);
	if (!fake.f_busy)
		fake.f_n = fake_walk();
	if (fake.f_lie != NULL) {
		*ch = *fake.f_lie;
		return (1);
	}
	memset(ch, 0, sizeof(*ch));
	for (i = 0; i < fake.f_n; i++) {
		if (fake.f_chain[i].s_write)
			ch->vc_wlen += fake.f_chain[i].s_len;
		else
			ch->vc_rlen += fake.f_chain[i].s_len;
	}
	ch->vc_ndesc = fake.f_n;
	return (1);
}

/* The host takes the next chain, as mic_vring_next_chain() does. */
static int
fake_take(void)
{
	if (fake.f_busy)
		return (1);
	if (get16(RING + AVAIL + 2) == fake.f_last)
		return (0);
	fake.f_n = fake_walk();
	fake.f_cur = fake.f_off = fake.f_written = 0;
	fake.f_last++;
	put16(RING + TRAILER, fake.f_last);
	fake.f_busy = 1;
	return (1);
}

/* COPY_DESC: one cursor through the iovecs and the chain. */
int
vio_copy(struct vio *v, unsigned int r, struct iovec *iov, size_t iovcnt,
    int update, size_t *lenp)
{
	struct seg *s;
	size_t i, ioff, k;

	*lenp = 0;
	ATF_REQUIRE(v->v_fd != -1);
	ATF_REQUIRE_EQ(r, 0);
	ATF_REQUIRE(iovcnt <= 1024);
	if (!fake_take())
		return (0);
	for (i = ioff = 0; fake.f_cur < fake.f_n; ) {
		s = &fake.f_chain[fake.f_cur];
		if (fake.f_off == s->s_len) {
			fake.f_cur++;
			fake.f_off = 0;
			continue;
		}
		while (i < iovcnt && ioff == iov[i].iov_len) {
			i++;
			ioff = 0;
		}
		if (i == iovcnt)
			break;
		k = s->s_len - fake.f_off;
		if (k > iov[i].iov_len - ioff)
			k = iov[i].iov_len - ioff;
		if (s->s_write) {
			memcpy(fake.f_mem + s->s_addr + fake.f_off,
			    (char *)iov[i].iov_base + ioff, k);
			fake.f_written += k;
		} else
			memcpy((char *)iov[i].iov_base + ioff,
			    fake.f_mem + s->s_addr + fake.f_off, k);
		fake.f_off += k;
		ioff += k;
		*lenp += k;
	}
	fake.f_copied += *lenp;
	if (update && (*lenp > 0 || fake.f_cur == fake.f_n)) {
		put32(RING + USED + 4 + 8 * (fake.f_used % 128), fake.f_head);
		put32(RING + USED + 8 + 8 * (fake.f_used % 128),
		    fake.f_written);
		fake.f_used++;
		put16(RING + USED + 2, fake.f_used);
		fake.f_busy = 0;
		fake.f_lastlen = fake.f_written;
		fake.f_completed++;
		fake.f_lie = NULL;
	}
	return (0);
}

/* The card posts a chain of n segments at descriptor 0. */
static void
card_post(const struct seg *s, unsigned int n)
{
	unsigned int i;
	uint8_t *d;

	for (i = 0; i < n; i++) {
		d = RING + 16 * i;
		memset(d, 0, 16);
		put32(d, s[i].s_addr);
		put32(d + 8, s[i].s_len);
		put16(d + 12, (uint16_t)((s[i].s_write ? VRING_DESC_F_WRITE :
		    0) | (i + 1 < n ? VRING_DESC_F_NEXT : 0)));
		put16(d + 14, (uint16_t)(i + 1));
	}
	put16(RING + AVAIL + 4 + 2 * (fake.f_avail % 128), 0);
	fake.f_avail++;
	put16(RING + AVAIL + 2, fake.f_avail);
}

/* A header at card address 0. */
static void
card_hdr(uint32_t type, uint64_t sector)
{
	memset(fake.f_mem, 0, 16);
	put32(fake.f_mem, type);
	put32(fake.f_mem + 8, (uint32_t)sector);
	put32(fake.f_mem + 12, (uint32_t)(sector >> 32));
}

#define ST	0x1000		/* the status byte */
#define DATA	0x2000		/* the data */

/* Post the chain, serve it, and return its status byte. */
static int
card_run(const struct seg *s, unsigned int n)
{
	int done;

	fake.f_mem[ST] = 0xff;
	done = fake.f_completed;
	card_post(s, n);
	ATF_REQUIRE(fake.f_vio != NULL && fake.f_vio->v_fd != -1);
	fake.f_vio->v_ready(fake.f_vio);
	ATF_REQUIRE_EQ(fake.f_completed, done + 1);
	return (fake.f_mem[ST]);
}

/* A fresh fake host; the card up with disks of the given paths. */
static void
setup(const char *const *paths, const int *ro, size_t n)
{
	size_t i;

	memset(&fake, 0, sizeof(fake));
	fake.f_fd = open("ring", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600);
	ATF_REQUIRE(fake.f_fd != -1);
	ATF_REQUIRE(ftruncate(fake.f_fd, FAKE_MAPLEN) == 0);
	fake.f_map = mmap(NULL, FAKE_MAPLEN, PROT_READ | PROT_WRITE,
	    MAP_SHARED, fake.f_fd, 0);
	ATF_REQUIRE(fake.f_map != MAP_FAILED);
	memset(&card, 0, sizeof(card));
	memset(&conf, 0, sizeof(conf));
	(void)snprintf(card.c_name, sizeof(card.c_name), "mic0");
	for (i = 0; i < n; i++) {
		conf.cc_disks[i].d_path = (char *)(uintptr_t)paths[i];
		conf.cc_disks[i].d_readonly = ro != NULL && ro[i];
	}
	conf.cc_ndisks = n;
	card.c_conf = &conf;
	card.c_up = 1;
	log_init(1, 0);
}

/* An image of size bytes, byte i being (i / 512 + i) & 0xff. */
static void
image(const char *path, size_t size)
{
	unsigned char *p;
	int fd;
	size_t i;

	ATF_REQUIRE((p = malloc(size + 1)) != NULL);
	for (i = 0; i < size; i++)
		p[i] = (unsigned char)(i / 512 + i);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ATF_REQUIRE(fd != -1);
	ATF_REQUIRE_EQ(write(fd, p, size), (ssize_t)size);
	(void)close(fd);
	free(p);
}

/* Byte off of the image at path. */
static int
image_byte(const char *path, off_t off)
{
	unsigned char b;
	int fd;

	fd = open(path, O_RDONLY);
	ATF_REQUIRE(fd != -1);
	ATF_REQUIRE_EQ(pread(fd, &b, 1, off), 1);
	(void)close(fd);
	return (b);
}

static const char *const one[] = { "a.img" };

ATF_TC(check);
ATF_TC_HEAD(check, tc)
{
	atf_tc_set_md_var(tc, "descr", "vioblk_check() judges a request by "
	    "its type, its lengths and its sector range, without overflow");
}
ATF_TC_BODY(check, tc)
{
	struct vioblk_req rq;
	const uint64_t cap = 100;
	static const struct {
		uint32_t	type;
		uint64_t	sector, rlen, wlen;
		int		ro;
		enum vioblk_verdict vv;
	} t[] = {
		{ VIRTIO_BLK_T_IN, 0, 16, 513, 0, VIOBLK_OK },
		{ VIRTIO_BLK_T_IN, 99, 16, 513, 0, VIOBLK_OK },
		{ VIRTIO_BLK_T_IN, 99, 16, 1025, 0, VIOBLK_PASTEND },
		{ VIRTIO_BLK_T_IN, 100, 16, 513, 0, VIOBLK_PASTEND },
		{ VIRTIO_BLK_T_IN, 100, 16, 1, 0, VIOBLK_OK },
		{ VIRTIO_BLK_T_IN, UINT64_MAX, 16, 513, 0, VIOBLK_PASTEND },
		{ VIRTIO_BLK_T_IN, UINT64_MAX / 512, 16, 513, 0,
		    VIOBLK_PASTEND },
		{ VIRTIO_BLK_T_IN, 0, 16, 512, 0, VIOBLK_UNALIGNED },
		{ VIRTIO_BLK_T_IN, 0, 16, VIOBLK_DATA_MAX + 1, 0, VIOBLK_PASTEND },
		{ VIRTIO_BLK_T_IN, 0, 16, VIOBLK_DATA_MAX + 513, 0,
		    VIOBLK_TOOLONG },
		{ VIRTIO_BLK_T_IN, 0, 16, 513, 1, VIOBLK_OK },
		{ VIRTIO_BLK_T_OUT, 0, 528, 1, 0, VIOBLK_OK },
		{ VIRTIO_BLK_T_OUT, 0, 528, 1, 1, VIOBLK_READONLY },
		{ VIRTIO_BLK_T_OUT, 99, 1040, 1, 0, VIOBLK_PASTEND },
		{ VIRTIO_BLK_T_OUT, 0, 20, 1, 0, VIOBLK_UNALIGNED },
		{ VIRTIO_BLK_T_OUT, 0, 16 + 1ULL + UINT32_MAX, 1, 0,
		    VIOBLK_TOOLONG },
		{ VIRTIO_BLK_T_FLUSH, 0, 16, 1, 0, VIOBLK_OK },
		{ VIRTIO_BLK_T_FLUSH, 0, 16, 1, 1, VIOBLK_OK },
		{ VIRTIO_BLK_T_GET_ID, 0, 16, 21, 0, VIOBLK_OK },
		{ 0x77, 0, 16, 1, 0, VIOBLK_UNSUPP },
		{ VIRTIO_BLK_T_DISCARD, 0, 32, 1, 0, VIOBLK_UNSUPP },
		{ VIRTIO_BLK_T_IN, 0, 8, 1, 0, VIOBLK_SHORTHDR },
		{ VIRTIO_BLK_T_IN, 0, 0, 513, 0, VIOBLK_SHORTHDR },
		{ VIRTIO_BLK_T_IN, 0, 16, 0, 0, VIOBLK_NOSTATUS },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&rq, 0, sizeof(rq));
		rq.rq_type = t[i].type;
		rq.rq_sector = t[i].sector;
		rq.rq_rlen = t[i].rlen;
		rq.rq_wlen = t[i].wlen;
		ATF_CHECK_EQ_MSG(vioblk_check(&rq, cap, t[i].ro), t[i].vv,
		    "case %zu", i);
	}
	ATF_CHECK_EQ(vioblk_status(VIOBLK_OK), VIRTIO_BLK_S_OK);
	ATF_CHECK_EQ(vioblk_status(VIOBLK_UNSUPP), VIRTIO_BLK_S_UNSUPP);
	ATF_CHECK_EQ(vioblk_status(VIOBLK_PASTEND), VIRTIO_BLK_S_IOERR);
	ATF_CHECK_EQ(vioblk_status(VIOBLK_SHORTHDR), VIRTIO_BLK_S_IOERR);
	ATF_CHECK_EQ(vioblk_status(VIOBLK_NOSTATUS), -1);
}

ATF_TC(iov);
ATF_TC_HEAD(iov, tc)
{
	atf_tc_set_md_var(tc, "descr", "vioblk_head() and vioblk_iov() lay "
	    "out the iovecs for the chain's lengths, the status byte last, "
	    "never more than the iovec limit");
}
ATF_TC_BODY(iov, tc)
{
	struct iovec iov[1024];
	struct vioblk_out o;
	char hdr[16], buf[64], sink[8];
	static const char zero[8];
	const char data[3] = "abc";
	size_t n, i, total;

	ATF_CHECK_EQ(vioblk_head(iov, hdr, buf, 16), 1);
	ATF_CHECK_EQ(iov[0].iov_len, 16);
	ATF_CHECK_EQ(vioblk_head(iov, hdr, buf, 16 + 512), 2);
	ATF_CHECK_EQ(iov[1].iov_len, 512);
	ATF_CHECK_EQ(vioblk_head(iov, hdr, buf, 1ULL << 32), 2);
	ATF_CHECK_EQ(iov[1].iov_len, VIOBLK_DATA_MAX);
	memset(&o, 0, sizeof(o));
	o.o_skip = 20;
	o.o_data = data;
	o.o_len = 3;
	o.o_zero = 9;
	o.o_status = 2;
	n = vioblk_iov(iov, 1024, &o, sink, zero, sizeof(sink));
	ATF_REQUIRE_EQ(n, 3 + 1 + 2 + 1);
	ATF_CHECK(iov[0].iov_base == sink && iov[0].iov_len == 8);
	ATF_CHECK(iov[2].iov_base == sink && iov[2].iov_len == 4);
	ATF_CHECK(iov[3].iov_base == data && iov[3].iov_len == 3);
	ATF_CHECK(iov[4].iov_base == zero && iov[5].iov_len == 1);
	ATF_CHECK_EQ(iov[6].iov_len, 1);
	ATF_CHECK_EQ(*(unsigned char *)iov[6].iov_base, 2);
	/* No status: one zero byte, so that the chain is completed. */
	memset(&o, 0, sizeof(o));
	o.o_status = -1;
	ATF_REQUIRE_EQ(vioblk_iov(iov, 1024, &o, sink, zero, 8), 1);
	ATF_CHECK(iov[0].iov_base == zero && iov[0].iov_len == 1);
	/* Too much to skip: the limit holds, the status is still last. */
	o.o_skip = 1ULL << 32;
	o.o_zero = 1ULL << 32;
	o.o_status = 1;
	n = vioblk_iov(iov, 1024, &o, sink, zero, 8);
	ATF_CHECK_EQ(n, 1024);
	for (i = total = 0; i < n; i++)
		total += iov[i].iov_len;
	ATF_CHECK_EQ(iov[n - 1].iov_len, 1);
	ATF_CHECK_EQ(*(unsigned char *)iov[n - 1].iov_base, 1);
}

ATF_TC(serial);
ATF_TC_HEAD(serial, tc)
{
	atf_tc_set_md_var(tc, "descr", "the serial is a hash of the path and "
	    "its last component, 20 bytes at most, the same for the same "
	    "path");
}
ATF_TC_BODY(serial, tc)
{
	uint8_t a[VIRTIO_BLK_ID_BYTES], b[VIRTIO_BLK_ID_BYTES];

	vioblk_serial("/var/lib/mic/root.img", a);
	vioblk_serial("/var/lib/mic/root.img", b);
	ATF_CHECK(memcmp(a, b, sizeof(a)) == 0);
	ATF_CHECK_MATCH("^[0-9a-f]{8}-root\\.img$", (const char *)a);
	vioblk_serial("/srv/root.img", b);
	ATF_CHECK(memcmp(a, b, sizeof(a)) != 0);
	ATF_CHECK(memcmp(a + 8, b + 8, 9) == 0);
	vioblk_serial("a-very-long-name-for-an-image.img", a);
	ATF_CHECK(memcmp(a + 8, "-a-very-long", 12) == 0);
}

ATF_TC(rw);
ATF_TC_HEAD(rw, tc)
{
	atf_tc_set_md_var(tc, "descr", "reads and writes through the fake "
	    "host: the image's bytes reach the card, the card's reach the "
	    "image, a flush and GET_ID succeed");
}
ATF_TC_BODY(rw, tc)
{
	const struct seg rd[] = {
		{ 0, 16, 0 }, { DATA, 300, 1 }, { DATA + 300, 724, 1 },
		{ ST, 1, 1 }
	};
	const struct seg wr[] = { { 0, 16, 0 }, { DATA, 512, 0 },
		{ ST, 1, 1 } };
	const struct seg id[] = { { 0, 16, 0 }, { DATA, 20, 1 },
		{ ST, 1, 1 } };
	const struct seg fl[] = { { 0, 16, 0 }, { ST, 1, 1 } };
	int i;

	image("a.img", 64 * 512 + 100);
	setup(one, NULL, 1);
	ATF_REQUIRE_EQ(vioblk_backend.b_start(&card), 0);
	ATF_CHECK_EQ(fake.f_opens, 1);
	ATF_CHECK_EQ(fake.f_capacity, 64);
	ATF_CHECK_EQ(fake.f_ro, 0);
	card_hdr(VIRTIO_BLK_T_IN, 3);
	ATF_CHECK_EQ(card_run(rd, 4), VIRTIO_BLK_S_OK);
	ATF_CHECK_EQ(fake.f_lastlen, 1025);
	for (i = 0; i < 1024; i++)
		if (fake.f_mem[DATA + i] != (unsigned char)(3 + i / 512 +
		    3 * 512 + i))
			break;
	ATF_CHECK_EQ_MSG(i, 1024, "read: byte %d differs", i);
	memset(fake.f_mem + DATA, 0x5a, 512);
	card_hdr(VIRTIO_BLK_T_OUT, 63);
	ATF_CHECK_EQ(card_run(wr, 3), VIRTIO_BLK_S_OK);
	ATF_CHECK_EQ(fake.f_lastlen, 1);
	ATF_CHECK_EQ(image_byte("a.img", 63 * 512), 0x5a);
	ATF_CHECK_EQ(image_byte("a.img", 63 * 512 + 511), 0x5a);
	ATF_CHECK_EQ(image_byte("a.img", 64 * 512),
	    (unsigned char)(64 + 64 * 512));
	card_hdr(VIRTIO_BLK_T_FLUSH, 0);
	ATF_CHECK_EQ(card_run(fl, 2), VIRTIO_BLK_S_OK);
	card_hdr(VIRTIO_BLK_T_GET_ID, 0);
	ATF_CHECK_EQ(card_run(id, 3), VIRTIO_BLK_S_OK);
	ATF_CHECK_MATCH("^[0-9a-f]{8}-a\\.img$",
	    (const char *)fake.f_mem + DATA);
	vioblk_backend.b_stop(&card);
	ATF_CHECK_EQ(fake.f_closes, 1);
}

ATF_TC(bad);
ATF_TC_HEAD(bad, tc)
{
	atf_tc_set_md_var(tc, "descr", "malformed requests get an error "
	    "status in the last byte of the chain, and write nothing: past "
	    "the end, overflow, unknown type, short header, a write to a "
	    "read-only disk, a chain with no status byte");
}
ATF_TC_BODY(bad, tc)
{
	const struct seg rd[] = { { 0, 16, 0 }, { DATA, 512, 1 },
		{ ST, 1, 1 } };
	const struct seg wr[] = { { 0, 16, 0 }, { DATA, 1024, 0 },
		{ ST, 1, 1 } };
	const struct seg shorthdr[] = { { 0, 8, 0 }, { ST, 1, 1 } };
	const struct seg nostatus[] = { { 0, 16, 0 }, { DATA, 512, 0 } };
	static const char *const two[] = { "a.img", "b.img" };
	static const int ro[] = { 0, 1 };
	struct stat st;

	image("a.img", 8 * 512);
	image("b.img", 8 * 512);
	setup(two, ro, 1);
	ATF_REQUIRE_EQ(vioblk_backend.b_start(&card), 0);
	memset(fake.f_mem + DATA, 0x77, 1024);
	card_hdr(VIRTIO_BLK_T_IN, 8);
	ATF_CHECK_EQ(card_run(rd, 3), VIRTIO_BLK_S_IOERR);
	ATF_CHECK_EQ(fake.f_mem[DATA], 0);	/* zeros, not image bytes */
	card_hdr(VIRTIO_BLK_T_OUT, 7);
	ATF_CHECK_EQ(card_run(wr, 3), VIRTIO_BLK_S_IOERR);
	card_hdr(VIRTIO_BLK_T_IN, UINT64_MAX);
	ATF_CHECK_EQ(card_run(rd, 3), VIRTIO_BLK_S_IOERR);
	card_hdr(0x77, 0);
	ATF_CHECK_EQ(card_run(rd, 3), VIRTIO_BLK_S_UNSUPP);
	card_hdr(VIRTIO_BLK_T_IN, 0);
	ATF_CHECK_EQ(card_run(shorthdr, 2), VIRTIO_BLK_S_IOERR);
	card_hdr(VIRTIO_BLK_T_OUT, 0);
	(void)card_run(nostatus, 2);
	ATF_CHECK_EQ(fake.f_lastlen, 0);
	ATF_REQUIRE(stat("a.img", &st) == 0);
	ATF_CHECK_EQ(st.st_size, 8 * 512);
	ATF_CHECK_EQ(image_byte("a.img", 7 * 512), (7 + 7 * 512) & 0xff);
	ATF_CHECK_EQ(image_byte("a.img", 0), 0);
	vioblk_backend.b_stop(&card);
	/* The read-only disk refuses a write. */
	setup(two + 1, ro + 1, 1);
	ATF_REQUIRE_EQ(vioblk_backend.b_start(&card), 0);
	ATF_CHECK_EQ(fake.f_ro, 1);
	memset(fake.f_mem + DATA, 0x5a, 1024);
	card_hdr(VIRTIO_BLK_T_OUT, 0);
	ATF_CHECK_EQ(card_run(wr, 3), VIRTIO_BLK_S_IOERR);
	ATF_CHECK_EQ(image_byte("b.img", 0), 0);
	card_hdr(VIRTIO_BLK_T_IN, 0);
	ATF_CHECK_EQ(card_run(rd, 3), VIRTIO_BLK_S_OK);
	vioblk_backend.b_stop(&card);
}

#define PAT	0xa5		/* what micd must never send the card */
#define BIG	(512 * 1024)	/* a segment of the big chains */

/*
 * Fill the stack below the caller with the pattern, as a call of the
 * backend from the same caller will find it.
 */
static void __attribute__((__noinline__))
stack_fill(void)
{
	char buf[128 * 1024];

	memset(buf, PAT, sizeof(buf));
	__asm__ __volatile__("" : : "r"(buf) : "memory");
}

/* Post the chain and serve it over a stack full of the pattern. */
static void
card_try(const struct seg *s, unsigned int n, const struct vio_chain *lie)
{
	card_post(s, n);
	fake.f_lie = lie;
	ATF_REQUIRE(fake.f_vio != NULL && fake.f_vio->v_fd != -1);
	stack_fill();
	fake.f_vio->v_ready(fake.f_vio);
}

/* The card's memory holds no byte of the pattern; then it is cleared. */
static void
card_clean(const char *what)
{
	size_t i;

	for (i = 0; i < FAKE_MEM; i++)
		if (fake.f_mem[i] == PAT)
			break;
	ATF_CHECK_MSG(i == FAKE_MEM, "%s: the card got the pattern at %#zx",
	    what, i);
	memset(fake.f_mem, 0, FAKE_MEM);
}

/* An image of sectors sectors of the byte b, sector 0 of the byte b0. */
static void
image_fill(const char *path, size_t sectors, int b0, int b)
{
	char *p;
	int fd;

	ATF_REQUIRE((p = malloc(sectors * 512)) != NULL);
	memset(p, b, sectors * 512);
	memset(p, b0, 512);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ATF_REQUIRE(fd != -1);
	ATF_REQUIRE_EQ(write(fd, p, sectors * 512), (ssize_t)(sectors * 512));
	(void)close(fd);
	free(p);
}

/* The header, nseg data segments of BIG (writable or not), the status. */
static unsigned int
big_chain(struct seg *s, unsigned int nseg, int writable)
{
	unsigned int i;

	s[0] = (struct seg){ 0, 16, 0 };
	for (i = 1; i <= nseg; i++)
		s[i] = (struct seg){ DATA, BIG, writable };
	s[i++] = (struct seg){ ST, 1, 1 };
	return (i);
}

/* A read of VIOBLK_DATA_MAX bytes at sector 1: 16 segments of BIG. */
static unsigned int
big_read(struct seg *s)
{
	return (big_chain(s, VIOBLK_DATA_MAX / BIG, 1));
}

ATF_TC(stale);
ATF_TC_HEAD(stale, tc)
{
	atf_tc_set_md_var(tc, "descr", "whatever chain the card makes the "
	    "peek see, micd sends it only bytes written for its request: not "
	    "its stack (the header buffer), not the data of an earlier "
	    "request, not bytes the card wrote into the zeros micd sends");
}
ATF_TC_BODY(stale, tc)
{
	static struct seg s[VIOBLK_NUM];
	const struct seg nodata[] = { { DATA, 600, 1 } };
	const struct seg half[] = { { 0, 8, 0 }, { DATA, 600, 1 } };
	const struct seg fill[] = { { 0, 16, 0 }, { DATA, 513, 0 } };
	const struct seg past[] = { { 0, 16, 0 }, { DATA, 512, 1 },
		{ ST, 1, 1 } };
	const struct vio_chain rd = { 16, 513, 2 }, wr = { 16 + 512, 1, 2 },
	    shorthdr = { 8, 100, 2 };
	static const char *const disk[] = { "p.img" };
	int done;

	/* Sector 0 holds 0x11, the rest the pattern. */
	image_fill("p.img", 1 + VIOBLK_DATA_MAX / 512 + 1, 0x11, PAT);
	setup(disk, NULL, 1);
	ATF_REQUIRE_EQ(vioblk_backend.b_start(&card), 0);
	/* The pattern fills micd's data buffer... */
	card_hdr(VIRTIO_BLK_T_IN, 1);
	ATF_CHECK_EQ(card_run(s, big_read(s)), VIRTIO_BLK_S_OK);
	ATF_CHECK_EQ(fake.f_mem[DATA], PAT);
	memset(fake.f_mem, 0, FAKE_MEM);
	/*
	 * ...and its zeros: a refused read whose peek shows a header and
	 * writable bytes, while the chain has the pattern there to read.
	 */
	card_hdr(VIRTIO_BLK_T_IN, 1ULL << 40);
	memset(fake.f_mem + DATA, PAT, 513);
	done = fake.f_completed;
	card_try(fill, 2, &rd);
	ATF_CHECK_EQ(fake.f_completed, done + 1);
	memset(fake.f_mem, 0, FAKE_MEM);

	/* A header and a read to the peek; no header, no data, in the ring. */
	card_try(nodata, 1, &rd);
	card_clean("a read with no header");
	/* A write to the peek; half a header, then writable bytes. */
	put32(fake.f_mem, VIRTIO_BLK_T_OUT);
	card_try(half, 2, &wr);
	card_clean("a write with half a header");
	/* A short header to the peek; writable bytes only. */
	card_try(nodata, 1, &shorthdr);
	card_clean("a short header");
	/* An honest request refused: zeros, then the status. */
	card_hdr(VIRTIO_BLK_T_IN, 1ULL << 40);
	ATF_CHECK_EQ(card_run(past, 3), VIRTIO_BLK_S_IOERR);
	card_clean("a refused read");
	ATF_CHECK_EQ(fake.f_closes, 0);
	vioblk_backend.b_stop(&card);
}

ATF_TC(toolong);
ATF_TC_HEAD(toolong, tc)
{
	atf_tc_set_md_var(tc, "descr", "a chain longer than the segments "
	    "micd offers is not walked: the disk is added again, nothing is "
	    "copied; a request of the full size is served; a chain longer "
	    "than its peek costs no more than the peek's lengths");
}
ATF_TC_BODY(toolong, tc)
{
	static struct seg s[VIOBLK_NUM];
	const struct seg rd[] = { { 0, 16, 0 }, { DATA, 512, 1 },
		{ ST, 1, 1 } };
	const struct vio_chain small = { 16, 513, 3 };
	unsigned int i, n;

	image("a.img", 2 * VIOBLK_DATA_MAX);
	setup(one, NULL, 1);
	ATF_REQUIRE_EQ(vioblk_backend.b_start(&card), 0);
	/* The most micd offers: served. */
	card_hdr(VIRTIO_BLK_T_IN, 0);
	ATF_CHECK_EQ(card_run(s, big_read(s)), VIRTIO_BLK_S_OK);
	/* One segment more to write into: the disk comes back, unwalked. */
	n = big_read(s);
	s[n - 1] = (struct seg){ DATA, BIG, 1 };
	s[n++] = (struct seg){ ST, 1, 1 };
	fake.f_copied = 0;
	card_hdr(VIRTIO_BLK_T_IN, 0);
	card_try(s, n, NULL);
	ATF_CHECK_EQ(fake.f_copied, 0);
	ATF_CHECK_EQ(fake.f_closes, 1);
	ATF_CHECK_EQ(fake.f_opens, 2);
	/* The same to read from: a write of 126 segments of BIG. */
	n = big_chain(s, VIOBLK_SEG_MAX, 0);
	card_hdr(VIRTIO_BLK_T_OUT, 0);
	card_try(s, n, NULL);
	ATF_CHECK_EQ(fake.f_copied, 0);
	ATF_CHECK_EQ(fake.f_closes, 2);
	ATF_CHECK_EQ(fake.f_opens, 3);
	/* The added disk serves requests. */
	card_hdr(VIRTIO_BLK_T_IN, 0);
	ATF_CHECK_EQ(card_run(rd, 3), VIRTIO_BLK_S_OK);
	/* A peek of a small read over a chain of 63 MiB to write into. */
	n = big_chain(s, VIOBLK_SEG_MAX, 1);
	fake.f_copied = 0;
	i = (unsigned int)fake.f_completed;
	card_hdr(VIRTIO_BLK_T_IN, 0);
	card_try(s, n, &small);
	ATF_CHECK_EQ(fake.f_completed, (int)i + 1);
	ATF_CHECK_EQ(fake.f_copied, 16 + 512 + 1);
	ATF_CHECK_EQ(fake.f_closes, 2);
	vioblk_backend.b_stop(&card);
}

ATF_TC(config);
ATF_TC_HEAD(config, tc)
{
	atf_tc_set_md_var(tc, "descr", "a new configuration on a running "
	    "card removes the disks that left, adds the new ones, leaves the "
	    "others; a changed read-only flag is a removal and an add; a "
	    "missing image costs no device");
}
ATF_TC_BODY(config, tc)
{
	static const char *const ab[] = { "a.img", "b.img" };
	static const char *const bcm[] = { "b.img", "c.img", "missing.img" };
	static const int ro_c[] = { 0, 1, 0 };
	static const int ro_b[] = { 1 };
	struct cardconf old;

	image("a.img", 4096);
	image("b.img", 4096);
	image("c.img", 4096);
	setup(ab, NULL, 2);
	ATF_REQUIRE_EQ(vioblk_backend.b_start(&card), 0);
	ATF_CHECK_EQ(fake.f_opens, 2);
	old = conf;
	setup(bcm, ro_c, 3);
	fake.f_opens = 2;
	vioblk_backend.b_config(&card, &old);
	ATF_CHECK_EQ(fake.f_closes, 1);		/* a */
	ATF_CHECK_EQ(fake.f_opens, 3);		/* c; not missing */
	ATF_CHECK_EQ(fake.f_ro, 1);
	old = conf;
	setup(bcm + 0, ro_b, 1);
	fake.f_opens = 3;
	fake.f_closes = 1;
	vioblk_backend.b_config(&card, &old);
	ATF_CHECK_EQ(fake.f_closes, 3);		/* b, c */
	ATF_CHECK_EQ(fake.f_opens, 4);		/* b read-only */
	ATF_CHECK_EQ(fake.f_ro, 1);
	/* A card that is down only keeps the settings. */
	card.c_up = 0;
	old = conf;
	vioblk_backend.b_stop(&card);
	ATF_CHECK_EQ(fake.f_closes, 4);
	setup(ab, NULL, 2);
	card.c_up = 0;
	vioblk_backend.b_config(&card, &old);
	ATF_CHECK_EQ(fake.f_opens, 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, check);
	ATF_TP_ADD_TC(tp, iov);
	ATF_TP_ADD_TC(tp, serial);
	ATF_TP_ADD_TC(tp, rw);
	ATF_TP_ADD_TC(tp, bad);
	ATF_TP_ADD_TC(tp, config);
	ATF_TP_ADD_TC(tp, stale);
	ATF_TP_ADD_TC(tp, toolong);
	return (atf_no_error());
}
