// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 host driver: the virtio devices of a card (ABI.md
 * sections 2, 3 and 5; the handshakes of the virtio protocol notes).  A
 * device is added by MIC_VIRTIO_ADD_DEVICE on an open file of /dev/micN:
 * its rings are allocated in host memory and mapped for the card, its
 * block written into the device page.  The card rings the device's
 * doorbell; COPY_DESC moves data between the rings' buffers, in card
 * memory through the aperture, and the caller's buffers.  close() starts
 * a removal that ends in the background; a card reset ends every device.
 *
 * The card is untrusted: everything read from the device page or the
 * rings is read once and checked (the ring walker does it for the rings).
 */
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/virtio_ids.h>
#include <uapi/linux/virtio_blk.h>

#include <linux/mic_ioctl.h>

#include "mic_virtio.h"

/* The attachment of open files to cards (mic_vdev.mdev), the minors. */
DEFINE_MUTEX(mic_virtio_lock);

static struct device *mic_vdev_dev(struct mic_vdev *vdev)
{
	return vdev->mdev->hw.dev;
}

static struct mic_device_ctrl *mic_vdev_ctrl(struct mic_vdev *vdev)
{
	return mic_dp_ctrl(vdev->mdev->dp, &vdev->blk);
}

/* Wake poll(2) and the removal up. */
static void mic_vdev_wake(struct mic_vdev *vdev)
{
	wake_up_all(&vdev->wq);
}

/* The rings: allocation, mapping for the card, and the reverse. */

static void mic_vdev_ring_free(struct mic_device *mdev,
			       struct mic_vdev_ring *r)
{
	unsigned int i;

	mic_smpt_unmap(mdev, r->card, r->len);
	dma_unmap_single(mdev->hw.dev, r->dma, r->len, DMA_BIDIRECTIONAL);
	/* An mmap of a page keeps its own reference. */
	for (i = 0; i < 1U << r->order; i++)
		__free_page(r->page + i);
}

static void mic_vdev_mem_free(struct mic_device *mdev,
			      struct mic_vdev_mem *mem)
{
	while (mem->nr)
		mic_vdev_ring_free(mdev, &mem->ring[--mem->nr]);
	kfree(mem);
}

static int mic_vdev_ring_alloc(struct mic_device *mdev,
			       struct mic_vdev_ring *r, unsigned int num)
{
	struct device *dev = mdev->hw.dev;
	unsigned int i;
	int ret;

	r->len = mic_vring_map_size(num);
	r->order = get_order(r->len);
	r->page = alloc_pages(GFP_KERNEL | __GFP_ZERO, r->order);
	if (!r->page)
		return -ENOMEM;
	split_page(r->page, r->order);
	r->dma = dma_map_single(dev, page_address(r->page), r->len,
				DMA_BIDIRECTIONAL);
	ret = dma_mapping_error(dev, r->dma);
	if (ret)
		goto err_free;
	ret = mic_smpt_map(mdev, r->dma, r->len, &r->card);
	if (ret)
		goto err_unmap;
	return 0;

err_unmap:
	dma_unmap_single(dev, r->dma, r->len, DMA_BIDIRECTIONAL);
err_free:
	for (i = 0; i < 1U << r->order; i++)
		__free_page(r->page + i);
	return ret;
}

/*
 * Allocate the rings of the block @blk (checked) and set up the walkers;
 * the card addresses go into the block's vqconfigs.  The device is not
 * bound yet: nothing else looks at the walkers.
 */
static struct mic_vdev_mem *mic_vdev_rings_alloc(struct mic_vdev *vdev,
						 u8 *blk,
						 const struct mic_dp_block *b)
{
	struct mic_device *mdev = vdev->mdev;
	struct mic_vqconfig *vq = mic_dp_vqconfig(blk, b);
	struct mic_vdev_mem *mem;
	struct mic_vdev_ring *r;
	unsigned int num;
	int ret;

	mem = kzalloc(sizeof(*mem), GFP_KERNEL);
	if (!mem)
		return ERR_PTR(-ENOMEM);
	for (mem->nr = 0; mem->nr < b->num_vq; mem->nr++) {
		r = &mem->ring[mem->nr];
		num = le16_to_cpu(vq[mem->nr].num);
		ret = mic_vdev_ring_alloc(mdev, r, num);
		if (ret)
			goto err_free;
		ret = mic_vring_init(&vdev->vr[mem->nr], page_address(r->page),
				     num, mdev->hw.aper.len);
		if (ret) {
			mic_vdev_ring_free(mdev, r);
			goto err_free;
		}
		mic_vring_format(&vdev->vr[mem->nr],
				 MIC_VRING_MAGIC(b->type, mem->nr));
		vq[mem->nr].address = cpu_to_le64(r->card);
		vq[mem->nr].used_address = 0;
		vdev->logged[mem->nr] = false;
	}
	return mem;

err_free:
	mic_vdev_mem_free(mdev, mem);
	return ERR_PTR(ret);
}

/*
 * Let the rings go.  @stopped: the card is stopped, or no longer uses
 * the device, and they are freed; else they wait in the card's list of
 * dead rings for the next reset.  Called with mic_device.lock held,
 * mic_vdev.lock not held.
 */
static void mic_vdev_put_mem(struct mic_vdev *vdev, bool stopped)
{
	struct mic_device *mdev = vdev->mdev;
	struct mic_vdev_mem *mem;

	mutex_lock(&vdev->lock);
	mutex_lock(&vdev->mem_lock);
	mem = vdev->mem;
	vdev->mem = NULL;
	mutex_unlock(&vdev->mem_lock);
	mutex_unlock(&vdev->lock);
	if (!mem)
		return;
	if (stopped)
		mic_vdev_mem_free(mdev, mem);
	else
		list_add_tail(&mem->node, &mdev->virtio.dead);
}

/* The doorbell: the handler only queues the work. */

static void mic_vdev_db(void *data)
{
	struct mic_vdev *vdev = data;

	WRITE_ONCE(vdev->kick, true);
	queue_work(vdev->mdev->virtio.wq, &vdev->db_work);
	mic_vdev_wake(vdev);
}

/* Stop listening to the doorbell; mic_device.lock held. */
static void mic_vdev_db_del(struct mic_vdev *vdev)
{
	if (!vdev->db_added)
		return;
	mic_db_del(vdev->mdev, vdev->c2h_db, &vdev->db);
	vdev->db_added = false;
}

static void mic_vdev_ring_card(struct mic_vdev *vdev)
{
	mic_send_h2c_db(vdev->mdev, READ_ONCE(mic_vdev_ctrl(vdev)->h2c_vdev_db));
}

/* The features both sides agreed on, for the walkers. */
static void mic_vdev_features(struct mic_vdev *vdev)
{
	u8 *guest = mic_dp_guest_features(vdev->mdev->dp, &vdev->blk);
	unsigned int i, n = min_t(unsigned int, vdev->blk.feature_len, 8);
	u64 features = 0;

	for (i = 0; i < n; i++)
		features |= (u64)(READ_ONCE(guest[i]) &
				  vdev->host_features[i]) << (8 * i);
	for (i = 0; i < vdev->blk.num_vq; i++)
		mic_vring_set_features(&vdev->vr[i], features);
}

/* The card's device reset (virtio_config_ops.reset): the host's half. */
static bool mic_vdev_reset_handshake(struct mic_vdev *vdev)
{
	struct mic_device_ctrl *ctrl = mic_vdev_ctrl(vdev);
	unsigned int i;

	if (READ_ONCE(ctrl->vdev_reset) != 1 || READ_ONCE(ctrl->host_ack))
		return false;
	for (i = 0; i < vdev->blk.num_vq; i++) {
		mic_vring_reset(&vdev->vr[i]);
		vdev->logged[i] = false;
	}
	vdev->gen++;	/* a copy in progress drops its chain */
	/* The rings start again before the card is told so. */
	wmb();
	WRITE_ONCE(ctrl->host_ack, 1);
	wmb();	/* the acknowledgment before the doorbell */
	mic_vdev_ring_card(vdev);
	return true;
}

/* The card's acknowledgment of a config change. */
static bool mic_vdev_config_acked(struct mic_vdev *vdev)
{
	struct mic_device_ctrl *ctrl = mic_vdev_ctrl(vdev);

	if (READ_ONCE(ctrl->config_change) != MIC_VIRTIO_PARAM_CONFIG_CHANGED ||
	    READ_ONCE(ctrl->guest_ack) != 1)
		return false;
	WRITE_ONCE(ctrl->config_change, 0);
	WRITE_ONCE(ctrl->guest_ack, 0);
	return true;
}

static void mic_vdev_db_work(struct work_struct *work)
{
	struct mic_vdev *vdev = container_of(work, struct mic_vdev, db_work);
	struct mic_device_desc *desc;
	bool event = false;
	u8 status;

	mutex_lock(&vdev->lock);
	if (!vdev->bound || vdev->ended) {
		mutex_unlock(&vdev->lock);
		return;
	}
	desc = vdev->mdev->dp + vdev->blk.off;
	status = READ_ONCE(desc->status);
	if (status != vdev->status) {
		vdev->status = status;
		event = true;
	}
	rmb();	/* the status before the handshakes it may announce */
	if (mic_vdev_reset_handshake(vdev))
		event = true;
	if (!vdev->removing && mic_vdev_config_acked(vdev))
		event = true;
	mic_vdev_features(vdev);
	if (event)
		vdev->events = true;
	mutex_unlock(&vdev->lock);
	mic_vdev_wake(vdev);
}

/* Open and close. */

/**
 * mic_vdev_alloc() - a new open file of /dev/micN, without a device
 * @mdev: the card, under mic_virtio_lock
 *
 * Return: the file's state, or NULL.
 */
struct mic_vdev *mic_vdev_alloc(struct mic_device *mdev)
{
	struct mic_vdev *vdev;

	lockdep_assert_held(&mic_virtio_lock);
	vdev = kzalloc(sizeof(*vdev), GFP_KERNEL);
	if (!vdev)
		return NULL;
	vdev->mdev = mdev;
	mutex_init(&vdev->lock);
	mutex_init(&vdev->copy_lock);
	mutex_init(&vdev->mem_lock);
	init_waitqueue_head(&vdev->wq);
	INIT_WORK(&vdev->db_work, mic_vdev_db_work);
	vdev->db.fn = mic_vdev_db;
	vdev->db.data = vdev;
	mutex_lock(&mdev->lock);
	list_add_tail(&vdev->node, &mdev->virtio.vdevs);
	mutex_unlock(&mdev->lock);
	return vdev;
}

/* Free a device that no doorbell, file or removal refers to any more. */
static void mic_vdev_free(struct mic_vdev *vdev)
{
	cancel_work_sync(&vdev->db_work);
	kfree(vdev->bounce);
	mutex_destroy(&vdev->mem_lock);
	mutex_destroy(&vdev->copy_lock);
	mutex_destroy(&vdev->lock);
	kfree(vdev);
}

/*
 * End a removal, or a file without a device: mark the slot removed and
 * let the rings go, unless a reset did it already; forget the device.
 * Under mic_virtio_lock and mic_device.lock.
 */
static void mic_vdev_unlink(struct mic_vdev *vdev)
{
	struct mic_device *mdev = vdev->mdev;

	mic_vdev_db_del(vdev);
	if (vdev->bound && !vdev->ended) {
		mutex_lock(&vdev->lock);
		vdev->ended = true;
		mic_dp_remove(mdev->dp, &vdev->blk);
		mutex_unlock(&vdev->lock);
		/*
		 * Whatever the card answered, it may still write the rings
		 * while it runs: they are freed once it is stopped (ready),
		 * else when the next reset completes.
		 */
		mic_vdev_put_mem(vdev, mdev->state == MIC_READY);
	}
	list_del(&vdev->node);
}

/*
 * Return the chain in progress of a device being removed.  A console gets
 * its buffer back empty; a block request fails: VIRTIO_BLK_S_IOERR in the
 * status byte, the last byte of its last writable buffer (the walker
 * checked that it lies in the card window).
 */
static int mic_vdev_remove_chain(struct mic_vdev *vdev, struct mic_vring *vr)
{
	const struct mic_vring_chain *c = mic_vring_get_chain(vr);
	const struct mic_vring_buf *b = &c->buf[c->ndesc - 1];
	u8 __iomem *status;

	if (vdev->blk.type != VIRTIO_ID_BLOCK || !b->write || !b->len)
		return mic_vring_complete(vr, 0);
	status = vdev->mdev->hw.aper.va + b->addr + b->len - 1;
	iowrite8(VIRTIO_BLK_S_IOERR, status);
	return mic_vring_complete(vr, 1);
}

/*
 * Whether the removal wait is over.  Meanwhile the host completes what
 * the card posts to a console (Linux's virtio_console spins until its
 * buffer comes back) and fails what it posts to a block device (Linux's
 * virtio_blk waits for every request in flight before it lets the
 * device go); for other types the card's transport breaks the
 * virtqueues.
 */
static bool mic_vdev_remove_step(struct mic_vdev *vdev)
{
	struct mic_device_ctrl *ctrl;
	bool done, notify;
	unsigned int i, n;

	mutex_lock(&vdev->lock);
	WRITE_ONCE(vdev->kick, false);
	if (vdev->ended) {
		mutex_unlock(&vdev->lock);
		return true;
	}
	ctrl = mic_vdev_ctrl(vdev);
	for (i = 0; (vdev->blk.type == VIRTIO_ID_CONSOLE ||
		     vdev->blk.type == VIRTIO_ID_BLOCK) &&
	     i < vdev->blk.num_vq; i++) {
		/*
		 * At most a ring's worth of chains a step: a card that posts
		 * the same chain again as fast as it comes back must not keep
		 * the lock a reset takes.
		 */
		notify = false;
		for (n = 0; n < vdev->vr[i].num &&
		     mic_vring_next_chain(&vdev->vr[i]) == 1 &&
		     !mic_vdev_remove_chain(vdev, &vdev->vr[i]); n++)
			notify = true;
		if (notify && mic_vring_need_notify(&vdev->vr[i]))
			mic_vdev_ring_card(vdev);
	}
	done = READ_ONCE(ctrl->guest_ack) == 1;
	mutex_unlock(&vdev->lock);
	return done;
}

static void mic_vdev_remove_work(struct work_struct *work)
{
	struct mic_vdev *vdev = container_of(work, struct mic_vdev,
					     remove_work);
	unsigned long end = jiffies + msecs_to_jiffies(MIC_VDEV_REMOVE_MS);
	struct mic_device *mdev;
	bool done;

	while (!(done = mic_vdev_remove_step(vdev)) &&
	       time_before(jiffies, end)) {
		wait_event_timeout(vdev->wq, READ_ONCE(vdev->kick) ||
				   READ_ONCE(vdev->ended),
				   msecs_to_jiffies(MIC_VDEV_REMOVE_POLL_MS));
		cond_resched();
	}
	mutex_lock(&mic_virtio_lock);
	mdev = vdev->mdev;
	if (mdev) {
		mutex_lock(&mdev->lock);
		if (!done)
			dev_warn(mdev->hw.dev,
				 "%s: virtio type %d: the card did not acknowledge the removal in %u s\n",
				 mdev->name, vdev->blk.type,
				 MIC_VDEV_REMOVE_MS / 1000);
		mic_vdev_unlink(vdev);
		mutex_unlock(&mdev->lock);
	}
	mutex_unlock(&mic_virtio_lock);
	mic_vdev_free(vdev);
}

/*
 * Ask the card to remove the device; mic_device.lock held.  Return: true
 * if the removal goes on in the background, false if the card cannot
 * have seen the device (it did not publish its config doorbell yet).
 */
static bool mic_vdev_remove_start(struct mic_vdev *vdev)
{
	struct mic_device *mdev = vdev->mdev;
	struct mic_bootparam *bp = mdev->dp;
	struct mic_device_ctrl *ctrl;
	bool started;

	if (mdev->state != MIC_BOOTING && mdev->state != MIC_ONLINE &&
	    mdev->state != MIC_SHUTTING_DOWN)
		return false;
	mutex_lock(&vdev->lock);
	ctrl = mic_vdev_ctrl(vdev);
	vdev->removing = true;
	WRITE_ONCE(ctrl->guest_ack, 0);
	WRITE_ONCE(ctrl->config_change, MIC_VIRTIO_PARAM_DEV_REMOVE);
	/* The request before the doorbell that announces it. */
	wmb();
	started = !mic_send_h2c_db(mdev, READ_ONCE(bp->h2c_config_db));
	mutex_unlock(&vdev->lock);
	if (started) {
		INIT_WORK(&vdev->remove_work, mic_vdev_remove_work);
		queue_work(mdev->virtio.wq, &vdev->remove_work);
	}
	return started;
}

/**
 * mic_vdev_release() - the last close of a file of /dev/micN
 * @vdev: the file's state
 *
 * A device the card may know of is removed in the background (ABI.md
 * section 2): @vdev then belongs to the removal work.  Anything else is
 * freed at once.  Never waits for the card.
 */
void mic_vdev_release(struct mic_vdev *vdev)
{
	struct mic_device *mdev;
	bool background = false;

	mutex_lock(&mic_virtio_lock);
	mdev = vdev->mdev;
	if (mdev) {
		mutex_lock(&mdev->lock);
		if (vdev->bound && !vdev->ended)
			background = mic_vdev_remove_start(vdev);
		if (!background)
			mic_vdev_unlink(vdev);
		mutex_unlock(&mdev->lock);
	}
	mutex_unlock(&mic_virtio_lock);
	if (!background)
		mic_vdev_free(vdev);
}

/* MIC_VIRTIO_ADD_DEVICE */

/* Copy the block from the caller and check it (ABI.md section 2). */
static u8 *mic_vdev_get_block(void __user *arg, struct mic_dp_block *b)
{
	struct mic_device_desc hdr;
	u8 *blk;
	int ret;

	if (copy_from_user(&hdr, arg, sizeof(hdr)))
		return ERR_PTR(-EFAULT);
	mic_dp_read_header(b, &hdr, 0);
	ret = mic_dp_check_header(b);
	if (ret)
		return ERR_PTR(ret);
	blk = kzalloc(b->size, GFP_KERNEL);
	if (!blk)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(blk, arg, b->desc_size)) {
		kfree(blk);
		return ERR_PTR(-EFAULT);
	}
	/* The header again, as checked, whatever the caller changed. */
	memcpy(blk, &hdr, sizeof(hdr));
	ret = mic_dp_check_rings(blk, b);
	if (ret) {
		kfree(blk);
		return ERR_PTR(ret);
	}
	return blk;
}

/* The rings kept until the card is stopped; mic_device.lock held. */
static unsigned int mic_virtio_dead(struct mic_device *mdev)
{
	struct mic_vdev_mem *mem;
	unsigned int n = 0;

	list_for_each_entry(mem, &mdev->virtio.dead, node)
		n += mem->nr;
	return n;
}

/* The state of the card and of the file allow an ADD_DEVICE. */
static int mic_vdev_can_add(struct mic_vdev *vdev,
			    const struct mic_dp_block *b)
{
	struct mic_device *mdev = vdev->mdev;

	if (vdev->bound)
		return -EBUSY;
	/* A card that makes its devices go again and again: reset it. */
	if (mic_virtio_dead(mdev) >= MIC_VIRTIO_DEAD_MAX)
		return -ENOSPC;
	switch (mdev->state) {
	case MIC_READY:
	case MIC_BOOTING:
	case MIC_ONLINE:
		break;
	default:
		return -EBUSY;
	}
	if (mic_dp_find_room(mdev->dp, b->size) < 0)
		return -ENOSPC;
	return 0;
}

/* Fill in what the host writes, put the block into the page. */
static int mic_vdev_publish(struct mic_vdev *vdev, u8 *blk,
			    const struct mic_dp_block *b,
			    struct mic_vdev_mem *mem)
{
	struct mic_device *mdev = vdev->mdev;
	struct mic_device_ctrl *ctrl = mic_dp_ctrl(blk, b);
	int off;

	((struct mic_device_desc *)blk)->status = 0;
	memset(mic_dp_guest_features(blk, b), 0, b->feature_len);
	memcpy(vdev->host_features, mic_dp_host_features(blk, b),
	       b->feature_len);
	memset(ctrl, 0, sizeof(*ctrl));
	ctrl->c2h_vdev_db = vdev->c2h_db;
	ctrl->h2c_vdev_db = -1;
	mutex_lock(&vdev->lock);
	mutex_lock(&vdev->mem_lock);
	off = mic_dp_add(mdev->dp, blk, &vdev->blk);
	if (off >= 0) {
		vdev->mem = mem;
		vdev->status = 0;
		vdev->bound = true;
	}
	mutex_unlock(&vdev->mem_lock);
	mutex_unlock(&vdev->lock);
	return off < 0 ? off : 0;
}

/* ADD_DEVICE with mic_virtio_lock and mic_device.lock held. */
static int mic_vdev_add_locked(struct mic_vdev *vdev, u8 *blk,
			       const struct mic_dp_block *b)
{
	struct mic_device *mdev = vdev->mdev;
	struct mic_vdev_mem *mem;
	int ret;

	ret = mic_vdev_can_add(vdev, b);
	if (ret)
		return ret;
	if (!vdev->bounce) {
		vdev->bounce = kmalloc(MIC_VDEV_BOUNCE, GFP_KERNEL);
		if (!vdev->bounce)
			return -ENOMEM;
	}
	mem = mic_vdev_rings_alloc(vdev, blk, b);
	if (IS_ERR(mem))
		return PTR_ERR(mem);
	/* Doorbell 0 is the card's state; the others go round. */
	vdev->c2h_db = 1 + mdev->virtio.next_db++ % (MIC_C2H_DBS - 1);
	mic_db_add(mdev, vdev->c2h_db, &vdev->db);
	vdev->db_added = true;
	ret = mic_vdev_publish(vdev, blk, b, mem);
	if (ret) {
		mic_vdev_db_del(vdev);
		mic_vdev_mem_free(mdev, mem);
		return ret;
	}
	/* A card that published its config doorbell scans the page on it. */
	if (mdev->state != MIC_READY)
		mic_send_h2c_db(mdev, READ_ONCE(((struct mic_bootparam *)
						 mdev->dp)->h2c_config_db));
	return 0;
}

/**
 * mic_vdev_add() - MIC_VIRTIO_ADD_DEVICE
 * @vdev: the file's state
 * @arg: the caller's descriptor block: header, vqconfigs, features,
 *	config
 *
 * Return: 0; -EFAULT, -EINVAL, -EBUSY, -ENOSPC as mic(4) lists them;
 * -ENODEV if the card is gone; -ENOMEM.
 */
long mic_vdev_add(struct mic_vdev *vdev, void __user *arg)
{
	struct mic_device *mdev;
	struct mic_dp_block b;
	u8 *blk;
	int ret;

	blk = mic_vdev_get_block(arg, &b);
	if (IS_ERR(blk))
		return PTR_ERR(blk);
	mutex_lock(&mic_virtio_lock);
	mdev = vdev->mdev;
	if (mdev) {
		mutex_lock(&mdev->lock);
		ret = mic_vdev_add_locked(vdev, blk, &b);
		mutex_unlock(&mdev->lock);
	} else {
		ret = -ENODEV;
	}
	mutex_unlock(&mic_virtio_lock);
	kfree(blk);
	return ret;
}

/* MIC_VIRTIO_COPY_DESC */

/*
 * A copy holds mic_vdev.copy_lock from start to end, and mic_vdev.lock
 * only for a step on the ring or a piece of at most MIC_VDEV_BOUNCE bytes
 * between the bounce buffer and card memory.  The caller's memory is
 * touched with no lock a reset, a removal or an unbind takes: a fault
 * that never resolves stops the copy, not the card's reset.  Between
 * pieces the copy looks again: the device ended (-ENODEV), or the card
 * reset the device (the chain is gone; the copy ends with what moved).
 */

/**
 * struct mic_uio - where a copy is in the caller's buffers
 * @iov: the caller's iovecs, copied in
 * @cnt: how many
 * @cur: the iovec the next byte goes to or comes from
 * @off: bytes of @iov[@cur] done
 */
struct mic_uio {
	struct iovec *iov;
	unsigned int cnt;
	unsigned int cur;
	size_t off;
};

/* The part of the current iovec not yet done, 0 at the end. */
static size_t mic_uio_room(struct mic_uio *u, void __user **p)
{
	while (u->cur < u->cnt && u->off == u->iov[u->cur].iov_len) {
		u->cur++;
		u->off = 0;
	}
	if (u->cur == u->cnt)
		return 0;
	*p = u->iov[u->cur].iov_base + u->off;
	return u->iov[u->cur].iov_len - u->off;
}

/*
 * Take mic_vdev.lock for the next step of a copy started at reset
 * generation @gen.  Return: 0 with the lock held; -ENODEV if the device
 * ended, 1 if the card reset the device, without the lock.
 */
static int mic_vdev_copy_lock(struct mic_vdev *vdev, u32 gen)
{
	int ret = 0;

	mutex_lock(&vdev->lock);
	if (vdev->ended)
		ret = -ENODEV;
	else if (vdev->gen != gen)
		ret = 1;
	if (ret)
		mutex_unlock(&vdev->lock);
	return ret;
}

/*
 * Move one piece of the chain in progress on @vr between the caller and
 * card memory: *@n bytes, 0 once the chain or the caller's buffers are
 * done.  Return as mic_vdev_copy_lock(), or -EFAULT.
 */
static int mic_vdev_copy_one(struct mic_vdev *vdev, struct mic_vring *vr,
			     u32 gen, struct mic_uio *u, u32 *n)
{
	struct mic_vring_buf b = {};
	void __iomem *card = NULL;
	void __user *p = NULL;
	size_t len = 0;
	int ret;

	*n = 0;
	ret = mic_vdev_copy_lock(vdev, gen);
	if (ret)
		return ret;
	if (mic_vring_cur(vr, &b)) {
		len = min3(mic_uio_room(u, &p), (size_t)b.len,
			   (size_t)MIC_VDEV_BOUNCE);
		card = vdev->mdev->hw.aper.va + b.addr;
	}
	if (len && !b.write)
		memcpy_fromio(vdev->bounce, card, len);
	mutex_unlock(&vdev->lock);
	if (!len)
		return 0;
	if (b.write ? copy_from_user(vdev->bounce, p, len) :
	    copy_to_user(p, vdev->bounce, len))
		return -EFAULT;
	/* The same buffer as long as the generation is the same. */
	ret = mic_vdev_copy_lock(vdev, gen);
	if (ret)
		return ret;
	if (b.write)
		memcpy_toio(card, vdev->bounce, len);
	mic_vring_advance(vr, len);
	mutex_unlock(&vdev->lock);
	u->off += len;
	*n = len;
	return 0;
}

/* Copy as far as the chain in progress and the caller's buffers go. */
static int mic_vdev_copy_chain(struct mic_vdev *vdev, struct mic_vring *vr,
			       u32 gen, struct mic_uio *u, u32 *copied)
{
	u32 n;
	int ret;

	for (;;) {
		ret = mic_vdev_copy_one(vdev, vr, gen, u, &n);
		if (ret || !n)
			return ret;
		*copied += n;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
}

static void mic_vdev_log_broken(struct mic_vdev *vdev, unsigned int i)
{
	struct mic_device *mdev = vdev->mdev;

	if (vdev->logged[i])
		return;
	vdev->logged[i] = true;
	dev_warn_ratelimited(mic_vdev_dev(vdev),
			     "%s: virtio type %d: ring %u broken: %s\n",
			     mdev->name, vdev->blk.type, i,
			     mic_vring_strerror(mic_vring_error(&vdev->vr[i])));
}

/* The chain to copy on ring @i: 1 and its generation, 0 for none. */
static int mic_vdev_copy_start(struct mic_vdev *vdev, unsigned int i,
			       u32 *gen)
{
	int ret;

	mutex_lock(&vdev->lock);
	if (vdev->ended) {
		ret = -ENODEV;
	} else {
		vdev->events = false;
		ret = mic_vring_next_chain(&vdev->vr[i]);
		if (ret < 0)
			mic_vdev_log_broken(vdev, i);
		*gen = vdev->gen;
	}
	mutex_unlock(&vdev->lock);
	return ret;
}

/* Give the chain back to the card, if it is done. */
static int mic_vdev_copy_end(struct mic_vdev *vdev, struct mic_vring *vr,
			     u32 gen, u32 copied)
{
	struct mic_vring_buf b;
	int ret;

	ret = mic_vdev_copy_lock(vdev, gen);
	if (ret)
		return ret < 0 ? ret : 0;
	/* Something moved, or nothing is left to move: done. */
	if (copied || !mic_vring_cur(vr, &b)) {
		ret = mic_vring_complete(vr, mic_vring_get_chain(vr)->written);
		if (!ret && mic_vring_need_notify(vr))
			mic_vdev_ring_card(vdev);
	}
	mutex_unlock(&vdev->lock);
	return ret;
}

/* COPY_DESC on ring @i, mic_vdev.copy_lock held. */
static int mic_vdev_copy(struct mic_vdev *vdev, unsigned int i,
			 struct mic_uio *u, bool update_used, u32 *copied)
{
	struct mic_vring *vr = &vdev->vr[i];
	u32 gen;
	int ret;

	ret = mic_vdev_copy_start(vdev, i, &gen);
	if (ret <= 0)
		return ret;
	ret = mic_vdev_copy_chain(vdev, vr, gen, u, copied);
	if (ret)
		return ret < 0 ? ret : 0;
	return update_used ? mic_vdev_copy_end(vdev, vr, gen, *copied) : 0;
}

/* The caller's iovecs, checked and copied in. */
static int mic_vdev_get_iov(const struct mic_copy_desc *cd, struct mic_uio *u)
{
	memset(u, 0, sizeof(*u));
	if (cd->iovcnt > UIO_MAXIOV)
		return -EINVAL;
	if (!cd->iovcnt)
		return 0;
	u->iov = memdup_user(cd->iov, cd->iovcnt * sizeof(*u->iov));
	if (IS_ERR(u->iov)) {
		int ret = PTR_ERR(u->iov);

		u->iov = NULL;
		return ret;
	}
	u->cnt = cd->iovcnt;
	return 0;
}

/* The device and the ring allow a COPY_DESC. */
static int mic_vdev_can_copy(struct mic_vdev *vdev,
			     const struct mic_copy_desc *cd)
{
	int ret = 0;

	mutex_lock(&vdev->lock);
	if (!vdev->bound)
		ret = -EINVAL;
	else if (vdev->ended)
		ret = -ENODEV;
	else if (cd->vr_idx >= vdev->blk.num_vq)
		ret = -EINVAL;
	mutex_unlock(&vdev->lock);
	return ret;
}

/**
 * mic_vdev_copy_desc() - MIC_VIRTIO_COPY_DESC
 * @vdev: the file's state
 * @arg: the caller's &struct mic_copy_desc; out_len is written back
 *
 * Return: 0; -EFAULT; -EINVAL without a device, for a ring out of range
 * or too many iovecs; -ENODEV once the device ended; -EIO for a broken
 * ring; -EINTR on a fatal signal.
 */
long mic_vdev_copy_desc(struct mic_vdev *vdev, void __user *arg)
{
	struct mic_copy_desc __user *ucd = arg;
	struct mic_copy_desc cd;
	struct mic_uio u;
	u32 copied = 0;
	int ret;

	if (copy_from_user(&cd, ucd, sizeof(cd)))
		return -EFAULT;
	ret = mic_vdev_can_copy(vdev, &cd);
	if (!ret)
		ret = mic_vdev_get_iov(&cd, &u);
	if (ret)
		return ret;
	if (mutex_lock_killable(&vdev->copy_lock)) {
		kfree(u.iov);
		return -EINTR;
	}
	ret = mic_vdev_copy(vdev, cd.vr_idx, &u, cd.update_used, &copied);
	mutex_unlock(&vdev->copy_lock);
	kfree(u.iov);
	if (put_user(copied, &ucd->out_len))
		return -EFAULT;
	return ret;
}

/* MIC_VIRTIO_CONFIG_CHANGE */

/* The change, mic_vdev.lock held, the device bound and not ended. */
static int mic_vdev_config_locked(struct mic_vdev *vdev, const u8 *config)
{
	struct mic_device *mdev = vdev->mdev;
	struct mic_bootparam *bp = mdev->dp;
	struct mic_device_ctrl *ctrl = mic_vdev_ctrl(vdev);
	s8 db = READ_ONCE(bp->h2c_config_db);

	if (READ_ONCE(mdev->state) != MIC_ONLINE || db < 0 ||
	    db >= MIC_H2C_DBS)
		return -EIO;
	/* An acknowledgment the doorbell work has not seen yet counts. */
	if (READ_ONCE(ctrl->config_change) && !mic_vdev_config_acked(vdev))
		return -EBUSY;
	memcpy(mic_dp_config(mdev->dp, &vdev->blk), config,
	       vdev->blk.config_len);
	wmb();	/* the config before the flag that announces it */
	WRITE_ONCE(ctrl->guest_ack, 0);
	WRITE_ONCE(ctrl->config_change, MIC_VIRTIO_PARAM_CONFIG_CHANGED);
	wmb();	/* the flag before the doorbell */
	return mic_send_h2c_db(mdev, db);
}

/**
 * mic_vdev_config_change() - MIC_VIRTIO_CONFIG_CHANGE
 * @vdev: the file's state
 * @arg: config_len bytes of new config space
 *
 * Return: 0, without waiting for the card; -EINVAL without a device;
 * -EFAULT; -ENODEV once the device ended; -EBUSY while the previous
 * change is not acknowledged; -EIO if the card is not online.
 */
long mic_vdev_config_change(struct mic_vdev *vdev, void __user *arg)
{
	u8 config[U8_MAX];
	u8 len;
	int ret;

	mutex_lock(&vdev->lock);
	ret = vdev->bound ? 0 : -EINVAL;
	len = vdev->blk.config_len;
	mutex_unlock(&vdev->lock);
	if (ret)
		return ret;
	if (copy_from_user(config, arg, len))
		return -EFAULT;
	mutex_lock(&vdev->lock);
	if (vdev->ended)
		ret = -ENODEV;
	else
		ret = mic_vdev_config_locked(vdev, config);
	mutex_unlock(&vdev->lock);
	return ret;
}

/* poll(2) and mmap(2) */

/**
 * mic_vdev_poll() - the level of a device, for poll(2)
 * @vdev: the file's state
 *
 * Return: EPOLLERR | EPOLLHUP without a device or once it ended;
 * EPOLLIN | EPOLLRDNORM while a ring has a chain available and none in
 * progress, a ring is broken, or an event is pending; else 0.
 */
__poll_t mic_vdev_poll(struct mic_vdev *vdev)
{
	__poll_t mask = 0;
	unsigned int i;

	mutex_lock(&vdev->lock);
	if (!vdev->bound || vdev->ended) {
		mask = EPOLLERR | EPOLLHUP;
		goto out;
	}
	if (vdev->events)
		mask = EPOLLIN | EPOLLRDNORM;
	for (i = 0; !mask && i < vdev->blk.num_vq; i++) {
		struct mic_vring *vr = &vdev->vr[i];

		/* A chain in progress is the caller's to finish. */
		if (mic_vring_error(vr) != MIC_VRING_OK ||
		    (!mic_vring_get_chain(vr) && mic_vring_pending(vr)))
			mask = EPOLLIN | EPOLLRDNORM;
	}
out:
	mutex_unlock(&vdev->lock);
	return mask;
}

/* Page @pgoff of the mapping: the device page, then the rings. */
static struct page *mic_vdev_page(struct mic_vdev *vdev, unsigned long pgoff)
{
	struct mic_vdev_ring *r;
	unsigned int i, n;

	if (pgoff == 0)
		return virt_to_page(vdev->mdev->dp);
	pgoff--;
	for (i = 0; i < vdev->mem->nr; i++) {
		r = &vdev->mem->ring[i];
		n = r->len >> PAGE_SHIFT;
		if (pgoff < n)
			return r->page + pgoff;
		pgoff -= n;
	}
	return NULL;
}

/**
 * mic_vdev_mmap() - map the device page and the rings, read-only
 * @vdev: the file's state
 * @vma: the mapping, not writable
 *
 * Each page keeps a reference of its own: a ring freed by a reset stays
 * readable until it is unmapped.
 *
 * Return: 0; -EINVAL without a device or beyond the last ring; -ENODEV
 * once the device ended; an error of vm_insert_page().
 */
int mic_vdev_mmap(struct mic_vdev *vdev, struct vm_area_struct *vma)
{
	unsigned long n = vma_pages(vma), i;
	struct page *page;
	int ret = 0;

	mutex_lock(&vdev->mem_lock);
	if (!vdev->bound)
		ret = -EINVAL;
	else if (!vdev->mem)
		ret = -ENODEV;
	for (i = 0; !ret && i < n; i++) {
		page = mic_vdev_page(vdev, vma->vm_pgoff + i);
		if (!page)
			ret = -EINVAL;
		else
			ret = vm_insert_page(vma, vma->vm_start +
					     i * PAGE_SIZE, page);
	}
	mutex_unlock(&vdev->mem_lock);
	return ret;
}

/* The card's side: resets and removal. */

/**
 * mic_virtio_end() - end every device of a card: a reset started
 * @mdev: the card, its lock held
 *
 * Files get POLLERR, their ioctls -ENODEV; the rings wait in the list of
 * dead rings until mic_virtio_reset_done().  A removal in progress ends
 * too.
 */
void mic_virtio_end(struct mic_device *mdev)
{
	struct mic_vdev *vdev;

	lockdep_assert_held(&mdev->lock);
	list_for_each_entry(vdev, &mdev->virtio.vdevs, node) {
		if (!vdev->bound || vdev->ended)
			continue;
		mic_vdev_db_del(vdev);
		mutex_lock(&vdev->lock);
		vdev->ended = true;
		mutex_unlock(&vdev->lock);
		mic_vdev_put_mem(vdev, false);
		mic_vdev_wake(vdev);
	}
}

/**
 * mic_virtio_reset_done() - a reset completed: the card is stopped
 * @mdev: the card, its lock held
 *
 * The rings the card might still have written are freed.
 */
void mic_virtio_reset_done(struct mic_device *mdev)
{
	struct mic_vdev_mem *mem, *tmp;

	lockdep_assert_held(&mdev->lock);
	list_for_each_entry_safe(mem, tmp, &mdev->virtio.dead, node) {
		list_del(&mem->node);
		mic_vdev_mem_free(mdev, mem);
	}
}

/**
 * mic_virtio_rings() - count the rings of a card, for debugfs
 * @mdev: the card, its lock held
 * @live: the rings of the devices
 * @dead: the rings let go but kept until the card is stopped
 */
void mic_virtio_rings(struct mic_device *mdev, unsigned int *live,
		      unsigned int *dead)
{
	struct mic_vdev *vdev;
	unsigned int n = 0;

	lockdep_assert_held(&mdev->lock);
	list_for_each_entry(vdev, &mdev->virtio.vdevs, node) {
		mutex_lock(&vdev->mem_lock);
		if (vdev->mem)
			n += vdev->mem->nr;
		mutex_unlock(&vdev->mem_lock);
	}
	*live = n;
	*dead = mic_virtio_dead(mdev);
}

/**
 * mic_virtio_init() - set up the virtio devices of a card
 * @mdev: the card
 *
 * Return: 0 or -ENOMEM.
 */
int mic_virtio_init(struct mic_device *mdev)
{
	INIT_LIST_HEAD(&mdev->virtio.vdevs);
	INIT_LIST_HEAD(&mdev->virtio.dead);
	mdev->virtio.wq = alloc_workqueue("%s_virtio", 0, 0, mdev->name);
	return mdev->virtio.wq ? 0 : -ENOMEM;
}

/**
 * mic_virtio_uninit() - the card goes away: detach every file
 * @mdev: the card, reset (or given up on: &mic_device.dp_leaked), its
 *	character device gone
 *
 * Files that stay open see their device ended (-ENODEV, POLLERR); the
 * removals in progress end, and are waited for.  The rings are freed,
 * unless the card may still write them.
 */
void mic_virtio_uninit(struct mic_device *mdev)
{
	struct mic_vdev *vdev, *tmp;
	struct mic_vdev_mem *mem;

	mutex_lock(&mic_virtio_lock);
	mutex_lock(&mdev->lock);
	mic_virtio_end(mdev);
	list_for_each_entry_safe(vdev, tmp, &mdev->virtio.vdevs, node) {
		list_del(&vdev->node);
		vdev->mdev = NULL;
	}
	if (mdev->dp_leaked) {
		list_for_each_entry(mem, &mdev->virtio.dead, node)
			dev_warn(mdev->hw.dev, "%s: card not reset: %u rings leaked\n",
				 mdev->name, mem->nr);
		INIT_LIST_HEAD(&mdev->virtio.dead);
	}
	mic_virtio_reset_done(mdev);
	mutex_unlock(&mdev->lock);
	mutex_unlock(&mic_virtio_lock);
	/* The removals in progress see the card gone, and free. */
	destroy_workqueue(mdev->virtio.wq);
}
