/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host's ring walker (sys/dev/mic/common/mic_vring.c), built with the
 * host libc.  The tests play the card: they build rings through the
 * layout of <linux/virtio_ring.h> (vring_init()), which the walker does
 * not use, so that the two must agree.  Every ring starts right after an
 * inaccessible page, and the rest of its last page holds a canary, then
 * comes another inaccessible page: a read or write before the ring, or
 * far beyond it, kills the test; a write just beyond it kills the canary.
 * (The fuzzer, under ASan, checks the end of the ring to the byte.)
 */

#include <sys/mman.h>

#include <endian.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>
#include <linux/virtio_ring.h>

#include "mic_vring.h"

#define	WINDOW		(1u << 20)	/* the card window of most tests */
#define	RING_SIZE(num)	(mic_vring_size(num) + sizeof(struct mic_vring_info))
#define	ROUND(x, a)	(((x) + (a) - 1) / (a) * (a))
#define	CANARY		0xc5

/* One buffer as the card posts it. */
struct seg {
	uint64_t	addr;
	uint32_t	len;
	int		write;
};

/* The card's side of a ring. */
struct card {
	struct vring	 c_vr;
	unsigned int	 c_num;
	uint16_t	 c_avail;	/* the next avail index to publish */
	uint16_t	 c_free;	/* the next descriptor to fill */
};

static unsigned char	*guarded(size_t, int);
static unsigned char	*ring_alloc(unsigned int);
static void		 canary_check(const unsigned char *, unsigned int);
static void		 card_init(struct card *, unsigned char *,
			    unsigned int);
static void		 card_desc(struct card *, unsigned int, uint64_t,
			    uint32_t, uint16_t, uint16_t);
static void		 card_push(struct card *, uint16_t);
static uint16_t		 card_post(struct card *, const struct seg *, int);
static void		 setup(struct mic_vring *, struct card *, unsigned int,
			    uint64_t);
static void		 expect_broken(struct mic_vring *,
			    enum mic_vring_err);
static uint16_t		 info_idx(const struct card *);
static uint32_t		 rnd(uint32_t *);

/*
 * size bytes between two inaccessible pages: flush against the one after
 * them (back), or starting right after the one before them.
 */
static unsigned char *
guarded(size_t size, int back)
{
	long pg;
	size_t span;
	unsigned char *base;

	pg = sysconf(_SC_PAGESIZE);
	ATF_REQUIRE(pg > 0);
	span = ROUND(size, (size_t)pg);
	base = mmap(NULL, span + 2 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	ATF_REQUIRE(base != MAP_FAILED);
	ATF_REQUIRE(mprotect(base + pg, span, PROT_READ | PROT_WRITE) == 0);
	if (!back)
		return (base + pg);
	return (base + pg + span - size);
}

/*
 * A ring and its trailer, page-aligned as the walker requires, zeroed,
 * and the canary after it up to the guard page.
 */
static unsigned char *
ring_alloc(unsigned int num)
{
	unsigned char *p;
	size_t span;

	span = ROUND(RING_SIZE(num), (size_t)sysconf(_SC_PAGESIZE));
	p = guarded(span, 0);
	memset(p, 0, RING_SIZE(num));
	memset(p + RING_SIZE(num), CANARY, span - RING_SIZE(num));
	return (p);
}

static void
canary_check(const unsigned char *ring, unsigned int num)
{
	size_t i, span;

	span = ROUND(RING_SIZE(num), (size_t)sysconf(_SC_PAGESIZE));
	for (i = RING_SIZE(num); i < span; i++)
		if (ring[i] != CANARY)
			atf_tc_fail("num %u: byte %zu after the ring written",
			    num, i - RING_SIZE(num));
}

static void
card_init(struct card *c, unsigned char *ring, unsigned int num)
{
	memset(c, 0, sizeof(*c));
	vring_init(&c->c_vr, num, ring, MIC_VIRTIO_RING_ALIGN);
	c->c_num = num;
}

static void
card_desc(struct card *c, unsigned int i, uint64_t addr, uint32_t len,
    uint16_t flags, uint16_t next)
{
	c->c_vr.desc[i].addr = htole64(addr);
	c->c_vr.desc[i].len = htole32(len);
	c->c_vr.desc[i].flags = htole16(flags);
	c->c_vr.desc[i].next = htole16(next);
}

/* Make the chain at head available: the entry, then the index. */
static void
card_push(struct card *c, uint16_t head)
{
	c->c_vr.avail->ring[c->c_avail % c->c_num] = htole16(head);
	c->c_avail++;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	c->c_vr.avail->idx = htole16(c->c_avail);
}

/*
 * Post a chain of n buffers in the next free descriptors; return its head.
 */
static uint16_t
card_post(struct card *c, const struct seg *s, int n)
{
	uint16_t head, d, flags;
	int i;

	head = c->c_free % c->c_num;
	for (i = 0; i < n; i++) {
		d = c->c_free % c->c_num;
		flags = s[i].write ? VRING_DESC_F_WRITE : 0;
		if (i < n - 1)
			flags |= VRING_DESC_F_NEXT;
		card_desc(c, d, s[i].addr, s[i].len, flags,
		    (c->c_free + 1) % c->c_num);
		c->c_free++;
	}
	card_push(c, head);
	return (head);
}

/* A formatted ring and the card's side of it. */
static void
setup(struct mic_vring *vr, struct card *c, unsigned int num,
    uint64_t window)
{
	unsigned char *ring;

	ring = ring_alloc(num);
	ATF_REQUIRE_EQ(mic_vring_init(vr, ring, num, window), 0);
	mic_vring_format(vr, MIC_VRING_MAGIC(3, 0));
	card_init(c, ring, num);
}

/*
 * The next chain breaks the ring for err, and then the ring stays broken.
 */
static void
expect_broken(struct mic_vring *vr, enum mic_vring_err err)
{
	ATF_CHECK_EQ(mic_vring_error(vr), MIC_VRING_OK);
	ATF_CHECK_EQ(mic_vring_next_chain(vr), -EIO);
	ATF_CHECK_EQ_MSG(mic_vring_error(vr), err, "error %d (%s), not %d",
	    mic_vring_error(vr), mic_vring_strerror(mic_vring_error(vr)), err);
	ATF_CHECK(mic_vring_get_chain(vr) == NULL);
	ATF_CHECK_EQ(mic_vring_next_chain(vr), -EIO);
	ATF_CHECK_EQ(mic_vring_error(vr), err);
}

/* The trailer's avail_idx. */
static uint16_t
info_idx(const struct card *c)
{
	struct mic_vring_info info;

	memcpy(&info, (const unsigned char *)c->c_vr.desc +
	    mic_vring_size(c->c_num), sizeof(info));
	return (le16toh(info.avail_idx));
}

static uint32_t
rnd(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return (*state = x);
}

ATF_TC(init_args);
ATF_TC_HEAD(init_args, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_vring_init takes a power of two from 1 to 128 entries and "
	    "a 4096-aligned ring, and refuses anything else with -EINVAL");
}
ATF_TC_BODY(init_args, tc)
{
	static const unsigned int bad[] = { 0, 3, 6, 100, 129, 256, 65536 };
	struct mic_vring vr;
	unsigned char *ring;
	unsigned int num;
	size_t i;

	ring = ring_alloc(MIC_MAX_VRING_ENTRIES);
	for (num = 1; num <= MIC_MAX_VRING_ENTRIES; num *= 2)
		ATF_CHECK_EQ_MSG(mic_vring_init(&vr, ring, num, WINDOW), 0,
		    "num %u", num);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ATF_CHECK_EQ_MSG(mic_vring_init(&vr, ring, bad[i], WINDOW),
		    -EINVAL, "num %u", bad[i]);
	ATF_CHECK_EQ(mic_vring_init(&vr, ring + 16, 4, WINDOW), -EINVAL);
	ATF_CHECK_EQ(mic_vring_init(&vr, ring + 2048, 4, WINDOW), -EINVAL);
	ATF_CHECK_EQ(mic_vring_init(&vr, ring + 1, 4, WINDOW), -EINVAL);
	ATF_CHECK_EQ(mic_vring_init(&vr, ring + 4096, 1, WINDOW), 0);
	/* init reads and writes nothing of the ring. */
	for (i = 0; i < RING_SIZE(MIC_MAX_VRING_ENTRIES); i++)
		if (ring[i] != 0)
			atf_tc_fail("byte %zu is %#x", i, ring[i]);
}

ATF_TC(format);
ATF_TC_HEAD(format, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_vring_format zeroes the ring and writes the trailer at "
	    "vring_size(num, 4096): avail_idx 0, then the magic, little "
	    "endian; nothing outside");
}
ATF_TC_BODY(format, tc)
{
	static const unsigned char trailer[8] = {
		0, 0, 0, 0, 0x04, 0xEE, 0xFF, 0xC0
	};
	struct mic_vring vr;
	unsigned char *ring;
	unsigned int num;
	size_t i, size;

	for (num = 1; num <= MIC_MAX_VRING_ENTRIES; num *= 2) {
		size = RING_SIZE(num);
		ring = ring_alloc(num);
		memset(ring, 0xa5, size);
		ATF_REQUIRE_EQ(mic_vring_init(&vr, ring, num, WINDOW), 0);
		mic_vring_format(&vr, MIC_VRING_MAGIC(3, 1));
		for (i = 0; i < vring_size(num, 4096); i++)
			if (ring[i] != 0)
				atf_tc_fail("num %u: byte %zu is %#x", num, i,
				    ring[i]);
		ATF_CHECK_MSG(memcmp(ring + vring_size(num, 4096), trailer,
		    8) == 0, "num %u: trailer", num);
		canary_check(ring, num);
		ATF_CHECK_EQ(mic_vring_error(&vr), MIC_VRING_OK);
		ATF_CHECK(!mic_vring_pending(&vr));
	}
}

ATF_TC(empty);
ATF_TC_HEAD(empty, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A ring the card has not posted to has no chain: next_chain "
	    "returns 0 and nothing is pending, again and again");
}
ATF_TC_BODY(empty, tc)
{
	struct mic_vring vr;
	struct mic_vring_buf b;
	struct card c;
	int i;

	setup(&vr, &c, 8, WINDOW);
	for (i = 0; i < 3; i++) {
		ATF_CHECK_EQ(mic_vring_next_chain(&vr), 0);
		ATF_CHECK(!mic_vring_pending(&vr));
		ATF_CHECK(mic_vring_get_chain(&vr) == NULL);
		ATF_CHECK(!mic_vring_cur(&vr, &b));
		ATF_CHECK_EQ(mic_vring_complete(&vr, 0), -EINVAL);
	}
	ATF_CHECK_EQ(info_idx(&c), 0);
	ATF_CHECK_EQ(le16toh(c.c_vr.used->idx), 0);
}

ATF_TC(one_desc);
ATF_TC_HEAD(one_desc, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A chain of one readable buffer: its head, address, length and "
	    "direction; the trailer's avail_idx moves past it");
}
ATF_TC_BODY(one_desc, tc)
{
	static const struct seg s[] = { { 0x1234, 100, 0 } };
	const struct mic_vring_chain *ch;
	struct mic_vring vr;
	struct mic_vring_buf b;
	struct card c;

	setup(&vr, &c, 4, WINDOW);
	c.c_free = 2;
	ATF_REQUIRE_EQ(card_post(&c, s, 1), 2);
	ATF_CHECK(mic_vring_pending(&vr));
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ch = mic_vring_get_chain(&vr);
	ATF_REQUIRE(ch != NULL);
	ATF_CHECK_EQ(ch->head, 2);
	ATF_CHECK_EQ(ch->ndesc, 1);
	ATF_CHECK_EQ(ch->nread, 1);
	ATF_CHECK_EQ(ch->buf[0].addr, 0x1234);
	ATF_CHECK_EQ(ch->buf[0].len, 100);
	ATF_CHECK(!ch->buf[0].write);
	ATF_REQUIRE(mic_vring_cur(&vr, &b));
	ATF_CHECK_EQ(b.addr, 0x1234);
	ATF_CHECK_EQ(b.len, 100);
	ATF_CHECK(!b.write);
	ATF_CHECK_EQ(info_idx(&c), 1);
	/* A chain in progress is pending until it is completed. */
	ATF_CHECK(mic_vring_pending(&vr));
}

ATF_TC(multi_desc);
ATF_TC_HEAD(multi_desc, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A chain of two readable then two writable buffers is served "
	    "in chain order, following next indexes that are not in order");
}
ATF_TC_BODY(multi_desc, tc)
{
	const struct mic_vring_chain *ch;
	struct mic_vring vr;
	struct mic_vring_buf b;
	struct card c;

	setup(&vr, &c, 8, WINDOW);
	card_desc(&c, 5, 0x100, 16, VRING_DESC_F_NEXT, 1);
	card_desc(&c, 1, 0x200, 32, VRING_DESC_F_NEXT, 7);
	card_desc(&c, 7, 0x300, 64, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 0);
	card_desc(&c, 0, 0x400, 1, VRING_DESC_F_WRITE, 0xffff);
	card_push(&c, 5);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ch = mic_vring_get_chain(&vr);
	ATF_REQUIRE(ch != NULL);
	ATF_CHECK_EQ(ch->head, 5);
	ATF_CHECK_EQ(ch->ndesc, 4);
	ATF_CHECK_EQ(ch->nread, 2);
	ATF_CHECK(!ch->buf[1].write && ch->buf[2].write && ch->buf[3].write);
	ATF_CHECK_EQ(ch->buf[2].addr, 0x300);
	ATF_CHECK_EQ(ch->buf[3].len, 1);

	ATF_REQUIRE(mic_vring_cur(&vr, &b));
	ATF_CHECK(b.addr == 0x100 && b.len == 16 && !b.write);
	mic_vring_advance(&vr, 16);
	ATF_REQUIRE(mic_vring_cur(&vr, &b));
	ATF_CHECK(b.addr == 0x200 && b.len == 32 && !b.write);
	mic_vring_advance(&vr, 32);
	ATF_REQUIRE(mic_vring_cur(&vr, &b));
	ATF_CHECK(b.addr == 0x300 && b.len == 64 && b.write);
	mic_vring_advance(&vr, 64);
	ATF_REQUIRE(mic_vring_cur(&vr, &b));
	ATF_CHECK(b.addr == 0x400 && b.len == 1 && b.write);
	mic_vring_advance(&vr, 1);
	ATF_CHECK(!mic_vring_cur(&vr, &b));
	ch = mic_vring_get_chain(&vr);
	ATF_CHECK_EQ(ch->read, 48);
	ATF_CHECK_EQ(ch->written, 65);
}

ATF_TC(partial);
ATF_TC_HEAD(partial, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A chain consumed over several calls (block: header, data, "
	    "status) keeps its position and offset, and next_chain keeps "
	    "returning it, not the next one, until it is completed");
}
ATF_TC_BODY(partial, tc)
{
	static const struct seg blk[] = {
		{ 0x1000, 16, 0 }, { 0x2000, 512, 1 }, { 0x3000, 1, 1 }
	};
	static const struct seg next[] = { { 0x5000, 8, 0 } };
	const struct mic_vring_chain *ch;
	struct mic_vring vr;
	struct mic_vring_buf b;
	struct card c;

	setup(&vr, &c, 8, WINDOW);
	card_post(&c, blk, 3);
	card_post(&c, next, 1);
	/* Call 1: the header, in two pieces. */
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_REQUIRE(mic_vring_cur(&vr, &b));
	mic_vring_advance(&vr, 10);
	ATF_REQUIRE(mic_vring_cur(&vr, &b));
	ATF_CHECK(b.addr == 0x100a && b.len == 6 && !b.write);
	mic_vring_advance(&vr, 6);
	/* Call 2: the data, 500 then 12 bytes. */
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_CHECK_EQ(info_idx(&c), 1);
	ATF_REQUIRE(mic_vring_cur(&vr, &b));
	ATF_CHECK(b.addr == 0x2000 && b.len == 512 && b.write);
	mic_vring_advance(&vr, 500);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_REQUIRE(mic_vring_cur(&vr, &b));
	ATF_CHECK(b.addr == 0x2000 + 500 && b.len == 12 && b.write);
	/* Advancing past the buffer's end takes only the buffer. */
	mic_vring_advance(&vr, 1000);
	/* Call 3: the status. */
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_REQUIRE(mic_vring_cur(&vr, &b));
	ATF_CHECK(b.addr == 0x3000 && b.len == 1 && b.write);
	mic_vring_advance(&vr, 1);
	ATF_CHECK(!mic_vring_cur(&vr, &b));
	mic_vring_advance(&vr, 1);	/* nothing left: ignored */
	ch = mic_vring_get_chain(&vr);
	ATF_REQUIRE(ch != NULL);
	ATF_CHECK_EQ(ch->head, 0);
	ATF_CHECK_EQ(ch->read, 16);
	ATF_CHECK_EQ(ch->written, 513);
	ATF_CHECK_EQ(mic_vring_complete(&vr, ch->written), 0);
	ATF_CHECK_EQ(le32toh(c.c_vr.used->ring[0].len), 513);
	/* Now the next chain. */
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_CHECK_EQ(mic_vring_get_chain(&vr)->head, 3);
	ATF_CHECK_EQ(info_idx(&c), 2);
}

ATF_TC(zero_len);
ATF_TC_HEAD(zero_len, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Buffers of length 0 are allowed (even at the window's end) and "
	    "mic_vring_cur steps over them");
}
ATF_TC_BODY(zero_len, tc)
{
	static const struct seg s[] = {
		{ 0, 0, 0 }, { 0x10, 4, 0 }, { WINDOW, 0, 0 }, { 0x20, 0, 1 },
		{ 0x30, 2, 1 }, { 0x40, 0, 1 }
	};
	static const struct seg z[] = { { 0x10, 0, 1 } };
	struct mic_vring vr;
	struct mic_vring_buf b;
	struct card c;

	setup(&vr, &c, 8, WINDOW);
	card_post(&c, s, 6);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_CHECK_EQ(mic_vring_get_chain(&vr)->ndesc, 6);
	ATF_CHECK_EQ(mic_vring_get_chain(&vr)->nread, 3);
	ATF_REQUIRE(mic_vring_cur(&vr, &b));
	ATF_CHECK(b.addr == 0x10 && b.len == 4 && !b.write);
	mic_vring_advance(&vr, 4);
	ATF_REQUIRE(mic_vring_cur(&vr, &b));
	ATF_CHECK(b.addr == 0x30 && b.len == 2 && b.write);
	mic_vring_advance(&vr, 2);
	ATF_CHECK(!mic_vring_cur(&vr, &b));
	ATF_CHECK_EQ(mic_vring_complete(&vr, 2), 0);
	/* A chain of nothing but an empty buffer. */
	card_post(&c, z, 1);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_CHECK(!mic_vring_cur(&vr, &b));
	ATF_CHECK_EQ(mic_vring_complete(&vr, 0), 0);
	ATF_CHECK_EQ(le16toh(c.c_vr.used->idx), 2);
}

ATF_TC(complete);
ATF_TC_HEAD(complete, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_vring_complete writes (head, len) into the next used entry "
	    "and then the used index, wrapping around the used ring; it "
	    "needs a chain in progress; a chain need not be consumed");
}
ATF_TC_BODY(complete, tc)
{
	struct seg s[2] = { { 0x100, 8, 0 }, { 0x200, 8, 1 } };
	struct mic_vring vr;
	struct card c;
	unsigned int i;
	uint16_t head;

	setup(&vr, &c, 4, WINDOW);
	for (i = 0; i < 11; i++) {
		head = card_post(&c, s, 1 + i % 2);
		ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
		ATF_CHECK_EQ(le16toh(c.c_vr.used->idx), i);
		ATF_REQUIRE_EQ(mic_vring_complete(&vr, 1000 + i), 0);
		ATF_CHECK_EQ(le16toh(c.c_vr.used->idx), i + 1);
		ATF_CHECK_EQ(le32toh(c.c_vr.used->ring[i % 4].id), head);
		ATF_CHECK_EQ(le32toh(c.c_vr.used->ring[i % 4].len), 1000 + i);
		ATF_CHECK(mic_vring_get_chain(&vr) == NULL);
		ATF_CHECK_EQ(mic_vring_complete(&vr, 0), -EINVAL);
		ATF_CHECK_EQ(le16toh(c.c_vr.used->idx), i + 1);
	}
	ATF_CHECK_EQ(mic_vring_next_chain(&vr), 0);
	ATF_CHECK(!mic_vring_pending(&vr));
}

ATF_TC(writes_host_fields);
ATF_TC_HEAD(writes_host_fields, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Taking and completing a chain writes the trailer's avail_idx, "
	    "one used entry and the used index, and no other byte");
}
ATF_TC_BODY(writes_host_fields, tc)
{
	static const struct seg s[] = { { 0x100, 8, 0 }, { 0x200, 8, 1 } };
	static unsigned char before[8192];
	struct mic_vring vr;
	struct card c;
	unsigned char *ring;
	size_t i, info, used, elem;

	setup(&vr, &c, 16, WINDOW);
	ring = (unsigned char *)c.c_vr.desc;
	/* Some garbage in the fields the host does not own. */
	memset(c.c_vr.used->ring, 0x77, 16 * 8);
	c.c_vr.avail->flags = htole16(0x5a5a);
	c.c_free = 3;
	card_post(&c, s, 2);
	memcpy(before, ring, RING_SIZE(16));
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_REQUIRE_EQ(mic_vring_complete(&vr, 8), 0);
	info = mic_vring_size(16);
	used = (unsigned char *)c.c_vr.used - ring;
	elem = (unsigned char *)&c.c_vr.used->ring[0] - ring;
	for (i = 0; i < RING_SIZE(16); i++) {
		if ((i >= info && i < info + 2) || (i >= used + 2 &&
		    i < used + 4) || (i >= elem && i < elem + 8))
			continue;
		if (ring[i] != before[i])
			atf_tc_fail("byte %zu changed", i);
	}
	ATF_CHECK_EQ(info_idx(&c), 1);
	ATF_CHECK_EQ(le16toh(c.c_vr.used->idx), 1);
	ATF_CHECK_EQ(le32toh(c.c_vr.used->ring[0].id), 3);
	ATF_CHECK_EQ(le32toh(c.c_vr.used->ring[0].len), 8);
	ATF_CHECK_EQ(le16toh(c.c_vr.used->flags), 0);
	canary_check(ring, 16);
}

ATF_TC(wrap);
ATF_TC_HEAD(wrap, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "The avail and used indexes wrap from 65535 to 0: 70000 chains "
	    "go through a ring of 2, and one of 4 kept full");
}
ATF_TC_BODY(wrap, tc)
{
	static const struct seg s[] = { { 0x100, 8, 1 } };
	struct mic_vring vr;
	struct card c;
	unsigned int i;
	uint16_t head;

	setup(&vr, &c, 2, WINDOW);
	for (i = 0; i < 70000; i++) {
		head = card_post(&c, s, 1);
		if (mic_vring_next_chain(&vr) != 1)
			atf_tc_fail("chain %u: error %s", i,
			    mic_vring_strerror(mic_vring_error(&vr)));
		if (mic_vring_get_chain(&vr)->head != head)
			atf_tc_fail("chain %u: head %u", i,
			    mic_vring_get_chain(&vr)->head);
		ATF_REQUIRE_EQ(mic_vring_complete(&vr, i), 0);
		if (le16toh(c.c_vr.used->idx) != (uint16_t)(i + 1))
			atf_tc_fail("chain %u: used idx %u", i,
			    le16toh(c.c_vr.used->idx));
		if (info_idx(&c) != (uint16_t)(i + 1))
			atf_tc_fail("chain %u: avail_idx %u", i, info_idx(&c));
	}
	ATF_CHECK_EQ(le16toh(c.c_vr.used->idx), 70000 - 65536);

	/* A full ring across the wrap: the index moves by exactly num. */
	setup(&vr, &c, 4, WINDOW);
	for (i = 0; i < 65540 / 4 + 2; i++) {
		card_post(&c, s, 1);
		card_post(&c, s, 1);
		card_post(&c, s, 1);
		card_post(&c, s, 1);
		if (mic_vring_next_chain(&vr) != 1)
			atf_tc_fail("round %u: error %s", i,
			    mic_vring_strerror(mic_vring_error(&vr)));
		ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
		ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
		ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
		ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
		ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
		ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
		ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
		ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 0);
	}
}

ATF_TC(avail_jump);
ATF_TC_HEAD(avail_jump, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "The avail index may move by up to num past the last chain "
	    "taken: num + 1, or backwards, breaks the ring "
	    "(MIC_VRING_E_AVAIL_IDX), also across the wrap");
}
ATF_TC_BODY(avail_jump, tc)
{
	static const uint16_t bad[] = { 9, 100, 0x8000, 0xffff };
	struct mic_vring vr;
	struct card c;
	size_t i;
	int k;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setup(&vr, &c, 8, WINDOW);
		c.c_vr.avail->idx = htole16(bad[i]);
		ATF_CHECK(mic_vring_pending(&vr));
		expect_broken(&vr, MIC_VRING_E_AVAIL_IDX);
	}
	/* Exactly num: eight chains of descriptor 0. */
	setup(&vr, &c, 8, WINDOW);
	card_desc(&c, 0, 0, 1, 0, 0);
	c.c_vr.avail->idx = htole16(8);
	for (k = 0; k < 8; k++) {
		ATF_REQUIRE_EQ_MSG(mic_vring_next_chain(&vr), 1, "chain %d", k);
		ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
	}
	ATF_CHECK_EQ(mic_vring_next_chain(&vr), 0);
	/* From 8 taken, the index may move to 16; from 9, not to 18. */
	c.c_vr.avail->idx = htole16(16);
	ATF_CHECK_EQ(mic_vring_next_chain(&vr), 1);
	ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
	c.c_vr.avail->idx = htole16(18);
	expect_broken(&vr, MIC_VRING_E_AVAIL_IDX);
	/* Nor back. */
	mic_vring_reset(&vr);
	c.c_vr.avail->idx = htole16(1);
	ATF_CHECK_EQ(mic_vring_next_chain(&vr), 1);
	ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
	c.c_vr.avail->idx = htole16(0);
	expect_broken(&vr, MIC_VRING_E_AVAIL_IDX);
	/* Across the wrap: 65530 + 9 is 3. */
	setup(&vr, &c, 8, WINDOW);
	card_desc(&c, 0, 0, 1, 0, 0);
	for (k = 0; k < 65530; k++) {
		c.c_vr.avail->idx = htole16(k + 1);
		ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
		ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
	}
	c.c_vr.avail->idx = htole16(2);		/* 65530 + 8 */
	ATF_CHECK_EQ(mic_vring_next_chain(&vr), 1);
	ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
	c.c_vr.avail->idx = htole16(3 + 8);	/* 65531 + 16 */
	expect_broken(&vr, MIC_VRING_E_AVAIL_IDX);
}

ATF_TC(head_range);
ATF_TC_HEAD(head_range, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "An avail entry (head) of num or more breaks the ring "
	    "(MIC_VRING_E_HEAD); num - 1 is fine");
}
ATF_TC_BODY(head_range, tc)
{
	static const uint16_t bad[] = { 16, 17, 128, 0xffff };
	struct mic_vring vr;
	struct card c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setup(&vr, &c, 16, WINDOW);
		card_push(&c, bad[i]);
		expect_broken(&vr, MIC_VRING_E_HEAD);
	}
	setup(&vr, &c, 16, WINDOW);
	card_desc(&c, 15, 0x10, 1, 0, 0);
	card_push(&c, 15);
	ATF_CHECK_EQ(mic_vring_next_chain(&vr), 1);
	ATF_CHECK_EQ(mic_vring_get_chain(&vr)->head, 15);
}

ATF_TC(next_range);
ATF_TC_HEAD(next_range, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A next index of num or more with VRING_DESC_F_NEXT breaks the "
	    "ring (MIC_VRING_E_NEXT); without the flag, next is ignored");
}
ATF_TC_BODY(next_range, tc)
{
	static const uint16_t bad[] = { 8, 9, 0x8000, 0xffff };
	struct mic_vring vr;
	struct card c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setup(&vr, &c, 8, WINDOW);
		card_desc(&c, 0, 0x10, 1, VRING_DESC_F_NEXT, 1);
		card_desc(&c, 1, 0x20, 1, VRING_DESC_F_NEXT, bad[i]);
		card_push(&c, 0);
		expect_broken(&vr, MIC_VRING_E_NEXT);
	}
	setup(&vr, &c, 8, WINDOW);
	card_desc(&c, 0, 0x10, 1, VRING_DESC_F_NEXT, 7);
	card_desc(&c, 7, 0x20, 1, 0, 0xffff);
	card_push(&c, 0);
	ATF_CHECK_EQ(mic_vring_next_chain(&vr), 1);
	ATF_CHECK_EQ(mic_vring_get_chain(&vr)->ndesc, 2);
}

ATF_TC(loop);
ATF_TC_HEAD(loop, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Descriptor loops (to itself, 0 -> 1 -> 0, a tail loop) break "
	    "the ring (MIC_VRING_E_LOOP) as soon as num descriptors were "
	    "read, whatever the one revisited");
}
ATF_TC_BODY(loop, tc)
{
	struct mic_vring vr;
	struct card c;

	setup(&vr, &c, 8, WINDOW);
	card_desc(&c, 3, 0x10, 1, VRING_DESC_F_NEXT, 3);
	card_push(&c, 3);
	expect_broken(&vr, MIC_VRING_E_LOOP);

	setup(&vr, &c, 8, WINDOW);
	card_desc(&c, 0, 0x10, 1, VRING_DESC_F_NEXT, 1);
	card_desc(&c, 1, 0x10, 1, VRING_DESC_F_NEXT, 0);
	card_push(&c, 0);
	expect_broken(&vr, MIC_VRING_E_LOOP);

	setup(&vr, &c, 128, WINDOW);
	card_desc(&c, 0, 0x10, 1, VRING_DESC_F_NEXT, 1);
	card_desc(&c, 1, 0x10, 1, VRING_DESC_F_NEXT, 2);
	card_desc(&c, 2, 0x10, 1, VRING_DESC_F_NEXT, 1);
	card_push(&c, 0);
	expect_broken(&vr, MIC_VRING_E_LOOP);

	/* Read again, 0 would be a readable after a writable: too late. */
	setup(&vr, &c, 2, WINDOW);
	card_desc(&c, 0, 0x10, 1, VRING_DESC_F_NEXT, 1);
	card_desc(&c, 1, 0x20, 1, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 0);
	card_push(&c, 0);
	expect_broken(&vr, MIC_VRING_E_LOOP);
}

ATF_TC(chain_len);
ATF_TC_HEAD(chain_len, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A chain of all num descriptors is fine; one more (which can "
	    "only revisit one) breaks the ring (MIC_VRING_E_LOOP)");
}
ATF_TC_BODY(chain_len, tc)
{
	const struct mic_vring_chain *ch;
	struct mic_vring vr;
	struct card c;
	unsigned int i, num;

	for (num = 1; num <= MIC_MAX_VRING_ENTRIES; num *= 2) {
		setup(&vr, &c, num, WINDOW);
		for (i = 0; i < num; i++)
			card_desc(&c, i, i, 1, i < num - 1 ?
			    VRING_DESC_F_NEXT : 0, i + 1);
		card_push(&c, 0);
		ATF_REQUIRE_EQ_MSG(mic_vring_next_chain(&vr), 1, "num %u", num);
		ch = mic_vring_get_chain(&vr);
		ATF_CHECK_EQ(ch->ndesc, num);
		ATF_CHECK_EQ(ch->buf[num - 1].addr, num - 1);
		ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
		/* The last one now points back to the first. */
		card_desc(&c, num - 1, 0, 1, VRING_DESC_F_NEXT, 0);
		card_push(&c, 0);
		expect_broken(&vr, MIC_VRING_E_LOOP);
	}
}

ATF_TC(window);
ATF_TC_HEAD(window, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A buffer must lie inside [0, window): the last byte of the "
	    "window is fine, one more, or an address + length that "
	    "overflows 64 bits, breaks the ring (MIC_VRING_E_WINDOW)");
}
ATF_TC_BODY(window, tc)
{
	static const struct seg good[] = {
		{ 0, WINDOW, 0 }, { WINDOW - 1, 1, 0 }, { WINDOW, 0, 1 },
		{ 0, 0, 1 }
	};
	static const struct seg bad[] = {
		{ 0, WINDOW + 1, 0 }, { WINDOW, 1, 0 }, { WINDOW - 1, 2, 1 },
		{ WINDOW + 1, 0, 1 }, { UINT64_MAX, 1, 0 },
		{ UINT64_MAX - 15, 32, 1 }, { UINT64_MAX, 0, 0 },
		{ 1ull << 63, 0x100, 0 }, { 0x100, UINT32_MAX, 1 },
		{ (uint64_t)WINDOW << 32, 1, 0 }
	};
	struct seg s[2] = { { 0x10, 4, 0 }, { 0, 0, 0 } };
	struct mic_vring vr;
	struct card c;
	size_t i;

	setup(&vr, &c, 8, WINDOW);
	card_post(&c, good, 4);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_CHECK_EQ(mic_vring_get_chain(&vr)->ndesc, 4);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* As the second buffer, so that the whole chain is refused. */
		setup(&vr, &c, 8, WINDOW);
		s[1] = bad[i];
		card_post(&c, s, 2);
		expect_broken(&vr, MIC_VRING_E_WINDOW);
	}
	/* A window of 2^64 - 1 bytes: only the overflow is refused. */
	setup(&vr, &c, 8, UINT64_MAX);
	s[1] = (struct seg){ UINT64_MAX - 32, 32, 1 };
	card_post(&c, s, 2);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
	s[1] = (struct seg){ UINT64_MAX - 32, 33, 1 };
	card_post(&c, s, 2);
	expect_broken(&vr, MIC_VRING_E_WINDOW);
	/* An empty window takes only empty buffers at 0. */
	setup(&vr, &c, 8, 0);
	card_post(&c, &good[3], 1);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
	card_post(&c, &good[1], 1);
	expect_broken(&vr, MIC_VRING_E_WINDOW);
}

ATF_TC(total);
ATF_TC_HEAD(total, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "The buffers of a chain add up to at most 4 GiB - 1 (virtio "
	    "allows no longer chain, and used lengths are 32-bit); more "
	    "breaks the ring (MIC_VRING_E_TOTAL)");
}
ATF_TC_BODY(total, tc)
{
	static const struct seg good[] = {
		{ 0, 0x80000000u, 0 }, { 0, 0x7fffffffu, 1 }
	};
	static const struct seg bad[] = {
		{ 0, 0x80000000u, 0 }, { 0, 0x80000000u, 1 }
	};
	struct seg many[128];
	struct mic_vring vr;
	struct card c;
	int i;

	setup(&vr, &c, 128, 1ull << 34);
	card_post(&c, good, 2);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
	card_post(&c, bad, 2);
	expect_broken(&vr, MIC_VRING_E_TOTAL);

	setup(&vr, &c, 128, 1ull << 34);
	for (i = 0; i < 128; i++)
		many[i] = (struct seg){ 0, UINT32_MAX, i >= 64 };
	card_post(&c, many, 128);
	expect_broken(&vr, MIC_VRING_E_TOTAL);
}

ATF_TC(indirect);
ATF_TC_HEAD(indirect, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "An indirect descriptor breaks the ring: MIC_VRING_E_INDIRECT "
	    "without VIRTIO_RING_F_INDIRECT_DESC, MIC_VRING_E_INDIRECT_UNSUPP "
	    "with it; EVENT_IDX alone changes nothing");
}
ATF_TC_BODY(indirect, tc)
{
	struct mic_vring vr;
	struct card c;

	setup(&vr, &c, 8, WINDOW);
	card_desc(&c, 0, 0x100, 16, VRING_DESC_F_INDIRECT, 0);
	card_push(&c, 0);
	expect_broken(&vr, MIC_VRING_E_INDIRECT);

	setup(&vr, &c, 8, WINDOW);
	mic_vring_set_features(&vr, 1ull << VIRTIO_RING_F_EVENT_IDX);
	card_desc(&c, 0, 0x100, 16, VRING_DESC_F_NEXT, 1);
	card_desc(&c, 1, 0x100, 16, VRING_DESC_F_INDIRECT |
	    VRING_DESC_F_WRITE, 0);
	card_push(&c, 0);
	expect_broken(&vr, MIC_VRING_E_INDIRECT);

	setup(&vr, &c, 8, WINDOW);
	mic_vring_set_features(&vr, 1ull << VIRTIO_RING_F_INDIRECT_DESC);
	card_desc(&c, 0, 0x100, 16, VRING_DESC_F_INDIRECT, 0);
	card_push(&c, 0);
	expect_broken(&vr, MIC_VRING_E_INDIRECT_UNSUPP);
}

ATF_TC(order);
ATF_TC_HEAD(order, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A readable buffer after a writable one breaks the ring "
	    "(MIC_VRING_E_ORDER); all readable or all writable is fine");
}
ATF_TC_BODY(order, tc)
{
	static const struct seg wr[] = { { 0x10, 1, 1 }, { 0x20, 1, 0 } };
	static const struct seg rwr[] = {
		{ 0x10, 1, 0 }, { 0x20, 1, 1 }, { 0x30, 0, 0 }
	};
	static const struct seg ww[] = { { 0x10, 1, 1 }, { 0x20, 1, 1 } };
	static const struct seg rr[] = { { 0x10, 1, 0 }, { 0x20, 1, 0 } };
	struct mic_vring vr;
	struct card c;

	setup(&vr, &c, 8, WINDOW);
	card_post(&c, ww, 2);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_CHECK_EQ(mic_vring_get_chain(&vr)->nread, 0);
	ATF_REQUIRE_EQ(mic_vring_complete(&vr, 2), 0);
	card_post(&c, rr, 2);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_CHECK_EQ(mic_vring_get_chain(&vr)->nread, 2);
	ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
	card_post(&c, wr, 2);
	expect_broken(&vr, MIC_VRING_E_ORDER);

	setup(&vr, &c, 8, WINDOW);
	card_post(&c, rwr, 3);
	expect_broken(&vr, MIC_VRING_E_ORDER);
}

ATF_TC(broken_sticks);
ATF_TC_HEAD(broken_sticks, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A broken ring fails every call (-EIO, pending, no notify), "
	    "touches nothing, even when the card repairs it, until "
	    "mic_vring_reset; then it works from index 0");
}
ATF_TC_BODY(broken_sticks, tc)
{
	static const struct seg s[] = { { 0x10, 4, 0 } };
	static unsigned char before[8192];
	struct mic_vring vr;
	struct mic_vring_buf b;
	struct card c;
	unsigned char *ring;

	setup(&vr, &c, 8, WINDOW);
	ring = (unsigned char *)c.c_vr.desc;
	card_post(&c, s, 1);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
	/* A chain in progress when the next violation shows. */
	card_post(&c, s, 1);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
	card_push(&c, 200);
	memcpy(before, ring, RING_SIZE(8));
	expect_broken(&vr, MIC_VRING_E_HEAD);
	ATF_CHECK(memcmp(before, ring, RING_SIZE(8)) == 0);
	/* The card puts things right: the ring stays broken. */
	c.c_vr.avail->ring[2] = htole16(0);
	memcpy(before, ring, RING_SIZE(8));
	ATF_CHECK_EQ(mic_vring_next_chain(&vr), -EIO);
	ATF_CHECK_EQ(mic_vring_complete(&vr, 0), -EIO);
	ATF_CHECK(!mic_vring_cur(&vr, &b));
	ATF_CHECK(mic_vring_pending(&vr));
	ATF_CHECK(!mic_vring_need_notify(&vr));
	ATF_CHECK_EQ(mic_vring_error(&vr), MIC_VRING_E_HEAD);
	ATF_CHECK(memcmp(before, ring, RING_SIZE(8)) == 0);
	/* The card resets the device: both sides start again at 0. */
	mic_vring_reset(&vr);
	ATF_CHECK_EQ(mic_vring_error(&vr), MIC_VRING_OK);
	ATF_CHECK_EQ(le16toh(c.c_vr.used->idx), 0);
	ATF_CHECK_EQ(info_idx(&c), 0);
	card_init(&c, ring, 8);
	memset(ring, 0, mic_vring_size(8));
	ATF_CHECK(!mic_vring_pending(&vr));
	ATF_CHECK_EQ(mic_vring_next_chain(&vr), 0);
	card_post(&c, s, 1);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_CHECK_EQ(mic_vring_get_chain(&vr)->head, 0);
	ATF_REQUIRE_EQ(mic_vring_complete(&vr, 3), 0);
	ATF_CHECK_EQ(le16toh(c.c_vr.used->idx), 1);
}

ATF_TC(reset);
ATF_TC_HEAD(reset, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_vring_reset drops the chain in progress and zeroes the "
	    "used flags and index and the trailer's avail_idx, keeping the "
	    "magic and the card's side");
}
ATF_TC_BODY(reset, tc)
{
	static const struct seg s[] = { { 0x10, 4, 0 } };
	struct mic_vring_info info;
	struct mic_vring vr;
	struct card c;

	setup(&vr, &c, 4, WINDOW);
	card_post(&c, s, 1);
	card_post(&c, s, 1);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	c.c_vr.used->flags = htole16(0xffff);
	mic_vring_reset(&vr);
	ATF_CHECK(mic_vring_get_chain(&vr) == NULL);
	ATF_CHECK_EQ(le16toh(c.c_vr.used->flags), 0);
	ATF_CHECK_EQ(le16toh(c.c_vr.used->idx), 0);
	memcpy(&info, (unsigned char *)c.c_vr.desc + mic_vring_size(4),
	    sizeof(info));
	ATF_CHECK_EQ(le16toh(info.avail_idx), 0);
	ATF_CHECK_EQ(le32toh(info.magic), MIC_VRING_MAGIC(3, 0));
	ATF_CHECK_EQ(le16toh(c.c_vr.avail->idx), 2);
	ATF_CHECK_EQ(le64toh(c.c_vr.desc[1].addr), 0x10);
	/* The card's avail index is 2: the host takes 0 and 1 again. */
	ATF_CHECK_EQ(mic_vring_next_chain(&vr), 1);
	ATF_CHECK_EQ(mic_vring_get_chain(&vr)->head, 0);
}

ATF_TC(snapshot);
ATF_TC_HEAD(snapshot, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A chain is served from the copy checked when it was taken: "
	    "what the card writes into its descriptors afterwards changes "
	    "nothing");
}
ATF_TC_BODY(snapshot, tc)
{
	static const struct seg s[] = { { 0x100, 16, 0 }, { 0x200, 32, 1 } };
	struct mic_vring vr;
	struct mic_vring_buf b;
	struct card c;

	setup(&vr, &c, 4, WINDOW);
	card_post(&c, s, 2);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	memset(c.c_vr.desc, 0xff, 4 * sizeof(struct vring_desc));
	c.c_vr.avail->ring[0] = htole16(0xffff);
	ATF_REQUIRE(mic_vring_cur(&vr, &b));
	ATF_CHECK(b.addr == 0x100 && b.len == 16 && !b.write);
	mic_vring_advance(&vr, 16);
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_REQUIRE(mic_vring_cur(&vr, &b));
	ATF_CHECK(b.addr == 0x200 && b.len == 32 && b.write);
	ATF_CHECK_EQ(mic_vring_complete(&vr, 32), 0);
	ATF_CHECK_EQ(le32toh(c.c_vr.used->ring[0].id), 0);
	ATF_CHECK_EQ(mic_vring_error(&vr), MIC_VRING_OK);
}

ATF_TC(notify);
ATF_TC_HEAD(notify, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_vring_need_notify is false when the card set "
	    "VRING_AVAIL_F_NO_INTERRUPT, true otherwise, whatever other "
	    "bits the flags hold");
}
ATF_TC_BODY(notify, tc)
{
	struct mic_vring vr;
	struct card c;

	setup(&vr, &c, 4, WINDOW);
	ATF_CHECK(mic_vring_need_notify(&vr));
	c.c_vr.avail->flags = htole16(VRING_AVAIL_F_NO_INTERRUPT);
	ATF_CHECK(!mic_vring_need_notify(&vr));
	c.c_vr.avail->flags = htole16(0xfffe);
	ATF_CHECK(mic_vring_need_notify(&vr));
	c.c_vr.avail->flags = htole16(0xffff);
	ATF_CHECK(!mic_vring_need_notify(&vr));
}

ATF_TC(pending);
ATF_TC_HEAD(pending, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_vring_pending: true while a chain is available or in "
	    "progress, false once all are completed; reads nothing but the "
	    "avail index");
}
ATF_TC_BODY(pending, tc)
{
	static const struct seg s[] = { { 0x10, 4, 0 } };
	struct mic_vring vr;
	struct card c;

	setup(&vr, &c, 4, WINDOW);
	ATF_CHECK(!mic_vring_pending(&vr));
	card_post(&c, s, 1);
	ATF_CHECK(mic_vring_pending(&vr));
	ATF_REQUIRE_EQ(mic_vring_next_chain(&vr), 1);
	ATF_CHECK(mic_vring_pending(&vr));
	ATF_REQUIRE_EQ(mic_vring_complete(&vr, 0), 0);
	ATF_CHECK(!mic_vring_pending(&vr));
	/* An avail entry out of range is not looked at. */
	card_push(&c, 999);
	ATF_CHECK(mic_vring_pending(&vr));
	ATF_CHECK_EQ(mic_vring_error(&vr), MIC_VRING_OK);
}

ATF_TC(strerror);
ATF_TC_HEAD(strerror, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Every reason has its own short message; an unknown value has "
	    "one too");
}
ATF_TC_BODY(strerror, tc)
{
	const char *s[MIC_VRING_E_LAST];
	int i, j;

	for (i = 0; i < MIC_VRING_E_LAST; i++) {
		s[i] = mic_vring_strerror(i);
		ATF_REQUIRE_MSG(s[i] != NULL && s[i][0] != '\0', "reason %d",
		    i);
		ATF_CHECK_MSG(strlen(s[i]) < 60, "reason %d", i);
		for (j = 0; j < i; j++)
			ATF_CHECK_MSG(strcmp(s[i], s[j]) != 0, "%d and %d", i,
			    j);
	}
	ATF_CHECK_STREQ(mic_vring_strerror(MIC_VRING_E_NEXT),
	    "next index out of range");
	ATF_CHECK_STREQ(mic_vring_strerror(MIC_VRING_E_LAST),
	    "unknown error");
	ATF_CHECK_STREQ(mic_vring_strerror(-1), "unknown error");
}

/*
 * The hostile card: a thread that writes garbage, or plausible values, all
 * over the ring while the host walks it.
 */
struct scribble {
	unsigned char	*s_ring;
	unsigned int	 s_num;
	uint64_t	 s_window;
	uint32_t	 s_seed;
	int		 s_stop;
	unsigned long	 s_writes;
};

static void	*scribbler(void *);
static void	 scribble_one(struct scribble *, uint32_t *);
static void	 store(unsigned char *, uint64_t, size_t);

static void
store(unsigned char *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		__atomic_store_n(&p[i], (unsigned char)(v >> (8 * i)),
		    __ATOMIC_RELAXED);
}

static void
scribble_one(struct scribble *s, uint32_t *st)
{
	unsigned char *d, *avail;
	unsigned int num = s->s_num;
	uint16_t idx;

	d = s->s_ring + 16 * (rnd(st) % num);
	avail = s->s_ring + 16 * num;
	switch (rnd(st) % 16) {
	case 0: case 1: case 2: case 3: case 4: case 5:
		/* A plausible descriptor: mostly ends a chain. */
		store(d, rnd(st) % (s->s_window - 4096), 8);
		store(d + 8, rnd(st) % 4096, 4);
		store(d + 12, (rnd(st) % 4 == 0 ? VRING_DESC_F_NEXT : 0) |
		    (rnd(st) % 2 ? VRING_DESC_F_WRITE : 0), 2);
		store(d + 14, rnd(st) % num, 2);
		break;
	case 6: case 7: case 8:
		/* A plausible avail entry. */
		store(avail + 4 + 2 * (rnd(st) % num), rnd(st) % num, 2);
		break;
	case 9: case 10:
		/* The avail index moves on by a little. */
		idx = __atomic_load_n((uint16_t *)(avail + 2),
		    __ATOMIC_RELAXED);
		store(avail + 2, idx + 1 + rnd(st) % num, 2);
		break;
	case 11:
		store(avail + 2, rnd(st), 2);
		break;
	case 12: case 13:
		/* Anything in a descriptor. */
		store(d + rnd(st) % 16, ((uint64_t)rnd(st) << 32) | rnd(st),
		    rnd(st) % 9);
		break;
	default:
		/* Any byte of the ring, the host's fields too. */
		store(s->s_ring + rnd(st) % RING_SIZE(num), rnd(st), 1);
		break;
	}
}

static void *
scribbler(void *arg)
{
	struct scribble *s = arg;
	uint32_t st = s->s_seed;

	while (!__atomic_load_n(&s->s_stop, __ATOMIC_RELAXED)) {
		scribble_one(s, &st);
		s->s_writes++;
	}
	return (NULL);
}

ATF_TC(hostile_card);
ATF_TC_HEAD(hostile_card, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A card thread writes garbage all over the ring while the host "
	    "walks it, copies through the window and completes chains: "
	    "nothing is read or written outside the ring and the window "
	    "(guard pages), and every chain served obeys the rules");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(hostile_card, tc)
{
	static const unsigned int nums[] = { 1, 8, 128, 128 };
	struct scribble s;
	const struct mic_vring_chain *ch;
	struct mic_vring vr;
	struct mic_vring_buf b;
	struct timespec t0, t;
	pthread_t th;
	unsigned char *win, scratch[4096];
	unsigned long chains = 0, errors = 0, bytes = 0;
	unsigned long why[MIC_VRING_E_LAST] = { 0 };
	size_t k;
	int i, ret, reasons;

	win = guarded(64 * 1024, 1);
	for (k = 0; k < sizeof(nums) / sizeof(nums[0]); k++) {
		memset(&s, 0, sizeof(s));
		s.s_num = nums[k];
		s.s_ring = ring_alloc(s.s_num);
		s.s_window = 64 * 1024;
		s.s_seed = 0x9e3779b9u * (k + 1);
		ATF_REQUIRE_EQ(mic_vring_init(&vr, s.s_ring, s.s_num,
		    s.s_window), 0);
		mic_vring_format(&vr, MIC_VRING_MAGIC(1, 0));
		ATF_REQUIRE(pthread_create(&th, NULL, scribbler, &s) == 0);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			clock_gettime(CLOCK_MONOTONIC, &t);
			ret = mic_vring_next_chain(&vr);
			if (ret < 0) {
				ATF_REQUIRE_EQ(ret, -EIO);
				ATF_REQUIRE(mic_vring_error(&vr) !=
				    MIC_VRING_OK);
				errors++;
				why[mic_vring_error(&vr)]++;
				/* The device reset: the card starts again. */
				mic_vring_reset(&vr);
				store(s.s_ring + 16 * s.s_num + 2, 0, 2);
				continue;
			}
			if (ret == 0)
				continue;
			ch = mic_vring_get_chain(&vr);
			ATF_REQUIRE(ch != NULL);
			ATF_REQUIRE(ch->head < s.s_num);
			ATF_REQUIRE(ch->ndesc >= 1 && ch->ndesc <= s.s_num);
			ATF_REQUIRE(ch->nread <= ch->ndesc);
			for (i = 0; i < ch->ndesc; i++) {
				ATF_REQUIRE(ch->buf[i].len <= s.s_window &&
				    ch->buf[i].addr <= s.s_window -
				    ch->buf[i].len);
				ATF_REQUIRE(ch->buf[i].write == (i >=
				    ch->nread));
			}
			while (mic_vring_cur(&vr, &b)) {
				ATF_REQUIRE(b.len > 0);
				if (b.len > sizeof(scratch))
					b.len = sizeof(scratch);
				if (b.write)
					memcpy(win + b.addr, scratch, b.len);
				else
					memcpy(scratch, win + b.addr, b.len);
				bytes += b.len;
				mic_vring_advance(&vr, b.len);
			}
			ATF_REQUIRE_EQ(mic_vring_complete(&vr,
			    mic_vring_get_chain(&vr)->written), 0);
			(void)mic_vring_need_notify(&vr);
			(void)mic_vring_pending(&vr);
			chains++;
		} while ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 < 750);
		__atomic_store_n(&s.s_stop, 1, __ATOMIC_RELAXED);
		ATF_REQUIRE(pthread_join(th, NULL) == 0);
		canary_check(s.s_ring, s.s_num);
		printf("up to num %u: %lu chains, %lu errors, %lu bytes, "
		    "%lu card writes\n", s.s_num, chains, errors, bytes,
		    s.s_writes);
	}
	for (i = 0, reasons = 0; i < MIC_VRING_E_LAST; i++) {
		printf("%s: %lu\n", mic_vring_strerror(i), why[i]);
		reasons += why[i] > 0;
	}
	/* The test did exercise both paths, and most rules. */
	ATF_CHECK(chains > 100);
	ATF_CHECK(errors > 100);
	ATF_CHECK(reasons >= 6);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, init_args);
	ATF_TP_ADD_TC(tp, format);
	ATF_TP_ADD_TC(tp, empty);
	ATF_TP_ADD_TC(tp, one_desc);
	ATF_TP_ADD_TC(tp, multi_desc);
	ATF_TP_ADD_TC(tp, partial);
	ATF_TP_ADD_TC(tp, zero_len);
	ATF_TP_ADD_TC(tp, complete);
	ATF_TP_ADD_TC(tp, writes_host_fields);
	ATF_TP_ADD_TC(tp, wrap);
	ATF_TP_ADD_TC(tp, avail_jump);
	ATF_TP_ADD_TC(tp, head_range);
	ATF_TP_ADD_TC(tp, next_range);
	ATF_TP_ADD_TC(tp, loop);
	ATF_TP_ADD_TC(tp, chain_len);
	ATF_TP_ADD_TC(tp, window);
	ATF_TP_ADD_TC(tp, total);
	ATF_TP_ADD_TC(tp, indirect);
	ATF_TP_ADD_TC(tp, order);
	ATF_TP_ADD_TC(tp, broken_sticks);
	ATF_TP_ADD_TC(tp, reset);
	ATF_TP_ADD_TC(tp, snapshot);
	ATF_TP_ADD_TC(tp, notify);
	ATF_TP_ADD_TC(tp, pending);
	ATF_TP_ADD_TC(tp, strerror);
	ATF_TP_ADD_TC(tp, hostile_card);

	return (atf_no_error());
}
