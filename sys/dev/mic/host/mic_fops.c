// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel MIC X100 host driver: the character device /dev/micN (ABI.md
 * section 2).  One open file is one virtio device of the card
 * (mic_virtio.c).  The cdev is allocated on its own, not in the card's
 * struct: an open file may outlive the card (unbind), and then sees its
 * device ended.
 */
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>

#include <linux/mic_ioctl.h>

#include "mic_virtio.h"

/* The cards by minor number, under mic_virtio_lock. */
static struct mic_device *mic_fops_cards[MIC_MAX_CARDS];

static int mic_fops_open(struct inode *inode, struct file *file)
{
	unsigned int minor = iminor(inode);
	struct mic_device *mdev;
	struct mic_vdev *vdev = NULL;

	mutex_lock(&mic_virtio_lock);
	mdev = minor < MIC_MAX_CARDS ? mic_fops_cards[minor] : NULL;
	if (mdev)
		vdev = mic_vdev_alloc(mdev);
	mutex_unlock(&mic_virtio_lock);
	if (!mdev)
		return -ENODEV;
	if (!vdev)
		return -ENOMEM;
	file->private_data = vdev;
	return nonseekable_open(inode, file);
}

static int mic_fops_release(struct inode *inode, struct file *file)
{
	mic_vdev_release(file->private_data);
	return 0;
}

static long mic_fops_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct mic_vdev *vdev = file->private_data;
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case MIC_VIRTIO_ADD_DEVICE:
		return mic_vdev_add(vdev, argp);
	case MIC_VIRTIO_COPY_DESC:
		return mic_vdev_copy_desc(vdev, argp);
	case MIC_VIRTIO_CONFIG_CHANGE:
		return mic_vdev_config_change(vdev, argp);
	default:
		return -ENOTTY;
	}
}

static __poll_t mic_fops_poll(struct file *file, poll_table *wait)
{
	struct mic_vdev *vdev = file->private_data;

	poll_wait(file, &vdev->wq, wait);
	return mic_vdev_poll(vdev);
}

/* Read-only: a writable mapping is refused, and cannot be made later. */
static int mic_fops_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_WRITE)
		return -EACCES;
	vma->vm_flags &= ~VM_MAYWRITE;
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	return mic_vdev_mmap(file->private_data, vma);
}

static const struct file_operations mic_fops = {
	.owner = THIS_MODULE,
	.open = mic_fops_open,
	.release = mic_fops_release,
	.unlocked_ioctl = mic_fops_ioctl,
	.poll = mic_fops_poll,
	.mmap = mic_fops_mmap,
	.llseek = no_llseek,
};

/**
 * mic_fops_add() - create the character device of a card
 * @mdev: the card, its virtio devices set up (mic_virtio_init())
 * @devt: the device number of /dev/micN
 *
 * Return: 0 or a negative errno.
 */
int mic_fops_add(struct mic_device *mdev, dev_t devt)
{
	struct cdev *cdev;
	int ret;

	cdev = cdev_alloc();
	if (!cdev)
		return -ENOMEM;
	cdev->owner = THIS_MODULE;
	cdev->ops = &mic_fops;
	ret = cdev_add(cdev, devt, 1);
	if (ret) {
		kobject_put(&cdev->kobj);
		return ret;
	}
	mutex_lock(&mic_virtio_lock);
	mdev->virtio.cdev = cdev;
	mic_fops_cards[MINOR(devt)] = mdev;
	mutex_unlock(&mic_virtio_lock);
	return 0;
}

/**
 * mic_fops_del() - remove the character device of a card
 * @mdev: the card
 *
 * No file can be opened afterwards; those open stay usable until
 * mic_virtio_uninit() detaches them.
 */
void mic_fops_del(struct mic_device *mdev)
{
	struct cdev *cdev;

	mutex_lock(&mic_virtio_lock);
	cdev = mdev->virtio.cdev;
	mdev->virtio.cdev = NULL;
	if (cdev)
		mic_fops_cards[MINOR(cdev->dev)] = NULL;
	mutex_unlock(&mic_virtio_lock);
	if (cdev)
		cdev_del(cdev);
}
