/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the test drivers that play one request at a time on a card share
 * (mic_badblk.c, mic_badnet.c): the device, the lock of the virtqueue
 * they send on, the work that plays their cases, the completion of the
 * request in flight, and the removal.
 */
#ifndef MIC_BADCARD_H
#define MIC_BADCARD_H

#include <linux/completion.h>
#include <linux/spinlock.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/workqueue.h>

/**
 * struct mic_badcard - a device bound by a test driver
 * @vdev: the device
 * @lock: serialises the use of the virtqueue requests go on
 * @work: plays the cases
 * @done: the host gave the request back
 * @gone: the device is being removed
 */
struct mic_badcard {
	struct virtio_device *vdev;
	spinlock_t lock;	/* the virtqueue requests go on */
	struct work_struct work;
	struct completion done;
	bool gone;
};

static inline void mic_badcard_init(struct mic_badcard *bc,
				    struct virtio_device *vdev,
				    work_func_t fn)
{
	bc->vdev = vdev;
	spin_lock_init(&bc->lock);
	INIT_WORK(&bc->work, fn);
	init_completion(&bc->done);
}

/* The host gave buffers of @vq back: each completes the request. */
static inline void mic_badcard_done(struct mic_badcard *bc,
				    struct virtqueue *vq)
{
	unsigned long flags;
	unsigned int len;

	spin_lock_irqsave(&bc->lock, flags);
	while (virtqueue_get_buf(vq, &len))
		complete(&bc->done);
	spin_unlock_irqrestore(&bc->lock, flags);
}

/* Wait for the request in flight; false with no answer or no device. */
static inline bool mic_badcard_wait(struct mic_badcard *bc,
				    unsigned long timeout)
{
	return wait_for_completion_timeout(&bc->done, timeout) &&
	       !READ_ONCE(bc->gone);
}

/* The removal: stop the work and the device, drop @vq's buffers. */
static inline void mic_badcard_remove(struct mic_badcard *bc,
				      struct virtqueue *vq)
{
	struct virtio_device *vdev = bc->vdev;

	WRITE_ONCE(bc->gone, true);
	complete_all(&bc->done);
	cancel_work_sync(&bc->work);
	virtio_reset_device(vdev);
	while (virtqueue_detach_unused_buf(vq))
		;
	vdev->config->del_vqs(vdev);
}

#endif /* MIC_BADCARD_H */
