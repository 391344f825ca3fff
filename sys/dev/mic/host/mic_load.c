// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 host driver: the hardware-independent part of a boot
 * (ABI.md 6.4), for every leaf.  Card memory is reached through the
 * aperture, where a card address is an offset.  Builds in user space too
 * (see mic_hw.h).
 */
#include "mic_hw.h"

#define MIC_LOAD_CHUNK	0x100000	/* copy 1 MiB at a time */

static u32 mic_load_le32(const u8 *p)
{
	__le32 v;

	memcpy(&v, p, sizeof(v));
	return le32_to_cpu(v);
}

/**
 * mic_load_check() - place a boot in card memory, checking every size
 * @hw: the card
 * @spad2: the bootstrap download information (SPAD2) of the card
 * @img: what is to be loaded
 * @lo: filled with the card addresses of the image, the command line and
 *	the ramdisk
 *
 * The image goes to the download address, the command line right after
 * it, the ramdisk at twice the download address: the image and the command
 * line must fit below the ramdisk, and the ramdisk below the end of the
 * aperture.  Nothing is written.
 *
 * Return: 0; -EIO if the card is not ready or its download address is
 * unusable; -ENOEXEC if the image is not a bzImage; -EINVAL for a command
 * line without its NUL or over MIC_CMDLINE_MAX; -EFBIG if the image with
 * the command line, or the ramdisk, does not fit its room.
 */
int mic_load_check(const struct mic_hw *hw, u32 spad2,
		   const struct mic_image *img, struct mic_load_layout *lo)
{
	u64 dl = MIC_SPAD2_ADDR(spad2), aper = hw->aper.len, room;

	if (!(spad2 & MIC_SPAD2_READY))
		return -EIO;
	if (dl == 0 || dl >= MIC_DOWNLOAD_MAX || dl > aper / 2)
		return -EIO;
	if (img->image_size < MIC_BP_MIN_SIZE ||
	    mic_load_le32(img->image + MIC_BP_HDRS) != MIC_BP_HDRS_MAGIC)
		return -ENOEXEC;
	if (img->cmdline_size == 0 || img->cmdline_size > MIC_CMDLINE_MAX ||
	    img->cmdline[img->cmdline_size - 1] != '\0')
		return -EINVAL;
	room = dl;	/* from the download address to the ramdisk */
	if (img->image_size > room || img->cmdline_size > room - img->image_size)
		return -EFBIG;
	if (img->ramdisk_size > aper - 2 * dl || img->ramdisk_size > 0xffffffffULL)
		return -EFBIG;
	lo->image = dl;
	lo->cmdline = dl + img->image_size;
	lo->ramdisk = 2 * dl;
	return 0;
}

static void mic_load_copy(struct mic_hw *hw, u64 to, const void *from,
			  size_t len)
{
	size_t n, done;

	for (done = 0; done < len; done += n) {
		n = len - done;
		if (n > MIC_LOAD_CHUNK)
			n = MIC_LOAD_CHUNK;
		memcpy_toio(hw->aper.va + to + done, (const u8 *)from + done,
			    n);
		cond_resched();
	}
}

/**
 * mic_load_image() - load a boot into card memory
 * @hw: the card, ready (SPAD2 bit 0 set)
 * @img: what is to be loaded
 *
 * Checks the placement with mic_load_check() first; then copies the image,
 * the command line and the ramdisk, patches ramdisk_image and
 * ramdisk_size in the copied image's setup header, and writes the image
 * size to SPAD5.  The bootstrap IPI is the leaf's.
 *
 * Return: 0, or an error of mic_load_check() with nothing written.
 */
int mic_load_image(struct mic_hw *hw, const struct mic_image *img)
{
	struct mic_load_layout lo;
	int ret;

	ret = mic_load_check(hw, hw->ops->read_spad(hw, MIC_SPAD_DOWNLOAD),
			     img, &lo);
	if (ret)
		return ret;
	mic_load_copy(hw, lo.image, img->image, img->image_size);
	mic_load_copy(hw, lo.cmdline, img->cmdline, img->cmdline_size);
	if (img->ramdisk_size)
		mic_load_copy(hw, lo.ramdisk, img->ramdisk, img->ramdisk_size);
	iowrite32(img->ramdisk_size ? (u32)lo.ramdisk : 0,
		  hw->aper.va + lo.image + MIC_BP_RAMDISK_IMAGE);
	iowrite32((u32)img->ramdisk_size,
		  hw->aper.va + lo.image + MIC_BP_RAMDISK_SIZE);
	/* Card memory before the size, and the size before the IPI. */
	wmb();
	hw->ops->write_spad(hw, MIC_SPAD_IMAGE_SIZE, (u32)img->image_size);
	return 0;
}
