// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 host driver: the card's log ring (ABI.md section 4, the
 * layout in <linux/mic_common.h>), read through the aperture, live or
 * after a crash.  Everything in it comes from the card: each value is
 * checked, so that garbage gives an error or garbled text, never a read
 * outside the ring.
 */
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/stddef.h>

#include "mic_dev.h"

/* The header, and where the count is in it. */
#define MIC_LOG_HDR		sizeof(struct mic_log_header)
#define MIC_LOG_WRITTEN		offsetof(struct mic_log_header, written)

/**
 * mic_log_info() - where the card published its log ring
 * @mdev: the card
 * @addr: set to the card address of the ring (SPAD8, SPAD9)
 * @len: set to its size, header included (SPAD10)
 *
 * Return: 0, or -ENODATA if the card has published no ring.
 */
int mic_log_info(struct mic_device *mdev, u64 *addr, u32 *len)
{
	struct mic_hw *hw = &mdev->hw;

	mutex_lock(&mdev->lock);
	*addr = hw->ops->read_spad(hw, MIC_SPAD_LOG_LO) |
		(u64)hw->ops->read_spad(hw, MIC_SPAD_LOG_HI) << 32;
	*len = hw->ops->read_spad(hw, MIC_SPAD_LOG_SIZE);
	mutex_unlock(&mdev->lock);
	return *len ? 0 : -ENODATA;
}

/* The ring in the aperture, and the size of its data area, checked. */
static int mic_log_ring(struct mic_device *mdev, void __iomem **ring,
			u32 *size)
{
	struct mic_hw *hw = &mdev->hw;
	void __iomem *va;
	u64 addr;
	u32 len;

	if (mic_log_info(mdev, &addr, &len))
		return -ENODATA;
	if (len <= MIC_LOG_HDR || addr > hw->aper.len ||
	    len > hw->aper.len - addr || addr & 7)
		return -EBADMSG;
	va = hw->aper.va + addr;
	if (ioread32(va + offsetof(struct mic_log_header, magic)) !=
	    MIC_LOG_MAGIC)
		return -EBADMSG;
	*size = ioread32(va + offsetof(struct mic_log_header, size));
	if (*size <= MIC_LOG_HDR || *size > len || *size > MIC_LOG_MAX)
		return -EBADMSG;
	*size -= MIC_LOG_HDR;
	*ring = va;
	return 0;
}

/* Copy @n bytes ending at byte @end of the log out of the ring. */
static void mic_log_copy(void __iomem *data, u32 size, u64 end, u32 n,
			 char *to)
{
	u32 start = (end - n) % size, first = min(n, size - start);

	memcpy_fromio(to, data + start, first);
	memcpy_fromio(to + first, data, n - first);
}

/* Drop NULs; after a wrap, the partial first line too. */
static size_t mic_log_clean(char *text, size_t n, bool wrapped)
{
	size_t i = 0, j = 0;
	char *nl;

	if (wrapped) {
		nl = memchr(text, '\n', n);
		i = nl ? nl + 1 - text : n;
	}
	for (; i < n; i++)
		if (text[i] != '\0')
			text[j++] = text[i];
	return j;
}

/**
 * mic_log_read() - a snapshot of the card's log ring, as text
 * @mdev: the card
 * @text: set to the text, a kvmalloc()ed buffer the caller kvfree()s
 *
 * The bytes the card overwrote while they were copied are left out.
 *
 * Return: the length of the text, -ENODATA if the card published no
 * ring, -EBADMSG if what it published is not a log ring, -ENOMEM.
 */
ssize_t mic_log_read(struct mic_device *mdev, char **text)
{
	void __iomem *va;
	u64 w1, w2, lost;
	u32 size, n;
	char *buf;
	int ret;

	ret = mic_log_ring(mdev, &va, &size);
	if (ret)
		return ret;
	w1 = readq(va + MIC_LOG_WRITTEN);
	n = min_t(u64, w1, size);
	buf = kvmalloc(n + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	/* The count before the data it covers. */
	rmb();
	mic_log_copy(va + MIC_LOG_HDR, size, w1, n, buf);
	/* The data before the count that tells what was overwritten. */
	rmb();
	w2 = readq(va + MIC_LOG_WRITTEN);
	/* The card may have rewritten the oldest bytes meanwhile. */
	if (w2 < w1 || w2 > U64_MAX - MIC_LOG_SLACK)
		lost = n;
	else if (w2 + MIC_LOG_SLACK > w1 - n + size)
		lost = min_t(u64, w2 + MIC_LOG_SLACK - (w1 - n + size), n);
	else
		lost = 0;
	memmove(buf, buf + lost, n - lost);
	n = mic_log_clean(buf, n - lost, w1 > size || lost);
	buf[n] = '\0';
	*text = buf;
	return n;
}
