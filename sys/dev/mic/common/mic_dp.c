// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Device page layout helpers, built into mic_host and mic_card (each
 * through its own wrapper file) and into user space.
 *
 * The page is shared with the other side of the link, which may write
 * anything anywhere in it.  A block is only ever located from a snapshot
 * of its header whose size was checked to fit the page, and each header is
 * read, and published, with one 8-byte access: a reader sees a block's
 * type and sizes either all old or all new.
 */
#include "mic_dp.h"

/* The smallest block: a header and a control block, nothing else. */
#define MIC_DP_MIN_BLOCK						\
	(sizeof(struct mic_device_desc) + sizeof(struct mic_device_ctrl))

/* The largest block a filler can describe (config_len 255, 8-aligned). */
#define MIC_DP_MAX_FILLER	(MIC_DP_MIN_BLOCK + 248)

static u64 mic_dp_load64(const void *p)
{
	u64 raw;

	if (((unsigned long)p & 7) == 0)
		return READ_ONCE(*(const u64 *)p);
	memcpy(&raw, p, sizeof(raw));
	return raw;
}

static void mic_dp_put_header(void *p, const struct mic_device_desc *hdr)
{
	u64 raw;

	memcpy(&raw, hdr, sizeof(raw));
	WRITE_ONCE(*(u64 *)p, raw);
}

/**
 * mic_dp_init() - write a fresh device page
 * @dp: the device page, MIC_DP_SIZE bytes, 8-aligned
 * @c2h_shutdown_db: the doorbell the card rings to report its state
 *
 * The host calls this at probe and whenever a reset completes: the
 * bootparam gets the magic and @c2h_shutdown_db, -1 in both card doorbells
 * and 0 elsewhere, and the list of descriptors is empty.
 */
void mic_dp_init(void *dp, s8 c2h_shutdown_db)
{
	struct mic_bootparam *bp = dp;

	memset(dp, 0, MIC_DP_SIZE);
	bp->magic = cpu_to_le32(MIC_MAGIC);
	bp->c2h_shutdown_db = c2h_shutdown_db;
	bp->h2c_shutdown_db = -1;
	bp->h2c_config_db = -1;
}

/**
 * mic_dp_has_magic() - tell whether a device page is one
 * @dp: the device page
 *
 * Return: true if the bootparam's magic is MIC_MAGIC.
 */
bool mic_dp_has_magic(const void *dp)
{
	const struct mic_bootparam *bp = dp;

	return le32_to_cpu(READ_ONCE(bp->magic)) == MIC_MAGIC;
}

/**
 * mic_dp_read_header() - take the snapshot of a block's header
 * @b: filled with the snapshot
 * @base: the device page, or a buffer holding a block
 * @off: offset of the block from @base; the caller ensures that 8 bytes
 *	are there
 *
 * The header is read once, with one 8-byte access when it is 8-aligned.
 * Nothing is checked: see mic_dp_walk() for blocks of the device page and
 * mic_dp_check_header() for a new block.
 */
void mic_dp_read_header(struct mic_dp_block *b, const void *base,
			unsigned int off)
{
	struct mic_device_desc hdr;
	u64 raw;

	raw = mic_dp_load64((const u8 *)base + off);
	memcpy(&hdr, &raw, sizeof(hdr));
	b->off = off;
	b->type = hdr.type;
	b->num_vq = hdr.num_vq;
	b->feature_len = hdr.feature_len;
	b->config_len = hdr.config_len;
	b->desc_size = mic_desc_size(&hdr);
	b->size = mic_total_desc_size(&hdr);
}

/**
 * mic_dp_check_header() - check the header of a block to be added
 * @b: the snapshot of the header
 *
 * The rules of MIC_VIRTIO_ADD_DEVICE: a device type (not 0 or -1), 1 to
 * MIC_MAX_VRINGS rings, at most MIC_DP_MAX_FEATURE_LEN bytes of features,
 * and mic_aligned_desc_size() at most MIC_MAX_DESC_BLK_SIZE.
 *
 * Return: 0 if the header is acceptable, -EINVAL if not.
 */
int mic_dp_check_header(const struct mic_dp_block *b)
{
	if (b->type == MIC_DESC_TYPE_END || b->type == MIC_DESC_TYPE_REMOVED)
		return -EINVAL;
	if (b->num_vq < 1 || b->num_vq > MIC_MAX_VRINGS)
		return -EINVAL;
	if (b->feature_len > MIC_DP_MAX_FEATURE_LEN)
		return -EINVAL;
	if (b->size - sizeof(struct mic_device_ctrl) > MIC_MAX_DESC_BLK_SIZE)
		return -EINVAL;
	return 0;
}

/**
 * mic_dp_check_rings() - check the ring sizes of a block to be added
 * @base: the buffer holding the block
 * @b: the snapshot of its header, accepted by mic_dp_check_header(); the
 *	caller ensures that @b->desc_size bytes are at @b->off
 *
 * Return: 0 if the num of every vqconfig is a power of two from 1 to
 * MIC_MAX_VRING_ENTRIES, -EINVAL if not.
 */
int mic_dp_check_rings(const void *base, const struct mic_dp_block *b)
{
	const struct mic_vqconfig *vq;
	unsigned int i, num;

	vq = (const struct mic_vqconfig *)((const u8 *)base + b->off +
					   sizeof(struct mic_device_desc));
	for (i = 0; i < b->num_vq; i++) {
		num = le16_to_cpu(READ_ONCE(vq[i].num));
		if (num == 0 || num > MIC_MAX_VRING_ENTRIES)
			return -EINVAL;
		if (num & (num - 1))
			return -EINVAL;
	}
	return 0;
}

/**
 * mic_dp_walk() - step to the next block of the device page
 * @dp: the device page, MIC_DP_SIZE bytes, 8-aligned
 * @pos: the offset to look at, MIC_DP_FIRST to start; on a block, set past
 *	it; at the end of the list, left at the end
 * @b: filled with the snapshot of the block found
 *
 * Every block is returned, removed ones included.  A block is returned
 * only if it lies inside the page, so whatever the page holds, the walk
 * reads nothing outside it and ends after at most MIC_DP_SIZE / 24 blocks.
 *
 * Return: 1 if a block was found, 0 at the end of the list (a type 0
 * header, or the end of the page), -EINVAL if @pos is not a block's
 * offset or the block there crosses the end of the page.
 */
int mic_dp_walk(const void *dp, unsigned int *pos, struct mic_dp_block *b)
{
	unsigned int off = *pos;

	if ((unsigned long)dp & 7)
		return -EINVAL;
	if (off < MIC_DP_FIRST || off > MIC_DP_SIZE || off & 7)
		return -EINVAL;
	if (off == MIC_DP_SIZE)
		return 0;
	mic_dp_read_header(b, dp, off);
	if (b->type == MIC_DESC_TYPE_END)
		return 0;
	if (b->size > MIC_DP_SIZE - off)
		return -EINVAL;
	*pos = off + b->size;
	return 1;
}

/**
 * mic_dp_next() - step to the next device of the device page
 * @dp: the device page, MIC_DP_SIZE bytes, 8-aligned
 * @pos: as for mic_dp_walk()
 * @b: filled with the snapshot of the block found
 *
 * As mic_dp_walk(), but removed blocks are skipped.
 *
 * Return: 1 if a device was found, 0 at the end of the list, -EINVAL as
 * for mic_dp_walk().
 */
int mic_dp_next(const void *dp, unsigned int *pos, struct mic_dp_block *b)
{
	int ret;

	do {
		ret = mic_dp_walk(dp, pos, b);
	} while (ret > 0 && b->type == MIC_DESC_TYPE_REMOVED);
	return ret;
}

/*
 * Whether a block of @size bytes can take a removed slot of @slot bytes:
 * exactly, or with a rest large enough to stay a removed block of its own.
 */
static bool mic_dp_fits(unsigned int slot, unsigned int size)
{
	if (slot == size)
		return true;
	return slot > size && slot - size >= MIC_DP_MIN_BLOCK &&
	       slot - size <= MIC_DP_MAX_FILLER;
}

static int mic_dp_find_slot(const void *dp, unsigned int size,
			    struct mic_dp_block *slot)
{
	unsigned int pos = MIC_DP_FIRST;
	int ret;

	if (size < MIC_DP_MIN_BLOCK || size & 7)
		return -EINVAL;
	if (size > MIC_DP_SIZE - MIC_DP_FIRST)
		return -ENOSPC;
	while ((ret = mic_dp_walk(dp, &pos, slot)) > 0) {
		if (slot->type == MIC_DESC_TYPE_REMOVED &&
		    mic_dp_fits(slot->size, size))
			return slot->off;
	}
	if (ret < 0 || size > MIC_DP_SIZE - pos)
		return -ENOSPC;
	slot->off = pos;
	slot->type = MIC_DESC_TYPE_END;
	slot->size = 0;
	return pos;
}

/**
 * mic_dp_find_room() - find where a new block would go
 * @dp: the device page, MIC_DP_SIZE bytes, 8-aligned
 * @size: mic_total_desc_size() of the new block
 *
 * The first removed block that the new one fits is taken: one of the same
 * size, or one larger by at least 24 bytes, whose rest stays a removed
 * block; else the end of the list, if the page has room there.
 *
 * Return: the offset of the room found; -ENOSPC if there is none, or if
 * the list is corrupted; -EINVAL if @size cannot be a block's.
 */
int mic_dp_find_room(const void *dp, unsigned int size)
{
	struct mic_dp_block slot;

	return mic_dp_find_slot(dp, size, &slot);
}

/**
 * mic_dp_add() - put a new block into the device page
 * @dp: the device page, MIC_DP_SIZE bytes, 8-aligned
 * @blk: the whole block: header, vqconfigs, features, config, padding and
 *	control block, mic_total_desc_size() bytes, checked by the caller
 * @b: if not NULL, filled with the snapshot of the block in the page, for
 *	the accessors and mic_dp_remove()
 *
 * The block goes where mic_dp_find_room() says.  Everything but the header
 * is written first, then, after a write barrier, the header with one
 * 8-byte store: that is when the other side can see the device.
 *
 * Return: the offset of the block in the page; -ENOSPC if there is no
 * room; -EINVAL if the type of @blk is 0 or -1.
 */
int mic_dp_add(void *dp, const void *blk, struct mic_dp_block *b)
{
	struct mic_device_desc hdr;
	struct mic_dp_block nb, slot;
	u8 *p;
	int off;

	mic_dp_read_header(&nb, blk, 0);
	if (nb.type == MIC_DESC_TYPE_END || nb.type == MIC_DESC_TYPE_REMOVED)
		return -EINVAL;
	off = mic_dp_find_slot(dp, nb.size, &slot);
	if (off < 0)
		return off;
	p = (u8 *)dp + off;
	if (slot.type == MIC_DESC_TYPE_REMOVED && slot.size > nb.size) {
		/* The rest of the slot, skipped until the header changes. */
		memset(&hdr, 0, sizeof(hdr));
		hdr.type = MIC_DESC_TYPE_REMOVED;
		hdr.config_len = slot.size - nb.size - MIC_DP_MIN_BLOCK;
		mic_dp_put_header(p + nb.size, &hdr);
	}
	if (slot.type == MIC_DESC_TYPE_END && off + nb.size < MIC_DP_SIZE) {
		memset(&hdr, 0, sizeof(hdr));
		mic_dp_put_header(p + nb.size, &hdr);
	}
	memcpy(p + sizeof(hdr), (const u8 *)blk + sizeof(hdr),
	       nb.size - sizeof(hdr));
	/* The block, and the filler or end after it, before its header. */
	wmb();
	memcpy(&hdr, blk, sizeof(hdr));
	mic_dp_put_header(p, &hdr);
	if (b) {
		*b = nb;
		b->off = off;
	}
	return off;
}

/**
 * mic_dp_remove() - mark a block of the device page removed
 * @dp: the device page
 * @b: the snapshot of the block, from mic_dp_walk() or mic_dp_add()
 *
 * An offset that cannot be a block's is ignored.
 *
 * After a write barrier, the type becomes MIC_DESC_TYPE_REMOVED; the
 * sizes stay, so that walkers skip the block, and a later block that fits
 * may take its place.
 */
void mic_dp_remove(void *dp, const struct mic_dp_block *b)
{
	s8 *type;

	if (b->off < MIC_DP_FIRST || b->off > MIC_DP_SIZE - MIC_DP_MIN_BLOCK ||
	    b->off & 7)
		return;
	type = (s8 *)((u8 *)dp + b->off);
	/* What the caller wrote about the device, before the slot is freed. */
	wmb();
	WRITE_ONCE(*type, MIC_DESC_TYPE_REMOVED);
}

/**
 * mic_dp_vqconfig() - locate the vqconfigs of a block
 * @base: the device page, or the buffer holding the block
 * @b: the snapshot of the block
 *
 * Return: the array of @b->num_vq vqconfigs.
 */
struct mic_vqconfig *mic_dp_vqconfig(void *base, const struct mic_dp_block *b)
{
	return (struct mic_vqconfig *)((u8 *)base + b->off +
				       sizeof(struct mic_device_desc));
}

/**
 * mic_dp_host_features() - locate the host features of a block
 * @base: the device page, or the buffer holding the block
 * @b: the snapshot of the block
 *
 * Return: the @b->feature_len bytes of features the host offers.
 */
u8 *mic_dp_host_features(void *base, const struct mic_dp_block *b)
{
	return (u8 *)(mic_dp_vqconfig(base, b) + b->num_vq);
}

/**
 * mic_dp_guest_features() - locate the guest features of a block
 * @base: the device page, or the buffer holding the block
 * @b: the snapshot of the block
 *
 * Return: the @b->feature_len bytes of features the card accepted.
 */
u8 *mic_dp_guest_features(void *base, const struct mic_dp_block *b)
{
	return mic_dp_host_features(base, b) + b->feature_len;
}

/**
 * mic_dp_config() - locate the config space of a block
 * @base: the device page, or the buffer holding the block
 * @b: the snapshot of the block
 *
 * Return: the @b->config_len bytes of config space.
 */
u8 *mic_dp_config(void *base, const struct mic_dp_block *b)
{
	return mic_dp_guest_features(base, b) + b->feature_len;
}

/**
 * mic_dp_ctrl() - locate the control block of a block
 * @base: the device page, or the buffer holding the block
 * @b: the snapshot of the block
 *
 * Return: the control block, at mic_aligned_desc_size() from the header.
 */
struct mic_device_ctrl *mic_dp_ctrl(void *base, const struct mic_dp_block *b)
{
	return (struct mic_device_ctrl *)((u8 *)base + b->off + b->size -
					  sizeof(struct mic_device_ctrl));
}
