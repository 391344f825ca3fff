/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Compile-time checks of the MIC ABI: every size, offset and value of the
 * device page, the log ring and the ioctls that the card, the host and
 * user space must agree on.  Included by a file of each module and by the user-space
 * tests, so that no side builds with a different layout.
 */
#ifndef MIC_ABI_CHECK_H
#define MIC_ABI_CHECK_H

#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/stddef.h>
#define MIC_ABI_ASSERT(e)	static_assert(e)
#else
#include <assert.h>
#include <stddef.h>
#define MIC_ABI_ASSERT(e)	static_assert(e, #e)
#endif

#include <linux/mic_common.h>
#include <linux/mic_ioctl.h>

/* Constants */
MIC_ABI_ASSERT(MIC_DP_SIZE == 4096);
MIC_ABI_ASSERT(MIC_MAGIC == 0xC0FFEE00);
MIC_ABI_ASSERT(MIC_VIRTIO_RING_ALIGN == 4096);
MIC_ABI_ASSERT(MIC_MAX_VRINGS == 4);
MIC_ABI_ASSERT(MIC_MAX_VRING_ENTRIES == 128);
MIC_ABI_ASSERT(MIC_MAX_DESC_BLK_SIZE == 256);
MIC_ABI_ASSERT(MIC_DESC_TYPE_END == 0);
MIC_ABI_ASSERT(MIC_DESC_TYPE_REMOVED == -1);
MIC_ABI_ASSERT(MIC_CARD_NOT_UP == 0);
MIC_ABI_ASSERT(MIC_CARD_ONLINE == 1);
MIC_ABI_ASSERT(MIC_VIRTIO_PARAM_DEV_REMOVE == 1);
MIC_ABI_ASSERT(MIC_VIRTIO_PARAM_CONFIG_CHANGED == 2);
MIC_ABI_ASSERT(MIC_VRING_MAGIC(3, 1) == 0xC0FFEE04);

/* The scratchpads of the device page and the log ring */
MIC_ABI_ASSERT(MIC_SPAD_LOG_LO == 8);
MIC_ABI_ASSERT(MIC_SPAD_LOG_HI == 9);
MIC_ABI_ASSERT(MIC_SPAD_LOG_SIZE == 10);
MIC_ABI_ASSERT(MIC_SPAD_DP_LO == 14);
MIC_ABI_ASSERT(MIC_SPAD_DP_HI == 15);

/* The log ring: "MICL", and the writer's slack */
MIC_ABI_ASSERT(MIC_LOG_MAGIC == 0x4c43494d);
MIC_ABI_ASSERT(MIC_LOG_SLACK == 1024);

/* struct mic_log_header: 16 bytes, 8-aligned */
MIC_ABI_ASSERT(sizeof(struct mic_log_header) == 16);
MIC_ABI_ASSERT(__alignof__(struct mic_log_header) == 8);
MIC_ABI_ASSERT(offsetof(struct mic_log_header, magic) == 0);
MIC_ABI_ASSERT(offsetof(struct mic_log_header, size) == 4);
MIC_ABI_ASSERT(offsetof(struct mic_log_header, written) == 8);

/* enum mic_status */
MIC_ABI_ASSERT(MIC_NOP == 0);
MIC_ABI_ASSERT(MIC_CRASHED == 1);
MIC_ABI_ASSERT(MIC_HALTED == 2);
MIC_ABI_ASSERT(MIC_POWER_OFF == 3);
MIC_ABI_ASSERT(MIC_RESTART == 4);
MIC_ABI_ASSERT(MIC_LOST == 5);
MIC_ABI_ASSERT(MIC_STATUS_LAST == 6);

/* struct mic_bootparam: 16 bytes, 8-aligned */
MIC_ABI_ASSERT(sizeof(struct mic_bootparam) == 16);
MIC_ABI_ASSERT(__alignof__(struct mic_bootparam) == 8);
MIC_ABI_ASSERT(offsetof(struct mic_bootparam, magic) == 0);
MIC_ABI_ASSERT(offsetof(struct mic_bootparam, c2h_shutdown_db) == 4);
MIC_ABI_ASSERT(offsetof(struct mic_bootparam, h2c_shutdown_db) == 5);
MIC_ABI_ASSERT(offsetof(struct mic_bootparam, h2c_config_db) == 6);
MIC_ABI_ASSERT(offsetof(struct mic_bootparam, shutdown_status) == 7);
MIC_ABI_ASSERT(offsetof(struct mic_bootparam, shutdown_card) == 8);
MIC_ABI_ASSERT(offsetof(struct mic_bootparam, card_state) == 9);
MIC_ABI_ASSERT(offsetof(struct mic_bootparam, reserved) == 10);
MIC_ABI_ASSERT(offsetof(struct mic_bootparam, heartbeat) == 12);

/* struct mic_device_desc: 8 bytes */
MIC_ABI_ASSERT(sizeof(struct mic_device_desc) == 8);
MIC_ABI_ASSERT(__alignof__(struct mic_device_desc) == 8);
MIC_ABI_ASSERT(offsetof(struct mic_device_desc, type) == 0);
MIC_ABI_ASSERT(offsetof(struct mic_device_desc, num_vq) == 1);
MIC_ABI_ASSERT(offsetof(struct mic_device_desc, feature_len) == 2);
MIC_ABI_ASSERT(offsetof(struct mic_device_desc, config_len) == 3);
MIC_ABI_ASSERT(offsetof(struct mic_device_desc, status) == 4);

/* struct mic_vqconfig: 24 bytes */
MIC_ABI_ASSERT(sizeof(struct mic_vqconfig) == 24);
MIC_ABI_ASSERT(__alignof__(struct mic_vqconfig) == 8);
MIC_ABI_ASSERT(offsetof(struct mic_vqconfig, address) == 0);
MIC_ABI_ASSERT(offsetof(struct mic_vqconfig, used_address) == 8);
MIC_ABI_ASSERT(offsetof(struct mic_vqconfig, num) == 16);

/* struct mic_device_ctrl: 16 bytes */
MIC_ABI_ASSERT(sizeof(struct mic_device_ctrl) == 16);
MIC_ABI_ASSERT(__alignof__(struct mic_device_ctrl) == 8);
MIC_ABI_ASSERT(offsetof(struct mic_device_ctrl, vdev) == 0);
MIC_ABI_ASSERT(offsetof(struct mic_device_ctrl, config_change) == 8);
MIC_ABI_ASSERT(offsetof(struct mic_device_ctrl, vdev_reset) == 9);
MIC_ABI_ASSERT(offsetof(struct mic_device_ctrl, guest_ack) == 10);
MIC_ABI_ASSERT(offsetof(struct mic_device_ctrl, host_ack) == 11);
MIC_ABI_ASSERT(offsetof(struct mic_device_ctrl, used_address_updated) == 12);
MIC_ABI_ASSERT(offsetof(struct mic_device_ctrl, c2h_vdev_db) == 13);
MIC_ABI_ASSERT(offsetof(struct mic_device_ctrl, h2c_vdev_db) == 14);

/* struct mic_vring_info: 8 bytes, at any address */
MIC_ABI_ASSERT(sizeof(struct mic_vring_info) == 8);
MIC_ABI_ASSERT(__alignof__(struct mic_vring_info) == 1);
MIC_ABI_ASSERT(offsetof(struct mic_vring_info, avail_idx) == 0);
MIC_ABI_ASSERT(offsetof(struct mic_vring_info, magic) == 4);

/* struct mic_copy_desc: 24 bytes on LP64 */
MIC_ABI_ASSERT(offsetof(struct mic_copy_desc, iov) == 0);
MIC_ABI_ASSERT(offsetof(struct mic_copy_desc, iovcnt) == sizeof(void *));
MIC_ABI_ASSERT(offsetof(struct mic_copy_desc, vr_idx) ==
	       sizeof(void *) + 4);
MIC_ABI_ASSERT(offsetof(struct mic_copy_desc, update_used) ==
	       sizeof(void *) + 5);
MIC_ABI_ASSERT(offsetof(struct mic_copy_desc, out_len) ==
	       sizeof(void *) + 8);
MIC_ABI_ASSERT(sizeof(void *) != 8 || sizeof(struct mic_copy_desc) == 24);

/* The ioctl numbers: the size field encodes a pointer. */
MIC_ABI_ASSERT(sizeof(void *) != 8 || MIC_VIRTIO_ADD_DEVICE == 0xC0087301);
MIC_ABI_ASSERT(sizeof(void *) != 8 || MIC_VIRTIO_COPY_DESC == 0xC0087302);
MIC_ABI_ASSERT(sizeof(void *) != 8 ||
	       MIC_VIRTIO_CONFIG_CHANGE == 0xC0087305);

#endif /* MIC_ABI_CHECK_H */
