/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Layout of the device page: the list of device descriptor blocks after
 * the bootparam.  Both sides of the link may write the page, so every
 * length read from it is checked against MIC_DP_SIZE before it is used,
 * and each block is seen through a snapshot of its header
 * (struct mic_dp_block) taken once.
 */
#ifndef MIC_DP_H
#define MIC_DP_H

#include "mic_compat.h"

#include <linux/mic_common.h>

/* Offset of the first descriptor block: right after the bootparam. */
#define MIC_DP_FIRST		sizeof(struct mic_bootparam)

/* The largest feature_len MIC_VIRTIO_ADD_DEVICE accepts. */
#define MIC_DP_MAX_FEATURE_LEN	32

/**
 * struct mic_dp_block - a descriptor block, from one read of its header
 * @off: offset of the block from the start of the page or buffer
 * @type: device type; MIC_DESC_TYPE_REMOVED for a removed block
 * @num_vq: number of vqconfigs
 * @feature_len: bytes of each feature array
 * @config_len: bytes of config space
 * @desc_size: mic_desc_size() of the header
 * @size: mic_total_desc_size() of the header: the whole block
 *
 * The accessors below locate the parts of a block from this snapshot only,
 * never from the page again, so what the other side writes later cannot
 * move them out of the bounds checked when the snapshot was taken.
 */
struct mic_dp_block {
	unsigned int off;
	s8 type;
	u8 num_vq;
	u8 feature_len;
	u8 config_len;
	unsigned int desc_size;
	unsigned int size;
};

void mic_dp_init(void *dp, s8 c2h_shutdown_db);
bool mic_dp_has_magic(const void *dp);
void mic_dp_read_header(struct mic_dp_block *b, const void *base,
			unsigned int off);
int mic_dp_check_header(const struct mic_dp_block *b);
int mic_dp_check_rings(const void *base, const struct mic_dp_block *b);
int mic_dp_walk(const void *dp, unsigned int *pos, struct mic_dp_block *b);
int mic_dp_next(const void *dp, unsigned int *pos, struct mic_dp_block *b);
int mic_dp_find_room(const void *dp, unsigned int size);
int mic_dp_add(void *dp, const void *blk, struct mic_dp_block *b);
void mic_dp_remove(void *dp, const struct mic_dp_block *b);

struct mic_vqconfig *mic_dp_vqconfig(void *base, const struct mic_dp_block *b);
u8 *mic_dp_host_features(void *base, const struct mic_dp_block *b);
u8 *mic_dp_guest_features(void *base, const struct mic_dp_block *b);
u8 *mic_dp_config(void *base, const struct mic_dp_block *b);
struct mic_device_ctrl *mic_dp_ctrl(void *base, const struct mic_dp_block *b);

#endif /* MIC_DP_H */
