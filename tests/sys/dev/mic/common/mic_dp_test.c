/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The device page helpers (sys/dev/mic/common/mic_dp.c), built with the
 * host libc.  Every page lives between two inaccessible pages, so that a
 * read or write outside the page kills the test program.
 */

#include <sys/mman.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "mic_dp.h"

#define	BLK_MAX		512	/* bytes of a block buffer */

static unsigned char	*page_alloc(void);
static unsigned int	 mkblock(uint64_t *, int, int, int, int, int);
static unsigned int	 mksized(uint64_t *, int, unsigned int);
static int		 add_sized(unsigned char *, int, unsigned int);
static int		 walk_all(const unsigned char *, struct mic_dp_block *,
			    int, unsigned int *);
static uint32_t		 rnd(uint32_t *);
static void		 rnd_page(unsigned char *, uint32_t);
static void		 touch_block(unsigned char *,
			    const struct mic_dp_block *);

/*
 * A device page with an inaccessible page on each side.
 */
static unsigned char *
page_alloc(void)
{
	long pg;
	size_t span;
	unsigned char *base;

	pg = sysconf(_SC_PAGESIZE);
	ATF_REQUIRE(pg > 0);
	span = (MIC_DP_SIZE + pg - 1) / pg * pg;
	base = mmap(NULL, span + 2 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	ATF_REQUIRE(base != MAP_FAILED);
	ATF_REQUIRE(mprotect(base + pg, span, PROT_READ | PROT_WRITE) == 0);
	/* The page ends where the guard after it begins. */
	return (base + pg + span - MIC_DP_SIZE);
}

/*
 * A block with recognizable contents: ring i at 0x10000 * (i + 1) with num
 * entries, host features 0x10 + i, guest features 0x20 + i, config
 * 0x30 + i, cookie 0x1122334455667788, doorbells 5 and 6.
 */
static unsigned int
mkblock(uint64_t *buf, int type, int num_vq, int feature_len, int config_len,
    int num)
{
	struct mic_device_desc *d;
	struct mic_vqconfig *vq;
	struct mic_device_ctrl *ctrl;
	unsigned char *p;
	int i;

	memset(buf, 0, BLK_MAX);
	d = (struct mic_device_desc *)buf;
	d->type = type;
	d->num_vq = num_vq;
	d->feature_len = feature_len;
	d->config_len = config_len;
	ATF_REQUIRE(mic_total_desc_size(d) <= BLK_MAX);
	vq = (struct mic_vqconfig *)(d + 1);
	for (i = 0; i < num_vq; i++) {
		vq[i].address = htole64(0x10000ull * (i + 1));
		vq[i].num = htole16(num);
	}
	p = (unsigned char *)(vq + num_vq);
	for (i = 0; i < feature_len; i++)
		*p++ = 0x10 + i;
	for (i = 0; i < feature_len; i++)
		*p++ = 0x20 + i;
	for (i = 0; i < config_len; i++)
		*p++ = 0x30 + i;
	ctrl = (struct mic_device_ctrl *)((unsigned char *)buf +
	    mic_aligned_desc_size(d));
	ctrl->vdev = htole64(0x1122334455667788ull);
	ctrl->c2h_vdev_db = 5;
	ctrl->h2c_vdev_db = 6;
	return (mic_total_desc_size(d));
}

/*
 * A block of one ring and the config space that makes it size bytes.
 */
static unsigned int
mksized(uint64_t *buf, int type, unsigned int size)
{
	ATF_REQUIRE(size >= 48 && size % 8 == 0 && size <= 48 + 248);
	return (mkblock(buf, type, 1, 0, size - 48, 16));
}

static int
add_sized(unsigned char *dp, int type, unsigned int size)
{
	uint64_t blk[BLK_MAX / 8];

	ATF_REQUIRE_EQ(mksized(blk, type, size), size);
	return (mic_dp_add(dp, blk, NULL));
}

/*
 * Walk the whole list (removed blocks too, or not); return the number of
 * blocks, or the error of the walk.
 */
static int
walk_all(const unsigned char *dp, struct mic_dp_block *b, int max,
    unsigned int *endp)
{
	unsigned int pos = MIC_DP_FIRST;
	int n, ret;

	for (n = 0; n < max; n++) {
		ret = endp != NULL ? mic_dp_walk(dp, &pos, &b[n]) :
		    mic_dp_next(dp, &pos, &b[n]);
		if (ret < 0)
			return (ret);
		if (ret == 0)
			break;
	}
	ATF_REQUIRE(n < max);
	if (endp != NULL)
		*endp = pos;
	return (n);
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

/*
 * A page of small random bytes (long lists of plausible blocks), with a
 * few large ones (blocks that cross the end of the page).
 */
static void
rnd_page(unsigned char *dp, uint32_t seed)
{
	uint32_t s = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < MIC_DP_SIZE; i++) {
		if (rnd(&s) % 64 == 0)
			dp[i] = rnd(&s);
		else
			dp[i] = rnd(&s) % 12;
	}
}

/*
 * Read every byte the accessors of a block point at.
 */
static void
touch_block(unsigned char *dp, const struct mic_dp_block *b)
{
	volatile unsigned char sink;
	unsigned char *p;
	unsigned int i;

	ATF_REQUIRE(b->off >= MIC_DP_FIRST);
	ATF_REQUIRE(b->size <= MIC_DP_SIZE - b->off);
	p = (unsigned char *)mic_dp_vqconfig(dp, b);
	for (i = 0; i < b->num_vq * sizeof(struct mic_vqconfig); i++)
		sink = p[i];
	p = mic_dp_host_features(dp, b);
	for (i = 0; i < b->feature_len; i++)
		sink = p[i];
	p = mic_dp_guest_features(dp, b);
	for (i = 0; i < b->feature_len; i++)
		sink = p[i];
	p = mic_dp_config(dp, b);
	for (i = 0; i < b->config_len; i++)
		sink = p[i];
	p = (unsigned char *)mic_dp_ctrl(dp, b);
	for (i = 0; i < sizeof(struct mic_device_ctrl); i++)
		sink = p[i];
	(void)sink;
}

ATF_TC(init);
ATF_TC_HEAD(init, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_dp_init writes the magic, the host's doorbell, -1 in the "
	    "card's doorbells and 0 everywhere else");
}
ATF_TC_BODY(init, tc)
{
	static const unsigned char head[16] = {
		0x00, 0xEE, 0xFF, 0xC0, 3, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0
	};
	unsigned char *dp;
	size_t i;

	dp = page_alloc();
	memset(dp, 0xa5, MIC_DP_SIZE);
	mic_dp_init(dp, 3);
	ATF_CHECK(memcmp(dp, head, sizeof(head)) == 0);
	for (i = sizeof(head); i < MIC_DP_SIZE; i++)
		if (dp[i] != 0)
			atf_tc_fail("byte %zu is %#x", i, dp[i]);
	ATF_CHECK(mic_dp_has_magic(dp));
}

ATF_TC(magic);
ATF_TC_HEAD(magic, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_dp_has_magic accepts 0xC0FFEE00 little endian, only");
}
ATF_TC_BODY(magic, tc)
{
	unsigned char *dp;

	dp = page_alloc();
	ATF_CHECK(!mic_dp_has_magic(dp));
	mic_dp_init(dp, 0);
	ATF_CHECK(mic_dp_has_magic(dp));
	dp[0] = 0x01;
	ATF_CHECK(!mic_dp_has_magic(dp));
	dp[0] = 0xC0;
	dp[1] = 0xFF;
	dp[2] = 0xEE;
	dp[3] = 0x00;
	ATF_CHECK(!mic_dp_has_magic(dp));
}

ATF_TC(walk_empty);
ATF_TC_HEAD(walk_empty, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A fresh page has no descriptors; the end is at offset 16");
}
ATF_TC_BODY(walk_empty, tc)
{
	struct mic_dp_block b;
	unsigned char *dp;
	unsigned int pos;

	dp = page_alloc();
	mic_dp_init(dp, 0);
	pos = MIC_DP_FIRST;
	ATF_CHECK_EQ(MIC_DP_FIRST, 16);
	ATF_CHECK_EQ(mic_dp_walk(dp, &pos, &b), 0);
	ATF_CHECK_EQ(pos, 16);
	ATF_CHECK_EQ(mic_dp_next(dp, &pos, &b), 0);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 48), 16);
}

ATF_TC(add_walk);
ATF_TC_HEAD(add_walk, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Blocks added go back to back after the bootparam; the walk "
	    "returns their headers and the accessors their parts");
}
ATF_TC_BODY(add_walk, tc)
{
	uint64_t blk1[BLK_MAX / 8], blk2[BLK_MAX / 8];
	struct mic_dp_block added, b[4];
	unsigned char *dp;
	unsigned int s1, s2, end;

	dp = page_alloc();
	mic_dp_init(dp, 0);
	s1 = mkblock(blk1, 1, 2, 4, 12, 128);	/* net: 96 bytes */
	s2 = mkblock(blk2, 3, 2, 4, 9, 64);	/* console: 96 bytes */
	ATF_REQUIRE_EQ(s1, 96);
	ATF_REQUIRE_EQ(s2, 96);
	ATF_REQUIRE_EQ(mic_dp_add(dp, blk1, NULL), 16);
	ATF_REQUIRE_EQ(mic_dp_add(dp, blk2, &added), 16 + 96);
	ATF_REQUIRE_EQ(walk_all(dp, b, 4, &end), 2);
	/* mic_dp_add's snapshot is the walk's. */
	ATF_CHECK_EQ(added.off, b[1].off);
	ATF_CHECK_EQ(added.type, b[1].type);
	ATF_CHECK_EQ(added.num_vq, b[1].num_vq);
	ATF_CHECK_EQ(added.feature_len, b[1].feature_len);
	ATF_CHECK_EQ(added.config_len, b[1].config_len);
	ATF_CHECK_EQ(added.desc_size, b[1].desc_size);
	ATF_CHECK_EQ(added.size, b[1].size);
	ATF_CHECK_EQ(end, 16 + 96 + 96);

	ATF_CHECK_EQ(b[0].off, 16);
	ATF_CHECK_EQ(b[0].type, 1);
	ATF_CHECK_EQ(b[0].num_vq, 2);
	ATF_CHECK_EQ(b[0].feature_len, 4);
	ATF_CHECK_EQ(b[0].config_len, 12);
	ATF_CHECK_EQ(b[0].desc_size, 76);
	ATF_CHECK_EQ(b[0].size, 96);
	ATF_CHECK(memcmp(dp + 16, blk1, s1) == 0);
	ATF_CHECK(memcmp(dp + 16 + 96, blk2, s2) == 0);

	ATF_CHECK_EQ((unsigned char *)mic_dp_vqconfig(dp, &b[1]),
	    dp + 112 + 8);
	ATF_CHECK_EQ(mic_dp_host_features(dp, &b[1]), dp + 112 + 56);
	ATF_CHECK_EQ(mic_dp_guest_features(dp, &b[1]), dp + 112 + 60);
	ATF_CHECK_EQ(mic_dp_config(dp, &b[1]), dp + 112 + 64);
	ATF_CHECK_EQ((unsigned char *)mic_dp_ctrl(dp, &b[1]), dp + 112 + 80);
	ATF_CHECK_EQ(le64toh(mic_dp_vqconfig(dp, &b[1])[1].address),
	    0x20000);
	ATF_CHECK_EQ(le16toh(mic_dp_vqconfig(dp, &b[1])[1].num), 64);
	ATF_CHECK_EQ(mic_dp_host_features(dp, &b[1])[3], 0x13);
	ATF_CHECK_EQ(mic_dp_guest_features(dp, &b[1])[0], 0x20);
	ATF_CHECK_EQ(mic_dp_config(dp, &b[1])[8], 0x38);
	ATF_CHECK_EQ(le64toh(mic_dp_ctrl(dp, &b[1])->vdev),
	    0x1122334455667788ull);
	ATF_CHECK_EQ(mic_dp_ctrl(dp, &b[1])->h2c_vdev_db, 6);

	/* The same accessors work on the block in its own buffer. */
	ATF_CHECK_EQ(mic_dp_ctrl(blk2, &(struct mic_dp_block){
	    .off = 0, .size = 96 })->c2h_vdev_db, 5);
}

ATF_TC(add_terminates);
ATF_TC_HEAD(add_terminates, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A block added at the end of the list is followed by a type 0 "
	    "header, whatever the page held there");
}
ATF_TC_BODY(add_terminates, tc)
{
	struct mic_dp_block b[4];
	unsigned char *dp;
	unsigned int end;

	dp = page_alloc();
	mic_dp_init(dp, 0);
	memset(dp + 16 + 48, 0x07, 64);
	ATF_REQUIRE_EQ(add_sized(dp, 2, 48), 16);
	ATF_CHECK_EQ(walk_all(dp, b, 4, &end), 1);
	ATF_CHECK_EQ(end, 64);
	ATF_CHECK_EQ(dp[64], 0);
	/* Only the header after the block was cleared. */
	ATF_CHECK_EQ(dp[72], 0x07);
}

ATF_TC(add_writes_block_only);
ATF_TC_HEAD(add_writes_block_only, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_dp_add writes the block and the header after it, nothing "
	    "else");
}
ATF_TC_BODY(add_writes_block_only, tc)
{
	static unsigned char before[MIC_DP_SIZE];
	unsigned char *dp;
	int off;

	dp = page_alloc();
	mic_dp_init(dp, 0);
	ATF_REQUIRE_EQ(add_sized(dp, 1, 64), 16);
	memset(dp + 80, 0, MIC_DP_SIZE - 80);
	memset(dp + 80 + 96, 0x5a, MIC_DP_SIZE - (80 + 96));
	dp[80 + 96] = 0;	/* the end of the list, after the new block */
	memcpy(before, dp, MIC_DP_SIZE);
	off = add_sized(dp, 2, 96);
	ATF_REQUIRE_EQ(off, 80);
	ATF_CHECK(memcmp(dp, before, 80) == 0);
	ATF_CHECK(memcmp(dp + 80 + 96, "\0\0\0\0\0\0\0", 8) == 0);
	ATF_CHECK(memcmp(dp + 80 + 96 + 8, before + 80 + 96 + 8,
	    MIC_DP_SIZE - (80 + 96 + 8)) == 0);
}

ATF_TC(add_rejects);
ATF_TC_HEAD(add_rejects, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_dp_add refuses a block of type 0 or -1");
}
ATF_TC_BODY(add_rejects, tc)
{
	unsigned char *dp;
	struct mic_dp_block b;
	unsigned int pos = MIC_DP_FIRST;

	dp = page_alloc();
	mic_dp_init(dp, 0);
	ATF_CHECK_EQ(add_sized(dp, MIC_DESC_TYPE_END, 48), -EINVAL);
	ATF_CHECK_EQ(add_sized(dp, MIC_DESC_TYPE_REMOVED, 48), -EINVAL);
	ATF_CHECK_EQ(mic_dp_walk(dp, &pos, &b), 0);
}

ATF_TC(remove_next);
ATF_TC_HEAD(remove_next, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A removed block becomes type -1 with its sizes kept: "
	    "mic_dp_walk returns it, mic_dp_next skips it");
}
ATF_TC_BODY(remove_next, tc)
{
	struct mic_dp_block b[4];
	unsigned char *dp;
	unsigned int end;

	dp = page_alloc();
	mic_dp_init(dp, 0);
	ATF_REQUIRE_EQ(add_sized(dp, 1, 48), 16);
	ATF_REQUIRE_EQ(add_sized(dp, 2, 64), 64);
	ATF_REQUIRE_EQ(add_sized(dp, 3, 48), 128);
	ATF_REQUIRE_EQ(walk_all(dp, b, 4, &end), 3);
	mic_dp_remove(dp, &b[1]);
	ATF_CHECK_EQ((signed char)dp[64], -1);
	ATF_CHECK_EQ(dp[64 + 3], 16);

	ATF_REQUIRE_EQ(walk_all(dp, b, 4, &end), 3);
	ATF_CHECK_EQ(b[1].type, MIC_DESC_TYPE_REMOVED);
	ATF_CHECK_EQ(b[1].size, 64);
	ATF_CHECK_EQ(end, 176);
	ATF_REQUIRE_EQ(walk_all(dp, b, 4, NULL), 2);
	ATF_CHECK_EQ(b[0].type, 1);
	ATF_CHECK_EQ(b[1].type, 3);
	ATF_CHECK_EQ(b[1].off, 128);

	/* The last block too: the end of the list does not move. */
	mic_dp_remove(dp, &b[1]);
	ATF_CHECK_EQ(walk_all(dp, b, 4, NULL), 1);
	ATF_CHECK_EQ(walk_all(dp, b, 4, &end), 3);
	ATF_CHECK_EQ(end, 176);
}

ATF_TC(remove_bad_offset);
ATF_TC_HEAD(remove_bad_offset, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_dp_remove ignores an offset that cannot be a block's");
}
ATF_TC_BODY(remove_bad_offset, tc)
{
	static unsigned char before[MIC_DP_SIZE];
	struct mic_dp_block b;
	unsigned char *dp;

	dp = page_alloc();
	mic_dp_init(dp, 0);
	memcpy(before, dp, MIC_DP_SIZE);
	memset(&b, 0, sizeof(b));
	b.off = 8;
	mic_dp_remove(dp, &b);
	b.off = MIC_DP_SIZE - 16;
	mic_dp_remove(dp, &b);
	b.off = MIC_DP_SIZE + 4096;
	mic_dp_remove(dp, &b);
	b.off = 20;
	mic_dp_remove(dp, &b);
	ATF_CHECK(memcmp(dp, before, MIC_DP_SIZE) == 0);
}

ATF_TC(reuse_exact);
ATF_TC_HEAD(reuse_exact, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A removed slot is reused by a block of its size");
}
ATF_TC_BODY(reuse_exact, tc)
{
	struct mic_dp_block b[8];
	unsigned char *dp;
	unsigned int end;

	dp = page_alloc();
	mic_dp_init(dp, 0);
	ATF_REQUIRE_EQ(add_sized(dp, 1, 48), 16);
	ATF_REQUIRE_EQ(add_sized(dp, 2, 80), 64);
	ATF_REQUIRE_EQ(add_sized(dp, 3, 48), 144);
	ATF_REQUIRE_EQ(walk_all(dp, b, 8, &end), 3);
	mic_dp_remove(dp, &b[1]);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 80), 64);
	ATF_CHECK_EQ(add_sized(dp, 4, 80), 64);
	ATF_REQUIRE_EQ(walk_all(dp, b, 8, &end), 3);
	ATF_CHECK_EQ(b[1].type, 4);
	ATF_CHECK_EQ(b[1].size, 80);
	ATF_CHECK_EQ(b[2].type, 3);
	ATF_CHECK_EQ(end, 192);
}

ATF_TC(reuse_split);
ATF_TC_HEAD(reuse_split, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A smaller block takes a removed slot when the rest (24 bytes "
	    "or more) stays a removed block; the list stays intact");
}
ATF_TC_BODY(reuse_split, tc)
{
	struct mic_dp_block b[8];
	unsigned char *dp;
	unsigned int end;

	dp = page_alloc();
	mic_dp_init(dp, 0);
	ATF_REQUIRE_EQ(add_sized(dp, 1, 48), 16);
	ATF_REQUIRE_EQ(add_sized(dp, 2, 120), 64);
	ATF_REQUIRE_EQ(add_sized(dp, 3, 48), 184);
	ATF_REQUIRE_EQ(walk_all(dp, b, 8, &end), 3);
	mic_dp_remove(dp, &b[1]);
	ATF_CHECK_EQ(add_sized(dp, 4, 96), 64);	/* rest 24: the minimum */
	ATF_REQUIRE_EQ(walk_all(dp, b, 8, &end), 4);
	ATF_CHECK_EQ(b[1].type, 4);
	ATF_CHECK_EQ(b[1].size, 96);
	ATF_CHECK_EQ(b[2].type, MIC_DESC_TYPE_REMOVED);
	ATF_CHECK_EQ(b[2].off, 160);
	ATF_CHECK_EQ(b[2].size, 24);
	ATF_CHECK_EQ(b[3].type, 3);
	ATF_CHECK_EQ(b[3].off, 184);
	ATF_CHECK_EQ(end, 232);
	ATF_CHECK_EQ(walk_all(dp, b, 8, NULL), 3);

	/* The new block's content is all there. */
	ATF_CHECK_EQ(le16toh(mic_dp_vqconfig(dp, &b[1])[0].num), 16);
}

ATF_TC(reuse_not_fitting);
ATF_TC_HEAD(reuse_not_fitting, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A removed slot is not reused by a larger block, nor by one "
	    "that would leave 8 or 16 bytes: those go to the end");
}
ATF_TC_BODY(reuse_not_fitting, tc)
{
	struct mic_dp_block b[8];
	unsigned char *dp;
	unsigned int end;

	dp = page_alloc();
	mic_dp_init(dp, 0);
	ATF_REQUIRE_EQ(add_sized(dp, 1, 64), 16);
	ATF_REQUIRE_EQ(add_sized(dp, 2, 48), 80);
	ATF_REQUIRE_EQ(walk_all(dp, b, 8, &end), 2);
	mic_dp_remove(dp, &b[0]);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 72), 128);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 56), 128);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 48), 128);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 64), 16);
	ATF_CHECK_EQ(add_sized(dp, 3, 48), 128);
	ATF_REQUIRE_EQ(walk_all(dp, b, 8, &end), 3);
	ATF_CHECK_EQ(b[0].type, MIC_DESC_TYPE_REMOVED);
	ATF_CHECK_EQ(b[0].size, 64);
	ATF_CHECK_EQ(end, 176);
}

ATF_TC(full_page);
ATF_TC_HEAD(full_page, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Blocks fill the page up to its last byte, then there is no "
	    "room; a walk of a full page ends at 4096");
}
ATF_TC_BODY(full_page, tc)
{
	struct mic_dp_block b[100];
	unsigned char *dp;
	unsigned int end;
	int i;

	dp = page_alloc();
	mic_dp_init(dp, 0);
	/* 4080 bytes: 85 blocks of 48. */
	for (i = 0; i < 84; i++)
		ATF_REQUIRE_EQ(add_sized(dp, 1, 48), 16 + 48 * i);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 56), -ENOSPC);
	ATF_CHECK_EQ(add_sized(dp, 1, 56), -ENOSPC);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 48), 16 + 48 * 84);
	/* The last one ends at the end of the page: no end mark after it. */
	ATF_REQUIRE_EQ(add_sized(dp, 2, 48), 16 + 48 * 84);
	ATF_CHECK_EQ(add_sized(dp, 1, 48), -ENOSPC);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 24), -ENOSPC);
	ATF_CHECK_EQ(walk_all(dp, b, 100, &end), 85);
	ATF_CHECK_EQ(end, MIC_DP_SIZE);
	ATF_CHECK_EQ(b[84].type, 2);

	/* A removed block in a full page makes room again. */
	mic_dp_remove(dp, &b[10]);
	ATF_CHECK_EQ(add_sized(dp, 3, 48), 16 + 48 * 10);
}

ATF_TC(find_room_sizes);
ATF_TC_HEAD(find_room_sizes, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_dp_find_room refuses sizes no block can have");
}
ATF_TC_BODY(find_room_sizes, tc)
{
	unsigned char *dp;

	dp = page_alloc();
	mic_dp_init(dp, 0);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 0), -EINVAL);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 16), -EINVAL);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 49), -EINVAL);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 24), 16);
	ATF_CHECK_EQ(mic_dp_find_room(dp, MIC_DP_SIZE - 16), 16);
	ATF_CHECK_EQ(mic_dp_find_room(dp, MIC_DP_SIZE - 8), -ENOSPC);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 0xfffffff8u), -ENOSPC);

	/* Sizes that wrap around do not take a removed slot either. */
	ATF_REQUIRE_EQ(add_sized(dp, 1, 96), 16);
	ATF_REQUIRE_EQ(add_sized(dp, 1, 48), 112);
	dp[16] = 0xff;
	ATF_CHECK_EQ(mic_dp_find_room(dp, 0xfffffff8u), -ENOSPC);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 0xffffffa0u), -ENOSPC);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 72), 16);
}

ATF_TC(walk_bad_pos);
ATF_TC_HEAD(walk_bad_pos, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_dp_walk refuses a position that cannot be a block's, and an "
	    "unaligned page");
}
ATF_TC_BODY(walk_bad_pos, tc)
{
	static const unsigned int bad[] = {
		0, 8, 15, 17, 20, 4095, 4097, 4104, 0x80000000u, 0xfffffff8u
	};
	struct mic_dp_block b;
	unsigned char *dp;
	unsigned int pos;
	size_t i;

	dp = page_alloc();
	mic_dp_init(dp, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pos = bad[i];
		ATF_CHECK_EQ_MSG(mic_dp_walk(dp, &pos, &b), -EINVAL,
		    "pos %u", bad[i]);
		ATF_CHECK_EQ(pos, bad[i]);
	}
	pos = MIC_DP_SIZE;
	ATF_CHECK_EQ(mic_dp_walk(dp, &pos, &b), 0);
	pos = MIC_DP_FIRST;
	ATF_CHECK_EQ(mic_dp_walk(dp + 4, &pos, &b), -EINVAL);
	ATF_CHECK_EQ(mic_dp_find_room(dp + 4, 48), -ENOSPC);
}

ATF_TC(walk_corrupt);
ATF_TC_HEAD(walk_corrupt, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A block that crosses the end of the page ends the walk with "
	    "-EINVAL; one that ends exactly there is fine");
}
ATF_TC_BODY(walk_corrupt, tc)
{
	struct mic_dp_block b;
	unsigned char *dp;
	unsigned int pos;

	dp = page_alloc();
	mic_dp_init(dp, 0);
	/* The largest header: 6912 bytes. */
	memset(dp + 16, 0xff, 4);
	dp[16] = 1;
	pos = MIC_DP_FIRST;
	ATF_CHECK_EQ(mic_dp_walk(dp, &pos, &b), -EINVAL);
	ATF_CHECK_EQ(pos, MIC_DP_FIRST);
	ATF_CHECK_EQ(mic_dp_next(dp, &pos, &b), -EINVAL);
	ATF_CHECK_EQ(mic_dp_find_room(dp, 48), -ENOSPC);

	/* A removed block that crosses the end: not skipped either. */
	dp[16] = 0xff;
	ATF_CHECK_EQ(mic_dp_next(dp, &pos, &b), -EINVAL);

	/* The last 24 bytes: a 24-byte block fits, a 32-byte one not. */
	mic_dp_init(dp, 0);
	pos = MIC_DP_SIZE - 24;
	dp[pos] = 3;
	ATF_CHECK_EQ(mic_dp_walk(dp, &pos, &b), 1);
	ATF_CHECK_EQ(pos, MIC_DP_SIZE);
	ATF_CHECK_EQ(mic_dp_walk(dp, &pos, &b), 0);
	pos = MIC_DP_SIZE - 24;
	dp[pos + 3] = 1;
	ATF_CHECK_EQ(mic_dp_walk(dp, &pos, &b), -EINVAL);
}

ATF_TC(walk_random);
ATF_TC_HEAD(walk_random, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "On 20000 random pages, walks end, every block returned lies in "
	    "the page, and nothing outside the page is read or written");
}
ATF_TC_BODY(walk_random, tc)
{
	uint64_t blk[BLK_MAX / 8];
	struct mic_dp_block b;
	unsigned char *dp;
	unsigned int pos, prev;
	uint32_t seed;
	int n, ret, blocks, ends;

	dp = page_alloc();
	blocks = ends = 0;
	for (seed = 0; seed < 20000; seed++) {
		rnd_page(dp, seed);
		pos = MIC_DP_FIRST;
		for (n = 0; n <= MIC_DP_SIZE / 24; n++) {
			prev = pos;
			ret = seed % 2 ? mic_dp_walk(dp, &pos, &b) :
			    mic_dp_next(dp, &pos, &b);
			if (ret <= 0)
				break;
			ATF_REQUIRE(pos > prev && pos <= MIC_DP_SIZE);
			ATF_REQUIRE_EQ(b.off + b.size, pos);
			ATF_REQUIRE(b.size >= 24 && b.size % 8 == 0);
			touch_block(dp, &b);
			(void)mic_dp_check_rings(dp, &b);
			blocks++;
		}
		ATF_REQUIRE_MSG(ret <= 0, "seed %u: the walk does not end",
		    seed);
		if (ret == 0)
			ends++;
		/* Adding into garbage stays inside the page too. */
		mksized(blk, 1 + seed % 3, 48 + 8 * (seed % 16));
		ret = mic_dp_add(dp, blk, NULL);
		ATF_REQUIRE(ret == -ENOSPC ||
		    (ret >= (int)MIC_DP_FIRST && ret % 8 == 0 &&
		    ret + 48 + 8 * (seed % 16) <= MIC_DP_SIZE));
		if (ret >= 0)
			ATF_REQUIRE(memcmp(dp + ret, blk,
			    48 + 8 * (seed % 16)) == 0);
	}
	/* The pages exercised long lists, not only early errors. */
	ATF_CHECK_MSG(blocks > 20000, "%d blocks", blocks);
	ATF_CHECK_MSG(ends > 1000, "%d walks to the end", ends);
}

ATF_TC(check_header);
ATF_TC_HEAD(check_header, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_dp_check_header: type not 0 or -1, 1 to 4 rings, features "
	    "up to 32 bytes, aligned descriptor up to 256 bytes");
}
ATF_TC_BODY(check_header, tc)
{
	static const struct {
		int type, num_vq, feature_len, config_len, ret;
	} t[] = {
		{ 1, 2, 4, 12, 0 },
		{ 2, 1, 4, 60, 0 },
		{ 3, 2, 4, 8, 0 },
		{ 127, 1, 0, 0, 0 },
		{ 0, 1, 0, 0, -EINVAL },
		{ -1, 1, 0, 0, -EINVAL },
		{ 1, 0, 0, 0, -EINVAL },
		{ 1, 4, 0, 0, 0 },
		{ 1, 5, 0, 0, -EINVAL },
		{ 1, 255, 0, 0, -EINVAL },
		{ 1, 1, 32, 0, 0 },
		{ 1, 1, 33, 0, -EINVAL },
		{ 1, 4, 32, 88, 0 },		/* 256 */
		{ 1, 4, 32, 89, -EINVAL },	/* 257, aligned 264 */
		{ 1, 4, 32, 255, -EINVAL },
		{ 1, 1, 0, 224, 0 },		/* 256 */
		{ 1, 1, 0, 225, -EINVAL },
	};
	struct mic_device_desc d;
	struct mic_dp_block b;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&d, 0, sizeof(d));
		d.type = t[i].type;
		d.num_vq = t[i].num_vq;
		d.feature_len = t[i].feature_len;
		d.config_len = t[i].config_len;
		mic_dp_read_header(&b, &d, 0);
		ATF_CHECK_EQ_MSG(mic_dp_check_header(&b), t[i].ret,
		    "case %zu", i);
	}
}

ATF_TC(check_rings);
ATF_TC_HEAD(check_rings, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_dp_check_rings: every ring's num is a power of two from 1 "
	    "to 128");
}
ATF_TC_BODY(check_rings, tc)
{
	static const struct {
		int num, ret;
	} t[] = {
		{ 1, 0 }, { 2, 0 }, { 64, 0 }, { 128, 0 },
		{ 0, -EINVAL }, { 3, -EINVAL }, { 96, -EINVAL },
		{ 127, -EINVAL }, { 256, -EINVAL }, { 0x8000, -EINVAL },
		{ 0x8080, -EINVAL },
	};
	uint64_t blk[BLK_MAX / 8];
	struct mic_dp_block b;
	struct mic_vqconfig *vq;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		mkblock(blk, 1, 1, 0, 0, t[i].num);
		mic_dp_read_header(&b, blk, 0);
		ATF_CHECK_EQ_MSG(mic_dp_check_rings(blk, &b), t[i].ret,
		    "num %d", t[i].num);
	}
	/* Every ring counts, the last one too. */
	mkblock(blk, 1, 4, 0, 0, 128);
	mic_dp_read_header(&b, blk, 0);
	ATF_CHECK_EQ(mic_dp_check_rings(blk, &b), 0);
	vq = mic_dp_vqconfig(blk, &b);
	vq[3].num = htole16(100);
	ATF_CHECK_EQ(mic_dp_check_rings(blk, &b), -EINVAL);
	/* num is little endian: 0x0100 would be 256, 0x0001 is 1. */
	vq[3].num = htole16(1);
	ATF_CHECK_EQ(mic_dp_check_rings(blk, &b), 0);
}

ATF_TC(read_header);
ATF_TC_HEAD(read_header, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_dp_read_header decodes a header at any offset of a buffer, "
	    "aligned or not, with its sizes");
}
ATF_TC_BODY(read_header, tc)
{
	uint64_t buf[4];
	unsigned char *p = (unsigned char *)buf;
	struct mic_dp_block b;
	unsigned int off;

	for (off = 0; off < 8; off++) {
		memset(buf, 0, sizeof(buf));
		p[off] = 0xff;
		p[off + 1] = 2;
		p[off + 2] = 4;
		p[off + 3] = 9;
		p[off + 4] = 0x0f;
		mic_dp_read_header(&b, buf, off);
		ATF_CHECK_EQ(b.off, off);
		ATF_CHECK_EQ(b.type, -1);
		ATF_CHECK_EQ(b.num_vq, 2);
		ATF_CHECK_EQ(b.feature_len, 4);
		ATF_CHECK_EQ(b.config_len, 9);
		ATF_CHECK_EQ(b.desc_size, 73);
		ATF_CHECK_EQ(b.size, 96);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, init);
	ATF_TP_ADD_TC(tp, magic);
	ATF_TP_ADD_TC(tp, walk_empty);
	ATF_TP_ADD_TC(tp, add_walk);
	ATF_TP_ADD_TC(tp, add_terminates);
	ATF_TP_ADD_TC(tp, add_writes_block_only);
	ATF_TP_ADD_TC(tp, add_rejects);
	ATF_TP_ADD_TC(tp, remove_next);
	ATF_TP_ADD_TC(tp, remove_bad_offset);
	ATF_TP_ADD_TC(tp, reuse_exact);
	ATF_TP_ADD_TC(tp, reuse_split);
	ATF_TP_ADD_TC(tp, reuse_not_fitting);
	ATF_TP_ADD_TC(tp, full_page);
	ATF_TP_ADD_TC(tp, find_room_sizes);
	ATF_TP_ADD_TC(tp, walk_bad_pos);
	ATF_TP_ADD_TC(tp, walk_corrupt);
	ATF_TP_ADD_TC(tp, walk_random);
	ATF_TP_ADD_TC(tp, check_header);
	ATF_TP_ADD_TC(tp, check_rings);
	ATF_TP_ADD_TC(tp, read_header);

	return (atf_no_error());
}
