/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Intel MIC X100 host driver: the virtio devices of a card, one per open
 * file of /dev/micN (ABI.md section 2).  mic_virtio.c keeps the devices,
 * their rings and doorbells; mic_fops.c the character device.
 *
 * Locks, outermost first (never taken the other way round):
 *	mic_virtio_lock		the attachment of files to cards
 *	mic_device.lock		the card's state, its list of devices, the
 *				blocks the host writes in the device page
 *	mic_vdev.copy_lock	the copies of a device, one at a time; held
 *				across faults on the caller's memory, so
 *				nothing else ever waits for it
 *	mic_intr.lock		the doorbell handlers
 *	mic_vdev.lock		the device: its rings, events; held for
 *				bounded work only (a step on a ring, a piece
 *				of a copy), never across the caller's memory
 *	mic_vdev.mem_lock	the ring memory, for mmap (taken with
 *				mmap_lock held: nothing under it touches
 *				user memory)
 * The doorbell handler only queues mic_vdev.db_work, so that a device
 * whose mic_vdev.lock is held (a copy stuck on a page fault) never holds
 * up another device on the same doorbell.
 */
#ifndef MIC_VIRTIO_H
#define MIC_VIRTIO_H

#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "../common/mic_dp.h"
#include "../common/mic_vring.h"
#include "mic_dev.h"

/* Bytes COPY_DESC moves through its bounce buffer at a time. */
#define MIC_VDEV_BOUNCE		16384

/*
 * The most rings a card may have kept from devices gone (they are freed
 * when it is reset) before ADD_DEVICE refuses more (-ENOSPC).
 */
#define MIC_VIRTIO_DEAD_MAX	256

/* How long a removal waits for the card's guest_ack. */
#define MIC_VDEV_REMOVE_MS	10000

/* How often a removal looks at the device page, doorbell or not. */
#define MIC_VDEV_REMOVE_POLL_MS	100

/**
 * struct mic_vdev_ring - the memory of one vring
 * @page: its first page; the pages are split, each with its own count,
 *	so that an mmap of them holds them after the driver let them go
 * @order: 1 << @order pages were allocated
 * @len: bytes mapped for the card: PAGE_ALIGN(vring size + trailer)
 * @dma: the DMA address of the ring
 * @card: the card address of the ring, through the SMPT
 */
struct mic_vdev_ring {
	struct page *page;
	unsigned int order;
	size_t len;
	dma_addr_t dma;
	u64 card;
};

/**
 * struct mic_vdev_mem - the rings of a device
 * @node: in &mic_virtio.dead, once the device let them go but the card
 *	may still write them (freed when a reset completes)
 * @nr: rings allocated in @ring
 * @ring: the rings
 */
struct mic_vdev_mem {
	struct list_head node;
	unsigned int nr;
	struct mic_vdev_ring ring[MIC_MAX_VRINGS];
};

/**
 * struct mic_vdev - one open file of /dev/micN, and its virtio device
 * @mdev: the card; NULL once the card is gone (detached, under
 *	mic_virtio_lock).  While @lock is held, @bound and not @ended, it
 *	is valid without mic_virtio_lock
 * @node: in &mic_virtio.vdevs, from open until the device is freed
 * @lock: serialises the device (ring steps, doorbell work, poll, config)
 * @copy_lock: serialises the copies (COPY_DESC) of the device
 * @mem_lock: protects @mem for mmap
 * @wq: poll(2) and the removal wait here
 * @db_work: the work of a doorbell ring
 * @remove_work: the removal after close()
 * @db: the handler of @c2h_db
 * @c2h_db: the card to host doorbell of the device
 * @db_added: @db is registered (under mic_device.lock)
 * @bound: a device was added (set once)
 * @ended: the device ended: a card reset, or the card went away
 * @removing: close() started the removal; no file any more
 * @kick: the doorbell rang since the removal last looked
 * @events: an event for poll(2): status change, reset, config ack
 * @gen: the card's resets of the device, so that a copy in progress
 *	sees its chain go
 * @blk: the block in the device page
 * @host_features: the features offered, the host's own copy
 * @status: the device status last seen
 * @bounce: the bounce buffer of COPY_DESC
 * @mem: the rings, NULL when not bound or ended
 * @vr: the walker of each ring
 * @logged: a broken ring was logged, until it is reset
 */
struct mic_vdev {
	struct mic_device *mdev;
	struct list_head node;
	struct mutex lock;	/* the device */
	struct mutex copy_lock;	/* the copies */
	struct mutex mem_lock;	/* @mem, for mmap */
	wait_queue_head_t wq;
	struct work_struct db_work;
	struct work_struct remove_work;
	struct mic_db_handler db;
	int c2h_db;
	bool db_added;
	bool bound;
	bool ended;
	bool removing;
	bool kick;
	bool events;
	u32 gen;
	struct mic_dp_block blk;
	u8 host_features[MIC_DP_MAX_FEATURE_LEN];
	u8 status;
	u8 *bounce;
	struct mic_vdev_mem *mem;
	struct mic_vring vr[MIC_MAX_VRINGS];
	bool logged[MIC_MAX_VRINGS];
};

extern struct mutex mic_virtio_lock;

/* mic_virtio.c */
struct mic_vdev *mic_vdev_alloc(struct mic_device *mdev);
void mic_vdev_release(struct mic_vdev *vdev);
long mic_vdev_add(struct mic_vdev *vdev, void __user *arg);
long mic_vdev_copy_desc(struct mic_vdev *vdev, void __user *arg);
long mic_vdev_config_change(struct mic_vdev *vdev, void __user *arg);
__poll_t mic_vdev_poll(struct mic_vdev *vdev);
int mic_vdev_mmap(struct mic_vdev *vdev, struct vm_area_struct *vma);

#endif /* MIC_VIRTIO_H */
