// SPDX-License-Identifier: GPL-2.0-only
/*
 * Malformed block requests, for the tests of micd's block backend: a
 * virtio driver for the block device that, once bound, sends requests
 * Linux's virtio_blk never sends, through the plain virtio API (legal
 * chains, bad content), then good ones, and logs the status byte the
 * host gives back for each:
 *	past_end	a read of one sector at the capacity
 *	past_end_write	a write of two sectors at the capacity - 1
 *	overflow	a read at sector 2^64 - 1 (sector + length wraps)
 *	unknown_type	a request of type 0x77
 *	short_header	a header descriptor of 8 bytes instead of 16
 *	good_read	sector 0; its first 16 bytes are logged
 *	good_write	sector MIC_BADBLK_SECTOR, a known pattern
 *	read_back	that sector again: the pattern, or not
 *	flush		a flush
 *	get_id		the serial, logged
 *	forged_read	the ring peek of the host's backend shown a read
 *	forged_write	the same, shown a write
 * Each line is "mic_badblk: <case>: status <n>" (255: the host did not
 * write the status byte; "no answer" after MIC_BADBLK_WAIT), and the
 * run ends with "mic_badblk: done".
 *
 * The forged cases show micd's peek at the ring another chain than the
 * one the host takes, as a card that forges the indices micd reads can:
 * a decoy chain (a 16-byte header, 512 bytes of data to read or to
 * write, a status byte) is written raw at the top of the descriptor
 * table and put in the avail slot after the real request, where it is
 * never published; the trailer's avail_idx and the used index are set
 * so that the peek takes the decoy for the chain in progress.  The real
 * request, through the virtqueue, is one writable buffer full of
 * MIC_BADBLK_FILL.  micd can only have written what it writes for a
 * header it never read (zeros: a read of nothing or of sector 0, status
 * 0); the line "mic_badblk: <case>: reply as micd wrote it" says so,
 * else "mic_badblk: <case>: byte <i> is <x>, not <y>".  Every wait is bounded and ends when
 * the device goes away.  The card test image loads this module with
 * virtio_blk left out (micemu.skip=virtio_blk).
 */
#include <linux/completion.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/virtio.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>
#include <linux/workqueue.h>

#include "mic_badcard.h"

#define MIC_BADBLK_SECTOR	8	/* of the good write */
#define MIC_BADBLK_DATA		1024	/* two sectors at most */
#define MIC_BADBLK_PATTERN	"mic_badblk write"	/* 16 bytes, repeated */
#define MIC_BADBLK_WAIT		(300 * HZ)
#define MIC_BADBLK_UNKNOWN	0x77
#define MIC_BADBLK_REPLY	(16 + 512 + 1)	/* the forged cases' buffer */
#define MIC_BADBLK_FILL		0xa5	/* in it before the host writes */
#define MIC_BADBLK_RING_ALIGN	4096	/* of the legacy vring */

/**
 * struct mic_badblk - the block device bound
 * @bc: the device, its request in flight, its work
 * @vq: its request queue
 * @capacity: in 512-byte sectors, from the config space
 * @hdr: the request header (16 bytes; the short case sends 8)
 * @data: the request's data
 * @status: the status byte, 0xff until the host writes it
 * @sector0: sector 0, as the good read got it
 * @reply: the real request of the forged cases
 * @decoy: the buffers of their decoy chain
 */
struct mic_badblk {
	struct mic_badcard bc;
	struct virtqueue *vq;
	u64 capacity;
	struct virtio_blk_outhdr *hdr;
	u8 *data;
	u8 *status;
	u8 *sector0;
	u8 *reply;
	u8 *decoy;
};

/**
 * struct mic_badblk_case - one request
 * @name: for the log
 * @type: the request type
 * @sector: where, in 512-byte sectors; if @from_end, so many sectors
 *	before the capacity
 * @from_end: @sector counts back from the capacity
 * @hdr_len: bytes of the header sent
 * @len: bytes of data, read or written
 */
struct mic_badblk_case {
	const char *name;
	u32 type;
	u64 sector;
	bool from_end;
	unsigned int hdr_len;
	unsigned int len;
};

/* Send one request and wait for it; its status, or -1 with no answer. */
static int mic_badblk_send(struct mic_badblk *mb, u32 type, u64 sector,
			   unsigned int hdr_len, unsigned int len)
{
	struct virtio_device *vdev = mb->bc.vdev;
	struct scatterlist hdr, data, status, *sgs[3];
	unsigned int out = 0, in = 0;
	unsigned long flags;
	int ret;

	mb->hdr->type = cpu_to_virtio32(vdev, type);
	mb->hdr->ioprio = 0;
	mb->hdr->sector = cpu_to_virtio64(vdev, sector);
	*mb->status = 0xff;
	sg_init_one(&hdr, mb->hdr, hdr_len);
	sgs[out++] = &hdr;
	sg_init_one(&data, mb->data, len);
	if (len && type == VIRTIO_BLK_T_OUT)
		sgs[out++] = &data;
	else if (len)
		sgs[out + in++] = &data;
	sg_init_one(&status, mb->status, 1);
	sgs[out + in++] = &status;
	reinit_completion(&mb->bc.done);
	spin_lock_irqsave(&mb->bc.lock, flags);
	ret = virtqueue_add_sgs(mb->vq, sgs, out, in, mb, GFP_ATOMIC);
	if (!ret)
		virtqueue_kick(mb->vq);
	spin_unlock_irqrestore(&mb->bc.lock, flags);
	if (ret)
		return -1;
	if (!mic_badcard_wait(&mb->bc, MIC_BADBLK_WAIT))
		return -1;
	return READ_ONCE(*mb->status);
}

/* Play one case; false if the host did not answer (stop there). */
static bool mic_badblk_play(struct mic_badblk *mb,
			    const struct mic_badblk_case *c)
{
	u64 sector = c->from_end ? mb->capacity - c->sector : c->sector;
	int status;

	status = mic_badblk_send(mb, c->type, sector, c->hdr_len, c->len);
	if (status < 0) {
		dev_info(&mb->bc.vdev->dev, "mic_badblk: %s: no answer\n", c->name);
		return false;
	}
	dev_info(&mb->bc.vdev->dev, "mic_badblk: %s: status %d\n", c->name,
		 status);
	return true;
}

static void mic_badblk_fill(u8 *p, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = MIC_BADBLK_PATTERN[i % (sizeof(MIC_BADBLK_PATTERN) - 1)];
}

static void mic_badblk_desc(struct virtio_device *vdev, struct vring_desc *d,
			    u64 addr, u32 len, u16 flags, u16 next)
{
	d->addr = cpu_to_virtio64(vdev, addr);
	d->len = cpu_to_virtio32(vdev, len);
	d->flags = cpu_to_virtio16(vdev, flags);
	d->next = cpu_to_virtio16(vdev, next);
}

/*
 * The decoy chain and the forged indices, then the real request; with
 * @lock held.  The decoy's data is to write (the card's) if @write.
 */
static int mic_badblk_forge(struct mic_badblk *mb, bool write)
{
	struct virtqueue *vq = mb->vq;
	const struct vring *vr = virtqueue_get_vring(vq);
	struct virtio_device *vdev = mb->bc.vdev;
	u64 decoy = virt_to_phys(mb->decoy);
	struct scatterlist reply, *sgs[1];
	unsigned int n = vr->num;
	__le16 *trailer;
	u16 idx;
	int ret;

	mic_badblk_desc(vdev, &vr->desc[n - 3], decoy, 16, VRING_DESC_F_NEXT,
			n - 2);
	mic_badblk_desc(vdev, &vr->desc[n - 2], decoy + 16, 512,
			(write ? 0 : VRING_DESC_F_WRITE) | VRING_DESC_F_NEXT,
			n - 1);
	mic_badblk_desc(vdev, &vr->desc[n - 1], decoy + 528, 1,
			VRING_DESC_F_WRITE, 0);
	idx = virtio16_to_cpu(vdev, READ_ONCE(vr->avail->idx));
	vr->avail->ring[(u16)(idx + 1) % n] = cpu_to_virtio16(vdev, n - 3);
	/* Taken: idx + 2; completed: idx + 1; so idx + 1 is in progress. */
	trailer = (__le16 *)((u8 *)vr->desc +
			     vring_size(n, MIC_BADBLK_RING_ALIGN));
	WRITE_ONCE(*trailer, cpu_to_le16(idx + 2));
	WRITE_ONCE(vr->used->idx, cpu_to_virtio16(vdev, idx + 1));
	/* The forgery before the request that wakes the host. */
	virtio_wmb(false);
	sg_init_one(&reply, mb->reply, MIC_BADBLK_REPLY);
	sgs[0] = &reply;
	ret = virtqueue_add_sgs(vq, sgs, 0, 1, mb, GFP_ATOMIC);
	if (!ret)
		virtqueue_kick(vq);
	return ret;
}

/*
 * A forged case: false if the host did not answer.  What micd may have
 * written: zeros for the header it never read, then for a read of sector
 * 0 that sector, then status 0.
 */
static bool mic_badblk_forged(struct mic_badblk *mb, const char *name,
			      bool write)
{
	unsigned long flags;
	unsigned int i;
	u8 want;
	int ret;

	memset(mb->reply, MIC_BADBLK_FILL, MIC_BADBLK_REPLY);
	reinit_completion(&mb->bc.done);
	spin_lock_irqsave(&mb->bc.lock, flags);
	ret = mic_badblk_forge(mb, write);
	spin_unlock_irqrestore(&mb->bc.lock, flags);
	if (ret || !mic_badcard_wait(&mb->bc, MIC_BADBLK_WAIT)) {
		dev_info(&mb->bc.vdev->dev, "mic_badblk: %s: no answer\n", name);
		return false;
	}
	for (i = 0; i < MIC_BADBLK_REPLY; i++) {
		want = !write && i >= 16 && i < 528 ? mb->sector0[i - 16] : 0;
		if (mb->reply[i] != want)
			break;
	}
	if (i == MIC_BADBLK_REPLY)
		dev_info(&mb->bc.vdev->dev, "mic_badblk: %s: reply as micd wrote it\n",
			 name);
	else
		dev_info(&mb->bc.vdev->dev, "mic_badblk: %s: byte %u is %#x, not %#x\n",
			 name, i, mb->reply[i], want);
	return true;
}

static const struct mic_badblk_case mic_badblk_cases[] = {
	{ "past_end", VIRTIO_BLK_T_IN, 0, true, 16, 512 },
	{ "past_end_write", VIRTIO_BLK_T_OUT, 1, true, 16, 1024 },
	{ "overflow", VIRTIO_BLK_T_IN, U64_MAX, false, 16, 512 },
	{ "unknown_type", MIC_BADBLK_UNKNOWN, 0, false, 16, 0 },
	{ "short_header", VIRTIO_BLK_T_IN, 0, false, 8, 0 },
};

/* The cases above, then the good ones, one after the other. */
static void mic_badblk_work(struct work_struct *work)
{
	struct mic_badblk *mb = container_of(work, struct mic_badblk, bc.work);
	struct mic_badblk_case c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mic_badblk_cases); i++) {
		memset(mb->data, 0xaa, MIC_BADBLK_DATA);
		if (!mic_badblk_play(mb, &mic_badblk_cases[i]))
			return;
	}
	c = (struct mic_badblk_case){ "good_read", VIRTIO_BLK_T_IN, 0, false, 16, 512 };
	if (!mic_badblk_play(mb, &c))
		return;
	dev_info(&mb->bc.vdev->dev, "mic_badblk: good_read: \"%.16s\"\n",
		 mb->data);
	memcpy(mb->sector0, mb->data, 512);
	mic_badblk_fill(mb->data, 512);
	c = (struct mic_badblk_case){ "good_write", VIRTIO_BLK_T_OUT,
		MIC_BADBLK_SECTOR, false, 16, 512 };
	if (!mic_badblk_play(mb, &c))
		return;
	memset(mb->data, 0, 512);
	c = (struct mic_badblk_case){ "read_back", VIRTIO_BLK_T_IN,
		MIC_BADBLK_SECTOR, false, 16, 512 };
	if (!mic_badblk_play(mb, &c))
		return;
	mic_badblk_fill(mb->data + 512, 512);
	dev_info(&mb->bc.vdev->dev, "mic_badblk: read_back: pattern %s\n",
		 memcmp(mb->data, mb->data + 512, 512) ? "differs" : "matches");
	c = (struct mic_badblk_case){ "flush", VIRTIO_BLK_T_FLUSH, 0, false, 16, 0 };
	if (!mic_badblk_play(mb, &c))
		return;
	memset(mb->data, 0, VIRTIO_BLK_ID_BYTES + 1);
	c = (struct mic_badblk_case){ "get_id", VIRTIO_BLK_T_GET_ID, 0, false,
		16, VIRTIO_BLK_ID_BYTES };
	if (!mic_badblk_play(mb, &c))
		return;
	dev_info(&mb->bc.vdev->dev, "mic_badblk: get_id: \"%s\"\n", mb->data);
	if (!mic_badblk_forged(mb, "forged_read", false) ||
	    !mic_badblk_forged(mb, "forged_write", true))
		return;
	dev_info(&mb->bc.vdev->dev, "mic_badblk: done\n");
}

/* The host gave requests back. */
static void mic_badblk_done(struct virtqueue *vq)
{
	struct mic_badblk *mb = vq->vdev->priv;

	mic_badcard_done(&mb->bc, vq);
}

static int mic_badblk_probe(struct virtio_device *vdev)
{
	struct mic_badblk *mb;

	mb = devm_kzalloc(&vdev->dev, sizeof(*mb), GFP_KERNEL);
	if (!mb)
		return -ENOMEM;
	mb->hdr = devm_kzalloc(&vdev->dev, sizeof(*mb->hdr), GFP_KERNEL);
	mb->data = devm_kzalloc(&vdev->dev, MIC_BADBLK_DATA, GFP_KERNEL);
	mb->status = devm_kzalloc(&vdev->dev, 1, GFP_KERNEL);
	mb->sector0 = devm_kzalloc(&vdev->dev, 512, GFP_KERNEL);
	mb->reply = devm_kzalloc(&vdev->dev, MIC_BADBLK_REPLY, GFP_KERNEL);
	mb->decoy = devm_kzalloc(&vdev->dev, MIC_BADBLK_REPLY, GFP_KERNEL);
	if (!mb->hdr || !mb->data || !mb->status || !mb->sector0 ||
	    !mb->reply || !mb->decoy)
		return -ENOMEM;
	mic_badcard_init(&mb->bc, vdev, mic_badblk_work);
	vdev->priv = mb;
	mb->vq = virtio_find_single_vq(vdev, mic_badblk_done, "requests");
	if (IS_ERR(mb->vq))
		return PTR_ERR(mb->vq);
	virtio_cread(vdev, struct virtio_blk_config, capacity, &mb->capacity);
	virtio_device_ready(vdev);
	dev_info(&vdev->dev, "mic_badblk: bound, %llu sectors\n",
		 mb->capacity);
	schedule_work(&mb->bc.work);
	return 0;
}

static void mic_badblk_remove(struct virtio_device *vdev)
{
	struct mic_badblk *mb = vdev->priv;

	mic_badcard_remove(&mb->bc, mb->vq);
	dev_info(&vdev->dev, "mic_badblk: unbound\n");
}

static const struct virtio_device_id mic_badblk_ids[] = {
	{ VIRTIO_ID_BLOCK, VIRTIO_DEV_ANY_ID },
	{ }
};
MODULE_DEVICE_TABLE(virtio, mic_badblk_ids);

static struct virtio_driver mic_badblk_driver = {
	.driver.name = KBUILD_MODNAME,
	.driver.owner = THIS_MODULE,
	.id_table = mic_badblk_ids,
	.probe = mic_badblk_probe,
	.remove = mic_badblk_remove,
};
module_virtio_driver(mic_badblk_driver);

MODULE_DESCRIPTION("A block driver that sends malformed requests, for tests");
MODULE_LICENSE("GPL");
