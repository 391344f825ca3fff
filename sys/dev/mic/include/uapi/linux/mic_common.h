/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Intel MIC X100 coprocessor: the device page shared by the host driver,
 * the card driver and the host's virtio backends, and the card's log
 * ring, which the card driver writes and the host driver reads.
 *
 * The device page's layout is that of the Linux 3.13 MIC ABI, with the
 * extensions noted below; the log ring is new.  Every multi-byte field
 * is little endian.
 */
#ifndef _UAPI_LINUX_MIC_COMMON_H
#define _UAPI_LINUX_MIC_COMMON_H

#include <linux/types.h>

/* The device page: one 4 KiB page of host memory, visible to the card. */
#define MIC_DP_SIZE		4096
#define MIC_MAGIC		0xC0FFEE00

/*
 * The scratchpads (SPADn) through which the card driver and the host
 * driver find the device page and the log ring.  The host writes the
 * device page's card address before it boots the card.  The card driver
 * writes the log ring's card address and size when it loads, and 0 to
 * them when it unloads: a size of 0 means no ring.
 */
#define MIC_SPAD_LOG_LO		8	/* log ring card address, bits 31:0 */
#define MIC_SPAD_LOG_HI		9	/* log ring card address, bits 63:32 */
#define MIC_SPAD_LOG_SIZE	10	/* log ring size, header included */
#define MIC_SPAD_DP_LO		14	/* device page card address, 31:0 */
#define MIC_SPAD_DP_HI		15	/* device page card address, 63:32 */

/* Limits of a virtio device described in the device page. */
#define MIC_VIRTIO_RING_ALIGN	4096
#define MIC_MAX_VRINGS		4
#define MIC_MAX_VRING_ENTRIES	128
#define MIC_MAX_DESC_BLK_SIZE	256

/* mic_device_desc.type values that are not virtio device types. */
#define MIC_DESC_TYPE_END	0	/* ends the list */
#define MIC_DESC_TYPE_REMOVED	(-1)	/* a removed device: skip it */

/* mic_bootparam.card_state values. */
#define MIC_CARD_NOT_UP		0
#define MIC_CARD_ONLINE		1

/* mic_device_ctrl.config_change values, written by the host. */
#define MIC_VIRTIO_PARAM_DEV_REMOVE	1
#define MIC_VIRTIO_PARAM_CONFIG_CHANGED	2

/**
 * enum mic_status - why the card shut down (mic_bootparam.shutdown_status)
 * @MIC_NOP: nothing to report
 * @MIC_CRASHED: the card's kernel panicked
 * @MIC_HALTED: the card halted
 * @MIC_POWER_OFF: the card powered off
 * @MIC_RESTART: the card asks to be booted again
 * @MIC_LOST: set by the host alone, never by the card: the card's
 *	heartbeat stopped (&struct mic_bootparam.heartbeat)
 * @MIC_STATUS_LAST: one past the last valid value
 */
enum mic_status {
	MIC_NOP = 0,
	MIC_CRASHED = 1,
	MIC_HALTED = 2,
	MIC_POWER_OFF = 3,
	MIC_RESTART = 4,
	MIC_LOST = 5,
	MIC_STATUS_LAST
};

/* How often the card's driver beats its heartbeat, in milliseconds. */
#define MIC_HEARTBEAT_MS	1000

/**
 * struct mic_bootparam - the start of the device page (16 bytes)
 * @magic: MIC_MAGIC, written by the host; the card refuses anything else
 * @c2h_shutdown_db: doorbell the card rings to report shutdown, crash and
 *	its online handshake (host)
 * @h2c_shutdown_db: doorbell the host rings to ask for a shutdown (card;
 *	-1 until the card is up)
 * @h2c_config_db: doorbell the host rings on a hot plug or a configuration
 *	change (card; -1 until the card is up)
 * @shutdown_status: an &enum mic_status value (card)
 * @shutdown_card: 1 when the host asks the card to power off (host)
 * @card_state: MIC_CARD_ONLINE once the card has completed its online
 *	handshake (card).  An extension of the 3.13 layout, where this byte
 *	was padding: a 3.13 card leaves it 0.
 * @reserved: zero; further extensions are documented here
 * @heartbeat: a count the card's driver adds one to every
 *	MIC_HEARTBEAT_MS while it is online (card).  The host declares a
 *	card whose count stopped lost (MIC_LOST); it watches only a card
 *	whose count moved once, so a card that never beats (a 3.13 card,
 *	where these bytes were padding) is never declared lost.
 *
 * Device descriptors follow, from offset 16.
 */
struct mic_bootparam {
	__le32 magic;
	__s8 c2h_shutdown_db;
	__s8 h2c_shutdown_db;
	__s8 h2c_config_db;
	__u8 shutdown_status;
	__u8 shutdown_card;
	__u8 card_state;
	__u8 reserved[2];
	__le32 heartbeat;
} __attribute__ ((aligned(8)));

/**
 * struct mic_device_desc - the header of a device descriptor block (8 bytes)
 * @type: a virtio device type; MIC_DESC_TYPE_END ends the list and
 *	MIC_DESC_TYPE_REMOVED marks a removed device
 * @num_vq: number of &struct mic_vqconfig that follow
 * @feature_len: bytes of host features, and again of guest features
 * @config_len: bytes of config space
 * @status: the virtio device status, written by the card
 *
 * A block is: this header, @num_vq &struct mic_vqconfig, the host features,
 * the guest features, the config space, padding to 8 bytes, then a
 * &struct mic_device_ctrl.  Blocks follow each other, 8-aligned.
 */
struct mic_device_desc {
	__s8 type;
	__u8 num_vq;
	__u8 feature_len;
	__u8 config_len;
	__u8 status;
} __attribute__ ((aligned(8)));

/**
 * struct mic_vqconfig - one virtqueue of a device (24 bytes)
 * @address: card-side address of the vring
 * @used_address: card-side address of a relocated used ring; 0 in this
 *	tree, where the used ring stays in the vring
 * @num: entries in the vring, a power of two up to MIC_MAX_VRING_ENTRIES
 */
struct mic_vqconfig {
	__le64 address;
	__le64 used_address;
	__le16 num;
} __attribute__ ((aligned(8)));

/**
 * struct mic_device_ctrl - the control block that ends a descriptor block
 * @vdev: the card's cookie for the device
 * @config_change: MIC_VIRTIO_PARAM_DEV_REMOVE or
 *	MIC_VIRTIO_PARAM_CONFIG_CHANGED (host)
 * @vdev_reset: set by the card to reset the device
 * @guest_ack: set by the card to acknowledge a config change or a removal
 * @host_ack: set by the host when it has reset the device
 * @used_address_updated: always 0 in this tree
 * @c2h_vdev_db: the host's doorbell for this device
 * @h2c_vdev_db: the card's doorbell for this device
 */
struct mic_device_ctrl {
	__le64 vdev;
	__u8 config_change;
	__u8 vdev_reset;
	__u8 guest_ack;
	__u8 host_ack;
	__u8 used_address_updated;
	__s8 c2h_vdev_db;
	__s8 h2c_vdev_db;
} __attribute__ ((aligned(8)));

/**
 * struct mic_vring_info - the 8-byte trailer after each vring
 * @avail_idx: the host's next available index, for the backend
 * @reserved: padding
 * @magic: MIC_VRING_MAGIC() of the device type and the ring index
 *
 * It sits at mic_vring_size(num) from the start of the vring, which
 * need not be 4-aligned (5126 for 128 entries): the structure is
 * packed, and is read and written with unaligned-safe accesses.
 */
struct mic_vring_info {
	__le16 avail_idx;
	__u8 reserved[2];
	__le32 magic;
} __attribute__ ((packed));

#define MIC_VRING_MAGIC(type, idx)	(MIC_MAGIC + (type) + (idx))

/**
 * mic_desc_size - bytes of a descriptor block without its control block
 * @desc: the header of the block
 *
 * Return: the size of the header, the vqconfigs, both feature arrays and
 * the config space.
 */
static inline __u32 mic_desc_size(const struct mic_device_desc *desc)
{
	return sizeof(*desc) + desc->num_vq * sizeof(struct mic_vqconfig) +
	       desc->feature_len * 2 + desc->config_len;
}

/**
 * mic_aligned_desc_size - mic_desc_size() rounded up to 8 bytes
 * @desc: the header of the block
 *
 * It may not exceed MIC_MAX_DESC_BLK_SIZE.
 *
 * Return: the offset of the block's &struct mic_device_ctrl from @desc.
 */
static inline __u32 mic_aligned_desc_size(const struct mic_device_desc *desc)
{
	return (mic_desc_size(desc) + 7) & ~7U;
}

/**
 * mic_total_desc_size - bytes of a whole descriptor block
 * @desc: the header of the block
 *
 * Return: the offset of the next block, or of the end of the list, from
 * @desc.
 */
static inline __u32 mic_total_desc_size(const struct mic_device_desc *desc)
{
	return mic_aligned_desc_size(desc) + sizeof(struct mic_device_ctrl);
}

/**
 * mic_vring_size - bytes of a legacy split vring with MIC alignment
 * @num: number of entries
 *
 * The descriptor table (16 bytes an entry) and the available ring (flags,
 * idx, @num entries and used_event, 2 bytes each) rounded up to
 * MIC_VIRTIO_RING_ALIGN, then the used ring (flags, idx and avail_event,
 * 2 bytes each, and 8 bytes an entry): vring_size(@num, 4096) of
 * <linux/virtio_ring.h>.
 *
 * Return: the size, which is also the offset of the &struct mic_vring_info
 * of the vring (5126 for 128 entries).
 */
static inline __u32 mic_vring_size(__u32 num)
{
	__u32 avail_end = 16 * num + 2 * (3 + num);

	return ((avail_end + MIC_VIRTIO_RING_ALIGN - 1) &
		~(__u32)(MIC_VIRTIO_RING_ALIGN - 1)) + 2 * 3 + 8 * num;
}

/**
 * mic_vring_map_size - bytes a vring takes in the mmap of /dev/micN
 * @num: number of entries
 *
 * The device page is at offset 0 of the mapping, vring 0 at MIC_DP_SIZE,
 * and each further vring right after the previous one.
 *
 * Return: the size of the vring and its trailer rounded up to 4096 bytes
 * (PAGE_SIZE on x86).
 */
static inline __u32 mic_vring_map_size(__u32 num)
{
	return (mic_vring_size(num) + sizeof(struct mic_vring_info) + 4095) &
	       ~4095U;
}

/*
 * The card's log ring (ABI.md section 4), in card memory: the card
 * driver copies every kernel message into it, and the host reads it
 * through the aperture, live and after a crash.
 *
 * The ring is a &struct mic_log_header followed by the data area.  Its
 * size, in the header's @size and in MIC_SPAD_LOG_SIZE (the same
 * value), is that of the whole ring, the 16-byte header included: the
 * data area is size - 16 bytes.  Byte k of the log (0 <= k < written)
 * is at data[k % (size - 16)]; the last min(written, size - 16) bytes
 * are there.
 *
 * The card stores the bytes before the count that covers them, and
 * publishes the count (@written, one 64-bit store) at least every
 * MIC_LOG_SLACK bytes: it has stored at most MIC_LOG_SLACK bytes beyond
 * @written.  So a reader that reads @written (w1), copies the data, and
 * reads @written again (w2) keeps the bytes k with
 * w2 + MIC_LOG_SLACK - (size - 16) <= k < w1; the card may have
 * overwritten the others while they were copied.  The card writes
 * @magic last when it sets the ring up, and clears it before the ring's
 * memory goes.
 */
#define MIC_LOG_MAGIC		0x4c43494d	/* "MICL" in memory */
#define MIC_LOG_SLACK		1024	/* bytes stored beyond @written, at most */

/**
 * struct mic_log_header - the head of the card's log ring (16 bytes)
 * @magic: MIC_LOG_MAGIC while the ring is in use
 * @size: bytes of the whole ring, this header included (as
 *	MIC_SPAD_LOG_SIZE)
 * @written: bytes written to the ring since the card driver loaded
 *
 * The data area follows.
 */
struct mic_log_header {
	__le32 magic;
	__le32 size;
	__le64 written;
} __attribute__ ((aligned(8)));

#endif /* _UAPI_LINUX_MIC_COMMON_H */
