/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The host's ring walker: the host side of a legacy split vring that the
 * host allocated in its own memory and the card fills across PCIe.
 *
 * The card is untrusted: it may write anything into the ring at any time,
 * between two reads of the same field too.  Each field is read once into a
 * local and checked there; a whole chain is read and checked before any of
 * it is handed out, and is then used from that copy only.  A violation of
 * the rules (ABI.md section 5) breaks the ring: every later call fails with
 * -EIO until mic_vring_reset().
 *
 * Not thread safe: the caller serialises the calls on one ring.
 */
#ifndef MIC_VRING_H
#define MIC_VRING_H

#include "mic_compat.h"

#include <linux/mic_common.h>
#include <linux/virtio_ring.h>

/**
 * enum mic_vring_err - the rule a card broke, as mic_vring_error() tells
 * @MIC_VRING_OK: no rule was broken
 * @MIC_VRING_E_AVAIL_IDX: the avail index moved by more than the ring size
 * @MIC_VRING_E_HEAD: a head index is not below the ring size
 * @MIC_VRING_E_NEXT: a next index is not below the ring size
 * @MIC_VRING_E_LOOP: a chain has more descriptors than the ring (a loop)
 * @MIC_VRING_E_WINDOW: a buffer does not lie inside the card window
 * @MIC_VRING_E_TOTAL: the buffers of a chain add up to 4 GiB or more
 * @MIC_VRING_E_INDIRECT: an indirect descriptor, not negotiated
 * @MIC_VRING_E_INDIRECT_UNSUPP: an indirect descriptor, negotiated but not
 *	supported by this walker
 * @MIC_VRING_E_ORDER: a readable descriptor after a writable one
 * @MIC_VRING_E_LAST: one past the last value
 */
enum mic_vring_err {
	MIC_VRING_OK,
	MIC_VRING_E_AVAIL_IDX,
	MIC_VRING_E_HEAD,
	MIC_VRING_E_NEXT,
	MIC_VRING_E_LOOP,
	MIC_VRING_E_WINDOW,
	MIC_VRING_E_TOTAL,
	MIC_VRING_E_INDIRECT,
	MIC_VRING_E_INDIRECT_UNSUPP,
	MIC_VRING_E_ORDER,
	MIC_VRING_E_LAST
};

/**
 * struct mic_vring_buf - one buffer of a chain, as read from its descriptor
 * @addr: card address of the buffer: an offset into the card window
 * @len: bytes of the buffer
 * @write: true if the host writes the buffer (host to card), false if the
 *	host reads it (card to host)
 */
struct mic_vring_buf {
	u64 addr;
	u32 len;
	bool write;
};

/**
 * struct mic_vring_chain - the chain in progress: a checked copy
 * @head: index of its first descriptor, the id it is completed with
 * @ndesc: number of buffers in @buf, 1 to the ring size
 * @nread: the first @nread buffers are readable, the others writable
 * @cur: the buffer the next byte comes from or goes to
 * @off: bytes of @buf[@cur] already consumed
 * @read: bytes consumed so far from the readable buffers
 * @written: bytes consumed so far into the writable buffers: the length
 *	virtio expects in the used ring
 * @buf: the buffers, in chain order, each inside the card window
 *
 * mic_vring_cur() and mic_vring_advance() move through the chain; the
 * fields may be read but are changed only by the mic_vring_*() calls.
 */
struct mic_vring_chain {
	u16 head;
	u16 ndesc;
	u16 nread;
	u16 cur;
	u32 off;
	u32 read;
	u32 written;
	struct mic_vring_buf buf[MIC_MAX_VRING_ENTRIES];
};

/**
 * struct mic_vring - the host's side of one vring
 * @base: the ring in host memory: descriptors, avail ring, used ring, then
 *	the &struct mic_vring_info trailer at mic_vring_size(@num)
 * @num: entries in the ring, a power of two up to MIC_MAX_VRING_ENTRIES
 * @window: bytes of the card window: a buffer must lie in [0, @window)
 * @features: the ring features both sides agreed on (bits of
 *	<linux/virtio_ring.h>, such as VIRTIO_RING_F_INDIRECT_DESC)
 * @last_avail: the next avail index to take
 * @used_idx: the next used index to fill; the host's own copy, never read
 *	back from the ring
 * @busy: a chain is in progress (@chain)
 * @err: the rule the card broke, MIC_VRING_OK while the ring is usable
 * @chain: the chain in progress, when @busy
 *
 * Set up by mic_vring_init(); the fields are private to mic_vring.c.
 */
struct mic_vring {
	u8 *base;
	unsigned int num;
	u64 window;
	u64 features;
	u16 last_avail;
	u16 used_idx;
	bool busy;
	enum mic_vring_err err;
	struct mic_vring_chain chain;
};

int mic_vring_init(struct mic_vring *vr, void *base, unsigned int num,
		   u64 window);
void mic_vring_format(struct mic_vring *vr, u32 magic);
void mic_vring_reset(struct mic_vring *vr);
void mic_vring_set_features(struct mic_vring *vr, u64 features);

int mic_vring_next_chain(struct mic_vring *vr);
const struct mic_vring_chain *mic_vring_get_chain(const struct mic_vring *vr);
bool mic_vring_cur(const struct mic_vring *vr, struct mic_vring_buf *b);
void mic_vring_advance(struct mic_vring *vr, u32 n);
int mic_vring_complete(struct mic_vring *vr, u32 len);

bool mic_vring_pending(const struct mic_vring *vr);
bool mic_vring_need_notify(const struct mic_vring *vr);
enum mic_vring_err mic_vring_error(const struct mic_vring *vr);
const char *mic_vring_strerror(enum mic_vring_err err);

#endif /* MIC_VRING_H */
