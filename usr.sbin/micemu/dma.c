/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The DMA engine of the virtual X100, host channels 0-3: a pure
 * function over the register file, card memory and host memory, so
 * that it runs the same in micemu and in the unit tests.  The register
 * layout, descriptor formats and error bits are those of
 * <linux/mic_vmic.h>.
 *
 * The ring and the descriptors are in memory that software may change
 * while the engine runs: each descriptor is read once into locals,
 * checked whole, and only then executed, so a bad descriptor touches
 * nothing.
 */
#include <endian.h>
#include <stdint.h>
#include <string.h>

#include <linux/mic_vmic.h>

#include "micemu.h"

/* One descriptor, read. */
struct dma_desc {
	uint64_t	dd_qw0;
	uint64_t	dd_qw1;
};

/*
 * Where len bytes at card physical address addr are in micemu's
 * memory, or NULL with *errp set: card memory, or host memory through
 * the SMPT entry that covers addr (a range may not cross an entry).
 */
static uint8_t *
dma_xlate(const struct dma_mem *m, uint64_t addr, uint64_t len,
    uint32_t *errp)
{
	uint64_t off, haddr;
	uint32_t entry;

	if (addr >= MIC_VMIC_DMA_ADDR_LIMIT ||
	    len > MIC_VMIC_DMA_ADDR_LIMIT - addr) {
		*errp = MIC_VMIC_DCHERR_WRAP;
		return (NULL);
	}
	*errp = MIC_VMIC_DCHERR_RANGE;
	if (addr < m->dm_cardsize)
		return (len <= m->dm_cardsize - addr ?
		    m->dm_card + addr : NULL);
	if (addr < MIC_VMIC_HOSTMEM_BASE)
		return (NULL);
	off = addr - MIC_VMIC_HOSTMEM_BASE;
	entry = (uint32_t)(off >> MIC_VMIC_SMPT_SHIFT);
	off &= (1ULL << MIC_VMIC_SMPT_SHIFT) - 1;
	if (entry >= MIC_VMIC_SMPT_COUNT ||
	    len > (1ULL << MIC_VMIC_SMPT_SHIFT) - off)
		return (NULL);
	haddr = MIC_VMIC_SMPT_ADDR(word_read(m->dm_regs,
	    MIC_VMIC_SMPT(entry))) + off;
	if (haddr >= m->dm_hostsize || len > m->dm_hostsize - haddr)
		return (NULL);
	*errp = 0;
	return (m->dm_host + haddr);
}

/* The channel's ring, its size in *sizep, or NULL with *errp set. */
static uint8_t *
dma_ring(const struct dma_mem *m, unsigned int ch, uint32_t *sizep,
    uint32_t *errp)
{
	uint32_t hi, lo, size;
	uint64_t addr;
	uint8_t *ring;

	lo = word_read(m->dm_regs, MIC_VMIC_DRAR_LO(ch));
	hi = word_read(m->dm_regs, MIC_VMIC_DRAR_HI(ch));
	size = MIC_VMIC_DRAR_SIZE(hi);
	if (hi & MIC_VMIC_DRAR_SYS)
		addr = MIC_VMIC_HOSTMEM_BASE + ((uint64_t)MIC_VMIC_DRAR_SMPT(hi)
		    << MIC_VMIC_SMPT_SHIFT) +
		    ((uint64_t)MIC_VMIC_DRAR_HI_SYS(hi) << 32 | lo);
	else
		addr = (uint64_t)MIC_VMIC_DRAR_HI_CARD(hi) << 32 | lo;
	*errp = MIC_VMIC_DCHERR_RING;
	if (size == 0 || size > MIC_VMIC_DMA_RING_MAX ||
	    addr % MIC_VMIC_DMA_ALIGN != 0)
		return (NULL);
	ring = dma_xlate(m, addr, (uint64_t)size * MIC_VMIC_DESC_SIZE, errp);
	if (ring == NULL) {
		*errp = MIC_VMIC_DCHERR_RING;
		return (NULL);
	}
	*sizep = size;
	return (ring);
}

/* MEMCPY: check everything, then copy (the ranges may overlap). */
static uint32_t
dma_memcpy(const struct dma_mem *m, const struct dma_desc *d)
{
	uint64_t src, dst, len;
	uint8_t *s, *t;
	uint32_t err;

	src = MIC_VMIC_DESC_ADDR(d->dd_qw0);
	dst = MIC_VMIC_DESC_ADDR(d->dd_qw1);
	len = MIC_VMIC_DESC_LEN(d->dd_qw0);
	if (src % MIC_VMIC_DMA_ALIGN != 0 || dst % MIC_VMIC_DMA_ALIGN != 0)
		return (MIC_VMIC_DCHERR_ALIGN);
	if (len > MIC_VMIC_DMA_HOST_MAX)
		return (MIC_VMIC_DCHERR_LEN);
	if ((s = dma_xlate(m, src, len, &err)) == NULL ||
	    (t = dma_xlate(m, dst, len, &err)) == NULL)
		return (err);
	memmove(t, s, len);
	return (0);
}

/* STATUS: write qw0 at the destination; *intrp asks for the interrupt. */
static uint32_t
dma_status(const struct dma_mem *m, const struct dma_desc *d, int *intrp)
{
	uint64_t dst, val;
	uint8_t *t;
	uint32_t err;

	dst = MIC_VMIC_DESC_ADDR(d->dd_qw1);
	if (dst % MIC_VMIC_DMA_ALIGN != 0)
		return (MIC_VMIC_DCHERR_ALIGN);
	if ((t = dma_xlate(m, dst, sizeof(val), &err)) == NULL)
		return (err);
	val = htole64(d->dd_qw0);
	memcpy(t, &val, sizeof(val));
	if (d->dd_qw1 & MIC_VMIC_DESC_INTR)
		*intrp = 1;
	return (0);
}

/* One descriptor: 0, or the DCHERR bits of its failure. */
static uint32_t
dma_exec(const struct dma_mem *m, const uint8_t *p, int *intrp)
{
	struct dma_desc d;

	memcpy(&d, p, sizeof(d));
	d.dd_qw0 = le64toh(d.dd_qw0);
	d.dd_qw1 = le64toh(d.dd_qw1);
	switch (MIC_VMIC_DESC_TYPE(d.dd_qw1)) {
	case MIC_VMIC_DESC_NOP:
		return (0);
	case MIC_VMIC_DESC_MEMCPY:
		return (dma_memcpy(m, &d));
	case MIC_VMIC_DESC_STATUS:
		return (dma_status(m, &d, intrp));
	default:
		return (MIC_VMIC_DCHERR_TYPE);
	}
}

/* Halt the channel with err; whether to raise its interrupt. */
static int
dma_fail(const struct dma_mem *m, unsigned int ch, uint32_t err)
{
	uint32_t dcar, msk;

	word_write(m->dm_regs, MIC_VMIC_DCHERR(ch), err);
	dcar = word_read(m->dm_regs, MIC_VMIC_DCAR(ch));
	msk = word_read(m->dm_regs, MIC_VMIC_DCHERRMSK(ch));
	return ((dcar & MIC_VMIC_DCAR_IMASK_HOST) == 0 && (err & ~msk) != 0);
}

/* Whether the channel's interrupt may be raised (DCAR does not mask it). */
static int
dma_intr(const struct dma_mem *m, unsigned int ch, int want)
{
	return (want && (word_read(m->dm_regs, MIC_VMIC_DCAR(ch)) &
	    MIC_VMIC_DCAR_IMASK_HOST) == 0);
}

/*
 * Run host channel ch from DTPR up to DHPR.  Returns 1 when the
 * channel's interrupt is to be raised (a STATUS asked for it, or the
 * channel failed), else 0.  A channel that is not host-owned and
 * enabled in DCR, or halted (DCHERR not 0), does nothing.
 */
int
dma_run(const struct dma_mem *m, unsigned int ch)
{
	uint32_t dcr, head, tail, size, err, stat;
	uint8_t *ring;
	int intr;

	dcr = word_read(m->dm_regs, MIC_VMIC_DCR);
	if (ch >= MIC_VMIC_DMA_HOST_CHANNELS ||
	    (dcr & MIC_VMIC_DCR_HOST(ch)) == 0 ||
	    (dcr & MIC_VMIC_DCR_EN(ch)) == 0 ||
	    word_read(m->dm_regs, MIC_VMIC_DCHERR(ch)) != 0)
		return (0);
	if ((ring = dma_ring(m, ch, &size, &err)) == NULL)
		return (dma_fail(m, ch, err));
	head = word_read(m->dm_regs, MIC_VMIC_DHPR(ch));
	tail = word_read(m->dm_regs, MIC_VMIC_DTPR(ch));
	if (head >= size || tail >= size)
		return (dma_fail(m, ch, MIC_VMIC_DCHERR_INDEX));
	intr = 0;
	while (tail != head) {
		err = dma_exec(m, ring + (size_t)tail * MIC_VMIC_DESC_SIZE,
		    &intr);
		if (err != 0)
			return (dma_fail(m, ch, err) || dma_intr(m, ch, intr));
		tail = (tail + 1) % size;
		word_write(m->dm_regs, MIC_VMIC_DTPR(ch), tail);
		stat = word_read(m->dm_regs, MIC_VMIC_DSTAT(ch));
		word_write(m->dm_regs, MIC_VMIC_DSTAT(ch),
		    (stat & ~MIC_VMIC_DSTAT_COUNT) | tail);
	}
	return (dma_intr(m, ch, intr));
}
