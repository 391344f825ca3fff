// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 host driver: the SMPT, the card's view of host memory.
 * Each of its 32 entries maps 16 GiB of host memory (a DMA address, which
 * is a host physical address without an IOMMU) to the card at
 * MIC_SYSTEM_BASE + 16 GiB * entry.  A software copy of the entries is
 * written to the card whenever one changes and before every boot; each
 * entry counts the mappings that use it.
 */
#include "mic_dev.h"

static u64 mic_smpt_base(dma_addr_t addr)
{
	return (u64)addr & ~(MIC_SMPT_SIZE - 1);
}

/* Point entry @i at the 16 GiB at @base, in the copy and in the card. */
static void mic_smpt_set(struct mic_device *mdev, unsigned int i, u64 base)
{
	struct mic_smpt *smpt = &mdev->smpt;

	smpt->addr[i] = base;
	smpt->value[i] = mdev->hw.ops->smpt_encode(&mdev->hw, base);
	mdev->hw.ops->smpt_set(&mdev->hw, i, smpt->value[i]);
}

/**
 * mic_smpt_init() - set the SMPT up
 * @mdev: the card
 *
 * Entry i maps host memory from 16 GiB * i, unused, so that a small host
 * needs entry 0 only.
 */
void mic_smpt_init(struct mic_device *mdev)
{
	unsigned int i;

	spin_lock_init(&mdev->smpt.lock);
	for (i = 0; i < MIC_SMPT_ENTRIES; i++) {
		mdev->smpt.ref[i] = 0;
		mic_smpt_set(mdev, i, (u64)i << MIC_SMPT_SHIFT);
	}
}

/*
 * The first run of @n entries mapping the 16 GiB blocks from @base on,
 * preferring entries that already do, else entries that are not in use.
 */
static int mic_smpt_find(struct mic_smpt *smpt, u64 base, unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i + n <= MIC_SMPT_ENTRIES; i++) {
		for (j = 0; j < n; j++)
			if (smpt->addr[i + j] != base + j * MIC_SMPT_SIZE)
				break;
		if (j == n)
			return i;
	}
	for (i = 0; i + n <= MIC_SMPT_ENTRIES; i++) {
		for (j = 0; j < n; j++)
			if (smpt->ref[i + j])
				break;
		if (j == n)
			return i;
	}
	return -ENOSPC;
}

/**
 * mic_smpt_map() - make host memory visible to the card
 * @mdev: the card
 * @addr: the DMA address of the memory
 * @len: its length, not 0
 * @card_addr: set to the address at which the card sees @addr
 *
 * Return: 0; -EINVAL for an empty or wrapping range; -ENOSPC if no run
 * of entries can map it.
 */
int mic_smpt_map(struct mic_device *mdev, dma_addr_t addr, size_t len,
		 u64 *card_addr)
{
	struct mic_smpt *smpt = &mdev->smpt;
	u64 base = mic_smpt_base(addr), last;
	unsigned int n, j;
	int i;

	if (!len || (u64)addr + len - 1 < (u64)addr)
		return -EINVAL;
	last = mic_smpt_base((u64)addr + len - 1);
	n = ((last - base) >> MIC_SMPT_SHIFT) + 1;
	if (n > MIC_SMPT_ENTRIES)
		return -ENOSPC;
	spin_lock(&smpt->lock);
	i = mic_smpt_find(smpt, base, n);
	if (i >= 0) {
		for (j = 0; j < n; j++) {
			if (smpt->addr[i + j] != base + j * MIC_SMPT_SIZE)
				mic_smpt_set(mdev, i + j,
					     base + j * MIC_SMPT_SIZE);
			smpt->ref[i + j]++;
		}
		*card_addr = MIC_SYSTEM_BASE +
			     ((u64)i << MIC_SMPT_SHIFT) + (addr - base);
	}
	spin_unlock(&smpt->lock);
	return i < 0 ? i : 0;
}

/**
 * mic_smpt_unmap() - end a mapping made by mic_smpt_map()
 * @mdev: the card
 * @card_addr: the card address mic_smpt_map() gave
 * @len: the length given to it
 *
 * The entries stay as they are, unused when their count drops to 0.
 */
void mic_smpt_unmap(struct mic_device *mdev, u64 card_addr, size_t len)
{
	struct mic_smpt *smpt = &mdev->smpt;
	u64 off = card_addr - MIC_SYSTEM_BASE;
	unsigned int i, first, last;

	if (card_addr < MIC_SYSTEM_BASE || !len)
		return;
	first = off >> MIC_SMPT_SHIFT;
	last = (off + len - 1) >> MIC_SMPT_SHIFT;
	if (last >= MIC_SMPT_ENTRIES)
		return;
	spin_lock(&smpt->lock);
	for (i = first; i <= last; i++)
		if (smpt->ref[i])
			smpt->ref[i]--;
	spin_unlock(&smpt->lock);
}

/**
 * mic_smpt_restore() - write the software copy of the SMPT to the card
 * @mdev: the card
 *
 * Before every boot: some X100 steppings lose the SMPT over a reset.
 */
void mic_smpt_restore(struct mic_device *mdev)
{
	struct mic_smpt *smpt = &mdev->smpt;
	unsigned int i;

	spin_lock(&smpt->lock);
	for (i = 0; i < MIC_SMPT_ENTRIES; i++)
		mdev->hw.ops->smpt_set(&mdev->hw, i, smpt->value[i]);
	spin_unlock(&smpt->lock);
}
