/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The x100 leaf of the host driver (sys/dev/mic/host/mic_x100.c) against
 * a fake register window (mic_hw_user.c): every register sequence of
 * ABI.md section 6, access by access.  The register offsets are spelt out
 * here as ABI.md gives them rather than taken from mic_x100.h, so that a
 * wrong offset there fails too.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "mic_x100.h"

#define	REGS		0		/* window: BAR4, the registers */
#define	APER		1		/* window: BAR0, the aperture */
#define	REGS_LEN	0x20000
#define	APER_LEN	0x100000	/* 1 MiB of card memory */
#define	DL		0x40000		/* the download address */

/* Registers (ABI.md 6.2). */
#define	R_POSTCODE	0x0242c
#define	R_SMPT0		0x13100
#define	R_RGCR		0x14010
#define	R_SICR0		0x19004
#define	R_SICE0		0x1900c
#define	R_SICC0		0x19010
#define	R_SIAC0		0x19014
#define	R_MXAR0		0x19044
#define	R_MSIXPBACR	0x19084
#define	R_APICICR0	0x1a9d0
#define	R_APICICR7	0x1aa08
#define	R_APICICR7_HI	0x1aa0c
#define	R_SPAD0		0x1ab20
#define	R_SPAD2		0x1ab28
#define	R_SPAD5		0x1ab34
#define	R_RDMASR0	0x1b180

/* The x86 boot protocol header (the setup header of a bzImage). */
#define	BP_HDRS		0x202
#define	BP_RAMDISK	0x218
#define	BP_RAMDISK_SIZE	0x21c

/* Expected accesses, for io_expect(). */
#define	RD(off, v)	{ REGS, MIC_IO_READ32, (off), (v), 0 }
#define	WR(off, v)	{ REGS, MIC_IO_WRITE32, (off), (v), 0 }
#define	NIO(a)		(sizeof(a) / sizeof((a)[0]))

#define	CMDLINE		" mem=8192M mic.ip=172.31.1.1/24 quiet"

struct card {
	struct mic_hw	c_hw;
	struct mic_x100	c_x;
};

/* A boot: the image, the command line and the ramdisk. */
struct boot {
	struct mic_image b_img;
	u8		*b_image;
	u8		*b_ramdisk;
};

static struct mic_hw	*card_init(struct card *, u8, enum mic_irq_mode,
			    unsigned int);
static struct mic_hw	*card_intr(struct card *, u8, enum mic_irq_mode,
			    unsigned int);
static void		 reg_set(uint64_t, u32);
static u32		 reg_get(uint64_t);
static const char	*io_name(int);
static void		 io_expect(const struct mic_io *, size_t);
static long		 io_find(int, int, uint64_t, size_t);
static size_t		 io_count(int, int, uint64_t);
static size_t		 io_count_win(int, int);
static void		 boot_make(struct boot *, size_t, size_t);
static void		 boot_free(struct boot *);
static int		 aper_untouched(void);

/*
 * A card of stepping step whose interrupts the common code set up as
 * mode with nvec vectors; the access log is empty.
 */
static struct mic_hw *
card_init(struct card *c, u8 step, enum mic_irq_mode mode, unsigned int nvec)
{
	struct mic_hw *hw = &c->c_hw;

	mic_hw_user_unmap();
	memset(c, 0, sizeof(*c));
	hw->ops = &mic_x100_ops;
	hw->mmio.va = mic_hw_user_map(REGS, REGS_LEN);
	hw->mmio.len = REGS_LEN;
	hw->aper.va = mic_hw_user_map(APER, APER_LEN);
	hw->aper.len = APER_LEN;
	hw->stepping = step;
	hw->irq_mode = mode;
	hw->nr_vectors = nvec;
	spin_lock_init(&c->c_x.lock);
	hw->priv = &c->c_x;
	mic_hw_user_nmsg = 0;
	return (hw);
}

/*
 * The same, with the interrupts routed and enabled (intr_init), and the
 * access log emptied again.
 */
static struct mic_hw *
card_intr(struct card *c, u8 step, enum mic_irq_mode mode, unsigned int nvec)
{
	struct mic_hw *hw;

	hw = card_init(c, step, mode, nvec);
	mic_x100_intr_init(hw);
	mic_hw_user_clear();
	return (hw);
}

static void
reg_set(uint64_t off, u32 v)
{
	mic_hw_user_poke32(REGS, off, v);
}

static u32
reg_get(uint64_t off)
{
	return (mic_hw_user_peek32(REGS, off));
}

static const char *
io_name(int op)
{
	switch (op) {
	case MIC_IO_READ32:
		return ("read");
	case MIC_IO_WRITE32:
		return ("write");
	case MIC_IO_TOIO:
		return ("memcpy_toio");
	case MIC_IO_FROMIO:
		return ("memcpy_fromio");
	case MIC_IO_WMB:
		return ("wmb");
	case MIC_IO_MSLEEP:
		return ("msleep");
	}
	return ("?");
}

/*
 * The accesses recorded are exactly exp[0..n - 1] (window, kind, offset,
 * value), in that order.
 */
static void
io_expect(const struct mic_io *exp, size_t n)
{
	const struct mic_io *io;
	size_t i;

	for (i = 0; i < n || i < mic_hw_user_nlog; i++) {
		if (i >= mic_hw_user_nlog) {
			atf_tc_fail_nonfatal("access %zu: missing: %s %d:%#jx "
			    "%#jx", i, io_name(exp[i].io_op), exp[i].io_win,
			    (uintmax_t)exp[i].io_off,
			    (uintmax_t)exp[i].io_val);
			continue;
		}
		io = &mic_hw_user_log[i];
		if (i >= n) {
			atf_tc_fail_nonfatal("access %zu: unexpected: %s "
			    "%d:%#jx %#jx", i, io_name(io->io_op), io->io_win,
			    (uintmax_t)io->io_off, (uintmax_t)io->io_val);
			continue;
		}
		if (io->io_win != exp[i].io_win || io->io_op != exp[i].io_op ||
		    io->io_off != exp[i].io_off || io->io_val != exp[i].io_val)
			atf_tc_fail_nonfatal("access %zu: %s %d:%#jx %#jx, "
			    "expected %s %d:%#jx %#jx", i, io_name(io->io_op),
			    io->io_win, (uintmax_t)io->io_off,
			    (uintmax_t)io->io_val, io_name(exp[i].io_op),
			    exp[i].io_win, (uintmax_t)exp[i].io_off,
			    (uintmax_t)exp[i].io_val);
	}
}

/*
 * The index of the first access of kind op to offset off of window win at
 * or after index from, or -1.
 */
static long
io_find(int op, int win, uint64_t off, size_t from)
{
	size_t i;

	for (i = from; i < mic_hw_user_nlog; i++)
		if (mic_hw_user_log[i].io_op == op &&
		    mic_hw_user_log[i].io_win == win &&
		    mic_hw_user_log[i].io_off == off)
			return ((long)i);
	return (-1);
}

static size_t
io_count(int op, int win, uint64_t off)
{
	size_t i, n = 0;

	for (i = 0; i < mic_hw_user_nlog; i++)
		if (mic_hw_user_log[i].io_op == op &&
		    mic_hw_user_log[i].io_win == win &&
		    mic_hw_user_log[i].io_off == off)
			n++;
	return (n);
}

static size_t
io_count_win(int op, int win)
{
	size_t i, n = 0;

	for (i = 0; i < mic_hw_user_nlog; i++)
		if (mic_hw_user_log[i].io_op == op &&
		    mic_hw_user_log[i].io_win == win)
			n++;
	return (n);
}

/*
 * A bzImage of isize bytes (a pattern, the "HdrS" magic, the ramdisk
 * fields 0xffffffff), the command line CMDLINE, and a ramdisk of rsize
 * bytes (another pattern), or none.
 */
static void
boot_make(struct boot *b, size_t isize, size_t rsize)
{
	size_t i;

	memset(b, 0, sizeof(*b));
	b->b_image = malloc(isize);
	ATF_REQUIRE(b->b_image != NULL);
	for (i = 0; i < isize; i++)
		b->b_image[i] = (u8)(i * 7 + 1);
	if (isize >= BP_RAMDISK_SIZE + 4) {
		memcpy(b->b_image + BP_HDRS, "HdrS", 4);
		memset(b->b_image + BP_RAMDISK, 0xff, 8);
	}
	if (rsize > 0) {
		b->b_ramdisk = malloc(rsize);
		ATF_REQUIRE(b->b_ramdisk != NULL);
		for (i = 0; i < rsize; i++)
			b->b_ramdisk[i] = (u8)(i * 13 + 5);
	}
	b->b_img.image = b->b_image;
	b->b_img.image_size = isize;
	b->b_img.cmdline = CMDLINE;
	b->b_img.cmdline_size = sizeof(CMDLINE);
	b->b_img.ramdisk = b->b_ramdisk;
	b->b_img.ramdisk_size = rsize;
}

static void
boot_free(struct boot *b)
{
	free(b->b_image);
	free(b->b_ramdisk);
}

/*
 * Whether card memory is still all zero.
 */
static int
aper_untouched(void)
{
	uint64_t off;

	for (off = 0; off < APER_LEN; off += 4)
		if (mic_hw_user_peek32(APER, off) != 0)
			return (0);
	return (1);
}

ATF_TC(spad_read);
ATF_TC_HEAD(spad_read, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "SPADn is read at 0x1AB20 + 4 * n, once, and an index above 15 "
	    "reads nothing");
}
ATF_TC_BODY(spad_read, tc)
{
	struct card c;
	struct mic_hw *hw;
	unsigned int i;

	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	for (i = 0; i < 16; i++)
		reg_set(R_SPAD0 + 4 * i, 0xa5000000 | i << 8 | i);
	for (i = 0; i < 16; i++) {
		const struct mic_io exp[] = {
			RD(R_SPAD0 + 4 * i, 0xa5000000 | i << 8 | i),
		};

		mic_hw_user_clear();
		ATF_CHECK_EQ(mic_x100_read_spad(hw, i),
		    0xa5000000 | i << 8 | i);
		io_expect(exp, NIO(exp));
	}
	mic_hw_user_clear();
	ATF_CHECK_EQ(hw->ops->read_spad(hw, 16), 0);
	io_expect(NULL, 0);
}

ATF_TC(spad_write);
ATF_TC_HEAD(spad_write, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "SPADn is written at 0x1AB20 + 4 * n (SPAD5 0x1AB34, SPAD14 "
	    "0x1AB58, SPAD15 0x1AB5C), and an index above 15 writes nothing");
}
ATF_TC_BODY(spad_write, tc)
{
	const struct mic_io exp[] = {
		WR(0x1ab34, 0x12345678),
		WR(0x1ab58, 0xfee1dead),
		WR(0x1ab5c, 0x80),
	};
	struct card c;
	struct mic_hw *hw;
	unsigned int i;

	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	for (i = 0; i < 16; i++) {
		const struct mic_io one[] = {
			WR(R_SPAD0 + 4 * i, 0x5a000000 | i),
		};

		mic_hw_user_clear();
		mic_x100_write_spad(hw, i, 0x5a000000 | i);
		io_expect(one, NIO(one));
	}
	mic_hw_user_clear();
	hw->ops->write_spad(hw, MIC_SPAD_IMAGE_SIZE, 0x12345678);
	hw->ops->write_spad(hw, 14, 0xfee1dead);
	hw->ops->write_spad(hw, 15, 0x80);
	io_expect(exp, NIO(exp));
	mic_hw_user_clear();
	hw->ops->write_spad(hw, 16, 1);
	io_expect(NULL, 0);
}

ATF_TC(post_code);
ATF_TC_HEAD(post_code, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "The POST code is the low two bytes of 0x0242C, the first "
	    "character in bits 7:0");
}
ATF_TC_BODY(post_code, tc)
{
	const struct mic_io exp[] = { RD(R_POSTCODE, 0x12344c50) };
	struct card c;
	struct mic_hw *hw;

	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	reg_set(R_POSTCODE, 0x12344c50);	/* "PL" */
	ATF_CHECK_EQ(hw->ops->read_post_code(hw), 0x4c50);
	io_expect(exp, NIO(exp));
}

ATF_TC(db_apicicr);
ATF_TC_HEAD(db_apicicr, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Host to card doorbells 0-7 read the low dword of APICICRn and "
	    "write it back with bit 13 set, keeping the vector and "
	    "destination the card programmed");
}
ATF_TC_BODY(db_apicicr, tc)
{
	struct card c;
	struct mic_hw *hw;
	unsigned int db;
	u32 icr;

	for (db = 0; db < 8; db++) {
		hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
		icr = 0xc0d0c040 | db << 4 | db;	/* bit 13 clear */
		reg_set(R_APICICR0 + 8 * db, icr);
		reg_set(R_APICICR0 + 8 * db + 4, 0x5500 + db);
		{
			const struct mic_io exp[] = {
				RD(R_APICICR0 + 8 * db, icr),
				WR(R_APICICR0 + 8 * db, icr | 0x2000),
			};

			hw->ops->send_h2c_db(hw, db);
			io_expect(exp, NIO(exp));
		}
		ATF_CHECK_EQ(reg_get(R_APICICR0 + 8 * db), icr | 0x2000);
		ATF_CHECK_EQ(reg_get(R_APICICR0 + 8 * db + 4), 0x5500 + db);
	}
	/* Bit 13 already set (a previous IPI not delivered): sent again. */
	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	reg_set(R_APICICR0 + 8 * 3, 0x20e1);
	{
		const struct mic_io exp[] = {
			RD(R_APICICR0 + 8 * 3, 0x20e1),
			WR(R_APICICR0 + 8 * 3, 0x20e1),
		};

		hw->ops->send_h2c_db(hw, 3);
		io_expect(exp, NIO(exp));
	}
}

ATF_TC(db_rdmasr);
ATF_TC_HEAD(db_rdmasr, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Host to card doorbells 8-15 write 0 to RDMASR[17 + db - 8] "
	    "(0x1B1C4 for 8, 0x1B1E0 for 15) and read nothing");
}
ATF_TC_BODY(db_rdmasr, tc)
{
	const struct mic_io exp8[] = { WR(0x1b1c4, 0) };
	const struct mic_io exp15[] = { WR(0x1b1e0, 0) };
	struct card c;
	struct mic_hw *hw;
	unsigned int db;

	for (db = 8; db < 16; db++) {
		const struct mic_io exp[] = {
			WR(R_RDMASR0 + 4 * (17 + db - 8), 0),
		};

		hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
		reg_set(R_RDMASR0 + 4 * (17 + db - 8), 0xffffffff);
		hw->ops->send_h2c_db(hw, db);
		io_expect(exp, NIO(exp));
		ATF_CHECK_EQ(reg_get(R_RDMASR0 + 4 * (17 + db - 8)), 0);
	}
	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	hw->ops->send_h2c_db(hw, 8);
	io_expect(exp8, NIO(exp8));
	mic_hw_user_clear();
	hw->ops->send_h2c_db(hw, 15);
	io_expect(exp15, NIO(exp15));
}

ATF_TC(db_out_of_range);
ATF_TC_HEAD(db_out_of_range, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A host to card doorbell above 15 touches no register");
}
ATF_TC_BODY(db_out_of_range, tc)
{
	struct card c;
	struct mic_hw *hw;

	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	hw->ops->send_h2c_db(hw, 16);
	hw->ops->send_h2c_db(hw, 0xffffffff);
	io_expect(NULL, 0);
}

ATF_TC(smpt_encode);
ATF_TC_HEAD(smpt_encode, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "An SMPT entry holds host_addr >> 34 in bits 31:2 with bit 0 "
	    "(no snoop) clear, and encoding touches no register");
}
ATF_TC_BODY(smpt_encode, tc)
{
	static const struct {
		uint64_t	addr;
		u32		val;
	} t[] = {
		{ 0, 0 },
		{ 0x400000000ULL, 0x4 },		/* 16 GiB */
		{ 0x800000000ULL, 0x8 },		/* 32 GiB */
		{ 0x10000000000ULL, 0x100 },		/* 1 TiB */
		{ 0x7c00000000ULL, 0x7c },		/* 31 * 16 GiB */
		{ 0x3fc00000000ULL, 0x3fc },		/* 4 TiB - 16 GiB */
		{ 0x8000000000000000ULL, 0x80000000 },	/* 2^63 */
		{ 0xfffffffc00000000ULL, 0xfffffffc },	/* the top */
	};
	struct card c;
	struct mic_hw *hw;
	size_t i;
	u32 v;

	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	for (i = 0; i < NIO(t); i++) {
		v = hw->ops->smpt_encode(hw, t[i].addr);
		ATF_CHECK_MSG(v == t[i].val, "%#jx: %#x, expected %#x",
		    (uintmax_t)t[i].addr, v, t[i].val);
		ATF_CHECK_MSG((v & 1) == 0, "%#jx: no-snoop bit set",
		    (uintmax_t)t[i].addr);
	}
	io_expect(NULL, 0);
}

ATF_TC(smpt_set);
ATF_TC_HEAD(smpt_set, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "SMPT entry i is written at 0x13100 + 4 * i (entry 0 0x13100, "
	    "entry 31 0x1317C), and an entry above 31 writes nothing");
}
ATF_TC_BODY(smpt_set, tc)
{
	const struct mic_io exp[] = {
		WR(0x13100, 0x104),
		WR(0x1317c, 0x7c),
		WR(0x13114, 0x100),
	};
	struct card c;
	struct mic_hw *hw;
	unsigned int i;

	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	hw->ops->smpt_set(hw, 0, 0x104);
	hw->ops->smpt_set(hw, 31, 0x7c);
	hw->ops->smpt_set(hw, 5, hw->ops->smpt_encode(hw, 0x10000000000ULL));
	hw->ops->smpt_set(hw, 32, 0xdead);
	io_expect(exp, NIO(exp));
	for (i = 0; i < 32; i++) {
		const struct mic_io one[] = { WR(R_SMPT0 + 4 * i, i << 2) };

		mic_hw_user_clear();
		mic_x100_smpt_set(hw, i, i << 2);
		io_expect(one, NIO(one));
	}
}

ATF_TC(reset);
ATF_TC_HEAD(reset, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A reset writes SPAD2 = 0, then sets bit 0 of RGCR keeping its "
	    "other bits, in that order, and returns without sleeping; the "
	    "common code gets at least 1 s before the first look and a "
	    "look every second");
}
ATF_TC_BODY(reset, tc)
{
	const struct mic_io exp[] = {
		WR(R_SPAD2, 0),
		RD(0x14010, 0x80000100),
		WR(0x14010, 0x80000101),
	};
	struct card c;
	struct mic_hw *hw;

	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	reg_set(R_SPAD2, DL | 0x1);
	reg_set(R_RGCR, 0x80000100);
	hw->ops->reset(hw);
	io_expect(exp, NIO(exp));
	ATF_CHECK_EQ(reg_get(R_SPAD2), 0);
	ATF_CHECK(hw->ops->reset_delay_ms >= 1000);
	ATF_CHECK_EQ(hw->ops->reset_poll_ms, 1000);
}

ATF_TC(ready);
ATF_TC_HEAD(ready, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "The card is ready exactly when bit 0 of SPAD2 is set");
}
ATF_TC_BODY(ready, tc)
{
	static const struct {
		u32	spad2;
		bool	ready;
	} t[] = {
		{ 0, false },
		{ 0x1, true },
		{ DL | 0x1, true },
		{ DL, false },
		{ 0xfffffffe, false },
		{ 0xffffffff, true },
	};
	struct card c;
	struct mic_hw *hw;
	size_t i;

	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	for (i = 0; i < NIO(t); i++) {
		const struct mic_io exp[] = { RD(R_SPAD2, t[i].spad2) };

		reg_set(R_SPAD2, t[i].spad2);
		mic_hw_user_clear();
		ATF_CHECK_MSG(hw->ops->ready(hw) == t[i].ready,
		    "SPAD2 %#x: ready is %d", t[i].spad2, !t[i].ready);
		io_expect(exp, NIO(exp));
	}
}

ATF_TC(ops);
ATF_TC_HEAD(ops, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_x100_ops is the x100 family and is made of the x100 entry "
	    "points");
}
ATF_TC_BODY(ops, tc)
{
	const struct mic_hw_ops *o = &mic_x100_ops;

	ATF_CHECK_STREQ(o->family, "x100");
	ATF_CHECK(o->read_spad == mic_x100_read_spad);
	ATF_CHECK(o->write_spad == mic_x100_write_spad);
	ATF_CHECK(o->read_post_code == mic_x100_read_post_code);
	ATF_CHECK(o->send_h2c_db == mic_x100_send_h2c_db);
	ATF_CHECK(o->intr_init == mic_x100_intr_init);
	ATF_CHECK(o->intr_uninit == mic_x100_intr_uninit);
	ATF_CHECK(o->ack_interrupt == mic_x100_ack_interrupt);
	ATF_CHECK(o->reset == mic_x100_reset);
	ATF_CHECK(o->ready == mic_x100_ready);
	ATF_CHECK(o->boot == mic_x100_boot);
	ATF_CHECK(o->smpt_encode == mic_x100_smpt_encode);
	ATF_CHECK(o->smpt_set == mic_x100_smpt_set);
}

ATF_TC(boot_not_ready);
ATF_TC_HEAD(boot_not_ready, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A boot of a card whose SPAD2 bit 0 is clear fails with EIO and "
	    "writes nothing, neither registers nor card memory");
}
ATF_TC_BODY(boot_not_ready, tc)
{
	struct boot b;
	struct card c;
	struct mic_hw *hw;

	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	boot_make(&b, 0x1000, 0x800);
	reg_set(R_SPAD2, DL | 0x3fe);		/* APIC id 0x1ff, not ready */
	ATF_CHECK_EQ(hw->ops->boot(hw, &b.b_img), -EIO);
	ATF_CHECK_EQ(io_count_win(MIC_IO_WRITE32, REGS), 0);
	ATF_CHECK_EQ(io_count_win(MIC_IO_WRITE32, APER), 0);
	ATF_CHECK_EQ(io_count_win(MIC_IO_TOIO, APER), 0);
	ATF_CHECK(aper_untouched());
	boot_free(&b);
}

ATF_TC(boot_ipi_apic0);
ATF_TC_HEAD(boot_ipi_apic0, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "With APIC id 0 in SPAD2 the bootstrap IPI writes 0 to the high "
	    "dword of APICICR7, then 0x20E5 (vector 229, bit 13) to its low "
	    "dword, last");
}
ATF_TC_BODY(boot_ipi_apic0, tc)
{
	struct boot b;
	struct card c;
	struct mic_hw *hw;
	size_t n;

	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	boot_make(&b, 0x1000, 0);
	reg_set(R_SPAD2, DL | 0x1);
	reg_set(R_APICICR7_HI, 0xdeadbeef);
	ATF_REQUIRE_EQ(hw->ops->boot(hw, &b.b_img), 0);
	n = mic_hw_user_nlog;
	ATF_REQUIRE(n >= 2);
	{
		const struct mic_io *io = &mic_hw_user_log[n - 2];

		ATF_CHECK(io[0].io_op == MIC_IO_WRITE32 &&
		    io[0].io_win == REGS && io[0].io_off == R_APICICR7_HI &&
		    io[0].io_val == 0);
		ATF_CHECK(io[1].io_op == MIC_IO_WRITE32 &&
		    io[1].io_win == REGS && io[1].io_off == R_APICICR7 &&
		    io[1].io_val == 0x20e5);
	}
	ATF_CHECK_EQ(reg_get(R_APICICR7_HI), 0);
	ATF_CHECK_EQ(reg_get(R_APICICR7), 0x20e5);
	ATF_CHECK_EQ(io_count(MIC_IO_WRITE32, REGS, R_APICICR7), 1);
	ATF_CHECK_EQ(io_count(MIC_IO_WRITE32, REGS, R_APICICR7_HI), 1);
	boot_free(&b);
}

ATF_TC(boot_ipi_apicid);
ATF_TC_HEAD(boot_ipi_apicid, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "The bootstrap IPI's destination is SPAD2 bits 9:1, without the "
	    "ready bit or the bits above");
}
ATF_TC_BODY(boot_ipi_apicid, tc)
{
	static const struct {
		u32	spad2;
		u32	apicid;
	} t[] = {
		{ DL | 0x1a5 << 1 | 0x1, 0x1a5 },
		{ DL | 0xc00 | 0x1ff << 1 | 0x1, 0x1ff },
		{ DL | 0x400 | 0x2 | 0x1, 0x1 },
		{ DL | 0x100 << 1 | 0x1, 0x100 },
	};
	struct boot b;
	struct card c;
	struct mic_hw *hw;
	size_t i;

	boot_make(&b, 0x1000, 0x800);
	for (i = 0; i < NIO(t); i++) {
		hw = card_init(&c, MIC_X100_STEP_C0, MIC_IRQ_MSIX, 8);
		reg_set(R_SPAD2, t[i].spad2);
		ATF_REQUIRE_EQ(hw->ops->boot(hw, &b.b_img), 0);
		ATF_CHECK_MSG(reg_get(R_APICICR7_HI) == t[i].apicid,
		    "SPAD2 %#x: APIC id %#x, expected %#x", t[i].spad2,
		    reg_get(R_APICICR7_HI), t[i].apicid);
		ATF_CHECK_EQ(reg_get(R_APICICR7), 0x20e5);
		ATF_CHECK(io_find(MIC_IO_WRITE32, REGS, R_APICICR7_HI, 0) <
		    io_find(MIC_IO_WRITE32, REGS, R_APICICR7, 0));
	}
	boot_free(&b);
}

ATF_TC(boot_order);
ATF_TC_HEAD(boot_order, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A boot copies the image to the download address, the command "
	    "line after it and the ramdisk at twice the download address, "
	    "patches ramdisk_image and ramdisk_size, then writes SPAD5 = "
	    "image size once, after a write barrier, then sends the IPI");
}
ATF_TC_BODY(boot_order, tc)
{
	const size_t isize = 0x1234, rsize = 0x801;
	struct boot b;
	struct card c;
	struct mic_hw *hw;
	long img, cmd, rd, rdi, rds, mb, spad5, hi, lo;
	u8 *aper;

	hw = card_init(&c, MIC_X100_STEP_B1, MIC_IRQ_MSIX, 8);
	aper = hw->aper.va;
	boot_make(&b, isize, rsize);
	reg_set(R_SPAD2, DL | 0x4 | 0x1);
	ATF_REQUIRE_EQ(hw->ops->boot(hw, &b.b_img), 0);

	img = io_find(MIC_IO_TOIO, APER, DL, 0);
	cmd = io_find(MIC_IO_TOIO, APER, DL + isize, 0);
	rd = io_find(MIC_IO_TOIO, APER, 2 * DL, 0);
	rdi = io_find(MIC_IO_WRITE32, APER, DL + BP_RAMDISK, 0);
	rds = io_find(MIC_IO_WRITE32, APER, DL + BP_RAMDISK_SIZE, 0);
	mb = io_find(MIC_IO_WMB, -1, 0, 0);
	spad5 = io_find(MIC_IO_WRITE32, REGS, R_SPAD5, 0);
	hi = io_find(MIC_IO_WRITE32, REGS, R_APICICR7_HI, 0);
	lo = io_find(MIC_IO_WRITE32, REGS, R_APICICR7, 0);
	ATF_REQUIRE(img >= 0 && cmd >= 0 && rd >= 0 && rdi >= 0 &&
	    rds >= 0 && mb >= 0 && spad5 >= 0 && hi >= 0 && lo >= 0);
	ATF_CHECK_EQ(mic_hw_user_log[img].io_val, isize);
	ATF_CHECK_EQ(mic_hw_user_log[cmd].io_val, sizeof(CMDLINE));
	ATF_CHECK_EQ(mic_hw_user_log[rd].io_val, rsize);
	ATF_CHECK_EQ(mic_hw_user_log[rdi].io_val, 2 * DL);
	ATF_CHECK_EQ(mic_hw_user_log[rds].io_val, rsize);
	ATF_CHECK_EQ(mic_hw_user_log[spad5].io_val, isize);
	ATF_CHECK_EQ(io_count(MIC_IO_WRITE32, REGS, R_SPAD5), 1);
	ATF_CHECK(img < rdi && rd < rdi && rdi < mb && rds < mb);
	ATF_CHECK(cmd < mb && mb < spad5);
	ATF_CHECK(spad5 < hi && hi < lo);
	ATF_CHECK_EQ((size_t)lo, mic_hw_user_nlog - 1);

	/* Card memory: what was copied, and the patched header. */
	ATF_CHECK(memcmp(aper + DL, b.b_image, BP_RAMDISK) == 0);
	ATF_CHECK(memcmp(aper + DL + BP_RAMDISK_SIZE + 4,
	    b.b_image + BP_RAMDISK_SIZE + 4, isize - BP_RAMDISK_SIZE - 4) == 0);
	ATF_CHECK_EQ(mic_hw_user_peek32(APER, DL + BP_RAMDISK), 2 * DL);
	ATF_CHECK_EQ(mic_hw_user_peek32(APER, DL + BP_RAMDISK_SIZE), rsize);
	ATF_CHECK_STREQ((const char *)aper + DL + isize, CMDLINE);
	ATF_CHECK(memcmp(aper + 2 * DL, b.b_ramdisk, rsize) == 0);
	ATF_CHECK_EQ(reg_get(R_SPAD5), isize);
	ATF_CHECK_EQ(reg_get(R_APICICR7_HI), 2);
	ATF_CHECK_EQ(mic_hw_user_locks, 0);
	boot_free(&b);
}

ATF_TC(boot_image_too_big);
ATF_TC_HEAD(boot_image_too_big, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "An image whose command line would reach the ramdisk fails with "
	    "EFBIG before anything is copied or written; one that just fits "
	    "boots");
}
ATF_TC_BODY(boot_image_too_big, tc)
{
	struct boot b;
	struct card c;
	struct mic_hw *hw;

	/* The image and the command line end one byte into the ramdisk. */
	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	boot_make(&b, DL - sizeof(CMDLINE) + 1, 0x100);
	reg_set(R_SPAD2, DL | 0x1);
	ATF_CHECK_EQ(hw->ops->boot(hw, &b.b_img), -EFBIG);
	ATF_CHECK_EQ(io_count_win(MIC_IO_WRITE32, REGS), 0);
	ATF_CHECK_EQ(io_count_win(MIC_IO_WRITE32, APER), 0);
	ATF_CHECK_EQ(io_count_win(MIC_IO_TOIO, APER), 0);
	ATF_CHECK(aper_untouched());
	boot_free(&b);

	/* They end right at the ramdisk. */
	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	boot_make(&b, DL - sizeof(CMDLINE), 0x100);
	reg_set(R_SPAD2, DL | 0x1);
	ATF_CHECK_EQ(hw->ops->boot(hw, &b.b_img), 0);
	ATF_CHECK_EQ(reg_get(R_SPAD5), DL - sizeof(CMDLINE));
	ATF_CHECK_EQ(reg_get(R_APICICR7), 0x20e5);
	boot_free(&b);
}

ATF_TC(boot_ramdisk_too_big);
ATF_TC_HEAD(boot_ramdisk_too_big, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A ramdisk that would pass the end of card memory fails with "
	    "EFBIG before anything is copied or written; one that just fits "
	    "boots");
}
ATF_TC_BODY(boot_ramdisk_too_big, tc)
{
	struct boot b;
	struct card c;
	struct mic_hw *hw;

	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	boot_make(&b, 0x1000, APER_LEN - 2 * DL + 1);
	reg_set(R_SPAD2, DL | 0x1);
	ATF_CHECK_EQ(hw->ops->boot(hw, &b.b_img), -EFBIG);
	ATF_CHECK_EQ(io_count_win(MIC_IO_WRITE32, REGS), 0);
	ATF_CHECK_EQ(io_count_win(MIC_IO_WRITE32, APER), 0);
	ATF_CHECK_EQ(io_count_win(MIC_IO_TOIO, APER), 0);
	ATF_CHECK(aper_untouched());
	boot_free(&b);

	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	boot_make(&b, 0x1000, APER_LEN - 2 * DL);
	reg_set(R_SPAD2, DL | 0x1);
	ATF_CHECK_EQ(hw->ops->boot(hw, &b.b_img), 0);
	ATF_CHECK_EQ(mic_hw_user_peek32(APER, DL + BP_RAMDISK_SIZE),
	    APER_LEN - 2 * DL);
	ATF_CHECK_EQ(reg_get(R_APICICR7), 0x20e5);
	boot_free(&b);
}

ATF_TC(boot_not_bzimage);
ATF_TC_HEAD(boot_not_bzimage, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "An image without the HdrS magic fails with ENOEXEC, nothing "
	    "written and no IPI");
}
ATF_TC_BODY(boot_not_bzimage, tc)
{
	struct boot b;
	struct card c;
	struct mic_hw *hw;

	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	boot_make(&b, 0x1000, 0x100);
	b.b_image[BP_HDRS] = 'h';
	reg_set(R_SPAD2, DL | 0x1);
	ATF_CHECK_EQ(hw->ops->boot(hw, &b.b_img), -ENOEXEC);
	ATF_CHECK_EQ(io_count_win(MIC_IO_WRITE32, REGS), 0);
	ATF_CHECK_EQ(io_count_win(MIC_IO_TOIO, APER), 0);
	ATF_CHECK(aper_untouched());
	boot_free(&b);
}

ATF_TC(intr_init_msix);
ATF_TC_HEAD(intr_init_msix, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "With 8 MSI-X vectors, doorbell n goes to vector n: MXAR0..3 = "
	    "1, 2, 4, 8, MXAR4..7 = 0, auto-clear on the doorbells, and the "
	    "doorbells enabled last, under the lock");
}
ATF_TC_BODY(intr_init_msix, tc)
{
	const struct mic_io exp[] = {
		WR(0x19044, 0x1), WR(0x19048, 0x2),
		WR(0x1904c, 0x4), WR(0x19050, 0x8),
		WR(0x19054, 0), WR(0x19058, 0),
		WR(0x1905c, 0), WR(0x19060, 0),
		WR(R_SIAC0, 0xf),
		WR(R_SICE0, 0xf),
	};
	struct card c;
	struct mic_hw *hw;

	hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	hw->ops->intr_init(hw);
	io_expect(exp, NIO(exp));
	ATF_REQUIRE(mic_hw_user_nlog == NIO(exp));
	ATF_CHECK_EQ(mic_hw_user_log[NIO(exp) - 1].io_locks, 1);
	ATF_CHECK_EQ(mic_hw_user_locks, 0);
}

ATF_TC(intr_init_msix_shared);
ATF_TC_HEAD(intr_init_msix_shared, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "With fewer MSI-X vectors than doorbells, doorbell n goes to "
	    "vector n % vectors, and every MXAR is written");
}
ATF_TC_BODY(intr_init_msix_shared, tc)
{
	static const struct {
		unsigned int	nvec;
		u32		mxar[8];
	} t[] = {
		{ 1, { 0xf } },
		{ 2, { 0x5, 0xa } },
		{ 3, { 0x9, 0x2, 0x4 } },
		{ 4, { 0x1, 0x2, 0x4, 0x8 } },
		{ 5, { 0x1, 0x2, 0x4, 0x8 } },
	};
	struct card c;
	struct mic_hw *hw;
	size_t i;
	unsigned int v;

	for (i = 0; i < NIO(t); i++) {
		hw = card_init(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, t[i].nvec);
		for (v = 0; v < 8; v++)
			reg_set(R_MXAR0 + 4 * v, 0xdead0000);
		hw->ops->intr_init(hw);
		for (v = 0; v < 8; v++) {
			ATF_CHECK_EQ(io_count(MIC_IO_WRITE32, REGS,
			    R_MXAR0 + 4 * v), 1);
			ATF_CHECK_MSG(reg_get(R_MXAR0 + 4 * v) == t[i].mxar[v],
			    "%u vectors: MXAR%u %#x, expected %#x", t[i].nvec,
			    v, reg_get(R_MXAR0 + 4 * v), t[i].mxar[v]);
		}
		ATF_CHECK_EQ(reg_get(R_SIAC0), 0xf);
		ATF_CHECK_EQ(reg_get(R_SICE0), 0xf);
	}
}

ATF_TC(intr_init_msi);
ATF_TC_HEAD(intr_init_msi, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "With MSI, INTx or polling no MXAR is written, auto-clear is off "
	    "(the handler reads the causes) and the doorbells are enabled");
}
ATF_TC_BODY(intr_init_msi, tc)
{
	const struct mic_io exp[] = {
		WR(R_SIAC0, 0),
		WR(R_SICE0, 0xf),
	};
	static const enum mic_irq_mode modes[] = {
		MIC_IRQ_MSI, MIC_IRQ_INTX, MIC_IRQ_NONE,
	};
	struct card c;
	struct mic_hw *hw;
	size_t i;

	for (i = 0; i < NIO(modes); i++) {
		hw = card_init(&c, MIC_X100_STEP_B0, modes[i], 1);
		reg_set(R_SIAC0, 0xffffffff);
		hw->ops->intr_init(hw);
		io_expect(exp, NIO(exp));
		ATF_CHECK_EQ(reg_get(R_SIAC0), 0);
	}
}

ATF_TC(ack_msi);
ATF_TC_HEAD(ack_msi, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "With MSI or INTx the ack reads SICR0, writes back the doorbell "
	    "bits it found (not the DMA bits) and returns them as the "
	    "doorbell mask");
}
ATF_TC_BODY(ack_msi, tc)
{
	const struct mic_io exp[] = {
		RD(R_SICR0, 0x305),
		WR(R_SICR0, 0x5),
		WR(R_SICE0, 0xf),
	};
	static const enum mic_irq_mode modes[] = {
		MIC_IRQ_MSI, MIC_IRQ_INTX,
	};
	struct card c;
	struct mic_hw *hw;
	size_t i;

	for (i = 0; i < NIO(modes); i++) {
		hw = card_intr(&c, MIC_X100_STEP_B0, modes[i], 1);
		reg_set(R_SICR0, 0x305);
		ATF_CHECK_EQ(hw->ops->ack_interrupt(hw, 0), 0x5);
		io_expect(exp, NIO(exp));
	}
	/* Every doorbell at once. */
	hw = card_intr(&c, MIC_X100_STEP_C0, MIC_IRQ_MSI, 1);
	reg_set(R_SICR0, 0x4000000f);
	ATF_CHECK_EQ(hw->ops->ack_interrupt(hw, 0), 0xf);
	ATF_CHECK_EQ(reg_get(R_SICR0), 0xf);	/* what was written back */
}

ATF_TC(ack_none_pending);
ATF_TC_HEAD(ack_none_pending, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "An INTx interrupt with no doorbell cause (a shared line) "
	    "returns 0 and writes nothing to SICR0");
}
ATF_TC_BODY(ack_none_pending, tc)
{
	struct card c;
	struct mic_hw *hw;

	hw = card_intr(&c, MIC_X100_STEP_B0, MIC_IRQ_INTX, 1);
	reg_set(R_SICR0, 0x300);
	ATF_CHECK_EQ(hw->ops->ack_interrupt(hw, 0), 0);
	ATF_CHECK_EQ(io_count(MIC_IO_READ32, REGS, R_SICR0), 1);
	ATF_CHECK_EQ(io_count(MIC_IO_WRITE32, REGS, R_SICR0), 0);
}

ATF_TC(ack_a0);
ATF_TC_HEAD(ack_a0, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "On an A0 card the ack writes 1 to MSIXPBACR after clearing the "
	    "causes, and does not rewrite SICE0");
}
ATF_TC_BODY(ack_a0, tc)
{
	const struct mic_io exp[] = {
		RD(R_SICR0, 0x2),
		WR(R_SICR0, 0x2),
		WR(R_MSIXPBACR, 1),
	};
	const struct mic_io exp_msix[] = {
		RD(R_SICR0, 0),
		WR(R_MSIXPBACR, 1),
	};
	struct card c;
	struct mic_hw *hw;

	hw = card_intr(&c, MIC_X100_STEP_A0, MIC_IRQ_MSI, 1);
	reg_set(R_SICR0, 0x2);
	ATF_CHECK_EQ(hw->ops->ack_interrupt(hw, 0), 0x2);
	io_expect(exp, NIO(exp));

	hw = card_intr(&c, MIC_X100_STEP_A0, MIC_IRQ_MSIX, 8);
	ATF_CHECK_EQ(hw->ops->ack_interrupt(hw, 3), 0x8);
	io_expect(exp_msix, NIO(exp_msix));
}

ATF_TC(ack_b0);
ATF_TC_HEAD(ack_b0, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "On B0, B1 and C0 cards the ack rewrites SICE0 with the enabled "
	    "doorbells after clearing the causes, under the lock, and does "
	    "not write MSIXPBACR");
}
ATF_TC_BODY(ack_b0, tc)
{
	const struct mic_io exp[] = {
		RD(R_SICR0, 0x1),
		WR(R_SICR0, 0x1),
		WR(R_SICE0, 0xf),
	};
	static const u8 steps[] = {
		MIC_X100_STEP_B0, MIC_X100_STEP_B1, MIC_X100_STEP_C0,
	};
	struct card c;
	struct mic_hw *hw;
	size_t i;

	for (i = 0; i < NIO(steps); i++) {
		hw = card_intr(&c, steps[i], MIC_IRQ_MSI, 1);
		reg_set(R_SICR0, 0x1);
		ATF_CHECK_EQ(hw->ops->ack_interrupt(hw, 0), 0x1);
		io_expect(exp, NIO(exp));
		ATF_REQUIRE(mic_hw_user_nlog == NIO(exp));
		ATF_CHECK_EQ(mic_hw_user_log[2].io_locks, 1);
		ATF_CHECK_EQ(mic_hw_user_locks, 0);
	}
}

ATF_TC(ack_msix);
ATF_TC_HEAD(ack_msix, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "With 8 MSI-X vectors, vector n returns doorbell n even when the "
	    "cause was auto-cleared, clears only its own cause, and a vector "
	    "with no doorbell returns 0 and touches nothing");
}
ATF_TC_BODY(ack_msix, tc)
{
	const struct mic_io exp_clear[] = {
		RD(R_SICR0, 0),
		WR(R_SICE0, 0xf),
	};
	const struct mic_io exp_set[] = {
		RD(R_SICR0, 0xf),
		WR(R_SICR0, 0x4),
		WR(R_SICE0, 0xf),
	};
	struct card c;
	struct mic_hw *hw;
	unsigned int v;

	hw = card_intr(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 8);
	ATF_CHECK_EQ(hw->ops->ack_interrupt(hw, 2), 0x4);
	io_expect(exp_clear, NIO(exp_clear));

	mic_hw_user_clear();
	reg_set(R_SICR0, 0xf);
	ATF_CHECK_EQ(hw->ops->ack_interrupt(hw, 2), 0x4);
	io_expect(exp_set, NIO(exp_set));

	for (v = 0; v < 4; v++) {
		mic_hw_user_clear();
		ATF_CHECK_EQ(hw->ops->ack_interrupt(hw, v), 1U << v);
	}
	for (v = 4; v < 8; v++) {
		mic_hw_user_clear();
		ATF_CHECK_EQ(hw->ops->ack_interrupt(hw, v), 0);
		io_expect(NULL, 0);
	}
}

ATF_TC(ack_msix_shared);
ATF_TC_HEAD(ack_msix_shared, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "With 2 MSI-X vectors, vector 1 serves doorbells 1 and 3: it "
	    "clears and returns exactly those");
}
ATF_TC_BODY(ack_msix_shared, tc)
{
	const struct mic_io exp[] = {
		RD(R_SICR0, 0xf),
		WR(R_SICR0, 0xa),
		WR(R_SICE0, 0xf),
	};
	struct card c;
	struct mic_hw *hw;

	hw = card_intr(&c, MIC_X100_STEP_B0, MIC_IRQ_MSIX, 2);
	reg_set(R_SICR0, 0xf);
	ATF_CHECK_EQ(hw->ops->ack_interrupt(hw, 1), 0xa);
	io_expect(exp, NIO(exp));
	mic_hw_user_clear();
	reg_set(R_SICR0, 0xf);
	ATF_CHECK_EQ(hw->ops->ack_interrupt(hw, 0), 0x5);
	ATF_CHECK_EQ(reg_get(R_SICR0), 0x5);	/* what was written back */
}

ATF_TC(ack_poll);
ATF_TC_HEAD(ack_poll, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Polling (no interrupt) reads and clears the causes and returns "
	    "them, without the after-interrupt workarounds");
}
ATF_TC_BODY(ack_poll, tc)
{
	const struct mic_io exp[] = {
		RD(R_SICR0, 0x9),
		WR(R_SICR0, 0x9),
	};
	static const u8 steps[] = { MIC_X100_STEP_A0, MIC_X100_STEP_B0 };
	struct card c;
	struct mic_hw *hw;
	size_t i;

	for (i = 0; i < NIO(steps); i++) {
		hw = card_intr(&c, steps[i], MIC_IRQ_NONE, 1);
		reg_set(R_SICR0, 0x9);
		ATF_CHECK_EQ(hw->ops->ack_interrupt(hw, 0), 0x9);
		io_expect(exp, NIO(exp));
	}
}

ATF_TC(intr_uninit);
ATF_TC_HEAD(intr_uninit, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "intr_uninit disables every source through SICC0, under the "
	    "lock; a later interrupt does not enable them again, a later "
	    "intr_init does");
}
ATF_TC_BODY(intr_uninit, tc)
{
	const struct mic_io exp[] = { WR(R_SICC0, 0xffffffff) };
	const struct mic_io exp_ack[] = {
		RD(R_SICR0, 0x1),
		WR(R_SICR0, 0x1),
	};
	struct card c;
	struct mic_hw *hw;

	hw = card_intr(&c, MIC_X100_STEP_B0, MIC_IRQ_MSI, 1);
	hw->ops->intr_uninit(hw);
	io_expect(exp, NIO(exp));
	ATF_REQUIRE(mic_hw_user_nlog == 1);
	ATF_CHECK_EQ(mic_hw_user_log[0].io_locks, 1);
	ATF_CHECK_EQ(mic_hw_user_locks, 0);

	mic_hw_user_clear();
	reg_set(R_SICR0, 0x1);
	ATF_CHECK_EQ(hw->ops->ack_interrupt(hw, 0), 0x1);
	io_expect(exp_ack, NIO(exp_ack));

	mic_hw_user_clear();
	hw->ops->intr_init(hw);
	ATF_CHECK_EQ(io_count(MIC_IO_WRITE32, REGS, R_SICE0), 1);
	mic_hw_user_clear();
	reg_set(R_SICR0, 0x1);
	ATF_CHECK_EQ(hw->ops->ack_interrupt(hw, 0), 0x1);
	ATF_CHECK_EQ(io_count(MIC_IO_WRITE32, REGS, R_SICE0), 1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, spad_read);
	ATF_TP_ADD_TC(tp, spad_write);
	ATF_TP_ADD_TC(tp, post_code);
	ATF_TP_ADD_TC(tp, db_apicicr);
	ATF_TP_ADD_TC(tp, db_rdmasr);
	ATF_TP_ADD_TC(tp, db_out_of_range);
	ATF_TP_ADD_TC(tp, smpt_encode);
	ATF_TP_ADD_TC(tp, smpt_set);
	ATF_TP_ADD_TC(tp, reset);
	ATF_TP_ADD_TC(tp, ready);
	ATF_TP_ADD_TC(tp, ops);
	ATF_TP_ADD_TC(tp, boot_not_ready);
	ATF_TP_ADD_TC(tp, boot_ipi_apic0);
	ATF_TP_ADD_TC(tp, boot_ipi_apicid);
	ATF_TP_ADD_TC(tp, boot_order);
	ATF_TP_ADD_TC(tp, boot_image_too_big);
	ATF_TP_ADD_TC(tp, boot_ramdisk_too_big);
	ATF_TP_ADD_TC(tp, boot_not_bzimage);
	ATF_TP_ADD_TC(tp, intr_init_msix);
	ATF_TP_ADD_TC(tp, intr_init_msix_shared);
	ATF_TP_ADD_TC(tp, intr_init_msi);
	ATF_TP_ADD_TC(tp, ack_msi);
	ATF_TP_ADD_TC(tp, ack_none_pending);
	ATF_TP_ADD_TC(tp, ack_a0);
	ATF_TP_ADD_TC(tp, ack_b0);
	ATF_TP_ADD_TC(tp, ack_msix);
	ATF_TP_ADD_TC(tp, ack_msix_shared);
	ATF_TP_ADD_TC(tp, ack_poll);
	ATF_TP_ADD_TC(tp, intr_uninit);
	return (atf_no_error());
}
