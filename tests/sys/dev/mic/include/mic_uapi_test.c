/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The MIC UAPI headers as user space sees them: the layout of ABI.md
 * sections 2, 3 and 4 (the log ring), checked at compile time
 * (mic_abi_check.h) and again at run time, through the bytes that the
 * structures put in memory.
 */

#include <sys/ioctl.h>
#include <sys/uio.h>

#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <atf-c.h>
#include <linux/mic_common.h>
#include <linux/mic_ioctl.h>
#include <linux/virtio_ring.h>

#include "mic_abi_check.h"

/* Byte offset of a member, from a pointer to it in an object at base. */
#define	BYTE_OFF(base, member)						\
	((size_t)((const unsigned char *)(member) -			\
	    (const unsigned char *)(base)))

ATF_TC(constants);
ATF_TC_HEAD(constants, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "The constants of the device page have the values of ABI.md");
}
ATF_TC_BODY(constants, tc)
{
	ATF_CHECK_EQ(MIC_DP_SIZE, 4096);
	ATF_CHECK_EQ(MIC_MAGIC, 0xC0FFEE00u);
	ATF_CHECK_EQ(MIC_VIRTIO_RING_ALIGN, 4096);
	ATF_CHECK_EQ(MIC_MAX_VRINGS, 4);
	ATF_CHECK_EQ(MIC_MAX_VRING_ENTRIES, 128);
	ATF_CHECK_EQ(MIC_MAX_DESC_BLK_SIZE, 256);
	ATF_CHECK_EQ(MIC_DESC_TYPE_END, 0);
	ATF_CHECK_EQ(MIC_DESC_TYPE_REMOVED, -1);
	ATF_CHECK_EQ(MIC_CARD_NOT_UP, 0);
	ATF_CHECK_EQ(MIC_CARD_ONLINE, 1);
	ATF_CHECK_EQ(MIC_VIRTIO_PARAM_DEV_REMOVE, 1);
	ATF_CHECK_EQ(MIC_VIRTIO_PARAM_CONFIG_CHANGED, 2);
	ATF_CHECK_EQ(MIC_VRING_MAGIC(1, 0), 0xC0FFEE01u);
	ATF_CHECK_EQ(MIC_VRING_MAGIC(3, 1), 0xC0FFEE04u);
}

ATF_TC(status);
ATF_TC_HEAD(status, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "enum mic_status: 0 nop, 1 crashed, 2 halted, 3 poweroff, "
	    "4 restart");
}
ATF_TC_BODY(status, tc)
{
	ATF_CHECK_EQ(MIC_NOP, 0);
	ATF_CHECK_EQ(MIC_CRASHED, 1);
	ATF_CHECK_EQ(MIC_HALTED, 2);
	ATF_CHECK_EQ(MIC_POWER_OFF, 3);
	ATF_CHECK_EQ(MIC_RESTART, 4);
	ATF_CHECK_EQ(MIC_LOST, 5);
	ATF_CHECK_EQ(MIC_STATUS_LAST, 6);
}

ATF_TC(bootparam);
ATF_TC_HEAD(bootparam, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "struct mic_bootparam: 16 bytes, 8-aligned, card_state at 9, "
	    "little-endian magic");
}
ATF_TC_BODY(bootparam, tc)
{
	union {
		struct mic_bootparam	bp;
		unsigned char		b[32];
	} u;
	const unsigned char magic[4] = { 0x00, 0xEE, 0xFF, 0xC0 };
	size_t i;

	ATF_CHECK_EQ(sizeof(struct mic_bootparam), 16);
	ATF_CHECK_EQ(__alignof__(struct mic_bootparam), 8);
	ATF_CHECK_EQ(offsetof(struct mic_bootparam, magic), 0);
	ATF_CHECK_EQ(offsetof(struct mic_bootparam, c2h_shutdown_db), 4);
	ATF_CHECK_EQ(offsetof(struct mic_bootparam, h2c_shutdown_db), 5);
	ATF_CHECK_EQ(offsetof(struct mic_bootparam, h2c_config_db), 6);
	ATF_CHECK_EQ(offsetof(struct mic_bootparam, shutdown_status), 7);
	ATF_CHECK_EQ(offsetof(struct mic_bootparam, shutdown_card), 8);
	ATF_CHECK_EQ(offsetof(struct mic_bootparam, card_state), 9);
	ATF_CHECK_EQ(offsetof(struct mic_bootparam, reserved), 10);
	ATF_CHECK_EQ(sizeof(u.bp.reserved), 2);
	ATF_CHECK_EQ(offsetof(struct mic_bootparam, heartbeat), 12);

	memset(&u, 0, sizeof(u));
	u.bp.magic = htole32(MIC_MAGIC);
	u.bp.c2h_shutdown_db = 1;
	u.bp.h2c_shutdown_db = -1;
	u.bp.h2c_config_db = 2;
	u.bp.shutdown_status = MIC_RESTART;
	u.bp.shutdown_card = 1;
	u.bp.card_state = MIC_CARD_ONLINE;
	u.bp.heartbeat = htole32(0x04030201);
	ATF_CHECK(memcmp(u.b, magic, sizeof(magic)) == 0);
	ATF_CHECK_EQ(u.b[4], 1);
	ATF_CHECK_EQ(u.b[5], 0xff);
	ATF_CHECK_EQ(u.b[6], 2);
	ATF_CHECK_EQ(u.b[7], 4);
	ATF_CHECK_EQ(u.b[8], 1);
	ATF_CHECK_EQ(u.b[9], 1);
	for (i = 10; i < 12; i++)
		ATF_CHECK_EQ_MSG(u.b[i], 0, "byte %zu written", i);
	for (i = 12; i < 16; i++)
		ATF_CHECK_EQ_MSG(u.b[i], i - 11, "heartbeat byte %zu", i);
	for (i = 16; i < sizeof(u.b); i++)
		ATF_CHECK_EQ_MSG(u.b[i], 0, "byte %zu written", i);
}

ATF_TC(device_desc);
ATF_TC_HEAD(device_desc, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "struct mic_device_desc: 8 bytes, type num_vq feature_len "
	    "config_len status, then padding");
}
ATF_TC_BODY(device_desc, tc)
{
	struct mic_device_desc d[2];

	ATF_CHECK_EQ(sizeof(struct mic_device_desc), 8);
	ATF_CHECK_EQ(__alignof__(struct mic_device_desc), 8);
	ATF_CHECK_EQ(BYTE_OFF(&d[0], &d[0].type), 0);
	ATF_CHECK_EQ(BYTE_OFF(&d[0], &d[0].num_vq), 1);
	ATF_CHECK_EQ(BYTE_OFF(&d[0], &d[0].feature_len), 2);
	ATF_CHECK_EQ(BYTE_OFF(&d[0], &d[0].config_len), 3);
	ATF_CHECK_EQ(BYTE_OFF(&d[0], &d[0].status), 4);
	ATF_CHECK_EQ(BYTE_OFF(&d[0], &d[1]), 8);
	/* type is signed: -1 marks a removed device. */
	d[0].type = MIC_DESC_TYPE_REMOVED;
	ATF_CHECK(d[0].type < 0);
	ATF_CHECK_EQ(*(unsigned char *)&d[0].type, 0xff);
}

ATF_TC(vqconfig);
ATF_TC_HEAD(vqconfig, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "struct mic_vqconfig: 24 bytes, le64 address, le64 "
	    "used_address, le16 num");
}
ATF_TC_BODY(vqconfig, tc)
{
	union {
		struct mic_vqconfig	vq[2];
		unsigned char		b[48];
	} u;

	ATF_CHECK_EQ(sizeof(struct mic_vqconfig), 24);
	ATF_CHECK_EQ(__alignof__(struct mic_vqconfig), 8);
	ATF_CHECK_EQ(offsetof(struct mic_vqconfig, address), 0);
	ATF_CHECK_EQ(offsetof(struct mic_vqconfig, used_address), 8);
	ATF_CHECK_EQ(offsetof(struct mic_vqconfig, num), 16);
	memset(&u, 0, sizeof(u));
	u.vq[1].address = htole64(0x0102030405060708ull);
	u.vq[1].num = htole16(0x80);
	ATF_CHECK_EQ(u.b[24], 0x08);
	ATF_CHECK_EQ(u.b[31], 0x01);
	ATF_CHECK_EQ(u.b[40], 0x80);
	ATF_CHECK_EQ(u.b[41], 0x00);
}

ATF_TC(device_ctrl);
ATF_TC_HEAD(device_ctrl, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "struct mic_device_ctrl: 16 bytes, le64 vdev then 7 bytes");
}
ATF_TC_BODY(device_ctrl, tc)
{
	ATF_CHECK_EQ(sizeof(struct mic_device_ctrl), 16);
	ATF_CHECK_EQ(__alignof__(struct mic_device_ctrl), 8);
	ATF_CHECK_EQ(offsetof(struct mic_device_ctrl, vdev), 0);
	ATF_CHECK_EQ(offsetof(struct mic_device_ctrl, config_change), 8);
	ATF_CHECK_EQ(offsetof(struct mic_device_ctrl, vdev_reset), 9);
	ATF_CHECK_EQ(offsetof(struct mic_device_ctrl, guest_ack), 10);
	ATF_CHECK_EQ(offsetof(struct mic_device_ctrl, host_ack), 11);
	ATF_CHECK_EQ(offsetof(struct mic_device_ctrl,
	    used_address_updated), 12);
	ATF_CHECK_EQ(offsetof(struct mic_device_ctrl, c2h_vdev_db), 13);
	ATF_CHECK_EQ(offsetof(struct mic_device_ctrl, h2c_vdev_db), 14);
}

ATF_TC(vring_info);
ATF_TC_HEAD(vring_info, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "struct mic_vring_info: 8 bytes (le16 avail_idx, 2 pad, le32 "
	    "magic), usable at the unaligned offset 5126");
}
ATF_TC_BODY(vring_info, tc)
{
	static unsigned char ring[8192] __attribute__((aligned(4096)));
	struct mic_vring_info *info;
	size_t off;

	ATF_CHECK_EQ(sizeof(struct mic_vring_info), 8);
	ATF_CHECK_EQ(__alignof__(struct mic_vring_info), 1);
	ATF_CHECK_EQ(offsetof(struct mic_vring_info, avail_idx), 0);
	ATF_CHECK_EQ(offsetof(struct mic_vring_info, magic), 4);

	off = mic_vring_size(MIC_MAX_VRING_ENTRIES);
	ATF_REQUIRE_EQ(off, 5126);
	info = (struct mic_vring_info *)(ring + off);
	info->avail_idx = htole16(0x1234);
	info->magic = htole32(MIC_VRING_MAGIC(2, 0));
	ATF_CHECK_EQ(ring[off], 0x34);
	ATF_CHECK_EQ(ring[off + 1], 0x12);
	ATF_CHECK_EQ(ring[off + 4], 0x02);
	ATF_CHECK_EQ(ring[off + 5], 0xEE);
	ATF_CHECK_EQ(ring[off + 6], 0xFF);
	ATF_CHECK_EQ(ring[off + 7], 0xC0);
	ATF_CHECK_EQ(le32toh(info->magic), 0xC0FFEE02u);
}

ATF_TC(log_spads);
ATF_TC_HEAD(log_spads, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "The scratchpads of ABI.md: the log ring in SPAD8 (low), SPAD9 "
	    "(high) and SPAD10 (size), the device page in SPAD14 and 15");
}
ATF_TC_BODY(log_spads, tc)
{
	ATF_CHECK_EQ(MIC_SPAD_LOG_LO, 8);
	ATF_CHECK_EQ(MIC_SPAD_LOG_HI, 9);
	ATF_CHECK_EQ(MIC_SPAD_LOG_SIZE, 10);
	ATF_CHECK_EQ(MIC_SPAD_DP_LO, 14);
	ATF_CHECK_EQ(MIC_SPAD_DP_HI, 15);
}

ATF_TC(log_header);
ATF_TC_HEAD(log_header, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "struct mic_log_header: 16 bytes, 8-aligned, le32 magic \"MICL\" "
	    "in memory, le32 size, le64 written; slack 1024");
}
ATF_TC_BODY(log_header, tc)
{
	union {
		struct mic_log_header	h;
		unsigned char		b[32];
	} u;
	const unsigned char ring[16] = {
		'M', 'I', 'C', 'L',			/* magic */
		0x00, 0x00, 0x01, 0x00,			/* size 65536 */
		0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
	};
	size_t i;

	ATF_CHECK_EQ(MIC_LOG_MAGIC, 0x4c43494du);
	ATF_CHECK_EQ(MIC_LOG_SLACK, 1024);
	ATF_CHECK_EQ(sizeof(struct mic_log_header), 16);
	ATF_CHECK_EQ(__alignof__(struct mic_log_header), 8);
	ATF_CHECK_EQ(offsetof(struct mic_log_header, magic), 0);
	ATF_CHECK_EQ(offsetof(struct mic_log_header, size), 4);
	ATF_CHECK_EQ(offsetof(struct mic_log_header, written), 8);

	memset(&u, 0, sizeof(u));
	u.h.magic = htole32(MIC_LOG_MAGIC);
	u.h.size = htole32(65536);
	u.h.written = htole64(0x0102030405060708ull);
	ATF_CHECK(memcmp(u.b, ring, sizeof(ring)) == 0);
	for (i = 16; i < sizeof(u.b); i++)
		ATF_CHECK_EQ_MSG(u.b[i], 0, "byte %zu written", i);
}

ATF_TC(copy_desc);
ATF_TC_HEAD(copy_desc, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "struct mic_copy_desc: 24 bytes on LP64, iov iovcnt vr_idx "
	    "update_used out_len at 0 8 12 13 16");
}
ATF_TC_BODY(copy_desc, tc)
{
	struct iovec iov[1];
	struct mic_copy_desc c;

	if (sizeof(void *) != 8)
		atf_tc_skip("the sizes of ABI.md are those of LP64");
	ATF_CHECK_EQ(sizeof(struct mic_copy_desc), 24);
	ATF_CHECK_EQ(offsetof(struct mic_copy_desc, iov), 0);
	ATF_CHECK_EQ(offsetof(struct mic_copy_desc, iovcnt), 8);
	ATF_CHECK_EQ(offsetof(struct mic_copy_desc, vr_idx), 12);
	ATF_CHECK_EQ(offsetof(struct mic_copy_desc, update_used), 13);
	ATF_CHECK_EQ(offsetof(struct mic_copy_desc, out_len), 16);
	/* It takes the struct iovec of <sys/uio.h>. */
	c.iov = iov;
	ATF_CHECK(c.iov == iov);
}

ATF_TC(ioctl_numbers);
ATF_TC_HEAD(ioctl_numbers, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "The ioctl numbers keep the 3.13 values, whose size field is "
	    "that of a pointer");
}
ATF_TC_BODY(ioctl_numbers, tc)
{
	if (sizeof(void *) != 8)
		atf_tc_skip("the values of ABI.md are those of LP64");
	ATF_CHECK_EQ((unsigned long)MIC_VIRTIO_ADD_DEVICE, 0xC0087301ul);
	ATF_CHECK_EQ((unsigned long)MIC_VIRTIO_COPY_DESC, 0xC0087302ul);
	ATF_CHECK_EQ((unsigned long)MIC_VIRTIO_CONFIG_CHANGE, 0xC0087305ul);

	ATF_CHECK_EQ(_IOC_DIR(MIC_VIRTIO_ADD_DEVICE), _IOC_READ | _IOC_WRITE);
	ATF_CHECK_EQ(_IOC_TYPE(MIC_VIRTIO_ADD_DEVICE), 's');
	ATF_CHECK_EQ(_IOC_NR(MIC_VIRTIO_ADD_DEVICE), 1);
	ATF_CHECK_EQ(_IOC_SIZE(MIC_VIRTIO_ADD_DEVICE), sizeof(void *));
	ATF_CHECK_EQ(_IOC_NR(MIC_VIRTIO_COPY_DESC), 2);
	ATF_CHECK_EQ(_IOC_SIZE(MIC_VIRTIO_COPY_DESC), sizeof(void *));
	ATF_CHECK_EQ(_IOC_NR(MIC_VIRTIO_CONFIG_CHANGE), 5);
	ATF_CHECK_EQ(_IOC_SIZE(MIC_VIRTIO_CONFIG_CHANGE), sizeof(void *));
}

ATF_TC(desc_size);
ATF_TC_HEAD(desc_size, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_desc_size() is 8 + 24 num_vq + 2 feature_len + config_len; "
	    "the aligned and total sizes round to 8 and add the ctrl");
}
ATF_TC_BODY(desc_size, tc)
{
	static const struct {
		uint8_t	num_vq, feature_len, config_len;
		uint32_t size, aligned, total;
	} t[] = {
		{ 0, 0, 0, 8, 8, 24 },
		{ 1, 0, 0, 32, 32, 48 },
		{ 2, 4, 12, 76, 80, 96 },	/* net, as micd offers it */
		{ 1, 4, 8, 48, 48, 64 },
		{ 2, 1, 1, 59, 64, 80 },
		{ 4, 32, 88, 256, 256, 272 },	/* the largest accepted */
		{ 4, 32, 89, 257, 264, 280 },
		{ 255, 255, 255, 6893, 6896, 6912 },
	};
	struct mic_device_desc d;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&d, 0, sizeof(d));
		d.type = 1;
		d.num_vq = t[i].num_vq;
		d.feature_len = t[i].feature_len;
		d.config_len = t[i].config_len;
		ATF_CHECK_EQ_MSG(mic_desc_size(&d), t[i].size, "case %zu", i);
		ATF_CHECK_EQ_MSG(mic_aligned_desc_size(&d), t[i].aligned,
		    "case %zu", i);
		ATF_CHECK_EQ_MSG(mic_total_desc_size(&d), t[i].total,
		    "case %zu", i);
	}
}

ATF_TC(vring_size);
ATF_TC_HEAD(vring_size, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mic_vring_size() is vring_size(num, 4096), 5126 for 128 "
	    "entries; mic_vring_map_size() adds the trailer and rounds to "
	    "4096");
}
ATF_TC_BODY(vring_size, tc)
{
	unsigned int num;

	ATF_CHECK_EQ(mic_vring_size(128), 5126);
	ATF_CHECK_EQ(mic_vring_size(1), 4110);
	ATF_CHECK_EQ(mic_vring_size(256), 10246);
	for (num = 1; num <= 32768; num <<= 1)
		ATF_CHECK_EQ_MSG(mic_vring_size(num),
		    vring_size(num, MIC_VIRTIO_RING_ALIGN), "num %u", num);

	ATF_CHECK_EQ(mic_vring_map_size(1), 8192);
	ATF_CHECK_EQ(mic_vring_map_size(64), 8192);
	ATF_CHECK_EQ(mic_vring_map_size(128), 8192);
	ATF_CHECK_EQ(mic_vring_map_size(256), 12288);
	for (num = 1; num <= 32768; num <<= 1) {
		ATF_CHECK_EQ_MSG(mic_vring_map_size(num) % 4096, 0,
		    "num %u", num);
		ATF_CHECK_MSG(mic_vring_map_size(num) >= mic_vring_size(num) +
		    sizeof(struct mic_vring_info), "num %u", num);
		ATF_CHECK_MSG(mic_vring_map_size(num) < mic_vring_size(num) +
		    sizeof(struct mic_vring_info) + 4096, "num %u", num);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, constants);
	ATF_TP_ADD_TC(tp, status);
	ATF_TP_ADD_TC(tp, bootparam);
	ATF_TP_ADD_TC(tp, device_desc);
	ATF_TP_ADD_TC(tp, vqconfig);
	ATF_TP_ADD_TC(tp, device_ctrl);
	ATF_TP_ADD_TC(tp, vring_info);
	ATF_TP_ADD_TC(tp, log_spads);
	ATF_TP_ADD_TC(tp, log_header);
	ATF_TP_ADD_TC(tp, copy_desc);
	ATF_TP_ADD_TC(tp, ioctl_numbers);
	ATF_TP_ADD_TC(tp, desc_size);
	ATF_TP_ADD_TC(tp, vring_size);

	return (atf_no_error());
}
