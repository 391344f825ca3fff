// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 card driver: the virtio transport over the device page
 * (ABI.md sections 2 to 4, and the host, card and micd protocol beside
 * them).
 *
 * Each descriptor block of the device page becomes a struct virtio_device
 * whose parent is the card's device, so that Linux's own virtio_console,
 * virtio_net and virtio_blk bind to it.  Its rings are in host memory:
 * the card maps them through the host window and builds its virtqueues
 * over them.  The card rings the device's c2h_vdev_db (chosen by the
 * host) after each kick and status change; the host rings the device's
 * h2c_vdev_db (chosen here) after it completes chains.
 *
 * The page is shared with the host, which writes it at any time: a block
 * is located from one snapshot of its header, its ring addresses, sizes
 * and doorbell are read once when the device is registered and checked,
 * and config space accesses are checked against the snapshot.
 *
 * The config doorbell scans the page, in process context: it removes the
 * devices the host removes, passes config changes on, and registers new
 * devices.  All of it runs under @vdev_lock of the card, which also stops
 * every device on shutdown and when the driver goes.
 */
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/iopoll.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/pci_ids.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>

#include "../common/mic_dp.h"
#include "mic_card.h"

/* How long the card waits for the host to acknowledge a device reset. */
#define MIC_CARD_VDEV_RESET_S	5
#define MIC_CARD_VDEV_POLL_US	1000

/* Feature bits the transport reads: legacy virtio has 32. */
#define MIC_CARD_VDEV_FEATURE_BYTES	4

/**
 * struct mic_card_vring - a ring of a device, as read at registration
 * @addr: the card address of the ring, in the host window
 * @num: its entries, a power of two up to MIC_MAX_VRING_ENTRIES
 * @va: its mapping while it has a virtqueue; NULL otherwise
 * @vq: its virtqueue, or NULL
 */
struct mic_card_vring {
	u64 addr;
	u16 num;
	void *va;
	struct virtqueue *vq;
};

/**
 * struct mic_card_vdev - a virtio device of the device page
 * @vdev: the virtio device
 * @mcard: the card
 * @list: in the card's @vdevs
 * @blk: the snapshot of its descriptor block
 * @desc: the block's header, in the device page
 * @ctrl: the block's control block, in the device page
 * @c2h_db: the host's doorbell of the device, read once
 * @h2c_db: the card's doorbell of the device while it has virtqueues, or -1
 * @removing: the device is going (hot removal, shutdown, unload): a reset
 *	only writes the status, without the handshake
 * @nvrings: rings in @vrings
 * @vrings: its rings
 */
struct mic_card_vdev {
	struct virtio_device vdev;
	struct mic_card *mcard;
	struct list_head list;
	struct mic_dp_block blk;
	struct mic_device_desc *desc;
	struct mic_device_ctrl *ctrl;
	int c2h_db;
	int h2c_db;
	bool removing;
	unsigned int nvrings;
	struct mic_card_vring vrings[MIC_MAX_VRINGS];
};

static struct mic_card_vdev *mic_card_to_vdev(struct virtio_device *vdev)
{
	return container_of(vdev, struct mic_card_vdev, vdev);
}

/* Ring the host about this device, after what it should look at. */
static void mic_card_vdev_ring(struct mic_card_vdev *mvdev)
{
	wmb();	/* the page before the doorbell */
	mic_card_send_intr(mvdev->mcard, mvdev->c2h_db);
}

/* Whether @len bytes at @offset are inside the config space. */
static u8 *mic_card_vdev_config(struct mic_card_vdev *mvdev,
				unsigned int offset, unsigned int len)
{
	if (offset > mvdev->blk.config_len ||
	    len > mvdev->blk.config_len - offset) {
		dev_warn_ratelimited(&mvdev->vdev.dev, "config access of %u bytes at %u: the config space has %u\n",
				     len, offset, mvdev->blk.config_len);
		return NULL;
	}
	return mic_dp_config(mvdev->mcard->bp, &mvdev->blk) + offset;
}

static void mic_card_vdev_get(struct virtio_device *vdev, unsigned int offset,
			      void *buf, unsigned int len)
{
	u8 *p = mic_card_vdev_config(mic_card_to_vdev(vdev), offset, len);

	if (p)
		memcpy(buf, p, len);
	else
		memset(buf, 0, len);
}

static void mic_card_vdev_set(struct virtio_device *vdev, unsigned int offset,
			      const void *buf, unsigned int len)
{
	u8 *p = mic_card_vdev_config(mic_card_to_vdev(vdev), offset, len);

	if (p)
		memcpy(p, buf, len);
}

static u8 mic_card_vdev_get_status(struct virtio_device *vdev)
{
	return READ_ONCE(mic_card_to_vdev(vdev)->desc->status);
}

static void mic_card_vdev_set_status(struct virtio_device *vdev, u8 status)
{
	struct mic_card_vdev *mvdev = mic_card_to_vdev(vdev);

	WRITE_ONCE(mvdev->desc->status, status);
	mic_card_vdev_ring(mvdev);
}

/*
 * The reset handshake: the host stops the rings and zeroes their indices,
 * so the virtqueues over them are broken first (a driver deletes them
 * after a reset), and nothing reads a used ring the host is rewriting.
 * A device being removed skips the handshake: the host frees its rings.
 */
static void mic_card_vdev_reset(struct virtio_device *vdev)
{
	struct mic_card_vdev *mvdev = mic_card_to_vdev(vdev);
	struct mic_device_ctrl *ctrl = mvdev->ctrl;
	u8 ack;
	int ret;

	virtio_break_device(vdev);
	if (mvdev->removing) {
		WRITE_ONCE(mvdev->desc->status, 0);
		return;
	}
	WRITE_ONCE(ctrl->host_ack, 0);
	wmb();	/* host_ack cleared before the request */
	WRITE_ONCE(ctrl->vdev_reset, 1);
	mic_card_vdev_ring(mvdev);
	ret = read_poll_timeout(READ_ONCE, ack, ack == 1, MIC_CARD_VDEV_POLL_US,
				MIC_CARD_VDEV_RESET_S * USEC_PER_SEC, false,
				ctrl->host_ack);
	if (ret)
		dev_warn(&vdev->dev, "the host did not acknowledge the reset in %d s: going on\n",
			 MIC_CARD_VDEV_RESET_S);
	WRITE_ONCE(ctrl->vdev_reset, 0);
	WRITE_ONCE(ctrl->host_ack, 0);
	WRITE_ONCE(mvdev->desc->status, 0);
}

/* The 32 feature bits the host offers (legacy: no VIRTIO_F_VERSION_1). */
static u64 mic_card_vdev_get_features(struct virtio_device *vdev)
{
	struct mic_card_vdev *mvdev = mic_card_to_vdev(vdev);
	u8 *host = mic_dp_host_features(mvdev->mcard->bp, &mvdev->blk);
	unsigned int i, n;
	u64 features = 0;

	n = min_t(unsigned int, mvdev->blk.feature_len,
		  MIC_CARD_VDEV_FEATURE_BYTES);
	for (i = 0; i < n; i++)
		features |= (u64)READ_ONCE(host[i]) << (8 * i);
	return features;
}

static int mic_card_vdev_finalize_features(struct virtio_device *vdev)
{
	struct mic_card_vdev *mvdev = mic_card_to_vdev(vdev);
	u8 *guest = mic_dp_guest_features(mvdev->mcard->bp, &mvdev->blk);
	unsigned int i;

	vring_transport_features(vdev);
	for (i = 0; i < mvdev->blk.feature_len; i++) {
		u8 byte = 0;

		if (i < MIC_CARD_VDEV_FEATURE_BYTES)
			byte = vdev->features >> (8 * i);
		WRITE_ONCE(guest[i], byte);
	}
	return 0;
}

static bool mic_card_vdev_notify(struct virtqueue *vq)
{
	mic_card_vdev_ring(mic_card_to_vdev(vq->vdev));
	return true;
}

/* The device's doorbell: the host completed chains of some ring. */
static void mic_card_vdev_db(struct mic_card *mcard, void *data)
{
	struct mic_card_vdev *mvdev = data;
	unsigned int i;

	/* Callbacks may schedule NAPI: run the softirqs they raise. */
	local_bh_disable();
	for (i = 0; i < mvdev->nvrings; i++)
		if (mvdev->vrings[i].vq)
			vring_interrupt(0, mvdev->vrings[i].vq);
	local_bh_enable();
}

/* Map ring @i, and check the trailer the host writes after it. */
static void *mic_card_vdev_map(struct mic_card_vdev *mvdev, unsigned int i)
{
	struct mic_card_vring *vr = &mvdev->vrings[i];
	struct mic_vring_info info;
	size_t size = vring_size(vr->num, MIC_VIRTIO_RING_ALIGN);
	u32 magic;
	void *va;

	va = mic_card_map(mvdev->mcard, vr->addr,
			  PAGE_ALIGN(size + sizeof(info)));
	if (!va)
		return NULL;
	memcpy(&info, va + size, sizeof(info));
	magic = le32_to_cpu(info.magic);
	if (magic != MIC_VRING_MAGIC(mvdev->blk.type, i)) {
		dev_err(&mvdev->vdev.dev, "ring %u at %#llx: magic %#x, not %#x\n",
			i, vr->addr, magic, MIC_VRING_MAGIC(mvdev->blk.type, i));
		mic_card_unmap(mvdev->mcard, va);
		return NULL;
	}
	return va;
}

/* Undo the virtqueues and the doorbell; the handler is not running after. */
static void mic_card_vdev_del_vqs(struct virtio_device *vdev)
{
	struct mic_card_vdev *mvdev = mic_card_to_vdev(vdev);
	struct mic_card_vring *vr;
	unsigned int i;

	if (mvdev->h2c_db >= 0) {
		if (!mvdev->removing)
			WRITE_ONCE(mvdev->ctrl->h2c_vdev_db, -1);
		mic_card_db_free(mvdev->mcard, mvdev->h2c_db);
		mvdev->h2c_db = -1;
	}
	for (i = 0; i < mvdev->nvrings; i++) {
		vr = &mvdev->vrings[i];
		if (vr->vq)
			vring_del_virtqueue(vr->vq);
		vr->vq = NULL;
		if (vr->va)
			mic_card_unmap(mvdev->mcard, vr->va);
		vr->va = NULL;
	}
}

static struct virtqueue *mic_card_vdev_find_vq(struct mic_card_vdev *mvdev,
					       unsigned int i,
					       vq_callback_t *callback,
					       const char *name, bool ctx)
{
	struct mic_card_vring *vr = &mvdev->vrings[i];
	struct virtqueue *vq;

	vr->va = mic_card_vdev_map(mvdev, i);
	if (!vr->va)
		return ERR_PTR(-EINVAL);
	vq = vring_new_virtqueue(i, vr->num, MIC_VIRTIO_RING_ALIGN, &mvdev->vdev,
				 false, ctx, vr->va, mic_card_vdev_notify,
				 callback, name);
	if (!vq)
		return ERR_PTR(-ENOMEM);
	vq->num_max = vr->num;
	vr->vq = vq;
	return vq;
}

static int mic_card_vdev_find_vqs(struct virtio_device *vdev,
				  unsigned int nvqs, struct virtqueue *vqs[],
				  vq_callback_t *callbacks[],
				  const char * const names[], const bool *ctx,
				  struct irq_affinity *desc)
{
	struct mic_card_vdev *mvdev = mic_card_to_vdev(vdev);
	unsigned int i, n = 0;
	int ret;

	for (i = 0; i < nvqs; i++) {
		vqs[i] = NULL;
		if (!names[i])
			continue;
		if (n >= mvdev->nvrings) {
			ret = -ENOENT;
			goto err_del_vqs;
		}
		vqs[i] = mic_card_vdev_find_vq(mvdev, n++, callbacks[i],
					       names[i], ctx ? ctx[i] : false);
		if (IS_ERR(vqs[i])) {
			ret = PTR_ERR(vqs[i]);
			vqs[i] = NULL;
			goto err_del_vqs;
		}
	}
	ret = mic_card_db_alloc(mvdev->mcard, mic_card_vdev_db, mvdev);
	if (ret < 0)
		goto err_del_vqs;
	mvdev->h2c_db = ret;
	/* Published before the driver sets DRIVER_OK, with the status. */
	WRITE_ONCE(mvdev->ctrl->h2c_vdev_db, ret);
	return 0;

err_del_vqs:
	dev_err(&vdev->dev, "cannot set up its virtqueues: %d\n", ret);
	mic_card_vdev_del_vqs(vdev);
	return ret;
}

static const char *mic_card_vdev_bus_name(struct virtio_device *vdev)
{
	return dev_name(mic_card_to_vdev(vdev)->mcard->dev);
}

static const struct virtio_config_ops mic_card_vdev_ops = {
	.get = mic_card_vdev_get,
	.set = mic_card_vdev_set,
	.get_status = mic_card_vdev_get_status,
	.set_status = mic_card_vdev_set_status,
	.reset = mic_card_vdev_reset,
	.find_vqs = mic_card_vdev_find_vqs,
	.del_vqs = mic_card_vdev_del_vqs,
	.get_features = mic_card_vdev_get_features,
	.finalize_features = mic_card_vdev_finalize_features,
	.bus_name = mic_card_vdev_bus_name,
};

static void mic_card_vdev_release(struct device *dev)
{
	kfree(mic_card_to_vdev(dev_to_virtio(dev)));
}

/*
 * Read the rings and the doorbell of block @b once, and check them.
 * Return: 0, or -EINVAL with a message naming what is wrong.
 */
static int mic_card_vdev_read(struct mic_card_vdev *mvdev,
			      const struct mic_dp_block *b)
{
	struct mic_card *mcard = mvdev->mcard;
	struct mic_vqconfig *vqc = mic_dp_vqconfig(mcard->bp, b);
	struct mic_card_vring *vr;
	unsigned int i;

	if (mic_dp_check_header(b)) {
		dev_err(mcard->dev, "virtio: block at %#x: %u rings, %u feature bytes, %u bytes: refusing it\n",
			b->off, b->num_vq, b->feature_len, b->desc_size);
		return -EINVAL;
	}
	mvdev->nvrings = b->num_vq;
	for (i = 0; i < b->num_vq; i++) {
		vr = &mvdev->vrings[i];
		vr->addr = le64_to_cpu(READ_ONCE(vqc[i].address));
		vr->num = le16_to_cpu(READ_ONCE(vqc[i].num));
		if (vr->num == 0 || vr->num > MIC_MAX_VRING_ENTRIES ||
		    !is_power_of_2(vr->num) ||
		    !IS_ALIGNED(vr->addr, MIC_VIRTIO_RING_ALIGN)) {
			dev_err(mcard->dev, "virtio: block at %#x: ring %u of %u entries at %#llx: refusing it\n",
				b->off, i, vr->num, vr->addr);
			return -EINVAL;
		}
	}
	mvdev->c2h_db = READ_ONCE(mvdev->ctrl->c2h_vdev_db);
	if (mvdev->c2h_db < 0 || mvdev->c2h_db >= mcard->ops->c2h_dbs) {
		dev_err(mcard->dev, "virtio: block at %#x: c2h_vdev_db %d is not a doorbell: refusing it\n",
			b->off, mvdev->c2h_db);
		return -EINVAL;
	}
	return 0;
}

/* Register the device of block @b. */
static void mic_card_vdev_add(struct mic_card *mcard,
			      const struct mic_dp_block *b)
{
	struct mic_card_vdev *mvdev;
	int ret;

	mvdev = kzalloc(sizeof(*mvdev), GFP_KERNEL);
	if (!mvdev)
		return;
	mvdev->mcard = mcard;
	mvdev->blk = *b;
	mvdev->desc = (struct mic_device_desc *)((u8 *)mcard->bp + b->off);
	mvdev->ctrl = mic_dp_ctrl(mcard->bp, b);
	mvdev->c2h_db = -1;
	mvdev->h2c_db = -1;
	if (mic_card_vdev_read(mvdev, b)) {
		/* Tell the host, if it named a doorbell. */
		WRITE_ONCE(mvdev->desc->status, VIRTIO_CONFIG_S_FAILED);
		mic_card_vdev_ring(mvdev);
		set_bit(b->off / 8, mcard->vdev_bad);
		kfree(mvdev);
		return;
	}
	mvdev->vdev.dev.parent = mcard->dev;
	mvdev->vdev.dev.release = mic_card_vdev_release;
	mvdev->vdev.id.device = b->type;
	mvdev->vdev.id.vendor = PCI_VENDOR_ID_INTEL;
	mvdev->vdev.config = &mic_card_vdev_ops;
	/* The card's cookie: the offset of the block, not a pointer. */
	WRITE_ONCE(mvdev->ctrl->vdev, cpu_to_le64(b->off));
	ret = register_virtio_device(&mvdev->vdev);
	if (ret) {
		dev_err(mcard->dev, "virtio: block at %#x: cannot register the device: %d\n",
			b->off, ret);
		put_device(&mvdev->vdev.dev);
		return;
	}
	list_add_tail(&mvdev->list, &mcard->vdevs);
	dev_info(mcard->dev, "virtio: %s: type %d, %u rings, block at %#x\n",
		 dev_name(&mvdev->vdev.dev), b->type, b->num_vq, b->off);
}

/* Acknowledge a removal or a config change the host asked for. */
static void mic_card_virtio_ack(struct mic_card *mcard,
				struct mic_device_ctrl *ctrl, int c2h_db)
{
	WRITE_ONCE(ctrl->guest_ack, 1);
	wmb();	/* guest_ack before the doorbell */
	mic_card_send_intr(mcard, c2h_db);
}

/*
 * Remove a device: its virtqueues broken first (a console writer spinning
 * for its buffer stops, nothing more is queued), then the driver.  Not so
 * a block device: Linux 6.1 never completes a request in flight on a
 * broken virtqueue, and virtio_blk's removal waits for all of them
 * (del_gendisk() freezes the queue), so its virtqueues stay whole until
 * its driver is gone; the host completes what the card still sends, by
 * micd, or with an I/O error once the device is being removed.
 * With @ack, the host asked: acknowledge once it is gone.
 */
static void mic_card_vdev_remove(struct mic_card_vdev *mvdev, bool ack)
{
	struct mic_card *mcard = mvdev->mcard;
	struct mic_device_ctrl *ctrl = mvdev->ctrl;
	int c2h_db = mvdev->c2h_db;

	dev_info(mcard->dev, "virtio: %s: removing it\n",
		 dev_name(&mvdev->vdev.dev));
	list_del(&mvdev->list);
	mvdev->removing = true;
	if (mvdev->blk.type != VIRTIO_ID_BLOCK)
		virtio_break_device(&mvdev->vdev);
	get_device(&mvdev->vdev.dev);
	unregister_virtio_device(&mvdev->vdev);
	/* A driver that left its virtqueues: nothing may ring into them. */
	mic_card_vdev_del_vqs(&mvdev->vdev);
	put_device(&mvdev->vdev.dev);
	if (ack)
		mic_card_virtio_ack(mcard, ctrl, c2h_db);
}

static struct mic_card_vdev *mic_card_vdev_find(struct mic_card *mcard,
						unsigned int off)
{
	struct mic_card_vdev *mvdev;

	list_for_each_entry(mvdev, &mcard->vdevs, list)
		if (mvdev->blk.off == off)
			return mvdev;
	return NULL;
}

/* Removals and config changes of the devices the card has. */
static void mic_card_virtio_changes(struct mic_card *mcard)
{
	struct mic_card_vdev *mvdev, *next;
	u8 change;

	list_for_each_entry_safe(mvdev, next, &mcard->vdevs, list) {
		change = READ_ONCE(mvdev->ctrl->config_change);
		if (change == MIC_VIRTIO_PARAM_DEV_REMOVE) {
			mic_card_vdev_remove(mvdev, true);
		} else if (change == MIC_VIRTIO_PARAM_CONFIG_CHANGED &&
			   !READ_ONCE(mvdev->ctrl->guest_ack)) {
			virtio_config_changed(&mvdev->vdev);
			mic_card_virtio_ack(mcard, mvdev->ctrl, mvdev->c2h_db);
		}
	}
}

/*
 * A block the card has no device for.  A removal is acknowledged at once
 * (the device was refused, or removed before the card saw it); a new one
 * is registered, unless it was refused already.
 */
static void mic_card_virtio_new(struct mic_card *mcard,
				const struct mic_dp_block *b)
{
	struct mic_device_ctrl *ctrl = mic_dp_ctrl(mcard->bp, b);

	if (READ_ONCE(ctrl->config_change) == MIC_VIRTIO_PARAM_DEV_REMOVE) {
		if (READ_ONCE(ctrl->guest_ack))
			return;
		mic_card_virtio_ack(mcard, ctrl, READ_ONCE(ctrl->c2h_vdev_db));
		return;
	}
	if (!test_bit(b->off / 8, mcard->vdev_bad))
		mic_card_vdev_add(mcard, b);
}

/* Walk the page, and register the devices the card does not have. */
static void mic_card_virtio_scan(struct mic_card *mcard)
{
	struct mic_dp_block b;
	unsigned int pos = MIC_DP_FIRST;
	int ret;

	while ((ret = mic_dp_walk(mcard->bp, &pos, &b)) > 0) {
		if (b.type == MIC_DESC_TYPE_REMOVED) {
			clear_bit(b.off / 8, mcard->vdev_bad);
			continue;
		}
		if (b.type > 0 && !mic_card_vdev_find(mcard, b.off))
			mic_card_virtio_new(mcard, &b);
	}
	if (ret < 0)
		dev_err_ratelimited(mcard->dev, "virtio: the device page is corrupted at %#x: the blocks after it are ignored\n",
				    pos);
}

/**
 * mic_card_virtio_config_db() - the config doorbell: look at the page
 * @mcard: the card, online
 *
 * Devices the host removes are removed and acknowledged, config changes
 * are passed to their drivers and acknowledged, and new devices are
 * registered.  In process context; a no-op once the devices are stopped.
 */
void mic_card_virtio_config_db(struct mic_card *mcard)
{
	mutex_lock(&mcard->vdev_lock);
	if (!mcard->vdev_stopped) {
		mic_card_virtio_changes(mcard);
		mic_card_virtio_scan(mcard);
	}
	mutex_unlock(&mcard->vdev_lock);
}

/**
 * mic_card_virtio_stop() - remove every virtio device, for good
 * @mcard: the card
 *
 * For shutdown and the removal of the driver: each device is broken,
 * then unregistered, and the config doorbell registers none any more.
 * Never called in a panic.
 */
void mic_card_virtio_stop(struct mic_card *mcard)
{
	struct mic_card_vdev *mvdev, *next;

	mutex_lock(&mcard->vdev_lock);
	mcard->vdev_stopped = true;
	list_for_each_entry_safe(mvdev, next, &mcard->vdevs, list)
		mic_card_vdev_remove(mvdev, false);
	mutex_unlock(&mcard->vdev_lock);
}

static void mic_card_virtio_stop_action(void *data)
{
	mic_card_virtio_stop(data);
}

/**
 * mic_card_virtio_start() - register the devices of the device page
 * @mcard: the card, just online
 *
 * The devices are stopped through devres when the card's device goes,
 * before the doorbells and the device page.
 *
 * Return: 0, or a negative errno.
 */
int mic_card_virtio_start(struct mic_card *mcard)
{
	int ret;

	ret = devm_add_action_or_reset(mcard->dev, mic_card_virtio_stop_action,
				       mcard);
	if (ret)
		return ret;
	mutex_lock(&mcard->vdev_lock);
	mcard->vdev_stopped = false;
	mutex_unlock(&mcard->vdev_lock);
	mic_card_virtio_config_db(mcard);
	return 0;
}
