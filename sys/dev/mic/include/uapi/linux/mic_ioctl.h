/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Intel MIC X100 coprocessor: the ioctls of /dev/micN.
 *
 * One open file is one virtio device of the card.  The numbers keep the
 * values of the Linux 3.13 MIC ABI, whose size field encodes a pointer,
 * not the structure passed.
 */
#ifndef _UAPI_LINUX_MIC_IOCTL_H
#define _UAPI_LINUX_MIC_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include <linux/mic_common.h>

/**
 * struct mic_copy_desc - the argument of MIC_VIRTIO_COPY_DESC (24 bytes)
 * @iov: the caller's buffers
 * @iovcnt: number of entries of @iov, at most 1024
 * @vr_idx: index of the vring
 * @update_used: when set and something was copied, complete the chain
 *	into the used ring and ring the card
 * @out_len: written back: the number of bytes copied
 */
struct mic_copy_desc {
#ifdef __KERNEL__
	struct iovec __user *iov;
#else
	struct iovec *iov;
#endif
	__u32 iovcnt;
	__u8 vr_idx;
	__u8 update_used;
	__u32 out_len;
};

/* Bind a device to this file: header, vqconfigs, features, config. */
#define MIC_VIRTIO_ADD_DEVICE		_IOWR('s', 1, struct mic_device_desc *)

/* Move the data of the next available chain of a vring. */
#define MIC_VIRTIO_COPY_DESC		_IOWR('s', 2, struct mic_copy_desc *)

/* Replace the config space (config_len bytes) and tell the card. */
#define MIC_VIRTIO_CONFIG_CHANGE	_IOWR('s', 5, __u8 *)

#endif /* _UAPI_LINUX_MIC_IOCTL_H */
