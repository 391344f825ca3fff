/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * micemu's DMA engine against its register file, over a small card
 * memory and host memory, each between guard bytes.  Every case keeps
 * an expected copy of both memories (guards included), applies to it
 * what the valid descriptors should have done, and compares the whole
 * of both at the end: a failing descriptor writes nothing anywhere.
 */
#include <endian.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include <linux/mic_vmic.h>

#include "micemu.h"

#define CARDSZ		(1U << 20)
#define HOSTSZ		(2U << 20)
#define GUARD		4096
#define RING		0xc0000U	/* the ring, in card memory */
#define RINGSZ		8
#define H(off)		(MIC_VMIC_HOSTMEM_BASE + (off))	/* via SMPT 0 */
#define K512		(512U * 1024)

static uint8_t regs[MIC_VMIC_REGS_SIZE];
static uint8_t *cbuf, *hbuf, *cwant, *hwant;
static struct dma_mem mem;

static void
fill(uint8_t *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * seed + (i >> 9) + seed);
}

static uint32_t
rd(uint32_t off)
{
	return (word_read(regs, off));
}

static void
wr(uint32_t off, uint32_t val)
{
	word_write(regs, off, val);
}

/* Fresh memories, SMPT 0 = host address 0, channels 0-3 host and on. */
static void
setup(void)
{
	unsigned int ch;

	free(cbuf);
	free(cwant);
	free(hbuf);
	free(hwant);
	cbuf = malloc(CARDSZ + 2 * GUARD);
	cwant = malloc(CARDSZ + 2 * GUARD);
	hbuf = malloc(HOSTSZ + 2 * GUARD);
	hwant = malloc(HOSTSZ + 2 * GUARD);
	ATF_REQUIRE(cbuf != NULL && cwant != NULL && hbuf != NULL &&
	    hwant != NULL);
	fill(cbuf, CARDSZ + 2 * GUARD, 7);
	fill(hbuf, HOSTSZ + 2 * GUARD, 13);
	memcpy(cwant, cbuf, CARDSZ + 2 * GUARD);
	memcpy(hwant, hbuf, HOSTSZ + 2 * GUARD);
	memset(regs, 0, sizeof(regs));
	mem.dm_regs = regs;
	mem.dm_card = cbuf + GUARD;
	mem.dm_cardsize = CARDSZ;
	mem.dm_host = hbuf + GUARD;
	mem.dm_hostsize = HOSTSZ;
	wr(MIC_VMIC_SMPT(0), 0);
	wr(MIC_VMIC_SMPT(2), 1U << 2);	/* host 16 GiB: no memory there */
	for (ch = 0; ch < MIC_VMIC_DMA_HOST_CHANNELS; ch++) {
		wr(MIC_VMIC_DCR, rd(MIC_VMIC_DCR) | MIC_VMIC_DCR_HOST(ch) |
		    MIC_VMIC_DCR_EN(ch));
		wr(MIC_VMIC_DRAR_LO(ch), RING + 0x1000 * ch);
		wr(MIC_VMIC_DRAR_HI(ch), RINGSZ << 4);
	}
}

/* Where a test address is, in the expected memories. */
static uint8_t *
expect_at(uint64_t addr)
{
	uint64_t off;
	uint32_t entry;

	if (addr < CARDSZ)
		return (cwant + GUARD + addr);
	off = addr - MIC_VMIC_HOSTMEM_BASE;
	entry = (uint32_t)(off >> MIC_VMIC_SMPT_SHIFT);
	off &= (1ULL << MIC_VMIC_SMPT_SHIFT) - 1;
	return (hwant + GUARD + MIC_VMIC_SMPT_ADDR(rd(MIC_VMIC_SMPT(entry))) +
	    off);
}

static void
expect_status(uint64_t addr, uint64_t val)
{
	val = htole64(val);
	memcpy(expect_at(addr), &val, sizeof(val));
}

static void
expect_copy(uint64_t src, uint64_t dst, size_t len)
{
	memmove(expect_at(dst), expect_at(src), len);
}

/* Descriptor idx of channel ch's ring, in card memory and expected. */
static void
desc(unsigned int ch, unsigned int idx, uint64_t qw0, uint64_t qw1)
{
	uint64_t d[2];
	uint32_t off;

	d[0] = htole64(qw0);
	d[1] = htole64(qw1);
	off = RING + 0x1000 * ch + idx * MIC_VMIC_DESC_SIZE;
	memcpy(cbuf + GUARD + off, d, sizeof(d));
	memcpy(cwant + GUARD + off, d, sizeof(d));
}

static void
desc_memcpy(unsigned int ch, unsigned int idx, uint64_t src, uint64_t dst,
    uint64_t len)
{
	desc(ch, idx, src | (len / 64) << 46,
	    (uint64_t)MIC_VMIC_DESC_MEMCPY << 60 | dst);
}

static void
desc_status(unsigned int ch, unsigned int idx, uint64_t val, uint64_t dst,
    int intr)
{
	desc(ch, idx, val, (uint64_t)MIC_VMIC_DESC_STATUS << 60 |
	    (intr ? MIC_VMIC_DESC_INTR : 0) | dst);
}

/* Move DHPR and run the engine: whether it asks for the interrupt. */
static int
kick(unsigned int ch, uint32_t head)
{
	wr(MIC_VMIC_DHPR(ch), head);
	return (dma_run(&mem, ch));
}

/* Both memories, guards included, are exactly as expected. */
static void
check_mem(void)
{
	ATF_CHECK_MSG(memcmp(cbuf, cwant, CARDSZ + 2 * GUARD) == 0,
	    "card memory differs from what was expected");
	ATF_CHECK_MSG(memcmp(hbuf, hwant, HOSTSZ + 2 * GUARD) == 0,
	    "host memory differs from what was expected");
}

static void
check_tail(unsigned int ch, uint32_t tail)
{
	ATF_CHECK_EQ(rd(MIC_VMIC_DTPR(ch)), tail);
	ATF_CHECK_EQ(rd(MIC_VMIC_DSTAT(ch)) & MIC_VMIC_DSTAT_COUNT, tail);
}

/* Kick channel ch to head: the interrupt as intr, halted with err at tail. */
static void
check_halt(unsigned int ch, uint32_t head, int intr, uint32_t err,
    uint32_t tail)
{
	ATF_CHECK_EQ(kick(ch, head), intr);
	ATF_CHECK_EQ(rd(MIC_VMIC_DCHERR(ch)), err);
	check_tail(ch, tail);
	check_mem();
}

/* Kick channel ch to head: the interrupt as intr, all done, memory right. */
static void
check_run(unsigned int ch, uint32_t head, int intr)
{
	ATF_CHECK_EQ(kick(ch, head), intr);
	check_tail(ch, head);
	check_mem();
}

/* One valid MEMCPY on channel ch: done, tail 1, no error or interrupt. */
static void
check_copy(unsigned int ch, uint64_t src, uint64_t dst, uint64_t len)
{
	setup();
	desc_memcpy(ch, 0, src, dst, len);
	expect_copy(src, dst, len);
	ATF_CHECK_EQ(kick(ch, 1), 0);
	check_tail(ch, 1);
	ATF_CHECK_EQ(rd(MIC_VMIC_DCHERR(ch)), 0);
	check_mem();
}

/*
 * Descriptor 1 of channel 1 is bad; 0 and 2 are valid copies.  0 runs,
 * the channel halts at 1 with err and interrupts, 2 never runs, not
 * even on a second kick.
 */
static void
check_bad(uint64_t qw0, uint64_t qw1, uint32_t err)
{
	desc_memcpy(1, 0, 0x1000, H(0x1000), 4096);
	desc(1, 1, qw0, qw1);
	desc_memcpy(1, 2, 0x2000, H(0x2000), 4096);
	expect_copy(0x1000, H(0x1000), 4096);
	check_halt(1, 3, 1, err, 1);
	ATF_CHECK_EQ(dma_run(&mem, 1), 0);
	ATF_CHECK_EQ(rd(MIC_VMIC_DCHERR(1)), err);
	check_tail(1, 1);
	check_mem();
}

static void
check_bad_copy(uint64_t src, uint64_t dst, uint64_t len, uint32_t err)
{
	setup();
	check_bad(src | (len / 64) << 46,
	    (uint64_t)MIC_VMIC_DESC_MEMCPY << 60 | dst, err);
}

/* The ring of channel 1 is bad: nothing runs, DTPR stays. */
static void
check_bad_ring(uint32_t lo, uint32_t hi, uint32_t err)
{
	setup();
	desc_memcpy(1, 0, 0x1000, H(0x1000), 4096);
	wr(MIC_VMIC_DRAR_LO(1), lo);
	wr(MIC_VMIC_DRAR_HI(1), hi);
	check_halt(1, 1, 1, err, 0);
}

#define DMA_TC(name, text)						\
	ATF_TC(name);							\
	ATF_TC_HEAD(name, tc)						\
	{								\
		atf_tc_set_md_var(tc, "descr", text);			\
	}								\
	ATF_TC_BODY(name, tc)

DMA_TC(memcpy_card_to_host, "MEMCPY from card memory to host memory "
    "through SMPT entry 0: the bytes arrive, DTPR and DSTAT advance, no "
    "interrupt")
{
	check_copy(0, 0x4000, H(0x10000), 8192);
}

DMA_TC(memcpy_host_to_card, "MEMCPY from host memory to card memory, "
    "512 KiB, the most a host channel moves in one descriptor")
{
	check_copy(2, H(0x40000), 0x10000, K512);
}

DMA_TC(memcpy_host_smpt, "MEMCPY through SMPT entry 3, which maps "
    "host address 0 (the value of an entry never written), reaches host "
    "memory at the entry's offset")
{
	check_copy(0, 0x8000, MIC_VMIC_HOSTMEM_BASE + (3ULL << 34) + 0x3000,
	    4096);
}

DMA_TC(memcpy_card_overlap, "MEMCPY within card memory, overlapping "
    "ranges: memmove semantics; several descriptors in one kick")
{
	setup();
	desc_memcpy(3, 0, 0x1000, 0x1040, 4096);
	desc_memcpy(3, 1, 0x3040, 0x3000, 4096);
	desc_memcpy(3, 2, H(0x100), H(0x140), 0);
	expect_copy(0x1000, 0x1040, 4096);
	expect_copy(0x3040, 0x3000, 4096);
	check_run(3, 3, 0);
}

DMA_TC(nop, "NOP descriptors advance the tail and touch nothing")
{
	setup();
	desc(0, 0, 0x1234, 0);
	desc(0, 1, 0, 0);
	ATF_CHECK_EQ(kick(0, 2), 0);
	check_tail(0, 2);
	ATF_CHECK_EQ(rd(MIC_VMIC_DCHERR(0)), 0);
	check_mem();
}

DMA_TC(status, "STATUS without bit 59 writes its value little endian "
    "to card and host memory and asks for no interrupt")
{
	setup();
	desc_status(0, 0, 0x0123456789abcdefULL, 0x5000, 0);
	desc_status(0, 1, 0xfedcba9876543210ULL, H(0x5000), 0);
	expect_status(0x5000, 0x0123456789abcdefULL);
	expect_status(H(0x5000), 0xfedcba9876543210ULL);
	check_run(0, 2, 0);
}

DMA_TC(status_intr, "STATUS with bit 59 asks for the channel's "
    "interrupt, after the value is written")
{
	setup();
	desc_status(1, 0, 1, H(0x6000), 0);
	desc_status(1, 1, 2, H(0x6040), 1);
	expect_status(H(0x6000), 1);
	expect_status(H(0x6040), 2);
	check_run(1, 2, 1);
}

DMA_TC(status_intr_masked, "DCAR bit 25 masks the interrupt of a "
    "host channel: the STATUS value is written, no interrupt")
{
	setup();
	wr(MIC_VMIC_DCAR(0), MIC_VMIC_DCAR_IMASK_HOST);
	desc_status(0, 0, 7, 0x7000, 1);
	expect_status(0x7000, 7);
	check_run(0, 1, 0);
	wr(MIC_VMIC_DCAR(0), MIC_VMIC_DCAR_IMASK_CARD);
	desc_status(0, 1, 8, 0x7000, 1);
	expect_status(0x7000, 8);
	ATF_CHECK_EQ(kick(0, 2), 1);
	check_mem();
}

DMA_TC(ring_wrap, "DTPR near the end of the ring, DHPR past its start: "
    "descriptors 6, 7, 0, 1 run in order and the tail wraps")
{
	setup();
	wr(MIC_VMIC_DHPR(2), 6);
	wr(MIC_VMIC_DTPR(2), 6);
	desc_memcpy(2, 6, 0x1000, 0x9000, 64);
	desc_memcpy(2, 7, 0x9000, 0xa000, 64);
	desc_memcpy(2, 0, 0xa000, H(0x9000), 64);
	desc_status(2, 1, 0xabcd, H(0x9000), 1);
	desc_memcpy(2, 2, 0x1000, 0xb000, 64);	/* past DHPR: not run */
	expect_copy(0x1000, 0x9000, 64);
	expect_copy(0x9000, 0xa000, 64);
	expect_copy(0xa000, H(0x9000), 64);
	expect_status(H(0x9000), 0xabcd);
	check_run(2, 2, 1);
}

DMA_TC(ring_in_host, "a ring in host memory (DRAR_HI bit 26, SMPT "
    "entry 0) is read through the SMPT")
{
	uint64_t d[2];

	setup();
	d[0] = htole64(0x2000ULL | (128ULL / 64) << 46);
	d[1] = htole64((uint64_t)MIC_VMIC_DESC_MEMCPY << 60 | 0xd000);
	memcpy(hbuf + GUARD + 0x80000, d, sizeof(d));
	memcpy(hwant + GUARD + 0x80000, d, sizeof(d));
	wr(MIC_VMIC_DRAR_LO(0), 0x80000);
	wr(MIC_VMIC_DRAR_HI(0), MIC_VMIC_DRAR_SYS | 4 << 4);
	expect_copy(0x2000, 0xd000, 128);
	check_run(0, 1, 0);
}

DMA_TC(dstat_keeps_bits, "DSTAT's count follows the tail; its other "
    "bits are kept")
{
	setup();
	wr(MIC_VMIC_DSTAT(0), MIC_VMIC_DSTAT_QUIESCE);
	desc(0, 0, 0, 0);
	ATF_CHECK_EQ(kick(0, 1), 0);
	ATF_CHECK_EQ(rd(MIC_VMIC_DSTAT(0)), MIC_VMIC_DSTAT_QUIESCE | 1);
}

DMA_TC(channel_off, "a channel disabled, card-owned, or not a host "
    "channel (4) does nothing")
{
	setup();
	desc_memcpy(0, 0, 0x1000, H(0x1000), 64);
	wr(MIC_VMIC_DCR, rd(MIC_VMIC_DCR) & ~MIC_VMIC_DCR_EN(0));
	ATF_CHECK_EQ(kick(0, 1), 0);
	check_tail(0, 0);
	wr(MIC_VMIC_DCR, (rd(MIC_VMIC_DCR) | MIC_VMIC_DCR_EN(0)) &
	    ~MIC_VMIC_DCR_HOST(0));
	ATF_CHECK_EQ(kick(0, 1), 0);
	check_tail(0, 0);
	wr(MIC_VMIC_DCR, 0xffff);
	wr(MIC_VMIC_DRAR_LO(4), RING);
	wr(MIC_VMIC_DRAR_HI(4), RINGSZ << 4);
	ATF_CHECK_EQ(kick(4, 1), 0);
	ATF_CHECK_EQ(rd(MIC_VMIC_DTPR(4)), 0);
	check_mem();
}

DMA_TC(err_src_misaligned, "a MEMCPY source not 64-byte aligned: "
    "DCHERR align, halted, nothing written")
{
	check_bad_copy(0x1020, H(0x4000), 64, MIC_VMIC_DCHERR_ALIGN);
}

DMA_TC(err_dst_misaligned, "a MEMCPY destination not 64-byte aligned "
    "(host side): DCHERR align, halted, nothing written")
{
	check_bad_copy(0x1000, H(0x4008), 64, MIC_VMIC_DCHERR_ALIGN);
}

DMA_TC(err_status_misaligned, "a STATUS destination not 64-byte "
    "aligned: DCHERR align, halted, nothing written")
{
	setup();
	check_bad(5, (uint64_t)MIC_VMIC_DESC_STATUS << 60 | 0x5008,
	    MIC_VMIC_DCHERR_ALIGN);
}

DMA_TC(err_card_range, "a MEMCPY that runs past the end of card "
    "memory, as source or destination: DCHERR range")
{
	check_bad_copy(CARDSZ - 64, H(0), 128, MIC_VMIC_DCHERR_RANGE);
	check_bad_copy(H(0), CARDSZ - 4096, 8192, MIC_VMIC_DCHERR_RANGE);
	check_bad_copy(CARDSZ, H(0), 64, MIC_VMIC_DCHERR_RANGE);
}

DMA_TC(err_gap, "an address between card memory and the SMPT window "
    "maps nothing: DCHERR range")
{
	check_bad_copy(0x1000, 0x100000000ULL, 64, MIC_VMIC_DCHERR_RANGE);
	check_bad_copy(MIC_VMIC_HOSTMEM_BASE - 64, 0x1000, 64,
	    MIC_VMIC_DCHERR_RANGE);
}

DMA_TC(err_host_range, "a MEMCPY past the end of host memory through "
    "an SMPT entry, as source or destination: DCHERR range")
{
	check_bad_copy(0x1000, H(HOSTSZ - 64), 128, MIC_VMIC_DCHERR_RANGE);
	check_bad_copy(H(HOSTSZ), 0x1000, 64, MIC_VMIC_DCHERR_RANGE);
}

DMA_TC(err_smpt_unmapped, "an SMPT entry that maps no host memory "
    "(host address 16 GiB, beyond host memory): DCHERR range")
{
	check_bad_copy(0x1000, MIC_VMIC_HOSTMEM_BASE + (2ULL << 34), 64,
	    MIC_VMIC_DCHERR_RANGE);
	check_bad_copy(MIC_VMIC_HOSTMEM_BASE + (2ULL << 34) + 0x1000, 0x1000,
	    64, MIC_VMIC_DCHERR_RANGE);
}

DMA_TC(err_smpt_cross, "a range that crosses from one SMPT entry into "
    "the next: DCHERR range")
{
	check_bad_copy(MIC_VMIC_HOSTMEM_BASE + (1ULL << 34) - 64, 0x1000,
	    128, MIC_VMIC_DCHERR_RANGE);
}

DMA_TC(err_len, "a MEMCPY over 512 KiB on a host channel: DCHERR "
    "length, even inside memory")
{
	check_bad_copy(0, H(0), K512 + 64, MIC_VMIC_DCHERR_LEN);
	check_bad_copy(0, H(0), 0x3ffffULL * 64, MIC_VMIC_DCHERR_LEN);
}

DMA_TC(err_wrap, "address + length past 2^40, the card's address "
    "space: DCHERR wrap")
{
	check_bad_copy(MIC_VMIC_DMA_ADDR_LIMIT - 64, 0x1000, 128,
	    MIC_VMIC_DCHERR_WRAP);
	check_bad_copy(0x1000, MIC_VMIC_DMA_ADDR_LIMIT - 64, 4096,
	    MIC_VMIC_DCHERR_WRAP);
}

DMA_TC(err_type, "an unknown descriptor type: DCHERR type")
{
	unsigned int t;

	for (t = 3; t < 16; t += 4) {
		setup();
		check_bad(0x1000 | 1ULL << 46, (uint64_t)t << 60 | H(0x1000),
		    MIC_VMIC_DCHERR_TYPE);
	}
}

DMA_TC(err_ring, "a ring of size 0, over 128 Ki - 4, misaligned, "
    "outside card memory, or in host memory past its end: DCHERR ring, "
    "nothing runs")
{
	check_bad_ring(RING, 0, MIC_VMIC_DCHERR_RING);
	check_bad_ring(0, (MIC_VMIC_DMA_RING_MAX + 1) << 4,
	    MIC_VMIC_DCHERR_RING);
	check_bad_ring(RING + 16, RINGSZ << 4, MIC_VMIC_DCHERR_RING);
	check_bad_ring(CARDSZ - 64, RINGSZ << 4, MIC_VMIC_DCHERR_RING);
	check_bad_ring(RING, 1 | RINGSZ << 4, MIC_VMIC_DCHERR_RING);
	check_bad_ring(HOSTSZ - 64, MIC_VMIC_DRAR_SYS | RINGSZ << 4,
	    MIC_VMIC_DCHERR_RING);
	check_bad_ring(0, MIC_VMIC_DRAR_SYS | 2 << 21 | RINGSZ << 4,
	    MIC_VMIC_DCHERR_RING);
}

DMA_TC(err_index, "DHPR (or DTPR) at or beyond the ring size: DCHERR "
    "index, nothing runs")
{
	setup();
	desc_memcpy(0, 0, 0x1000, H(0x1000), 64);
	ATF_CHECK_EQ(kick(0, RINGSZ), 1);
	ATF_CHECK_EQ(rd(MIC_VMIC_DCHERR(0)), MIC_VMIC_DCHERR_INDEX);
	check_tail(0, 0);
	setup();
	wr(MIC_VMIC_DTPR(0), RINGSZ + 3);
	ATF_CHECK_EQ(kick(0, 1), 1);
	ATF_CHECK_EQ(rd(MIC_VMIC_DCHERR(0)), MIC_VMIC_DCHERR_INDEX);
	check_mem();
}

DMA_TC(err_masked, "a failure with the interrupt masked in DCAR, or "
    "its bits all in DCHERRMSK: halted, no interrupt")
{
	static const uint32_t masks[][2] = {
		{ MIC_VMIC_DCAR(0), MIC_VMIC_DCAR_IMASK_HOST },
		{ MIC_VMIC_DCHERRMSK(0), MIC_VMIC_DCHERR_ALIGN },
		{ MIC_VMIC_DCHERRMSK(0), 0xff },
	};
	size_t i;

	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		setup();
		wr(masks[i][0], masks[i][1]);
		desc_memcpy(0, 0, 0x1010, H(0), 64);
		check_halt(0, 1, 0, MIC_VMIC_DCHERR_ALIGN, 0);
	}
}

DMA_TC(err_status_intr_before, "a STATUS that asked for the interrupt "
    "before a failing descriptor: its value is written, one interrupt")
{
	setup();
	wr(MIC_VMIC_DCHERRMSK(0), 0xff);
	desc_status(0, 0, 9, 0x5000, 1);
	desc_memcpy(0, 1, 0x1010, H(0), 64);
	expect_status(0x5000, 9);
	check_halt(0, 2, 1, MIC_VMIC_DCHERR_ALIGN, 1);
}

DMA_TC(recover, "a halted channel runs again once software disables "
    "it, clears DCHERR, sets DTPR past the bad descriptor and enables it")
{
	setup();
	check_bad(0x1020 | 1ULL << 46, (uint64_t)MIC_VMIC_DESC_MEMCPY << 60,
	    MIC_VMIC_DCHERR_ALIGN);
	wr(MIC_VMIC_DCR, rd(MIC_VMIC_DCR) & ~MIC_VMIC_DCR_EN(1));
	wr(MIC_VMIC_DCHERR(1), 0);
	wr(MIC_VMIC_DTPR(1), 2);
	wr(MIC_VMIC_DCR, rd(MIC_VMIC_DCR) | MIC_VMIC_DCR_EN(1));
	expect_copy(0x2000, H(0x2000), 4096);
	ATF_CHECK_EQ(dma_run(&mem, 1), 0);
	check_tail(1, 3);
	check_mem();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, memcpy_card_to_host);
	ATF_TP_ADD_TC(tp, memcpy_host_to_card);
	ATF_TP_ADD_TC(tp, memcpy_host_smpt);
	ATF_TP_ADD_TC(tp, memcpy_card_overlap);
	ATF_TP_ADD_TC(tp, nop);
	ATF_TP_ADD_TC(tp, status);
	ATF_TP_ADD_TC(tp, status_intr);
	ATF_TP_ADD_TC(tp, status_intr_masked);
	ATF_TP_ADD_TC(tp, ring_wrap);
	ATF_TP_ADD_TC(tp, ring_in_host);
	ATF_TP_ADD_TC(tp, dstat_keeps_bits);
	ATF_TP_ADD_TC(tp, channel_off);
	ATF_TP_ADD_TC(tp, err_src_misaligned);
	ATF_TP_ADD_TC(tp, err_dst_misaligned);
	ATF_TP_ADD_TC(tp, err_status_misaligned);
	ATF_TP_ADD_TC(tp, err_card_range);
	ATF_TP_ADD_TC(tp, err_gap);
	ATF_TP_ADD_TC(tp, err_host_range);
	ATF_TP_ADD_TC(tp, err_smpt_unmapped);
	ATF_TP_ADD_TC(tp, err_smpt_cross);
	ATF_TP_ADD_TC(tp, err_len);
	ATF_TP_ADD_TC(tp, err_wrap);
	ATF_TP_ADD_TC(tp, err_type);
	ATF_TP_ADD_TC(tp, err_ring);
	ATF_TP_ADD_TC(tp, err_index);
	ATF_TP_ADD_TC(tp, err_masked);
	ATF_TP_ADD_TC(tp, err_status_intr_before);
	ATF_TP_ADD_TC(tp, recover);
	return (atf_no_error());
}
