/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Write the seed corpus of mic_vring_fuzz into a directory: a few normal
 * rings and one of each violation of ABI.md section 5, in the input format
 * of mic_vring_fuzz.h.  `bmake seeds' rewrites corpus/ with it; the test
 * checks that corpus/ is what it writes.
 *
 *	usage: mic_vring_seeds dir
 */

#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mic_vring_fuzz.h"

#define	MAXNUM		128
#define	F_NEXT		1
#define	F_WRITE		2
#define	F_INDIRECT	4

struct seed {
	unsigned int	s_num;
	uint8_t		s_cfg;
	uint8_t		s_image[FUZZ_IMAGE(MAXNUM)];
	uint8_t		s_ops[256];
	size_t		s_nops;
};

static const char	*dir;

static void	seed_init(struct seed *, unsigned int, int, int);
static void	put(uint8_t *, uint64_t, int);
static void	desc(struct seed *, unsigned int, uint64_t, uint32_t,
		    uint16_t, uint16_t);
static void	avail(struct seed *, uint16_t, const uint16_t *, int);
static void	ops(struct seed *, const uint8_t *, size_t);
static void	seed_write(const struct seed *, const char *);
static void	normal(void);
static void	violations(void);

static void
seed_init(struct seed *s, unsigned int log2num, int indirect, int window)
{
	memset(s, 0, sizeof(*s));
	s->s_num = 1u << log2num;
	s->s_cfg = FUZZ_CFG(log2num, indirect, window);
}

static void
put(uint8_t *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = v >> (8 * i);
}

static void
desc(struct seed *s, unsigned int i, uint64_t addr, uint32_t len,
    uint16_t flags, uint16_t next)
{
	uint8_t *d = s->s_image + 16 * i;

	put(d, addr, 8);
	put(d + 8, len, 4);
	put(d + 12, flags, 2);
	put(d + 14, next, 2);
}

/* The avail index, and the first n entries of the avail ring. */
static void
avail(struct seed *s, uint16_t idx, const uint16_t *heads, int n)
{
	uint8_t *a = s->s_image + 16 * s->s_num;
	int i;

	put(a + 2, idx, 2);
	for (i = 0; i < n; i++)
		put(a + 4 + 2 * i, heads[i], 2);
}

static void
ops(struct seed *s, const uint8_t *o, size_t n)
{
	if (s->s_nops + n > sizeof(s->s_ops))
		errx(1, "too many operations");
	memcpy(s->s_ops + s->s_nops, o, n);
	s->s_nops += n;
}

static void
seed_write(const struct seed *s, const char *name)
{
	char path[1024];
	FILE *f;
	int n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		errx(1, "%s/%s: path too long", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		err(1, "%s", path);
	if (fwrite(&s->s_cfg, 1, 1, f) != 1 ||
	    fwrite(s->s_image, 1, FUZZ_IMAGE(s->s_num), f) !=
	    FUZZ_IMAGE(s->s_num) ||
	    fwrite(s->s_ops, 1, s->s_nops, f) != s->s_nops)
		err(1, "%s", path);
	if (fclose(f) != 0)
		err(1, "%s", path);
}

static void
normal(void)
{
	static const uint16_t h0[] = { 0 }, h4[] = { 3, 2, 1, 0 };
	static const uint8_t block_ops[] = {
		FUZZ_DONE, FUZZ_STEP, 1, FUZZ_NEXT, FUZZ_STEP, 10, FUZZ_STEP,
		6, FUZZ_PENDING, FUZZ_NEXT, FUZZ_STEP, 200, FUZZ_STEP, 250,
		FUZZ_STEP, 100, FUZZ_STEP, 255,
		FUZZ_NOTIFY, FUZZ_DONE, FUZZ_PENDING, FUZZ_NEXT
	};
	static const uint8_t many_ops[] = {
		FUZZ_NEXT, FUZZ_DRAIN, FUZZ_DONE, FUZZ_NEXT, FUZZ_STEP, 255,
		FUZZ_DONE_LEN, 0x78, 0x56, 0x34, 0x12, FUZZ_NEXT, FUZZ_STEP, 1,
		FUZZ_DONE, FUZZ_POST, 1, FUZZ_NEXT, FUZZ_DRAIN, FUZZ_DONE,
		FUZZ_NEXT, FUZZ_DONE, FUZZ_RESET,
		FUZZ_POKE, 2 + 16 * 4, 0, 2, 2, 0, FUZZ_NEXT, FUZZ_DRAIN,
		FUZZ_DONE, FUZZ_PENDING
	};
	static const uint8_t poke_ops[] = {
		FUZZ_NEXT, FUZZ_POKE, 0, 0, 16, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, FUZZ_STEP, 255, FUZZ_NEXT, FUZZ_DRAIN, FUZZ_DONE
	};
	static const uint8_t feat_ops[] = {
		FUZZ_FEATURES, 2, FUZZ_NEXT, FUZZ_FEATURES, 1, FUZZ_RESET,
		FUZZ_NEXT
	};
	struct seed s;
	unsigned int i;

	seed_init(&s, 3, 0, FUZZ_WIN_64K);
	seed_write(&s, "empty");

	seed_init(&s, 3, 0, FUZZ_WIN_64K);
	desc(&s, 0, 0x100, 64, 0, 0);
	avail(&s, 1, h0, 1);
	seed_write(&s, "one");

	/* A block request: header, data, status, over several calls. */
	seed_init(&s, 4, 0, FUZZ_WIN_64K);
	desc(&s, 0, 0x1000, 16, F_NEXT, 1);
	desc(&s, 1, 0x2000, 512, F_NEXT | F_WRITE, 2);
	desc(&s, 2, 0x3000, 1, F_WRITE, 0);
	avail(&s, 1, h0, 1);
	ops(&s, block_ops, sizeof(block_ops));
	seed_write(&s, "block");

	/* Four chains of one buffer, some empty, then the card posts more. */
	seed_init(&s, 2, 0, FUZZ_WIN_4K);
	for (i = 0; i < 4; i++)
		desc(&s, i, 1024 * i, i == 2 ? 0 : 1024, i % 2 ? F_WRITE : 0,
		    0);
	avail(&s, 4, h4, 4);
	ops(&s, many_ops, sizeof(many_ops));
	seed_write(&s, "many");

	/* A chain of all 128 descriptors, readable then writable. */
	seed_init(&s, 7, 0, FUZZ_WIN_1M);
	for (i = 0; i < 128; i++)
		desc(&s, i, 4096 * i, 4096, (i < 127 ? F_NEXT : 0) |
		    (i >= 64 ? F_WRITE : 0), i + 1);
	avail(&s, 1, h0, 1);
	seed_write(&s, "full");

	/* The card rewrites the chain's descriptor while it is in use. */
	seed_init(&s, 0, 0, FUZZ_WIN_64K);
	desc(&s, 0, 0x10, 32, F_WRITE, 0);
	avail(&s, 1, h0, 1);
	ops(&s, poke_ops, sizeof(poke_ops));
	seed_write(&s, "poke");

	seed_init(&s, 1, 0, FUZZ_WIN_4G);
	desc(&s, 1, 0x10, 32, F_INDIRECT, 0);
	avail(&s, 1, (const uint16_t[]){ 1 }, 1);
	ops(&s, feat_ops, sizeof(feat_ops));
	seed_write(&s, "features");
}

static void
violations(void)
{
	static const uint16_t h0[] = { 0 }, h8[] = { 8 };
	/* Broken, then put right by the card: broken until the reset. */
	static const uint8_t reset_ops[] = {
		FUZZ_NEXT, FUZZ_POKE, 16 * 8 + 4, 0, 2, 0, 0, FUZZ_NEXT,
		FUZZ_STEP, 255, FUZZ_DONE, FUZZ_PENDING, FUZZ_NOTIFY,
		FUZZ_RESET, FUZZ_PENDING, FUZZ_NEXT, FUZZ_DRAIN, FUZZ_DONE
	};
	struct seed s;

	seed_init(&s, 3, 0, FUZZ_WIN_64K);
	desc(&s, 0, 0x100, 64, 0, 0);
	avail(&s, 9, h0, 1);
	seed_write(&s, "bad_avail_idx");

	seed_init(&s, 3, 0, FUZZ_WIN_64K);
	desc(&s, 0, 0x100, 64, 0, 0);
	avail(&s, 1, h8, 1);
	ops(&s, reset_ops, sizeof(reset_ops));
	seed_write(&s, "bad_head");

	seed_init(&s, 3, 0, FUZZ_WIN_64K);
	desc(&s, 0, 0x100, 64, F_NEXT, 8);
	avail(&s, 1, h0, 1);
	seed_write(&s, "bad_next");

	seed_init(&s, 3, 0, FUZZ_WIN_64K);
	desc(&s, 0, 0x100, 64, F_NEXT, 1);
	desc(&s, 1, 0x200, 64, F_NEXT, 0);
	avail(&s, 1, h0, 1);
	seed_write(&s, "bad_loop");

	/* Revisited, 0 would be a readable after a writable: still a loop. */
	seed_init(&s, 1, 0, FUZZ_WIN_64K);
	desc(&s, 0, 0x100, 64, F_NEXT, 1);
	desc(&s, 1, 0x200, 64, F_NEXT | F_WRITE, 0);
	avail(&s, 1, h0, 1);
	seed_write(&s, "bad_loop_rw");

	seed_init(&s, 3, 0, FUZZ_WIN_64K);
	desc(&s, 0, 0x100, 64, F_NEXT, 1);
	desc(&s, 1, 65535, 2, F_WRITE, 0);
	avail(&s, 1, h0, 1);
	seed_write(&s, "bad_window");

	seed_init(&s, 3, 0, 7);
	desc(&s, 0, ~0ull - 1, 4, 0, 0);
	avail(&s, 1, h0, 1);
	seed_write(&s, "bad_overflow");

	seed_init(&s, 3, 0, FUZZ_WIN_1T);
	desc(&s, 0, 0, 0x80000000u, F_NEXT, 1);
	desc(&s, 1, 0, 0x80000000u, F_WRITE, 0);
	avail(&s, 1, h0, 1);
	seed_write(&s, "bad_total");

	seed_init(&s, 3, 0, FUZZ_WIN_64K);
	desc(&s, 0, 0x100, 16, F_INDIRECT, 0);
	avail(&s, 1, h0, 1);
	seed_write(&s, "bad_indirect");

	seed_init(&s, 3, 1, FUZZ_WIN_64K);
	desc(&s, 0, 0x100, 16, F_INDIRECT, 0);
	avail(&s, 1, h0, 1);
	seed_write(&s, "bad_indirect_negotiated");

	seed_init(&s, 3, 0, FUZZ_WIN_64K);
	desc(&s, 0, 0x100, 16, F_NEXT | F_WRITE, 1);
	desc(&s, 1, 0x200, 16, 0, 0);
	avail(&s, 1, h0, 1);
	seed_write(&s, "bad_order");
}

int
main(int argc, char *argv[])
{
	if (argc != 2) {
		fprintf(stderr, "usage: mic_vring_seeds dir\n");
		return (2);
	}
	dir = argv[1];
	normal();
	violations();
	return (0);
}
