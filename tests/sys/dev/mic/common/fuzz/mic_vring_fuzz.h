/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The input format of mic_vring_fuzz, shared with mic_vring_seeds, which
 * writes the checked-in corpus.
 *
 *	byte 0		configuration:
 *			bits 2:0 log2 of the ring size (1 to 128 entries)
 *			bit 3    VIRTIO_RING_F_INDIRECT_DESC negotiated
 *			bits 6:4 the card window, from FUZZ_WINDOWS
 *	then		the card's side of the ring, FUZZ_IMAGE(num) bytes:
 *			the descriptor table, then avail flags, idx and ring
 *			(missing bytes are 0)
 *	then		operations, one byte each, some with arguments
 *
 * When the operations run out, the ring is drained: every available chain
 * is taken, consumed and completed.
 */
#ifndef MIC_VRING_FUZZ_H
#define MIC_VRING_FUZZ_H

#define	FUZZ_CFG(log2num, indirect, window)				\
	((log2num) | ((indirect) ? 8 : 0) | ((window) << 4))
#define	FUZZ_IMAGE(num)		(16 * (num) + 4 + 2 * (num))

/* Card windows: 0, 1, 4 KiB, 64 KiB, 1 MiB, 4 GiB, 1 TiB, 2^64 - 1. */
#define	FUZZ_WINDOWS	{ 0, 1, 4096, 65536, 1ull << 20, 1ull << 32,	\
			  1ull << 40, ~0ull }
#define	FUZZ_WIN_4K	2
#define	FUZZ_WIN_64K	3
#define	FUZZ_WIN_1M	4
#define	FUZZ_WIN_4G	5
#define	FUZZ_WIN_1T	6

enum fuzz_op {
	FUZZ_NEXT,	/* mic_vring_next_chain() */
	FUZZ_STEP,	/* arg n: copy and advance n bytes (255: the buffer) */
	FUZZ_DRAIN,	/* copy the rest of the chain */
	FUZZ_DONE,	/* mic_vring_complete(written) */
	FUZZ_DONE_LEN,	/* args le32 len: mic_vring_complete(len) */
	FUZZ_RESET,	/* mic_vring_reset() */
	FUZZ_POKE,	/* args le16 off, n, n bytes: the card writes them */
	FUZZ_POST,	/* arg k: the card moves its avail index by k */
	FUZZ_PENDING,	/* mic_vring_pending() */
	FUZZ_NOTIFY,	/* mic_vring_need_notify() */
	FUZZ_FEATURES,	/* arg f: bit 0 INDIRECT_DESC, bit 1 EVENT_IDX */
	FUZZ_NOPS
};

#endif /* MIC_VRING_FUZZ_H */
