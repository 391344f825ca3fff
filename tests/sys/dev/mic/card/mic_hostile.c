// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hostile card, for the tests of the host's ring checks (ABI.md
 * section 5): a virtio driver for the console device that, when asked,
 * writes a chain that breaks one rule straight into its transmit ring
 * (ring 1, card to host) and kicks.  The host must mark the device
 * broken, log one line and touch nothing else; micd then closes the
 * device and adds it again, and this driver's probe runs on the new one.
 *
 * Only the standard virtio API is used: one virtqueue per ring, the
 * struct vring that virtqueue_get_vring() gives for the raw writes, and
 * virtqueue_notify() for the kick.  The card test image loads this
 * module instead of virtio_console.
 *
 * Each time it binds a device, it sends a good chain and waits for the
 * host to return it; then it plays the next case of its parameter
 * `cases' (a comma-separated list, from the card's command line through
 * the image's rc hook), so that one boot plays them all, one per device.
 * Writing a case name to /sys/module/mic_hostile/parameters/run plays it
 * on the device bound now.  Everything it does is in the kernel log.
 *	good		one readable buffer with a known text, through the
 *			virtqueue API: a healthy device moves it
 *	addr_beyond	a buffer address past the card's memory
 *	len_overflow	addr + len wraps around 64 bits
 *	loop		a chain 0 -> 1 -> 0
 *	next_range	a next index >= num
 *	avail_jump	the avail index moved by num + 1
 *	indirect	VRING_DESC_F_INDIRECT, not negotiated
 *	order		a readable descriptor after a writable one
 *	huge		a valid chain of all but one descriptor of the ring,
 *			64 MiB each, just under 4 GiB in all
 * and cases that arm a behaviour, and say so on the console with a good
 * chain "mic_hostile: armed <case>":
 *	flood_remove	when the host removes the device, do not let go:
 *			post the same valid chain again, a ring's worth
 *			each time the host catches up, for 10 minutes
 *	config_db	write -1 to the config doorbell in the device page,
 *			so that the host cannot ask for a removal
 *	early_ready	from now on, whenever SPAD2 is 0 (the host asked
 *			for a reset), set its ready bit at once, as a card
 *			that is not stopped yet could
 */
#include <linux/bits.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>
#include <linux/workqueue.h>

#include "../../../../../sys/dev/mic/card/mic_card.h"

/* The console's rings: 0 host to card, 1 card to host. */
#define MIC_HOSTILE_RX		0
#define MIC_HOSTILE_TX		1
#define MIC_HOSTILE_NVQS	2

/* An address no card has memory at (64 TiB). */
#define MIC_HOSTILE_BEYOND	BIT_ULL(46)

/* The text of the good case; the test looks for it on the host. */
#define MIC_HOSTILE_TEXT	"mic_hostile: good chain %u\n"
#define MIC_HOSTILE_BUF_SIZE	128

/* How long the host has to return the good chain. */
#define MIC_HOSTILE_WAIT	(300 * HZ)

/* The most descriptors a hostile chain has, and their size in "huge". */
#define MIC_HOSTILE_MAX_DESC	64
#define MIC_HOSTILE_HUGE_LEN	(64U << 20)

/* SPAD2, the flash bootstrap's word: its ready bit, and an address. */
#define MIC_HOSTILE_SPAD2	2
#define MIC_HOSTILE_SPAD2_FORGED	((16U << 20) | 1)

/* How long flood_remove keeps the removal busy. */
#define MIC_HOSTILE_FLOOD	(600 * HZ)

/**
 * struct mic_hostile - the console device bound
 * @vdev: the device
 * @vqs: its virtqueues
 * @lock: serialises the use of the transmit virtqueue
 * @buf: the data of the hostile chains, one buffer
 * @work: the good chain, then the next case of `cases'
 * @returned: the host returned a good chain
 * @gone: the device is being removed
 * @flood: flood_remove is armed
 */
struct mic_hostile {
	struct virtio_device *vdev;
	struct virtqueue *vqs[MIC_HOSTILE_NVQS];
	spinlock_t lock;	/* the transmit virtqueue */
	char *buf;
	struct work_struct work;
	struct completion returned;
	bool gone;
	bool flood;
};

/* The device bound, if any; what the trigger acts on. */
static DEFINE_MUTEX(mic_hostile_lock);
static struct mic_hostile *mic_hostile_dev;
/* Good chains sent, and the next entry of `cases' to play. */
static unsigned int mic_hostile_good_sent;
static unsigned int mic_hostile_next;

static char *cases;
module_param(cases, charp, 0444);
MODULE_PARM_DESC(cases, "cases to play, one on each device bound, comma-separated");

/*
 * A chain of raw descriptors: @head, and the descriptors to write at
 * the top of the table, where the virtqueue's own chains are not.
 */
struct mic_hostile_chain {
	u16 head;
	u16 avail_step;
	unsigned int ndesc;
	struct vring_desc desc[MIC_HOSTILE_MAX_DESC];
};

static void mic_hostile_desc(struct mic_hostile *mh, struct vring_desc *d,
			     u64 addr, u32 len, u16 flags, u16 next)
{
	struct virtio_device *vdev = mh->vdev;

	d->addr = cpu_to_virtio64(vdev, addr);
	d->len = cpu_to_virtio32(vdev, len);
	d->flags = cpu_to_virtio16(vdev, flags);
	d->next = cpu_to_virtio16(vdev, next);
}

/* Write @c into the transmit ring, publish it and kick. */
static void mic_hostile_post(struct mic_hostile *mh, const char *name,
			     const struct mic_hostile_chain *c)
{
	struct virtqueue *vq = mh->vqs[MIC_HOSTILE_TX];
	const struct vring *vr = virtqueue_get_vring(vq);
	struct virtio_device *vdev = mh->vdev;
	unsigned long flags;
	unsigned int i;
	u16 idx;

	spin_lock_irqsave(&mh->lock, flags);
	for (i = 0; i < c->ndesc; i++)
		vr->desc[vr->num - c->ndesc + i] = c->desc[i];
	idx = virtio16_to_cpu(vdev, READ_ONCE(vr->avail->idx));
	vr->avail->ring[idx % vr->num] = cpu_to_virtio16(vdev, c->head);
	/* The descriptors and the ring entry before the index. */
	virtio_wmb(false);
	WRITE_ONCE(vr->avail->idx, cpu_to_virtio16(vdev, idx + c->avail_step));
	virtio_mb(false);
	virtqueue_notify(vq);
	spin_unlock_irqrestore(&mh->lock, flags);
	dev_info(&vdev->dev, "mic_hostile: %s: head %u, avail idx %u -> %u, kicked\n",
		 name, c->head, idx, (u16)(idx + c->avail_step));
}

/* A good chain: one readable buffer, through the virtqueue API. */
static int mic_hostile_say(struct mic_hostile *mh, char *text)
{
	struct virtqueue *vq = mh->vqs[MIC_HOSTILE_TX];
	struct scatterlist sg;
	unsigned long flags;
	int ret;

	sg_init_one(&sg, text, strlen(text));
	spin_lock_irqsave(&mh->lock, flags);
	ret = virtqueue_add_outbuf(vq, &sg, 1, text, GFP_ATOMIC);
	if (!ret)
		virtqueue_kick(vq);
	spin_unlock_irqrestore(&mh->lock, flags);
	if (ret)
		kfree(text);
	return ret;
}

/* The good case: a known text, through the virtqueue API. */
static int mic_hostile_good(struct mic_hostile *mh)
{
	char *text;
	int ret;

	text = kasprintf(GFP_KERNEL, MIC_HOSTILE_TEXT, ++mic_hostile_good_sent);
	if (!text)
		return -ENOMEM;
	ret = mic_hostile_say(mh, text);
	if (!ret)
		dev_info(&mh->vdev->dev, "mic_hostile: good: chain %u, kicked\n",
			 mic_hostile_good_sent);
	return ret;
}

/* The card's core: the vmic leaf's driver data starts with it. */
static struct mic_card *mic_hostile_card(struct mic_hostile *mh)
{
	return pci_get_drvdata(to_pci_dev(mh->vdev->dev.parent));
}

/* early_ready: a card that sets SPAD2's ready bit while it still runs. */
static int mic_hostile_ready_thread(void *data)
{
	struct mic_card *mcard = data;
	unsigned int n = 0;

	while (!kthread_should_stop()) {
		if (!mcard->ops->read_spad(mcard, MIC_HOSTILE_SPAD2)) {
			mcard->ops->write_spad(mcard, MIC_HOSTILE_SPAD2,
					       MIC_HOSTILE_SPAD2_FORGED);
			pr_info("mic_hostile: early_ready: SPAD2 set ready (%u)\n",
				++n);
		}
		usleep_range(200, 400);
	}
	return 0;
}

/* Arm a behaviour, and say so on the console. */
static int mic_hostile_arm(struct mic_hostile *mh, const char *name)
{
	struct mic_card *mcard = mic_hostile_card(mh);
	struct task_struct *t;
	char *text;

	if (!strcmp(name, "flood_remove")) {
		mh->flood = true;
	} else if (!strcmp(name, "config_db")) {
		WRITE_ONCE(mcard->bp->h2c_config_db, -1);
	} else if (!strcmp(name, "early_ready")) {
		t = kthread_run(mic_hostile_ready_thread, mcard,
				"mic_hostile_ready");
		if (IS_ERR(t))
			return PTR_ERR(t);
	} else {
		return -EINVAL;
	}
	text = kasprintf(GFP_KERNEL, "mic_hostile: armed %s\n", name);
	if (!text)
		return -ENOMEM;
	dev_info(&mh->vdev->dev, "mic_hostile: armed %s\n", name);
	return mic_hostile_say(mh, text);
}

/*
 * flood_remove, from the driver's remove: every entry of the transmit
 * ring names one good descriptor, and the avail index stays a ring ahead
 * of what the host gave back.  The card's removal never ends.
 */
static void mic_hostile_flood(struct mic_hostile *mh)
{
	struct virtqueue *vq = mh->vqs[MIC_HOSTILE_TX];
	const struct vring *vr = virtqueue_get_vring(vq);
	struct virtio_device *vdev = mh->vdev;
	unsigned long end = jiffies + MIC_HOSTILE_FLOOD;
	u16 used, head = vr->num - 1;
	unsigned int i;

	mic_hostile_desc(mh, &vr->desc[head], virt_to_phys(mh->buf), 16, 0, 0);
	for (i = 0; i < vr->num; i++)
		vr->avail->ring[i] = cpu_to_virtio16(vdev, head);
	dev_info(&vdev->dev, "mic_hostile: flood_remove: flooding\n");
	while (time_before(jiffies, end)) {
		used = virtio16_to_cpu(vdev, READ_ONCE(vr->used->idx));
		virtio_wmb(false);
		WRITE_ONCE(vr->avail->idx, cpu_to_virtio16(vdev, used + vr->num));
		cond_resched();
	}
}

/*
 * The hostile chains, by case; @c->desc[i] sits at num - ndesc + i, so
 * a chain of two starts at num - 2.
 */
static int mic_hostile_chain(struct mic_hostile *mh, const char *name,
			     struct mic_hostile_chain *c)
{
	u16 num = virtqueue_get_vring(mh->vqs[MIC_HOSTILE_TX])->num;
	u64 buf = virt_to_phys(mh->buf);
	unsigned int i;

	c->avail_step = 1;
	c->ndesc = 1;
	c->head = num - 1;
	if (!strcmp(name, "huge")) {
		c->ndesc = min_t(unsigned int, num, MIC_HOSTILE_MAX_DESC) - 1;
		c->head = num - c->ndesc;
		for (i = 0; i < c->ndesc; i++)
			mic_hostile_desc(mh, &c->desc[i], 0,
					 MIC_HOSTILE_HUGE_LEN,
					 i + 1 < c->ndesc ? VRING_DESC_F_NEXT : 0,
					 c->head + i + 1);
	} else if (!strcmp(name, "addr_beyond")) {
		mic_hostile_desc(mh, &c->desc[0], MIC_HOSTILE_BEYOND, 16, 0, 0);
	} else if (!strcmp(name, "len_overflow")) {
		mic_hostile_desc(mh, &c->desc[0], ~0ULL - 15, 32, 0, 0);
	} else if (!strcmp(name, "next_range")) {
		mic_hostile_desc(mh, &c->desc[0], buf, 16, VRING_DESC_F_NEXT,
				 num);
	} else if (!strcmp(name, "indirect")) {
		/* A one-entry table, in case the host would follow it. */
		mic_hostile_desc(mh, (struct vring_desc *)mh->buf, buf + 64, 16,
				 0, 0);
		mic_hostile_desc(mh, &c->desc[0], buf, sizeof(struct vring_desc),
				 VRING_DESC_F_INDIRECT, 0);
	} else if (!strcmp(name, "avail_jump")) {
		mic_hostile_desc(mh, &c->desc[0], buf, 16, 0, 0);
		c->avail_step = num + 1;
	} else if (!strcmp(name, "loop")) {
		c->ndesc = 2;
		c->head = num - 2;
		mic_hostile_desc(mh, &c->desc[0], buf, 16, VRING_DESC_F_NEXT,
				 num - 1);
		mic_hostile_desc(mh, &c->desc[1], buf + 16, 16,
				 VRING_DESC_F_NEXT, num - 2);
	} else if (!strcmp(name, "order")) {
		c->ndesc = 2;
		c->head = num - 2;
		mic_hostile_desc(mh, &c->desc[0], buf, 16,
				 VRING_DESC_F_WRITE | VRING_DESC_F_NEXT,
				 num - 1);
		mic_hostile_desc(mh, &c->desc[1], buf + 16, 16, 0, 0);
	} else {
		return -EINVAL;
	}
	return 0;
}

/* Play case @name on @mh; under mic_hostile_lock. */
static int mic_hostile_play(struct mic_hostile *mh, const char *name)
{
	struct mic_hostile_chain c = { };
	int ret;

	if (!strcmp(name, "good"))
		return mic_hostile_good(mh);
	if (mic_hostile_arm(mh, name) != -EINVAL)
		return 0;
	ret = mic_hostile_chain(mh, name, &c);
	if (ret) {
		dev_info(&mh->vdev->dev, "mic_hostile: %s: no such case\n", name);
		return ret;
	}
	mic_hostile_post(mh, name, &c);
	return 0;
}

static int mic_hostile_run(const char *val, const struct kernel_param *kp)
{
	char name[32];
	int ret = -ENODEV;

	strscpy(name, val, sizeof(name));
	strim(name);
	mutex_lock(&mic_hostile_lock);
	if (mic_hostile_dev)
		ret = mic_hostile_play(mic_hostile_dev, name);
	else
		pr_info("mic_hostile: %s: no device bound\n", name);
	mutex_unlock(&mic_hostile_lock);
	return ret;
}

static const struct kernel_param_ops mic_hostile_run_ops = {
	.set = mic_hostile_run,
};
module_param_cb(run, &mic_hostile_run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "a case to play on the console device bound now");

/* The host completed chains: take the good ones back. */
static void mic_hostile_tx_done(struct virtqueue *vq)
{
	struct mic_hostile *mh = vq->vdev->priv;
	unsigned long flags;
	unsigned int len;
	void *text;

	spin_lock_irqsave(&mh->lock, flags);
	while ((text = virtqueue_get_buf(vq, &len))) {
		kfree(text);
		complete(&mh->returned);
	}
	spin_unlock_irqrestore(&mh->lock, flags);
}

/* Entry @k of `cases' into @name; false past the last. */
static bool mic_hostile_case(unsigned int k, char *name, size_t size)
{
	const char *p = cases;
	size_t len;

	for (; p && *p; k--) {
		len = strcspn(p, ",");
		if (!k) {
			strscpy(name, p, min(len + 1, size));
			return true;
		}
		p += len;
		if (*p)
			p++;
	}
	return false;
}

/* On a new device: a good chain, and once it is back, the next case. */
static void mic_hostile_work(struct work_struct *work)
{
	struct mic_hostile *mh = container_of(work, struct mic_hostile, work);
	char name[32];

	mutex_lock(&mic_hostile_lock);
	reinit_completion(&mh->returned);
	if (mic_hostile_good(mh))
		goto out_unlock;
	mutex_unlock(&mic_hostile_lock);
	if (!wait_for_completion_timeout(&mh->returned, MIC_HOSTILE_WAIT)) {
		dev_info(&mh->vdev->dev, "mic_hostile: the host did not return the good chain\n");
		return;
	}
	mutex_lock(&mic_hostile_lock);
	if (READ_ONCE(mh->gone))
		goto out_unlock;
	if (mic_hostile_case(mic_hostile_next, name, sizeof(name))) {
		mic_hostile_next++;
		mic_hostile_play(mh, name);
	} else {
		dev_info(&mh->vdev->dev, "mic_hostile: no case left to play\n");
	}
out_unlock:
	mutex_unlock(&mic_hostile_lock);
}

static int mic_hostile_probe(struct virtio_device *vdev)
{
	static const char * const names[] = { "input", "output" };
	vq_callback_t *callbacks[] = { NULL, mic_hostile_tx_done };
	struct mic_hostile *mh;
	int ret;

	mh = devm_kzalloc(&vdev->dev, sizeof(*mh), GFP_KERNEL);
	if (!mh)
		return -ENOMEM;
	mh->buf = devm_kzalloc(&vdev->dev, PAGE_SIZE, GFP_KERNEL);
	if (!mh->buf)
		return -ENOMEM;
	mh->vdev = vdev;
	spin_lock_init(&mh->lock);
	INIT_WORK(&mh->work, mic_hostile_work);
	init_completion(&mh->returned);
	vdev->priv = mh;
	ret = virtio_find_vqs(vdev, MIC_HOSTILE_NVQS, mh->vqs, callbacks,
			      names, NULL);
	if (ret)
		return ret;
	virtio_device_ready(vdev);
	mutex_lock(&mic_hostile_lock);
	mic_hostile_dev = mh;
	mutex_unlock(&mic_hostile_lock);
	dev_info(&vdev->dev, "mic_hostile: bound, %u entries in the transmit ring\n",
		 virtqueue_get_vring_size(mh->vqs[MIC_HOSTILE_TX]));
	schedule_work(&mh->work);
	return 0;
}

static void mic_hostile_remove(struct virtio_device *vdev)
{
	struct mic_hostile *mh = vdev->priv;
	void *text;

	mutex_lock(&mic_hostile_lock);
	if (mic_hostile_dev == mh)
		mic_hostile_dev = NULL;
	mutex_unlock(&mic_hostile_lock);
	WRITE_ONCE(mh->gone, true);
	complete_all(&mh->returned);
	cancel_work_sync(&mh->work);
	if (mh->flood)
		mic_hostile_flood(mh);
	virtio_reset_device(vdev);
	while ((text = virtqueue_detach_unused_buf(mh->vqs[MIC_HOSTILE_TX])))
		kfree(text);
	vdev->config->del_vqs(vdev);
	dev_info(&vdev->dev, "mic_hostile: unbound\n");
}

static const struct virtio_device_id mic_hostile_ids[] = {
	{ VIRTIO_ID_CONSOLE, VIRTIO_DEV_ANY_ID },
	{ }
};
MODULE_DEVICE_TABLE(virtio, mic_hostile_ids);

static struct virtio_driver mic_hostile_driver = {
	.driver.name = KBUILD_MODNAME,
	.driver.owner = THIS_MODULE,
	.id_table = mic_hostile_ids,
	.probe = mic_hostile_probe,
	.remove = mic_hostile_remove,
};
module_virtio_driver(mic_hostile_driver);

MODULE_DESCRIPTION("A console driver that breaks the ring rules, for tests");
MODULE_LICENSE("GPL");
