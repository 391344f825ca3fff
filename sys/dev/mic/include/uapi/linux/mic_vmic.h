/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * vmic: the register file of the virtual X100 that micemu(8) emulates.
 *
 * Each virtual card has an ivshmem-doorbell PCI device in the host guest
 * and in the card guest.  Its shared memory (BAR2, MIC_VMIC_REGS_SIZE
 * bytes) holds the emulated X100 BAR4 at the X100 offsets, followed at
 * MIC_VMIC_EXT by struct mic_vmic_ext.  All fields are little endian.
 *
 * Register reads and writes are plain memory accesses.  Side effects
 * are ivshmem doorbells (BAR0 register MIC_VMIC_IVSHMEM_DOORBELL, value
 * peer << 16 | vector), always sent after the state they announce has
 * been written: a doorbell to a peer that is not connected is dropped,
 * so the receiver always re-reads the state words.  Peer ids are read
 * from the extension before each ring: a card guest gets a new one each
 * time it starts.
 *
 * Event protocol (host->card doorbell n, card->host doorbell db):
 *	sender:   write 1 to h2c_db[n] (c2h_db[db]), then ring the
 *		  receiver's peer id with vector h2c_vec[n] (c2h_vec[db]).
 *	receiver: on vector v (and once when it starts), for each
 *		  doorbell mapped to v whose word is not 0: write 0 to
 *		  the word, then handle the doorbell.
 * DMA:		host channels 0-3 (registers below); after moving a
 *		DHPR the host writes 1 to dma_kick and rings emu_peer with
 *		dma_kick_vec.  micemu writes 0 to dma_kick and runs every
 *		enabled host channel off its event loop; a channel that
 *		interrupts gets SICR0 bit 8 + ch set, then the host is
 *		rung with dma_vec.  A reset waits for a running pass to
 *		end, then zeroes DCR and the channel registers.
 * Reset:	SPAD2 = 0; RGCR |= MIC_VMIC_RGCR_RESET; ring emu_peer with
 *		reset_vec.  micemu kills the card guest, zeroes the
 *		scratchpads but those in MIC_VMIC_SPAD_KEEP, APICICR0..7,
 *		h2c_db and c2h_db, clears the RGCR bit and writes SPAD2 =
 *		ready | download address last; then, in the host page,
 *		emu_state = MIC_VMIC_EMU_READY and resets + 1.
 *
 * The register file is shared with the card guest, which may write any
 * of it at any time: on the X100 the reset stops the card at once, here
 * the card guest runs until micemu has killed it, and could set SPAD2's
 * ready bit before that.  So the host guest has a third function in the
 * card's slot, MIC_VMIC_FN_HOST, an ivshmem-plain device whose memory
 * (struct mic_vmic_host_page) only micemu and the host guest map.  The
 * host trusts a reset as done only when the host page says
 * MIC_VMIC_EMU_READY, and only micemu writes that page.
 * Bootstrap:	with SPAD2 ready, copy the image to the aperture at the
 *		download address, the command line right after it, the
 *		ramdisk at twice the download address (boot_params
 *		ramdisk_image and ramdisk_size patched in the copied image),
 *		SPAD5 = image size; APICICR7 high dword = APIC id, low dword
 *		= MIC_VMIC_BOOT_VECTOR | MIC_VMIC_APICICR_SEND; ring emu_peer
 *		with boot_vec.  micemu clears the send bit and SPAD2 and
 *		starts the card guest on the extracted files.
 */
#ifndef _UAPI_LINUX_MIC_VMIC_H
#define _UAPI_LINUX_MIC_VMIC_H

#include <linux/types.h>

#include <linux/mic_common.h>

/* PCI: ivshmem (Red Hat, Inc.), the same IDs for both functions. */
#define MIC_VMIC_PCI_VENDOR	0x1af4
#define MIC_VMIC_PCI_DEVICE	0x1110
/* Host guest: card K at slot MIC_VMIC_HOST_SLOT(K), 0 <= K < 8. */
#define MIC_VMIC_HOST_SLOT(k)	(0x10 + (k))
#define MIC_VMIC_MAX_CARDS	8
/* Card guest: its doorbell device and host window at this slot. */
#define MIC_VMIC_CARD_SLOT	0x10
/* Function 0: ivshmem-doorbell, BAR2 = this register file. */
#define MIC_VMIC_FN_REGS	0
/* Function 1: ivshmem-plain, BAR2 = aperture (host) or host window (card). */
#define MIC_VMIC_FN_MEM		1
/* Host guest, function 2: ivshmem-plain, BAR2 = the host page. */
#define MIC_VMIC_FN_HOST	2

/* ivshmem BAR0 registers (32 bits). */
#define MIC_VMIC_IVSHMEM_INTRMASK	0x00
#define MIC_VMIC_IVSHMEM_INTRSTATUS	0x04
#define MIC_VMIC_IVSHMEM_IVPOSITION	0x08
#define MIC_VMIC_IVSHMEM_DOORBELL	0x0c
#define MIC_VMIC_DOORBELL(peer, vec)	(((__u32)(peer) << 16) | ((vec) & 0xffff))

/* Size of the register file (ivshmem BAR2). */
#define MIC_VMIC_REGS_SIZE	0x40000

/* The emulated BAR4: X100 offsets (ABI.md section 6.2). */
#define MIC_VMIC_POSTCODE	0x0242c
#define MIC_VMIC_SMPT(i)	(0x13100 + 4 * (i))
#define MIC_VMIC_SMPT_COUNT	32
#define MIC_VMIC_RGCR		0x14010
#define MIC_VMIC_RGCR_RESET	0x1
#define MIC_VMIC_SICR0		0x19004
#define MIC_VMIC_SICR0_DMA(ch)	(1U << (8 + (ch)))	/* DMA channel ch */
#define MIC_VMIC_SICE0		0x1900c
#define MIC_VMIC_SICC0		0x19010
#define MIC_VMIC_SIAC0		0x19014
#define MIC_VMIC_MXAR(v)	(0x19044 + 4 * (v))
#define MIC_VMIC_MSIXPBACR	0x19084
#define MIC_VMIC_APICICR(n)	(0x1a9d0 + 8 * (n))	/* low dword */
#define MIC_VMIC_APICICR_HI(n)	(0x1a9d4 + 8 * (n))	/* high dword */
#define MIC_VMIC_APICICR_SEND	0x2000		/* bit 13 */
#define MIC_VMIC_BOOT_APICICR	7
#define MIC_VMIC_BOOT_VECTOR	0xe5
#define MIC_VMIC_SPAD(i)	(0x1ab20 + 4 * (i))
#define MIC_VMIC_SPAD_COUNT	16
#define MIC_VMIC_RDMASR(i)	(0x1b180 + 4 * (i))
#define MIC_VMIC_SDBIC(db)	(0x1cc90 + 4 * (db))

/*
 * The DMA engine: 8 channels, 0-3 the host's, 4-7 the card's; micemu
 * emulates the host channels.  Channel registers (32 bits) at
 * MIC_VMIC_DMA_CH(ch); DCR says which channels are host-owned and
 * enabled.  A ring of 16-byte descriptors lives in card memory, or in
 * host memory through an SMPT entry (MIC_VMIC_DRAR_SYS).  Software
 * writes DHPR, the index after the last valid descriptor; the engine
 * executes descriptors from DTPR up to DHPR (modulo the ring size),
 * advancing DTPR and the completion count in DSTAT after each.
 * Addresses in descriptors are card physical: card memory at
 * [0, card memory size), host memory at MIC_VMIC_HOSTMEM_BASE +
 * 16 GiB * SMPT entry + offset, the entry mapping host address
 * MIC_VMIC_SMPT_ADDR(value).  Source, destination and length are
 * 64-byte aligned, a host channel moves at most MIC_VMIC_DMA_HOST_MAX
 * bytes per descriptor.
 */
#define MIC_VMIC_DMA_CHANNELS		8
#define MIC_VMIC_DMA_HOST_CHANNELS	4	/* channels 0-3 */
#define MIC_VMIC_DMA_CH(ch)		(0x1a000 + 0x40 * (ch))
#define MIC_VMIC_DCAR(ch)		(MIC_VMIC_DMA_CH(ch) + 0x00)
#define MIC_VMIC_DHPR(ch)		(MIC_VMIC_DMA_CH(ch) + 0x04)
#define MIC_VMIC_DTPR(ch)		(MIC_VMIC_DMA_CH(ch) + 0x08)
#define MIC_VMIC_DRAR_LO(ch)		(MIC_VMIC_DMA_CH(ch) + 0x14)
#define MIC_VMIC_DRAR_HI(ch)		(MIC_VMIC_DMA_CH(ch) + 0x18)
#define MIC_VMIC_DSTAT(ch)		(MIC_VMIC_DMA_CH(ch) + 0x20)
#define MIC_VMIC_DCHERR(ch)		(MIC_VMIC_DMA_CH(ch) + 0x2c)
#define MIC_VMIC_DCHERRMSK(ch)		(MIC_VMIC_DMA_CH(ch) + 0x30)
#define MIC_VMIC_DCR			0x1a280
#define MIC_VMIC_DCR_HOST(ch)		(1U << (2 * (ch)))	/* host-owned */
#define MIC_VMIC_DCR_EN(ch)		(1U << (2 * (ch) + 1))	/* enabled */
/* DCAR: interrupt masks of a card-owned and a host-owned channel. */
#define MIC_VMIC_DCAR_IMASK_CARD	0x01000000U	/* bit 24 */
#define MIC_VMIC_DCAR_IMASK_HOST	0x02000000U	/* bit 25 */
/*
 * DRAR_HI: bits 20:4 ring size in descriptors; bit 26 ring in host
 * memory, then bits 25:21 its SMPT entry and bits 1:0 the address bits
 * 33:32 within the entry; a ring in card memory has address bits 35:32
 * in bits 3:0.  DRAR_LO holds address bits 31:0.
 */
#define MIC_VMIC_DRAR_SIZE(hi)		(((hi) >> 4) & 0x1ffff)
#define MIC_VMIC_DRAR_SYS		0x04000000U	/* bit 26 */
#define MIC_VMIC_DRAR_SMPT(hi)		(((hi) >> 21) & 0x1f)
#define MIC_VMIC_DRAR_HI_CARD(hi)	((hi) & 0xf)
#define MIC_VMIC_DRAR_HI_SYS(hi)	((hi) & 0x3)
#define MIC_VMIC_DMA_RING_MAX		(128 * 1024 - 4)
/* DSTAT: bits 16:0 the completion count (the engine's tail). */
#define MIC_VMIC_DSTAT_COUNT		0x1ffff
#define MIC_VMIC_DSTAT_QUIESCE		0x20000000U	/* bit 29 */
/*
 * DCHERR: non-zero once the channel failed; the bits say why.  The
 * channel is then halted: DTPR stays at the failing descriptor, which
 * did nothing, and no descriptor runs until software disables the
 * channel in DCR, writes 0 to DCHERR, sets DTPR and DHPR as it likes
 * (e.g. both 0) and enables the channel again.  The failure raises the
 * channel's interrupt unless DCAR masks it or DCHERRMSK holds every
 * bit of the failure.
 */
#define MIC_VMIC_DCHERR_ALIGN		0x01	/* src, dst or length */
#define MIC_VMIC_DCHERR_RANGE		0x02	/* outside both memories */
#define MIC_VMIC_DCHERR_LEN		0x04	/* over the channel's max */
#define MIC_VMIC_DCHERR_WRAP		0x08	/* address + length > 2^40 */
#define MIC_VMIC_DCHERR_TYPE		0x10	/* unknown descriptor type */
#define MIC_VMIC_DCHERR_RING		0x20	/* ring size or address */
#define MIC_VMIC_DCHERR_INDEX		0x40	/* DHPR or DTPR >= ring size */

/*
 * Descriptors: two little-endian u64, qw0 then qw1; the type in qw1
 * bits 63:60.  MEMCPY: qw0 bits 39:0 source, bits 63:46 length in
 * 64-byte units, qw1 bits 39:0 destination.  STATUS: qw0 is written as
 * a little-endian u64 to qw1 bits 39:0; qw1 bit 59 raises the channel's
 * interrupt.  NOP does nothing.
 */
#define MIC_VMIC_DESC_SIZE		16
#define MIC_VMIC_DESC_TYPE(qw1)		((unsigned int)((qw1) >> 60))
#define MIC_VMIC_DESC_NOP		0
#define MIC_VMIC_DESC_MEMCPY		1
#define MIC_VMIC_DESC_STATUS		2
#define MIC_VMIC_DESC_ADDR(qw)		((qw) & 0xffffffffffULL)
#define MIC_VMIC_DESC_LEN(qw0)		(((qw0) >> 46) * 64)	/* bytes */
#define MIC_VMIC_DESC_INTR		0x0800000000000000ULL	/* bit 59 */
#define MIC_VMIC_DMA_ALIGN		64
#define MIC_VMIC_DMA_HOST_MAX		(512 * 1024)
#define MIC_VMIC_DMA_ADDR_LIMIT		0x10000000000ULL	/* 2^40 */
/* Card physical addresses of host memory, through the SMPT. */
#define MIC_VMIC_HOSTMEM_BASE		0x8000000000ULL
#define MIC_VMIC_SMPT_SHIFT		34	/* 16 GiB an entry */
#define MIC_VMIC_SMPT_ADDR(v)		((__u64)((v) >> 2) << MIC_VMIC_SMPT_SHIFT)

/* SPAD2, the bootstrap download information. */
#define MIC_VMIC_SPAD2_READY		0x1
#define MIC_VMIC_SPAD2_APICID(v)	(((v) >> 1) & 0x1ff)
#define MIC_VMIC_SPAD2_ADDR(v)		((v) & 0xfffff000)
/* Scratchpads kept over a reset: the card's log ring (SPAD8..10). */
#define MIC_VMIC_SPAD_KEEP	((1U << MIC_SPAD_LOG_LO) | \
				 (1U << MIC_SPAD_LOG_HI) | \
				 (1U << MIC_SPAD_LOG_SIZE))

/* The vmic extension. */
#define MIC_VMIC_EXT		0x20000
#define MIC_VMIC_MAGIC		0x43494d56	/* "VMIC" in memory */
#define MIC_VMIC_VERSION	2
#define MIC_VMIC_PEER_NONE	0xffffffff
#define MIC_VMIC_H2C_DBS	16
#define MIC_VMIC_C2H_DBS	4

/* mic_vmic_ext.emu_state: what micemu did last with the card guest. */
#define MIC_VMIC_EMU_INIT	0	/* micemu has not set up the card */
#define MIC_VMIC_EMU_READY	1	/* no guest, SPAD2 ready */
#define MIC_VMIC_EMU_RUNNING	2	/* bootstrap taken, guest started */
#define MIC_VMIC_EMU_OFF	3	/* the guest exited (power off) */
#define MIC_VMIC_EMU_FAILED	4	/* bootstrap refused (bad image) */

/**
 * struct mic_vmic_ext - the vmic extension, at MIC_VMIC_EXT
 * @magic: MIC_VMIC_MAGIC, written last by micemu when the file is set up
 * @version: MIC_VMIC_VERSION
 * @card: the card index K
 * @nvectors: ivshmem vectors of every peer
 * @emu_peer: ivshmem peer id of micemu
 * @host_peer: peer id of the host guest, or MIC_VMIC_PEER_NONE
 * @card_peer: peer id of the card guest, or MIC_VMIC_PEER_NONE
 * @emu_state: a MIC_VMIC_EMU_* value
 * @aper_size: size of the aperture (the card memory)
 * @hwin_size: size of the host window (the host guest memory)
 * @aper_devfn: PCI devfn of the aperture device in the host guest
 * @hwin_devfn: PCI devfn of the host window device in the card guest
 * @reset_vec: micemu's vector for a reset request (RGCR)
 * @boot_vec: micemu's vector for the bootstrap IPI (APICICR7)
 * @c2h_vec: host vector of each card->host doorbell
 * @h2c_vec: card vector of each host->card doorbell
 * @c2h_db: card->host doorbell pending words (card sets, host clears)
 * @h2c_db: host->card doorbell pending words (host sets, card clears)
 * @boots: card guests started since micemu started
 * @resets: resets done since micemu started
 * @dma_kick: the host sets it (non-zero) after moving a DHPR, then rings
 *	emu_peer with dma_kick_vec; micemu zeroes it and runs the channels
 * @dma_kick_vec: micemu's vector for dma_kick; 0: no DMA engine
 * @dma_vec: host vector of the DMA interrupts; micemu sets SICR0 bit
 *	8 + ch for each channel ch that interrupts, then rings the host
 * @reserved: zero
 */
struct mic_vmic_ext {
	__le32 magic;				/* 0x00 */
	__le32 version;				/* 0x04 */
	__le32 card;				/* 0x08 */
	__le32 nvectors;			/* 0x0c */
	__le32 emu_peer;			/* 0x10 */
	__le32 host_peer;			/* 0x14 */
	__le32 card_peer;			/* 0x18 */
	__le32 emu_state;			/* 0x1c */
	__le64 aper_size;			/* 0x20 */
	__le64 hwin_size;			/* 0x28 */
	__le32 aper_devfn;			/* 0x30 */
	__le32 hwin_devfn;			/* 0x34 */
	__le32 reset_vec;			/* 0x38 */
	__le32 boot_vec;			/* 0x3c */
	__le32 c2h_vec[MIC_VMIC_C2H_DBS];	/* 0x40 */
	__le32 h2c_vec[MIC_VMIC_H2C_DBS];	/* 0x50 */
	__le32 c2h_db[MIC_VMIC_C2H_DBS];	/* 0x90 */
	__le32 h2c_db[MIC_VMIC_H2C_DBS];	/* 0xa0 */
	__le32 boots;				/* 0xe0 */
	__le32 resets;				/* 0xe4 */
	__le32 dma_kick;			/* 0xe8 */
	__le32 dma_kick_vec;			/* 0xec */
	__le32 dma_vec;				/* 0xf0 */
	__le32 reserved[3];			/* 0xf4 */
};

/* Offsets of the extension's fields in the register file. */
#define MIC_VMIC_EXT_MAGIC	(MIC_VMIC_EXT + 0x00)
#define MIC_VMIC_EXT_VERSION	(MIC_VMIC_EXT + 0x04)
#define MIC_VMIC_EXT_CARD	(MIC_VMIC_EXT + 0x08)
#define MIC_VMIC_EXT_NVECTORS	(MIC_VMIC_EXT + 0x0c)
#define MIC_VMIC_EXT_EMU_PEER	(MIC_VMIC_EXT + 0x10)
#define MIC_VMIC_EXT_HOST_PEER	(MIC_VMIC_EXT + 0x14)
#define MIC_VMIC_EXT_CARD_PEER	(MIC_VMIC_EXT + 0x18)
#define MIC_VMIC_EXT_EMU_STATE	(MIC_VMIC_EXT + 0x1c)
#define MIC_VMIC_EXT_APER_SIZE	(MIC_VMIC_EXT + 0x20)
#define MIC_VMIC_EXT_HWIN_SIZE	(MIC_VMIC_EXT + 0x28)
#define MIC_VMIC_EXT_APER_DEVFN	(MIC_VMIC_EXT + 0x30)
#define MIC_VMIC_EXT_HWIN_DEVFN	(MIC_VMIC_EXT + 0x34)
#define MIC_VMIC_EXT_RESET_VEC	(MIC_VMIC_EXT + 0x38)
#define MIC_VMIC_EXT_BOOT_VEC	(MIC_VMIC_EXT + 0x3c)
#define MIC_VMIC_EXT_C2H_VEC(db)	(MIC_VMIC_EXT + 0x40 + 4 * (db))
#define MIC_VMIC_EXT_H2C_VEC(n)	(MIC_VMIC_EXT + 0x50 + 4 * (n))
#define MIC_VMIC_EXT_C2H_DB(db)	(MIC_VMIC_EXT + 0x90 + 4 * (db))
#define MIC_VMIC_EXT_H2C_DB(n)	(MIC_VMIC_EXT + 0xa0 + 4 * (n))
#define MIC_VMIC_EXT_BOOTS	(MIC_VMIC_EXT + 0xe0)
#define MIC_VMIC_EXT_RESETS	(MIC_VMIC_EXT + 0xe4)
#define MIC_VMIC_EXT_DMA_KICK	(MIC_VMIC_EXT + 0xe8)
#define MIC_VMIC_EXT_DMA_KICK_VEC	(MIC_VMIC_EXT + 0xec)
#define MIC_VMIC_EXT_DMA_VEC	(MIC_VMIC_EXT + 0xf0)
#define MIC_VMIC_EXT_SIZE	0x100

/* The host page: micemu writes it, the host guest reads it. */
#define MIC_VMIC_HOST_PAGE_SIZE	0x1000
#define MIC_VMIC_HOST_MAGIC	0x50484d56	/* "VMHP" in memory */

/**
 * struct mic_vmic_host_page - what micemu tells the host alone
 * @magic: MIC_VMIC_HOST_MAGIC, written first
 * @emu_state: the MIC_VMIC_EMU_* state of the card guest; READY only
 *	once no card guest runs (micemu waited for its exit)
 * @resets: resets micemu completed
 * @boots: card guests micemu started
 * @reserved: zero
 */
struct mic_vmic_host_page {
	__le32 magic;				/* 0x00 */
	__le32 emu_state;			/* 0x04 */
	__le32 resets;				/* 0x08 */
	__le32 boots;				/* 0x0c */
	__le32 reserved[4];			/* 0x10 */
};

#define MIC_VMIC_HOST_MAGIC_OFF		0x00
#define MIC_VMIC_HOST_EMU_STATE		0x04
#define MIC_VMIC_HOST_RESETS		0x08
#define MIC_VMIC_HOST_BOOTS		0x0c

#endif /* _UAPI_LINUX_MIC_VMIC_H */
